#!/usr/bin/env python
"""Fault sweep: runs hwcloud.modelarts.notebook_instance against the simulator with faults injected, and checks
the invariants after each scenario.

Each scenario is drawn from the seed and its index alone (so a scenario can be rerun by itself with
``--only INDEX``): a fresh notebook in a fresh simulator on loopback, a random requested change, start
status, state and allow_restart, and one or two faults at random points. The module runs the way
ansible-playbook runs it, as a separate Python process reading its arguments from a JSON file and
printing its result as JSON, from the installed collection; ``--playbook N`` also runs every N-th
scenario through a real ``ansible-playbook -vvvv``.

Invariants checked after each scenario:
  - the task converged (the live instance has the requested fields and run state, and an immediate rerun
    is unchanged and costs one request), or it failed with a clear message naming what was attempted;
  - no traceback and no secret (SK, security token, IAM token, the notebook's token) in any output;
  - a running instance is never left stopped unless the task was asked to stop it;
  - no write the task did not need: only planned stops and starts, at most one applied of each, at most one
    applied update (a hooks-only update cannot be confirmed by reading and may be sent again), every PUT
    body holding only fields that differ, with the requested values; none at all in check mode;
  - a Retry-After answer is honoured before the same call is sent again;
  - every scenario ends in bounded time and requests.

Usage: sweep.py --scenarios 300 --seed 20260401 [--workers 2] [--playbook 50] [--report FILE]
"""

import argparse
import collections
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from modelarts_simulator import DEFAULT_ACCESS_KEY, DEFAULT_FLAVORS, DEFAULT_IMAGES, DEFAULT_PROJECT_ID, Simulator  # noqa: E402

# Distinctive secrets: any of them in an output is a leak.
SECRET_KEY = "SweepSecretKey-7f3a9c51e2"
SECURITY_TOKEN = "SweepSecurityToken-2b8e41d7"
IAM_TOKEN = "SweepIamToken-9d04c6aa31"
NOTEBOOK_TOKEN = "SweepNotebookToken-%05d-c0ffee"

FLAVORS = [f["id"] for f in DEFAULT_FLAVORS]
IMAGES = sorted(DEFAULT_IMAGES)
IPS = ["203.0.113.%d" % i for i in range(1, 9)] + ["2001:db8::%d" % i for i in range(1, 4)]
KEYS = ["team-a-keypair", "team-b-keypair", "ops-keypair"]

TIMEOUT = 0.6            # the module's per-request timeout
TRANSITION_SECONDS = 0.3  # the simulator's STARTING and STOPPING
# The instance's own auto-stop, which no start of the module may change: off, IDLE 2 h, TIMING 24 h.
LEASES = [{"enable": False}, {"enable": True, "duration": 7200000, "type": "IDLE"},
          {"enable": True, "duration": 86400000, "type": "TIMING"}]
# How the simulator spells an answer's endpoints (the seed's, the SDK's, or both).
SPELLINGS = ["seed", "sdk", "both"]
SCENARIO_LIMIT = 90      # seconds a module run may take before it counts as hung
MAX_REQUESTS = 80        # requests a scenario may send

KINDS = ("5xx", "429", "timeout", "drop", "malformed", "transition_failed", "race", "refused_6357")

# What a failure message must name: the call or step attempted, or the rule broken.
ATTEMPTED = re.compile(r"(Reading|Updating|Starting|Stopping|Listing|Waiting for) notebook instance|is RUNNING and the update API works only"
                       r"|storage_size cannot shrink|no notebook instance is named|notebook instance \S+ is [A-Z_]+")

TARGETS = {
    "GET": ("GET", r"/notebooks/[^/]+$"),
    "LIST": ("GET", r"/notebooks/?$"),
    "PUT": ("PUT", r"/notebooks/[^/]+$"),
    "stop": ("POST", r"/stop$"),
    "start": ("POST", r"/start$"),
}


