# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmarks of hwcloud.modelarts against the simulator on loopback (``make bench``).

Measures requests per task, task time against ``ansible.builtin.uri`` and against a module on the
official SDK, the overhead of waiting for transitions, scale, and a notebook's life (create, rerun,
restart, delete: requests and waiting). Alternatives are interleaved within
one play so that load from elsewhere on the machine hits all of them alike. Prints one table and
writes it to benchmarks/results.md, keeping that file's History section.

Iteration counts (environment): BENCH_ITERATIONS (tasks of each kind in the uri/SDK play, 30),
BENCH_BARE_ITERATIONS (bare processes of each kind, 15), BENCH_REPEATS (request-count and scale
repetitions, 5 and 3), BENCH_WAIT_REPEATS (3), BENCH_TRANSITIONS (seconds, "2,10"),
BENCH_SCALE (notebook counts, "10,100,1000,5000"), BENCH_FLEET_SIZE (20), BENCH_FLEET_REPEATS (2),
BENCH_FLEET_TRANSITION (seconds, 2), BENCH_INVENTORY_SCALE ("120,1000,5000"), BENCH_ONLY (comma-separated
step names: those steps alone).
"""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "benchmarks")
INSTALLED = os.path.join(ROOT, "build", "collections")
# Set by main() to a private copy of INSTALLED: other jobs on the machine reinstall it while we run.
COLLECTIONS = MODULES = None
SDK_MODULE = os.path.join(BENCH_DIR, "library", "modelarts_sdk_notebook.py")
RESULTS = os.path.join(BENCH_DIR, "results.md")
PAGE_SIZE = 50

sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
from modelarts_simulator import (  # noqa: E402  pylint: disable=wrong-import-position
    DEFAULT_ACCESS_KEY,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_SECRET_KEY,
    Simulator,
)


def env_int(name, default):
    return int(os.environ.get(name) or default)


def env_numbers(name, default, kind):
    return [kind(x) for x in (os.environ.get(name) or default).split(",") if x.strip()]


ITERATIONS = env_int("BENCH_ITERATIONS", 30)
BARE_ITERATIONS = env_int("BENCH_BARE_ITERATIONS", 15)
REPEATS = env_int("BENCH_REPEATS", 5)
SCALE_REPEATS = env_int("BENCH_SCALE_REPEATS", 3)
WAIT_REPEATS = env_int("BENCH_WAIT_REPEATS", 3)
TRANSITIONS = env_numbers("BENCH_TRANSITIONS", "2,10", float)
SCALE = env_numbers("BENCH_SCALE", "10,100,1000,5000", int)
FLEET_SIZE = env_int("BENCH_FLEET_SIZE", 20)
FLEET_REPEATS = env_int("BENCH_FLEET_REPEATS", 2)
FLEET_TRANSITION = float(os.environ.get("BENCH_FLEET_TRANSITION") or 2)
INVENTORY_SCALE = env_numbers("BENCH_INVENTORY_SCALE", "120,1000,5000", int)


# ---- statistics and formatting ------------------------------------------------------------------
def summary(values):
    values = sorted(values)
    quartiles = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    return {
        "median": statistics.median(values),
        "min": values[0],
        "max": values[-1],
        "q1": quartiles[0],
        "q3": quartiles[2],
        "n": len(values),
    }


def secs(value):
    return "%.3f s" % value


def spread(stats, fmt=secs, iqr=False):
    if iqr:
        return "IQR %s – %s (n=%d)" % (fmt(stats["q1"]), fmt(stats["q3"]), stats["n"])
    return "%s – %s (n=%d)" % (fmt(stats["min"]), fmt(stats["max"]), stats["n"])


# ---- running tasks and processes ----------------------------------------------------------------
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


class Bench:
    def __init__(self, sim, workdir):
        self.sim = sim
        self.workdir = workdir
        self.plays = 0

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
                "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
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
        env["PYTHONPATH"] = COLLECTIONS
        return self.process([sys.executable, path, args_file], env)


def sequence(requests):
    """The requests in order, runs of the same call shortened: "GET, POST stop, GET ×3"."""
    calls = [q.method + (" " + q.path.rsplit("/", 1)[-1] if q.method == "POST" else "") for q in requests]
    runs = []
    for call in calls:
        if runs and runs[-1][0] == call:
            runs[-1][1] += 1
        else:
            runs.append([call, 1])
    return ", ".join(call if count == 1 else "%s ×%d" % (call, count) for call, count in runs)


def task(name, module, args):
    return {"name": name, module: args}


# ---- the measurements ---------------------------------------------------------------------------
def requests_per_task(bench, rows):
    """1. Requests per task: matching by id and by name, updates of a stopped and of a running instance, info over 1,000."""
    sim = bench.sim
    sim.reset()
    by_id = sim.add_notebook(name="req-by-id", status="RUNNING", description="same")
    sim.add_notebook(name="req-by-name", status="RUNNING", description="same")
    stopped = sim.add_notebook(name="req-stopped", status="STOPPED")
    running = sim.add_notebook(name="req-running", status="RUNNING")
    sim.bulk_add(1000 - 4, prefix="bulk-")
    conn = bench.connection()
    kinds = [
        ("id", "already matching, by id", 1, "GET"),
        ("name", "already matching, by name", 1, "GET (list)"),
        ("stopped", "update of a STOPPED instance", 2, "GET, PUT"),
        ("restart", "update of a RUNNING one, allow_restart", 6, "GET, stop, GET, PUT, start, GET"),
        ("info", "notebook_instance_info, 1,000 notebooks", math.ceil(1000 / PAGE_SIZE), "ceil(N/50) GET (list)"),
    ]
    tasks = []
    for i in range(REPEATS):
        tasks += [
            task("id %d" % i, "hwcloud.modelarts.notebook_instance", dict(conn, id=by_id["id"], description="same")),
            task(
                "name %d" % i, "hwcloud.modelarts.notebook_instance", dict(conn, name="req-by-name", description="same")
            ),
            task(
                "stopped %d" % i,
                "hwcloud.modelarts.notebook_instance",
                dict(conn, id=stopped["id"], description="rev %d" % i),
            ),
            task(
                "restart %d" % i,
                "hwcloud.modelarts.notebook_instance",
                dict(conn, id=running["id"], description="rev %d" % i, allow_restart=True),
            ),
            task("info %d" % i, "hwcloud.modelarts.notebook_instance_info", conn),
        ]
    records = bench.play(tasks)
    for key, label, floor, floor_text in kinds:
        mine = [r for r in records if r["task"].split()[0] == key]
        counts = summary([len(r["requests"]) for r in mine])
        methods = sequence(mine[-1]["requests"])
        verdict = "at floor" if counts["max"] <= floor else "above floor by %d" % (counts["max"] - floor)
        rows.append(
            (
                "1 requests",
                label,
                "%d" % counts["median"],
                "%d – %d; last: %s" % (counts["min"], counts["max"], methods),
                "floor %d (%s)" % (floor, floor_text),
                verdict,
            )
        )


def alternatives(bench, rows, profile):
    """2 and 3 as Ansible tasks: notebook_instance against uri (IAM token) and against the SDK module (AK/SK), interleaved."""
    sim = bench.sim
    sim.reset()
    nb = sim.add_notebook(name="alt", status="RUNNING", description="same")
    token, aksk = bench.connection(token=True), bench.connection()
    kinds = {
        "module-token": ("hwcloud.modelarts.notebook_instance", dict(token, id=nb["id"], description="same")),
        "uri-token": (
            "ansible.builtin.uri",
            {
                "url": "%s/v1/%s/notebooks/%s" % (sim.url, sim.project_id, nb["id"]),
                "headers": {"X-Auth-Token": DEFAULT_AUTH_TOKEN},
            },
        ),
        "module-aksk": ("hwcloud.modelarts.notebook_instance", dict(aksk, id=nb["id"], description="same")),
        "sdk-aksk": ("modelarts_sdk_notebook", dict(aksk, id=nb["id"], description="same")),
    }
    order = list(kinds)
    tasks = []
    for i in range(ITERATIONS):
        for key in order[i % 4 :] + order[: i % 4]:  # rotate, so no kind always runs first
            tasks.append(task("%s %d" % (key, i), *kinds[key]))
    records = bench.play(tasks)
    times = {key: {} for key in kinds}
    for record in records:
        key, i = record["task"].split()
        times[key][int(i)] = record["seconds"]
        if len(record["requests"]) != 1:
            raise RuntimeError("%s made %d requests" % (record["task"], len(record["requests"])))
    stats = {key: summary(list(values.values())) for key, values in times.items()}
    for key, label in (
        ("module-token", "notebook_instance task, IAM token"),
        ("uri-token", "ansible.builtin.uri task, IAM token"),
        ("module-aksk", "notebook_instance task, AK/SK"),
        ("sdk-aksk", "SDK module task, AK/SK"),
    ):
        rows.append(("2/3 task time", label, secs(stats[key]["median"]), spread(stats[key]), "", ""))
    for mine, other, label, target, item in (
        ("module-token", "uri-token", "notebook_instance / uri", 1.10, "2 ratio"),
        ("module-aksk", "sdk-aksk", "notebook_instance / SDK module (Ansible tasks)", 0.6, "3 ratio"),
    ):
        ratios = summary([times[mine][i] / times[other][i] for i in range(ITERATIONS)])
        rows.append(
            (
                item,
                label + ", paired per iteration",
                "%.2f" % ratios["median"],
                spread(ratios, "{:.2f}".format, iqr=True),
                "<= %.2f" % target,
                "met" if ratios["median"] <= target else "MISSED",
            )
        )
    profile["payload"] = payload_sizes(bench, [task("payload " + key, *kinds[key]) for key in order])
    bare_processes(bench, rows, nb, aksk, profile)


def payload_sizes(bench, tasks):
    """AnsiballZ payload size of each task's module, from the files Ansible keeps when asked to."""
    remote = os.path.join(bench.workdir, "kept_tmp")
    bench.play(tasks, {"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": remote})
    sizes = {}
    for folder, dummy, files in os.walk(remote):
        for name in files:
            match = re.match(r"AnsiballZ_(\w+)\.py$", name)
            if match:
                sizes[match.group(1)] = os.path.getsize(os.path.join(folder, name))
    return sizes


