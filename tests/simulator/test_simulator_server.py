"""The simulator as a server: routing, HTTPS, the control API, the command line."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
import requests
from sim_client import call, error_code

from modelarts_simulator import (
    DEFAULT_PROJECT_ID as PROJECT,
    Simulator,
)

SIMULATOR_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modelarts_simulator.py")


# ---- routing ------------------------------------------------------------------------------------------------
def test_wrong_project_and_unknown_routes(simulator):
    nb_id = simulator.add_notebook()["id"]
    other = call(simulator, "GET", "/v1/%s/notebooks/%s" % ("f" * 32, nb_id))
    assert other.status_code == 403 and other.json()["error_code"] and other.json()["error_msg"]
    for method, path in (
        ("DELETE", ""),
        ("POST", "/%s/restart" % nb_id),
        ("GET", "/v2/%s/notebooks" % PROJECT),
        ("PATCH", "/" + nb_id),
        ("PUT", "/%s/lease" % nb_id),
        ("GET", "/%s/tags/create" % nb_id),
    ):
        answer = call(simulator, method, path)
        assert (answer.status_code, error_code(answer)) == (404, "APIGW.0101"), (method, path)


# ---- HTTPS ------------------------------------------------------------------------------------------------------
def test_https_with_a_self_signed_certificate(simulator_tls_files):
    cert, key = simulator_tls_files
    with Simulator(tls_cert=cert, tls_key=key) as sim:
        assert sim.url.startswith("https://127.0.0.1:")
        nb_id = sim.add_notebook()["id"]
        with pytest.raises(requests.exceptions.SSLError):
            call(sim, "GET", "/" + nb_id)  # not trusted by default
        assert call(sim, "GET", "/" + nb_id, verify=cert).json()["id"] == nb_id
        assert call(sim, "PUT", "/" + nb_id, body={"description": "tls"}, verify=cert).status_code == 200
        assert requests.get(sim.url + "/_sim/health", verify=cert, timeout=10).json()["status"] == "ok"


# ---- control API ----------------------------------------------------------------------------------------------
def test_control_api_over_http(simulator):
    base = simulator.url + "/_sim"
    created = requests.post(
        base + "/notebooks", json={"name": "ctl-1", "status": "RUNNING", "capacity": 20}, timeout=10
    )
    assert created.status_code == 201 and created.json()["name"] == "ctl-1" and created.headers["X-Request-Id"]
    nb_id = created.json()["id"]
    patched = requests.patch(
        base + "/notebooks/" + nb_id, json={"status": "ERROR", "fail_reason": "boom", "description": "x"}, timeout=10
    )
    assert (patched.json()["status"], patched.json()["fail_reason"], patched.json()["description"]) == (
        "ERROR",
        "boom",
        "x",
    )
    assert requests.post(base + "/bulk", json={"count": 50, "prefix": "many-"}, timeout=10).json()["created"] == 50
    assert len(requests.get(base + "/notebooks", timeout=10).json()["notebooks"]) == 51
    fault = requests.post(base + "/faults", json={"method": "GET", "status": 500, "count": 1}, timeout=10)
    assert (
        fault.status_code == 201
        and requests.get(base + "/faults", timeout=10).json()["faults"][0]["id"] == fault.json()["id"]
    )
    assert call(simulator, "GET", "/" + nb_id).status_code == 500
    recorded = requests.get(base + "/requests", timeout=10).json()["requests"]
    assert [(r["method"], r["status"]) for r in recorded] == [("GET", 500)]
    assert requests.delete(base + "/requests", timeout=10).status_code == 200 and simulator.requests == []
    hooks = {"container_hooks": {"pre_start": {"script": "/x.sh"}}}
    call(simulator, "PUT", "/" + nb_id, body={"hooks": hooks})  # refused: status ERROR
    simulator.set_status(nb_id, "STOPPED")
    call(simulator, "PUT", "/" + nb_id, body={"hooks": hooks})
    assert requests.get(base + "/notebooks/" + nb_id, timeout=10).json()["_hooks"] == hooks
    assert len(requests.get(base + "/requests?writes=1", timeout=10).json()["requests"]) == 1
    assert requests.get(base + "/health", timeout=10).json()["notebooks"] == 51
    assert requests.post(base + "/reset", timeout=10).status_code == 200
    assert simulator.notebooks() == [] and simulator.requests == []
    assert requests.get(base + "/nothing", timeout=10).status_code == 404
    assert requests.post(base + "/notebooks", json={"status": "NOPE"}, timeout=10).status_code == 400


# ---- command line ------------------------------------------------------------------------------------------------
def test_command_line_serves_until_sigterm(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps([{"name": "seeded-1", "status": "RUNNING"}, {"name": "seeded-2"}]))
    state = tmp_path / "state.json"
    command = [
        sys.executable,
        SIMULATOR_SCRIPT,
        "--port",
        "0",
        "--seed-file",
        str(seed),
        "--state-file",
        str(state),
        "--transition-seconds",
        "0.5",
        "--auth-token",
        "cli-token",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        try:
            line = proc.stdout.readline().strip()
            assert line.startswith("MODELARTS_SIMULATOR_URL=http://127.0.0.1:")
            url = line.split("=", 1)[1]
            assert json.loads(state.read_text())["url"] == url
            listed = requests.get(
                "%s/v1/%s/notebooks" % (url, PROJECT), headers={"X-Auth-Token": "cli-token"}, timeout=10
            ).json()
            assert sorted(nb["name"] for nb in listed["data"]) == ["seeded-1", "seeded-2"]
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
            assert not state.exists()
        finally:
            if proc.poll() is None:
                proc.kill()


def test_the_integration_target_copies_every_file_the_command_line_needs(tmp_path):
    # ansible-test copies the needs/file/ paths of setup_simulator's aliases, and nothing else, next to the targets.
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(
        os.path.join(repo, "tests", "integration", "targets", "setup_simulator", "aliases"), encoding="utf-8"
    ) as f:
        needed = [line.split("#")[0].strip()[len("needs/file/") :] for line in f if line.startswith("needs/file/")]
    package = os.path.join(repo, "tests", "simulator", "modelarts_sim")
    modules = {"tests/simulator/modelarts_sim/" + name for name in os.listdir(package) if name.endswith(".py")}
    assert modules - set(needed) == set()
    for path in needed:
        os.makedirs(os.path.dirname(tmp_path / path), exist_ok=True)
        shutil.copyfile(os.path.join(repo, path), tmp_path / path)
    # -E -s: nothing but the copy (and the standard library) to import from.
    command = [
        sys.executable,
        "-E",
        "-s",
        str(tmp_path / "tests" / "simulator" / "modelarts_simulator.py"),
        "--port",
        "0",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=tmp_path) as proc:
        try:
            url = proc.stdout.readline().strip().split("=", 1)[1]
            assert requests.get(url + "/_sim/health", timeout=10).json()["status"] == "ok"
            assert requests.get("%s/v1/%s/images" % (url, PROJECT), timeout=10).status_code == 401
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