# ---- scenarios ---------------------------------------------------------------------------------------
def expected_plan(status, params, changed):
    """The writes the spec calls for, from the status, the request and the fields that differ; None: a refusal."""
    needs_update = bool(changed) or bool(params.get("hooks") and params.get("force_update_hooks"))
    state = params["state"]
    running = status == "RUNNING"
    if needs_update and running and state != "stopped":
        return ["stop", "update", "start"] if params["allow_restart"] else None
    plan = []
    if running and state == "stopped":
        plan.append("stop")
    if needs_update:
        plan.append("update")
    if not running and state == "running":
        plan.append("start")
    return plan


def differing(initial, params, by_name):
    """The requested fields that differ from the instance (written here independently of the module's compare)."""
    changed = []
    if params.get("name") is not None and not by_name and params["name"] != initial["name"]:
        changed.append("name")
    for field in ("description", "flavor"):
        if params.get(field) is not None and params[field] != initial[field]:
            changed.append(field)
    if params.get("image_id") is not None and params["image_id"] != initial["image_id"]:
        changed.append("image_id")
    if params.get("storage_size") is not None and params["storage_size"] != initial["capacity"]:
        changed.append("storage_size")
    if params.get("endpoints") is not None:
        live = {ep["dev_service"]: ep for ep in initial["endpoints"]}
        for request in params["endpoints"]:
            if request["dev_service"] not in live:
                changed.append("endpoints")  # a service the instance does not have yet is added
                continue
            current = live[request["dev_service"]]
            for key in ("allowed_access_ips", "ssh_keys"):
                if request.get(key) is not None and set(request[key]) != set(current.get(key, [])):
                    changed.append("endpoints")
        changed = sorted(set(changed), key=changed.index)
    return changed


def make_scenario(seed, index):
    rng = random.Random("%s-%d" % (seed, index))
    status = rng.choice(["RUNNING", "STOPPED"])
    endpoints = [{"dev_service": "NOTEBOOK"}]
    if rng.random() < 0.5:
        endpoints.append({"dev_service": "SSH", "allowed_access_ips": rng.sample(IPS[:4], 1), "ssh_keys": [KEYS[0]]})
    initial = {"name": "nb-%05d" % index, "status": status, "flavor": rng.choice(FLAVORS), "image_id": rng.choice(IMAGES),
               "capacity": rng.choice([5, 20, 50]), "description": "initial", "endpoints": endpoints,
               "token": NOTEBOOK_TOKEN % index}
    by_name = rng.random() < 0.15
    params = {"state": rng.choice(["present", "present", "running", "stopped"]), "allow_restart": rng.random() < 0.6}
    if not by_name and rng.random() < 0.3:
        params["name"] = rng.choice([initial["name"], "nb-%05d-renamed" % index])
    if rng.random() < 0.35:
        params["description"] = rng.choice(["initial", "Team notebook %d" % rng.randint(1, 99)])
    if rng.random() < 0.4:
        params["flavor"] = rng.choice(FLAVORS)
    if rng.random() < 0.25:
        params["image_id"] = rng.choice(IMAGES)
    if rng.random() < 0.35:
        params["storage_size"] = initial["capacity"] + rng.choice([0, 0, 5, 30] + ([-1] if rng.random() < 0.2 else []))
    if rng.random() < 0.3:
        request = {"dev_service": "SSH"}
        if rng.random() < 0.8:
            request["allowed_access_ips"] = rng.sample(IPS, rng.randint(0, 3))
        if rng.random() < 0.6:
            request["ssh_keys"] = rng.sample(KEYS, rng.randint(1, 2))
        params["endpoints"] = [request]
    if rng.random() < 0.15:
        params["hooks"] = {"container_hooks": {"post_start": rng.choice([
            {"type": "SCRIPT", "script": "/home/ma-user/work/start.sh"},
            {"type": "COMMAND", "script": "ZWNobyBzdGFydGVk"}])}}
        params["force_update_hooks"] = rng.random() < 0.3
    changed = differing(initial, params, by_name)
    shrink = params.get("storage_size") is not None and params["storage_size"] < initial["capacity"]
    plan = None if shrink else expected_plan(status, params, changed)
    scenario = {
        "index": index, "initial": initial, "params": params, "by_name": by_name, "changed": changed, "plan": plan,
        "auth": rng.choice(["aksk", "aksk_token", "iam"]), "check_mode": rng.random() < 0.1,
        "max_retries": rng.choice([2, 3, 3, 4]), "faults": [],
    }
    for dummy in range(1 if rng.random() < 0.6 else 2):
        scenario["faults"].append(make_fault(rng, scenario))
    # Drawn last, so the scenarios drawn before these existed stay the same.
    initial["lease"] = dict(rng.choice(LEASES))
    scenario["spelling"] = rng.choice(SPELLINGS)
    return scenario


