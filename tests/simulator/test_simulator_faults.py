"""The simulator's injected faults, and what it records of each request."""

import time
import uuid

import pytest
import requests
from sim_client import AK, call, error_code, wait_for

from modelarts_simulator import (
    DEFAULT_PROJECT_ID as PROJECT,
    Simulator,
)


# ---- faults --------------------------------------------------------------------------------------------------
def test_fault_counts_down_and_carries_retry_after(simulator):
    nb_id = simulator.add_notebook()["id"]
    simulator.inject_fault(method="GET", path=r"/notebooks/[^/]+$", count=2, status=429, headers={"Retry-After": "1"})
    answers = [call(simulator, "GET", "/" + nb_id) for attempt in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "1" and error_code(answers[0]) == "APIGW.0308"
    assert call(simulator, "GET", "").status_code == 200
    assert simulator.faults == []


def test_fault_matches_method_and_path_first_match_wins(simulator):
    nb_id = simulator.add_notebook()["id"]
    simulator.inject_fault(method="POST", path=r"/start$", status=500)
    simulator.inject_fault(path=r"/notebooks", status=502, body="<html>bad gateway</html>")
    simulator.inject_fault(path=r"/notebooks", status=503)
    assert call(simulator, "POST", "/%s/stop" % nb_id).status_code == 502  # the start fault does not match stop
    answer = call(simulator, "POST", "/%s/start" % nb_id)
    assert (answer.status_code, error_code(answer)) == (500, "ModelArts.6102")
    assert call(simulator, "GET", "").status_code == 503
    assert call(simulator, "GET", "").status_code == 200


def test_fault_body_can_be_malformed_json(simulator):
    simulator.inject_fault(status=500, body=b"{not json")
    answer = call(simulator, "GET", "")
    assert answer.status_code == 500 and answer.content == b"{not json"


def test_drop_closes_the_connection_without_an_answer(simulator):
    simulator.inject_fault(drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        call(simulator, "GET", "")
    assert simulator.requests[-1].status == 0
    assert call(simulator, "GET", "").status_code == 200


def test_delay_triggers_a_client_timeout(simulator):
    simulator.inject_fault(delay=1.0, status=None)
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(simulator, "GET", "", timeout=0.3)
    simulator.inject_fault(delay=0.3, status=None)
    started = time.monotonic()
    assert call(simulator, "GET", "").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_apply_changes_the_state_but_answers_the_fault(simulator):
    nb_id = simulator.add_notebook(status="RUNNING")["id"]
    simulator.inject_fault(method="POST", path=r"/stop$", status=503, apply=True)
    answer = call(simulator, "POST", "/%s/stop" % nb_id)
    assert answer.status_code == 503
    assert simulator.notebook(nb_id)["status"] == "STOPPED"
    assert [(w.method, w.path.rsplit("/", 1)[1], w.status) for w in simulator.writes] == [("POST", "stop", 503)]
    simulator.inject_fault(method="PUT", apply=True, drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        call(simulator, "PUT", "/" + nb_id, body={"description": "applied"})
    assert simulator.notebook(nb_id)["description"] == "applied"
    assert len(simulator.writes) == 2


def test_transition_result_ends_the_next_transition_in_failure():
    with Simulator(transition_seconds=0.1) as sim:
        nb_id = sim.add_notebook()["id"]
        sim.inject_fault(method="POST", path=r"/start$", transition_result="START_FAILED", fail_reason="no GPU left")
        assert call(sim, "POST", "/%s/start" % nb_id).json()["status"] == "STARTING"
        wait_for(sim, nb_id, "START_FAILED")
        assert call(sim, "GET", "/" + nb_id).json()["fail_reason"] == "no GPU left"
        sim.set_status(nb_id, "RUNNING")
        sim.fail_next_transition(nb_id, "ERROR", "host lost")
        call(sim, "POST", "/%s/stop" % nb_id)
        wait_for(sim, nb_id, "ERROR")


def test_fault_skip_modify_and_echo(simulator):
    nb_id = simulator.add_notebook(name="mine")["id"]
    simulator.inject_fault(method="GET", skip=2, status=500)
    assert [call(simulator, "GET", "/" + nb_id).status_code for attempt in range(4)] == [200, 200, 500, 200]

    # someone else renames the instance as the PUT arrives; the PUT itself still goes through
    simulator.inject_fault(method="PUT", status=None, modify={"name": "theirs", "capacity": 40})
    answer = call(simulator, "PUT", "/" + nb_id, body={"description": "mine too"})
    assert (answer.json()["name"], answer.json()["volume"]["capacity"], answer.json()["description"]) == (
        "theirs",
        40,
        "mine too",
    )

    simulator.inject_fault(status=401, echo=True)
    echoed = call(simulator, "PUT", "/" + nb_id, body={"description": "secret-ish"})
    assert echoed.status_code == 401 and "SDK-HMAC-SHA256 Access=" + AK in echoed.text and "secret-ish" in echoed.text


# ---- recording ------------------------------------------------------------------------------------------------
def test_every_request_is_recorded_with_its_answer(simulator):
    nb_id = simulator.add_notebook()["id"]
    call(simulator, "PUT", "/" + nb_id, body={"description": "recorded"}, query={"x": "1"})
    call(simulator, "PUT", "/" + nb_id, body={"description": "rejected"}, sk="wrong")
    requests.get(simulator.url + "/_sim/health", timeout=10)
    recorded = simulator.requests
    assert len(recorded) == 2
    first, second = recorded
    assert (first.method, first.path, first.query) == ("PUT", "/v1/%s/notebooks/%s" % (PROJECT, nb_id), {"x": "1"})
    assert first.headers["x-sdk-date"] == first.headers["X-Sdk-Date"] and "X-PROJECT-ID" in first.headers
    assert first.body == {"description": "recorded"} and first.raw_body == b'{"description": "recorded"}'
    assert first.status == 200 and first.response["description"] == "recorded" and first.applied
    assert first.notebook_id == nb_id
    assert (second.status, second.response["error_code"], second.applied) == (401, "APIGW.0301", False)
    simulator.clear_requests()
    assert simulator.requests == []


def test_writes_lists_only_applied_writes(simulator):
    nb_id = simulator.add_notebook()["id"]
    call(simulator, "GET", "/" + nb_id)
    call(simulator, "POST", "/%s/stop" % nb_id)  # refused: already stopped
    call(simulator, "PUT", "/" + nb_id, body={"name": "bad name"})  # refused: validation
    call(simulator, "PUT", "/" + nb_id, body={"name": "good-name"})
    call(simulator, "POST", "/%s/start" % nb_id)
    assert [(w.method, w.path.rsplit("/", 1)[1]) for w in simulator.writes] == [("PUT", nb_id), ("POST", "start")]


def test_every_answer_has_a_unique_request_id(simulator):
    nb_id = simulator.add_notebook()["id"]
    simulator.inject_fault(path="/flavors$", status=503)
    answers = [
        call(simulator, "GET", "/" + nb_id),
        call(simulator, "GET", "/" + nb_id, sk="x"),
        call(simulator, "POST", "/%s/stop" % nb_id),
        call(simulator, "POST", "/%s/restart" % nb_id),
        call(simulator, "GET", "/%s/flavors" % nb_id),
        requests.get(simulator.url + "/_sim/health", timeout=10),
    ]
    assert [a.status_code for a in answers] == [200, 401, 400, 404, 503, 200]
    ids = [a.headers["X-Request-Id"] for a in answers]
    assert len(set(ids)) == len(ids) and all(uuid.UUID(i) for i in ids)
    assert [r.request_id for r in simulator.requests] == ids[:5]