def bare_processes(bench, rows, nb, aksk, profile):
    """3 as bare processes: the module files run directly, and their imports alone, interleaved."""
    ours = os.path.join(MODULES, "notebook_instance.py")
    env = dict(clean_env(), PYTHONPATH=COLLECTIONS)
    imports = {
        "import-module": "import ansible_collections.hwcloud.modelarts.plugins.modules.notebook_instance",
        "import-sdk": "import ansible.module_utils.basic; import huaweicloudsdkcore.auth.credentials; import huaweicloudsdkmodelarts.v1",
        "import-python": "pass",
    }
    args = dict(aksk, id=nb["id"], description="same")
    samples = {key: [] for key in ("module", "sdk", *imports)}
    rss = {key: [] for key in samples}
    for dummy in range(BARE_ITERATIONS):
        for key, path in (("module", ours), ("sdk", SDK_MODULE)):
            seconds, maxrss, dummy = bench.module_process(path, args)
            samples[key].append(seconds)
            rss[key].append(maxrss)
        for key, code in imports.items():
            seconds, maxrss, dummy = bench.process([sys.executable, "-c", code], env)
            samples[key].append(seconds)
            rss[key].append(maxrss)
    stats = {key: summary(values) for key, values in samples.items()}
    for key, label in (
        ("module", "notebook_instance.py, bare process"),
        ("sdk", "SDK module, bare process"),
        ("import-module", "imports only: notebook_instance"),
        ("import-sdk", "imports only: SDK module"),
        ("import-python", "python startup alone"),
    ):
        rows.append(
            (
                "3 process",
                label,
                secs(stats[key]["median"]),
                spread(stats[key]),
                "peak RSS %.1f MiB" % (statistics.median(rss[key]) / 1024),
                "",
            )
        )
    ratios = summary([a / b for a, b in zip(samples["module"], samples["sdk"])])
    rows.append(
        (
            "3 ratio",
            "notebook_instance / SDK module (bare processes), paired",
            "%.2f" % ratios["median"],
            spread(ratios, "{:.2f}".format, iqr=True),
            "<= 0.60",
            "met" if ratios["median"] <= 0.6 else "MISSED",
        )
    )
    profile["imports"] = {key: stats[key]["median"] for key in imports}


