#!/usr/bin/env python
"""Fault sweep: runs hwcloud.modelarts.notebook_instance against the simulator with faults injected, and checks
the invariants after each scenario.

Each scenario is drawn from the seed and its index alone (so a scenario can be rerun by itself with
``--only INDEX``): a fresh simulator on loopback, one operation, and one or two faults at random points. The
operation of scenario N is OPERATIONS[N % 6]:
  - update (every third): a notebook running or stopped, a random requested change, state and allow_restart.
    An update scenario draws exactly what scenario N drew before the other operations existed, so its
    results compare with earlier sweeps;
  - create: no instance has the name; with or without tags, auto_stop, storage, SSH; state present, running or
    stopped; wait or not; the service's create may end in CREATE_FAILED;
  - delete: state=absent of an instance running, stopped, in ERROR or starting, by id or name, or already gone;
    the deletion may end in DELETE_FAILED;
  - tags: tags added, changed or purged (purge_tags true or false) on a running or stopped instance;
  - auto_stop: auto-stop turned on, changed or off on a running or stopped instance, with and without allow_restart.
The new operations draw from a stream of their own (seed, index and operation). Every scenario also has a
decoy instance, "<name>-old", with tags and auto-stop on. Faults: 5xx and 429 bursts (with and without
Retry-After), timeouts, dropped connections and malformed answers, each applied or not (a write the service
did although its answer was lost), a start or stop ending in a failed status, fields or status changed by
someone else, ModelArts.6357 refusals, and the instance deleted by someone else as a random request arrives.
The module runs the way ansible-playbook runs it, as a separate Python process reading its arguments from a
JSON file and printing its result as JSON, from the installed collection; ``--playbook N`` also runs every
N-th scenario through a real ``ansible-playbook -vvvv``.

Invariants checked after each scenario (the expected plan is derived here from the spec, independently of
the module's planner):
  - the task converged (the live instance has the requested fields, tags, auto-stop and run state, or is gone
    for a delete, and an immediate rerun is unchanged and costs one request: a GET by id or a list by name),
    or it failed with a clear message naming what was attempted; state=absent never fails because the
    instance is already gone;
  - no traceback and no secret (SK, security token, IAM token, the notebook's token) in any output;
  - never two instances with the task's name, never more than one create applied;
  - no write to an instance the task did not address (the decoy is left exactly as it was), and no DELETE
    from a task that does not delete;
  - the auto-stop lease never changes unless auto_stop asks for it, and then only to what it asks; tags
    change only as tags and purge_tags ask;
  - a running instance is never left stopped unless the task was asked to stop it;
  - no write the task did not need: only the planned writes, at most one applied of each (a hooks-only
    update cannot be confirmed by reading and may be sent again), every PUT body holding only fields that
    differ, with the requested values; none at all (no POST, PUT, PATCH or DELETE) in check mode;
  - a Retry-After answer is honoured before the same call is sent again;
  - every scenario ends in bounded time and requests.

Usage: sweep.py --scenarios 360 --seed 20260401 [--workers 2] [--playbook 50] [--report FILE]
"""

import argparse
import collections
import copy
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

from modelarts_simulator import (  # noqa: E402
    DEFAULT_ACCESS_KEY,
    DEFAULT_FLAVORS,
    DEFAULT_IMAGES,
    DEFAULT_PROJECT_ID,
    TRANSITIONAL,
    Simulator,
)

# Distinctive secrets: any of them in an output is a leak.
SECRET_KEY = "SweepSecretKey-7f3a9c51e2"
SECURITY_TOKEN = "SweepSecurityToken-2b8e41d7"
IAM_TOKEN = "SweepIamToken-9d04c6aa31"
NOTEBOOK_TOKEN = "SweepNotebookToken-%05d-c0ffee"

FLAVORS = [f["id"] for f in DEFAULT_FLAVORS]
IMAGES = sorted(DEFAULT_IMAGES)
IPS = ["203.0.113.%d" % i for i in range(1, 9)] + ["2001:db8::%d" % i for i in range(1, 4)]
KEYS = ["team-a-keypair", "team-b-keypair", "ops-keypair"]

TIMEOUT = 0.6  # the module's per-request timeout
TRANSITION_SECONDS = 0.3  # the simulator's STARTING and STOPPING
# The instance's own auto-stop, which no start of the module may change: off, IDLE 2 h, TIMING 24 h.
LEASES = [
    {"enable": False},
    {"enable": True, "duration": 7200000, "type": "IDLE"},
    {"enable": True, "duration": 86400000, "type": "TIMING"},
]
# How the simulator spells an answer's endpoints (the seed's, the SDK's, or both).
SPELLINGS = ["seed", "sdk", "both"]
SCENARIO_LIMIT = 90  # seconds a module run may take before it counts as hung
MAX_REQUESTS = 80  # requests a scenario may send

# The fault kinds of the update scenarios (kept, so that those scenarios stay the same), then the new ones.
KINDS = ("5xx", "429", "timeout", "drop", "malformed", "transition_failed", "race", "refused_6357")
ALL_KINDS = KINDS + ("create_failed", "delete_failed", "deleted_by_other")
# Scenario N's operation is OPERATIONS[N % 6]: an update every third scenario, each other operation every sixth.
OPERATIONS = ("update", "create", "delete", "update", "tags", "auto_stop")
OPERATION_KINDS = {
    "create": ("5xx", "429", "timeout", "drop", "malformed", "transition_failed", "deleted_by_other"),
    "delete": ("5xx", "429", "timeout", "drop", "malformed", "refused_6357", "deleted_by_other"),
    "tags": KINDS + ("deleted_by_other",),
    "auto_stop": KINDS + ("deleted_by_other",),
}
HOUR_MS = 3600000
TAG_POOL = {"team": "a", "env": "dev", "owner": "alice", "cost-center": "4711"}
AUTO_STOPS = [
    {"enabled": False},
    {"enabled": True},
    {"enabled": True, "hours": 2, "type": "IDLE"},
    {"enabled": True, "hours": 24, "type": "TIMING"},
    {"enabled": True, "hours": 8, "type": "IDLE"},
]
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# What a failure message must name: the call or step attempted, or the rule broken.
ATTEMPTED = re.compile(
    r"(Reading|Updating|Starting|Stopping|Listing|Waiting for|Creating|Deleting|Tagging|Removing tags from"
    r"|Setting the auto-stop of|after a create of) notebook instance|is RUNNING and the update API works only"
    r"|storage_size cannot shrink|no notebook instance is named|notebook instance \S+ is [A-Z_]+"
)

