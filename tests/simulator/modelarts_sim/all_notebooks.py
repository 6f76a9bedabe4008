"""GET /notebooks/all: the notebooks of every user of the project, an administrator's view.

The same query and answer as GET /notebooks, plus the filters ``owner`` (a user id) and ``username`` (a fuzzy
match of the owner's name). A caller without an administrator's rights is refused with 403: the setting
``forbidden`` (from Python, or ``PATCH /_sim/all_notebooks {"forbidden": true}``) makes the simulator's
credentials such a caller.
"""

from .base import Resource
from .errors import ServiceError
from .routing import Route


class AllNotebooks(Resource):
    name = "all_notebooks"

    def __init__(self, sim):
        super().__init__(sim)
        self.forbidden = False

    def reset(self):
        self.forbidden = False

    def routes(self):
        return [Route("GET", "/v1/{project_id}/notebooks/all", self.list, sdk="ListAllNotebooksRequest")]

    def control_routes(self):
        return [Route("PATCH", "/_sim/all_notebooks", self._control_change)]

    def _control_change(self, params, query, body):
        self.forbidden = bool(body.pop("forbidden", self.forbidden))
        if body:
            raise ValueError("unknown settings %s" % ", ".join(sorted(body)))
        return 200, {"forbidden": self.forbidden}

    def list(self, call):
        if self.forbidden:
            raise ServiceError(403, "ModelArts.0203", "Listing every user's notebooks needs an administrator's rights.")
        owner, username = call.query.get("owner"), (call.query.get("username") or "").lower()
        return self.sim.store.listing(
            call.query,
            lambda nb: (not owner or nb["user"]["id"] == owner) and username in nb["user"]["name"].lower(),
        )
