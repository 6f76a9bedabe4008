"""The simulator's endpoint spellings and the auto-stop lease that every start sets."""

import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from sim_client import call, error_code

from modelarts_simulator import DEFAULT_LEASE_MS, DEFAULT_PROJECT_ID as PROJECT, MAX_LEASE_MS, MIN_LEASE_MS, Simulator

SIMULATOR_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modelarts_simulator.py")
SEED_KEYS = {"dev_service", "ssh_keys"}
SDK_KEYS = {"service", "key_pair_names"}
COMMON_KEYS = {"uri", "allowed_access_ips"}


def ssh_notebook(sim, **kwargs):
    return sim.add_notebook(
        endpoints=[
            {"dev_service": "NOTEBOOK"},
            {"dev_service": "SSH", "allowed_access_ips": ["192.0.2.1"], "ssh_keys": ["kp-1"]},
        ],
        **kwargs,
    )


def answers_with_instances(sim, nb_id):
    """Every answer that carries the instance: show, list, update, stop, start."""
    sim.set_status(nb_id, "STOPPED")
    yield call(sim, "GET", "/" + nb_id).json()
    yield call(sim, "GET", "").json()["data"][0]
    yield call(sim, "PUT", "/" + nb_id, body={"description": "spelled"}).json()
    yield call(sim, "POST", "/%s/start" % nb_id).json()
    yield call(sim, "POST", "/%s/stop" % nb_id).json()


@pytest.mark.parametrize(
    "spelling,keys",
    [("seed", SEED_KEYS | COMMON_KEYS), ("sdk", SDK_KEYS | COMMON_KEYS), ("both", SEED_KEYS | SDK_KEYS | COMMON_KEYS)],
)
def test_every_answer_spells_endpoints_as_configured(spelling, keys):
    with Simulator(endpoint_spelling=spelling) as sim:
        nb = ssh_notebook(sim)
        assert all(set(ep) == keys for ep in nb["endpoints"])  # add_notebook answers as GET would
        for answer in answers_with_instances(sim, nb["id"]):
            assert [set(ep) for ep in answer["endpoints"]] == [keys, keys]
            ssh = answer["endpoints"][1]
            assert ssh.get("dev_service", "SSH") == ssh.get("service", "SSH") == "SSH"
            assert ssh.get("ssh_keys", ["kp-1"]) == ssh.get("key_pair_names", ["kp-1"]) == ["kp-1"]
            assert ssh["allowed_access_ips"] == ["192.0.2.1"] and ssh["uri"]
        # the stored instance keeps both, whatever the answers say
        assert set(sim.notebook(nb["id"])["endpoints"][1]) == SEED_KEYS | SDK_KEYS | COMMON_KEYS


@pytest.mark.parametrize("spelling", ["seed", "sdk"])
@pytest.mark.parametrize(
    "request_spelling", [{"dev_service": "SSH", "ssh_keys": ["kp-2"]}, {"service": "SSH", "key_pair_names": ["kp-2"]}]
)
def test_requests_are_accepted_in_either_spelling(spelling, request_spelling):
    with Simulator(endpoint_spelling=spelling) as sim:
        nb = sim.add_notebook()
        answer = call(sim, "PUT", "/" + nb["id"], body={"endpoints": [request_spelling]})
        assert answer.status_code == 200
        ssh = answer.json()["endpoints"][1]
        assert ssh["ssh_keys" if spelling == "seed" else "key_pair_names"] == ["kp-2"]


def test_the_spelling_changes_at_run_time_and_through_the_control_api(simulator):
    nb_id = ssh_notebook(simulator)["id"]
    assert simulator.endpoint_spelling == "both"
    simulator.endpoint_spelling = "sdk"
    assert "dev_service" not in call(simulator, "GET", "/" + nb_id).json()["endpoints"][0]
    changed = requests.patch(simulator.url + "/_sim/config", json={"endpoint_spelling": "seed"}, timeout=10)
    # Every setting is answered; other resources add theirs.
    assert {k: changed.json()[k] for k in ("endpoint_spelling", "transition_seconds")} == {
        "endpoint_spelling": "seed",
        "transition_seconds": 0.0,
    }
    assert simulator.endpoint_spelling == "seed"
    assert set(call(simulator, "GET", "/" + nb_id).json()["endpoints"][1]) == SEED_KEYS | COMMON_KEYS
    for body in ({"endpoint_spelling": "terraform"}, {"spelling": "sdk"}):
        refused = requests.patch(simulator.url + "/_sim/config", json=body, timeout=10)
        assert refused.status_code == 400 and refused.json()["error"]
    assert simulator.endpoint_spelling == "seed"
    with pytest.raises(ValueError):
        simulator.endpoint_spelling = "SDK"
    with pytest.raises(ValueError):
        Simulator(endpoint_spelling="all")