TARGETS = {
    "GET": ("GET", r"/notebooks/[^/]+$"),
    "LIST": ("GET", r"/notebooks/?$"),
    "PUT": ("PUT", r"/notebooks/[^/]+$"),
    "stop": ("POST", r"/stop$"),
    "start": ("POST", r"/start$"),
    "create": ("POST", r"/notebooks/?$"),
    "delete": ("DELETE", r"/notebooks/[^/]+$"),
    "tag": ("POST", r"/tags/create$"),
    "untag": ("DELETE", r"/tags/delete$"),
    "renew_lease": ("PATCH", r"/lease$"),
}
# The points an update scenario's fault may hit anywhere (as before the other operations existed).
UPDATE_TARGETS = ("GET", "LIST", "PUT", "stop", "start")


# ---- scenarios ---------------------------------------------------------------------------------------
def operation(index):
    """The operation of scenario ``index``: a fixed cycle, so every prefix of the sweep (faults-ci) has each of them."""
    return OPERATIONS[index % len(OPERATIONS)]


def expected_plan(status, params, changed, tag=False, untag=False, lease_differs=False):
    """The writes the spec calls for on an existing instance, from its status, the request, the fields that differ,
    the tags to add or remove and whether the auto-stop asked for differs from its lease; None: a refusal."""
    needs_update = bool(changed) or bool(params.get("hooks") and params.get("force_update_hooks"))
    state = params["state"]
    running = status == "RUNNING"
    stays_running = running and state != "stopped"
    tags = (["tag"] if tag else []) + (["untag"] if untag else [])
    # Only a start without auto-stop turns it off: a restart, like an update of a running instance.
    restart_for_lease = stays_running and lease_differs and not params["auto_stop"]["enabled"]
    if stays_running and (needs_update or restart_for_lease):
        if not params["allow_restart"]:
            return None
        return tags + ["stop"] + (["update"] if needs_update else []) + ["start"]
    plan = list(tags)
    if stays_running and lease_differs:
        plan.append("renew_lease")
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


def lease_wanted(auto_stop):
    """The lease (as lease_view() shows it) that ``auto_stop`` asks for."""
    if not auto_stop["enabled"]:
        return {"enable": False}
    return {"enable": True, "duration": auto_stop.get("hours", 1) * HOUR_MS, "type": auto_stop.get("type", "TIMING")}


def tags_wanted(current, asked, purge):
    result = {} if purge else dict(current)
    result.update(asked)
    return result


def tag_changes(current, asked, purge):
    """(tags to add or change, tags to remove), as booleans."""
    return (
        any(current.get(key) != value for key, value in asked.items()),
        purge and any(key not in asked for key in current),
    )


def existing_plan(initial, params, changed, status=None):
    """expected_plan() for an existing instance with the request's tags and auto-stop."""
    status = status or initial["status"]
    tag = untag = False
    if params.get("tags") is not None:
        tag, untag = tag_changes(initial["tags"], params["tags"], params.get("purge_tags", True))
    lease_differs = params.get("auto_stop") is not None and lease_view(initial["lease"]) != lease_wanted(
        params["auto_stop"]
    )
    return expected_plan(status, params, changed, tag, untag, lease_differs)


def make_scenario(seed, index):
    kind = operation(index)
    if kind == "update":
        return make_update_scenario(seed, index)
    # The new operations draw from a stream of their own.
    rng = random.Random("%s-%d-%s" % (seed, index, kind))
    scenario = {
        "index": index,
        "operation": kind,
        "by_name": False,
        "changed": [],
        "auth": rng.choice(["aksk", "aksk_token", "iam"]),
        "check_mode": rng.random() < 0.1,
        "max_retries": rng.choice([2, 3, 3, 4]),
        "faults": [],
        "spelling": rng.choice(SPELLINGS),
    }
    {"create": _draw_create, "delete": _draw_delete, "tags": _draw_tags, "auto_stop": _draw_auto_stop}[kind](
        rng, scenario
    )
    for dummy in range(1 if rng.random() < 0.6 else 2):
        scenario["faults"].append(make_fault(rng, scenario))
    return scenario


def make_update_scenario(seed, index):
    """An update of an existing instance; the same draws as before the other operations existed, so an update
    scenario at index N is the scenario N of the earlier sweeps."""
    rng = random.Random("%s-%d" % (seed, index))
    status = rng.choice(["RUNNING", "STOPPED"])
    endpoints = [{"dev_service": "NOTEBOOK"}]
    if rng.random() < 0.5:
        endpoints.append({"dev_service": "SSH", "allowed_access_ips": rng.sample(IPS[:4], 1), "ssh_keys": [KEYS[0]]})
    initial = {
        "name": "nb-%05d" % index,
        "status": status,
        "flavor": rng.choice(FLAVORS),
        "image_id": rng.choice(IMAGES),
        "capacity": rng.choice([5, 20, 50]),
        "description": "initial",
        "endpoints": endpoints,
        "token": NOTEBOOK_TOKEN % index,
        "tags": {},
    }
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
        params["hooks"] = {
            "container_hooks": {
                "post_start": rng.choice(
                    [
                        {"type": "SCRIPT", "script": "/home/ma-user/work/start.sh"},
                        {"type": "COMMAND", "script": "ZWNobyBzdGFydGVk"},
                    ]
                )
            }
        }
        params["force_update_hooks"] = rng.random() < 0.3
    changed = differing(initial, params, by_name)
    shrink = params.get("storage_size") is not None and params["storage_size"] < initial["capacity"]
    plan = None if shrink else expected_plan(status, params, changed)
    scenario = {
        "index": index,
        "operation": "update",
        "initial": initial,
        "params": params,
        "by_name": by_name,
        "changed": changed,
        "plan": plan,
        "auth": rng.choice(["aksk", "aksk_token", "iam"]),
        "check_mode": rng.random() < 0.1,
        "max_retries": rng.choice([2, 3, 3, 4]),
        "faults": [],
    }
    for dummy in range(1 if rng.random() < 0.6 else 2):
        scenario["faults"].append(make_fault(rng, scenario))
    # Drawn last, so the scenarios drawn before these existed stay the same.
    initial["lease"] = dict(rng.choice(LEASES))
    scenario["spelling"] = rng.choice(SPELLINGS)
    return scenario


