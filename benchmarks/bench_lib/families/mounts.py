# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""mounts: storage mounts of notebook_instance: the requests of an instance in shape and of attaching N mounts, and
the time an attach or detach of N mounts takes beyond the mount times."""

from ..harness import task
from ..settings import REPEATS, TRANSITIONS, WAIT_REPEATS
from ..stats import calls, floor_rows, secs, summary, wait_row, wait_target

MODULE = "hwcloud.modelarts.notebook_instance"
COUNTS = (1, 3)


def mounts(count):
    return [{"uri": "obs://bench-data/set-%d/" % i, "mount_path": "/data/set-%d/" % i} for i in range(count)]


def name(request):
    """One request of a mounts task: "GET", "GET (list)", "GET storage", "POST storage", "GET mount", "DELETE mount"."""
    path = request.path.rstrip("/")
    if path.endswith("/storage"):
        return "%s storage" % request.method
    if "/storage/" in path:
        return "%s mount" % request.method
    return "GET (list)" if path.endswith("/notebooks") else request.method


def run(bench, rows):
    """Mounts: requests in shape and per attach, and the time beyond the mount times of attaching and detaching."""
    sim = bench.sim
    storage = sim.resources["storage"]
    conn = bench.connection()
    try:
        sim.reset()
        storage.mount_seconds = 0.0
        shaped = sim.add_notebook(name="mnt-shaped", status="RUNNING")
        for mount in mounts(2):
            storage.add(shaped["id"], mount["mount_path"], mount["uri"])
        plain = [sim.add_notebook(name="mnt-plain-%d" % count, status="RUNNING") for count in COUNTS]
        tasks = [task("warm-up 0", MODULE, dict(conn, name="mnt-warm-up", state="absent"))]
        for i in range(REPEATS):
            tasks += [
                task("shape-id %d" % i, MODULE, dict(conn, id=shaped["id"], mounts=mounts(2))),
                task("shape-name %d" % i, MODULE, dict(conn, name="mnt-shaped", mounts=mounts(2))),
            ]
            for count, nb in zip(COUNTS, plain):
                tasks += [
                    task("attach-%d %d" % (count, i), MODULE, dict(conn, id=nb["id"], mounts=mounts(count))),
                    task("detach-%d %d" % (count, i), MODULE, dict(conn, id=nb["id"], mounts=[])),
                ]
        records = bench.play(tasks)
        request_rows(rows, records)
        for t in TRANSITIONS:
            storage.mount_seconds = t
            for count, nb in zip(COUNTS, plain):
                if count > 1 and t > min(TRANSITIONS):
                    continue  # several mounts at the longest time only add minutes, not a new figure
                tasks = [task("warm-up 0", MODULE, dict(conn, name="mnt-warm-up", state="absent"))]
                for i in range(WAIT_REPEATS):
                    tasks += [
                        task("attach %d" % i, MODULE, dict(conn, id=nb["id"], mounts=mounts(count))),
                        task("detach %d" % i, MODULE, dict(conn, id=nb["id"], mounts=[])),
                    ]
                waiting_rows(rows, bench.play(tasks), count, t)
    finally:
        storage.mount_seconds = None


def request_rows(rows, records):
    kinds = [
        ("shape-id", "in shape with 2 mounts, by id", 2, "GET, GET storage", False),
        ("shape-name", "in shape with 2 mounts, by name", 2, "GET (list), GET storage", False),
    ]
    for count in COUNTS:
        for verb, write in (("attach", "POST storage"), ("detach", "DELETE mount")):
            kinds.append(
                (
                    "%s-%d" % (verb, count),
                    "%s %d mount(s), 0 s mount time" % (verb, count),
                    2 + 2 * count,
                    "GET, GET storage, and per mount %s, 1 poll" % write,
                    True,
                )
            )
    floor_rows(rows, "mount requests", records, kinds, name=name)


def waiting_rows(rows, records, count, t):
    for key, verb in (("attach", "attach"), ("detach", "detach")):
        mine = [r for r in records if r["task"].split()[0] == key]
        # One mount after the other: each waits its own mount time.
        overhead = summary([r["seconds"] - count * t for r in mine])
        rows.append(
            wait_row(
                "mount waiting",
                "%s %d mount(s), %g s mount time (task %s)"
                % (verb, count, t, secs(summary([r["seconds"] for r in mine])["median"])),
                overhead,
                "; %d requests (last: %s)" % (len(mine[-1]["requests"]), calls(mine[-1]["requests"], name)),
                wait_target(count * t),
            )
        )
