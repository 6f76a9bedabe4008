"""mounts: storage mounts declared on an existing instance (running or stopped, with mounts of its own: dynamic or
made at creation, some failed), with a state, allow_restart and sometimes a field to update, purge_mounts or not;
whether the service keeps dynamic mounts across a stop, and whether a detach answers the mount or 204, are drawn.

Its own faults: a mount attached by someone else as the task's attach arrives (the same one: the attach is refused
as a duplicate), and a mount detached by someone else as the task's detach arrives; a mount or an unmount that
ends failed (flags). Its invariants: at most one applied attach per requested path, no detach of a mount the task
does not manage (made at creation, or not requested with purge_mounts false), and converged (the storage list as
asked, every mount MOUNTED, an immediate rerun a no-op of a GET and a storage list) or a clean failure.
"""

import random

from ..constants import TARGETS, TIMEOUT
from ..existing import ExistingFamily, check_existing, draw_existing, shape_params
from ..faults import held
from ..oracle import existing_plan
from ..requestlog import sent_writes

PATHS = ["/data/a/", "/data/b/", "/data/c/", "/data/d/"]
# bucket-3 is a parallel file system: asked as OBS, it is reported as OBSFS (and compares equal).
URIS = ["obs://bucket-1/x/", "obs://bucket-2/y/", "obs://bucket-3/"]
PARALLEL = ["bucket-3"]
MOUNT_SECONDS = 0.2
LEAVING = ("UNMOUNTING", "UNMOUNTED")


def key(path):
    return path.rstrip("/")


def same_target(live, wanted):
    classes = {"OBS": "OBS", "OBSFS": "OBS", "EFS": "EFS"}
    return (
        live["uri"].rstrip("/") == wanted["uri"].rstrip("/")
        and classes[live["category"]] == classes[wanted.get("category", "OBS")]
    )


def steps(live, wanted, purge):
    """The attaches and detaches the spec calls for (written here apart from the module's planner); None: a refusal
    (a requested path held by a mount made at creation, on another URI)."""
    by_path = {key(m["mount_path"]): m for m in live if m["status"] not in LEAVING}
    requested = {key(w["mount_path"]) for w in wanted}
    plan = []
    if purge:
        plan += [("detach", k) for k in sorted(by_path) if k not in requested and by_path[k]["mount_type"] != "STATIC"]
    for mount in wanted:
        current = by_path.get(key(mount["mount_path"]))
        if current is None:
            plan.append(("attach", key(mount["mount_path"])))
        elif current["mount_type"] == "STATIC":
            if not same_target(current, mount):
                return None
        elif not same_target(current, mount) or current["status"] == "MOUNT_FAILED":
            plan += [("detach", key(mount["mount_path"])), ("attach", key(mount["mount_path"]))]
    return plan


def end_status(status, plan):
    for action in plan:
        status = {"stop": "STOPPED", "start": "RUNNING"}.get(action, status)
    return status


