# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The harness every family runs with: plays through ansible-playbook with each task's time and requests, bare
processes with their peak memory, the environment, and the private copy of the installed collection."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from .settings import BENCH_DIR, INSTALLED
from modelarts_simulator import DEFAULT_ACCESS_KEY, DEFAULT_AUTH_TOKEN, DEFAULT_SECRET_KEY


def clean_env():
    """This environment without cloud credentials, so only what a task states is used."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("HW_", "ANSIBLE_"))}


# Runs a script (or -c code) and writes its peak RSS (VmHWM, KiB) at exit. VmHWM starts afresh at exec, while a
# child's ru_maxrss also counts the memory of the parent it was forked from (this process, which holds the simulator).
HWM_WRAPPER = """
import atexit, os, runpy, sys
def report():
    with open("/proc/self/status") as status, open(os.environ["BENCH_HWM_FILE"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM")))
atexit.register(report)
if sys.argv[1] == "-c":
    code, sys.argv = sys.argv[2], ["-c"] + sys.argv[3:]
    exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})
else:
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
"""


def playbook_command(playbook):
    """ansible-playbook of this Python's environment on localhost, the modules run by this same Python."""
    return [
        os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
        "-i",
        "localhost,",
        "-c",
        "local",
        "-e",
        "ansible_python_interpreter=%s" % sys.executable,
        playbook,
    ]


def task(name, module, args):
    return {"name": name, module: args}


class Bench:
    """The simulator, a work directory, and the collection copied there; ``profile`` collects what the report
    shows beside the table (payload sizes, import times)."""

    def __init__(self, sim, workdir, collections):
        self.sim = sim
        self.workdir = workdir
        self.collections = collections
        self.modules = os.path.join(collections, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules")
        self.plays = 0
        self.profile = {}

    def connection(self, token=False):
        auth = (
            {"auth_token": DEFAULT_AUTH_TOKEN}
            if token
            else {"access_key": DEFAULT_ACCESS_KEY, "secret_key": DEFAULT_SECRET_KEY}
        )
        return dict(endpoint=self.sim.url, project_id=self.sim.project_id, **auth)

    def play(self, tasks, extra_env=None):
        """Run the tasks in one play; per task: name, seconds and the simulator's requests made during it."""
        self.plays += 1
        base = os.path.join(self.workdir, "play%02d" % self.plays)
        timings = base + ".jsonl"
        with open(base + ".yml", "w", encoding="utf-8") as handle:
            json.dump(
                [{"name": "benchmark", "hosts": "localhost", "gather_facts": False, "tasks": tasks}], handle, indent=1
            )
        env = clean_env()
        env.update(
            {
                "ANSIBLE_COLLECTIONS_PATH": self.collections,
                "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
                "ANSIBLE_CALLBACK_PLUGINS": os.path.join(BENCH_DIR, "callback_plugins"),
                "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
                "ANSIBLE_LIBRARY": os.path.join(BENCH_DIR, "library"),
                "ANSIBLE_LOCAL_TEMP": os.path.join(self.workdir, "local_tmp"),
                "ANSIBLE_REMOTE_TMP": os.path.join(self.workdir, "remote_tmp"),
                "ANSIBLE_NOCOLOR": "1",
                "BENCH_TIMINGS_FILE": timings,
            }
        )
        env.update(extra_env or {})
        self.sim.clear_requests()
        command = playbook_command(base + ".yml")
        with open(base + ".log", "w", encoding="utf-8") as log:
            code = subprocess.call(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
        with open(timings, encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle]
        failed = [r for r in records if r["outcome"] != "ok"]
        if code or failed or len(records) != len(tasks):
            raise RuntimeError("play %s failed (exit %s): %s; see %s.log" % (base, code, failed[:1], base))
        requests = self.sim.requests
        for record in records:
            record["requests"] = [r for r in requests if record["start"] <= r.time <= record["end"]]
        return records

    def process(self, argv, env=None):
        """Run one Python process under HWM_WRAPPER; (seconds, peak RSS in KiB, stdout)."""
        hwm_file = os.path.join(self.workdir, "hwm")
        env = dict(env or clean_env(), BENCH_HWM_FILE=hwm_file)
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            code = subprocess.call([argv[0], "-c", HWM_WRAPPER] + argv[1:], stdout=out, stderr=err, env=env)
            seconds = time.perf_counter() - start
            out.seek(0)
            err.seek(0)
            output, errors = out.read(), err.read()
        if code:
            raise RuntimeError("%s failed (%s): %s %s" % (argv, code, output[-500:], errors[-500:]))
        with open(hwm_file, encoding="utf-8") as handle:
            return seconds, int(handle.read()), output

    def module_process(self, path, args):
        """The module file run as a bare process with its arguments in a JSON file, as Ansible would hand them over."""
        self.plays += 1
        args_file = os.path.join(self.workdir, "args%03d.json" % self.plays)
        with open(args_file, "w", encoding="utf-8") as handle:
            json.dump({"ANSIBLE_MODULE_ARGS": args}, handle)
        env = clean_env()
        env["PYTHONPATH"] = self.collections
        return self.process([sys.executable, path, args_file], env)

    def ansible_env(self, extra=None):
        """The environment of an ansible-playbook or ansible-inventory run with the connection in HW_* variables."""
        env = clean_env()
        env.update(
            {
                "ANSIBLE_COLLECTIONS_PATH": self.collections,
                "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_LOCAL_TEMP": os.path.join(self.workdir, "local_tmp"),
                "ANSIBLE_REMOTE_TMP": os.path.join(self.workdir, "remote_tmp"),
                "ANSIBLE_ASYNC_DIR": os.path.join(self.workdir, "async"),
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
                "HW_MODELARTS_ENDPOINT": self.sim.url,
                "HW_PROJECT_ID": self.sim.project_id,
                "HW_ACCESS_KEY": DEFAULT_ACCESS_KEY,
                "HW_SECRET_KEY": DEFAULT_SECRET_KEY,
            }
        )
        env.update(extra or {})
        return env


def snapshot(workdir):
    """Copy the installed collection (make install) to workdir, where it is; retried while another job is
    reinstalling it (other jobs on the machine reinstall it while the benchmarks run)."""
    collections = os.path.join(workdir, "collections")
    modules = os.path.join(collections, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules")
    for dummy in range(30):
        shutil.rmtree(collections, ignore_errors=True)
        try:
            shutil.copytree(INSTALLED, collections)
        except (OSError, shutil.Error):
            pass
        if os.path.exists(
            os.path.join(collections, "ansible_collections", "hwcloud", "modelarts", "MANIFEST.json")
        ) and os.path.exists(os.path.join(modules, "notebook_instance_info.py")):
            return collections
        time.sleep(1)
    sys.exit("The collection is not installed in %s: run make install first" % INSTALLED)
