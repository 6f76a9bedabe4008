# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""requests_per_task: requests per task, as the simulator recorded them, against the floor."""

import math

from ..harness import task
from ..settings import PAGE_SIZE, REPEATS
from ..stats import sequence, summary


def run(bench, rows):
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