class Mounts(ExistingFamily):
    name = "mounts"
    kinds = ("5xx", "429", "timeout", "drop", "malformed", "race", "refused_6357", "deleted_by_other")
    own_kinds = ("attached_by_other", "detached_by_other", "attach_applied_after_timeout")
    flag_kinds = ("mount_failed", "unmount_failed")
    refusable = ("start", "stop", "attach", "detach")
    stray_targets = tuple(TARGETS)

    def draw(self, rng, scenario):
        initial = draw_existing(rng, scenario, ["RUNNING", "RUNNING", "STOPPED"])
        initial["mounts"] = []
        for path in rng.sample(PATHS, rng.randint(0, 3)):
            initial["mounts"].append(
                {
                    "mount_path": path,
                    "uri": rng.choice(URIS),
                    "category": rng.choice(["OBS", "OBSFS"]),
                    "status": rng.choice(["MOUNTED"] * 8 + ["MOUNT_FAILED", "UNMOUNT_FAILED"]),
                    "mount_type": "STATIC" if rng.random() < 0.1 else "DYNAMIC",
                }
            )
        params = shape_params(rng, scenario, initial)
        live = {key(m["mount_path"]): m for m in initial["mounts"]}
        params["mounts"] = []
        for path in rng.sample(PATHS, rng.randint(0, 3)):
            current = live.get(key(path))
            if current is not None and rng.random() < 0.35:
                # In place, written another way: without its slashes, OBS for OBSFS.
                mount = {"mount_path": path.rstrip("/") if rng.random() < 0.3 else path, "uri": current["uri"]}
                mount["category"] = "OBS" if current["category"] in ("OBS", "OBSFS") else current["category"]
            else:
                mount = {"mount_path": path, "uri": rng.choice(URIS), "category": rng.choice(["OBS", "OBSFS"])}
            params["mounts"].append(mount)
        params["purge_mounts"] = rng.random() < 0.7
        scenario["survive"] = rng.random() < 0.5
        scenario["detach_answer"] = rng.choice(["mount", "empty"])
        flag = rng.random()
        scenario["mount_failed"] = flag < 0.1
        scenario["unmount_failed"] = 0.1 <= flag < 0.17
        notebook_plan = existing_plan(initial, params, scenario["changed"])
        scenario["notebook_plan"] = notebook_plan
        scenario["plan"] = self.expected(scenario, after_start=False)

    def expected(self, scenario, after_start):
        """The writes called for; ``after_start``: with the storage list as it is after a start the task made."""
        initial, params, notebook_plan = scenario["initial"], scenario["params"], scenario["notebook_plan"]
        if notebook_plan is None:
            return None
        if end_status(initial["status"], notebook_plan) != "RUNNING":
            return list(notebook_plan)
        live = initial["mounts"]
        # Only a stop the task made can take dynamic mounts away (when the service does not keep them).
        if after_start and "stop" in notebook_plan and "start" in notebook_plan and not scenario["survive"]:
            live = [m for m in live if m["mount_type"] == "STATIC"]
        mount_plan = steps(live, params["mounts"], params["purge_mounts"])
        if mount_plan is None:
            return None
        return list(notebook_plan) + [action for action, dummy in mount_plan]

    def make_scenario(self, seed, index):
        scenario = super().make_scenario(seed, index)
        rng = random.Random("%s-%d-mounts-own" % (seed, index))
        plan = scenario["plan"] or []
        if rng.random() < 0.3 and ("attach" in plan or "detach" in plan):
            kind = rng.choice(
                [
                    k
                    for k, action in (("attached_by_other", "attach"), ("detached_by_other", "detach"))
                    if action in plan
                ]
            )
            target = "attach" if kind == "attached_by_other" else "detach"
            method, path = {"attach": ("POST", r"/storage$"), "detach": ("DELETE", r"/storage/[^/]+$")}[target]
            scenario["faults"].append(
                {"kind": kind, "target": target, "method": method, "path": path, "count": 1, "status": None, "skip": 0}
            )
        if rng.random() < 0.25 and "attach" in plan:
            # The attach held at the service past the module's timeout, then applied: the module must not send it
            # again while it may still be made.
            scenario["faults"].append(
                {
                    "kind": "attach_applied_after_timeout",
                    "target": "attach",
                    "method": "POST",
                    "path": r"/storage$",
                    "count": 1,
                    "status": None,
                    "delay": TIMEOUT + rng.choice([0.6, 1.4]),
                    "skip": 0,
                }
            )
        return scenario

    def reads(self, scenario):
        return (["LIST"] if scenario["by_name"] else ["GET"]) + ["STORAGE", "MOUNT"]

    def inject(self, sim, spec):
        if spec["kind"] == "attached_by_other":
            return sim.inject_fault(**dict(_arguments(spec), meanwhile=attach_the_same))
        if spec["kind"] == "detached_by_other":
            return sim.inject_fault(**dict(_arguments(spec), meanwhile=detach_it))
        return super().inject(sim, spec)

    def prepare(self, sim, scenario):
        notebook_id = super().prepare(sim, scenario)
        storage = sim.resources["storage"]
        storage.mounts_survive_stop = scenario["survive"]
        storage.detach_answer = scenario["detach_answer"]
        storage.mount_seconds = MOUNT_SECONDS
        storage.parallel_buckets = list(PARALLEL)
        scenario["mount_ids"] = {}
        for mount in scenario["initial"]["mounts"]:
            scenario["mount_ids"][storage.add(notebook_id, **mount)["id"]] = mount
        if scenario["mount_failed"]:
            storage.fail_next(notebook_id, "MOUNT_FAILED", "injected: bucket not found")
        if scenario["unmount_failed"]:
            storage.fail_next(notebook_id, "UNMOUNT_FAILED", "injected: device busy")
        return notebook_id

    def live(self, sim, scenario, target_id, named):
        live = super().live(sim, scenario, target_id, named)
        if live is not None:
            live["_mounts"] = sim.resources["storage"].mounts(target_id)
        return live

    def check(self, scenario, result, requests, world, rerun, violations):
        params = scenario["params"]
        live = world["live"]
        failed = bool(result.get("failed"))
        # The notebook's own checks, with the notebook's part of the plan (mount writes are checked below).
        check_existing(
            dict(scenario, plan=scenario["notebook_plan"]),
            dict(result, actions=[a for a in result.get("actions") or [] if a not in ("attach", "detach")]),
            [r for r in requests if "/storage" not in r.path],
            world,
            _rerun_without_storage(rerun),
            violations,
        )
        sent = sent_writes(requests)
        attaches = {}
        for record in sent.get("attach", []):
            if record.applied:
                attaches.setdefault(key((record.body or {}).get("mount_path", "")), []).append(record)
        # An attach whose answer was lost may still be made: none may be sent again for that path.
        in_doubt = {f["id"] for f in scenario["faults"] if f.get("drop") or held(f) or f["kind"] == "timeout"}
        posts = sent.get("attach", [])
        for position, record in enumerate(posts):
            if record.fault in in_doubt or record.status == 0:
                path = key((record.body or {}).get("mount_path", ""))
                again = [r for r in posts[position + 1 :] if key((r.body or {}).get("mount_path", "")) == path]
                if again:
                    violations.append("an attach at %s was sent again after its answer was lost" % path)
        for path, records in sorted(attaches.items()):
            if len(records) > 1:
                violations.append("%d attaches applied at %s" % (len(records), path))
            if path not in {key(m["mount_path"]) for m in params["mounts"]}:
                violations.append("an attach at %s, which was not requested" % path)
        managed = {key(m["mount_path"]) for m in params["mounts"]} if not params["purge_mounts"] else None
        by_id = scenario.get("mount_ids", {})
        for record in sent.get("detach", []):
            mount_id = record.path.rstrip("/").rsplit("/", 1)[-1]
            mount = by_id.get(mount_id)
            if mount is None:
                continue  # one the task attached itself (a replacement's detach never targets a new id)
            if mount["mount_type"] == "STATIC":
                violations.append("a detach of %s, made at creation" % mount["mount_path"])
            elif managed is not None and key(mount["mount_path"]) not in managed:
                violations.append("a detach of %s, not requested, with purge_mounts false" % mount["mount_path"])
        others = any(f["kind"] in ("attached_by_other", "detached_by_other") and f["hits"] for f in scenario["faults"])
        if scenario["check_mode"]:
            if not failed and result.get("actions") != (scenario["plan"] or []) and not _raced(scenario):
                violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), scenario["plan"]))
            return
        if failed or live is None:
            return
        expected = self.expected(scenario, after_start=True)
        if expected is None and not _raced(scenario):
            violations.append("succeeded where the spec calls for a refusal")
        ends_running = live["status"] == "RUNNING"
        if ends_running and scenario["notebook_plan"] is not None:
            wanted = {key(m["mount_path"]): m for m in params["mounts"]}
            present = {key(m["mount_path"]): m for m in live["_mounts"] if m["status"] not in LEAVING}
            for path, mount in sorted(wanted.items()):
                current = present.get(path)
                if current is None or not same_target(current, mount):
                    violations.append("reported success, but %s is not mounted as asked" % path)
                elif current["status"] != "MOUNTED" and not _left_in_place(scenario, path, current):
                    violations.append("reported success with %s %s" % (path, current["status"]))
            if params["purge_mounts"]:
                stray = [p for p, m in present.items() if p not in wanted and m["mount_type"] != "STATIC"]
                if stray:
                    violations.append("reported success, but %s were not purged" % ", ".join(sorted(stray)))
            if expected is not None and not others and not _raced(scenario) and result.get("actions") != expected:
                violations.append("did %s, the plan is %s" % (result.get("actions"), expected))


