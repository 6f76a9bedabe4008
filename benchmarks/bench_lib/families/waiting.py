# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""waiting: stop, update and start (allow_restart) with the simulator's transitions; the task time less them."""

import statistics

from ..harness import task
from ..settings import TRANSITIONS, WAIT_REPEATS
from ..stats import secs, summary, wait_row, wait_target


def run(bench, rows):
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
        label = "stop+update+start, 2 × %g s transitions (task %s)" % (
            t,
            secs(statistics.median(r["seconds"] for r in mine)),
        )
        detail = "; %d requests; of it: before 1st request %s, polls past the ends %s, after last request %s" % (
            polls["median"],
            *(secs(statistics.median(p[i] for p in parts)) for i in range(3)),
        )
        rows.append(wait_row("4 waiting", label, overhead, detail, wait_target(2 * t) if t else None))


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