def _existing(rng, scenario, statuses):
    index = scenario["index"]
    scenario["initial"] = {
        "name": "nb-%05d" % index,
        "status": rng.choice(statuses),
        "flavor": rng.choice(FLAVORS),
        "image_id": rng.choice(IMAGES),
        "capacity": rng.choice([5, 20, 50]),
        "description": "initial",
        "endpoints": [{"dev_service": "NOTEBOOK"}],
        "token": NOTEBOOK_TOKEN % index,
        "lease": dict(rng.choice(LEASES)),
        "tags": dict(rng.sample(sorted(TAG_POOL.items()), rng.randint(0, 3))),
    }
    scenario["by_name"] = rng.random() < 0.2
    return scenario["initial"]


def _draw_create(rng, scenario):
    """No instance has the name (only the "-old" decoy is alike): the task creates one."""
    index = scenario["index"]
    params = {
        "name": "nb-%05d" % index,
        "flavor": rng.choice(FLAVORS),
        "image_id": rng.choice(IMAGES),
        "state": rng.choice(["present", "present", "running", "stopped"]),
        "wait": rng.random() < 0.85,
    }
    if rng.random() < 0.4:
        params["storage_size"] = rng.choice([5, 20, 50])
    if rng.random() < 0.4:
        params["description"] = "Team notebook %d" % rng.randint(1, 99)
    if rng.random() < 0.3:
        params["endpoints"] = [
            {
                "dev_service": "SSH",
                "allowed_access_ips": rng.sample(IPS, rng.randint(0, 2)),
                "ssh_keys": rng.sample(KEYS, 1),
            }
        ]
    if rng.random() < 0.5:
        params["tags"] = dict(rng.sample(sorted(TAG_POOL.items()), rng.randint(1, 3)))
    if rng.random() < 0.5:
        params["auto_stop"] = rng.choice(AUTO_STOPS)
    scenario["initial"] = {
        "name": params["name"],
        "status": None,
        "token": NOTEBOOK_TOKEN % index,
        "tags": {},
        "lease": None,
    }
    # The service's create ends in CREATE_FAILED (Simulator.fail_next_create).
    scenario["create_failed"] = rng.random() < 0.25
    scenario["params"] = params
    scenario["by_name"] = True
    if params["state"] == "stopped" and not params["wait"]:
        scenario["plan"] = None
    else:
        scenario["plan"] = (
            ["create"] + (["tag"] if params.get("tags") else []) + (["stop"] if params["state"] == "stopped" else [])
        )


def _draw_delete(rng, scenario):
    """state=absent of an instance running, stopped, failed or starting, by id or name, or already gone."""
    initial = _existing(rng, scenario, ["RUNNING", "RUNNING", "STOPPED", "STOPPED", "ERROR", "STARTING"])
    initial["gone"] = rng.random() < 0.15
    initial["unknown_id"] = "%08x-0000-4000-8000-%012x" % (rng.getrandbits(32), rng.getrandbits(48))
    # The service's deletion ends in DELETE_FAILED (Simulator.fail_next_transition).
    scenario["delete_failed"] = not initial["gone"] and rng.random() < 0.2
    scenario["params"] = {"state": "absent", "wait": rng.random() < 0.85}
    scenario["plan"] = [] if initial["gone"] else ["delete"]


def _shape_params(rng, scenario, initial):
    params = {"state": rng.choice(["present", "present", "running", "stopped"]), "allow_restart": rng.random() < 0.6}
    if rng.random() < 0.2:
        params["description"] = "Team notebook %d" % rng.randint(1, 99)
    scenario["params"] = params
    scenario["changed"] = differing(initial, params, scenario["by_name"])
    return params


def _draw_tags(rng, scenario):
    """Tags added, changed or purged (or kept with purge_tags=false) on a running or stopped instance."""
    initial = _existing(rng, scenario, ["RUNNING", "STOPPED"])
    params = _shape_params(rng, scenario, initial)
    choice = rng.random()
    if choice < 0.15:
        params["tags"] = dict(initial["tags"])  # already so
    elif choice < 0.25:
        params["tags"] = {}  # every tag removed (purge) or none (purge_tags=false)
    else:
        params["tags"] = dict(rng.sample(sorted(TAG_POOL.items()), rng.randint(1, 3)))
        if rng.random() < 0.5:
            key = rng.choice(sorted(TAG_POOL))
            params["tags"][key] = "changed-%d" % rng.randint(1, 9)
    params["purge_tags"] = rng.random() < 0.65
    scenario["plan"] = existing_plan(initial, params, scenario["changed"])


def _draw_auto_stop(rng, scenario):
    """Auto-stop turned on, changed or off on a running or stopped instance, with and without allow_restart."""
    initial = _existing(rng, scenario, ["RUNNING", "STOPPED"])
    params = _shape_params(rng, scenario, initial)
    params["auto_stop"] = rng.choice(AUTO_STOPS)
    scenario["plan"] = existing_plan(initial, params, scenario["changed"])


def lease_view(lease):
    """What a start may not change of a lease: whether auto-stop is on, and then its duration and type."""
    lease = lease or {}
    if not lease.get("enable"):
        return {"enable": False}
    return {"enable": True, "duration": lease.get("duration"), "type": lease.get("type")}


def _reads(scenario):
    if scenario["operation"] == "create":
        return ["LIST", "GET"]
    return ["LIST"] if scenario["by_name"] else ["GET"]


