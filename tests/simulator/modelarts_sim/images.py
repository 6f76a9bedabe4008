"""Images: the list and show calls, and the project's own images made through the API (a notebook saved as an image,
an SWR image registered) and deleted.

The images live in the catalogue (``Catalog.image_catalog``, and ``Catalog.images`` for what an instance's ``image``
shows), so a notebook can be created from an image made here. What this resource adds is the status machine of an
image being made or deleted, computed from the clock when an image is read, as the notebooks' is:

* save (``POST /notebooks/{id}/create-image``): the notebook must be RUNNING; it is SNAPSHOTTING until the save ends,
  then RUNNING. The image is INIT, CREATING after a third of the save, then ACTIVE, or the status armed by
  ``fail_next`` (CREATE_FAILED, ERROR) with its ``status_message``. A notebook stopped or deleted meanwhile fails
  the image (CREATE_FAILED).
* register (``POST /images``): the image is ACTIVE at once (as in the API reference's example), or the armed status.
* delete (``DELETE /images/{id}``): the image is DELETED (still listed and readable) until the delete ends, then gone
  (``ModelArts.6797``). With ``force`` (the query) or ``is_force`` (the body) its SWR content goes too:
  ``swr_deleted`` records the SWR paths.

A second image with the namespace, name and tag of one that is not gone is refused: ``ModelArts.6737``.
"""

import copy
import re
import uuid

from modelarts_catalog import IMAGE_SERVICE_TYPES, IMAGE_TYPES, INSTANCE_IMAGE_KEYS, image_details

from .base import Resource, now_ms
from .errors import ServiceError, bad_request, property_error, required_error
from .listing import page, paging, sorted_by, sorting
from .routing import Route
from .validation import check_body

IMAGE_SORT_KEYS = ("name", "tag", "create_at", "update_at", "size", "type", "service_type", "arch", "namespace")
MAX_IMAGE_LIMIT = 200
SWR_REGISTRY = "swr.cn-north-4.myhuaweicloud.com"

# ImageCreateReq and ImageRegRequest: their fields and JSON types.
SAVE_FIELDS = {
    "name": str,
    "namespace": str,
    "tag": str,
    "description": str,
    "workspace_id": str,
    "swr_instance_id": str,
    "swr_instance_domain": str,
}
REGISTER_FIELDS = {
    "swr_path": str,
    "arch": str,
    "description": str,
    "origin": str,
    "resource_category": list,
    "service_type": str,
    "services": list,
    "visibility": str,
    "workspace_id": str,
    "flavor_type": str,
    "tags": list,
    "swr_instance_id": str,
    "read_me": str,
}
ENUMS = {
    "arch": ("X86_64", "AARCH64"),
    "origin": ("CUSTOMIZE", "IMAGE_SAVE"),
    "service_type": IMAGE_SERVICE_TYPES,
    "visibility": ("PRIVATE", "PUBLIC"),
}
LIST_ENUMS = {"resource_category": ("CPU", "GPU", "ASCEND"), "services": ("NOTEBOOK", "SSH")}
# The name rules of ImageCreateReq; SWR applies them to a registered path as well.
NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$")
NAMESPACE_RE = re.compile(r"^[a-z][A-Za-z0-9._-]{0,63}$")
TAG_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
WORKSPACE_RE = re.compile(r"^(0|[0-9a-z]{32})$")
SWR_PATH_RE = re.compile(r"^[^/\s]+/(?P<namespace>[^/\s]+)/(?P<name>[^:\s]+):(?P<tag>[^:/\s]+)$")
DESCRIPTION_MAX = 512
PENDING = ("INIT", "CREATING")


def _not_found(image_id):
    return ServiceError(400, "ModelArts.6797", "The image %s is not found." % image_id)