def lease_view(lease):
    """What a start may not change of a lease: whether auto-stop is on, and then its duration and type."""
    lease = lease or {}
    if not lease.get("enable"):
        return {"enable": False}
    return {"enable": True, "duration": lease.get("duration"), "type": lease.get("type")}


def make_fault(rng, scenario):
    plan = scenario["plan"] or []
    kind = rng.choice(KINDS)
    writes = [w if w != "update" else "PUT" for w in plan]
    reads = ["LIST"] if scenario["by_name"] else ["GET"]
    if kind in ("transition_failed", "refused_6357"):
        pool = [w for w in writes if w in ("start", "stop")] or ["start", "stop"]
    elif kind == "race":
        pool = writes + ["GET"]
    else:
        pool = writes + reads + ["GET"]
    if rng.random() < 0.15:
        pool = list(TARGETS)  # sometimes a point the task never reaches
    target = rng.choice(pool)
    method, path = TARGETS[target]
    fault = {"kind": kind, "target": target, "method": method, "path": path, "count": 1,
             "skip": rng.choice([0, 0, 1, 2]) if target == "GET" else 0}
    retries = scenario["max_retries"]
    if kind == "5xx":
        fault.update(status=rng.choice([500, 502, 503, 504]), count=rng.randint(1, retries + 1), apply=rng.random() < 0.5)
    elif kind == "429":
        fault.update(status=429, count=rng.randint(1, retries + 1), apply=False)
        if rng.random() < 0.6:
            fault["headers"] = {"Retry-After": str(rng.choice([1, 2]))}
    elif kind == "timeout":
        # applied: the service did it and the answer came too late; not applied: a 504 after the client gave up.
        applied = rng.random() < 0.5
        fault.update(delay=TIMEOUT + 0.4, status=None if applied else 504, apply=applied, count=rng.randint(1, 2))
    elif kind == "drop":
        fault.update(drop=True, apply=rng.random() < 0.5, count=rng.randint(1, 2))
    elif kind == "malformed":
        body = rng.choice(["", "{not json", "<html><body>502 Bad Gateway</body></html>", "[]", "null"])
        if rng.random() < 0.5:
            fault.update(status=200, body=body, apply=method != "GET" or rng.random() < 0.5)
        else:
            fault.update(status=502, body=body, apply=False)
    elif kind == "transition_failed":
        fault.update(status=None, transition_result=rng.choice(["ERROR", "START_FAILED"]), fail_reason="injected: host failure")
    elif kind == "race":
        initial = scenario["initial"]
        options = [{"description": "changed by someone else"}, {"flavor": rng.choice(FLAVORS)},
                   {"capacity": initial["capacity"] + 30}]
        options.append({"status": "STOPPED"} if initial["status"] == "RUNNING" else {"status": "RUNNING"})
        fault.update(status=None, modify=rng.choice(options))
    elif kind == "refused_6357":
        fault.update(status=400, body={"error_code": "ModelArts.6357", "error_msg": "Another operation is running on the instance."})
    return fault


# ---- running the module ---------------------------------------------------------------------------
def connection_args(sim, auth, max_retries):
    args = {"endpoint": sim.url, "project_id": DEFAULT_PROJECT_ID, "timeout": TIMEOUT, "max_retries": max_retries, "wait_timeout": 30}
    if auth == "iam":
        args["auth_token"] = IAM_TOKEN
    else:
        args.update(access_key=DEFAULT_ACCESS_KEY, secret_key=SECRET_KEY)
        if auth == "aksk_token":
            args["security_token"] = SECURITY_TOKEN
    return args