def make_fault(rng, scenario):
    plan = scenario["plan"] or []
    update = scenario["operation"] == "update"
    # The update scenarios keep the kinds and targets they had, so that they stay the same.
    kind = rng.choice(KINDS if update else OPERATION_KINDS[scenario["operation"]])
    writes = [w if w != "update" else "PUT" for w in plan]
    reads = _reads(scenario)
    if kind in ("transition_failed", "refused_6357"):
        pool = [w for w in writes if w in ("start", "stop")] or ["start", "stop"]
        if kind == "refused_6357" and not update:
            pool = [w for w in writes if w in ("start", "stop", "delete", "renew_lease")] or ["start", "stop"]
    elif kind == "race":
        pool = writes + ["GET"]
    elif kind == "deleted_by_other":
        pool = [w for w in writes if w != "create"] + ["GET"]
    else:
        pool = writes + reads + ["GET"]
    if rng.random() < 0.15:
        pool = list(TARGETS if not update else UPDATE_TARGETS)  # sometimes a point the task never reaches
    target = rng.choice(pool)
    method, path = TARGETS[target]
    fault = {
        "kind": kind,
        "target": target,
        "method": method,
        "path": path,
        "count": 1,
        "skip": rng.choice([0, 0, 1, 2]) if target == "GET" else 0,
    }
    retries = scenario["max_retries"]
    if kind == "5xx":
        fault.update(
            status=rng.choice([500, 502, 503, 504]), count=rng.randint(1, retries + 1), apply=rng.random() < 0.5
        )
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
        fault.update(
            status=None, transition_result=rng.choice(["ERROR", "START_FAILED"]), fail_reason="injected: host failure"
        )
    elif kind == "deleted_by_other":
        # The store's mark of a deleted instance, set as the request arrives: it is answered "does not exist".
        fault.update(status=None, modify={"_gone": True})
    elif kind == "race":
        initial = scenario["initial"]
        options = [
            {"description": "changed by someone else"},
            {"flavor": rng.choice(FLAVORS)},
            {"capacity": initial["capacity"] + 30},
        ]
        options.append({"status": "STOPPED"} if initial["status"] == "RUNNING" else {"status": "RUNNING"})
        fault.update(status=None, modify=rng.choice(options))
    elif kind == "refused_6357":
        fault.update(
            status=400,
            body={"error_code": "ModelArts.6357", "error_msg": "Another operation is running on the instance."},
        )
    return fault


# ---- running the module ---------------------------------------------------------------------------
def connection_args(sim, auth, max_retries):
    args = {
        "endpoint": sim.url,
        "project_id": DEFAULT_PROJECT_ID,
        "timeout": TIMEOUT,
        "max_retries": max_retries,
        "wait_timeout": 30,
    }
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
    module = os.path.join(
        collections_path, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules", "notebook_instance.py"
    )
    payload = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": payload}, handle)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": collections_path,
    }
    started = time.time()
    try:
        proc = subprocess.run(
            [sys.executable, module, handle.name],
            capture_output=True,
            text=True,
            env=env,
            timeout=SCENARIO_LIMIT,
            check=False,
        )
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as expired:
        out, err, rc = expired.stdout or "", expired.stderr or "", None
    finally:
        os.unlink(handle.name)
    try:
        result = json.loads(out)
    except ValueError:
        result = None
    return {
        "rc": rc,
        "stdout": out,
        "stderr": err,
        "result": result,
        "seconds": time.time() - started,
        "texts": [out, err],
    }


CREDENTIAL_VARIABLES = {
    "access_key": "HW_ACCESS_KEY",
    "secret_key": "HW_SECRET_KEY",
    "security_token": "HW_SECURITY_TOKEN",
    "auth_token": "HW_AUTH_TOKEN",
}


def playbook(args, result_file):
    """The play, as JSON (which is YAML): the task's arguments inline, the credentials left to the environment."""
    task_args = {k: v for k, v in args.items() if k not in CREDENTIAL_VARIABLES}
    return json.dumps(
        [
            {
                "hosts": "localhost",
                "gather_facts": False,
                "tasks": [
                    {
                        "name": "Notebook under faults",
                        "hwcloud.modelarts.notebook_instance": task_args,
                        "register": "outcome",
                        "ignore_errors": True,
                    },
                    {
                        "name": "Keep the result",
                        "ansible.builtin.copy": {
                            "content": "{{ outcome | to_json }}",
                            "dest": result_file,
                            "mode": "0600",
                        },
                        "check_mode": False,
                    },
                ],
            }
        ],
        indent=1,
    )


def run_playbook(collections_path, args, check_mode=False, diff=False):
    """The same task through a real ansible-playbook -vvvv; the result is read back from a file the play writes."""
    work = tempfile.mkdtemp(prefix="sweep-play-")
    try:
        paths = {name: os.path.join(work, name) for name in ("play.yml", "result.json", "ansible.log")}
        with open(paths["play.yml"], "w", encoding="utf-8") as handle:
            handle.write(playbook(args, paths["result.json"]))
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "LANG": "C.UTF-8",
            "ANSIBLE_COLLECTIONS_PATH": collections_path,
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_LOG_PATH": paths["ansible.log"],
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        }
        # Credentials come from the environment, as AWX injects them.
        env.update(
            {variable: str(args[option]) for option, variable in CREDENTIAL_VARIABLES.items() if args.get(option)}
        )
        command = [
            os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
            "-vvvv",
            "-i",
            "localhost,",
            "-c",
            "local",
            "-e",
            "ansible_python_interpreter=%s" % sys.executable,
            paths["play.yml"],
        ]
        if check_mode:
            command.append("--check")
        if diff:
            command.append("--diff")
        started = time.time()
        try:
            proc = subprocess.run(
                command, capture_output=True, text=True, env=env, timeout=SCENARIO_LIMIT + 60, check=False, cwd=work
            )
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
        return {
            "rc": 0 if result and not result.get("failed") else (1 if result else rc),
            "stdout": out,
            "stderr": err,
            "result": result,
            "seconds": time.time() - started,
            "texts": [out, err, log],
        }
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
                    if request.get(field) is not None and (
                        sent is None or sorted(set(sent.get(field) or [])) != sorted(set(request[field]))
                    ):
                        problems.append("a PUT sent endpoints %r for %r" % (sent, request))
        elif (
            key == "hooks"
            and value.get("container_hooks", {}).get("post_start") != params["hooks"]["container_hooks"]["post_start"]
        ):
            problems.append("a PUT sent hooks %r, not the requested ones" % value)
    return problems


def write_action(record):
    """The write a request is (create, delete, tag, untag, renew_lease, stop, start, update), or None for a read."""
    path = record.path.rstrip("/")
    if record.method == "GET":
        return None
    if record.method == "POST" and path.endswith("/notebooks"):
        return "create"
    for suffix, action in (
        ("/tags/create", "tag"),
        ("/tags/delete", "untag"),
        ("/lease", "renew_lease"),
        ("/stop", "stop"),
        ("/start", "start"),
    ):
        if path.endswith(suffix):
            return action
    return {"PUT": "update", "DELETE": "delete"}.get(record.method, "%s %s" % (record.method, path))


def tags_of(instance):
    return {tag["key"]: tag.get("value", "") for tag in (instance or {}).get("tags") or []}


