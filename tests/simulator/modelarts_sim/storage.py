"""The dynamic storage of a notebook: OBS buckets, parallel file systems and SFS Turbo file systems mounted into it.

Attach (POST ``.../storage``) answers the mount MOUNTING, which ends MOUNTED after the mount delay (or
MOUNT_FAILED, armed with ``fail_next``); detach (DELETE ``.../storage/{storage_id}``) answers it UNMOUNTING, and
it is gone after the delay (or UNMOUNT_FAILED). Both need a RUNNING notebook. A mount made at creation
(``mount_type`` STATIC) cannot be detached. What the documentation leaves open is a setting, so the collection is
tested both ways: whether dynamic mounts survive a stop (``mounts_survive_stop``), whether a detach answers the
mount or 204 (``detach_answer``); a bucket named in ``parallel_buckets`` is a parallel file system, reported as
OBSFS when asked as OBS. The error codes for a duplicate path or an 11th mount are not documented either: the
simulator answers ModelArts.6336 (a property value the rules refuse) for both.
"""

import copy
import uuid

from .base import Resource, now_ms
from .errors import ServiceError, property_error, required_error
from .routing import NO_CONTENT, Route
from .validation import check_body

CATEGORIES = ("OBS", "OBSFS", "EFS")
FIELDS = {"category": str, "mount_path": str, "uri": str, "efs_id": str}
MOUNT_ROOT = "/data/"
PATH_MAX = URI_MAX = 256
MOUNTS_MAX = 10
DETACHABLE = ("MOUNTED", "MOUNT_FAILED", "UNMOUNT_FAILED")
DETACH_ANSWERS = ("mount", "empty")


def _key(path):
    return (path or "").rstrip("/")


