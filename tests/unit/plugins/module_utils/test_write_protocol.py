# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The write protocol: a write that failed may have been applied, so it is read back before it is sent again."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _waiter
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._write_protocol import (
    Making,
    delete_with_read_back,
    look_out_seconds,
    merged,
    write_with_read_back,
)


class Client:
    """The two things the protocol needs of a client, with the pauses recorded instead of slept."""

    def __init__(self, max_retries=2):
        self.max_retries = max_retries
        self.pauses = []

    def pause_before_retry(self, attempt, retry_after=None):
        self.pauses.append((attempt, retry_after))


def transient(retry_after=None):
    return ModelArtsError("Writing", status=503, error_code="ModelArts.6102", transient=True, retry_after=retry_after)


def no_answer():
    """A timeout or a connection lost after sending: the service may still be carrying the write out."""
    return ModelArtsError("Creating", reason="no answer within 2 seconds", transient=True, in_doubt=True)


def not_connected():
    return ModelArtsError("Creating", reason="could not reach the endpoint: connection refused", transient=True)


def script(*outcomes):
    """A send() that answers or raises from ``outcomes`` in turn and records each call's ``resending``."""
    calls = []

    def send(resource, resending):
        calls.append((None if resource is None else dict(resource), resending))
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return send, calls


def test_a_successful_write_merges_its_answer_and_reads_nothing():
    send, calls = script({"status": "STOPPING"})
    reads = []
    result = write_with_read_back(
        Client(), {"id": "a", "status": "RUNNING", "name": "n"}, send, reads.append, lambda r: False
    )
    assert result == {"id": "a", "status": "STOPPING", "name": "n"}
    assert calls == [({"id": "a", "status": "RUNNING", "name": "n"}, False)] and reads == []


def test_a_transient_failure_that_was_applied_is_not_sent_again():
    send, calls = script(transient())
    client = Client()
    result = write_with_read_back(
        client, {"id": "a", "v": 1}, send, lambda r: {"id": "a", "v": 2}, lambda r: r["v"] == 2
    )
    assert result == {"id": "a", "v": 2} and len(calls) == 1 and client.pauses == []


def test_a_transient_failure_not_applied_is_sent_again_from_the_read_back_after_the_pause():
    send, calls = script(transient(retry_after=7), {"v": 2})
    client = Client()
    result = write_with_read_back(
        client, {"id": "a", "v": 1}, send, lambda r: {"id": "a", "v": 1, "read": True}, lambda r: False
    )
    assert result == {"id": "a", "v": 2, "read": True}
    assert calls == [({"id": "a", "v": 1}, False), ({"id": "a", "v": 1, "read": True}, True)]
    assert client.pauses == [(1, 7)]


def test_a_conflict_code_is_read_back_and_any_other_error_is_raised_at_once():
    conflict = ModelArtsError("Stopping", status=400, error_code="ModelArts.6357")
    send, calls = script(conflict)
    result = write_with_read_back(
        Client(),
        {"id": "a", "status": "RUNNING"},
        send,
        lambda r: {"id": "a", "status": "STOPPED"},
        lambda r: r["status"] == "STOPPED",
        conflicts={"ModelArts.6357"},
    )
    assert result["status"] == "STOPPED" and len(calls) == 1

    send, calls = script(conflict)
    with pytest.raises(ModelArtsError, match="ModelArts.6357"):
        write_with_read_back(Client(), {"id": "a"}, send, pytest.fail, lambda r: True)
    assert len(calls) == 1


def test_after_max_retries_the_last_failure_is_raised():
    send, calls = script(transient(), transient(), transient(), {"never": "sent"})
    client = Client(max_retries=2)
    with pytest.raises(ModelArtsError, match="HTTP 503"):
        write_with_read_back(client, {"id": "a"}, send, lambda r: r, lambda r: False)
    assert len(calls) == 3 and [attempt for attempt, dummy in client.pauses] == [1, 2]


GONE_CODES = frozenset(("ModelArts.6309", "ModelArts.6404"))


def gone(resource):
    return resource is None or resource.get("status") == "DELETING"


def test_a_delete_answered_returns_the_resource_after_it_as_deleted_by_this_task():
    send, calls = script({"status": "DELETING"})
    assert delete_with_read_back(Client(), {"id": "a"}, send, pytest.fail, gone, GONE_CODES) == (
        {"id": "a", "status": "DELETING"},
        True,
    )
    assert len(calls) == 1


def test_a_delete_applied_but_unanswered_is_read_back_and_deleted_by_this_task():
    send, calls = script(transient())
    client = Client()
    assert delete_with_read_back(client, {"id": "a"}, send, lambda r: None, gone, GONE_CODES) == (None, True)
    assert len(calls) == 1 and client.pauses == []