def _common(scenario, outcome, requests, world, rerun, violations):
    """Invariants of every operation: no traceback or secret, a JSON result, bounded requests, a clear failure,
    no write in check mode or to an instance the task did not address, never two instances, Retry-After."""
    initial = scenario["initial"]
    secrets = [SECRET_KEY, SECURITY_TOKEN, IAM_TOKEN, initial["token"]]
    texts = list(outcome["texts"]) + (list(rerun["texts"]) if rerun else [])
    for text in texts:
        if "Traceback" in text:
            violations.append("a traceback in the output")
        for secret in secrets:
            if secret in text:
                violations.append("a secret in the output: %s..." % secret[:12])
    if outcome["rc"] is None:
        violations.append("the task did not end within %d s" % SCENARIO_LIMIT)
    if len(requests) > MAX_REQUESTS:
        violations.append("%d requests" % len(requests))
    result = outcome["result"]
    if isinstance(result, dict) and result.get("failed"):
        msg = result.get("msg") or ""
        if not msg:
            violations.append("a failure without msg")
        elif msg.startswith("Unexpected") or not ATTEMPTED.search(msg):
            violations.append("a failure message that does not name what was attempted: %s" % msg[:300])

    writes = [r for r in requests if r.method in WRITE_METHODS]
    if scenario["check_mode"] and writes:
        violations.append("check mode sent %d writes" % len(writes))
    # Only the task's instance is written to: the decoy and every other instance are left alone.
    for record in writes:
        if record.notebook_id and record.notebook_id in world["others"]:
            violations.append(
                "%s %s: a write to an instance the task did not address"
                % (record.method, record.path.split("/notebooks/")[-1])
            )
        if write_action(record) == "delete" and scenario["operation"] != "delete":
            violations.append("DELETE %s sent by a task that does not delete" % record.path.split("/notebooks/")[-1])
    for name, before, after in world["untouched"]:
        if before != after:
            violations.append("the instance %s was changed: %s" % (name, _difference(before, after)))
    if len(world["named"]) > 1:
        violations.append("%d instances are named %s" % (len(world["named"]), initial["name"]))
    creates = [r for r in writes if write_action(r) == "create" and r.applied]
    if len(creates) > (1 if scenario["operation"] == "create" else 0):
        violations.append("%d creates applied" % len(creates))

    # Retry-After: the same call is not sent again before the time asked.
    for position, record in enumerate(requests):
        wait = _retry_after(record, scenario)
        if wait:
            again = next(
                (r for r in requests[position + 1 :] if r.method == record.method and r.path == record.path), None
            )
            if again is not None and again.time - record.time < wait - 0.05:
                violations.append(
                    "%s %s sent again %.2f s after a Retry-After of %s s"
                    % (record.method, record.path.rsplit("/", 1)[-1], again.time - record.time, wait)
                )


def _difference(before, after):
    keys = sorted(set(before) | set(after), key=str)
    return ", ".join("%s %r -> %r" % (k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k))[
        :300
    ]


def _rerun_problem(rerun):
    rerun_result = rerun["result"] or {}
    if rerun_result.get("failed") or rerun_result.get("changed") or rerun["requests"] != 1:
        return "the rerun was not a clean no-op: failed=%s changed=%s requests=%d msg=%s" % (
            rerun_result.get("failed"),
            rerun_result.get("changed"),
            rerun["requests"],
            rerun_result.get("msg"),
        )
    return None


def check(scenario, outcome, requests, world, rerun):
    """The outcome (converged, failed or broken) and the violations of the invariants (empty: none)."""
    violations = []
    _common(scenario, outcome, requests, world, rerun, violations)
    result = outcome["result"]
    if not isinstance(result, dict):
        return "broken", violations + [
            "no JSON result (rc %s): %s" % (outcome["rc"], (outcome["stdout"] + outcome["stderr"])[-300:])
        ]
    failed = bool(result.get("failed"))
    {"create": _check_create, "delete": _check_delete}.get(scenario["operation"], _check_existing)(
        scenario, result, requests, world, rerun, violations
    )
    return ("failed" if failed else "converged"), violations


def _sent(requests):
    """The writes by action: {action: [records]}."""
    sent = collections.defaultdict(list)
    for record in requests:
        action = write_action(record)
        if action:
            sent[action].append(record)
    return sent


def _check_plan_writes(sent, allowed_plan, plan, violations, repeatable=()):
    for action, records in sorted(sent.items()):
        if action not in allowed_plan:
            violations.append("sent %d %s request(s), not in the plan %s" % (len(records), action, plan))
        applied = [r for r in records if r.applied]
        if len(applied) > 1 and action not in repeatable:
            violations.append("%d %s requests applied" % (len(applied), action))