def module_args(scenario, sim, notebook_id):
    args = connection_args(sim, scenario["auth"], scenario["max_retries"])
    args.update(scenario["params"])
    if scenario["by_name"]:
        args["name"] = scenario["initial"]["name"]
    else:
        args["id"] = notebook_id
    return args


def run_module(collections_path, args, check_mode=False, diff=False):
    """The module as a separate process, as ansible runs it: arguments in a JSON file, the result as JSON on stdout."""
    module = os.path.join(collections_path, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules", "notebook_instance.py")
    payload = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": payload}, handle)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
           "PYTHONPATH": collections_path}
    started = time.time()
    try:
        proc = subprocess.run([sys.executable, module, handle.name], capture_output=True, text=True, env=env,
                              timeout=SCENARIO_LIMIT, check=False)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as expired:
        out, err, rc = expired.stdout or "", expired.stderr or "", None
    finally:
        os.unlink(handle.name)
    try:
        result = json.loads(out)
    except ValueError:
        result = None
    return {"rc": rc, "stdout": out, "stderr": err, "result": result, "seconds": time.time() - started, "texts": [out, err]}


CREDENTIAL_VARIABLES = {"access_key": "HW_ACCESS_KEY", "secret_key": "HW_SECRET_KEY", "security_token": "HW_SECURITY_TOKEN",
                        "auth_token": "HW_AUTH_TOKEN"}


def playbook(args, result_file):
    """The play, as JSON (which is YAML): the task's arguments inline, the credentials left to the environment."""
    task_args = {k: v for k, v in args.items() if k not in CREDENTIAL_VARIABLES}
    return json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "Notebook under faults", "hwcloud.modelarts.notebook_instance": task_args, "register": "outcome", "ignore_errors": True},
        {"name": "Keep the result", "ansible.builtin.copy": {"content": "{{ outcome | to_json }}", "dest": result_file, "mode": "0600"},
         "check_mode": False},
    ]}], indent=1)


