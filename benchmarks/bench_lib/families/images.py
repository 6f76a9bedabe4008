# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""images: notebook_image's requests per task against the floor, and a save's wait overhead past the transition."""

import statistics

from ..harness import task
from ..settings import REPEATS, TRANSITIONS, WAIT_REPEATS
from ..stats import calls, floor_rows, secs, summary, wait_row, wait_target

MODULE = "hwcloud.modelarts.notebook_image"
SWR = "swr.cn-north-4.myhuaweicloud.com"


def call(request):
    """One request of an image task: "GET (images)", "GET image", "POST (save)", "GET notebook"..."""
    path = request.path.rstrip("/")
    if path.endswith("/create-image"):
        return "POST (save)"
    if path.endswith("/images"):
        return "GET (images)" if request.method == "GET" else "POST (register)"
    if "/images/" in path:
        return "%s image" % request.method
    return "GET (notebooks)" if path.endswith("/notebooks") else "GET notebook"


def run(bench, rows):
    """Images: requests of notebook_image (exists, save, register, delete, reruns); a save's wait overhead."""
    sim = bench.sim
    images = sim.resources["images"]
    conn = bench.connection()
    try:
        requests_rows(bench, sim, images, conn, rows)
        for t in TRANSITIONS:
            waiting_rows(bench, sim, images, conn, rows, t)
    finally:
        images.image_seconds = None


def requests_rows(bench, sim, images, conn, rows):
    sim.reset()
    images.image_seconds = 0.0
    template = sim.add_notebook(name="img-template", status="RUNNING")
    existing = images.add("team-a", "bench-existing", "v1")
    identity = {"namespace": "team-a", "name": "bench-existing", "tag": "v1"}
    # (key, label, floor, the floor's calls, writes allowed): at 0 s, a save's polls are one of the image.
    kinds = [
        ("exists-identity", "an existing image, by namespace/name/tag", 1, "GET (images)", False),
        ("exists-id", "an existing image, by id", 1, "GET image", False),
        (
            "save",
            "save a notebook (by id)",
            5,
            "GET (images), GET notebook, POST (save), 1 poll, GET notebook",
            True,
        ),
        ("save-rerun", "its rerun", 1, "GET (images), no write", False),
        ("register", "register an SWR image", 2, "GET (images), POST (register): answered ACTIVE", True),
        ("register-rerun", "its rerun", 1, "GET (images), no write", False),
        ("delete", "delete by namespace/name/tag", 2, "GET (images), DELETE: answered DELETED", True),
        ("delete-rerun", "its rerun (nothing to delete)", 1, "GET (images), no write", False),
    ]
    tasks = []
    for i in range(REPEATS):
        saved = {"namespace": "team-a", "name": "bench-saved", "tag": "v%d" % i}
        path = "%s/team-b/bench-registered:%d" % (SWR, i)
        tasks += [
            task("exists-identity %d" % i, MODULE, dict(conn, **identity)),
            task("exists-id %d" % i, MODULE, dict(conn, id=existing["id"])),
            task("save %d" % i, MODULE, dict(conn, notebook=template["id"], **saved)),
            task("save-rerun %d" % i, MODULE, dict(conn, notebook=template["id"], **saved)),
            task("register %d" % i, MODULE, dict(conn, swr_path=path)),
            task("register-rerun %d" % i, MODULE, dict(conn, swr_path=path)),
            task("delete %d" % i, MODULE, dict(conn, state="absent", **saved)),
            task("delete-rerun %d" % i, MODULE, dict(conn, state="absent", **saved)),
        ]
    floor_rows(rows, "image requests", bench.play(tasks), kinds, name=call)


def waiting_rows(bench, sim, images, conn, rows, t):
    """A save whose image takes ``t`` seconds (the notebook SNAPSHOTTING as long): task time less ``t``."""
    sim.reset()
    images.image_seconds = t
    template = sim.add_notebook(name="img-template", status="RUNNING")
    # The first task of a play also pays for loading the collection: an image lookup takes that, unmeasured.
    tasks = [task("warm-up 0", MODULE, dict(conn, namespace="team-a", name="bench-warm-up", tag="v0", state="absent"))]
    for i in range(WAIT_REPEATS):
        saved = {"namespace": "team-a", "name": "bench-wait", "tag": "v%d" % i}
        tasks += [
            task("save %d" % i, MODULE, dict(conn, notebook=template["id"], **saved)),
            task("rerun %d" % i, MODULE, dict(conn, notebook=template["id"], **saved)),
        ]
    records = bench.play(tasks)
    saves = [r for r in records if r["task"].startswith("save ")]
    lookup = statistics.median(r["seconds"] for r in records if r["task"].startswith("rerun "))
    overhead = summary([r["seconds"] - t for r in saves])
    # After the image's end (the POST's time + t): the polls landing late, then the notebook read to the task's end.
    late = statistics.median(first_active(r) - post_time(r) - t for r in saves)
    after = statistics.median(r["end"] - first_active(r) for r in saves)
    rows.append(
        wait_row(
            "image waiting",
            "save, %g s for the image and the snapshot (task %s)"
            % (t, secs(statistics.median(r["seconds"] for r in saves))),
            overhead,
            "; %d – %d requests (last: %s); past the image's end: the poll seeing ACTIVE %s later, then %s to the "
            "task's end (the notebook read); a lookup-only task (the rerun): %s"
            % (
                min(len(r["requests"]) for r in saves),
                max(len(r["requests"]) for r in saves),
                calls(saves[-1]["requests"], call),
                secs(late),
                secs(after),
                secs(lookup),
            ),
            wait_target(t),
            " (the notebook waits' target)",
        )
    )


def post_time(record):
    return next(q.time for q in record["requests"] if call(q) == "POST (save)")


def first_active(record):
    return next(
        q.time
        for q in record["requests"]
        if call(q) == "GET image" and isinstance(q.response, dict) and q.response.get("status") == "ACTIVE"
    )