def _check_existing(scenario, result, requests, world, rerun, violations):
    """update, tags and auto_stop: an existing instance brought to shape."""
    params, initial, plan = scenario["params"], scenario["initial"], scenario["plan"]
    live = world["live"]
    failed = bool(result.get("failed"))
    faults = scenario["faults"]
    status_race = [f for f in faults if f["kind"] == "race" and "status" in f.get("modify", {}) and f["hits"]]
    field_race = {
        "storage_size" if k == "capacity" else k
        for f in faults
        if f["kind"] == "race" and f["hits"]
        for k in f.get("modify", {})
    }
    gone = any(f["kind"] == "deleted_by_other" and f["hits"] for f in faults)
    if live is None and not gone:
        violations.append("the instance is gone, and no one else deleted it")
    if failed:
        pass
    elif live is None:
        violations.append("reported success, but someone else deleted the instance during the run")
    else:
        # A field someone else changed after the task read it may differ: the rerun must then converge.
        problems = [] if scenario["check_mode"] else live_matches(live, params, scenario["by_name"])
        problems = [problem for problem in problems if problem.split(".")[0] not in field_race]
        if problems:
            violations.append("reported success but %s differ" % ", ".join(problems))
        want = {"running": "RUNNING", "stopped": "STOPPED"}.get(
            params["state"], None if status_race else initial["status"]
        )
        if not scenario["check_mode"] and want and live["status"] != want:
            violations.append("reported success with status %s, %s wanted" % (live["status"], want))
        if scenario["check_mode"] and result.get("actions") != (plan or []) and not status_race and not field_race:
            violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), plan))
        if plan is None and not status_race and not field_race and not scenario["check_mode"]:
            violations.append("succeeded where the spec calls for a refusal")
        if not scenario["check_mode"] and params.get("tags") is not None:
            wanted = tags_wanted(initial["tags"], params["tags"], params.get("purge_tags", True))
            if tags_of(live) != wanted:
                violations.append("reported success with tags %s, %s wanted" % (tags_of(live), wanted))
        if (
            not scenario["check_mode"]
            and params.get("auto_stop") is not None
            and live["status"] == "RUNNING"
            and not status_race
            and lease_view(live.get("lease")) != lease_wanted(params["auto_stop"])
        ):
            violations.append(
                "reported success with the lease %s, %s asked"
                % (lease_view(live.get("lease")), lease_wanted(params["auto_stop"]))
            )
        if rerun is not None:
            problem = _rerun_problem(rerun)
            if problem:
                violations.append(problem)

    if live is not None:
        _check_untouched_settings(scenario, live, violations)
        # A running instance is left running, unless asked to stop it (or someone else stopped it).
        if (
            initial["status"] == "RUNNING"
            and params["state"] != "stopped"
            and not status_race
            and live["status"] in ("STOPPED", "STOPPING")
        ):
            violations.append("a running instance was left %s: %s" % (live["status"], (result.get("msg") or "")[:300]))

    # No write the task did not need.
    allowed_plan = set(plan or [])
    if status_race:
        other = "STOPPED" if initial["status"] == "RUNNING" else "RUNNING"
        changed = differing(dict(initial, **{"status": other}), params, scenario["by_name"])
        allowed_plan |= set(existing_plan(initial, params, changed, other) or [])
        if other == "RUNNING" and params.get("allow_restart"):
            allowed_plan.add("start")  # restarting what someone else started and this task stopped
    sent = _sent(requests)
    # Only a hooks-only update cannot be confirmed by reading and may be sent again.
    _check_plan_writes(sent, allowed_plan, plan, violations, repeatable=("update",) if not scenario["changed"] else ())
    allowed_fields = set(scenario["changed"]) | field_race
    for put in sent.get("update", []):
        violations.extend(check_put_body(put.body, scenario, allowed_fields))


def _check_untouched_settings(scenario, live, violations):
    """The lease changes only when auto_stop asks (then to what it asks); tags keep what the request does not purge."""
    params, initial = scenario["params"], scenario["initial"]
    lease_now = lease_view(live.get("lease"))
    if params.get("auto_stop") is None:
        # No start changed the instance's auto-stop: a start without a duration would turn it on for an hour.
        if lease_now != lease_view(initial["lease"]):
            violations.append("the auto-stop lease changed from %s to %s" % (lease_view(initial["lease"]), lease_now))
    elif lease_now not in (lease_view(initial["lease"]), lease_wanted(params["auto_stop"])):
        violations.append(
            "the auto-stop lease became %s: neither %s nor the asked %s"
            % (lease_now, lease_view(initial["lease"]), lease_wanted(params["auto_stop"]))
        )
    now = tags_of(live)
    if params.get("tags") is None:
        if now != initial["tags"]:
            violations.append("the tags changed from %s to %s without tags asked" % (initial["tags"], now))
    else:
        wanted = tags_wanted(initial["tags"], params["tags"], params.get("purge_tags", True))
        for key in set(now) | set(initial["tags"]) | set(wanted):
            if now.get(key) not in (initial["tags"].get(key), wanted.get(key)):
                violations.append(
                    "the tag %s became %r: neither %r nor the asked %r"
                    % (key, now.get(key), initial["tags"].get(key), wanted.get(key))
                )


def _check_create(scenario, result, requests, world, rerun, violations):
    params, plan = scenario["params"], scenario["plan"]
    failed = bool(result.get("failed"))
    named = world["named"]
    live = named[0] if len(named) == 1 else None
    gone = any(f["kind"] == "deleted_by_other" and f["hits"] for f in scenario["faults"])
    sent = _sent(requests)
    if scenario["check_mode"] or plan is None:
        if named:
            violations.append(
                "an instance was created %s"
                % ("in check mode" if scenario["check_mode"] else "where the spec calls for a refusal")
            )
        if not failed and scenario["check_mode"] and result.get("actions") != (plan or []):
            violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), plan))
        if plan is None and not failed:
            violations.append("succeeded where the spec calls for a refusal")
        if plan is None and sent:
            violations.append("a refused create sent %s" % sorted(sent))
        return
    if not failed:
        if live is None:
            violations.append("reported success, but %d instances are named %s" % (len(named), params["name"]))
        else:
            problems = live_matches(live, params, True)
            if params.get("storage_size") is None and live["volume"]["capacity"] != 5:
                problems.append("storage_size (the default 5)")
            if params.get("description") is None and live.get("description"):
                problems.append("description (none asked)")
            if tags_of(live) != (params.get("tags") or {}):
                problems.append("tags %s" % tags_of(live))
            asked = lease_wanted(params["auto_stop"]) if params.get("auto_stop") else {"enable": False}
            if lease_view(live.get("lease")) != asked:
                problems.append("lease %s, %s asked" % (lease_view(live.get("lease")), asked))
            if problems:
                violations.append("reported success but %s differ" % ", ".join(problems))
            want = {"stopped": ("STOPPED",)}.get(params["state"], ("RUNNING",))
            if not params["wait"] and params["state"] != "stopped":
                # The task returns after the create call: the instance may still be creating, or have failed since.
                want = ("CREATING", "CREATE_FAILED") if scenario.get("create_failed") else ("CREATING", "RUNNING")
            if world["status_at_end"] not in want:
                violations.append(
                    "reported success with status %s, %s wanted" % (world["status_at_end"], " or ".join(want))
                )
            if result.get("actions") != plan:
                violations.append("reported actions %s, the plan is %s" % (result.get("actions"), plan))
        if rerun is not None:
            problem = _rerun_problem(rerun)
            if problem:
                violations.append(problem)
    elif live is not None:
        # A failure after the create: what exists is still only what was asked, with no auto-stop or tag not asked for.
        asked = lease_wanted(params["auto_stop"]) if params.get("auto_stop") else {"enable": False}
        if lease_view(live.get("lease")) != asked:
            violations.append("the new instance's lease is %s, %s asked" % (lease_view(live.get("lease")), asked))
        if not set(tags_of(live).items()) <= set((params.get("tags") or {}).items()):
            violations.append("the new instance has tags %s, not asked" % tags_of(live))
    if not named and not failed:
        violations.append("reported success, but no instance is named %s" % params["name"])
    if named and not sent.get("create") and not gone:
        violations.append("an instance named %s exists without a create" % params["name"])
    _check_plan_writes(sent, set(plan), plan, violations)