def waiting(bench, rows):
    """4. Stop, update, start with allow_restart: task time minus the two transitions the simulator takes."""
    sim = bench.sim
    sim.reset()
    conn = bench.connection()
    transitions = [0.0] + TRANSITIONS
    notebooks = {t: sim.add_notebook(name="wait-%g" % t, status="RUNNING", transition_seconds=t) for t in transitions}
    tasks = []
    for i in range(WAIT_REPEATS):
        for t in transitions:
            tasks.append(
                task(
                    "%g %d" % (t, i),
                    "hwcloud.modelarts.notebook_instance",
                    dict(conn, id=notebooks[t]["id"], description="rev %d" % i, allow_restart=True),
                )
            )
    records = bench.play(tasks)
    for t in transitions:
        mine = [r for r in records if r["task"].split()[0] == "%g" % t]
        overhead = summary([r["seconds"] - 2 * t for r in mine])
        polls = summary([len(r["requests"]) for r in mine])
        parts = [wait_parts(r, t) for r in mine]
        target = 1 + 0.1 * 2 * t
        label = "stop+update+start, 2 × %g s transitions (task %s)" % (
            t,
            secs(statistics.median(r["seconds"] for r in mine)),
        )
        detail = "; %d requests; of it: before 1st request %s, polls past the ends %s, after last request %s" % (
            polls["median"],
            *(secs(statistics.median(p[i] for p in parts)) for i in range(3)),
        )
        rows.append(
            (
                "4 waiting",
                label,
                "+%s" % secs(overhead["median"]),
                spread(overhead) + detail,
                "<= %s" % secs(target) if t else "(reference)",
                ("met" if overhead["median"] <= target else "MISSED") if t else "",
            )
        )


def wait_parts(record, transition):
    """Where a waiting task's time goes: (task start to first request, polls past each transition's end, last request to task end)."""
    requests = record["requests"]
    late = 0.0
    for action, status in (("stop", "STOPPED"), ("start", "RUNNING")):
        sent = next((q.time for q in requests if q.method == "POST" and q.path.endswith("/" + action)), None)
        seen = next(
            (
                q.time
                for q in requests
                if sent is not None
                and q.time > sent
                and q.method == "GET"
                and isinstance(q.response, dict)
                and q.response.get("status") == status
            ),
            None,
        )
        if sent is not None and seen is not None:
            late += seen - sent - transition
    return requests[0].time - record["start"], late, record["end"] - requests[-1].time


# The same pages fetched by a plain script: what the simulator and HTTP cost, without the module.
RAW_PAGING = """
import sys, requests
url, project, token = sys.argv[1:]
session, offset = requests.Session(), 0
while True:
    page = session.get("%s/v1/%s/notebooks" % (url, project), params={"limit": 50, "offset": offset}, headers={"X-Auth-Token": token}).json()
    offset += len(page["data"])
    if len(page["data"]) < 50 or offset >= page["total"]:
        break
"""


