"""Running one scenario: a fresh simulator on loopback, the module as Ansible runs it (a separate process, or a
real ansible-playbook -vvvv), the world after the run, the rerun, and the checks."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from .constants import IAM_TOKEN, SCENARIO_LIMIT, SECRET_KEY, SECURITY_TOKEN, TIMEOUT, TRANSITION_SECONDS
from .invariants import common
from .oracle import lease_view, tags_of
from .registry import family_of, scenario_kinds
from .requestlog import wait_for_held
from modelarts_simulator import DEFAULT_ACCESS_KEY, DEFAULT_PROJECT_ID, Simulator


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


def module_args(scenario, sim, target_id):
    args = connection_args(sim, scenario["auth"], scenario["max_retries"])
    args.update(scenario["params"])
    return family_of(scenario).module_args(scenario, args, target_id)


def run_module(collections_path, args, check_mode=False, diff=False, module="notebook_instance"):
    """The module as a separate process, as ansible runs it: arguments in a JSON file, the result as JSON on stdout."""
    module = os.path.join(
        collections_path, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules", module + ".py"
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


def playbook(args, result_file, module="notebook_instance"):
    """The play, as JSON (which is YAML): the task's arguments inline, the credentials left to the environment."""
    task_args = {k: v for k, v in args.items() if k not in CREDENTIAL_VARIABLES}
    return json.dumps(
        [
            {
                "hosts": "localhost",
                "gather_facts": False,
                "tasks": [
                    {
                        "name": "%s under faults" % module,
                        "hwcloud.modelarts." + module: task_args,
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


def run_playbook(collections_path, args, check_mode=False, diff=False, module="notebook_instance"):
    """The same task through a real ansible-playbook -vvvv; the result is read back from a file the play writes."""
    work = tempfile.mkdtemp(prefix="sweep-play-")
    try:
        paths = {name: os.path.join(work, name) for name in ("play.yml", "result.json", "ansible.log")}
        with open(paths["play.yml"], "w", encoding="utf-8") as handle:
            handle.write(playbook(args, paths["result.json"], module))
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


def projection(instance):
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


def check(scenario, outcome, requests, world, rerun):
    """The verdict (converged, failed or broken) and the violations of the invariants (empty: none)."""
    family = family_of(scenario)
    violations = []
    common(scenario, family, outcome, requests, world, rerun, violations)
    result = outcome["result"]
    if not isinstance(result, dict):
        return "broken", violations + [
            "no JSON result (rc %s): %s" % (outcome["rc"], (outcome["stdout"] + outcome["stderr"])[-300:])
        ]
    failed = bool(result.get("failed"))
    family.check(scenario, result, requests, world, rerun, violations)
    return ("failed" if failed else "converged"), violations


def run_scenario(job):
    """Run one scenario (a job: the scenario, the collections path, whether through ansible-playbook): its record."""
    scenario, collections_path, use_playbook = job
    initial, kind = scenario["initial"], scenario["operation"]
    family = family_of(scenario)
    sim = Simulator(
        secret_key=SECRET_KEY,
        security_token=SECURITY_TOKEN if scenario["auth"] == "aksk_token" else None,
        auth_tokens=(IAM_TOKEN,),
        transition_seconds=TRANSITION_SECONDS,
        endpoint_spelling=scenario["spelling"],
    )
    sim.start()
    try:
        target_id = family.prepare(sim, scenario)
        # Another instance with a similar name, so a lookup by name has to filter exactly; it has tags and auto-stop
        # on, so that a change to it shows.
        decoy = sim.add_notebook(
            name=initial["name"] + "-old",
            tags=[{"key": "keep", "value": "me"}],
            lease={"enable": True, "duration": 10800000, "type": "IDLE"},
        )
        others = {decoy["id"]}
        before = {decoy["id"]: projection(sim.notebook(decoy["id"]))}
        injected = []
        for spec in scenario["faults"]:
            injected.append(family.inject(sim, spec))
        args = module_args(scenario, sim, target_id)
        runner = run_playbook if use_playbook else run_module
        outcome = runner(collections_path, args, check_mode=scenario["check_mode"], diff=True, module=family.module)
        for spec, fault in zip(scenario["faults"], injected):
            spec["id"], spec["hits"] = fault.id, fault.hits
        # A request the service held is applied after the task gave up on it: the checks come after that.
        wait_for_held(sim, scenario["faults"])
        requests = sim.requests
        named = family.named(sim, initial["name"])
        # The stored instance holds the endpoints in both spellings, whichever one the answers use.
        live = family.live(sim, scenario, target_id, named)
        world = {
            "live": live,
            "named": named,
            "others": others,
            "target_id": target_id,
            "status_at_end": live["status"] if live else None,
            "untouched": [(initial["name"] + "-old", before[decoy["id"]], projection(sim.notebook(decoy["id"])))],
        }
        rerun = None
        result = outcome["result"] or {}
        if (
            not result.get("failed")
            and outcome["rc"] is not None
            and not scenario["check_mode"]
            and not scenario["params"].get("force_update_hooks")
            and family.rerun_allowed(scenario)
        ):
            sim.clear_faults()
            family.before_rerun(sim, scenario)
            sim.clear_requests()
            rerun = run_module(collections_path, args, module=family.module)
            rerun["requests"] = len(sim.requests)
            rerun["request_paths"] = [(r.method, r.path) for r in sim.requests]
            if (rerun["result"] or {}).get("changed") and any(
                f["kind"] == "race" and f["hits"] for f in scenario["faults"]
            ):
                # Someone else changed a requested field after the task read it: the rerun puts it back, the next is a no-op.
                sim.clear_requests()
                rerun = run_module(collections_path, args, module=family.module)
                rerun["requests"] = len(sim.requests)
                rerun["request_paths"] = [(r.method, r.path) for r in sim.requests]
            now = family.named(sim, initial["name"])
            world["named"] = named if len(named) > len(now) else now
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