def run_playbook(collections_path, args, check_mode=False, diff=False):
    """The same task through a real ansible-playbook -vvvv; the result is read back from a file the play writes."""
    work = tempfile.mkdtemp(prefix="sweep-play-")
    try:
        paths = {name: os.path.join(work, name) for name in ("play.yml", "result.json", "ansible.log")}
        with open(paths["play.yml"], "w", encoding="utf-8") as handle:
            handle.write(playbook(args, paths["result.json"]))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
               "ANSIBLE_COLLECTIONS_PATH": collections_path, "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
               "ANSIBLE_LOG_PATH": paths["ansible.log"], "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCALHOST_WARNING": "false",
               "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false"}
        # Credentials come from the environment, as AWX injects them.
        env.update({variable: str(args[option]) for option, variable in CREDENTIAL_VARIABLES.items() if args.get(option)})
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-vvvv", "-i", "localhost,", "-c", "local",
                   "-e", "ansible_python_interpreter=%s" % sys.executable, paths["play.yml"]]
        if check_mode:
            command.append("--check")
        if diff:
            command.append("--diff")
        started = time.time()
        try:
            proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=SCENARIO_LIMIT + 60, check=False, cwd=work)
            out, err, rc = proc.stdout, proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as expired:
            out, err, rc = expired.stdout or "", expired.stderr or "", None
        result = None
        if os.path.exists(paths["result.json"]):
            with open(paths["result.json"], encoding="utf-8") as handle:
                result = json.load(handle)
            result.pop("invocation", None)
        log = ""
        if os.path.exists(paths["ansible.log"]):
            with open(paths["ansible.log"], encoding="utf-8", errors="replace") as handle:
                log = handle.read()
        # Only the module's own failure is a scenario outcome; a play that did not run at all is reported as such.
        return {"rc": 0 if result and not result.get("failed") else (1 if result else rc), "stdout": out, "stderr": err,
                "result": result, "seconds": time.time() - started, "texts": [out, err, log]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---- invariants -------------------------------------------------------------------------------------
def live_matches(live, params, by_name):
    """Whether the live instance has every requested field (independent of the module's compare)."""
    problems = []
    if params.get("name") is not None and not by_name and live["name"] != params["name"]:
        problems.append("name")
    for field in ("description", "flavor"):
        if params.get(field) is not None and (live.get(field) or "") != params[field]:
            problems.append(field)
    if params.get("image_id") is not None and live["image"]["id"] != params["image_id"]:
        problems.append("image_id")
    if params.get("storage_size") is not None and live["volume"]["capacity"] != params["storage_size"]:
        problems.append("storage_size")
    for request in params.get("endpoints") or []:
        current = next((ep for ep in live["endpoints"] if ep.get("dev_service") == request["dev_service"]), {})
        for key in ("allowed_access_ips", "ssh_keys"):
            if request.get(key) is not None and set(request[key]) != set(current.get(key) or []):
                problems.append("endpoints.%s" % key)
    return problems


def check_put_body(body, scenario, allowed_fields):
    params, problems = scenario["params"], []
    wire = {"storage_size": "storage_new_size"}
    allowed = {wire.get(field, field) for field in allowed_fields}
    if params.get("hooks"):
        allowed.add("hooks")
    if not isinstance(body, dict) or not body:
        return ["a PUT with an empty or non-object body"]
    for key, value in body.items():
        if key not in allowed:
            problems.append("a PUT sent %s, which did not need changing" % key)
        elif key == "storage_new_size" and value != params["storage_size"]:
            problems.append("a PUT sent storage_new_size=%r, not the requested %r" % (value, params["storage_size"]))
        elif key in ("name", "description", "flavor", "image_id") and value != params[key]:
            problems.append("a PUT sent %s=%r, not the requested %r" % (key, value, params[key]))
        elif key == "endpoints":
            for request in params["endpoints"]:
                sent = next((ep for ep in value if ep.get("dev_service") == request["dev_service"]), None)
                for field in ("allowed_access_ips", "ssh_keys"):
                    if request.get(field) is not None and (sent is None or sorted(set(sent.get(field) or [])) != sorted(set(request[field]))):
                        problems.append("a PUT sent endpoints %r for %r" % (sent, request))
        elif key == "hooks" and value.get("container_hooks", {}).get("post_start") != params["hooks"]["container_hooks"]["post_start"]:
            problems.append("a PUT sent hooks %r, not the requested ones" % value)
    return problems


def check(scenario, outcome, requests, live, rerun):
    """The outcome (converged, failed or broken) and the violations of the invariants (empty: none)."""
    violations = []
    params, initial, plan = scenario["params"], scenario["initial"], scenario["plan"]
    secrets = [SECRET_KEY, SECURITY_TOKEN, IAM_TOKEN, initial["token"]]
    texts = list(outcome["texts"]) + (list(rerun["texts"]) if rerun else [])
    for text in texts:
        if "Traceback" in text:
            violations.append("a traceback in the output")
        for secret in secrets:
            if secret in text:
                violations.append("a secret in the output: %s..." % secret[:12])
    result = outcome["result"]
    if outcome["rc"] is None:
        violations.append("the task did not end within %d s" % SCENARIO_LIMIT)
    if not isinstance(result, dict):
        return "broken", violations + ["no JSON result (rc %s): %s" % (outcome["rc"], (outcome["stdout"] + outcome["stderr"])[-300:])]
    failed = bool(result.get("failed"))
    if len(requests) > MAX_REQUESTS:
        violations.append("%d requests" % len(requests))
    status_race = [f for f in scenario["faults"] if f["kind"] == "race" and "status" in f.get("modify", {}) and f["hits"]]
    field_race = {"storage_size" if k == "capacity" else k for f in scenario["faults"] if f["kind"] == "race" and f["hits"]
                  for k in f.get("modify", {})}

    if failed:
        msg = result.get("msg") or ""
        if not msg:
            violations.append("a failure without msg")
        elif msg.startswith("Unexpected") or not ATTEMPTED.search(msg):
            violations.append("a failure message that does not name what was attempted: %s" % msg[:300])
    else:
        # A field someone else changed after the task read it may differ: the rerun must then converge.
        problems = [] if scenario["check_mode"] else live_matches(live, params, scenario["by_name"])
        problems = [problem for problem in problems if problem.split(".")[0] not in field_race]
        if problems:
            violations.append("reported success but %s differ" % ", ".join(problems))
        want = {"running": "RUNNING", "stopped": "STOPPED"}.get(params["state"], None if status_race else initial["status"])
        if not scenario["check_mode"] and want and live["status"] != want:
            violations.append("reported success with status %s, %s wanted" % (live["status"], want))
        if scenario["check_mode"] and result.get("actions") != (plan or []) and not status_race and not field_race:
            violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), plan))
        if plan is None and not status_race and not field_race and not scenario["check_mode"]:
            violations.append("succeeded where the spec calls for a refusal")
        if rerun is not None:
            rerun_result = rerun["result"] or {}
            if rerun_result.get("failed") or rerun_result.get("changed") or rerun["requests"] != 1:
                violations.append("the rerun was not a clean no-op: failed=%s changed=%s requests=%d msg=%s" % (
                    rerun_result.get("failed"), rerun_result.get("changed"), rerun["requests"], rerun_result.get("msg")))

    # No start changed the instance's auto-stop: a start without a duration would turn it on for an hour.
    if lease_view(live.get("lease")) != lease_view(initial["lease"]):
        violations.append("the auto-stop lease changed from %s to %s" % (lease_view(initial["lease"]), lease_view(live.get("lease"))))

    # A running instance is left running, unless asked to stop it (or someone else stopped it).
    if initial["status"] == "RUNNING" and params["state"] != "stopped" and not status_race and live["status"] in ("STOPPED", "STOPPING"):
        violations.append("a running instance was left %s: %s" % (live["status"], (result.get("msg") or "")[:300]))

    # No write the task did not need.
    writes = [r for r in requests if r.method in ("PUT", "POST")]
    if scenario["check_mode"] and writes:
        violations.append("check mode sent %d writes" % len(writes))
    allowed_plan = set(plan or [])
    if status_race:
        other = "STOPPED" if initial["status"] == "RUNNING" else "RUNNING"
        changed = differing(dict(initial, **{"status": other}), params, scenario["by_name"])
        allowed_plan |= set(expected_plan(other, params, changed) or [])
        if other == "RUNNING" and params.get("allow_restart"):
            allowed_plan.add("start")  # restarting what someone else started and this task stopped
    kinds = {"stop": [r for r in writes if r.path.endswith("/stop")], "start": [r for r in writes if r.path.endswith("/start")],
             "update": [r for r in writes if r.method == "PUT"]}
    for action, sent in kinds.items():
        if sent and action not in allowed_plan:
            violations.append("sent %d %s request(s), not in the plan %s" % (len(sent), action, plan))
        applied = [r for r in sent if r.applied]
        hooks_only = action == "update" and not scenario["changed"]
        if len(applied) > 1 and not hooks_only:
            violations.append("%d %s requests applied" % (len(applied), action))
    allowed_fields = set(scenario["changed"]) | field_race
    for put in kinds["update"]:
        violations.extend(check_put_body(put.body, scenario, allowed_fields))

    # Retry-After: the same call is not sent again before the time asked.
    for position, record in enumerate(requests):
        wait = _retry_after(record, scenario)
        if wait:
            again = next((r for r in requests[position + 1:] if r.method == record.method and r.path == record.path), None)
            if again is not None and again.time - record.time < wait - 0.05:
                violations.append("%s %s sent again %.2f s after a Retry-After of %s s" % (record.method, record.path.rsplit("/", 1)[-1],
                                                                                           again.time - record.time, wait))
    return ("failed" if failed else "converged"), violations