def scale(bench, rows):
    """5. notebook_instance_info and name lookup over N notebooks, all matching the name filter: time, requests, memory."""
    sim = bench.sim
    conn = bench.connection()
    fit = {"info": [], "name": []}
    for count in SCALE:
        sim.reset()
        sim.add_notebook(name="scale", status="RUNNING", description="same")
        if count > 1:
            sim.bulk_add(count - 1, prefix="scale-")  # every name contains "scale": the fuzzy filter pages through all
        pages = math.ceil(count / PAGE_SIZE)
        kinds = {
            "info": ("notebook_instance_info", conn),
            "name": ("notebook_instance", dict(conn, name="scale", description="same")),
        }
        tasks = [
            task("%s %d" % (key, i), "hwcloud.modelarts." + module, args)
            for i in range(SCALE_REPEATS)
            for key, (module, args) in kinds.items()
        ]
        records = bench.play(tasks)
        raw = summary(
            [
                bench.process([sys.executable, "-c", RAW_PAGING, sim.url, sim.project_id, DEFAULT_AUTH_TOKEN])[0]
                for dummy in range(SCALE_REPEATS)
            ]
        )
        rows.append(
            (
                "5 scale",
                "raw paging process (requests, no Ansible), N=%d" % count,
                "process %s" % secs(raw["median"]),
                spread(raw),
                "the simulator's and HTTP's share",
                "",
            )
        )
        for key, (module, args) in kinds.items():
            mine = [r for r in records if r["task"].split()[0] == key]
            made = summary([len(r["requests"]) for r in mine])
            bare = [bench.module_process(os.path.join(MODULES, module + ".py"), args) for dummy in range(SCALE_REPEATS)]
            bare_time = summary([b[0] for b in bare])
            rss = statistics.median(b[1] for b in bare) / 1024
            fit[key].append((pages, bare_time["median"] - raw["median"], rss))
            label = "%s, N=%d" % ("notebook_instance_info" if key == "info" else "name lookup", count)
            rows.append(
                (
                    "5 scale",
                    label,
                    "task %s; process %s"
                    % (secs(statistics.median(r["seconds"] for r in mine)), secs(bare_time["median"])),
                    "process %s; peak RSS %.1f MiB" % (spread(bare_time), rss),
                    "requests %d (ceil(N/50) = %d)" % (made["max"], pages),
                    "met" if made["max"] == pages else "MISSED",
                )
            )
    for key, label in (("info", "notebook_instance_info"), ("name", "name lookup")):
        # Linear in pages: each added page costs about the same, so the marginal cost of the last stretch is
        # compared with the one before (a fit's r² hides a quadratic term over so few points). The module's own
        # share is used: the simulator filters and sorts every notebook for each page, which is not linear.
        points = [p for p in fit[key] if p[0] >= 2]
        if len(points) < 3:
            continue
        (p0, t0, m0), (p1, t1, m1), (p2, t2, m2) = points[-3:]
        before, last = (t1 - t0) / (p1 - p0), (t2 - t1) / (p2 - p1)
        linear = last <= 1.5 * before + 0.005  # 5 ms/page of slack: both are small and noisy
        rows.append(
            (
                "5 growth",
                "%s: module's own time (process − raw paging) per added page, %d→%d then %d→%d pages"
                % (label, p0, p1, p1, p2),
                "%.0f → %.0f ms/page" % (before * 1000, last * 1000),
                "peak RSS %.2f → %.2f MiB/page" % ((m1 - m0) / (p1 - p0), (m2 - m1) / (p2 - p1)),
                "linear in pages (last <= 1.5 × before)",
                "linear" if linear else "NOT linear",
            )
        )


# ---- the life of a notebook: create, rerun, restart, delete ---------------------------------------------
# What a new notebook is created with: every create-time option that costs a call of its own (tags) or goes in the body (auto_stop).
LIFECYCLE_FLAVOR, LIFECYCLE_IMAGE = "modelarts.vm.cpu.8u", "e1a07296-22a8-4f05-8bc8-e936c8e54202"
LIFECYCLE_TAGS = {"team": "bench", "cost-center": "4711"}
LIFECYCLE_AUTO_STOP = {"enabled": True, "hours": 8, "type": "IDLE"}


def call(request):
    """One request as the lifecycle rows name it: "GET (list)", "POST (create)", "POST tags", "DELETE", "GET (gone)"..."""
    path = request.path.split("?", 1)[0].rstrip("/")
    if path.endswith("/notebooks"):
        return "GET (list)" if request.method == "GET" else "POST (create)"
    if path.endswith("/tags/create") or path.endswith("/tags/delete"):
        return "%s tags" % request.method
    if request.method == "POST":
        return "POST " + path.rsplit("/", 1)[-1]
    if request.method == "GET" and (request.status or 200) >= 400:
        return "GET (gone)"
    return request.method


def calls(requests):
    """The calls in order, runs of the same call shortened: "GET (list), POST (create), GET ×3"."""
    runs = []
    for name in (call(q) for q in requests):
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return ", ".join(name if count == 1 else "%s ×%d" % (name, count) for name, count in runs)


def creating(conn, name, tags=True):
    args = dict(
        conn,
        name=name,
        flavor=LIFECYCLE_FLAVOR,
        image_id=LIFECYCLE_IMAGE,
        description="lifecycle",
        auto_stop=LIFECYCLE_AUTO_STOP,
    )
    if tags:
        args["tags"] = LIFECYCLE_TAGS
    return args


