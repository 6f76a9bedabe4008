# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""workspaces: requests of the workspace tasks against the floor, and workspace_info over N workspaces."""

import math

from ..harness import task
from ..settings import REPEATS, SCALE_REPEATS, WORKSPACE_SCALE
from ..stats import secs, sequence, summary

# The largest page of the workspaces list: N workspaces cost ceil(N/1000) requests.
WORKSPACE_PAGE = 1000
GRANTS = [{"user_name": "alice"}, {"user_name": "bob"}]


def run(bench, rows):
    """Workspaces: a workspace in shape (by id, by name, with grants), a create, an update and a delete, each against
    its floor of requests; workspace_info over N workspaces (ceil(N/1000) list requests)."""
    sim = bench.sim
    workspaces = sim.resources["workspaces"]
    sim.reset()
    workspaces.max_workspaces = 10000
    team = workspaces.add(name="bench-team", description="same", auth_type="INTERNAL", grants=GRANTS)
    workspaces.add(name="bench-team-old")
    # The updates change a workspace of their own: the tasks in shape keep theirs as it is.
    workspaces.add(name="bench-rev", description="rev")
    conn = bench.connection()
    kinds = [
        ("id", "workspace in shape, by id", 1, "GET", lambda i: dict(id=team["id"], description="same")),
        ("name", "workspace in shape, by name", 1, "GET (list)", lambda i: dict(name="bench-team", description="same")),
        (
            "grants",
            "workspace in shape, by name, with grants",
            2,
            "GET (list), GET: the list carries no grants",
            lambda i: dict(name="bench-team", auth_type="INTERNAL", grants=GRANTS),
        ),
        ("create", "create by name", 2, "GET (list), POST", lambda i: dict(name="bench-new-%d" % i)),
        (
            "update",
            "update of the description, by name",
            3,
            "GET (list), PUT, GET: the PUT answers the id only",
            lambda i: dict(name="bench-rev", description="rev %d" % i),
        ),
        (
            "delete",
            "delete of an empty workspace by name",
            4,
            "GET (list), GET (every user's notebooks), DELETE, GET",
            lambda i: dict(name="bench-new-%d" % i, state="absent"),
        ),
    ]
    tasks = []
    for i in range(REPEATS):
        tasks += [
            task("%s %d" % (kind[0], i), "hwcloud.modelarts.workspace", dict(conn, **kind[4](i))) for kind in kinds
        ]
    records = bench.play(tasks)
    for key, label, floor, floor_text, dummy in kinds:
        mine = [r for r in records if r["task"].split()[0] == key]
        counts = summary([len(r["requests"]) for r in mine])
        writes = [q for r in mine for q in r["requests"] if q.method != "GET"]
        in_shape = key in ("id", "name", "grants")
        verdict = "at floor" if counts["max"] <= floor else "above floor by %d" % (counts["max"] - floor)
        if in_shape and writes:
            verdict = "MISSED: %d writes" % len(writes)
        rows.append(
            (
                "workspaces requests",
                label,
                "%d" % counts["median"],
                "%d – %d; last: %s; %s"
                % (
                    counts["min"],
                    counts["max"],
                    sequence(mine[-1]["requests"]),
                    secs(summary([r["seconds"] for r in mine])["median"]),
                ),
                "floor %d (%s)%s" % (floor, floor_text, "; no write" if in_shape else ""),
                verdict,
            )
        )
    for count in WORKSPACE_SCALE:
        sim.reset()
        workspaces.max_workspaces = count + 10
        # The default workspace is one of the N.
        for n in range(count - 1):
            workspaces.add(name="scale-%05d" % n)
        pages = math.ceil(count / WORKSPACE_PAGE)
        records = bench.play(
            [task("info %d" % i, "hwcloud.modelarts.workspace_info", conn) for i in range(SCALE_REPEATS)]
        )
        counts = summary([len(r["requests"]) for r in records])
        rows.append(
            (
                "workspaces scale",
                "workspace_info, N=%d" % count,
                "%d" % counts["median"],
                "%d – %d requests; %s"
                % (counts["min"], counts["max"], secs(summary([r["seconds"] for r in records])["median"])),
                "ceil(N/1000) = %d list requests" % pages,
                "met" if counts["max"] == pages else "MISSED",
            )
        )
