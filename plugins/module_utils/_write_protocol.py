# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How every write is sent: never repeated blindly, since a write that failed may have been applied.

The transport retries only what cannot have reached the service (RetryPolicy in _http.py). A write that
failed after it was sent (a timeout, a 5xx or 429), or that the service refused with an answer that may
mean "already done" (a conflict code), is followed by a read of the resource: if the write's effect is
there, it is done; otherwise it is sent again after the backoff (or the Retry-After the service asked
for), at most ``max_retries`` times.
"""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError


def merged(resource, answer):
    """The resource updated with a write's answer, which may hold only some fields."""
    result = dict(resource or {})
    result.update(answer or {})
    return result


def write_with_read_back(client, resource, send, read_back, is_done, conflicts=frozenset()):
    """Send a write and return the resource after it.

    ``send(resource, resending)`` sends the write built from ``resource`` (``resending`` is true after a
    read back) and returns the answer; ``read_back(resource)`` reads the resource again; ``is_done(resource)``
    tells whether a read-back resource already shows the write's effect. ``conflicts`` are the error codes
    that may mean the effect is already there.
    """
    attempt = 0
    while True:
        try:
            answer = send(resource, attempt > 0)
        except ModelArtsError as error:
            if not (error.transient or error.error_code in conflicts):
                raise
            attempt += 1
            resource = read_back(resource)
            if is_done(resource):
                return resource
            if attempt > client.max_retries:
                raise
            client.pause_before_retry(attempt, error.retry_after)
            continue
        return merged(resource, answer)
