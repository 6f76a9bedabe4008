"""Reading the simulator's request log: which write a request is, the writes by action, Retry-After asked, and
waiting for a request the service holds."""

import collections
import time

from .faults import held


def write_action(record):
    """The write a request is (create, delete, tag, untag, renew_lease, stop, start, update, attach, detach), or None
    for a read."""
    path = record.path.rstrip("/")
    if record.method == "GET":
        return None
    if record.method == "POST" and path.endswith("/notebooks"):
        return "create"
    if "/storage" in path:
        return "attach" if record.method == "POST" else "detach"
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


def sent_writes(requests):
    """The writes by action: {action: [records]}."""
    sent = collections.defaultdict(list)
    for record in requests:
        action = write_action(record)
        if action:
            sent[action].append(record)
    return sent


def retry_after(record, scenario):
    """The seconds a Retry-After answer to ``record`` asked the client to wait, or None."""
    fault = next((f for f in scenario["faults"] if f["id"] == record.fault), None) if record.fault else None
    if fault is None or fault.get("status") is None or fault.get("drop"):
        return None
    value = (fault.get("headers") or {}).get("Retry-After")
    return float(value) if value else None


def wait_for_held(sim, faults, limit=10.0):
    """Wait until every request a held fault caught has been applied (or refused) and answered at the service, so
    that the checks see what it did: the client gave up on it long before."""
    ids = {fault["id"] for fault in faults if held(fault) and fault["hits"]}
    deadline = time.time() + limit + max((fault["delay"] for fault in faults if fault["id"] in ids), default=0)
    while ids and time.time() < deadline:
        if all(record.status is not None for record in sim.requests if record.fault in ids):
            return
        time.sleep(0.05)
