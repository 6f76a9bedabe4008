"""The workspaces: create, list (paged by page number), show, update, delete (DELETING, then gone or DELETE_FAILED)
and quotas, with the default workspace "0" always there.

Deleting a workspace deletes the notebooks in it, every user's. A workspace is a dict of its API fields plus this
resource's internal keys (leading underscore: ``_pending`` delete, ``_seq``), which answers leave out.
"""

import copy
import hashlib
import re
import threading
import time
import uuid

from .base import Resource, now_ms
from .control import ControlError
from .errors import ServiceError, bad_request, property_error, required_error
from .notebooks import CALLER
from .routing import Route
from .validation import check_body, check_fields, check_type

DEFAULT_ID = "0"
DEFAULT_NAME = "default"
NAME_RE = re.compile("^[A-Za-z0-9_\\-\u4e00-\u9fa5]{4,64}$")
DESCRIPTION_MAX = 256
GRANTS_MAX = 500
AUTH_TYPES = ("PUBLIC", "PRIVATE", "INTERNAL")
USER_TYPES = ("IAM", "FEDERATE", "AGENCY")
STATUSES = ("NORMAL", "CREATE_FAILED", "DELETING", "DELETE_FAILED")
LIMIT_MAX = 1000
SORT_KEYS = ("name", "update_time", "status")
# How many workspaces a project may have besides the default one (the real limit is not published).
DEFAULT_MAX_WORKSPACES = 50
# The service's codes: not found, a status that does not allow the action, too many workspaces.
NOT_FOUND = "ModelArts.7005"
WRONG_STATUS = "ModelArts.7004"
TOO_MANY = "ModelArts.7006"

GRANT_FIELDS = {"user_id": str, "user_name": str, "user_type": str}
CREATE_FIELDS = {"name": str, "description": str, "auth_type": str, "grants": list, "enterprise_project_id": str}
UPDATE_FIELDS = {"name": str, "description": str, "auth_type": str, "grants": list}
# The quotas of a new workspace: resource, English name and unit, the limits of a quota PUT.
QUOTAS = (
    ("notebook", "Notebook", "count"),
    ("train_job", "Training job", "count"),
    ("service", "Real-time service", "count"),
)


