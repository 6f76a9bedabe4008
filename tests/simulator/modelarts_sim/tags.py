"""The tags calls of a notebook: add or overwrite by key, remove by key; both answer 204 without a body.

The tags are a field of the instance object (``nb["tags"]``), so this resource keeps no state of its own.
"""

from .base import Resource
from .errors import ServiceError, bad_request, property_error, required_error
from .routing import Route
from .validation import check_type

MAX_TAGS = 20
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 255


class Tags(Resource):
    """POST ``/notebooks/{resource_id}/tags/create``, DELETE ``/notebooks/{resource_id}/tags/delete``."""

    name = "tags"

    def routes(self):
        base = "/v1/{project_id}/notebooks/{resource_id}/tags"
        return [
            Route("POST", base + "/create", self.add, write=True, no_content=True, sdk="CreateNotebookTagsRequest"),
            Route(
                "DELETE", base + "/delete", self.remove, write=True, no_content=True, sdk="DeleteNotebookTagsRequest"
            ),
        ]

    def _tags_of(self, call):
        """The notebook and the (key, value) pairs of a tags call, checked."""
        body, query = call.body(), call.query
        if not isinstance(body, dict) or "tags" not in body:
            raise required_error("The property tags is required.")
        check_type("tags", body["tags"], list)
        for i, tag in enumerate(body["tags"]):
            check_type("tags[%d]" % i, tag, dict)
            for key, value in tag.items():
                if key not in ("key", "value"):
                    raise bad_request("unknown field tags[%d].%s" % (i, key))
                check_type("tags[%d].%s" % (i, key), value, str)
            key, value = tag.get("key"), tag.get("value", "")
            if key is None:
                raise required_error("The property tags[%d].key is required." % i)
            if not 1 <= len(key) <= TAG_KEY_MAX or key != key.strip() or key.startswith("_sys_"):
                raise property_error(
                    "The tag key %r must be 1 to %d characters, without leading or trailing spaces, and not "
                    "start with _sys_." % (key, TAG_KEY_MAX)
                )
            if len(value) > TAG_VALUE_MAX:
                raise property_error("The value of tag %r must be at most %d characters." % (key, TAG_VALUE_MAX))
        nb = self.sim.store.get(call.params["resource_id"])
        if query.get("workspace_id", "0") != nb["workspace_id"]:
            raise ServiceError(
                400, "ModelArts.6309", "The instance does not exist in workspace %s." % query.get("workspace_id", "0")
            )
        return nb, [(tag["key"], tag.get("value", "")) for tag in body["tags"]]

    def add(self, call):
        """Adds or overwrites the tags, by key."""
        with self.sim.store.lock:
            nb, tags = self._tags_of(call)
            merged = {t["key"]: t["value"] for t in nb["tags"]}
            merged.update(tags)
            if len(merged) > MAX_TAGS:
                raise property_error("An instance has at most %d tags." % MAX_TAGS)
            nb["tags"] = [{"key": k, "value": v} for k, v in merged.items()]

    def remove(self, call):
        """Removes the tags named by key (their values are not compared); unknown keys are ignored."""
        with self.sim.store.lock:
            nb, tags = self._tags_of(call)
            keys = {key for key, dummy in tags}
            nb["tags"] = [t for t in nb["tags"] if t["key"] not in keys]
