# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waiting for a resource: one poll loop for notebooks, mounts, images and workspaces, with a timeout the user sets."""

from __future__ import annotations

import time

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import WaitError

# Polling: every 10 % of the time waited so far, between these bounds, so the overshoot past the end of a
# transition stays small for short waits and the request count stays small for long ones.
POLL_MIN, POLL_MAX, POLL_SHARE = 0.5, 10.0, 0.1


class Poll:
    """The poll schedule of one wait of ``timeout`` seconds, from now."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.start = time.monotonic()

    @property
    def elapsed(self):
        return time.monotonic() - self.start

    @property
    def expired(self):
        return self.elapsed >= self.timeout

    def pause(self):
        """Sleep until the next read is due (never past the timeout)."""
        elapsed = self.elapsed
        time.sleep(max(0.0, min(max(POLL_MIN, elapsed * POLL_SHARE), POLL_MAX, self.timeout - elapsed)))


def wait(kind, resource, read, is_done, timeout, waiting_for, failed=frozenset(), awaited=None):
    """Read the resource until ``is_done(current)``; return it then.

    ``read()`` reads it again; it may answer None for a resource that is gone, which ``is_done`` can wait for
    (the end of a delete). A status in ``failed`` fails at once, saying why; after ``timeout`` seconds the
    failure names the last status seen and ``awaited`` (what was waited for). Both raise WaitError, which
    reports the resource under its kind's result key. ``waiting_for`` starts each message.
    """
    poll = Poll(timeout)
    current = last = resource
    while True:
        if is_done(current):
            return current
        status = kind.status(current)
        if current is not None and status in failed:
            raise WaitError(
                "%s: %s is %s%s" % (waiting_for, kind.describe(current), status, kind.reason(current)), kind, current
            )
        if poll.expired:
            raise WaitError(
                "%s: timed out after %s seconds (wait_timeout)%s; the last status seen was %s%s"
                % (
                    waiting_for,
                    timeout,
                    " waiting for " + awaited if awaited else "",
                    kind.status(last),
                    kind.reason(last),
                ),
                kind,
                last,
            )
        poll.pause()
        current = read()
        last = current if current is not None else last


def wait_for_status(kind, resource, read, targets, timeout, waiting_for, failed):
    """Poll until the status is one of ``targets``; a status in ``failed`` or the timeout fail.

    Another status keeps the poll going: right after a start or stop the service may still report the old
    status for a moment.
    """
    targets = frozenset((targets,)) if isinstance(targets, str) else frozenset(targets)
    return wait(
        kind,
        resource,
        read,
        lambda current: kind.status(current) in targets,
        timeout,
        waiting_for,
        failed,
        awaited=" or ".join(sorted(targets)),
    )