@pytest.mark.parametrize("code", sorted(GONE_CODES))
def test_a_delete_answered_not_found_was_someone_elses(code):
    send, calls = script(ModelArtsError("Deleting", status=404, error_code=code))
    assert delete_with_read_back(Client(), {"id": "a"}, send, pytest.fail, gone, GONE_CODES) == (None, False)
    assert len(calls) == 1


def test_a_delete_refused_for_another_reason_fails_and_a_conflict_is_read_back():
    refused = ModelArtsError("Deleting", status=400, error_code="ModelArts.6357")
    send, calls = script(refused)
    with pytest.raises(ModelArtsError, match="ModelArts.6357"):
        delete_with_read_back(Client(), {"id": "a"}, send, pytest.fail, gone, GONE_CODES)
    send, calls = script(refused)
    answer = delete_with_read_back(
        Client(), {"id": "a"}, send, lambda r: None, gone, GONE_CODES, conflicts={"ModelArts.6357"}
    )
    assert answer == (None, True) and len(calls) == 1


def test_merged_keeps_fields_the_answer_does_not_hold():
    assert merged({"id": "a", "name": "n"}, {"name": "m", "status": "STOPPED"}) == {
        "id": "a",
        "name": "m",
        "status": "STOPPED",
    }
    assert merged({"id": "a"}, None) == {"id": "a"}


class Appearing:
    """read_back() of a create: nothing for ``after`` reads, then the instance (its reads are counted)."""

    def __init__(self, after):
        self.after = after
        self.reads = 0

    def __call__(self, resource):
        self.reads += 1
        return {"id": "made"} if self.reads > self.after else None


@pytest.fixture
def quick_polls(monkeypatch):
    monkeypatch.setattr(_waiter, "POLL_MIN", 0.01)


MAKING = Making("a notebook instance named 'nb'", 5)


def test_a_create_in_doubt_is_never_sent_again_and_is_adopted_when_it_appears(quick_polls):
    send, calls = script(no_answer(), {"id": "second"})
    appearing = Appearing(after=3)
    client = Client(max_retries=5)
    made = write_with_read_back(client, None, send, appearing, lambda r: r is not None, making=MAKING)
    assert made == {"id": "made"} and len(calls) == 1 and appearing.reads == 4 and client.pauses == []


def test_a_create_in_doubt_that_never_appears_fails_saying_a_rerun_adopts_it(quick_polls):
    send, calls = script(no_answer(), {"id": "second"})
    appearing = Appearing(after=10**6)
    with pytest.raises(ModuleError) as caught:
        write_with_read_back(
            Client(),
            None,
            send,
            appearing,
            lambda r: r is not None,
            making=Making("a notebook instance named 'nb'", 0.2),
        )
    assert len(calls) == 1 and appearing.reads > 1
    assert caught.value.message == (
        "Creating failed: no answer within 2 seconds; the service may still complete it, so it was not sent again: "
        "a notebook instance named 'nb' did not appear within 0.2 seconds (wait_timeout, at most 60); run the task "
        "again later: it adopts what the service made, or makes it"
    )
    assert caught.value.result["error"]["reason"] == "no answer within 2 seconds"


@pytest.mark.parametrize(
    "failure",
    [transient, not_connected, lambda: ModelArtsError("Creating", status=200, reason="not JSON", transient=True)],
)
def test_a_create_the_service_finished_with_is_looked_for_once_then_sent_again(failure):
    send, calls = script(failure(), {"id": "second"})
    appearing = Appearing(after=10**6)
    made = write_with_read_back(Client(), None, send, appearing, lambda r: r is not None, making=MAKING)
    assert made == {"id": "second"} and len(calls) == 2 and appearing.reads == 1


def test_a_create_the_service_finished_with_and_applied_is_adopted():
    send, calls = script(transient(), {"id": "second"})
    made = write_with_read_back(Client(), None, send, Appearing(after=0), lambda r: r is not None, making=MAKING)
    assert made == {"id": "made"} and len(calls) == 1


def test_a_change_in_doubt_is_read_back_and_sent_again_when_not_applied():
    # Sending a change again asks for the same end state: only writes that make something wait for an answer.
    send, calls = script(no_answer(), {"v": 2})
    result = write_with_read_back(Client(), {"id": "a", "v": 1}, send, lambda r: {"id": "a", "v": 1}, lambda r: False)
    assert result == {"id": "a", "v": 2} and [resending for dummy, resending in calls] == [False, True]


@pytest.mark.parametrize("wait_timeout, expected", [(600, 60), (30, 30), (0, 0)])
def test_the_look_out_is_wait_timeout_at_most_a_minute(wait_timeout, expected):
    assert look_out_seconds(wait_timeout) == expected