def _retry_after(record, scenario):
    fault = next((f for f in scenario["faults"] if f["id"] == record.fault), None) if record.fault else None
    if fault is None or fault.get("status") is None or fault.get("drop"):
        return None
    value = (fault.get("headers") or {}).get("Retry-After")
    return float(value) if value else None


# ---- one scenario -------------------------------------------------------------------------------------
def run_scenario(job):
    scenario, collections_path, use_playbook = job
    initial = scenario["initial"]
    sim = Simulator(secret_key=SECRET_KEY, security_token=SECURITY_TOKEN if scenario["auth"] == "aksk_token" else None,
                    auth_tokens=(IAM_TOKEN,), transition_seconds=TRANSITION_SECONDS, endpoint_spelling=scenario["spelling"])
    sim.start()
    try:
        notebook = sim.add_notebook(name=initial["name"], status="STOPPED", flavor=initial["flavor"], image_id=initial["image_id"],
                                    capacity=initial["capacity"], description=initial["description"], endpoints=initial["endpoints"],
                                    token=initial["token"], lease=initial["lease"])
        if initial["status"] == "RUNNING":
            sim.set_status(notebook["id"], "RUNNING")
        # A few other instances with similar names, so a lookup by name has to filter exactly.
        sim.add_notebook(name=initial["name"] + "-old")
        injected = []
        for spec in scenario["faults"]:
            injected.append(sim.inject_fault(**{k: v for k, v in spec.items() if k not in ("kind", "target")}))
        args = module_args(scenario, sim, notebook["id"])
        runner = run_playbook if use_playbook else run_module
        outcome = runner(collections_path, args, check_mode=scenario["check_mode"], diff=True)
        for spec, fault in zip(scenario["faults"], injected):
            spec["id"], spec["hits"] = fault.id, fault.hits
        requests = sim.requests
        # The stored instance holds the endpoints in both spellings, whichever one the answers use.
        live = sim.notebook(notebook["id"])
        rerun = None
        result = outcome["result"] or {}
        if (not result.get("failed") and outcome["rc"] is not None and not scenario["check_mode"]
                and not scenario["params"].get("force_update_hooks")):
            sim.clear_faults()
            sim.clear_requests()
            rerun = run_module(collections_path, args)
            rerun["requests"] = len(sim.requests)
            if (rerun["result"] or {}).get("changed") and any(f["kind"] == "race" and f["hits"] for f in scenario["faults"]):
                # Someone else changed a requested field after the task read it: the rerun puts it back, the next is a no-op.
                sim.clear_requests()
                rerun = run_module(collections_path, args)
                rerun["requests"] = len(sim.requests)
        verdict, violations = check(scenario, outcome, requests, live, rerun)
        return {"index": scenario["index"], "kinds": sorted({f["kind"] for f in scenario["faults"]}), "verdict": verdict,
                "violations": violations, "seconds": outcome["seconds"], "playbook": use_playbook,
                "msg": (result.get("msg") or "")[:400], "actions": result.get("actions"),
                "faults": [{k: v for k, v in f.items() if k not in ("method", "path")} for f in scenario["faults"]]}
    except Exception as error:  # pylint: disable=broad-exception-caught
        return {"index": scenario["index"], "kinds": sorted({f["kind"] for f in scenario["faults"]}), "verdict": "broken",
                "violations": ["the sweep itself failed: %s: %s" % (type(error).__name__, error)], "seconds": 0, "playbook": use_playbook,
                "msg": "", "actions": None, "faults": scenario["faults"]}
    finally:
        sim.stop()