def lifecycle_requests(bench, rows):
    """Lifecycle requests: in shape with tags and auto_stop, create by name and its rerun, delete and its rerun."""
    sim = bench.sim
    sim.reset()
    conn = bench.connection()
    lease = {"enable": True, "duration": LIFECYCLE_AUTO_STOP["hours"] * 3600000, "type": LIFECYCLE_AUTO_STOP["type"]}
    shaped = sim.add_notebook(
        name="lc-shaped",
        status="RUNNING",
        description="same",
        lease=lease,
        tags=[{"key": k, "value": v} for k, v in LIFECYCLE_TAGS.items()],
    )
    in_shape = dict(conn, description="same", tags=LIFECYCLE_TAGS, auto_stop=LIFECYCLE_AUTO_STOP)
    module = "hwcloud.modelarts.notebook_instance"
    # (key, label, floor, the floor's calls, writes allowed): the polls of a create or delete are one at 0 s transitions.
    kinds = [
        ("shape-id", "in shape with tags and auto_stop, by id", 1, "GET", False),
        ("shape-name", "in shape with tags and auto_stop, by name", 1, "GET (list)", False),
        (
            "create-tags",
            "create by name, with tags and auto_stop",
            4,
            "GET (list), POST (create), POST tags, 1 poll",
            True,
        ),
        ("rerun-tags", "its rerun", 1, "GET (list), no write", False),
        ("create-plain", "create by name, auto_stop without tags", 3, "GET (list), POST (create), 1 poll", True),
        ("rerun-plain", "its rerun", 1, "GET (list), no write", False),
        ("delete-name", "delete by name", 3, "GET (list), DELETE, 1 poll", True),
        ("gone-name", "its rerun (nothing to delete)", 1, "GET (list), no write", False),
        ("delete-id", "delete by id", 3, "GET, DELETE, 1 poll", True),
        ("gone-id", "its rerun (nothing to delete)", 1, "GET, no write", False),
    ]
    tasks = []
    for i in range(REPEATS):
        tagged, plain = "lc-tagged-%d" % i, "lc-plain-%d" % i
        tasks += [
            task("shape-id %d" % i, module, dict(in_shape, id=shaped["id"])),
            task("shape-name %d" % i, module, dict(in_shape, name="lc-shaped")),
            task("create-tags %d" % i, module, creating(conn, tagged)),
            task("rerun-tags %d" % i, module, creating(conn, tagged)),
            dict(task("create-plain %d" % i, module, creating(conn, plain, tags=False)), register="plain_%d" % i),
            task("rerun-plain %d" % i, module, creating(conn, plain, tags=False)),
            task("delete-name %d" % i, module, dict(conn, name=tagged, state="absent")),
            task("gone-name %d" % i, module, dict(conn, name=tagged, state="absent")),
            task("delete-id %d" % i, module, dict(conn, id="{{ plain_%d.notebook.id }}" % i, state="absent")),
            task("gone-id %d" % i, module, dict(conn, id="{{ plain_%d.notebook.id }}" % i, state="absent")),
        ]
    records = bench.play(tasks)
    for key, label, floor, floor_text, writes in kinds:
        mine = [r for r in records if r["task"].split()[0] == key]
        counts = summary([len(r["requests"]) for r in mine])
        wrote = [r for r in mine if any(q.method != "GET" for q in r["requests"])]
        verdict = "at floor" if counts["max"] <= floor else "above floor by %d" % (counts["max"] - floor)
        if wrote and not writes:
            verdict = "MISSED: %d of %d wrote" % (len(wrote), len(mine))
        rows.append(
            (
                "lifecycle requests",
                label,
                "%d" % counts["median"],
                "%d – %d; last: %s" % (counts["min"], counts["max"], calls(mine[-1]["requests"])),
                "floor %d (%s)" % (floor, floor_text),
                verdict,
            )
        )


def lifecycle_waiting(bench, rows):
    """Lifecycle waiting: create, restart and delete of one notebook; task time less the simulator's transitions."""
    sim = bench.sim
    conn = bench.connection()
    module = "hwcloud.modelarts.notebook_instance"
    try:
        for t in [0.0] + TRANSITIONS:
            sim.reset()
            sim.transition_seconds = t  # an instance the API creates takes the simulator's own transition time
            # The first task of a play also pays for loading the collection: a lookup that finds nothing takes that, unmeasured.
            tasks = [task("warm-up 0", module, dict(conn, name="lc-warm-up", state="absent"))]
            for i in range(WAIT_REPEATS):
                name = "lc-wait-%d" % i
                tasks += [
                    dict(task("create %d" % i, module, creating(conn, name)), register="nb_%d" % i),
                    task("rerun %d" % i, module, creating(conn, name)),  # one lookup: what any task costs now
                    task(
                        "restart %d" % i,
                        module,
                        dict(conn, id="{{ nb_%d.notebook.id }}" % i, description="rev %d" % i, allow_restart=True),
                    ),
                    task("delete %d" % i, module, dict(conn, name=name, state="absent")),
                ]
            records = bench.play(tasks)
            lifecycle_rows(rows, records, t)
    finally:
        sim.transition_seconds = 0.0


def lifecycle_rows(rows, records, t):
    transitions = {"create": 1, "restart": 2, "delete": 1}
    overhead = {key: {} for key in transitions}
    lookup = {int(r["task"].split()[1]): r["seconds"] for r in records if r["task"].split()[0] == "rerun"}
    records = [r for r in records if r["task"].split()[0] in transitions]
    for record in records:
        key, i = record["task"].split()
        overhead[key][int(i)] = record["seconds"] - transitions[key] * t
    for key, label in (
        ("create", "create by name, with tags and auto_stop"),
        ("delete", "delete by name"),
        ("restart", "stop+update+start of the same notebook"),
    ):
        mine = [r for r in records if r["task"].split()[0] == key]
        stats = summary(list(overhead[key].values()))
        parts = [lifecycle_parts(r, t) for r in mine]
        target = 1 + 0.1 * transitions[key] * t
        beyond = statistics.median(overhead[key][i] - lookup[i] for i in overhead[key])
        detail = (
            "; %s requests (last: %s); of it: before 1st request %s, polls past the ends %s, after last request %s; "
            "beyond a lookup-only task (the create's rerun, %s), paired: %+.3f s"
        ) % (
            "%d – %d" % (min(len(r["requests"]) for r in mine), max(len(r["requests"]) for r in mine)),
            calls(mine[-1]["requests"]),
            *(secs(statistics.median(p[i] for p in parts)) for i in range(3)),
            secs(statistics.median(lookup.values())),
            beyond,
        )
        count = "2 × %g s transitions" % t if transitions[key] == 2 else "%g s transition" % t
        name = "%s, %s (task %s)" % (label, count, secs(statistics.median(r["seconds"] for r in mine)))
        rows.append(
            (
                "lifecycle waiting",
                name,
                "+%s" % secs(stats["median"]),
                spread(stats) + detail,
                "<= %s" % secs(target) if t else "(reference)",
                ("met" if stats["median"] <= target else "MISSED") if t else "",
            )
        )
    for key in ("create", "delete"):
        ratios = summary(
            [overhead[key][i] / overhead["restart"][i] for i in overhead[key] if overhead["restart"][i] > 0]
        )
        rows.append(
            (
                "lifecycle ratio",
                "%s overhead / stop+update+start overhead, %g s, paired" % (key, t),
                "%.2f" % ratios["median"],
                spread(ratios, "{:.2f}".format),
                "one transition against two",
                "",
            )
        )


