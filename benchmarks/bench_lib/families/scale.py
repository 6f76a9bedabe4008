# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""scale: notebook_instance_info and a name lookup over N notebooks: time, requests, memory, growth per page."""

import math
import os
import statistics
import sys

from ..harness import task
from ..settings import PAGE_SIZE, SCALE, SCALE_REPEATS
from ..stats import secs, spread, summary
from modelarts_simulator import DEFAULT_AUTH_TOKEN

# The same pages fetched by a plain script: what the simulator and HTTP cost, without the module.
RAW_PAGING = """
import sys, requests
url, project, token = sys.argv[1:]
session, offset = requests.Session(), 0
while True:
    page = session.get("%s/v1/%s/notebooks" % (url, project), params={"limit": 50, "offset": offset}, headers={"X-Auth-Token": token}).json()
    offset += len(page["data"])
    if len(page["data"]) < 50 or offset >= page["total"]:
        break
"""


def run(bench, rows):
    """5. notebook_instance_info and name lookup over N notebooks, all matching the name filter: time, requests, memory."""
    sim = bench.sim
    conn = bench.connection()
    fit = {"info": [], "name": []}
    for count in SCALE:
        sim.reset()
        sim.add_notebook(name="scale", status="RUNNING", description="same")
        if count > 1:
            sim.bulk_add(count - 1, prefix="scale-")  # every name contains "scale": the fuzzy filter pages through all
        pages = math.ceil(count / PAGE_SIZE)
        kinds = {
            "info": ("notebook_instance_info", conn),
            "name": ("notebook_instance", dict(conn, name="scale", description="same")),
        }
        tasks = [
            task("%s %d" % (key, i), "hwcloud.modelarts." + module, args)
            for i in range(SCALE_REPEATS)
            for key, (module, args) in kinds.items()
        ]
        records = bench.play(tasks)
        raw = summary(
            [
                bench.process([sys.executable, "-c", RAW_PAGING, sim.url, sim.project_id, DEFAULT_AUTH_TOKEN])[0]
                for dummy in range(SCALE_REPEATS)
            ]
        )
        rows.append(
            (
                "5 scale",
                "raw paging process (requests, no Ansible), N=%d" % count,
                "process %s" % secs(raw["median"]),
                spread(raw),
                "the simulator's and HTTP's share",
                "",
            )
        )
        for key, (module, args) in kinds.items():
            mine = [r for r in records if r["task"].split()[0] == key]
            made = summary([len(r["requests"]) for r in mine])
            bare = [
                bench.module_process(os.path.join(bench.modules, module + ".py"), args)
                for dummy in range(SCALE_REPEATS)
            ]
            bare_time = summary([b[0] for b in bare])
            rss = statistics.median(b[1] for b in bare) / 1024
            fit[key].append((pages, bare_time["median"] - raw["median"], rss))
            label = "%s, N=%d" % ("notebook_instance_info" if key == "info" else "name lookup", count)
            rows.append(
                (
                    "5 scale",
                    label,
                    "task %s; process %s"
                    % (secs(statistics.median(r["seconds"] for r in mine)), secs(bare_time["median"])),
                    "process %s; peak RSS %.1f MiB" % (spread(bare_time), rss),
                    "requests %d (ceil(N/50) = %d)" % (made["max"], pages),
                    "met" if made["max"] == pages else "MISSED",
                )
            )
    for key, label in (("info", "notebook_instance_info"), ("name", "name lookup")):
        # Linear in pages: each added page costs about the same, so the marginal cost of the last stretch is
        # compared with the one before (a fit's r² hides a quadratic term over so few points). The module's own
        # share is used: the simulator filters and sorts every notebook for each page, which is not linear.
        points = [p for p in fit[key] if p[0] >= 2]
        if len(points) < 3:
            continue
        (p0, t0, m0), (p1, t1, m1), (p2, t2, m2) = points[-3:]
        before, last = (t1 - t0) / (p1 - p0), (t2 - t1) / (p2 - p1)
        linear = last <= 1.5 * before + 0.005  # 5 ms/page of slack: both are small and noisy
        rows.append(
            (
                "5 growth",
                "%s: module's own time (process − raw paging) per added page, %d→%d then %d→%d pages"
                % (label, p0, p1, p1, p2),
                "%.0f → %.0f ms/page" % (before * 1000, last * 1000),
                "peak RSS %.2f → %.2f MiB/page" % ((m1 - m0) / (p1 - p0), (m2 - m1) / (p2 - p1)),
                "linear in pages (last <= 1.5 × before)",
                "linear" if linear else "NOT linear",
            )
        )