# ---- the sweep ----------------------------------------------------------------------------------------
def summarize(results, seed, wall):
    per_kind = collections.OrderedDict((kind, collections.Counter()) for kind in KINDS)
    for item in results:
        for kind in item["kinds"]:
            per_kind[kind]["scenarios"] += 1
            per_kind[kind][item["verdict"]] += 1
            per_kind[kind]["violations"] += bool(item["violations"])
    return {
        "seed": seed, "scenarios": len(results),
        "converged": sum(item["verdict"] == "converged" for item in results),
        "failed_cleanly": sum(item["verdict"] == "failed" and not item["violations"] for item in results),
        "invariant_violations": sum(len(item["violations"]) for item in results),
        "scenarios_with_violations": sum(bool(item["violations"]) for item in results),
        "through_ansible_playbook": sum(item["playbook"] for item in results),
        "wall_seconds": round(wall, 1),
        "per_fault_kind": {kind: dict(counts) for kind, counts in per_kind.items()},
    }


def render(summary, results):
    lines = ["Fault sweep of hwcloud.modelarts.notebook_instance (seed %s)" % summary["seed"],
             "scenarios:            %d (%d through ansible-playbook)" % (summary["scenarios"], summary["through_ansible_playbook"]),
             "converged:            %d" % summary["converged"],
             "failed cleanly:       %d" % summary["failed_cleanly"],
             "invariant violations: %d (in %d scenarios)" % (summary["invariant_violations"], summary["scenarios_with_violations"]),
             "wall time:            %.1f s" % summary["wall_seconds"],
             "",
             "%-18s %9s %9s %9s %10s" % ("fault kind", "scenarios", "converged", "failed", "violations")]
    for kind, counts in summary["per_fault_kind"].items():
        figures = [counts.get(key, 0) for key in ("scenarios", "converged", "failed", "violations")]
        lines.append("%-18s %9d %9d %9d %10d" % tuple([kind] + figures))
    for item in results:
        for violation in item["violations"]:
            lines.append("VIOLATION scenario %d (%s): %s" % (item["index"], ", ".join(item["kinds"]), violation))
    return "\n".join(lines)


