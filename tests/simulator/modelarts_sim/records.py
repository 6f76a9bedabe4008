"""What the simulator records of each API request: its headers, body, route and answer."""

import json
import time


class Headers(dict):
    """Received headers; keys are stored lowercased so any spelling finds them."""

    def __init__(self, items=()):
        super().__init__()
        for key, value in items:
            self.setdefault(key.lower(), value)  # the first of repeated headers wins, as in the signature check

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def __contains__(self, key):
        return super().__contains__(key.lower())

    def get(self, key, default=None):
        return super().get(key.lower(), default)


class RecordedRequest:
    """One API request as received, and the answer given (status 0: the connection was dropped)."""

    # pylint: disable=too-many-instance-attributes

    def __init__(self, method, path, query, headers, raw_body, raw_query=""):
        self.method = method
        self.path = path
        self.query = query
        self.raw_query = raw_query  # as received: query keys given more than once are all there
        self.headers = headers
        self.raw_body = raw_body
        try:
            self.body = json.loads(raw_body) if raw_body else None
        except ValueError:
            self.body = None
        self.route = None  # the routing.Route of (method, path), None when the gateway knows no such API
        self.params = {}  # the path parameters of that route
        self.status = None
        self.response = None
        self.request_id = None
        self.notebook_id = None
        self.applied = False  # the request changed the store (a successful write), whatever was answered
        self.fault = None  # id of the injected fault that answered it
        self.time = time.time()

    def __repr__(self):
        return "<RecordedRequest %s %s -> %s>" % (self.method, self.path, self.status)

    def to_dict(self):
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": dict(self.headers),
            "body": self.body,
            "raw_body": self.raw_body.decode("utf-8", "replace"),
            "status": self.status,
            "response": self.response,
            "request_id": self.request_id,
            "notebook_id": self.notebook_id,
            "applied": self.applied,
            "fault": self.fault,
            "time": self.time,
        }
