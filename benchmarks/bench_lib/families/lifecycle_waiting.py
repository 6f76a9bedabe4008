# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""lifecycle_waiting: one notebook's life (create, rerun, restart, delete) per repetition; task time less the
simulator's transitions, and where it goes."""

import statistics

from ..harness import task
from ..lifecycle import creating
from ..settings import TRANSITIONS, WAIT_REPEATS
from ..stats import call, calls, secs, spread, summary, wait_row, wait_target


def run(bench, rows):
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
            wait_row("lifecycle waiting", name, stats, detail, wait_target(transitions[key] * t) if t else None)
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
