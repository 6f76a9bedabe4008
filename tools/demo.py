"""Run examples/notebook_update.yml twice: the first run updates the notebook, the second changes nothing.

Without cloud credentials it starts the ModelArts simulator from tests/simulator, creates a running
notebook in it, points the playbook at it through the HW_* environment variables, counts the requests
the simulator received for each run, and stops it. With HW_ACCESS_KEY or HW_AUTH_TOKEN set (and
HW_PROJECT_ID, HW_REGION_NAME, DEMO_NOTEBOOK_NAME), the same playbook runs against the real cloud.

Called by `make demo` after `make install`: the collection must be in build/collections.
"""

import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.request

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = os.path.join(REPO_DIR, "examples", "notebook_update.yml")
SIMULATOR = os.path.join(REPO_DIR, "tests", "simulator", "modelarts_simulator.py")
CALLBACK_DIR = os.path.join(REPO_DIR, "tests", "e2e", "callback_plugins")
COLLECTIONS_PATH = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(REPO_DIR, "build", "collections")
BIN_DIR = os.path.dirname(sys.executable)
UPDATE_TASK = "Set the notebook's description, flavor and disk size"

# The simulator's own demo credentials; nothing real.
SIM_PROJECT_ID = "d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0"
SIM_ACCESS_KEY = "AKDEMOSIMULATOR00001"
SIM_SECRET_KEY = "demo-simulator-secret-key"
NOTEBOOK_NAME = "demo-notebook"


def say(text):
    print("==> " + text, flush=True)


class SimulatorProcess:
    """tests/simulator/modelarts_simulator.py as a child process on a free loopback port."""

    def __init__(self):
        self.process = None
        self.url = None

    def start(self):
        command = [
            sys.executable,
            SIMULATOR,
            "--port",
            "0",
            "--transition-seconds",
            "1",
            "--project-id",
            SIM_PROJECT_ID,
            "--access-key",
            SIM_ACCESS_KEY,
            "--secret-key",
            SIM_SECRET_KEY,
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # pylint: disable=consider-using-with
        for line in self.process.stdout:
            if line.startswith("MODELARTS_SIMULATOR_URL="):
                self.url = line.strip().split("=", 1)[1]
                return self
        raise RuntimeError("the simulator exited before printing its URL (status %s)" % self.process.wait())

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def control(self, method, path, body=None):
        """Call the simulator's unsigned control API (/_sim/...)."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.url + "/_sim/" + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


def run_playbook(env, label):
    """Run the example playbook with the normal screen output; return the update task's result."""
    with tempfile.TemporaryDirectory() as tmp:
        results_file = os.path.join(tmp, "results.jsonl")
        run_env = dict(
            env,
            ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PATH,
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
            ANSIBLE_CALLBACK_PLUGINS=CALLBACK_DIR,
            ANSIBLE_CALLBACKS_ENABLED="e2e_results",
            E2E_RESULTS_FILE=results_file,
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            PATH=BIN_DIR + os.pathsep + env.get("PATH", ""),
        )
        say("%s: ansible-playbook examples/notebook_update.yml" % label)
        completed = subprocess.run(
            [os.path.join(BIN_DIR, "ansible-playbook"), PLAYBOOK], env=run_env, cwd=REPO_DIR, check=False
        )
        results = []
        if os.path.exists(results_file):
            with open(results_file, encoding="utf-8") as handle:
                results = [json.loads(line) for line in handle if line.strip()]
    update = next((r["result"] for r in results if r["task"] == UPDATE_TASK), {})
    return completed.returncode, update


def summary_line(label, update, requests=None):
    line = "%s: changed=%s actions=%s" % (label, str(update.get("changed")).lower(), json.dumps(update.get("actions")))
    if requests is not None:
        counted = collections.Counter("%s %s" % (r["method"], _kind(r["path"])) for r in requests)
        line += "; the simulator received %d requests (%s)" % (
            len(requests),
            ", ".join("%d %s" % (n, k) for k, n in sorted(counted.items())),
        )
    return line


def _kind(path):
    parts = path.rstrip("/").split("/")  # "", "v1", project, "notebooks", [id, [action]]
    if len(parts) == 4:
        return "list"
    return parts[5] if len(parts) == 6 else "notebook"


def check_outcome(first, second):
    """Both runs passed, the first changed the notebook and the second did not."""
    problems = []
    if first[0] != 0 or second[0] != 0:
        problems.append("a playbook run failed (exit statuses %d and %d)" % (first[0], second[0]))
    if first[1].get("changed") is not True:
        problems.append("the first run should have changed the notebook")
    if second[1].get("changed") is not False:
        problems.append("the second run should have changed nothing")
    for problem in problems:
        say("DEMO FAILED: " + problem)
    return 1 if problems else 0


def demo_cloud():
    say("HW_ACCESS_KEY or HW_AUTH_TOKEN is set: running against the real ModelArts service, without the simulator")
    env = dict(os.environ)
    first = run_playbook(env, "Run 1")
    second = run_playbook(env, "Run 2")
    say("Summary")
    print("  " + summary_line("run 1", first[1]))
    print("  " + summary_line("run 2", second[1]))
    return check_outcome(first, second)


def demo_simulator():
    say("No HW_ACCESS_KEY or HW_AUTH_TOKEN: running against the bundled ModelArts simulator")
    sim = SimulatorProcess().start()
    try:
        say("Simulator listening at %s" % sim.url)
        notebook = sim.control(
            "POST",
            "notebooks",
            {
                "name": NOTEBOOK_NAME,
                "status": "RUNNING",
                "flavor": "modelarts.vm.cpu.2u",
                "capacity": 5,
                "description": "created by make demo",
            },
        )
        say(
            "Created notebook %s (%s): RUNNING, flavor modelarts.vm.cpu.2u, 5 GB disk"
            % (notebook["name"], notebook["id"])
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("HW_")}
        env.update(
            HW_MODELARTS_ENDPOINT=sim.url,
            HW_PROJECT_ID=SIM_PROJECT_ID,
            HW_ACCESS_KEY=SIM_ACCESS_KEY,
            HW_SECRET_KEY=SIM_SECRET_KEY,
            DEMO_NOTEBOOK_NAME=NOTEBOOK_NAME,
        )
        runs = []
        for label in ("Run 1", "Run 2"):
            sim.control("DELETE", "requests")
            outcome = run_playbook(env, label)
            runs.append((outcome, sim.control("GET", "requests")["requests"]))
        say("Summary")
        for label, ((dummy, update), requests) in zip(("run 1", "run 2"), runs):
            print("  " + summary_line(label, update, requests))
    finally:
        sim.stop()
        say("Simulator stopped")
    return check_outcome(runs[0][0], runs[1][0])


def main():
    if not os.path.isfile(
        os.path.join(COLLECTIONS_PATH, "ansible_collections", "hwcloud", "modelarts", "galaxy.yml")
    ) and not os.path.isdir(os.path.join(COLLECTIONS_PATH, "ansible_collections", "hwcloud", "modelarts", "plugins")):
        say("hwcloud.modelarts is not installed in %s: run `make install` first" % COLLECTIONS_PATH)
        return 2
    if os.environ.get("HW_ACCESS_KEY") or os.environ.get("HW_AUTH_TOKEN"):
        return demo_cloud()
    return demo_simulator()


if __name__ == "__main__":
    sys.exit(main())
