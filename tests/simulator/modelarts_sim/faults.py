"""Injected faults: errors, delays, dropped connections and races, matched on the method and path of a request."""

import json
import re
import threading
import uuid

from .notebooks import FAILED, STABLE


class Fault:
    """A failure to inject into the next ``count`` requests matching method and path."""

    # pylint: disable=too-many-instance-attributes

    def __init__(
        self,
        method=None,
        path=None,
        count=1,
        status=503,
        body=None,
        headers=None,
        delay=0.0,
        drop=False,
        apply=False,
        transition_result=None,
        fail_reason=None,
        modify=None,
        echo=False,
        skip=0,
        meanwhile=None,
    ):
        if meanwhile is not None and not callable(meanwhile):
            raise ValueError("meanwhile must be a callable taking (simulator, request)")
        if transition_result is not None and transition_result not in FAILED | STABLE:
            raise ValueError("transition_result must be a status such as ERROR or START_FAILED")
        self.id = uuid.uuid4().hex[:12]
        self.method = method.upper() if method else None
        self.path = path
        self._path_re = re.compile(path) if path else None
        self.remaining = int(count)
        # A transition fault lets the request through and marks the notebook instead.
        self.status = None if transition_result else status
        self.body = body
        self.headers = dict(headers or {})
        self.delay = float(delay)
        self.drop = bool(drop)
        self.apply = bool(apply)
        self.transition_result = transition_result
        self.fail_reason = fail_reason
        # Someone else's change (NotebookStore.modify fields), made as the matching request arrives.
        self.modify = dict(modify or {})
        # The error answer quotes the credentials and body received, as a careless gateway would.
        self.echo = bool(echo)
        self.skip = int(skip)  # matching requests let through before the fault starts
        # Any change someone else makes as the matching request arrives, before it is processed: a callable taking
        # (simulator, recorded request), for changes that modify cannot describe (Python only, not the control API).
        self.meanwhile = meanwhile
        self.hits = 0

    def matches(self, method, path):
        if self.remaining <= 0:
            return False
        if self.method and self.method != method:
            return False
        return not self._path_re or bool(self._path_re.search(path))

    def answer(self, record=None):
        """(status, body bytes, headers) of the injected error answer."""
        body = self.body
        if body is None:
            body = _default_fault_body(self.status)
        if self.echo and record is not None:
            body = {
                "error_code": "APIGW.0101",
                "error_msg": "Rejected request: headers %s, body %s"
                % (
                    json.dumps(
                        {k: record.headers.get(k) for k in ("Authorization", "X-Auth-Token", "X-Security-Token")}
                    ),
                    record.raw_body.decode("utf-8", "replace"),
                ),
            }
        if isinstance(body, (dict, list)):
            raw = json.dumps(body).encode("utf-8")
        elif isinstance(body, str):
            raw = body.encode("utf-8")
        else:
            raw = bytes(body)
        return self.status, raw, self.headers

    def to_dict(self):
        body = self.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        return {
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "remaining": self.remaining,
            "status": self.status,
            "body": body,
            "headers": self.headers,
            "delay": self.delay,
            "drop": self.drop,
            "apply": self.apply,
            "transition_result": self.transition_result,
            "fail_reason": self.fail_reason,
            "modify": self.modify,
            "echo": self.echo,
            "skip": self.skip,
            "meanwhile": getattr(self.meanwhile, "__name__", None),
            "hits": self.hits,
        }


def _default_fault_body(status):
    if status == 401:
        return {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}
    if status == 429:
        return {"error_code": "APIGW.0308", "error_msg": "The throttling threshold has been reached"}
    if status == 408:
        return {"error_code": "ModelArts.6100", "error_msg": "Request timed out"}
    if status >= 500:
        return {"error_code": "ModelArts.6102", "error_msg": "Server error, please try again later"}
    return {"error_code": "ModelArts.6400", "error_msg": "Injected fault"}


class Faults:
    """The faults injected into a simulator, checked in the order injected; the first matching one wins."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def add(self, fault):
        with self._lock:
            self._faults.append(fault)
        return fault

    def active(self):
        with self._lock:
            return [f for f in self._faults if f.remaining > 0]

    def clear(self):
        with self._lock:
            self._faults.clear()

    def take(self, method, path):
        """The fault that answers this request (counted down), or None."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.remaining -= 1
                    fault.hits += 1
                    return fault
        return None