def lifecycle_parts(record, transition):
    """Where a create's, restart's or delete's time goes: (task start to first request, polls past each transition's end,
    last request to task end). A transition ends `transition` seconds after the write that began it."""
    requests = record["requests"]
    late = 0.0
    ends = (
        ("POST (create)", lambda q: isinstance(q.response, dict) and q.response.get("status") == "RUNNING"),
        ("POST stop", lambda q: isinstance(q.response, dict) and q.response.get("status") == "STOPPED"),
        ("POST start", lambda q: isinstance(q.response, dict) and q.response.get("status") == "RUNNING"),
        ("DELETE", lambda q: (q.status or 200) >= 400),
    )
    for write, ended in ends:
        sent = next((q.time for q in requests if call(q) == write), None)
        seen = next(
            (
                q.time
                for q in requests
                if sent is not None and q.time > sent and q.method == "GET" and call(q) != "GET (list)" and ended(q)
            ),
            None,
        )
        if sent is not None and seen is not None:
            late += seen - sent - transition
    return requests[0].time - record["start"], late, record["end"] - requests[-1].time


# ---- fleets: the role over many notebooks, the inventory plugin ----------------------------------
def ansible_env(bench, extra=None):
    env = clean_env()
    env.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCAL_TEMP": os.path.join(bench.workdir, "local_tmp"),
            "ANSIBLE_REMOTE_TMP": os.path.join(bench.workdir, "remote_tmp"),
            "ANSIBLE_ASYNC_DIR": os.path.join(bench.workdir, "async"),
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "HW_MODELARTS_ENDPOINT": bench.sim.url,
            "HW_PROJECT_ID": bench.sim.project_id,
            "HW_ACCESS_KEY": DEFAULT_ACCESS_KEY,
            "HW_SECRET_KEY": DEFAULT_SECRET_KEY,
        }
    )
    env.update(extra or {})
    return env


def fleet_play(bench, ids, description, role):
    """One ansible-playbook run over these notebooks (each needs stop, update, start); its wall time.

    ``role`` True: the role. False: the alternative a playbook can write itself, and the role's own way before
    1.1.0: one async job of notebook_instance per definition, read back with async_status, in batches of 10.
    """
    bench.plays += 1
    base = os.path.join(bench.workdir, "fleet%02d" % bench.plays)
    definitions = [{"id": nb_id, "description": description} for nb_id in ids]
    play = {"name": "fleet", "hosts": "localhost", "gather_facts": False}
    if role:
        play["roles"] = [
            {
                "role": "hwcloud.modelarts.notebooks",
                "vars": {"modelarts_notebooks": definitions, "modelarts_allow_restart": True},
            }
        ]
    else:
        batch = [
            {
                "name": "Start one job per definition",
                "hwcloud.modelarts.notebook_instance": {
                    "id": "{{ item.id }}",
                    "description": "{{ item.description }}",
                    "allow_restart": True,
                },
                "loop": "{{ fleet_batch }}",
                "async": 3600,
                "poll": 0,
                "register": "fleet_started",
            },
            {
                "name": "Wait for each job",
                "ansible.builtin.async_status": {"jid": "{{ item.ansible_job_id }}"},
                "loop": "{{ fleet_started.results }}",
                "register": "fleet_done",
                "until": "fleet_done.finished",
                "retries": 3600,
                "delay": 1,
            },
        ]
        with open(base + "-batch.yml", "w", encoding="utf-8") as handle:
            json.dump(batch, handle, indent=1)
        play["vars"] = {"fleet_definitions": definitions}
        play["tasks"] = [
            {
                "name": "Batches of 10",
                "ansible.builtin.include_tasks": base + "-batch.yml",
                "loop": "{{ fleet_definitions | batch(10) | list }}",
                "loop_control": {"loop_var": "fleet_batch"},
            }
        ]
    with open(base + ".yml", "w", encoding="utf-8") as handle:
        json.dump([play], handle, indent=1)
    command = playbook_command(base + ".yml")
    bench.sim.clear_requests()
    with open(base + ".log", "w", encoding="utf-8") as log:
        start = time.perf_counter()
        code = subprocess.call(command, env=ansible_env(bench), stdout=log, stderr=subprocess.STDOUT, cwd=bench.workdir)
        seconds = time.perf_counter() - start
    if code:
        raise RuntimeError("the fleet play failed (exit %s); see %s.log" % (code, base))
    requests = bench.sim.requests
    spans = []
    for nb_id in ids:
        times = [r.time for r in requests if r.notebook_id == nb_id]
        spans.append((min(times), max(times)))
    return seconds, len(requests), overlap(spans)


def overlap(spans):
    """The largest number of notebooks in progress (between their first and last request) at one moment."""
    current = peak = 0
    for dummy, step in sorted([(a, 1) for a, dummy in spans] + [(b, -1) for dummy, b in spans]):
        current += step
        peak = max(peak, current)
    return peak


