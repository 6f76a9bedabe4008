"""How the integration tests' setup_simulator target ties the simulator to the ansible-test run.

files/runner_pid.py finds the process that runs ansible-playbook, and the simulator's --exit-with-pid makes it
exit once that process has ended, so that no simulator outlives the run that started it.
"""

import json
import os
import subprocess
import sys

import requests

from ansible_e2e import REPO_DIR, Ansible

SIMULATOR_SCRIPT = os.path.join(REPO_DIR, "tests", "simulator", "modelarts_simulator.py")
RUNNER_PID = os.path.join(REPO_DIR, "tests", "integration", "targets", "setup_simulator", "files", "runner_pid.py")


def test_runner_pid_names_the_process_that_started_ansible_playbook(simulator, tmp_path):
    # Here this test's own process runs ansible-playbook, as ansible-test does in an integration run.
    run = Ansible(simulator, tmp_path).playbook(
        [{"name": "runner", "ansible.builtin.command": {"argv": [sys.executable, RUNNER_PID]}}]
    )
    run.assert_all_ok()
    assert int(run["runner"]["stdout"]) == os.getpid()


def test_runner_pid_fails_outside_ansible_playbook():
    completed = subprocess.run([sys.executable, RUNNER_PID], capture_output=True, text=True, timeout=30, check=False)
    assert completed.returncode == 1 and completed.stdout == ""
    assert "no ansible-playbook process" in completed.stderr


def test_simulator_exits_once_the_process_it_follows_has_ended(tmp_path):
    state = tmp_path / "state.json"
    with subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE) as runner:
        command = [
            sys.executable,
            SIMULATOR_SCRIPT,
            "--port",
            "0",
            "--state-file",
            str(state),
            "--exit-with-pid",
            str(runner.pid),
        ]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as simulator:
            try:
                url = simulator.stdout.readline().strip().split("=", 1)[1]
                assert json.loads(state.read_text())["exit_with_pid"] == runner.pid
                assert requests.get(url + "/_sim/health", timeout=10).json()["status"] == "ok"
                assert simulator.poll() is None, "the simulator serves while the process it follows runs"
                runner.stdin.close()
                assert runner.wait(timeout=30) == 0
                assert simulator.wait(timeout=30) == 0
                assert not state.exists()
            finally:
                if simulator.poll() is None:
                    simulator.kill()
