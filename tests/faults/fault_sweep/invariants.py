"""The invariants every operation shares, and checks the families build theirs from."""

from .constants import IAM_TOKEN, MAX_REQUESTS, SCENARIO_LIMIT, SECRET_KEY, SECURITY_TOKEN, WRITE_METHODS
from .requestlog import retry_after, write_action


def common(scenario, family, outcome, requests, world, rerun, violations):
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
        elif msg.startswith("Unexpected") or not family.attempted.search(msg):
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
        if write_action(record) == "delete" and not family.deletes:
            violations.append("DELETE %s sent by a task that does not delete" % record.path.split("/notebooks/")[-1])
    for name, before, after in world["untouched"]:
        if before != after:
            violations.append("the instance %s was changed: %s" % (name, difference(before, after)))
    if len(world["named"]) > 1:
        violations.append("%d instances are named %s" % (len(world["named"]), initial["name"]))
    creates = [r for r in writes if write_action(r) == "create" and r.applied]
    if len(creates) > family.creates:
        violations.append("%d creates applied" % len(creates))

    # Retry-After: the same call is not sent again before the time asked.
    for position, record in enumerate(requests):
        wait = retry_after(record, scenario)
        if wait:
            again = next(
                (r for r in requests[position + 1 :] if r.method == record.method and r.path == record.path), None
            )
            if again is not None and again.time - record.time < wait - 0.05:
                violations.append(
                    "%s %s sent again %.2f s after a Retry-After of %s s"
                    % (record.method, record.path.rsplit("/", 1)[-1], again.time - record.time, wait)
                )


def difference(before, after):
    """What changed between two projections of an instance, shortened."""
    keys = sorted(set(before) | set(after), key=str)
    return ", ".join("%s %r -> %r" % (k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k))[
        :300
    ]


def rerun_problem(rerun):
    """What is wrong with the rerun after a success (a no-op of one request), or None."""
    rerun_result = rerun["result"] or {}
    if rerun_result.get("failed") or rerun_result.get("changed") or rerun["requests"] != 1:
        return "the rerun was not a clean no-op: failed=%s changed=%s requests=%d msg=%s" % (
            rerun_result.get("failed"),
            rerun_result.get("changed"),
            rerun["requests"],
            rerun_result.get("msg"),
        )
    return None


def check_plan_writes(sent, allowed_plan, plan, violations, repeatable=()):
    """Only the planned writes, at most one applied of each (but those in ``repeatable``)."""
    for action, records in sorted(sent.items()):
        if action not in allowed_plan:
            violations.append("sent %d %s request(s), not in the plan %s" % (len(records), action, plan))
        applied = [r for r in records if r.applied]
        if len(applied) > 1 and action not in repeatable:
            violations.append("%d %s requests applied" % (len(applied), action))
