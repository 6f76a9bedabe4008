# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one poll loop of every wait, on a fake clock: its schedule, its end, and what its failures say."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _waiter
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import WaitError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._resource import Kind

MOUNT = Kind("mount", "mount", id_key="mount_path", reason_key="failure_reason")
NOTEBOOK = Kind("notebook instance", "notebook", reason_key="fail_reason", secret_keys=("token",))


class Clock:
    """time.monotonic and time.sleep of _waiter: sleeping advances the clock and is recorded."""

    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(_waiter.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(_waiter.time, "sleep", fake.sleep)
    # The schedule the modules use (the unit tests' conftest shortens it elsewhere).
    monkeypatch.setattr(_waiter, "POLL_MIN", 0.5)
    return fake


def reader(*answers):
    """read() answering ``answers`` in turn, then the last one for ever."""
    calls = []

    def read():
        calls.append(1)
        return answers[min(len(calls), len(answers)) - 1]

    read.calls = calls
    return read


def test_the_schedule_polls_every_tenth_of_the_time_waited_between_half_a_second_and_ten(clock):
    read = reader({"mount_path": "/data/a", "status": "MOUNTING"})
    with pytest.raises(WaitError):
        _waiter.wait(MOUNT, read(), read, lambda m: False, 300, "Waiting")
    assert clock.sleeps[:10] == [0.5] * 10
    assert max(clock.sleeps) == 10.0 and min(clock.sleeps) > 0
    # Past 5 s the pause is 10 % of the time waited, until it reaches 10 s.
    waited = 0.0
    for pause in clock.sleeps[:-1]:
        assert pause == pytest.approx(min(max(0.5, waited * 0.1), 10.0), abs=0.002)
        waited += pause
    # The last pause ends exactly at the timeout, never past it.
    assert sum(clock.sleeps) == pytest.approx(300)


def test_a_wait_returns_what_it_waited_for_and_reads_only_until_then(clock):
    read = reader({"status": "MOUNTING"}, {"status": "MOUNTING"}, {"status": "MOUNTED", "id": "m"})
    found = _waiter.wait_for_status(MOUNT, {"status": "MOUNTING"}, read, "MOUNTED", 60, "Waiting", ())
    assert found == {"status": "MOUNTED", "id": "m"} and len(read.calls) == 3


def test_something_already_there_costs_no_read(clock):
    read = reader({"status": "RUNNING"})
    assert _waiter.wait_for_status(NOTEBOOK, {"status": "RUNNING"}, read, {"RUNNING"}, 60, "Waiting", ())
    assert read.calls == [] and clock.sleeps == []


def test_a_failed_status_fails_at_once_naming_the_kind_its_id_and_its_reason(clock):
    read = reader({"mount_path": "/data/a", "status": "MOUNT_FAILED", "failure_reason": "bucket not found"})
    with pytest.raises(WaitError) as caught:
        _waiter.wait_for_status(
            MOUNT, {"mount_path": "/data/a", "status": "MOUNTING"}, read, "MOUNTED", 60, "Attaching", {"MOUNT_FAILED"}
        )
    assert caught.value.message == "Attaching: mount /data/a is MOUNT_FAILED (failure_reason: bucket not found)"
    assert caught.value.result == {
        "mount": {"mount_path": "/data/a", "status": "MOUNT_FAILED", "failure_reason": "bucket not found"}
    }


def test_a_timeout_names_the_last_status_seen_and_what_was_awaited(clock):
    read = reader({"id": "nb", "status": "STOPPING", "token": "t0ken"}, None)
    with pytest.raises(WaitError) as caught:
        _waiter.wait_for_status(NOTEBOOK, {"id": "nb", "status": "RUNNING"}, read, "STOPPED", 5, "Stopping", ())
    assert caught.value.message == (
        "Stopping: timed out after 5 seconds (wait_timeout) waiting for STOPPED; the last status seen was STOPPING"
    )
    # The resource under its kind's key, without its secret, which is to be masked.
    assert caught.value.result == {"notebook": {"id": "nb", "status": "STOPPING"}}
    assert caught.value.secrets == ("t0ken",)


def test_a_read_that_answers_none_ends_a_wait_for_something_gone(clock):
    read = reader({"id": "nb", "status": "DELETING"}, None)
    assert _waiter.wait(NOTEBOOK, {"id": "nb", "status": "DELETING"}, read, lambda nb: nb is None, 60, "W") is None
    assert len(read.calls) == 2