def _arguments(spec):
    return {k: v for k, v in spec.items() if k not in ("kind", "target")}


def _raced(scenario):
    return any(f["kind"] in ("race", "deleted_by_other") and f["hits"] for f in scenario["faults"])


def _rerun_without_storage(rerun):
    """The rerun as the notebook's checks see it: its storage list is the one more request mounts cost."""
    if rerun is None:
        return None
    storage = sum(1 for dummy, path in rerun.get("request_paths", []) if "/storage" in path)
    return dict(rerun, requests=rerun["requests"] - min(storage, 1))


def _left_in_place(scenario, path, current):
    """A mount in UNMOUNT_FAILED before the run that was asked for as it is: still mounted, left alone."""
    before = next((m for m in scenario["initial"]["mounts"] if key(m["mount_path"]) == path), None)
    return before is not None and before["status"] == current["status"] == "UNMOUNT_FAILED"


def attach_the_same(sim, record):
    """Someone else attaches what the task's attach asks for, just before it arrives."""
    body = record.body or {}
    if record.notebook_id and body.get("mount_path"):
        try:
            sim.resources["storage"].add(
                record.notebook_id, body["mount_path"], body.get("uri", ""), category=body.get("category", "OBS")
            )
        except Exception:  # pylint: disable=broad-exception-caught
            pass  # the notebook is gone: the attach answers so


def detach_it(sim, record):
    """Someone else's detach of the mount the task's detach names ends just before it arrives."""
    storage_id = record.path.rstrip("/").rsplit("/", 1)[-1]
    try:
        sim.resources["storage"].remove(record.notebook_id, storage_id)
    except (KeyError, Exception):  # pylint: disable=broad-exception-caught
        pass


FAMILY = Mounts()