class Workspaces(Resource):
    """``/v1/{project_id}/workspaces`` and ``/workspaces/{workspace_id}`` (and its ``/quotas``)."""

    # pylint: disable=too-many-instance-attributes

    name = "workspaces"
    # Set from Python (sim.resources["workspaces"]) or PATCH /_sim/workspaces.
    tunables = ("delete_seconds", "max_workspaces")

    def __init__(self, sim, clock=time.monotonic):
        super().__init__(sim)
        self.clock = clock
        self.lock = threading.RLock()
        self.delete_seconds = self.max_workspaces = None
        self._workspaces = {}
        self._seq = 0
        self._next_create = None  # status_info of the next create, which ends CREATE_FAILED
        self._next_delete = {}  # workspace id: status_info its next delete ends DELETE_FAILED with
        self.reset()

    def reset(self):
        with self.lock:
            # How long a delete stays DELETING; how many workspaces a project may have besides the default one.
            self.delete_seconds, self.max_workspaces = 0.0, DEFAULT_MAX_WORKSPACES
            self._workspaces.clear()
            self._next_create = None
            self._next_delete.clear()
            self.add(id=DEFAULT_ID, name=DEFAULT_NAME, description="", owner="")

    # ---- state ---------------------------------------------------------------------------------------------
    def add(
        self,
        name,
        id=None,
        description="",
        auth_type="PUBLIC",
        grants=None,
        enterprise_project_id="0",
        status="NORMAL",
        status_info="",
        owner=None,
    ):
        """Create a workspace directly (no rule but a known status); returns it as GET answers it."""
        # pylint: disable=redefined-builtin,too-many-arguments
        if status not in STATUSES:
            raise ValueError("status must be one of %s, not %r" % (", ".join(STATUSES), status))
        with self.lock:
            self._seq += 1
            now = now_ms()
            workspace = {
                "id": id or uuid.uuid4().hex,
                "name": name,
                "description": description,
                "owner": CALLER["name"] if owner is None else owner,
                "auth_type": auth_type.lower(),
                "grants": [_grant(g) for g in grants or ()],
                "enterprise_project_id": enterprise_project_id,
                "enterprise_project_name": "default" if enterprise_project_id == "0" else enterprise_project_id,
                "status": status,
                "status_info": status_info,
                "create_time": now,
                "update_time": now,
                "_seq": self._seq,
                "_pending": None,
                "_quotas": {quota[0]: -1 for quota in QUOTAS},
            }
            self._workspaces[workspace["id"]] = workspace
            return self.view(workspace)

    def view(self, workspace, grants=True):
        """The workspace as the API answers it (the list leaves the grants out)."""
        answer = {k: copy.deepcopy(v) for k, v in workspace.items() if not k.startswith("_")}
        if not grants:
            answer.pop("grants")
        return answer

    def _settle(self, workspace):
        """Ends a delete whose time has come: the workspace and its notebooks go, or it is DELETE_FAILED."""
        pending = workspace["_pending"]
        if pending and self.clock() >= pending["at"]:
            workspace["_pending"] = None
            if pending["fail"] is not None:
                workspace["status"], workspace["status_info"] = "DELETE_FAILED", pending["fail"]
            else:
                self._workspaces.pop(workspace["id"], None)
                # What the workspace held goes with it: every user's notebooks in it.
                store = self.sim.store
                with store.lock:
                    for nb in store.all():
                        if nb["workspace_id"] == workspace["id"]:
                            store.remove(nb["id"])
                return None
        return workspace

    def get(self, workspace_id):
        """The live workspace (a due delete applied); ModelArts.7005 when unknown or gone."""
        with self.lock:
            workspace = self._workspaces.get(workspace_id)
            if workspace is not None:
                workspace = self._settle(workspace)
            if workspace is None:
                raise ServiceError(400, NOT_FOUND, "The workspace %s does not exist." % workspace_id)
            return workspace

    def all(self):
        with self.lock:
            for workspace in list(self._workspaces.values()):
                self._settle(workspace)
            return sorted(self._workspaces.values(), key=lambda ws: ws["_seq"])

    def exists(self, workspace_id):
        try:
            self.get(workspace_id)
        except ServiceError:
            return False
        return True

    def fail_next_create(self, status_info="injected failure"):
        """The next workspace created through the API is CREATE_FAILED with ``status_info``."""
        self._next_create = status_info

    def fail_next_delete(self, workspace_id, status_info="injected failure"):
        """The next delete of that workspace ends DELETE_FAILED with ``status_info``."""
        self.get(workspace_id)
        self._next_delete[workspace_id] = status_info

    # ---- rules -----------------------------------------------------------------------------------------------
    def _check_body(self, body, fields, workspace=None):
        """The syntax and the rules of a create (``workspace`` None) or update body; ModelArts.6400 / 6335 / 6336."""
        check_body(body, fields)
        if workspace is None and "name" not in body:
            raise required_error("The property name is required.")
        if "name" in body:
            name = body["name"]
            if name == DEFAULT_NAME:
                raise property_error("The name default is reserved for the default workspace.")
            if not NAME_RE.match(name):
                raise property_error(
                    "The name must be 4 to 64 letters, digits, Chinese characters, '-' or '_', not %r." % name
                )
            if workspace is not None and workspace["id"] == DEFAULT_ID:
                raise ServiceError(400, WRONG_STATUS, "The default workspace cannot be renamed.")
            same = [ws for ws in self.all() if ws["name"] == name and ws is not workspace]
            if same:
                # The code of this refusal is not published: the simulator answers the rules' generic code.
                raise property_error("A workspace named %s already exists." % name)
        if len(body.get("description") or "") > DESCRIPTION_MAX:
            raise property_error("The description must be at most %d characters." % DESCRIPTION_MAX)
        if "auth_type" in body and body["auth_type"].upper() not in AUTH_TYPES:
            raise property_error("The auth_type must be PUBLIC, PRIVATE or INTERNAL, not %r." % body["auth_type"])
        for i, grant in enumerate(body.get("grants") or ()):
            check_type("grants[%d]" % i, grant, dict)
            check_fields("grants[%d]" % i, grant, GRANT_FIELDS)
            if not grant.get("user_id") and not grant.get("user_name"):
                raise required_error("The property grants[%d].user_id or grants[%d].user_name is required." % (i, i))
            if grant.get("user_type", "IAM").upper() not in USER_TYPES:
                raise property_error("The grants[%d].user_type must be IAM, FEDERATE or AGENCY." % i)
        if len(body.get("grants") or ()) > GRANTS_MAX:
            raise property_error("A workspace grants at most %d users." % GRANTS_MAX)

    @staticmethod
    def _check_normal(workspace, action):
        if workspace["status"] != "NORMAL":
            raise ServiceError(
                400, WRONG_STATUS, "The workspace status %s does not allow to %s it." % (workspace["status"], action)
            )

    # ---- the API -----------------------------------------------------------------------------------------------
    def routes(self):
        base = "/v1/{project_id}/workspaces"
        item = base + "/{workspace_id}"
        return [
            Route("GET", base, self.list, sdk="ListWorkspaceRequest"),
            Route("POST", base, self.create, write=True, sdk="CreateWorkspaceRequest"),
            Route("GET", item, self.show, sdk="ShowWorkspaceRequest"),
            Route("PUT", item, self.update, write=True, sdk="UpdateWorkspaceRequest"),
            Route("DELETE", item, self.delete, write=True, sdk="DeleteWorkspaceRequest"),
            Route("GET", item + "/quotas", self.quotas, sdk="ShowWorkspaceQuotasRequest"),
        ]

    def list(self, call):
        """Paged by page number: ``offset`` is the page (from 0) of ``limit`` (1 to 1000, default 1000) workspaces."""
        query = call.query
        limit = query.get("limit") or str(LIMIT_MAX)
        if not limit.isdigit() or not 1 <= int(limit) <= LIMIT_MAX:
            raise bad_request("limit must be an integer from 1 to %d" % LIMIT_MAX)
        offset = query.get("offset") or "0"
        if not offset.isdigit():
            raise bad_request("offset must be a non-negative integer")
        sort_by = query.get("sort_by") or "name"
        if sort_by not in SORT_KEYS:
            raise bad_request("sort_by must be one of %s" % ", ".join(SORT_KEYS))
        order = (query.get("order") or "desc").lower()
        if order not in ("asc", "desc"):
            raise bad_request("order must be asc or desc")
        name = (query.get("name") or "").lower()
        project = query.get("enterprise_project_id")
        found = [
            ws
            for ws in self.all()
            if name in ws["name"].lower() and (project is None or ws["enterprise_project_id"] == project)
        ]
        found.sort(key=lambda ws: (ws[sort_by], ws["_seq"]), reverse=order == "desc")
        start = int(offset) * int(limit)
        chosen = [self.view(ws, grants=False) for ws in found[start : start + int(limit)]]
        return {"total_count": len(found), "count": len(chosen), "workspaces": chosen}

    def create(self, call):
        body = call.body()
        with self.lock:
            self._check_body(body, CREATE_FIELDS)
            if len(self.all()) - 1 >= self.max_workspaces:
                raise ServiceError(
                    400, TOO_MANY, "The number of workspaces reaches the maximum %d." % self.max_workspaces
                )
            failed, self._next_create = self._next_create, None
            auth_type = body.get("auth_type", "PUBLIC")
            return self.add(
                name=body["name"],
                description=body.get("description", ""),
                auth_type=auth_type,
                # Grants take effect only with INTERNAL.
                grants=body.get("grants") if auth_type.upper() == "INTERNAL" else None,
                enterprise_project_id=body.get("enterprise_project_id", "0"),
                status="NORMAL" if failed is None else "CREATE_FAILED",
                status_info="" if failed is None else failed,
            )

    def show(self, call):
        with self.lock:
            return self.view(self.get(call.params["workspace_id"]))

    def update(self, call):
        body = call.body()
        with self.lock:
            workspace = self.get(call.params["workspace_id"])
            self._check_body(body, UPDATE_FIELDS, workspace)
            self._check_normal(workspace, "update")
            for key in ("name", "description"):
                if key in body:
                    workspace[key] = body[key]
            if "auth_type" in body:
                workspace["auth_type"] = body["auth_type"].lower()
            if "grants" in body:
                workspace["grants"] = [_grant(g) for g in body["grants"]]
            if workspace["auth_type"] != "internal":
                workspace["grants"] = []
            workspace["update_time"] = now_ms()
            return {"workspace_id": workspace["id"]}

    def delete(self, call):
        with self.lock:
            workspace = self.get(call.params["workspace_id"])
            if workspace["id"] == DEFAULT_ID:
                raise ServiceError(400, WRONG_STATUS, "The default workspace cannot be deleted.")
            if workspace["status"] == "DELETING":
                self._check_normal(workspace, "delete")
            workspace["status"], workspace["status_info"] = "DELETING", ""
            workspace["_pending"] = {
                "at": self.clock() + float(self.delete_seconds),
                "fail": self._next_delete.pop(workspace["id"], None),
            }
            self._settle(workspace)
            return {"workspace_id": workspace["id"]}

    def quotas(self, call):
        with self.lock:
            workspace = self.get(call.params["workspace_id"])
            used = {
                "notebook": sum(1 for nb in self.sim.store.all() if nb["workspace_id"] == workspace["id"]),
            }
            return {
                "quotas": [
                    {
                        "resource": resource,
                        "quota": workspace["_quotas"][resource],
                        "used_quota": None if workspace["_quotas"][resource] == -1 else used.get(resource, 0),
                        "min_quota": 1,
                        "max_quota": 10000,
                        "name_en": name,
                        "unit_en": unit,
                        "update_time": workspace["update_time"],
                    }
                    for resource, name, unit in QUOTAS
                ]
            }

    # ---- control API -------------------------------------------------------------------------------------------
    def control_routes(self):
        return [
            Route("GET", "/_sim/workspaces", self._control_list),
            Route("PATCH", "/_sim/workspaces", self._control_tune),
            Route("POST", "/_sim/workspaces", self._control_add),
            Route("POST", "/_sim/workspaces/fail_next_create", self._control_fail_next_create),
            Route("POST", "/_sim/workspaces/{id}/fail_next_delete", self._control_fail_next_delete),
        ]

    def _control_list(self, params, query, body):
        return 200, {"workspaces": [self.view(ws) for ws in self.all()]}

    def _control_tune(self, params, query, body):
        unknown = set(body) - set(self.tunables)
        if unknown:
            raise ValueError("unknown settings %s" % ", ".join(sorted(unknown)))
        for name, value in body.items():
            setattr(self, name, value)
        return 200, {name: getattr(self, name) for name in self.tunables}

    def _control_add(self, params, query, body):
        return 201, self.add(**body)

    def _control_fail_next_create(self, params, query, body):
        self.fail_next_create(**body)
        return 200, {"armed": True}

    def _control_fail_next_delete(self, params, query, body):
        if not self.exists(params["id"]):
            raise ControlError(404, "no workspace %s" % params["id"])
        self.fail_next_delete(params["id"], **body)
        return 200, {"armed": True}


def _grant(grant):
    """A grant as the service keeps it: user_id, user_name and user_type (IAM by default). The service looks the
    other of id and name up in IAM; here a name's id is derived from it, and an id's name is ``user-<id>``."""
    user = {key: grant[key] for key in ("user_id", "user_name") if grant.get(key)}
    if "user_id" not in user:
        user["user_id"] = hashlib.sha256(user["user_name"].encode("utf-8")).hexdigest()[:32]
    user.setdefault("user_name", "user-" + user["user_id"][:8])
    user["user_type"] = (grant.get("user_type") or "IAM").upper()
    return user