def test_command_line_endpoint_spelling():
    command = [
        sys.executable,
        SIMULATOR_SCRIPT,
        "--port",
        "0",
        "--endpoint-spelling",
        "sdk",
        "--auth-token",
        "cli-token",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        try:
            url = proc.stdout.readline().strip().split("=", 1)[1]
            created = requests.post(url + "/_sim/notebooks", json={"name": "cli"}, timeout=10).json()
            shown = requests.get(
                "%s/v1/%s/notebooks/%s" % (url, PROJECT, created["id"]),
                headers={"X-Auth-Token": "cli-token"},
                timeout=10,
            ).json()
            assert set(shown["endpoints"][0]) == SDK_KEYS | COMMON_KEYS
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
    refused = subprocess.run(
        command[:-2] + ["--endpoint-spelling", "both-ways"], capture_output=True, text=True, check=False
    )
    assert refused.returncode == 2 and "--endpoint-spelling" in refused.stderr


# ---- the lease of a start -------------------------------------------------------------------------------------
def started_lease(sim, query=None, lease=None):
    nb_id = sim.add_notebook(lease=lease)["id"]
    answer = call(sim, "POST", "/%s/start" % nb_id, query=query)
    assert answer.status_code == 200, answer.text
    lease = answer.json()["lease"]
    shown = call(sim, "GET", "/" + nb_id).json()["lease"]
    assert (
        shown.pop("update_at") >= lease.pop("update_at") and shown == lease
    )  # the end of STARTING touches update_at only
    return answer.json()["lease"]


def test_a_start_without_duration_turns_the_default_lease_on_whatever_it_was(simulator):
    before = int(time.time() * 1000)
    lease = started_lease(
        simulator, lease={"enable": False, "duration": 7200000, "type": "IDLE", "create_at": 1, "update_at": 1}
    )
    assert (lease["enable"], lease["duration"], lease["type"]) == (True, DEFAULT_LEASE_MS, "TIMING")
    assert lease["create_at"] >= before and lease["update_at"] >= before


def test_a_start_with_duration_minus_one_turns_auto_stop_off(simulator):
    lease = started_lease(simulator, query={"duration": "-1"}, lease={"enable": True, "create_at": 1})
    assert lease["enable"] is False and lease["type"] == "TIMING" and lease["create_at"] > 1


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"duration": str(MIN_LEASE_MS)}, (True, MIN_LEASE_MS, "TIMING")),
        ({"duration": str(MAX_LEASE_MS), "type": "IDLE"}, (True, MAX_LEASE_MS, "IDLE")),
        ({"duration": "7200000", "type": "TIMING"}, (True, 7200000, "TIMING")),
        ({"type": "IDLE"}, (True, DEFAULT_LEASE_MS, "IDLE")),
        ({"duration": "-1", "type": "IDLE"}, (False, None, "IDLE")),
    ],
)
def test_a_start_sets_the_lease_it_asks_for(simulator, query, expected):
    lease = started_lease(simulator, query=query)
    assert (lease["enable"], lease["duration"] if expected[1] else None, lease["type"]) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"duration": str(MIN_LEASE_MS - 1)},
        {"duration": str(MAX_LEASE_MS + 1)},
        {"duration": "0"},
        {"duration": "-2"},
        {"duration": "1h"},
        {"duration": "3600000.0"},
        {"duration": ""},
        {"duration": "3600000", "type": "WEEKLY"},
        {"type": "timing"},
    ],
)
def test_a_start_with_a_bad_lease_is_refused_with_6336(simulator, query):
    nb = simulator.add_notebook()
    answer = call(simulator, "POST", "/%s/start" % nb["id"], query=query)
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6336")
    assert "duration" in answer.json()["error_msg"] or "type" in answer.json()["error_msg"]
    assert call(simulator, "GET", "/" + nb["id"]).json() == nb and simulator.writes == []


def test_the_lease_is_kept_across_a_stop(simulator):
    nb_id = simulator.add_notebook()["id"]
    lease = call(simulator, "POST", "/%s/start" % nb_id, query={"duration": "10800000", "type": "IDLE"}).json()["lease"]
    stopped = call(simulator, "POST", "/%s/stop" % nb_id).json()["lease"]
    assert {k: stopped[k] for k in ("create_at", "duration", "enable", "type")} == {
        k: lease[k] for k in ("create_at", "duration", "enable", "type")
    }
