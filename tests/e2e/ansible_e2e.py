"""Runs real ``ansible-playbook`` and ``ansible`` against a simulator, with the collection installed by ``make install``.

Each task result is read back through the ``e2e_results`` callback (callback_plugins/), so tests assert on
complete results, failed tasks included, and on what the simulator recorded.
"""

import json
import os
import subprocess
import sys
import time

import pytest
import yaml

E2E_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(os.path.dirname(E2E_DIR))
CALLBACK_DIR = os.path.join(E2E_DIR, "callback_plugins")
PLAYBOOK_DIR = os.path.join(E2E_DIR, "playbooks")
DEFAULT_COLLECTIONS_PATH = os.path.join(REPO_DIR, "build", "collections")
BIN_DIR = os.path.dirname(sys.executable)
MODULE = "hwcloud.modelarts.notebook_instance"
INFO = "hwcloud.modelarts.notebook_instance_info"
RUN_TIMEOUT = 120


def collections_path():
    """Where the built collection is installed, as absolute paths (the runs start in other directories); fails the
    test with what to do when it is not there."""
    path = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or DEFAULT_COLLECTIONS_PATH
    path = os.pathsep.join(os.path.abspath(entry) for entry in path.split(os.pathsep))
    for entry in path.split(os.pathsep):
        if os.path.isfile(
            os.path.join(
                entry, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules", "notebook_instance.py"
            )
        ):
            return path
    pytest.fail(
        "hwcloud.modelarts is not installed in ANSIBLE_COLLECTIONS_PATH=%s: run `make install` (or `make e2e`) first"
        % path,
        pytrace=False,
    )
    return None


class Run:
    """One finished ansible-playbook or ansible run."""

    def __init__(self, command, completed, results, seconds):
        self.command = command
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.results = results
        self.seconds = seconds

    @property
    def output(self):
        return self.stdout + self.stderr

    def __getitem__(self, task_name):
        """The result of the task with this name (the last one when it ran several times)."""
        found = [r for r in self.results if r["task"] == task_name]
        if not found:
            raise AssertionError(
                "no result for task %r; tasks run: %s\n%s" % (task_name, [r["task"] for r in self.results], self.output)
            )
        return found[-1]["result"]

    def status(self, task_name):
        return [r for r in self.results if r["task"] == task_name][-1]["status"]

    def assert_ok(self, *task_names):
        """Each named task succeeded; otherwise fail with the whole run's output."""
        for name in task_names:
            assert self.status(name) == "ok", "task %r: %s\n%s" % (name, self[name].get("msg"), self.describe())

    def assert_all_ok(self):
        """The run passed and every task succeeded (tasks of the collection run with ignore_errors)."""
        assert self.rc == 0 and self.results and all(r["status"] == "ok" for r in self.results), self.describe()

    def describe(self):
        return "$ %s\nrc=%s\n%s" % (" ".join(self.command), self.rc, self.output)