class Images(Resource):
    """GET ``/images``, GET, DELETE ``/images/{id}``, POST ``/images`` and POST ``/notebooks/{id}/create-image``."""

    # pylint: disable=too-many-instance-attributes

    name = "images"

    def __init__(self, sim):
        super().__init__(sim)
        self.catalog = sim.resources["catalog"]
        self.store = sim.resources["notebooks"]
        # None: a save or delete lasts the notebooks' transition_seconds.
        self._image_seconds = None
        self._original = (copy.deepcopy(self.catalog.image_catalog), copy.deepcopy(self.catalog.images))
        # image id: {"creating_at", "at", "result", "notebook"} of a save in progress, or {"gone_at"} of a delete.
        self._pending = {}
        self._next_result = None
        # Seconds after which someone else stops the notebook of the next save (None: nobody does).
        self._next_interrupt = None
        # SWR paths whose content a delete removed (force / is_force).
        self.swr_deleted = []
        self.store.subscribe("stopped", lambda nb: self._notebook_lost(nb, "stopped"))
        self.store.subscribe("deleted", lambda nb: self._notebook_lost(nb, "deleted"))

    @property
    def image_seconds(self):
        """How long a save (and a delete) lasts; None: the notebooks' ``transition_seconds``."""
        return self.store.transition_seconds if self._image_seconds is None else self._image_seconds

    @image_seconds.setter
    def image_seconds(self, value):
        self._image_seconds = None if value is None else float(value)

    def routes(self):
        return [
            Route("GET", "/v1/{project_id}/images", self.list_images, trailing_slash=True, sdk="ListImageRequest"),
            Route("GET", "/v1/{project_id}/images/{id}", self.show_image, sdk="ShowImageRequest"),
            Route("POST", "/v1/{project_id}/images", self.register, write=True, sdk="RegisterImageRequest"),
            Route("DELETE", "/v1/{project_id}/images/{id}", self.delete, write=True, sdk="DeleteImageRequest"),
            Route(
                "POST", "/v1/{project_id}/notebooks/{id}/create-image", self.save, write=True, sdk="CreateImageRequest"
            ),
        ]

    def control_routes(self):
        return [
            Route("POST", "/_sim/images", self._control_add),
            Route("PATCH", "/_sim/images/{id}", self._control_set_status),
            Route("POST", "/_sim/fail_next_image", self._control_fail_next),
        ]

    # ---- the status machine ------------------------------------------------------------------------------------
    def _settle(self, image_id):
        """Applies what is due to the image; False once it is gone."""
        image = self.catalog.image_catalog.get(image_id)
        pending = self._pending.get(image_id)
        if image is None or pending is None:
            return image is not None
        now = self.store.clock()
        if pending.get("interrupt_at") is not None and pending["interrupt_at"] <= now < pending["at"]:
            # Someone else stops the notebook during the save: the "stopped" event fails the image.
            pending["interrupt_at"] = None
            try:
                self.store.set_status(pending["notebook"], "STOPPED")
            except ServiceError:
                pass  # the notebook is gone already
            return True
        if "gone_at" in pending:
            if now >= pending["gone_at"]:
                self._forget(image_id)
                return False
            return True
        if now >= pending["at"]:
            del self._pending[image_id]
            status, message = pending["result"] or ("ACTIVE", "")
            self._set(image, status, message)
        elif now >= pending["creating_at"] and image["status"] == "INIT":
            self._set(image, "CREATING", "")
        return True

    @staticmethod
    def _set(image, status, message=""):
        image["status"], image["status_message"], image["update_at"] = status, message, now_ms()

    def _forget(self, image_id):
        self._pending.pop(image_id, None)
        self.catalog.image_catalog.pop(image_id, None)
        self.catalog.images.pop(image_id, None)

    def _notebook_lost(self, nb, what):
        """A notebook stopped or deleted while an image is saved from it: the save fails."""
        with self.store.lock:
            for image_id, pending in list(self._pending.items()):
                if pending.get("notebook") == nb["id"] and self._settle(image_id) and image_id in self._pending:
                    del self._pending[image_id]
                    self._set(
                        self.catalog.image_catalog[image_id],
                        "CREATE_FAILED",
                        "The notebook %s was %s while the image was saved." % (nb["id"], what),
                    )

    def get(self, image_id):
        """The live image, what is due applied; ModelArts.6797 when unknown or gone."""
        with self.store.lock:
            if not self._settle(image_id):
                raise _not_found(image_id)
            return self.catalog.image_catalog[image_id]

    def all(self):
        with self.store.lock:
            return [self.catalog.image_catalog[i] for i in list(self.catalog.image_catalog) if self._settle(i)]

    def _add(self, image_id, image):
        """Put a new image in the catalogue (an instance can then be created from it)."""
        details = image_details(image_id, image)
        self.catalog.image_catalog[image_id] = details
        self.catalog.images[image_id] = {key: details[key] for key in INSTANCE_IMAGE_KEYS}
        return details

    def _check_unique(self, namespace, name, tag, swr_path=None):
        for image in self.all():
            if image["type"] == "DEDICATED" and (
                (image["namespace"], image["name"], image["tag"]) == (namespace, name, tag)
                or (swr_path and image["swr_path"] == swr_path)
            ):
                raise ServiceError(400, "ModelArts.6737", "The image tag cannot be duplicated.")

    def _result(self):
        result, self._next_result = self._next_result, None
        return result

    # ---- the API -----------------------------------------------------------------------------------------------
    def list_images(self, call):
        query = call.query
        image_type = query.get("type") or "BUILD_IN"
        if image_type not in IMAGE_TYPES:
            raise property_error("The value of type must be one of %s." % ", ".join(IMAGE_TYPES))
        if query.get("service_type") and query["service_type"] not in IMAGE_SERVICE_TYPES:
            raise property_error("The value of service_type must be one of %s." % ", ".join(IMAGE_SERVICE_TYPES))
        fuzzy = query.get("name_fuzzy_match", "true").lower()
        if fuzzy not in ("true", "false"):
            raise bad_request("name_fuzzy_match must be true or false")
        limit, offset = paging(query, MAX_IMAGE_LIMIT, MAX_IMAGE_LIMIT)
        order = sorting(query, IMAGE_SORT_KEYS, "create_at", "DESC")
        name = query.get("name")
        wanted = {"type": image_type, "workspace_id": query.get("workspace_id") or "0"}
        wanted.update({k: query[k] for k in ("service_type", "namespace", "show_name", "show_tag") if query.get(k)})
        found = []
        for image in self.all():
            if any(image[k] != v for k, v in wanted.items()):
                continue
            if name and (name.lower() not in image["name"].lower() if fuzzy == "true" else name != image["name"]):
                continue
            found.append(image)
        return page([copy.deepcopy(i) for i in sorted_by(found, order)], limit, offset, "data")

    def show_image(self, call):
        return copy.deepcopy(self.get(call.params["id"]))

    def save(self, call):
        body = call.body()
        check_body(body, SAVE_FIELDS)
        for key in ("name", "namespace"):
            if key not in body:
                raise required_error("The property %s is required." % key)
        tag = body.get("tag", "latest")
        self._check_names(body["namespace"], body["name"], tag, "")
        self._check_common(body)
        with self.store.lock:
            nb = self.store.get(call.params["id"])
            if nb["status"] != "RUNNING":
                raise ServiceError(
                    400, "ModelArts.6357", "The instance in status %s cannot be saved as an image." % nb["status"]
                )
            self._check_unique(body["namespace"], body["name"], tag)
            source = self.catalog.image_catalog.get(nb["image"]["id"]) or {}
            image_id = str(uuid.uuid4())
            now = now_ms()
            image = self._add(
                image_id,
                {
                    "name": body["name"],
                    "namespace": body["namespace"],
                    "tag": tag,
                    "swr_path": "%s/%s/%s:%s" % (SWR_REGISTRY, body["namespace"], body["name"], tag),
                    "type": "DEDICATED",
                    "origin": "IMAGE_SAVE",
                    "arch": source.get("arch", nb["image"].get("arch", "x86_64")),
                    "service_type": source.get("service_type", "DEV"),
                    "resource_categories": copy.deepcopy(source.get("resource_categories", ["CPU"])),
                    "dev_services": copy.deepcopy(source.get("dev_services", ["NOTEBOOK", "SSH"])),
                    "visibility": "PRIVATE",
                    "workspace_id": body.get("workspace_id", "0"),
                    "description": body.get("description", ""),
                    "status": "INIT",
                    "create_at": now,
                    "update_at": now,
                },
            )
            seconds, start = self.image_seconds, self.store.clock()
            self._pending[image_id] = {
                "creating_at": start + seconds / 3,
                "at": start + seconds,
                "result": self._result(),
                "notebook": nb["id"],
                "interrupt_at": None if self._next_interrupt is None else start + self._next_interrupt,
            }
            self._next_interrupt = None
            self.store.set_status(nb["id"], "SNAPSHOTTING", then="RUNNING", after=seconds)
            return copy.deepcopy(image)

    def register(self, call):
        body = call.body()
        check_body(body, REGISTER_FIELDS)
        if "swr_path" not in body:
            raise required_error("The property swr_path is required.")
        path = SWR_PATH_RE.match(body["swr_path"])
        if not 16 <= len(body["swr_path"]) <= 2048 or path is None:
            raise property_error("The swr_path %r is not [registry]/namespace/name:tag." % body["swr_path"])
        self._check_names(path.group("namespace"), path.group("name"), path.group("tag"), "swr_path: ")
        self._check_common(body)
        for key, allowed in LIST_ENUMS.items():
            for value in body.get(key, ()):
                if value not in allowed:
                    raise property_error("The values of %s must be among %s." % (key, ", ".join(allowed)))
        with self.store.lock:
            self._check_unique(path.group("namespace"), path.group("name"), path.group("tag"), body["swr_path"])
            image_id = str(uuid.uuid4())
            now = now_ms()
            status, message = self._result() or ("ACTIVE", "")
            return copy.deepcopy(
                self._add(
                    image_id,
                    {
                        "name": path.group("name"),
                        "namespace": path.group("namespace"),
                        "tag": path.group("tag"),
                        "swr_path": body["swr_path"],
                        "type": "DEDICATED",
                        "origin": body.get("origin", "CUSTOMIZE"),
                        "arch": body.get("arch", "X86_64"),
                        "service_type": body.get("service_type", "UNKNOWN"),
                        "resource_categories": list(body.get("resource_category", ["CPU", "GPU"])),
                        "dev_services": list(body.get("services", ["NOTEBOOK", "SSH"])),
                        "visibility": body.get("visibility", "PRIVATE"),
                        "workspace_id": body.get("workspace_id", "0"),
                        "description": body.get("description", ""),
                        "status": status,
                        "status_message": message,
                        "create_at": now,
                        "update_at": now,
                    },
                )
            )

    def delete(self, call):
        """The query ``force`` (the API reference) or the body's ``is_force`` (the SDK): either removes the SWR content."""
        force_query = call.query.get("force")
        if force_query is not None and force_query not in ("true", "false"):
            raise bad_request("force must be true or false")
        body = call.body(required=False)
        if body is not None:
            check_body(body, {"is_force": bool})
        force = force_query == "true" or bool((body or {}).get("is_force"))
        with self.store.lock:
            image = self.get(call.params["id"])
            if "at" in self._pending.get(image["id"], {}):
                raise ServiceError(400, "ModelArts.6357", "The image in status %s cannot be deleted." % image["status"])
            if image["status"] == "DELETED":
                return copy.deepcopy(image)
            self._set(image, "DELETED", "")
            self._pending[image["id"]] = {"gone_at": self.store.clock() + self.image_seconds}
            if force:
                self.swr_deleted.append(image["swr_path"])
            return copy.deepcopy(image)

    # ---- rules -------------------------------------------------------------------------------------------------
    @staticmethod
    def _check_names(namespace, name, tag, where):
        for key, value, rule in (("namespace", namespace, NAMESPACE_RE), ("tag", tag, TAG_RE)):
            if not rule.match(value):
                raise property_error("%sThe %s %r does not follow the naming rules." % (where, key, value))
        if not all(NAME_RE.match(segment) for segment in name.split("/")):
            raise property_error("%sThe name %r does not follow the naming rules." % (where, name))

    @staticmethod
    def _check_common(body):
        if len(body.get("description", "")) > DESCRIPTION_MAX:
            raise property_error("The description must be at most %d characters." % DESCRIPTION_MAX)
        if "workspace_id" in body and not WORKSPACE_RE.match(body["workspace_id"]):
            raise property_error("The workspace_id %r is not valid." % body["workspace_id"])
        for key, allowed in ENUMS.items():
            if key in body and body[key] not in allowed:
                raise property_error("The value of %s must be one of %s." % (key, ", ".join(allowed)))

    # ---- for tests ---------------------------------------------------------------------------------------------
    def fail_next(self, status="CREATE_FAILED", status_message="injected failure"):
        """The next image saved or registered through the API ends in ``status`` with ``status_message``."""
        if status not in ("CREATE_FAILED", "ERROR"):
            raise ValueError("status must be CREATE_FAILED or ERROR, not %r" % status)
        self._next_result = (status, status_message)

    def stop_during_next_save(self, after=0.0):
        """Someone else stops the notebook of the next save ``after`` seconds into it (seen at the first read of
        the image from then on): the image ends CREATE_FAILED."""
        self._next_interrupt = float(after)

    def add(self, namespace, name, tag, status="ACTIVE", status_message="", **fields):
        """Add a project's own image directly (INIT and CREATING ones end ACTIVE after ``image_seconds``)."""
        image_id = fields.pop("id", None) or str(uuid.uuid4())
        with self.store.lock:
            if image_id in self.catalog.image_catalog:
                raise ValueError("image %s exists" % image_id)
            image = dict(
                {
                    "swr_path": "%s/%s/%s:%s" % (SWR_REGISTRY, namespace, name, tag),
                    "type": "DEDICATED",
                    "arch": "X86_64",
                },
                **fields,
                name=name,
                namespace=namespace,
                tag=tag,
                status=status,
                status_message=status_message,
            )
            image = self._add(image_id, image)
            if status in PENDING:
                start = self.store.clock()
                self._pending[image_id] = {"creating_at": start, "at": start + self.image_seconds, "result": None}
            return copy.deepcopy(image)

    def set_status(self, image_id, status, status_message=""):
        """Force a status (DELETED: gone after ``image_seconds``)."""
        with self.store.lock:
            image = self.get(image_id)
            self._pending.pop(image_id, None)
            self._set(image, status, status_message)
            if status == "DELETED":
                self._pending[image_id] = {"gone_at": self.store.clock() + self.image_seconds}
            return copy.deepcopy(image)

    def reset(self):
        with self.store.lock:
            image_catalog, images = self._original
            self.catalog.image_catalog.clear()
            self.catalog.image_catalog.update(copy.deepcopy(image_catalog))
            self.catalog.images.clear()
            self.catalog.images.update(copy.deepcopy(images))
            self._pending.clear()
            self._next_result = None
            self._next_interrupt = None
            self.swr_deleted.clear()

    def _control_add(self, params, query, body):
        return 201, self.add(**body)

    def _control_set_status(self, params, query, body):
        return 200, self.set_status(params["id"], **body)

    def _control_fail_next(self, params, query, body):
        self.fail_next(**body)
        return 200, {"armed": True}