def default_collections_path():
    return os.path.join(ROOT, "build", "collections")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--scenarios", type=int, default=300)
    parser.add_argument("--seed", default="20260401")
    parser.add_argument("--workers", type=int, default=2, help="parallel scenarios, at most 2")
    parser.add_argument("--playbook", type=int, default=0, metavar="N",
                        help="run every N-th scenario through ansible-playbook -vvvv (0: none)")
    parser.add_argument("--collections-path", default=default_collections_path(),
                        help="where hwcloud.modelarts is installed (make install); default build/collections")
    parser.add_argument("--report", help="write the figures and every scenario's outcome here as JSON (and a .txt beside it)")
    parser.add_argument("--only", type=int, action="append", help="run this scenario index only (repeatable), to reproduce one")
    parser.add_argument("--time-limit", type=float, default=1800, help="stop starting scenarios after this many seconds")
    args = parser.parse_args(argv)
    module = os.path.join(args.collections_path, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules")
    if not os.path.isdir(module):
        parser.error("hwcloud.modelarts is not installed in %s: run make install first" % args.collections_path)
    indexes = args.only or list(range(args.scenarios))
    jobs = [(make_scenario(args.seed, i), args.collections_path, bool(args.playbook) and i % args.playbook == args.playbook - 1)
            for i in indexes]
    started = time.time()
    results = []
    with multiprocessing.get_context("spawn").Pool(max(1, min(args.workers, 2))) as pool:
        for item in pool.imap_unordered(run_scenario, jobs):
            results.append(item)
            mark = "!" if item["violations"] else {"converged": ".", "failed": "f"}.get(item["verdict"], "?")
            print(mark, end="", flush=True)
            if time.time() - started > args.time_limit:
                print("\ntime limit of %s s reached: stopping" % args.time_limit)
                pool.terminate()
                break
    print()
    results.sort(key=lambda item: item["index"])
    summary = summarize(results, args.seed, time.time() - started)
    text = render(summary, results)
    print(text)
    if args.only:
        for item in results:
            print(json.dumps(item, indent=1, default=str))
    if args.report:
        os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump({"summary": summary, "scenarios": results}, handle, indent=1, default=str)
        with open(os.path.splitext(args.report)[0] + ".txt", "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    complete = len(results) == len(jobs)
    return 0 if complete and summary["invariant_violations"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
