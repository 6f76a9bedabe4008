"""The control API under ``/_sim/`` (unsigned, for tests and out-of-process use): its own routes, plus those
each resource registers (``Resource.control_routes()``)."""

import json
import os
import re

from .routing import Route, Router


class ControlError(Exception):
    """A control call that cannot be done: answered ``status`` with ``{"error": message}``."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class ControlAPI:
    """Routes ``/_sim/...``; a handler takes ``(params, query, body)`` and returns ``(status, payload)``.

    Bad arguments (ValueError, TypeError, KeyError, a bad regular expression) answer 400 ``{"error": ...}``,
    unknown routes 404.
    """

    def __init__(self, sim):
        self.sim = sim
        self.router = Router()
        for route in (
            Route("GET", "/_sim/health", self.health),
            Route("GET", "/_sim/requests", self.requests),
            Route("DELETE", "/_sim/requests", self.clear_requests),
            Route("GET", "/_sim/faults", self.faults),
            Route("POST", "/_sim/faults", self.inject_fault),
            Route("DELETE", "/_sim/faults", self.clear_faults),
            Route("POST", "/_sim/reset", self.reset),
            Route("PATCH", "/_sim/config", self.config),
        ):
            self.router.add(route)

    def handle(self, method, path, query, raw_body):
        """(status, payload) of a control call."""
        path = path.rstrip("/")
        try:
            body = json.loads(raw_body) if raw_body else {}
            route, params = self.router.resolve(method, path)
            if route is None:
                return 404, {"error": "no control route %s %s" % (method, path)}
            return route.handler(params, query, body)
        except ControlError as err:
            return err.status, {"error": err.message}
        except (ValueError, TypeError, KeyError, re.error) as err:
            return 400, {"error": "%s: %s" % (type(err).__name__, err)}

    def health(self, params, query, body):
        sim = self.sim
        return 200, {
            "status": "ok",
            "url": sim.url,
            "pid": os.getpid(),
            "project_id": sim.project_id,
            "notebooks": len(sim.store.all()),
            "requests": len(sim.requests),
        }

    def requests(self, params, query, body):
        chosen = self.sim.writes if query.get("writes") else self.sim.requests
        return 200, {"requests": [r.to_dict() for r in chosen]}

    def clear_requests(self, params, query, body):
        self.sim.clear_requests()
        return 200, {"cleared": True}

    def faults(self, params, query, body):
        return 200, {"faults": [f.to_dict() for f in self.sim.faults]}

    def inject_fault(self, params, query, body):
        return 201, self.sim.inject_fault(**body).to_dict()

    def clear_faults(self, params, query, body):
        self.sim.clear_faults()
        return 200, {"cleared": True}

    def reset(self, params, query, body):
        self.sim.reset()
        return 200, {"reset": True}

    def config(self, params, query, body):
        """Sets the settings given (``Resource.settings`` of every resource); answers them all."""
        owners = self.sim.settings()
        unknown = set(body) - set(owners)
        if unknown:
            raise ValueError("unknown settings %s" % ", ".join(sorted(unknown)))
        for name, owner in owners.items():
            if name in body:
                setattr(owner, name, body[name])
        return 200, {name: getattr(owner, name) for name, owner in owners.items()}
