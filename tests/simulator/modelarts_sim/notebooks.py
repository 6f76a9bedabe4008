"""The notebook instances: their status machine, the notebook calls, and what other resources hang on them.

Other resources keep their own per-notebook state in ``sim.store.state(name)`` and are told of notebook events
through ``sim.store.subscribe(event, handler)`` (see ``NotebookStore``); README.md describes both.
"""

import copy
import json
import math
import re
import secrets
import threading
import time
import uuid

from . import notebook_rules as rules
from .base import Resource, now_ms
from .control import ControlError
from .endpoints import ENDPOINT_SPELLINGS, endpoint_from, spelled
from .errors import ServiceError, bad_request
from .lease import lease_settings
from .routing import Route

STABLE = frozenset(("RUNNING", "STOPPED"))
TRANSITIONAL = frozenset(("INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "SNAPSHOTTING"))
FAILED = frozenset(("CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "FROZEN"))
STATUSES = STABLE | TRANSITIONAL | FAILED | frozenset(("DELETED",))

# Where a transitional status set from outside (set_status) ends by itself.
NATURAL_END = {"STARTING": "RUNNING", "STOPPING": "STOPPED"}

LIST_LIMITS = ("10", "20", "50")
SORT_KEYS = ("name", "status", "create_at", "update_at", "flavor", "id")

# The user the simulator's credentials belong to: the owner of the notebooks it creates, and of those listed by
# GET /notebooks (every user's are GET /notebooks/all, all_notebooks.py).
CALLER = {"id": "5e1ec7ed0000000000000000000000ca", "name": "sim-user"}

# What subscribe() can be told of.
EVENTS = ("started", "stopped", "deleted")

_NOTEBOOKS = ("v1", "{project_id}", "notebooks")
_NOTEBOOK_PATH_RE = re.compile(r"^/v1/[^/]+/notebooks/([^/]+)")


class NotebookStore(Resource):
    """The notebook instances (``sim.store``) and their status machine.

    Transitions are computed lazily from the clock whenever an instance is read, so no background thread is
    needed and a stopped simulator leaves nothing running. An instance is a dict of its API fields plus this
    resource's own internal keys (leading underscore: ``_hooks``, ``_pending``, ``_transition_seconds``,
    ``_extra``...), which answers leave out.
    """

    # pylint: disable=too-many-instance-attributes,too-many-public-methods

    name = "notebooks"
    settings = ("endpoint_spelling", "transition_seconds")

    def __init__(self, sim, clock=time.monotonic):
        super().__init__(sim)
        self.project_id = sim.project_id
        self.catalog = sim.resources["catalog"]
        self._endpoint_spelling = None
        self.endpoint_spelling = sim.options.get("endpoint_spelling", "both")
        self._transition_seconds = 0.0
        self.transition_seconds = sim.options.get("transition_seconds", 0.0)
        self.clock = clock
        # Shared by every resource that reads or changes a notebook.
        self.lock = threading.RLock()
        self._notebooks = {}
        self._seq = 0
        self._next_create = None  # (status, fail_reason) the next create ends in
        self._states = {}  # resource name: {notebook id: that resource's state of the notebook}
        self._handlers = {event: [] for event in EVENTS}

    # ---- settings --------------------------------------------------------------------------------------------
    @property
    def transition_seconds(self):
        """Default delay of STARTING, STOPPING, CREATING and DELETING, read when a transition begins."""
        return self._transition_seconds

    @transition_seconds.setter
    def transition_seconds(self, value):
        self._transition_seconds = float(value)

    @property
    def endpoint_spelling(self):
        return self._endpoint_spelling

    @endpoint_spelling.setter
    def endpoint_spelling(self, value):
        if value not in ENDPOINT_SPELLINGS:
            raise ValueError("endpoint_spelling must be one of %s, not %r" % (", ".join(ENDPOINT_SPELLINGS), value))
        self._endpoint_spelling = value

    # The catalogue, where the tests have always found it.
    @property
    def flavors(self):
        return self.catalog.flavors

    @property
    def images(self):
        return self.catalog.images

    @property
    def image_catalog(self):
        return self.catalog.image_catalog

    # ---- what other resources hang on a notebook ---------------------------------------------------------------
    def state(self, owner):
        """Resource ``owner``'s per-notebook state: a dict keyed by notebook id, for the resource to fill.

        A notebook's entry is dropped when the notebook goes (its deletion ends, or it is removed), and every
        entry on reset. Read and change it under ``lock``, after ``get(id)`` (which applies due transitions).
        """
        with self.lock:
            return self._states.setdefault(owner, {})

    def subscribe(self, event, handler):
        """Call ``handler(nb)`` (the live internal instance) when ``event`` happens to a notebook.

        ``started``: it became RUNNING (a start or a create ended, or ``set_status``); ``stopped``: it became
        STOPPED (a stop ended, or ``set_status``); ``deleted``: it is gone (its deletion ended, or it was
        removed), called before its per-notebook states are dropped. Handlers run under ``lock`` when the
        change is applied: transitions are applied as a notebook is read, so read it (``get``) before your state.
        """
        if event not in EVENTS:
            raise ValueError("event must be one of %s, not %r" % (", ".join(EVENTS), event))
        self._handlers[event].append(handler)

    def _emit(self, event, nb):
        for handler in self._handlers[event]:
            handler(nb)

    def _set_status(self, nb, status):
        old, nb["status"] = nb["status"], status
        if status != old and status in ("RUNNING", "STOPPED"):
            self._emit("started" if status == "RUNNING" else "stopped", nb)

    def _forget(self, nb):
        """Take the instance out of the store: its deletion ended, or it was removed."""
        nb["_gone"] = True
        self._notebooks.pop(nb["id"], None)
        self._emit("deleted", nb)
        for state in self._states.values():
            state.pop(nb["id"], None)

    def notebook_id_of(self, path):
        """The notebook id in an API path (whatever the route), or None: the segment after ``notebooks/``
        unless a route has a literal segment there (``flavors``)."""
        found = _NOTEBOOK_PATH_RE.match(path)
        if not found or found.group(1) in self.sim.router.literal_segments(_NOTEBOOKS):
            return None
        return found.group(1)

    # ---- the status machine ------------------------------------------------------------------------------------
    def view(self, nb):
        """The instance as the API returns it: the internal keys (leading underscore) left out, the endpoints
        in the configured spelling."""
        answer = {k: copy.deepcopy(v) for k, v in nb.items() if not k.startswith("_")}
        answer["endpoints"] = spelled(answer["endpoints"], self._endpoint_spelling)
        return answer

    def _delay(self, nb):
        own = nb.get("_transition_seconds")
        return self.transition_seconds if own is None else own

    def _settle(self, nb):
        """Applies a transition whose time has come; a finished deletion takes the instance out of the store."""
        pending = nb.get("_pending")
        if pending and self.clock() >= pending["at"]:
            nb["_pending"] = None
            if pending.get("result"):
                status, nb["fail_reason"] = pending["result"]
            else:
                status = pending["to"]
            nb["action_progress"] = []
            nb["lease"]["update_at"] = now_ms()
            self._set_status(nb, status)
            if pending.get("remove") and not pending.get("result"):
                self._forget(nb)
        return nb

    _PROGRESS = {
        "CREATING": (1, "Creating"),
        "STARTING": (2, "Starting"),
        "STOPPING": (4, "Stopping"),
        "DELETING": (5, "Deleting"),
    }

    def _begin(self, nb, status, target, delay=None):
        self._set_status(nb, status)
        result = nb.pop("_next_result", None)
        nb["_pending"] = {
            "to": target,
            "at": self.clock() + (self._delay(nb) if delay is None else float(delay)),
            "result": result,
        }
        step, verb = self._PROGRESS.get(status, (2, "Starting") if target == "RUNNING" else (4, "Stopping"))
        nb["action_progress"] = [
            {
                "notebook_id": nb["id"],
                "status": "PROCESSING",
                "step": step,
                "step_description": "%s the instance" % verb,
            }
        ]
        nb["lease"]["update_at"] = now_ms()
        return nb  # not settled here: even a zero delay shows the transitional status in the answer of a write

    def get(self, notebook_id):
        """The live internal instance, transitions applied; ModelArts.6309 when unknown (or deleted)."""
        with self.lock:
            nb = self._notebooks.get(notebook_id)
            if nb is not None:
                self._settle(nb)
            if nb is None or nb.get("_gone"):
                raise ServiceError(400, "ModelArts.6309", "The instance does not exist.")
            return nb

    # ---- instances -------------------------------------------------------------------------------------------
    def add(
        self,
        name=None,
        status="STOPPED",
        flavor=None,
        image_id=None,
        capacity=5,
        description="",
        endpoints=None,
        fail_reason=None,
        transition_seconds=None,
        hooks=None,
        id=None,
        token=None,
        feature="NOTEBOOK",
        lease=None,
        tags=None,
        user=None,
    ):
        """Create an instance directly (owned by ``user``, {id, name}, else the caller); returns it as GET would."""
        # pylint: disable=redefined-builtin,too-many-arguments,too-many-locals
        if status not in STATUSES:
            raise ValueError("unknown status %r" % status)
        flavor = flavor or self.flavors[0]["id"]
        image_id = image_id or next(iter(self.images))
        if image_id not in self.images:
            raise ValueError("image %r is not in the catalog" % image_id)
        nb_id = id or str(uuid.uuid4())
        now = now_ms()
        with self.lock:
            if nb_id in self._notebooks:
                raise ValueError("notebook %s exists" % nb_id)
            self._seq += 1
            nb = {
                "id": nb_id,
                "name": name or "notebook-%04d" % self._seq,
                "description": description,
                "status": status,
                "flavor": flavor,
                "feature": feature,
                "fail_reason": fail_reason,
                "workspace_id": "0",
                "url": "https://authoring-modelarts.sim.example.com/%s/lab" % nb_id,
                "token": token or secrets.token_hex(16),
                "image": copy.deepcopy(self.images[image_id]),
                "volume": {
                    "category": "EVS",
                    "ownership": "MANAGED",
                    "capacity": int(capacity),
                    "mount_path": "/home/ma-user/work/",
                    "status": None,
                },
                "endpoints": [],
                "lease": dict(
                    {"create_at": now, "duration": 3600000, "enable": False, "type": "TIMING", "update_at": now},
                    **(lease or {}),
                ),
                "action_progress": [],
                "pool": {"id": "", "name": ""},
                "user": dict(user or CALLER),
                "tags": [{"key": t["key"], "value": t.get("value", "")} for t in (tags or [])],
                "_hooks": copy.deepcopy(hooks),
                "_transition_seconds": transition_seconds,
                "_pending": None,
                "_seq": self._seq,
                "_extra": {},
            }
            for ep in endpoints if endpoints is not None else [{"dev_service": "NOTEBOOK"}]:
                nb["endpoints"].append(endpoint_from(nb_id, ep))
            if status in NATURAL_END:
                self._begin(nb, status, NATURAL_END[status])
            self._notebooks[nb_id] = nb
            return self.view(nb)

    def remove(self, notebook_id):
        with self.lock:
            self._forget(self.get(notebook_id))

    def all(self):
        with self.lock:
            return [nb for nb in (self._settle(nb) for nb in list(self._notebooks.values())) if not nb.get("_gone")]

    def reset(self):
        with self.lock:
            self._notebooks.clear()
            self._next_create = None
            for state in self._states.values():
                state.clear()

    def set_status(self, notebook_id, status, fail_reason=None, then=None, after=None):
        """Force a status; a transitional one ends in ``then`` (default: where the status machine goes) after ``after`` s."""
        if status not in STATUSES:
            raise ValueError("unknown status %r" % status)
        with self.lock:
            nb = self.get(notebook_id)
            nb["_pending"] = None
            nb["fail_reason"] = fail_reason
            target = then or NATURAL_END.get(status)
            if target:
                self._begin(nb, status, target, after)
            else:
                nb["action_progress"] = []
                self._set_status(nb, status)
            return self.view(nb)

    def modify(self, notebook_id, **fields):
        """Change fields directly, as someone else would (console, another tool); no rule is checked."""
        with self.lock:
            nb = self.get(notebook_id)
            for key, value in fields.items():
                if key == "capacity":
                    nb["volume"]["capacity"] = int(value)
                elif key == "image_id":
                    nb["image"] = copy.deepcopy(self.images[value])
                elif key == "hooks":
                    nb["_hooks"] = copy.deepcopy(value)
                elif key == "transition_seconds":
                    nb["_transition_seconds"] = value
                elif key == "status":
                    self.set_status(notebook_id, value, fields.get("fail_reason"))
                elif key == "endpoints":
                    nb["endpoints"] = [endpoint_from(notebook_id, ep) for ep in value]
                elif key.startswith("_") or key in nb:
                    nb[key] = copy.deepcopy(value)
                else:
                    raise ValueError("unknown notebook field %r" % key)
            return self.view(nb)

    def fail_next_transition(self, notebook_id, status="ERROR", fail_reason="injected failure"):
        with self.lock:
            self.get(notebook_id)["_next_result"] = (status, fail_reason)

    def fail_next_create(self, status="CREATE_FAILED", fail_reason="injected failure"):
        if status not in FAILED | STABLE:
            raise ValueError("status must be a status such as CREATE_FAILED")
        with self.lock:
            self._next_create = (status, fail_reason)

    def arm_next_result(self, notebook_id, status, fail_reason):
        """Like fail_next_transition, but silent for an unknown id (a fault may match a request for any id)."""
        with self.lock:
            if notebook_id in self._notebooks:
                self._notebooks[notebook_id]["_next_result"] = (status, fail_reason)

    # ---- the API -------------------------------------------------------------------------------------------
    def routes(self):
        base = "/v1/{project_id}/notebooks"
        item = base + "/{id}"
        return [
            Route("GET", base, self.list, trailing_slash=True, sdk="ListNotebooksRequest"),
            Route("POST", base, self.create, write=True, trailing_slash=True, sdk="CreateNotebookRequest"),
            Route("GET", item, self.show, sdk="ShowNotebookRequest"),
            Route("PUT", item, self.update, write=True, sdk="UpdateNotebookRequest"),
            Route("DELETE", item, self.delete, write=True, sdk="DeleteNotebookRequest"),
            Route("POST", item + "/start", self.start, write=True, sdk="StartNotebookRequest"),
            Route("POST", item + "/stop", self.stop, write=True, sdk="StopNotebookRequest"),
        ]

    def list(self, call):
        return self.listing(call.query, lambda nb: nb["user"]["id"] == CALLER["id"])

    def listing(self, query, keep):
        """A page of the instances that ``keep(nb)`` accepts, for the filters, sorting and paging of ``query``."""
        limit = query.get("limit", "10")
        if limit not in LIST_LIMITS:
            raise bad_request("limit must be 10, 20 or 50")
        limit = int(limit)
        offset = query.get("offset", "0")
        if not offset.isdigit():
            raise bad_request("offset must be a non-negative integer")
        offset = int(offset)
        sort_dir = query.get("sort_dir", "DESC").upper()
        if sort_dir not in ("ASC", "DESC"):
            raise bad_request("sort_dir must be ASC or DESC")
        sort_key = query.get("sort_key", "create_at")
        if sort_key not in SORT_KEYS:
            raise ServiceError(400, "ModelArts.6303", "The field does not support sorting.")
        name = query.get("name", "").lower()
        statuses = set(query["status"].split(",")) if query.get("status") else None
        exact = {k: query[k] for k in ("id", "flavor", "feature", "workspace_id") if query.get(k)}
        image_id = query.get("image_id")
        with self.lock:
            found = []
            for nb in self.all():
                if not keep(nb) or (name and name not in nb["name"].lower()):
                    continue
                if statuses and nb["status"] not in statuses:
                    continue
                if any(nb[k] != v for k, v in exact.items()) or (image_id and nb["image"]["id"] != image_id):
                    continue
                found.append(nb)

            def key(nb):
                if sort_key == "create_at":
                    return (nb["lease"]["create_at"], nb["_seq"])
                if sort_key == "update_at":
                    return (nb["lease"]["update_at"], nb["_seq"])
                return (nb[sort_key], nb["_seq"])

            found.sort(key=key, reverse=sort_dir == "DESC")
            chosen = [self.view(nb) for nb in found[offset : offset + limit]]
        total = len(found)
        return {
            "current": offset // limit,
            "data": chosen,
            "pages": math.ceil(total / limit),
            "size": len(chosen),
            "total": total,
        }

    def show(self, call):
        with self.lock:
            return self.view(self.get(call.params["id"]))

    def start(self, call):
        # Every start sets the lease anew: no duration is the service's default (1 hour, auto-stop on).
        lease = lease_settings(call.query.get("duration"), call.query.get("type"))
        with self.lock:
            nb = self.get(call.params["id"])
            status = nb["status"]
            if status == "RUNNING":
                raise ServiceError(400, "ModelArts.6305", "The instance is already running.")
            if status == "STARTING":
                raise ServiceError(400, "ModelArts.6306", "The instance is starting.")
            self._check_operable(nb, "start")
            nb["fail_reason"] = None
            now = now_ms()
            nb["lease"].update(lease, create_at=now, update_at=now)
            return self.view(self._begin(nb, "STARTING", "RUNNING"))

    def stop(self, call):
        with self.lock:
            nb = self.get(call.params["id"])
            status = nb["status"]
            if status == "STOPPED":
                raise ServiceError(400, "ModelArts.6307", "The instance has already been stopped.")
            if status == "STOPPING":
                raise ServiceError(400, "ModelArts.6308", "The instance is stopping.")
            self._check_operable(nb, "stop")
            return self.view(self._begin(nb, "STOPPING", "STOPPED"))

    @staticmethod
    def _check_operable(nb, operation):
        if nb["status"] == "FROZEN":
            raise ServiceError(400, "ModelArts.6326", "The instance is frozen.")
        if nb["status"] not in STABLE:
            raise ServiceError(
                400,
                "ModelArts.6357",
                "Cannot %s the instance in status %s: another operation is running "
                "or the instance is already in the target state." % (operation, nb["status"]),
            )

    def update(self, call):
        """PUT: syntax first (6400), then the status (6347), then the values; all-or-nothing."""
        body = call.body()
        rules.check_update_syntax(body)
        with self.lock:
            nb = self.get(call.params["id"])
            if nb["status"] == "FROZEN":
                raise ServiceError(400, "ModelArts.6326", "The instance is frozen.")
            if nb["status"] != "STOPPED":
                field = next(iter(body), "instance")
                raise ServiceError(
                    400, "ModelArts.6347", "In status %s the parameter %s cannot be modified." % (nb["status"], field)
                )
            rules.check_update_values(self.catalog, nb, body)
            rules.apply_update(self, nb, body)
            return self.view(nb)

    def create(self, call):
        """POST: syntax (6400), required fields (6335), then the values; the new instance is CREATING."""
        body = call.body()
        rules.check_create_syntax(body)
        missing = [field for field in rules.CREATE_REQUIRED if field not in body] or (
            [] if "category" in body["volume"] else ["volume.category"]
        )
        if missing:
            raise ServiceError(400, "ModelArts.6335", "The property %s is required." % missing[0])
        with self.lock:
            lease = rules.check_create_values(self.catalog, body)
            volume = body["volume"]
            nb = self.get(
                self.add(
                    name=body["name"],
                    status="STOPPED",
                    flavor=body["flavor"],
                    image_id=body["image_id"],
                    capacity=volume.get("capacity", rules.DEFAULT_CAPACITY),
                    description=body.get("description", ""),
                    endpoints=[{"dev_service": "NOTEBOOK"}],
                    hooks=body.get("hooks"),
                    feature=body.get("feature", "NOTEBOOK"),
                )["id"]
            )
            rules.apply_create(self, nb, body, lease)
            if self._next_create:
                nb["_next_result"], self._next_create = self._next_create, None
            return self.view(self._begin(nb, "CREATING", "RUNNING"))

    def delete(self, call):
        with self.lock:
            nb = self.get(call.params["id"])
            if nb["status"] not in STABLE | FAILED:
                raise ServiceError(
                    400,
                    "ModelArts.6357",
                    "Cannot delete the instance in status %s: another operation is running." % nb["status"],
                )
            self._begin(nb, "DELETING", "DELETED")
            nb["_pending"]["remove"] = True  # a deletion that ends well takes the instance away: GET answers 6309
            return self.view(nb)

    # ---- the control API -------------------------------------------------------------------------------------
    def control_routes(self):
        return [
            Route("GET", "/_sim/notebooks", self.control_list),
            Route("POST", "/_sim/notebooks", self.control_add),
            Route("GET", "/_sim/notebooks/{id}", self.control_show),
            Route("PATCH", "/_sim/notebooks/{id}", self.control_change),
            Route("DELETE", "/_sim/notebooks/{id}", self.control_remove),
            Route("POST", "/_sim/bulk", self.control_bulk),
            Route("POST", "/_sim/fail_next_create", self.control_fail_next_create),
        ]

    def control_list(self, params, query, body):
        return 200, {"notebooks": [internal(nb) for nb in self.all()]}

    def control_add(self, params, query, body):
        return 201, self.sim.add_notebook(**body)

    def _known(self, notebook_id):
        if notebook_id not in {nb["id"] for nb in self.all()}:
            raise ControlError(404, "no notebook %s" % notebook_id)
        return notebook_id

    def control_show(self, params, query, body):
        return 200, internal(self.sim.notebook(self._known(params["id"])))

    def control_change(self, params, query, body):
        """``{"status", "fail_reason", "then", "after"}`` as set_status, other keys as modify."""
        notebook_id = self._known(params["id"])
        if "status" in body:
            self.sim.set_status(
                notebook_id,
                body.pop("status"),
                body.pop("fail_reason", None),
                body.pop("then", None),
                body.pop("after", None),
            )
        if body:
            self.sim.modify(notebook_id, **body)
        return 200, internal(self.sim.notebook(notebook_id))

    def control_remove(self, params, query, body):
        self.sim.remove_notebook(self._known(params["id"]))
        return 200, {"deleted": params["id"]}

    def control_bulk(self, params, query, body):
        count = int(body.pop("count"))
        return 201, {"created": count, "ids": self.sim.bulk_add(count, body.pop("prefix", "bulk-"), **body)}

    def control_fail_next_create(self, params, query, body):
        self.sim.fail_next_create(**body)
        return 200, {"armed": True}


def internal(nb):
    """An internal instance for the control API: everything, the internal keys included."""
    return json.loads(json.dumps(nb, default=list))
