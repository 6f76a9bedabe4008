"""The fault kinds every family can draw, and how a fault is drawn for a scenario.

A fault is the keyword arguments of Simulator.inject_fault, plus its ``kind`` and ``target`` (a key of TARGETS).
A family lists the kinds its scenarios draw (Family.kinds), may draw kinds of its own (Family.fault) and shapes
the points the shared kinds hit (Family.reads, Family.refusable, Family.stray_targets).
"""

from .constants import FLAVORS, TARGETS, TIMEOUT

# The kinds shared by every family, in the order the report lists them.
SHARED_KINDS = (
    "5xx",
    "429",
    "timeout",
    "drop",
    "malformed",
    "transition_failed",
    "race",
    "refused_6357",
    "deleted_by_other",
)


def make_fault(rng, scenario, family):
    """One fault for ``scenario``, drawn from ``rng`` (every draw below is part of the scenario's identity)."""
    plan = scenario["plan"] or []
    kind = rng.choice(family.kinds)
    own = family.fault(rng, scenario, kind)
    if own is not None:
        return own
    writes = [w if w != "update" else "PUT" for w in plan]
    reads = family.reads(scenario)
    if kind in ("transition_failed", "refused_6357"):
        pool = [w for w in writes if w in ("start", "stop")] or ["start", "stop"]
        if kind == "refused_6357":
            pool = [w for w in writes if w in family.refusable] or ["start", "stop"]
    elif kind == "race":
        pool = writes + ["GET"]
    elif kind == "deleted_by_other":
        pool = [w for w in writes if w != "create"] + ["GET"]
    else:
        pool = writes + reads + ["GET"]
    if rng.random() < 0.15:
        pool = list(family.stray_targets)  # sometimes a point the task never reaches
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
    else:
        raise ValueError("%s draws the fault kind %r, which neither it nor the core defines" % (family.name, kind))
    return fault


def held(fault):
    """Whether the service holds the request, then applies it (its answer never reaches the client in time)."""
    return bool(fault.get("delay")) and fault.get("status") is None and not fault.get("apply")
