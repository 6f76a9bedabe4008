# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How every write is sent: never repeated blindly, since a write that failed may have been applied.

The transport retries only what cannot have reached the service (RetryPolicy in _http.py). What happens after
a write fails depends on what the failure says about the service:
- it answered (a 5xx or 429, a malformed answer, a conflict code that may mean "already done"): it has finished
  with the request. The resource is read back once: if the write's effect is there, it is done; otherwise the
  write is sent again after the backoff (or the Retry-After the service asked for), at most ``max_retries`` times;
- no answer came (a timeout, a connection lost after sending): the service may still be carrying the write out.
  A write that changes something is read back as above (sending it again asks for the same end state). A write
  that makes something (a create, an attach, a save) is never sent again: the resource is looked for with the
  poll schedule of the waits until it appears (adopted) or the look-out ends (a failure saying that the write
  may still complete and that a rerun adopts what it made).
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, is_not_found
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._waiter import Poll

# A write that makes something: ``what`` names it for messages ("a notebook instance named 'nb'"); after a
# failure in doubt, it is looked for during ``look_out`` seconds.
Making = namedtuple("Making", "what look_out")
# The longest look-out for something a write in doubt may still make: a task should not hang on a lost answer.
LOOK_OUT_MAX = 60


def look_out_seconds(wait_timeout):
    """How long a write in doubt is looked for: ``wait_timeout``, at most LOOK_OUT_MAX seconds."""
    return max(0, min(wait_timeout, LOOK_OUT_MAX))


def merged(resource, answer):
    """The resource updated with a write's answer, which may hold only some fields."""
    result = dict(resource or {})
    result.update(answer or {})
    return result


def write_with_read_back(client, resource, send, read_back, is_done, conflicts=frozenset(), making=None):
    """Send a write and return the resource after it.

    ``send(resource, resending)`` sends the write built from ``resource`` (``resending`` is true after a
    read back) and returns the answer; ``read_back(resource)`` reads the resource again; ``is_done(resource)``
    tells whether a read-back resource already shows the write's effect. ``conflicts`` are the error codes
    that may mean the effect is already there. ``making`` (a Making) marks a write that makes something,
    which is never sent again after a failure in doubt.
    """
    attempt = 0
    while True:
        try:
            answer = send(resource, attempt > 0)
        except ModelArtsError as error:
            if not (error.transient or error.error_code in conflicts):
                raise
            if making is not None and error.in_doubt:
                return _look_out(resource, read_back, is_done, making, error)
            attempt += 1
            resource = read_back(resource)
            if is_done(resource):
                return resource
            if attempt > client.max_retries:
                raise
            client.pause_before_retry(attempt, error.retry_after)
            continue
        return merged(resource, answer)


def delete_with_read_back(client, resource, send, read_back, is_done, not_found, conflicts=frozenset()):
    """A delete (or a detach) through write_with_read_back: ``(the resource after it, True)``, or ``(None, False)``
    when the service answers with one of the ``not_found`` codes: someone else deleted it since it was read, so it
    is gone, as asked, though not by this task (nothing to record as done)."""
    try:
        return write_with_read_back(client, resource, send, read_back, is_done, conflicts), True
    except ModelArtsError as error:
        if not is_not_found(error, not_found):
            raise
        return None, False


def _look_out(resource, read_back, is_done, making, error):
    """After a failure in doubt of a write that makes something: what it made once it appears, or a failure."""
    poll = Poll(making.look_out)
    while True:
        found = read_back(resource)
        if is_done(found):
            return found
        if poll.expired:
            raise ModuleError(
                "%s; the service may still complete it, so it was not sent again: %s did not appear within %s seconds "
                "(wait_timeout, at most %d); run the task again later: it adopts what the service made, or makes it"
                % (error.message, making.what, making.look_out, LOOK_OUT_MAX),
                error=error.as_dict(),
            )
        poll.pause()
