"""Routing: (method, path pattern) to a handler, for the API and for the control API.

A pattern is spelled as the SDK's ``resource_path`` (``/v1/{project_id}/notebooks/{id}``): ``{name}`` matches one
path segment and is handed to the handler as ``params[name]``. Of the routes of the request's method that match
its path, the most specific wins: a literal segment beats a parameter, from the left, so ``/notebooks/flavors``
is never taken for the notebook ``flavors`` whatever the order the routes were added in.
"""

import re

from .validation import json_body

_PARAM_RE = re.compile(r"^\{([a-z_]+)\}$")
# A handler's answer that means 204 without a body, for a call that answers so only sometimes.
NO_CONTENT = object()


class Route:
    """One API (or control API) route and what it declares about itself.

    ``write``: a successful call changes state, and is listed in ``Simulator.writes``; ``no_content``: a successful
    call answers 204 without a body; ``sdk``: the name of the SDK's request class of the call (e.g.
    ``UpdateNotebookRequest``), against which tests/simulator/sdk_models.py checks the requests and this route;
    ``trailing_slash``: the path may end in ``/`` as well.
    """

    # pylint: disable=too-many-instance-attributes,too-many-arguments

    def __init__(
        self, method, pattern, handler, write=False, no_content=False, sdk=None, trailing_slash=False, name=None
    ):
        self.method = method.upper()
        self.pattern = pattern
        self.handler = handler
        self.write = bool(write)
        self.no_content = bool(no_content)
        self.sdk = sdk
        self.name = name or handler.__name__
        segments = pattern.strip("/").split("/")
        parts = []
        for segment in segments:
            param = _PARAM_RE.match(segment)
            parts.append("(?P<%s>[^/]+)" % param.group(1) if param else re.escape(segment))
        self.regex = re.compile("^/%s%s$" % ("/".join(parts), "/?" if trailing_slash else ""))
        # Literal segments (1) outrank parameters (0), from the left.
        self.specificity = tuple(0 if _PARAM_RE.match(segment) else 1 for segment in segments)
        self.segments = tuple(segments)

    def __repr__(self):
        return "<Route %s %s -> %s>" % (self.method, self.pattern, self.name)

    def match(self, path):
        """The path parameters when ``path`` matches the pattern, else None."""
        found = self.regex.match(path)
        return found.groupdict() if found else None


class Router:
    """Routes by (method, pattern); a pattern is added once per method."""

    def __init__(self):
        self.routes = []

    def add(self, route):
        if any(r.method == route.method and r.pattern == route.pattern for r in self.routes):
            raise ValueError("a route %s %s is already registered" % (route.method, route.pattern))
        self.routes.append(route)
        return route

    def resolve(self, method, path):
        """(route, params) of the most specific route of ``method`` matching ``path``; (None, {}) when none does.

        A path known under other methods only resolves to nothing as well: the gateway publishes an API per
        method and path, and answers any other pair as an API that does not exist (404 APIGW.0101).
        """
        best, best_params = None, {}
        for route in self.routes:
            if route.method != method.upper():
                continue
            params = route.match(path)
            if params is not None and (best is None or route.specificity > best.specificity):
                best, best_params = route, params
        return best, best_params

    def literal_segments(self, prefix):
        """The literal segments that follow the segments ``prefix`` in some pattern (e.g. ``flavors`` after
        ``("v1", "{project_id}", "notebooks")``)."""
        depth = len(prefix)
        return {
            r.segments[depth]
            for r in self.routes
            if r.segments[:depth] == tuple(prefix)
            and len(r.segments) > depth
            and not _PARAM_RE.match(r.segments[depth])
        }


class Call:
    """An authenticated API request as its handler sees it: path parameters, query, body."""

    def __init__(self, sim, record):
        self.sim = sim
        self.record = record
        self.params = record.params
        self.query = record.query

    def body(self, required=True):
        """The JSON body; ModelArts.6400 when empty (unless not ``required``: then None) or not JSON."""
        return json_body(self.record.raw_body, required)