def _check_delete(scenario, result, requests, world, rerun, violations):
    params, initial, plan = scenario["params"], scenario["initial"], scenario["plan"]
    failed = bool(result.get("failed"))
    live = world["live"]
    faults = scenario["faults"]
    sent = _sent(requests)
    for record in sent.get("delete", []):
        if record.notebook_id != world["target_id"]:
            violations.append("DELETE of %s, which the task did not address" % record.notebook_id)
    if scenario["check_mode"]:
        if not failed and result.get("actions") != plan:
            violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), plan))
        if (
            live is None
            and not initial["gone"]
            and not any(f["kind"] == "deleted_by_other" and f["hits"] for f in faults)
        ):
            violations.append("the instance is gone after a run in check mode")
    elif not failed:
        if params["wait"] and live is not None:
            violations.append("reported success, but the instance is still there (%s)" % live["status"])
        if not params["wait"] and live is not None and live["status"] != "DELETING":
            violations.append("reported success, but the instance is %s" % live["status"])
        if result.get("actions") not in (plan, []):
            violations.append("reported actions %s, the plan is %s" % (result.get("actions"), plan))
        if rerun is not None:
            problem = _rerun_problem(rerun)
            if problem:
                violations.append(problem)
    else:
        error = result.get("error") or {}
        # An instance already gone is what state=absent asks for: never a failure.
        if error.get("error_code") in ("ModelArts.6309", "ModelArts.6404") or error.get("status") == 404:
            violations.append("failed because the instance is already gone: %s" % (result.get("msg") or "")[:300])
    if live is not None and params["state"] == "absent":
        _check_untouched_settings(dict(scenario, params={"state": "absent"}), live, violations)
    _check_plan_writes(sent, set(plan), plan, violations)


def _retry_after(record, scenario):
    fault = next((f for f in scenario["faults"] if f["id"] == record.fault), None) if record.fault else None
    if fault is None or fault.get("status") is None or fault.get("drop"):
        return None
    value = (fault.get("headers") or {}).get("Retry-After")
    return float(value) if value else None


# ---- one scenario -------------------------------------------------------------------------------------
def _projection(instance):
    """What the task must not change of an instance it does not address."""
    return {
        "name": instance["name"],
        "status": instance["status"],
        "description": instance.get("description"),
        "flavor": instance["flavor"],
        "image": instance["image"]["id"],
        "capacity": instance["volume"]["capacity"],
        "tags": tags_of(instance),
        "lease": lease_view(instance.get("lease")),
        "endpoints": sorted(json.dumps(ep, sort_keys=True) for ep in instance["endpoints"]),
    }


def _live(sim, notebook_id):
    """A copy of the stored instance as it is now (the store's own dict changes as its transitions settle)."""
    try:
        return copy.deepcopy(sim.notebook(notebook_id))
    except KeyError:
        return None


def _named(sim, name):
    """Every instance with the name, as the store holds it (endpoints in both spellings)."""
    return [nb for nb in (_live(sim, view["id"]) for view in sim.notebooks() if view["name"] == name) if nb is not None]


def _settle(sim, name, limit=5.0):
    """Wait until no instance with the name is in a transition (a create or delete without wait), before the rerun."""
    deadline = time.time() + limit
    while time.time() < deadline and any(nb["status"] in TRANSITIONAL for nb in _named(sim, name)):
        time.sleep(0.05)


def _add_instance(sim, initial):
    status = initial["status"]
    notebook = sim.add_notebook(
        name=initial["name"],
        status="STOPPED",
        flavor=initial["flavor"],
        image_id=initial["image_id"],
        capacity=initial["capacity"],
        description=initial["description"],
        endpoints=initial["endpoints"],
        token=initial["token"],
        lease=initial["lease"],
        tags=[{"key": k, "value": v} for k, v in sorted(initial["tags"].items())],
    )
    if status == "ERROR":
        sim.set_status(notebook["id"], "ERROR", fail_reason="injected: host failure")
    elif status != "STOPPED":
        sim.set_status(notebook["id"], status)  # STARTING ends RUNNING after the transition
    return notebook["id"]


def scenario_kinds(scenario):
    """The faults of a scenario, and whether its create or delete ends in a failed status."""
    kinds = {f["kind"] for f in scenario["faults"]}
    kinds.update(kind for kind in ("create_failed", "delete_failed") if scenario.get(kind))
    return sorted(kinds)