def role_fleet(bench, rows):
    """6. The role over N notebooks that each need stop, update and start, against the same role over 1 and
    against async jobs per definition, in the same run."""
    sim = bench.sim
    sim.reset()
    sim.transition_seconds = FLEET_TRANSITION
    ids = sim.bulk_add(FLEET_SIZE + 1, prefix="fleet-", status="RUNNING")
    single, fleet, jobs = [], [], []
    try:
        for repeat in range(FLEET_REPEATS):
            # Alternated, so that load from elsewhere hits all alike; a new description each time forces the restart.
            single.append(fleet_play(bench, ids[-1:], "single %d" % repeat, role=True))
            fleet.append(fleet_play(bench, ids[:FLEET_SIZE], "fleet %d" % repeat, role=True))
            jobs.append(fleet_play(bench, ids[:FLEET_SIZE], "jobs %d" % repeat, role=False))
    finally:
        sim.transition_seconds = 0
    one, many, async_jobs = (summary([r[0] for r in runs]) for runs in (single, fleet, jobs))
    ratio = many["median"] / one["median"]

    def in_progress(runs):
        return max(r[2] for r in runs)

    rows.append(
        (
            "6 role fleet",
            "role over 1 notebook (stop, update, start; %g s transitions)" % FLEET_TRANSITION,
            secs(one["median"]),
            "%s; %d requests" % (spread(one), single[-1][1]),
            "",
            "",
        )
    )
    rows.append(
        (
            "6 role fleet",
            "role over %d notebooks, modelarts_concurrency 10" % FLEET_SIZE,
            secs(many["median"]),
            "%s; %d requests; at most %d notebooks in progress at once"
            % (spread(many), fleet[-1][1], in_progress(fleet)),
            "in a row: about %s (%d × 1)" % (secs(FLEET_SIZE * one["median"]), FLEET_SIZE),
            "",
        )
    )
    rows.append(
        (
            "6 role fleet",
            "alternative: async job of notebook_instance per definition + async_status, batches of 10 (the role "
            "before 1.1.0)",
            secs(async_jobs["median"]),
            "%s; %d requests; at most %d notebooks in progress at once"
            % (spread(async_jobs), jobs[-1][1], in_progress(jobs)),
            "",
            "",
        )
    )
    rows.append(
        (
            "6 ratio",
            "role over %d / role over 1, medians of the same run" % FLEET_SIZE,
            "%.2f" % ratio,
            "per repeat: %s" % ", ".join("%.2f" % (f[0] / s[0]) for s, f in zip(single, fleet)),
            "<= 3.00",
            "met" if ratio <= 3 else "MISSED",
        )
    )
    rows.append(
        (
            "6 ratio",
            "role over %d / async jobs over %d, medians of the same run" % (FLEET_SIZE, FLEET_SIZE),
            "%.2f" % (many["median"] / async_jobs["median"]),
            "async jobs over %d / role over 1: %.2f" % (FLEET_SIZE, async_jobs["median"] / one["median"]),
            "",
            "",
        )
    )


def inventory_scale(bench, rows):
    """7. ansible-inventory --list over the inventory plugin: requests, time and peak memory; a cached run."""
    sim = bench.sim
    inventory = os.path.join(bench.workdir, "bench.modelarts.yml")
    cached = os.path.join(bench.workdir, "cached.modelarts.yml")
    cache_dir = os.path.join(bench.workdir, "inventory-cache")
    with open(inventory, "w", encoding="utf-8") as handle:
        handle.write(
            "plugin: hwcloud.modelarts.notebooks\nkeyed_groups:\n  - key: modelarts_status | lower\n    prefix: status\n"
        )
    with open(cached, "w", encoding="utf-8") as handle:
        handle.write(
            "plugin: hwcloud.modelarts.notebooks\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
            "cache_connection: %s\ncache_timeout: 3600\n" % cache_dir
        )
    program = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
    env = ansible_env(bench)
    for count in INVENTORY_SCALE:
        sim.reset()
        sim.bulk_add(count, prefix="inv-")
        pages = math.ceil(count / PAGE_SIZE)
        runs = []
        for dummy in range(SCALE_REPEATS):
            sim.clear_requests()
            seconds, rss, output = bench.process([sys.executable, program, "-i", inventory, "--list"], env)
            hosts = len(json.loads(output)["_meta"]["hostvars"])
            runs.append((seconds, rss, len(sim.requests), hosts))
        made = max(r[2] for r in runs)
        listed = {r[3] for r in runs}
        timing = summary([r[0] for r in runs])
        rows.append(
            (
                "7 inventory",
                "ansible-inventory --list, N=%d" % count,
                secs(timing["median"]),
                "%s; peak RSS %.1f MiB; %s hosts"
                % (
                    spread(timing),
                    statistics.median(r[1] for r in runs) / 1024,
                    ", ".join(str(h) for h in sorted(listed)),
                ),
                "requests %d (ceil(N/50) = %d)" % (made, pages),
                "met" if made == pages and listed == {count} else "MISSED",
            )
        )
        shutil.rmtree(cache_dir, ignore_errors=True)
        sim.clear_requests()
        fill, dummy, dummy = bench.process([sys.executable, program, "-i", cached, "--list"], env)
        filled = len(sim.requests)
        sim.clear_requests()
        again = [
            bench.process([sys.executable, program, "-i", cached, "--list"], env) for dummy in range(SCALE_REPEATS)
        ]
        made = len(sim.requests)
        timing = summary([a[0] for a in again])
        rows.append(
            (
                "7 inventory",
                "cached run (cache: true, jsonfile), N=%d" % count,
                secs(timing["median"]),
                "%s; peak RSS %.1f MiB; the run filling the cache: %s, %d requests"
                % (spread(timing), statistics.median(a[1] for a in again) / 1024, secs(fill), filled),
                "requests 0",
                "met" if made == 0 else "MISSED (%d)" % made,
            )
        )