class Ansible:
    """Drives the installed collection against ``sim`` from files in ``tmp_path``."""

    def __init__(self, sim, tmp_path):
        self.sim = sim
        self.tmp_path = str(tmp_path)
        self.collections_path = collections_path()
        self.inventory = os.path.join(self.tmp_path, "inventory.ini")
        with open(self.inventory, "w", encoding="utf-8") as handle:
            handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
        self._runs = 0

    # ---- connection ------------------------------------------------------------------------------------
    def connection(self, **overrides):
        """Connection options for the simulator (AK/SK); ``overrides`` replace or, with None, remove some."""
        options = {
            "endpoint": self.sim.url,
            "project_id": self.sim.project_id,
            "access_key": self.sim.auth.access_key,
            "secret_key": self.sim.auth.secret_key,
        }
        if self.sim.auth.security_token:
            options["security_token"] = self.sim.auth.security_token
        options.update(overrides)
        return {k: v for k, v in options.items() if v is not None}

    def connection_env(self, **overrides):
        """The same connection as HW_* environment variables."""
        names = {
            "endpoint": "HW_MODELARTS_ENDPOINT",
            "project_id": "HW_PROJECT_ID",
            "access_key": "HW_ACCESS_KEY",
            "secret_key": "HW_SECRET_KEY",
            "security_token": "HW_SECURITY_TOKEN",
            "auth_token": "HW_AUTH_TOKEN",
            "region": "HW_REGION_NAME",
        }
        return {names[k]: str(v) for k, v in self.connection(**overrides).items()}

    # ---- runs --------------------------------------------------------------------------------------------
    def _env(self, extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HW_", "ANSIBLE_"))}
        self._runs += 1
        results_file = os.path.join(self.tmp_path, "results-%d.jsonl" % self._runs)
        env.update(
            {
                "ANSIBLE_COLLECTIONS_PATH": self.collections_path,
                "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
                "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_DIR,
                "ANSIBLE_CALLBACKS_ENABLED": "e2e_results",
                "ANSIBLE_LOAD_CALLBACK_PLUGINS": "true",
                "ANSIBLE_NOCOLOR": "true",
                "ANSIBLE_RETRY_FILES_ENABLED": "false",
                "ANSIBLE_LOCAL_TEMP": os.path.join(self.tmp_path, "ansible-tmp"),
                "ANSIBLE_HOME": os.path.join(self.tmp_path, "ansible-home"),
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
                "PATH": BIN_DIR + os.pathsep + env.get("PATH", ""),
                "E2E_RESULTS_FILE": results_file,
            }
        )
        env.update(extra or {})
        return env, results_file

    def _run(self, command, env):
        env, results_file = self._env(env)
        started = time.monotonic()
        completed = subprocess.run(
            command, env=env, cwd=self.tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
        )
        results = []
        if os.path.exists(results_file):
            with open(results_file, encoding="utf-8") as handle:
                results = [json.loads(line) for line in handle if line.strip()]
        return Run(command, completed, results, time.monotonic() - started)

    def playbook(
        self,
        tasks=None,
        *,
        connection="inline",
        playbook=None,
        check=False,
        diff=False,
        verbosity=0,
        env=None,
        extra_args=(),
        ignore_errors=True,
        play_vars=None,
    ):
        """Run ``tasks`` in one play on localhost (or an existing ``playbook`` file).

        connection: "inline" adds the simulator's connection options to every task of the collection,
        "module_defaults" sets them once for group/hwcloud.modelarts.all, "env" passes them as HW_*
        environment variables, "none" gives nothing. Tasks of the collection get ignore_errors so that
        one run can check several failures.
        """
        env = dict(env or {})
        if playbook is None:
            play = {"name": "e2e", "hosts": "localhost", "gather_facts": False, "tasks": []}
            if play_vars:
                play["vars"] = play_vars
            if connection == "module_defaults":
                play["module_defaults"] = {"group/hwcloud.modelarts.all": self.connection()}
            elif connection == "env":
                env = dict(self.connection_env(), **env)
            for task in tasks:
                task = dict(task)
                action = next((k for k in task if k.startswith("hwcloud.modelarts.")), None)
                if action:
                    args = (
                        dict(self.connection(), **(task[action] or {}))
                        if connection == "inline"
                        else dict(task[action] or {})
                    )
                    # None removes an option, so a task can drop one of the connection options.
                    task[action] = {k: v for k, v in args.items() if v is not None}
                    if ignore_errors:
                        task.setdefault("ignore_errors", True)
                play["tasks"].append(task)
            playbook = os.path.join(self.tmp_path, "playbook-%d.yml" % (self._runs + 1))
            with open(playbook, "w", encoding="utf-8") as handle:
                yaml.safe_dump([play], handle, sort_keys=False)
        command = [os.path.join(BIN_DIR, "ansible-playbook"), "-i", self.inventory, playbook]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        command.extend(extra_args)
        return self._run(command, env)

    def adhoc(self, module, args, *, env=None, extra_args=()):
        """``ansible localhost -m module -a args``."""
        command = [
            os.path.join(BIN_DIR, "ansible"),
            "localhost",
            "-i",
            self.inventory,
            "-m",
            module,
            "-a",
            args,
        ] + list(extra_args)
        return self._run(command, env)


def module_task(title, /, **args):
    """A notebook_instance task named ``title``."""
    return {"name": title, MODULE: args}


def info_task(title, /, **args):
    """A notebook_instance_info task named ``title``."""
    return {"name": title, INFO: args}


# ---- what the simulator saw ------------------------------------------------------------------------------
def api_requests(sim, notebook_id=None, method=None):
    """Recorded API requests, optionally only those about one notebook or with one method."""
    return [
        r
        for r in sim.requests
        if (notebook_id is None or r.notebook_id == notebook_id) and (method is None or r.method == method)
    ]


def calls(sim, notebook_id=None):
    """(method, path tail) of each request, e.g. ("GET", ""), ("PUT", ""), ("POST", "/stop")."""
    prefix = "/v1/%s/notebooks" % sim.project_id
    out = []
    for r in api_requests(sim, notebook_id):
        tail = r.path[len(prefix) :]
        if r.notebook_id:
            tail = tail[len("/" + r.notebook_id) :]
        out.append((r.method, tail if r.notebook_id else "list" if tail in ("", "/") else tail))
    return out


def write_requests(sim, notebook_id=None):
    """Every PUT, start and stop received, applied or not."""
    return [r for r in api_requests(sim, notebook_id) if r.method in ("PUT", "POST", "DELETE")]