def run_scenario(job):
    scenario, collections_path, use_playbook = job
    initial, kind = scenario["initial"], scenario["operation"]
    sim = Simulator(
        secret_key=SECRET_KEY,
        security_token=SECURITY_TOKEN if scenario["auth"] == "aksk_token" else None,
        auth_tokens=(IAM_TOKEN,),
        transition_seconds=TRANSITION_SECONDS,
        endpoint_spelling=scenario["spelling"],
    )
    sim.start()
    try:
        target_id = None
        if kind == "delete" and initial["gone"]:
            target_id = initial["unknown_id"]
        elif kind != "create":
            target_id = _add_instance(sim, initial)
        # Another instance with a similar name, so a lookup by name has to filter exactly; it has tags and auto-stop
        # on, so that a change to it shows.
        decoy = sim.add_notebook(
            name=initial["name"] + "-old",
            tags=[{"key": "keep", "value": "me"}],
            lease={"enable": True, "duration": 10800000, "type": "IDLE"},
        )
        others = {decoy["id"]}
        before = {decoy["id"]: _projection(sim.notebook(decoy["id"]))}
        if scenario.get("create_failed"):
            sim.fail_next_create(fail_reason="injected: no capacity left")
        if scenario.get("delete_failed"):
            sim.fail_next_transition(target_id, status="DELETE_FAILED", fail_reason="injected: volume busy")
        injected = []
        for spec in scenario["faults"]:
            injected.append(sim.inject_fault(**{k: v for k, v in spec.items() if k not in ("kind", "target")}))
        args = module_args(scenario, sim, target_id)
        runner = run_playbook if use_playbook else run_module
        outcome = runner(collections_path, args, check_mode=scenario["check_mode"], diff=True)
        for spec, fault in zip(scenario["faults"], injected):
            spec["id"], spec["hits"] = fault.id, fault.hits
        requests = sim.requests
        named = _named(sim, initial["name"])
        # The stored instance holds the endpoints in both spellings, whichever one the answers use.
        live = (
            (named[0] if len(named) == 1 else None)
            if kind == "create"
            else (_live(sim, target_id) if target_id else None)
        )
        world = {
            "live": live,
            "named": named,
            "others": others,
            "target_id": target_id,
            "status_at_end": live["status"] if live else None,
            "untouched": [(initial["name"] + "-old", before[decoy["id"]], _projection(sim.notebook(decoy["id"])))],
        }
        rerun = None
        result = outcome["result"] or {}
        # Without wait, a create or delete that fails later leaves a failed instance: a rerun is then right to fail.
        failed_later = (scenario.get("create_failed") or scenario.get("delete_failed")) and not scenario["params"].get(
            "wait", True
        )
        if (
            not result.get("failed")
            and outcome["rc"] is not None
            and not scenario["check_mode"]
            and not scenario["params"].get("force_update_hooks")
            and not failed_later
        ):
            sim.clear_faults()
            if kind == "create":
                _settle(sim, initial["name"])  # a rerun of a create without wait comes once the instance runs
            sim.clear_requests()
            rerun = run_module(collections_path, args)
            rerun["requests"] = len(sim.requests)
            if (rerun["result"] or {}).get("changed") and any(
                f["kind"] == "race" and f["hits"] for f in scenario["faults"]
            ):
                # Someone else changed a requested field after the task read it: the rerun puts it back, the next is a no-op.
                sim.clear_requests()
                rerun = run_module(collections_path, args)
                rerun["requests"] = len(sim.requests)
            world["named"] = named if len(named) > len(_named(sim, initial["name"])) else _named(sim, initial["name"])
        verdict, violations = check(scenario, outcome, requests, world, rerun)
        return {
            "index": scenario["index"],
            "operation": kind,
            "kinds": scenario_kinds(scenario),
            "verdict": verdict,
            "violations": violations,
            "seconds": outcome["seconds"],
            "playbook": use_playbook,
            "msg": (result.get("msg") or "")[:400],
            "actions": result.get("actions"),
            "faults": [{k: v for k, v in f.items() if k not in ("method", "path")} for f in scenario["faults"]],
        }
    except Exception as error:  # pylint: disable=broad-exception-caught
        return {
            "index": scenario["index"],
            "operation": kind,
            "kinds": scenario_kinds(scenario),
            "verdict": "broken",
            "violations": ["the sweep itself failed: %s: %s" % (type(error).__name__, error)],
            "seconds": 0,
            "playbook": use_playbook,
            "msg": "",
            "actions": None,
            "faults": scenario["faults"],
        }
    finally:
        sim.stop()


# ---- the sweep ----------------------------------------------------------------------------------------
def _tally(results, groups, key):
    table = collections.OrderedDict((group, collections.Counter()) for group in groups)
    for item in results:
        for group in key(item):
            table[group]["scenarios"] += 1
            table[group][item["verdict"]] += 1
            table[group]["violations"] += bool(item["violations"])
    return {group: dict(counts) for group, counts in table.items()}


def summarize(results, seed, wall):
    return {
        "seed": seed,
        "scenarios": len(results),
        "converged": sum(item["verdict"] == "converged" for item in results),
        "failed_cleanly": sum(item["verdict"] == "failed" and not item["violations"] for item in results),
        "invariant_violations": sum(len(item["violations"]) for item in results),
        "scenarios_with_violations": sum(bool(item["violations"]) for item in results),
        "through_ansible_playbook": sum(item["playbook"] for item in results),
        "wall_seconds": round(wall, 1),
        "per_operation": _tally(
            results, sorted(set(OPERATIONS), key=OPERATIONS.index), lambda item: [item["operation"]]
        ),
        "per_fault_kind": _tally(results, ALL_KINDS, lambda item: item["kinds"]),
    }


def render(summary, results):
    lines = [
        "Fault sweep of hwcloud.modelarts.notebook_instance (seed %s)" % summary["seed"],
        "scenarios:            %d (%d through ansible-playbook)"
        % (summary["scenarios"], summary["through_ansible_playbook"]),
        "converged:            %d" % summary["converged"],
        "failed cleanly:       %d" % summary["failed_cleanly"],
        "invariant violations: %d (in %d scenarios)"
        % (summary["invariant_violations"], summary["scenarios_with_violations"]),
        "wall time:            %.1f s" % summary["wall_seconds"],
    ]
    for title, table in (("operation", summary["per_operation"]), ("fault kind", summary["per_fault_kind"])):
        lines += ["", "%-18s %9s %9s %9s %10s" % (title, "scenarios", "converged", "failed", "violations")]
        for group, counts in table.items():
            figures = [counts.get(key, 0) for key in ("scenarios", "converged", "failed", "violations")]
            lines.append("%-18s %9d %9d %9d %10d" % tuple([group] + figures))
    for item in results:
        for violation in item["violations"]:
            lines.append(
                "VIOLATION scenario %d (%s: %s): %s"
                % (item["index"], item["operation"], ", ".join(item["kinds"]), violation)
            )
    return "\n".join(lines)


def default_collections_path():
    return os.path.join(ROOT, "build", "collections")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--scenarios", type=int, default=300)
    parser.add_argument("--seed", default="20260401")
    parser.add_argument("--workers", type=int, default=2, help="parallel scenarios, at most 2")
    parser.add_argument(
        "--playbook",
        type=int,
        default=0,
        metavar="N",
        help="run every N-th scenario through ansible-playbook -vvvv (0: none)",
    )
    parser.add_argument(
        "--collections-path",
        default=default_collections_path(),
        help="where hwcloud.modelarts is installed (make install); default build/collections",
    )
    parser.add_argument(
        "--report", help="write the figures and every scenario's outcome here as JSON (and a .txt beside it)"
    )
    parser.add_argument(
        "--only", type=int, action="append", help="run this scenario index only (repeatable), to reproduce one"
    )
    parser.add_argument(
        "--time-limit", type=float, default=1800, help="stop starting scenarios after this many seconds"
    )
    args = parser.parse_args(argv)
    module = os.path.join(args.collections_path, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules")
    if not os.path.isdir(module):
        parser.error("hwcloud.modelarts is not installed in %s: run make install first" % args.collections_path)
    indexes = args.only or list(range(args.scenarios))
    jobs = [
        (
            make_scenario(args.seed, i),
            args.collections_path,
            bool(args.playbook) and i % args.playbook == args.playbook - 1,
        )
        for i in indexes
    ]
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
