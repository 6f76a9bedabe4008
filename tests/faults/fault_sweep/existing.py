"""A task on an instance that exists before the run (update, tags, auto_stop, and the draw of delete): its draw
and the checks of an instance brought to shape."""

from .constants import FLAVORS, IMAGES, LEASES, NOTEBOOK_TOKEN, TAG_POOL
from .family import Family
from .invariants import check_plan_writes, rerun_problem
from .oracle import (
    check_put_body,
    check_untouched_settings,
    differing,
    existing_plan,
    lease_view,
    lease_wanted,
    live_matches,
    tags_of,
    tags_wanted,
)
from .requestlog import sent_writes


def draw_existing(rng, scenario, statuses):
    """An instance in one of ``statuses``, addressed by id or (a fifth of the time) by name."""
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


def shape_params(rng, scenario, initial):
    """The params every existing-instance draw starts from: state, allow_restart, sometimes a description."""
    params = {"state": rng.choice(["present", "present", "running", "stopped"]), "allow_restart": rng.random() < 0.6}
    if rng.random() < 0.2:
        params["description"] = "Team notebook %d" % rng.randint(1, 99)
    scenario["params"] = params
    scenario["changed"] = differing(initial, params, scenario["by_name"])
    return params


class ExistingFamily(Family):
    """A family whose task brings an existing instance to shape."""

    def check(self, scenario, result, requests, world, rerun, violations):
        check_existing(scenario, result, requests, world, rerun, violations)


def check_existing(scenario, result, requests, world, rerun, violations):
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
            problem = rerun_problem(rerun)
            if problem:
                violations.append(problem)

    if live is not None:
        check_untouched_settings(scenario, live, violations)
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
    sent = sent_writes(requests)
    # Only a hooks-only update cannot be confirmed by reading and may be sent again.
    check_plan_writes(sent, allowed_plan, plan, violations, repeatable=("update",) if not scenario["changed"] else ())
    allowed_fields = set(scenario["changed"]) | field_race
    for put in sent.get("update", []):
        violations.extend(check_put_body(put.body, scenario, allowed_fields))