class Storage(Resource):
    """``/notebooks/{instance_id}/storage``: list and attach; ``.../storage/{storage_id}``: show and detach."""

    name = "storage"
    settings = ("mounts_survive_stop", "mount_seconds", "detach_answer", "parallel_buckets")

    def __init__(self, sim):
        super().__init__(sim)
        self.mounts_survive_stop = True
        # None: the notebooks' transition_seconds.
        self.mount_seconds = None
        self.detach_answer = "mount"
        self.parallel_buckets = []
        self._next = {}  # notebook id (or None: any): (status, failure_reason) its next attach or detach ends in
        sim.resources["notebooks"].subscribe("stopped", self._stopped)

    # ---- routes ----------------------------------------------------------------------------------------------
    def routes(self):
        base = "/v1/{project_id}/notebooks/{instance_id}/storage"
        return [
            Route("GET", base, self.list, sdk="ListDynamicStoragesRequest"),
            Route("POST", base, self.attach, write=True, sdk="AttachDynamicStorageRequest"),
            Route("GET", base + "/{storage_id}", self.show, sdk="ShowDynamicStorageRequest"),
            Route("DELETE", base + "/{storage_id}", self.detach, write=True, sdk="DetachDynamicStorageRequest"),
        ]

    def control_routes(self):
        base = "/_sim/notebooks/{id}/storage"
        return [
            Route("GET", base, lambda params, query, body: (200, {"mounts": self.mounts(params["id"])})),
            Route("POST", base, lambda params, query, body: (201, self.add(params["id"], **body))),
            Route("PATCH", base + "/{storage_id}", self._control_change),
            Route("DELETE", base + "/{storage_id}", self._control_remove),
            Route("POST", base + "/fail_next", lambda params, query, body: self._control_fail_next(params["id"], body)),
        ]

    # ---- the state: {notebook id: {storage id: mount}}, in the order attached ----------------------------------
    def _of(self, notebook_id):
        """The notebook's mounts, transitions applied (call under the store's lock)."""
        mounts = self.sim.store.state(self.name).setdefault(notebook_id, {})
        for storage_id, mount in list(mounts.items()):
            pending = mount.get("_pending")
            if pending and self.sim.store.clock() >= pending["at"]:
                mount["_pending"] = None
                mount["status"], reason = pending["to"]
                mount["update_at"] = now_ms()
                if reason:
                    mount["failure_reason"] = reason
                if mount["status"] == "UNMOUNTED":
                    del mounts[storage_id]
        return mounts

    def _delay(self):
        return self.sim.store.transition_seconds if self.mount_seconds is None else float(self.mount_seconds)

    def _begin(self, notebook_id, mount, status, target):
        armed = self._next.pop(notebook_id, None) or self._next.pop(None, None)
        failed = {"MOUNTING": "MOUNT_FAILED", "UNMOUNTING": "UNMOUNT_FAILED"}[status]
        mount["status"] = status
        mount["_pending"] = {
            "at": self.sim.store.clock() + self._delay(),
            "to": (armed[0], armed[1]) if armed and armed[0] == failed else (target, None),
        }
        if armed and armed[0] != failed:
            # Armed for the other kind of transition: kept for it.
            self._next[notebook_id] = armed

    @staticmethod
    def view(mount):
        return {key: copy.deepcopy(value) for key, value in mount.items() if not key.startswith("_")}

    def mounts(self, notebook_id):
        """Every mount of the notebook as the API lists it."""
        with self.sim.store.lock:
            self.sim.store.get(notebook_id)
            return [self.view(mount) for mount in self._of(notebook_id).values()]

    def _stopped(self, nb):
        if not self.mounts_survive_stop:
            mounts = self._of(nb["id"])
            for storage_id in [sid for sid, mount in mounts.items() if mount["mount_type"] == "DYNAMIC"]:
                del mounts[storage_id]

    def reset(self):
        self._next.clear()

    # ---- the API ---------------------------------------------------------------------------------------------
    def list(self, call):
        with self.sim.store.lock:
            self.sim.store.get(call.params["instance_id"])
            data = [self.view(mount) for mount in self._of(call.params["instance_id"]).values()]
        return {"current": 1, "data": data, "pages": 1, "size": len(data), "total": len(data)}

    def _mount(self, call):
        mount = self._of(call.params["instance_id"]).get(call.params["storage_id"])
        if mount is None:
            raise ServiceError(400, "ModelArts.6309", "The storage %s does not exist." % call.params["storage_id"])
        return mount

    def show(self, call):
        with self.sim.store.lock:
            self.sim.store.get(call.params["instance_id"])
            return self.view(self._mount(call))

    @staticmethod
    def _running(nb):
        if nb["status"] != "RUNNING":
            raise ServiceError(400, "ModelArts.6327", "The instance is not running (status %s)." % nb["status"])

    def _check_body(self, nb, body, mounts):
        check_body(body, FIELDS)
        for key in ("category", "mount_path", "uri"):
            if not body.get(key):
                raise required_error("The property %s is required." % key)
        category, path, uri = body["category"], body["mount_path"], body["uri"]
        if category not in CATEGORIES:
            raise property_error("The value of category must be one of %s, not %r." % (", ".join(CATEGORIES), category))
        if not path.startswith(MOUNT_ROOT) or _key(path) == _key(MOUNT_ROOT) or len(path) > PATH_MAX:
            raise property_error(
                "The mount_path must be a path under %s of at most %d characters." % (MOUNT_ROOT, PATH_MAX)
            )
        if len(uri) > URI_MAX or (category != "EFS" and not uri.startswith("obs://")):
            raise property_error("The uri must be an obs:// address (OBS, OBSFS) of at most %d characters." % URI_MAX)
        if category == "EFS" and (not body.get("efs_id") or not (nb.get("pool") or {}).get("id")):
            raise property_error("An EFS mount needs efs_id and a notebook on a dedicated resource pool.")
        if any(_key(m["mount_path"]) == _key(path) and m["status"] != "UNMOUNTED" for m in mounts.values()):
            raise property_error("The mount_path %s is already mounted." % path)
        if len(mounts) >= MOUNTS_MAX:
            raise property_error("A notebook has at most %d dynamic mounts." % MOUNTS_MAX)

    def attach(self, call):
        body = call.body()
        store = self.sim.store
        with store.lock:
            nb = store.get(call.params["instance_id"])
            mounts = self._of(nb["id"])
            self._check_body(nb, body, mounts)
            self._running(nb)
            mount = self._new(nb["id"], body, "DYNAMIC")
            mounts[mount["id"]] = mount
            self._begin(nb["id"], mount, "MOUNTING", "MOUNTED")
            return self.view(mount)

    def _new(self, notebook_id, fields, mount_type):
        category = fields.get("category", "OBS")
        bucket = (fields.get("uri") or "")[len("obs://") :].split("/", 1)[0]
        if category == "OBS" and bucket in self.parallel_buckets:
            category = "OBSFS"
        now = now_ms()
        return {
            "id": fields.get("id") or str(uuid.uuid4()),
            "category": category,
            "mount_path": fields["mount_path"],
            "uri": fields["uri"],
            "efs_id": fields.get("efs_id"),
            "status": fields.get("status", "MOUNTED"),
            "mount_type": mount_type,
            "failure_reason": fields.get("failure_reason"),
            "create_at": now,
            "update_at": now,
            "_pending": None,
        }

    def detach(self, call):
        store = self.sim.store
        with store.lock:
            nb = store.get(call.params["instance_id"])
            mount = self._mount(call)
            self._running(nb)
            if mount["mount_type"] == "STATIC":
                raise ServiceError(400, "ModelArts.6336", "A mount made at creation cannot be detached.")
            if mount["status"] not in DETACHABLE:
                raise ServiceError(
                    400, "ModelArts.6357", "The storage is %s: it cannot be detached now." % mount["status"]
                )
            self._begin(nb["id"], mount, "UNMOUNTING", "UNMOUNTED")
            return NO_CONTENT if self.detach_answer == "empty" else self.view(mount)

    # ---- direct changes (tests, the control API) --------------------------------------------------------------
    def add(self, notebook_id, mount_path, uri, category="OBS", status="MOUNTED", mount_type="DYNAMIC", **fields):
        """A mount as someone else would make it (STATIC: made at creation), in any status; returns its view."""
        if mount_type not in ("STATIC", "DYNAMIC"):
            raise ValueError("mount_type must be STATIC or DYNAMIC, not %r" % (mount_type,))
        with self.sim.store.lock:
            self.sim.store.get(notebook_id)
            mount = self._new(
                notebook_id, dict(fields, mount_path=mount_path, uri=uri, category=category, status=status), mount_type
            )
            self._of(notebook_id)[mount["id"]] = mount
            return self.view(mount)

    def remove(self, notebook_id, storage_id):
        """Take a mount away at once, as a detach by someone else that has ended."""
        with self.sim.store.lock:
            self.sim.store.get(notebook_id)
            if self._of(notebook_id).pop(storage_id, None) is None:
                raise KeyError(storage_id)

    def change(self, notebook_id, storage_id, **fields):
        """Set fields of a mount (``status``, ``uri``, ``failure_reason``...) as someone else would."""
        with self.sim.store.lock:
            self.sim.store.get(notebook_id)
            mount = self._of(notebook_id)[storage_id]
            unknown = set(fields) - (set(mount) - {"id", "_pending"})
            if unknown:
                raise ValueError("unknown mount fields %s" % ", ".join(sorted(unknown)))
            mount.update(fields)
            return self.view(mount)

    def fail_next(self, notebook_id=None, status="MOUNT_FAILED", failure_reason="injected failure"):
        """The next attach (MOUNT_FAILED) or detach (UNMOUNT_FAILED) of that notebook (None: any) ends in ``status``."""
        if status not in ("MOUNT_FAILED", "UNMOUNT_FAILED"):
            raise ValueError("status must be MOUNT_FAILED or UNMOUNT_FAILED, not %r" % (status,))
        self._next[notebook_id] = (status, failure_reason)

    def _control_change(self, params, query, body):
        return 200, self.change(params["id"], params["storage_id"], **body)

    def _control_remove(self, params, query, body):
        self.remove(params["id"], params["storage_id"])
        return 200, {"deleted": params["storage_id"]}

    def _control_fail_next(self, notebook_id, body):
        self.fail_next(notebook_id, **body)
        return 200, {"armed": True}

    @property
    def detach_answer(self):
        """``mount``: a detach answers the mount, UNMOUNTING; ``empty``: 204 without a body."""
        return self._detach_answer

    @detach_answer.setter
    def detach_answer(self, value):
        if value not in DETACH_ANSWERS:
            raise ValueError("detach_answer must be one of %s, not %r" % (", ".join(DETACH_ANSWERS), value))
        self._detach_answer = value
