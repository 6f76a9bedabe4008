# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""lifecycle_requests: requests per task over a notebook's life (in shape, create, rerun, delete) against the floor."""

from ..harness import task
from ..lifecycle import LIFECYCLE_AUTO_STOP, LIFECYCLE_TAGS, creating
from ..settings import REPEATS
from ..stats import floor_rows


def run(bench, rows):
    """Lifecycle requests: in shape with tags and auto_stop, create by name and its rerun, delete and its rerun."""
    sim = bench.sim
    sim.reset()
    conn = bench.connection()
    lease = {"enable": True, "duration": LIFECYCLE_AUTO_STOP["hours"] * 3600000, "type": LIFECYCLE_AUTO_STOP["type"]}
    shaped = sim.add_notebook(
        name="lc-shaped",
        status="RUNNING",
        description="same",
        lease=lease,
        tags=[{"key": k, "value": v} for k, v in LIFECYCLE_TAGS.items()],
    )
    in_shape = dict(conn, description="same", tags=LIFECYCLE_TAGS, auto_stop=LIFECYCLE_AUTO_STOP)
    module = "hwcloud.modelarts.notebook_instance"
    # (key, label, floor, the floor's calls, writes allowed): the polls of a create or delete are one at 0 s transitions.
    kinds = [
        ("shape-id", "in shape with tags and auto_stop, by id", 1, "GET", False),
        ("shape-name", "in shape with tags and auto_stop, by name", 1, "GET (list)", False),
        (
            "create-tags",
            "create by name, with tags and auto_stop",
            4,
            "GET (list), POST (create), POST tags, 1 poll",
            True,
        ),
        ("rerun-tags", "its rerun", 1, "GET (list), no write", False),
        ("create-plain", "create by name, auto_stop without tags", 3, "GET (list), POST (create), 1 poll", True),
        ("rerun-plain", "its rerun", 1, "GET (list), no write", False),
        ("delete-name", "delete by name", 3, "GET (list), DELETE, 1 poll", True),
        ("gone-name", "its rerun (nothing to delete)", 1, "GET (list), no write", False),
        ("delete-id", "delete by id", 3, "GET, DELETE, 1 poll", True),
        ("gone-id", "its rerun (nothing to delete)", 1, "GET, no write", False),
    ]
    tasks = []
    for i in range(REPEATS):
        tagged, plain = "lc-tagged-%d" % i, "lc-plain-%d" % i
        tasks += [
            task("shape-id %d" % i, module, dict(in_shape, id=shaped["id"])),
            task("shape-name %d" % i, module, dict(in_shape, name="lc-shaped")),
            task("create-tags %d" % i, module, creating(conn, tagged)),
            task("rerun-tags %d" % i, module, creating(conn, tagged)),
            dict(task("create-plain %d" % i, module, creating(conn, plain, tags=False)), register="plain_%d" % i),
            task("rerun-plain %d" % i, module, creating(conn, plain, tags=False)),
            task("delete-name %d" % i, module, dict(conn, name=tagged, state="absent")),
            task("gone-name %d" % i, module, dict(conn, name=tagged, state="absent")),
            task("delete-id %d" % i, module, dict(conn, id="{{ plain_%d.notebook.id }}" % i, state="absent")),
            task("gone-id %d" % i, module, dict(conn, id="{{ plain_%d.notebook.id }}" % i, state="absent")),
        ]
    floor_rows(rows, "lifecycle requests", bench.play(tasks), kinds)
