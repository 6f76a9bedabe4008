"""The auto-stop lease of a notebook: its rules (shared by start and create) and the lease calls.

The lease is a field of the instance object (``nb["lease"]``), so this resource keeps no state of its own.
"""

import copy
import re

from .base import Resource, now_ms
from .errors import ServiceError, property_error, required_error
from .routing import Route
from .validation import check_body

# The default of a start without duration, the accepted range, -1 for "no auto-stop".
LEASE_TYPES = ("TIMING", "IDLE")
DEFAULT_LEASE_MS = 3600000
MIN_LEASE_MS = 3600000
MAX_LEASE_MS = 259200000
NO_LEASE = -1
LEASE_FIELDS = {"duration": int, "type": str}


def lease_settings(duration, lease_type, where="duration"):
    """The lease fields set by a start, create or renewal asking for ``duration`` (ms, str or int; None for
    the default) and ``lease_type``; ModelArts.6336 when out of range."""
    if lease_type is not None and lease_type not in LEASE_TYPES:
        raise property_error("The value of type must be TIMING or IDLE, not %r." % (lease_type,))
    lease_type = lease_type or "TIMING"
    if duration is None:
        return {"duration": DEFAULT_LEASE_MS, "enable": True, "type": lease_type}
    if isinstance(duration, str) and re.match(r"^-?[0-9]+$", duration):
        duration = int(duration)
    if not isinstance(duration, int) or isinstance(duration, bool):
        raise property_error("The value of %s must be an integer number of milliseconds, not %r." % (where, duration))
    if duration == NO_LEASE:
        return {"enable": False, "type": lease_type}
    if not MIN_LEASE_MS <= duration <= MAX_LEASE_MS:
        raise property_error(
            "The value of %s must be -1 (no auto-stop) or %d to %d ms (1 to 72 hours), not %d."
            % (where, MIN_LEASE_MS, MAX_LEASE_MS, duration)
        )
    return {"duration": duration, "enable": True, "type": lease_type}


class Lease(Resource):
    """GET and PATCH ``/notebooks/{id}/lease``."""

    name = "lease"

    def routes(self):
        base = "/v1/{project_id}/notebooks/{id}/lease"
        return [
            Route("GET", base, self.show, sdk="ShowLeaseRequest"),
            Route("PATCH", base, self.renew, write=True, sdk="RenewLeaseRequest"),
        ]

    def show(self, call):
        store = self.sim.store
        with store.lock:
            return copy.deepcopy(store.get(call.params["id"])["lease"])

    def renew(self, call):
        """A query duration overrides the body and forces TIMING; the countdown restarts."""
        body = call.body(required=False)
        query = call.query
        if body is None:
            body = {}
        check_body(body, LEASE_FIELDS)
        if query.get("duration") is not None:
            lease = lease_settings(query["duration"], "TIMING")
        elif "duration" in body:
            lease = lease_settings(body["duration"], body.get("type"))
        else:
            raise required_error("The property duration is required.")
        store = self.sim.store
        with store.lock:
            nb = store.get(call.params["id"])
            if nb["status"] == "FROZEN":
                raise ServiceError(400, "ModelArts.6326", "The instance is frozen.")
            if nb["status"] != "RUNNING":
                raise ServiceError(
                    400,
                    "ModelArts.6357",
                    "Cannot renew the lease of the instance in status %s: it is not running." % nb["status"],
                )
            now = now_ms()
            nb["lease"].update(lease, create_at=now, update_at=now)
            return copy.deepcopy(nb["lease"])