# ---- the report ---------------------------------------------------------------------------------
def machine():
    cpu = platform.processor() or "unknown"
    memory = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(next(line.split()[1] for line in handle if line.startswith("MemTotal")))
            memory = "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, StopIteration, ValueError):
        pass
    return "%s, %d cores, %s memory, %s %s" % (cpu, os.cpu_count() or 0, memory, platform.system(), platform.release())


def versions():
    found = ["Python %s" % platform.python_version()]
    for package in ("ansible-core", "requests", "huaweicloudsdkcore", "huaweicloudsdkmodelarts"):
        try:
            found.append("%s %s" % (package, metadata.version(package)))
        except metadata.PackageNotFoundError:
            found.append("%s (not installed)" % package)
    return ", ".join(found)


def render(rows, profile, started, load_before, load_after, elapsed, only=()):
    header = ("item", "measure", "median", "spread", "floor / target / note", "result")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    payload = ", ".join("%s %.0f KiB" % (k, v / 1024) for k, v in sorted(profile.get("payload", {}).items()))
    imports = ", ".join("%s %s" % (k, secs(v)) for k, v in profile.get("imports", {}).items())
    intro = (
        [
            "Run: %s UTC, %.0f s, `%smake bench` (iterations: %d interleaved tasks of each kind, %d bare processes, %d repeats, %d wait repeats)."
            % (
                started,
                elapsed,
                "BENCH_ONLY=%s " % ",".join(only) if only else "",
                ITERATIONS,
                BARE_ITERATIONS,
                REPEATS,
                WAIT_REPEATS,
            ),
            "",
            "- Machine: %s" % machine(),
            "- Versions: %s" % versions(),
            "- Load average (1, 5, 15 min) before: %s; after: %s. Other jobs share the machine, so compare ratios, not absolute times."
            % (", ".join("%.2f" % x for x in load_before), ", ".join("%.2f" % x for x in load_after)),
        ]
        + (["- AnsiballZ payloads: %s" % payload] if payload else [])
        + (["- Import time (median process): %s" % imports] if imports else [])
    )
    return "\n".join(intro + [""] + lines) + "\n"


def write_results(report, started, only=()):
    """A full run becomes the Latest run; a run of some steps (BENCH_ONLY) goes on top of History, leaving the last full run
    as the Latest run, so that no table ever shows only part of the steps as the latest."""
    history, latest = "## History\n\n(none yet)\n", None
    if os.path.exists(RESULTS):
        with open(RESULTS, encoding="utf-8") as handle:
            text = handle.read()
        if "## History" in text:
            history = text[text.index("## History") :]
        if "## Latest run\n\n" in text:
            latest = text[
                text.index("## Latest run\n\n") + len("## Latest run\n\n") : text.index("## History")
                if "## History" in text
                else None
            ]
    if only:
        entry = "### %s: %s run alone\n\n%s\n" % (started.split()[0], ", ".join(only), report.rstrip("\n"))
        history = history.replace("(none yet)\n", "")
        first = history.find("\n### ")
        history = history + "\n" + entry if first < 0 else history[: first + 1] + entry + history[first:]
        report = latest.rstrip("\n") + "\n" if latest else "(no full run yet)\n"
    with open(RESULTS, "w", encoding="utf-8") as handle:
        handle.write(
            "# Benchmarks\n\nWritten by `make bench` (benchmarks/bench.py); the History section is kept between runs.\n\n"
            "## Latest run\n\n" + report + "\n" + history
        )


def snapshot(workdir):
    """Copy the installed collection (make install) to workdir; retried while another job is reinstalling it."""
    global COLLECTIONS, MODULES  # pylint: disable=global-statement
    COLLECTIONS = os.path.join(workdir, "collections")
    MODULES = os.path.join(COLLECTIONS, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules")
    for dummy in range(30):
        shutil.rmtree(COLLECTIONS, ignore_errors=True)
        try:
            shutil.copytree(INSTALLED, COLLECTIONS)
        except (OSError, shutil.Error):
            pass
        if os.path.exists(
            os.path.join(COLLECTIONS, "ansible_collections", "hwcloud", "modelarts", "MANIFEST.json")
        ) and os.path.exists(os.path.join(MODULES, "notebook_instance_info.py")):
            return
        time.sleep(1)
    sys.exit("The collection is not installed in %s: run make install first" % INSTALLED)


def main():
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    load_before, clock = os.getloadavg(), time.monotonic()
    only = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
    workdir = tempfile.mkdtemp(prefix="modelarts-bench-")
    snapshot(workdir)
    rows, profile = [], {}
    sim = Simulator(host="127.0.0.1").start()
    try:
        bench = Bench(sim, workdir)
        steps = [
            (requests_per_task, (rows,)),
            (alternatives, (rows, profile)),
            (waiting, (rows,)),
            (scale, (rows,)),
            (lifecycle_requests, (rows,)),
            (lifecycle_waiting, (rows,)),
            (role_fleet, (rows,)),
            (inventory_scale, (rows,)),
        ]
        unknown = set(only or ()) - {step.__name__ for step, dummy in steps}
        if unknown:
            sys.exit(
                "BENCH_ONLY: no step named %s; the steps: %s"
                % (", ".join(sorted(unknown)), ", ".join(s.__name__ for s, dummy in steps))
            )
        for step, args in steps:
            if only and step.__name__ not in only:
                continue
            print("==> %s" % step.__doc__.split("\n", 1)[0], flush=True)
            step(bench, *args)
    finally:
        sim.stop()
    report = render(rows, profile, started, load_before, os.getloadavg(), time.monotonic() - clock, only)
    print(report)
    write_results(report, started, only)
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print("Plays and logs kept in %s" % workdir)


if __name__ == "__main__":
    main()
