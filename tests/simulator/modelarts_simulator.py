"""A ModelArts notebook API simulator: a real HTTP(S) server on loopback for tests and demos.

It serves the notebook calls of ``/v1/{project_id}/notebooks`` (show, update, list, start, stop, create,
delete, lease, tags, flavors, switchable flavors) and ``/v1/{project_id}/images`` with the status machine
and the rules of the API reference, Huawei's ``SDK-HMAC-SHA256`` signature check, recorded requests and
injectable faults, plus an unsigned control API under ``/_sim/``. Standard library only; see README.md
next to this file.
"""

import argparse
import base64
import binascii
import copy
import datetime
import hashlib
import hmac
import ipaddress
import json
import math
import os
import re
import secrets
import signal
import socket
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

# DEFAULT_FLAVORS and DEFAULT_IMAGES are re-exported: the tests import them from here.
from modelarts_catalog import (  # noqa: F401  pylint: disable=unused-import
    DEFAULT_FLAVORS,
    DEFAULT_IMAGES,
    FLAVOR_CATALOG,
    FLAVOR_CATEGORIES,
    FLAVOR_TYPES,
    IMAGE_CATALOG,
    IMAGE_SERVICE_TYPES,
    IMAGE_TYPES,
    INSTANCE_IMAGE_KEYS,
    image_details,
    normalize_flavor,
)

DEFAULT_PROJECT_ID = "0123456789abcdef0123456789abcdef"
DEFAULT_ACCESS_KEY = "AKSIMULATOR0000000001"
DEFAULT_SECRET_KEY = "sim-secret-key"
DEFAULT_AUTH_TOKEN = "sim-iam-token"

STABLE = frozenset(("RUNNING", "STOPPED"))
TRANSITIONAL = frozenset(("INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "SNAPSHOTTING"))
FAILED = frozenset(("CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "FROZEN"))
STATUSES = STABLE | TRANSITIONAL | FAILED | frozenset(("DELETED",))

# Where a transitional status set from outside (set_status) ends by itself.
NATURAL_END = {"STARTING": "RUNNING", "STOPPING": "STOPPED"}

LIST_LIMITS = ("10", "20", "50")
SORT_KEYS = ("name", "status", "create_at", "update_at", "flavor", "id")
FLAVOR_SORT_KEYS = ("id", "name", "arch", "category", "vcpus", "memory", "free", "sold_out")
FLAVOR_FEATURES = ("NOTEBOOK", "DEFAULT")
ASCEND_FLAVOR_TYPES = ("ASCEND_SNT3", "ASCEND_SNT9", "ASCEND_SNT9B")
IMAGE_SORT_KEYS = ("name", "tag", "create_at", "update_at", "size", "type", "service_type", "arch", "namespace")
MAX_IMAGE_LIMIT = 200
# Letters, digits, - and _, and Chinese characters (the SDK's NotebookCreateRequest and NotebookUpdateRequest).
NAME_RE = re.compile("^[A-Za-z0-9_\\-\u4e00-\u9fa5]{1,128}$")
DESCRIPTION_FORBIDDEN = set('&<>"/')
MAX_CAPACITY = 4096
MAX_ALLOWED_IPS = 5
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

UPDATE_FIELDS = {
    # field: accepted JSON type(s); the last five are newer SDK fields, accepted and kept aside.
    "name": str,
    "description": str,
    "flavor": str,
    "image_id": str,
    "storage_new_size": int,
    "endpoints": list,
    "hooks": dict,
    "custom_spec": dict,
    "affinity": dict,
    "dew_secret_name": str,
    "data_volumes": list,
    "public_network_config": dict,
}
CREATE_FIELDS = {
    # field: accepted JSON type(s) of the create body (NotebookCreateRequest); tags are not part of it.
    "name": str,
    "description": str,
    "flavor": str,
    "image_id": str,
    "volume": dict,
    "feature": str,
    "workspace_id": str,
    "pool_id": str,
    "endpoints": list,
    "hooks": dict,
    "lease": dict,
    "duration": int,
    "affinity": dict,
    "data_volumes": list,
    "custom_spec": dict,
    "public_network_config": dict,
    "run_user": dict,
    "user_vpc": dict,
}
CREATE_REQUIRED = ("name", "flavor", "image_id", "volume")
VOLUME_FIELDS = {
    "category": str,
    "ownership": str,
    "capacity": int,
    "id": str,
    "uri": str,
    "mount_path": str,
    "read_only": bool,
    "dew_secret_name": str,
}
VOLUME_CATEGORIES = ("EVS", "EFS", "OBS", "OBSFS")
VOLUME_OWNERSHIPS = ("MANAGED", "DEDICATED")
DEFAULT_CAPACITY = 5
WORKSPACE_ID_RE = re.compile(r"^(0|[0-9a-z]{32})$")
NOTEBOOK_FEATURES = ("NOTEBOOK", "DEFAULT")
LEASE_FIELDS = {"duration": int, "type": str}
MAX_TAGS = 20
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 255
ENDPOINT_FIELDS = {
    "dev_service": str,
    "service": str,
    "allowed_access_ips": list,
    "ssh_keys": list,
    "key_pair_names": list,
}
HOOK_CONFIG_FIELDS = ("script", "type", "mode")

# How an answer names an endpoint's service and SSH key pairs: the seed's dev_service + ssh_keys, the SDK's
# (and Terraform provider's) service + key_pair_names, or both. Requests are accepted in either spelling.
ENDPOINT_SPELLINGS = ("seed", "sdk", "both")
_SPELLING_OMITS = {"seed": ("service", "key_pair_names"), "sdk": ("dev_service", "ssh_keys"), "both": ()}

# The auto-stop lease: the default of a start without duration, the accepted range, -1 for "no auto-stop".
LEASE_TYPES = ("TIMING", "IDLE")
DEFAULT_LEASE_MS = 3600000
MIN_LEASE_MS = 3600000
MAX_LEASE_MS = 259200000
NO_LEASE = -1


def _now_ms():
    return int(time.time() * 1000)


class ServiceError(Exception):
    """An error answer: HTTP status plus the service's error body."""

    def __init__(self, status, code, msg, headers=None):
        super().__init__("%s %s: %s" % (status, code, msg))
        self.status = status
        self.code = code
        self.msg = msg
        self.headers = headers or {}

    @property
    def body(self):
        return {"error_code": self.code, "error_msg": self.msg}


def _bad_request(msg):
    return ServiceError(400, "ModelArts.6400", msg)


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

    def __init__(self, method, path, query, headers, raw_body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.raw_body = raw_body
        try:
            self.body = json.loads(raw_body) if raw_body else None
        except ValueError:
            self.body = None
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
    ):
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


class SignatureVerifier:
    """Authenticates a request as Huawei's API gateway does: an IAM token, or an SDK-HMAC-SHA256 signature.

    Written from the published algorithm, independently of any client code, so that a client bug
    cannot be mirrored here.
    """

    ALGORITHM = "SDK-HMAC-SHA256"
    MAX_SKEW_SECONDS = 15 * 60
    _AUTH_RE = re.compile(
        r"^\s*(?P<alg>\S+)\s+Access=(?P<ak>[^,\s]+)\s*,\s*SignedHeaders=(?P<sh>[^,\s]+)\s*,\s*Signature=(?P<sig>[0-9A-Fa-f]+)\s*$"
    )

    def __init__(self, access_key, secret_key, security_token=None, auth_tokens=(), clock=time.time):
        self.access_key = access_key
        self.secret_key = secret_key
        self.security_token = security_token
        self.auth_tokens = tuple(auth_tokens or ())
        self.clock = clock

    @staticmethod
    def _reject(reason):
        return ServiceError(401, "APIGW.0301", "Incorrect IAM authentication information: " + reason)

    @staticmethod
    def canonical_uri(path):
        segments = unquote(path).split("/")
        uri = "/".join(quote(seg, safe="~") for seg in segments)
        return uri if uri.endswith("/") else uri + "/"

    @staticmethod
    def canonical_query(raw_query):
        pairs = sorted(parse_qsl(raw_query, keep_blank_values=True))
        return "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in pairs)

    @classmethod
    def canonical_request(cls, method, path, raw_query, headers, signed_headers, body):
        canonical_headers = "".join("%s:%s\n" % (name, headers.get(name, "").strip()) for name in signed_headers)
        return "\n".join(
            (
                method.upper(),
                cls.canonical_uri(path),
                cls.canonical_query(raw_query),
                canonical_headers,
                ";".join(signed_headers),
                hashlib.sha256(body or b"").hexdigest(),
            )
        )

    @classmethod
    def string_to_sign(cls, sdk_date, canonical_request):
        return "\n".join((cls.ALGORITHM, sdk_date, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()))

    @staticmethod
    def signature(secret_key, string_to_sign):
        return hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()

    def check(self, method, path, raw_query, headers, body):
        """Return how the request authenticated ("aksk" or "token"); raise a 401 ServiceError otherwise."""
        authorization = headers.get("authorization")
        if authorization:
            self._check_signature(method, path, raw_query, headers, body, authorization)
            return "aksk"
        token = headers.get("x-auth-token")
        if token:
            if any(hmac.compare_digest(token.encode("utf-8"), t.encode("utf-8")) for t in self.auth_tokens):
                return "token"
            raise self._reject("the token is invalid or expired")
        raise self._reject("no Authorization or X-Auth-Token header")

    def _check_signature(self, method, path, raw_query, headers, body, authorization):
        match = self._AUTH_RE.match(authorization)
        if not match or match.group("alg") != self.ALGORITHM:
            raise self._reject("malformed Authorization header")
        if not hmac.compare_digest(match.group("ak").encode("utf-8"), self.access_key.encode("utf-8")):
            raise self._reject("unknown access key")
        signed = match.group("sh").split(";")
        if "host" not in signed or "x-sdk-date" not in signed:
            raise self._reject("host and x-sdk-date must be signed")
        if signed != [name.lower() for name in signed] or any(name not in headers for name in signed):
            raise self._reject("a signed header is missing from the request")
        try:
            sent = datetime.datetime.strptime(headers["x-sdk-date"], SDK_DATE_FORMAT).replace(
                tzinfo=datetime.timezone.utc
            )
        except ValueError:
            raise self._reject("X-Sdk-Date is not YYYYMMDDTHHMMSSZ") from None
        if abs(self.clock() - sent.timestamp()) > self.MAX_SKEW_SECONDS:
            raise self._reject("X-Sdk-Date is more than 15 minutes off")
        self._check_security_token(headers, signed)
        canonical = self.canonical_request(method, path, raw_query, headers, signed, body)
        expected = self.signature(self.secret_key, self.string_to_sign(headers["x-sdk-date"], canonical))
        if not hmac.compare_digest(expected.encode("ascii"), match.group("sig").lower().encode("ascii")):
            raise self._reject("verify aksk signature fail")

    def _check_security_token(self, headers, signed):
        sent = headers.get("x-security-token")
        if self.security_token is None:
            if sent is not None:
                raise self._reject("a security token was sent for a permanent access key")
            return
        if sent is None:
            raise self._reject("the temporary access key needs X-Security-Token")
        if "x-security-token" not in signed:
            raise self._reject("X-Security-Token must be signed")
        if not hmac.compare_digest(sent.encode("utf-8"), self.security_token.encode("utf-8")):
            raise self._reject("the security token is invalid or expired")


def _endpoint(service, uri, allowed_access_ips=(), ssh_keys=()):
    # Stored in both spellings; NotebookStore.view answers the configured one.
    return {
        "dev_service": service,
        "service": service,
        "uri": uri,
        "allowed_access_ips": list(allowed_access_ips),
        "ssh_keys": list(ssh_keys),
        "key_pair_names": list(ssh_keys),
    }


def _property_error(msg):
    return ServiceError(400, "ModelArts.6336", msg)


def lease_settings(duration, lease_type, where="duration"):
    """The lease fields set by a start, create or renewal asking for ``duration`` (ms, str or int; None for
    the default) and ``lease_type``; ModelArts.6336 when out of range."""
    if lease_type is not None and lease_type not in LEASE_TYPES:
        raise _property_error("The value of type must be TIMING or IDLE, not %r." % (lease_type,))
    lease_type = lease_type or "TIMING"
    if duration is None:
        return {"duration": DEFAULT_LEASE_MS, "enable": True, "type": lease_type}
    if isinstance(duration, str) and re.match(r"^-?[0-9]+$", duration):
        duration = int(duration)
    if not isinstance(duration, int) or isinstance(duration, bool):
        raise _property_error("The value of %s must be an integer number of milliseconds, not %r." % (where, duration))
    if duration == NO_LEASE:
        return {"enable": False, "type": lease_type}
    if not MIN_LEASE_MS <= duration <= MAX_LEASE_MS:
        raise _property_error(
            "The value of %s must be -1 (no auto-stop) or %d to %d ms (1 to 72 hours), not %d."
            % (where, MIN_LEASE_MS, MAX_LEASE_MS, duration)
        )
    return {"duration": duration, "enable": True, "type": lease_type}


def _paging(query, default_limit, max_limit):
    """(limit or None for no limit, offset) of a query; ModelArts.6400 when malformed."""
    limit = query.get("limit")
    if limit is None or limit == "":
        limit = default_limit
    elif not limit.isdigit() or int(limit) < 1 or (max_limit and int(limit) > max_limit):
        raise _bad_request("limit must be a positive integer%s" % (" of at most %d" % max_limit if max_limit else ""))
    offset = query.get("offset") or "0"
    if not offset.isdigit():
        raise _bad_request("offset must be a non-negative integer")
    return (int(limit) if limit is not None else None), int(offset)


def _sorting(query, keys, default_key, default_dir):
    """[(key, descending)...] from sort_key (comma-separated) and sort_dir; ModelArts.6303 for an unknown key."""
    sort_dir = (query.get("sort_dir") or default_dir).upper()
    if sort_dir not in ("ASC", "DESC"):
        raise _bad_request("sort_dir must be ASC or DESC")
    names = [k for k in (query.get("sort_key") or default_key or "").split(",") if k]
    if any(k not in keys for k in names):
        raise ServiceError(400, "ModelArts.6303", "The field does not support sorting.")
    return [(k, sort_dir == "DESC") for k in names]


def _sorted(items, order):
    """Items sorted by several keys (stable: equal ones keep the catalogue's order)."""
    items = list(items)
    for key, descending in reversed(order):
        items.sort(key=lambda item, k=key: item[k], reverse=descending)
    return items


def _page(items, limit, offset, field):
    """The paging envelope {current, pages, size, total, <field>} of the flavors and images calls."""
    total = len(items)
    page = items[offset : offset + limit] if limit else items[offset:]
    pages = math.ceil(total / limit) if limit else (1 if total else 0)
    return {"current": offset // limit if limit else 0, "pages": pages, "size": len(page), "total": total, field: page}


class NotebookStore:
    """The notebook instances and their status machine.

    Transitions are computed lazily from the clock whenever an instance is read, so no background
    thread is needed and a stopped simulator leaves nothing running.
    """

    # pylint: disable=too-many-instance-attributes

    def __init__(
        self,
        project_id,
        flavors=None,
        images=None,
        transition_seconds=0.0,
        clock=time.monotonic,
        endpoint_spelling="both",
    ):
        # pylint: disable=too-many-arguments
        self.project_id = project_id
        self._endpoint_spelling = None
        self.endpoint_spelling = endpoint_spelling
        self.flavors = [normalize_flavor(f) for f in (FLAVOR_CATALOG if flavors is None else flavors)]
        # images: what an instance's "image" shows; image_catalog: the objects of the images API.
        self.images = {}
        self.image_catalog = {}
        for image_id, image in (IMAGE_CATALOG if images is None else images).items():
            image = dict(image)
            for key, default in (
                ("name", image_id),
                ("swr_path", ""),
                ("tag", "latest"),
                ("type", "DEDICATED"),
                ("arch", "x86_64"),
            ):
                image.setdefault(key, default)
            self.image_catalog[image_id] = image_details(image_id, image)
            self.images[image_id] = {key: self.image_catalog[image_id][key] for key in INSTANCE_IMAGE_KEYS}
        self.transition_seconds = float(transition_seconds)
        self.clock = clock
        self.lock = threading.RLock()
        self._notebooks = {}
        self._seq = 0
        self._next_create = None  # (status, fail_reason) the next create ends in

    @property
    def endpoint_spelling(self):
        return self._endpoint_spelling

    @endpoint_spelling.setter
    def endpoint_spelling(self, value):
        if value not in ENDPOINT_SPELLINGS:
            raise ValueError("endpoint_spelling must be one of %s, not %r" % (", ".join(ENDPOINT_SPELLINGS), value))
        self._endpoint_spelling = value

    # ---- helpers -------------------------------------------------------------------------------
    def _flavor(self, flavor_id):
        return next((f for f in self.flavors if f["id"] == flavor_id), None)

    def view(self, nb):
        """The instance as the API returns it: the internal keys (leading underscore) left out, the endpoints
        in the configured spelling."""
        answer = {k: copy.deepcopy(v) for k, v in nb.items() if not k.startswith("_")}
        omit = _SPELLING_OMITS[self._endpoint_spelling]
        answer["endpoints"] = [{k: v for k, v in ep.items() if k not in omit} for ep in answer["endpoints"]]
        return answer

    def _delay(self, nb):
        own = nb.get("_transition_seconds")
        return self.transition_seconds if own is None else own

    def _settle(self, nb):
        """Applies a transition whose time has come; a finished deletion takes the instance out of the store."""
        pending = nb.get("_pending")
        if pending and self.clock() >= pending["at"]:
            nb["_pending"] = None
            nb["status"] = pending["to"]
            if pending.get("result"):
                nb["status"], nb["fail_reason"] = pending["result"]
            nb["action_progress"] = []
            nb["lease"]["update_at"] = _now_ms()
            if pending.get("remove") and not pending.get("result"):
                nb["_gone"] = True
                self._notebooks.pop(nb["id"], None)
        return nb

    _PROGRESS = {
        "CREATING": (1, "Creating"),
        "STARTING": (2, "Starting"),
        "STOPPING": (4, "Stopping"),
        "DELETING": (5, "Deleting"),
    }

    def _begin(self, nb, status, target, delay=None):
        nb["status"] = status
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
        nb["lease"]["update_at"] = _now_ms()
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

    def _endpoint_uri(self, nb_id, service):
        octet = int(hashlib.sha256(nb_id.encode()).hexdigest()[:2], 16) % 250 + 2
        return "192.168.0.%d:%d" % (octet, 22 if service == "SSH" else 8888)

    # ---- instances -----------------------------------------------------------------------------
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
    ):
        # pylint: disable=redefined-builtin,too-many-arguments,too-many-locals
        if status not in STATUSES:
            raise ValueError("unknown status %r" % status)
        flavor = flavor or self.flavors[0]["id"]
        image_id = image_id or next(iter(self.images))
        if image_id not in self.images:
            raise ValueError("image %r is not in the catalog" % image_id)
        nb_id = id or str(uuid.uuid4())
        now = _now_ms()
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
                "tags": [{"key": t["key"], "value": t.get("value", "")} for t in (tags or [])],
                "_hooks": copy.deepcopy(hooks),
                "_transition_seconds": transition_seconds,
                "_pending": None,
                "_seq": self._seq,
                "_extra": {},
            }
            for ep in endpoints if endpoints is not None else [{"dev_service": "NOTEBOOK"}]:
                service = ep.get("dev_service") or ep.get("service")
                nb["endpoints"].append(
                    _endpoint(
                        service,
                        ep.get("uri") or self._endpoint_uri(nb_id, service),
                        ep.get("allowed_access_ips", ()),
                        ep.get("ssh_keys", ep.get("key_pair_names", ())),
                    )
                )
            if status in NATURAL_END:
                self._begin(nb, status, NATURAL_END[status])
            self._notebooks[nb_id] = nb
            return self.view(nb)

    def remove(self, notebook_id):
        with self.lock:
            self.get(notebook_id)
            del self._notebooks[notebook_id]

    def all(self):
        with self.lock:
            return [nb for nb in (self._settle(nb) for nb in list(self._notebooks.values())) if not nb.get("_gone")]

    def reset(self):
        with self.lock:
            self._notebooks.clear()
            self._next_create = None

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
                nb["status"] = status
                nb["action_progress"] = []
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
                    nb["endpoints"] = [
                        _endpoint(
                            ep.get("dev_service") or ep.get("service"),
                            ep.get("uri")
                            or self._endpoint_uri(notebook_id, ep.get("dev_service") or ep.get("service")),
                            ep.get("allowed_access_ips", ()),
                            ep.get("ssh_keys", ep.get("key_pair_names", ())),
                        )
                        for ep in value
                    ]
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

    # ---- API operations --------------------------------------------------------------------------
    def list(self, query):
        limit = query.get("limit", "10")
        if limit not in LIST_LIMITS:
            raise _bad_request("limit must be 10, 20 or 50")
        limit = int(limit)
        offset = query.get("offset", "0")
        if not offset.isdigit():
            raise _bad_request("offset must be a non-negative integer")
        offset = int(offset)
        sort_dir = query.get("sort_dir", "DESC").upper()
        if sort_dir not in ("ASC", "DESC"):
            raise _bad_request("sort_dir must be ASC or DESC")
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
                if name and name not in nb["name"].lower():
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
            page = [self.view(nb) for nb in found[offset : offset + limit]]
        total = len(found)
        return {
            "current": offset // limit,
            "data": page,
            "pages": math.ceil(total / limit),
            "size": len(page),
            "total": total,
        }

    def start(self, notebook_id, query):
        # Every start sets the lease anew: no duration is the service's default (1 hour, auto-stop on).
        lease = lease_settings(query.get("duration"), query.get("type"))
        with self.lock:
            nb = self.get(notebook_id)
            status = nb["status"]
            if status == "RUNNING":
                raise ServiceError(400, "ModelArts.6305", "The instance is already running.")
            if status == "STARTING":
                raise ServiceError(400, "ModelArts.6306", "The instance is starting.")
            self._check_operable(nb, "start")
            nb["fail_reason"] = None
            now = _now_ms()
            nb["lease"].update(lease, create_at=now, update_at=now)
            return self.view(self._begin(nb, "STARTING", "RUNNING"))

    def stop(self, notebook_id):
        with self.lock:
            nb = self.get(notebook_id)
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

    # ---- flavors and images ------------------------------------------------------------------------
    @staticmethod
    def flavor_view(flavor):
        return {k: copy.deepcopy(v) for k, v in flavor.items() if not k.startswith("_")}

    def _switchable(self, nb, flavor):
        """Whether the instance may switch to the flavor: another one, on sale, of the same architecture, pool
        type and feature (an instance whose own flavor left the catalogue may take any)."""
        current = self._flavor(nb["flavor"])
        if flavor["id"] == nb["flavor"] or flavor["sold_out"] or flavor["feature"] != nb["feature"]:
            return False
        return current is None or (flavor["arch"], flavor["_type"]) == (current["arch"], current["_type"])

    def list_flavors(self, query):
        feature = query.get("feature") or "NOTEBOOK"
        checks = (("category", FLAVOR_CATEGORIES), ("type", FLAVOR_TYPES), ("flavor_type", ASCEND_FLAVOR_TYPES))
        for key, allowed in checks + (("feature", FLAVOR_FEATURES),):
            value = feature if key == "feature" else query.get(key)
            if value and value not in allowed:
                raise _property_error("The value of %s must be one of %s." % (key, ", ".join(allowed)))
        limit, offset = _paging(query, None, None)
        order = _sorting(query, FLAVOR_SORT_KEYS, None, "DESC")
        found = []
        for flavor in self.flavors:
            if flavor["feature"] != feature or query.get("category") and flavor["category"] != query["category"]:
                continue
            if query.get("type") and flavor["_type"] != query["type"]:
                continue
            if (
                query.get("flavor_type")
                and "ASCEND_" + str((flavor.get("ascend") or {}).get("type", "")).upper() != query["flavor_type"]
            ):
                continue
            found.append(flavor)
        return _page([self.flavor_view(f) for f in _sorted(found, order)], limit, offset, "flavors")

    def switchable_flavors(self, notebook_id, query=None):
        query = query or {}
        limit, offset = _paging(query, None, None)
        order = _sorting(query, FLAVOR_SORT_KEYS, None, "DESC")
        with self.lock:
            nb = self.get(notebook_id)
            found = [f for f in self.flavors if self._switchable(nb, f)]
        return _page([self.flavor_view(f) for f in _sorted(found, order)], limit, offset, "flavors")

    def list_images(self, query):
        image_type = query.get("type") or "BUILD_IN"
        if image_type not in IMAGE_TYPES:
            raise _property_error("The value of type must be one of %s." % ", ".join(IMAGE_TYPES))
        if query.get("service_type") and query["service_type"] not in IMAGE_SERVICE_TYPES:
            raise _property_error("The value of service_type must be one of %s." % ", ".join(IMAGE_SERVICE_TYPES))
        fuzzy = query.get("name_fuzzy_match", "true").lower()
        if fuzzy not in ("true", "false"):
            raise _bad_request("name_fuzzy_match must be true or false")
        limit, offset = _paging(query, MAX_IMAGE_LIMIT, MAX_IMAGE_LIMIT)
        order = _sorting(query, IMAGE_SORT_KEYS, "create_at", "DESC")
        name = query.get("name")
        wanted = {"type": image_type, "workspace_id": query.get("workspace_id") or "0"}
        wanted.update({k: query[k] for k in ("service_type", "namespace", "show_name", "show_tag") if query.get(k)})
        found = []
        for image in self.image_catalog.values():
            if any(image[k] != v for k, v in wanted.items()):
                continue
            if name and (name.lower() not in image["name"].lower() if fuzzy == "true" else name != image["name"]):
                continue
            found.append(image)
        return _page([copy.deepcopy(i) for i in _sorted(found, order)], limit, offset, "data")

    def show_image(self, image_id):
        image = self.image_catalog.get(image_id)
        if image is None:
            raise ServiceError(400, "ModelArts.6797", "The image %s is not found." % image_id)
        return copy.deepcopy(image)

    def update(self, notebook_id, body):
        """PUT: syntax first (6400), then the status (6347), then the values; all-or-nothing."""
        self._check_update_syntax(body)
        with self.lock:
            nb = self.get(notebook_id)
            if nb["status"] == "FROZEN":
                raise ServiceError(400, "ModelArts.6326", "The instance is frozen.")
            if nb["status"] != "STOPPED":
                field = next(iter(body), "instance")
                raise ServiceError(
                    400, "ModelArts.6347", "In status %s the parameter %s cannot be modified." % (nb["status"], field)
                )
            self._check_update_values(nb, body)
            self._apply_update(nb, body)
            return self.view(nb)

    @staticmethod
    def _check_type(where, value, expected):
        if expected is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, expected)
        if not ok:
            raise _bad_request(
                "%s must be of type %s"
                % (where, {str: "string", int: "integer", list: "array", dict: "object"}[expected])
            )

    def _check_update_syntax(self, body):
        if not isinstance(body, dict):
            raise _bad_request("the request body must be a JSON object")
        for field, value in body.items():
            if field not in UPDATE_FIELDS:
                raise _bad_request("unknown field %r" % field)
            self._check_type(field, value, UPDATE_FIELDS[field])
        self._check_endpoints_hooks_syntax(body)

    def _check_endpoints_hooks_syntax(self, body):
        for i, ep in enumerate(body.get("endpoints", ())):
            self._check_type("endpoints[%d]" % i, ep, dict)
            for key, value in ep.items():
                if key not in ENDPOINT_FIELDS:
                    raise _bad_request("unknown field endpoints[%d].%s" % (i, key))
                self._check_type("endpoints[%d].%s" % (i, key), value, ENDPOINT_FIELDS[key])
                if ENDPOINT_FIELDS[key] is list:
                    for item in value:
                        self._check_type("endpoints[%d].%s[]" % (i, key), item, str)
        hooks = body.get("hooks")
        if hooks is not None:
            for key, value in hooks.items():
                if key != "container_hooks":
                    raise _bad_request("unknown field hooks.%s" % key)
                self._check_type("hooks.container_hooks", value, dict)
                for phase, config in value.items():
                    if phase not in ("pre_start", "post_start"):
                        raise _bad_request("unknown field hooks.container_hooks.%s" % phase)
                    self._check_type("hooks.container_hooks.%s" % phase, config, dict)
                    for ckey, cvalue in config.items():
                        if ckey not in HOOK_CONFIG_FIELDS:
                            raise _bad_request("unknown field hooks.container_hooks.%s.%s" % (phase, ckey))
                        self._check_type("hooks.container_hooks.%s.%s" % (phase, ckey), cvalue, str)

    def _check_update_values(self, nb, body):
        if "name" in body and not NAME_RE.match(body["name"]):
            raise ServiceError(
                400, "ModelArts.6334", "The name must be 1 to 128 letters, digits, hyphens (-) or underscores (_)."
            )
        self._check_description(body)
        if "storage_new_size" in body:
            size = body["storage_new_size"]
            if size <= nb["volume"]["capacity"] or size > MAX_CAPACITY:
                raise ServiceError(
                    400,
                    "ModelArts.6331",
                    "The EVS size must be larger than the current %d GB and at most %d GB."
                    % (nb["volume"]["capacity"], MAX_CAPACITY),
                )
        if "flavor" in body:
            flavor = self._flavor(body["flavor"])
            if flavor is None:
                raise ServiceError(400, "ModelArts.6792", "The instance cannot switch to flavor %s." % body["flavor"])
            if flavor["sold_out"]:
                raise ServiceError(400, "ModelArts.6329", "The flavor %s is sold out." % body["flavor"])
            if flavor["id"] != nb["flavor"] and not self._switchable(nb, flavor):
                raise ServiceError(400, "ModelArts.6792", "The instance cannot switch to flavor %s." % body["flavor"])
        if "image_id" in body and body["image_id"] not in self.images:
            raise ServiceError(400, "ModelArts.6797", "The image %s is not found." % body["image_id"])
        self._check_endpoints_hooks_values(body)

    def _check_endpoints_hooks_values(self, body):
        for ep in body.get("endpoints", ()):
            service = ep.get("dev_service") or ep.get("service")
            if not service:
                raise ServiceError(400, "ModelArts.6335", "The property endpoints.dev_service is required.")
            if service not in ("NOTEBOOK", "SSH"):
                raise ServiceError(400, "ModelArts.6336", "The value of endpoints.dev_service must be NOTEBOOK or SSH.")
            ips = ep.get("allowed_access_ips", [])
            if len(ips) > MAX_ALLOWED_IPS:
                raise ServiceError(
                    400, "ModelArts.6336", "At most %d allowed_access_ips are supported." % MAX_ALLOWED_IPS
                )
            for ip in ips:
                try:
                    ipaddress.ip_address(ip)
                except ValueError:
                    raise ServiceError(400, "ModelArts.6336", "The value of allowed_access_ips is incorrect.") from None
        for phase, config in (body.get("hooks") or {}).get("container_hooks", {}).items():
            self._check_hook(phase, config)

    @staticmethod
    def _check_description(body):
        if "description" in body:
            desc = body["description"]
            if len(desc) > 512 or DESCRIPTION_FORBIDDEN & set(desc):
                raise ServiceError(
                    400, "ModelArts.6334", 'The description must be at most 512 characters, without & < > " /.'
                )

    @staticmethod
    def _check_hook(phase, config):
        hook_type = config.get("type", "SCRIPT")
        script = config.get("script", "")
        if hook_type not in ("COMMAND", "SCRIPT"):
            raise ServiceError(
                400, "ModelArts.6336", "The value of hooks.container_hooks.%s.type must be COMMAND or SCRIPT." % phase
            )
        if config.get("mode", "ASYNC") not in ("BLOCK", "ASYNC"):
            raise ServiceError(
                400, "ModelArts.6336", "The value of hooks.container_hooks.%s.mode must be BLOCK or ASYNC." % phase
            )
        if hook_type == "COMMAND":
            try:
                ok = bool(script) and bool(base64.b64decode(script, validate=True))
            except (binascii.Error, ValueError):
                ok = False
            if not ok:
                raise ServiceError(
                    400, "ModelArts.6336", "The COMMAND script of hooks.container_hooks.%s must be base64." % phase
                )
        elif not script.startswith("/"):
            raise ServiceError(
                400, "ModelArts.6336", "The SCRIPT of hooks.container_hooks.%s must be an absolute path." % phase
            )

    def _apply_update(self, nb, body):
        for field in ("name", "description", "flavor"):
            if field in body:
                nb[field] = body[field]
        if "image_id" in body:
            nb["image"] = copy.deepcopy(self.images[body["image_id"]])
        if "storage_new_size" in body:
            nb["volume"]["capacity"] = body["storage_new_size"]
        self._merge_endpoints(nb, body.get("endpoints", ()))
        if "hooks" in body:
            nb["_hooks"] = copy.deepcopy(body["hooks"])
        for field in ("custom_spec", "affinity", "dew_secret_name", "data_volumes", "public_network_config"):
            if field in body:
                nb["_extra"][field] = copy.deepcopy(body[field])
        nb["lease"]["update_at"] = _now_ms()

    def _merge_endpoints(self, nb, endpoints):
        """Endpoints merged by service: only the keys given change; a new service is added."""
        for ep in endpoints:
            service = ep.get("dev_service") or ep.get("service")
            current = next((e for e in nb["endpoints"] if e["dev_service"] == service), None)
            if current is None:
                current = _endpoint(service, self._endpoint_uri(nb["id"], service))
                nb["endpoints"].append(current)
            if "allowed_access_ips" in ep:
                current["allowed_access_ips"] = list(ep["allowed_access_ips"])
            keys = ep.get("ssh_keys", ep.get("key_pair_names"))
            if keys is not None:
                current["ssh_keys"] = list(keys)
                current["key_pair_names"] = list(keys)

    # ---- create and delete ----------------------------------------------------------------------------
    def create(self, body):
        """POST: syntax (6400), required fields (6335), then the values; the new instance is CREATING."""
        self._check_create_syntax(body)
        missing = [field for field in CREATE_REQUIRED if field not in body] or (
            [] if "category" in body["volume"] else ["volume.category"]
        )
        if missing:
            raise ServiceError(400, "ModelArts.6335", "The property %s is required." % missing[0])
        with self.lock:
            lease = self._check_create_values(body)
            volume = body["volume"]
            nb = self.get(
                self.add(
                    name=body["name"],
                    status="STOPPED",
                    flavor=body["flavor"],
                    image_id=body["image_id"],
                    capacity=volume.get("capacity", DEFAULT_CAPACITY),
                    description=body.get("description", ""),
                    endpoints=[{"dev_service": "NOTEBOOK"}],
                    hooks=body.get("hooks"),
                    feature=body.get("feature", "NOTEBOOK"),
                )["id"]
            )
            self._merge_endpoints(nb, body.get("endpoints", ()))
            nb["volume"].update(category=volume["category"], ownership=volume.get("ownership", "MANAGED"))
            if volume["category"] != "EVS":
                nb["volume"]["capacity"] = volume.get("capacity")
            nb["workspace_id"] = body.get("workspace_id", "0")
            if body.get("pool_id"):
                nb["pool"] = {"id": body["pool_id"], "name": body["pool_id"]}
            now = _now_ms()
            nb["lease"].update(lease, create_at=now, update_at=now)
            kept = ("affinity", "data_volumes", "custom_spec", "public_network_config", "run_user", "user_vpc")
            nb["_extra"].update({k: copy.deepcopy(v) for k, v in body.items() if k in kept})
            if volume.get("id") or volume.get("uri"):
                nb["_extra"]["volume"] = {k: volume[k] for k in ("id", "uri") if k in volume}
            if self._next_create:
                nb["_next_result"], self._next_create = self._next_create, None
            return self.view(self._begin(nb, "CREATING", "RUNNING"))

    def _check_create_syntax(self, body):
        if not isinstance(body, dict):
            raise _bad_request("the request body must be a JSON object")
        for field, value in body.items():
            if field not in CREATE_FIELDS:
                raise _bad_request("unknown field %r" % field)
            self._check_type(field, value, CREATE_FIELDS[field])
        for where, fields, value in (
            ("volume", VOLUME_FIELDS, body.get("volume")),
            ("lease", LEASE_FIELDS, body.get("lease")),
        ):
            for key, item in (value or {}).items():
                if key not in fields:
                    raise _bad_request("unknown field %s.%s" % (where, key))
                self._check_type("%s.%s" % (where, key), item, fields[key])
        self._check_endpoints_hooks_syntax(body)

    def _check_create_values(self, body):
        """The values of a create body, in the service's order; returns the lease to set."""
        # pylint: disable=too-many-branches
        if not NAME_RE.match(body["name"]):
            raise ServiceError(
                400,
                "ModelArts.6334",
                "The name must be 1 to 128 letters, digits, hyphens (-), underscores (_) or Chinese characters.",
            )
        self._check_description(body)
        feature = body.get("feature", "NOTEBOOK")
        if feature not in NOTEBOOK_FEATURES:
            raise _property_error("The value of feature must be NOTEBOOK or DEFAULT.")
        if not WORKSPACE_ID_RE.match(body.get("workspace_id", "0")):
            raise _property_error("The value of workspace_id must be 0 or 32 lowercase letters and digits.")
        flavor = self._flavor(body["flavor"])
        if flavor is None:
            raise _property_error("The flavor %s does not exist." % body["flavor"])
        if flavor["sold_out"]:
            raise ServiceError(400, "ModelArts.6329", "The flavor %s is sold out." % body["flavor"])
        if flavor["feature"] != feature:
            raise _property_error("The flavor %s is not a %s flavor." % (body["flavor"], feature))
        if flavor["_type"] == "DEDICATED" and not body.get("pool_id"):
            raise ServiceError(
                400, "ModelArts.6335", "The property pool_id is required with the dedicated flavor %s." % body["flavor"]
            )
        if body["image_id"] not in self.images:
            raise ServiceError(400, "ModelArts.6797", "The image %s is not found." % body["image_id"])
        volume = body["volume"]
        if volume["category"] not in VOLUME_CATEGORIES:
            raise _property_error("The value of volume.category must be one of %s." % ", ".join(VOLUME_CATEGORIES))
        ownership = volume.get("ownership", "MANAGED")
        if ownership not in VOLUME_OWNERSHIPS:
            raise _property_error("The value of volume.ownership must be MANAGED or DEDICATED.")
        if ownership == "DEDICATED" and volume["category"] != "EFS":
            raise _property_error("A DEDICATED volume must be EFS.")
        if ownership == "DEDICATED" and not (volume.get("id") or volume.get("uri")):
            raise ServiceError(
                400, "ModelArts.6335", "The property volume.id or volume.uri of the dedicated EFS is required."
            )
        if volume["category"] == "EVS" and not 1 <= volume.get("capacity", DEFAULT_CAPACITY) <= MAX_CAPACITY:
            raise ServiceError(400, "ModelArts.6331", "The EVS size must be 1 to %d GB." % MAX_CAPACITY)
        self._check_endpoints_hooks_values(body)
        lease = body.get("lease") or {}
        duration = body["duration"] if "duration" in body else lease.get("duration")
        return lease_settings(duration, lease.get("type"), "duration" if "duration" in body else "lease.duration")

    def delete(self, notebook_id):
        with self.lock:
            nb = self.get(notebook_id)
            if nb["status"] not in STABLE | FAILED:
                raise ServiceError(
                    400,
                    "ModelArts.6357",
                    "Cannot delete the instance in status %s: another operation is running." % nb["status"],
                )
            self._begin(nb, "DELETING", "DELETED")
            nb["_pending"]["remove"] = True  # a deletion that ends well takes the instance away: GET answers 6309
            return self.view(nb)

    # ---- lease and tags -------------------------------------------------------------------------------
    def show_lease(self, notebook_id):
        with self.lock:
            return copy.deepcopy(self.get(notebook_id)["lease"])

    def renew_lease(self, notebook_id, body, query):
        """PATCH lease: a query duration overrides the body and forces TIMING; the countdown restarts."""
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise _bad_request("the request body must be a JSON object")
        for key, value in body.items():
            if key not in LEASE_FIELDS:
                raise _bad_request("unknown field %r" % key)
            self._check_type(key, value, LEASE_FIELDS[key])
        if query.get("duration") is not None:
            lease = lease_settings(query["duration"], "TIMING")
        elif "duration" in body:
            lease = lease_settings(body["duration"], body.get("type"))
        else:
            raise ServiceError(400, "ModelArts.6335", "The property duration is required.")
        with self.lock:
            nb = self.get(notebook_id)
            if nb["status"] == "FROZEN":
                raise ServiceError(400, "ModelArts.6326", "The instance is frozen.")
            if nb["status"] != "RUNNING":
                raise ServiceError(
                    400,
                    "ModelArts.6357",
                    "Cannot renew the lease of the instance in status %s: it is not running." % nb["status"],
                )
            now = _now_ms()
            nb["lease"].update(lease, create_at=now, update_at=now)
            return copy.deepcopy(nb["lease"])

    def _tags_of(self, notebook_id, body, query):
        if not isinstance(body, dict) or "tags" not in body:
            raise ServiceError(400, "ModelArts.6335", "The property tags is required.")
        self._check_type("tags", body["tags"], list)
        for i, tag in enumerate(body["tags"]):
            self._check_type("tags[%d]" % i, tag, dict)
            for key, value in tag.items():
                if key not in ("key", "value"):
                    raise _bad_request("unknown field tags[%d].%s" % (i, key))
                self._check_type("tags[%d].%s" % (i, key), value, str)
            key, value = tag.get("key"), tag.get("value", "")
            if key is None:
                raise ServiceError(400, "ModelArts.6335", "The property tags[%d].key is required." % i)
            if not 1 <= len(key) <= TAG_KEY_MAX or key != key.strip() or key.startswith("_sys_"):
                raise _property_error(
                    "The tag key %r must be 1 to %d characters, without leading or trailing spaces, and not "
                    "start with _sys_." % (key, TAG_KEY_MAX)
                )
            if len(value) > TAG_VALUE_MAX:
                raise _property_error("The value of tag %r must be at most %d characters." % (key, TAG_VALUE_MAX))
        nb = self.get(notebook_id)
        if query.get("workspace_id", "0") != nb["workspace_id"]:
            raise ServiceError(
                400, "ModelArts.6309", "The instance does not exist in workspace %s." % query.get("workspace_id", "0")
            )
        return nb, [(tag["key"], tag.get("value", "")) for tag in body["tags"]]

    def add_tags(self, notebook_id, body, query):
        """Adds or overwrites the tags, by key."""
        with self.lock:
            nb, tags = self._tags_of(notebook_id, body, query)
            merged = {t["key"]: t["value"] for t in nb["tags"]}
            merged.update(tags)
            if len(merged) > MAX_TAGS:
                raise _property_error("An instance has at most %d tags." % MAX_TAGS)
            nb["tags"] = [{"key": k, "value": v} for k, v in merged.items()]

    def remove_tags(self, notebook_id, body, query):
        """Removes the tags named by key (their values are not compared); unknown keys are ignored."""
        with self.lock:
            nb, tags = self._tags_of(notebook_id, body, query)
            keys = {key for key, dummy in tags}
            nb["tags"] = [t for t in nb["tags"] if t["key"] not in keys]


_ROUTES = (
    # (method, regex, action), first match wins; project and id groups are checked by the dispatcher.
    ("GET", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/?$"), "list"),
    ("GET", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/flavors$"), "catalog_flavors"),  # before show: not an id
    ("GET", re.compile(r"^/v1/(?P<project>[^/]+)/images/?$"), "images"),
    ("GET", re.compile(r"^/v1/(?P<project>[^/]+)/images/(?P<id>[^/]+)$"), "image"),
    ("GET", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)$"), "show"),
    ("PUT", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)$"), "update"),
    ("POST", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)/start$"), "start"),
    ("POST", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)/stop$"), "stop"),
    ("GET", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)/flavors$"), "flavors"),
    ("POST", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/?$"), "create"),
    ("DELETE", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)$"), "delete"),
    ("GET", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)/lease$"), "lease"),
    ("PATCH", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)/lease$"), "renew_lease"),
    ("POST", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)/tags/create$"), "add_tags"),
    ("DELETE", re.compile(r"^/v1/(?P<project>[^/]+)/notebooks/(?P<id>[^/]+)/tags/delete$"), "remove_tags"),
)
_WRITE_ACTIONS = ("update", "start", "stop", "create", "delete", "renew_lease", "add_tags", "remove_tags")
_NO_CONTENT_ACTIONS = ("add_tags", "remove_tags")  # answered 204 without a body
_CREATE_RE = re.compile(r"^/v1/[^/]+/notebooks/?$")
_NOTEBOOK_ID_RE = re.compile(r"^/v1/[^/]+/notebooks/(?!flavors$)([^/]+)")


class _Server(ThreadingHTTPServer):
    """Threaded server; TLS handshakes happen in the worker thread so a silent client cannot block accept()."""

    daemon_threads = True
    # socketserver's default listen backlog (5) resets connections when tens of clients connect at once.
    request_queue_size = 128

    def __init__(self, address, simulator, ssl_context=None):
        self.simulator = simulator
        self.ssl_context = ssl_context
        self.connections = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def finish_request(self, request, client_address):
        conn = request
        try:
            if self.ssl_context is not None:
                conn = self.ssl_context.wrap_socket(request, server_side=True)
            with self.connections_lock:
                self.connections.add(conn)
            super().finish_request(conn, client_address)
        except (OSError, ssl.SSLError):
            pass  # the client went away or refused our certificate
        finally:
            with self.connections_lock:
                self.connections.discard(conn)
            if conn is not request:
                conn.close()

    def close_connections(self):
        with self.connections_lock:
            conns = list(self.connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if self.simulator.verbose:
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Reads the request, hands it to the simulator, writes what it answers."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections end by themselves
    server_version = "ModelArtsSimulator/1.0"

    def _serve(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw_body = self._read_chunked()
        else:
            length = int(self.headers.get("Content-Length") or 0)
            raw_body = self.rfile.read(length) if length else b""
        if self.server.simulator.stopped:
            self.close_connection = True
            return
        self.server.simulator.handle(self, raw_body)

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def respond(self, status, payload, headers=None, raw=None):
        if raw is None:
            raw = b"" if status == 204 else json.dumps(payload).encode("utf-8")
        body = raw
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def drop(self):
        """Close the connection without any answer: the client sees a connection error."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.simulator.verbose:
            super().log_message(format, *args)


class Simulator:
    """The ModelArts notebook service on loopback. Start it, point a client at ``url``, assert on what it saw."""

    # pylint: disable=too-many-instance-attributes,too-many-public-methods

    def __init__(
        self,
        project_id=DEFAULT_PROJECT_ID,
        access_key=DEFAULT_ACCESS_KEY,
        secret_key=DEFAULT_SECRET_KEY,
        security_token=None,
        auth_tokens=(DEFAULT_AUTH_TOKEN,),
        transition_seconds=0.0,
        host="127.0.0.1",
        port=0,
        tls_cert=None,
        tls_key=None,
        flavors=None,
        images=None,
        verbose=False,
        endpoint_spelling="both",
    ):
        # pylint: disable=too-many-arguments
        self.project_id = project_id
        self.host = host
        self.port = port
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.verbose = verbose
        self.store = NotebookStore(project_id, flavors, images, transition_seconds, endpoint_spelling=endpoint_spelling)
        self.auth = SignatureVerifier(access_key, secret_key, security_token, auth_tokens)
        self._lock = threading.Lock()
        self._requests = []
        self._faults = []
        self._server = None
        self._thread = None
        self._stop_event = threading.Event()
        self.stopped = True

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self):
        context = None
        if self.tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls_cert, self.tls_key)
        self._server = _Server((self.host, self.port), self, context)
        self.port = self._server.server_address[1]
        self._stop_event.clear()
        self.stopped = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="modelarts-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self.stopped = True
        self._stop_event.set()  # wakes delayed answers
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join(5)
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        scheme = "https" if self.tls_cert else "http"
        return "%s://%s:%d" % (scheme, self.host, self.port)

    @property
    def transition_seconds(self):
        return self.store.transition_seconds

    @transition_seconds.setter
    def transition_seconds(self, value):
        self.store.transition_seconds = float(value)

    @property
    def endpoint_spelling(self):
        """How answers spell an endpoint: "seed" (dev_service, ssh_keys), "sdk" (service, key_pair_names) or "both"."""
        return self.store.endpoint_spelling

    @endpoint_spelling.setter
    def endpoint_spelling(self, value):
        self.store.endpoint_spelling = value

    # ---- state -------------------------------------------------------------------------------------
    def add_notebook(self, **kwargs):
        """Create an instance directly (see NotebookStore.add for the arguments); returns it as GET would."""
        return self.store.add(**kwargs)

    def bulk_add(self, count, prefix="bulk-", **kwargs):
        width = max(4, len(str(count - 1)))
        return [self.store.add(name="%s%0*d" % (prefix, width, i), **kwargs)["id"] for i in range(count)]

    def notebook(self, notebook_id):
        """The live internal dict (write-only ``_hooks``, ``_pending`` transition...); raises KeyError when unknown."""
        try:
            return self.store.get(notebook_id)
        except ServiceError:
            raise KeyError(notebook_id) from None

    def hooks(self, notebook_id):
        return copy.deepcopy(self.notebook(notebook_id)["_hooks"])

    def notebooks(self):
        """Every instance as the API returns it."""
        return [self.store.view(nb) for nb in self.store.all()]

    def remove_notebook(self, notebook_id):
        self.notebook(notebook_id)
        self.store.remove(notebook_id)

    def set_status(self, notebook_id, status, fail_reason=None, then=None, after=None):
        self.notebook(notebook_id)
        return self.store.set_status(notebook_id, status, fail_reason, then, after)

    def modify(self, notebook_id, **fields):
        self.notebook(notebook_id)
        return self.store.modify(notebook_id, **fields)

    def fail_next_transition(self, notebook_id, status="ERROR", fail_reason="injected failure"):
        self.notebook(notebook_id)
        self.store.fail_next_transition(notebook_id, status, fail_reason)

    def fail_next_create(self, status="CREATE_FAILED", fail_reason="injected failure"):
        """The next instance created through the API ends its CREATING in ``status`` with ``fail_reason``."""
        self.store.fail_next_create(status, fail_reason)

    def reset(self):
        """Forget every instance, recorded request and fault."""
        self.store.reset()
        with self._lock:
            self._requests.clear()
            self._faults.clear()

    # ---- recording and faults ----------------------------------------------------------------------
    @property
    def requests(self):
        with self._lock:
            return list(self._requests)

    def clear_requests(self):
        with self._lock:
            self._requests.clear()

    @property
    def writes(self):
        """Applied writes (PUT, start, stop, create, delete, lease renewal, tags) in arrival order, including those whose
        answer was a fault."""
        return [r for r in self.requests if r.applied]

    def inject_fault(
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
    ):
        # pylint: disable=too-many-arguments
        fault = Fault(
            method,
            path,
            count,
            status,
            body,
            headers,
            delay,
            drop,
            apply,
            transition_result,
            fail_reason,
            modify,
            echo,
            skip,
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    @property
    def faults(self):
        with self._lock:
            return [f for f in self._faults if f.remaining > 0]

    def clear_faults(self):
        with self._lock:
            self._faults.clear()

    def _take_fault(self, method, path):
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

    # ---- request handling ----------------------------------------------------------------------------
    def handle(self, handler, raw_body):
        split = urlsplit(handler.path)
        if split.path == "/_sim" or split.path.startswith("/_sim/"):
            status, payload = self._control(handler.command, split.path, dict(parse_qsl(split.query)), raw_body)
            handler.respond(status, payload, {"X-Request-Id": str(uuid.uuid4())})
            return
        self._serve_api(handler, split, raw_body)

    def _serve_api(self, handler, split, raw_body):
        method = handler.command
        record = RecordedRequest(
            method,
            split.path,
            dict(parse_qsl(split.query, keep_blank_values=True)),
            Headers(handler.headers.items()),
            raw_body,
        )
        record.request_id = str(uuid.uuid4())
        match = _NOTEBOOK_ID_RE.match(split.path)
        record.notebook_id = match.group(1) if match else None
        with self._lock:
            self._requests.append(record)
        fault = self._take_fault(method, split.path)
        if fault is not None:
            record.fault = fault.id
            if fault.transition_result and record.notebook_id:
                self.store.arm_next_result(record.notebook_id, fault.transition_result, fault.fail_reason)
            elif fault.transition_result and method == "POST" and _CREATE_RE.match(split.path):
                self.store.fail_next_create(fault.transition_result, fault.fail_reason)
            if fault.modify and record.notebook_id:
                try:
                    self.store.modify(record.notebook_id, **copy.deepcopy(fault.modify))
                except ServiceError:
                    pass  # a fault may match a request for an unknown id
        if fault is not None and fault.delay and not fault.apply:
            self._stop_event.wait(fault.delay)
        answer = None
        if fault is None or fault.apply or (fault.status is None and not fault.drop):
            answer = self._process(method, split, record)
        if fault is not None and fault.delay and fault.apply:
            self._stop_event.wait(fault.delay)
        if fault is not None and fault.drop:
            record.status = 0
            handler.drop()
            return
        if fault is not None and fault.status is not None:
            status, raw, headers = fault.answer(record)
            try:
                record.response = json.loads(raw)
            except ValueError:
                record.response = None
            record.status = status
            handler.respond(status, None, dict(headers, **{"X-Request-Id": record.request_id}), raw=raw)
            return
        status, payload = answer
        record.status, record.response = status, payload
        handler.respond(status, payload, {"X-Request-Id": record.request_id})

    def _process(self, method, split, record):
        """(status, payload) of the API request; marks the record applied when a write succeeded."""
        for route_method, regex, action in _ROUTES:
            match = regex.match(split.path)
            if match and route_method == method:
                break
        else:
            return 404, {
                "error_code": "APIGW.0101",
                "error_msg": "The API does not exist or has not been published in the environment",
            }
        try:
            self.auth.check(method, split.path, split.query, record.headers, record.raw_body)
            if match.group("project") != self.project_id:
                raise ServiceError(
                    403, "ModelArts.0103", "The project id in the path does not match the credentials' project."
                )
            payload = self._act(action, match, record)
        except ServiceError as err:
            return err.status, err.body
        if action in _WRITE_ACTIONS:
            record.applied = True
        if action in _NO_CONTENT_ACTIONS:
            return 204, None
        return 200, payload

    def _act(self, action, match, record):
        # pylint: disable=too-many-return-statements
        if action == "list":
            return self.store.list(record.query)
        if action == "catalog_flavors":
            return self.store.list_flavors(record.query)
        if action == "images":
            return self.store.list_images(record.query)
        if action == "image":
            return self.store.show_image(match.group("id"))
        if action == "create":
            return self.store.create(_json_body(record))
        notebook_id = match.group("id")
        if action == "show":
            return self.store.view(self.store.get(notebook_id))
        if action == "start":
            return self.store.start(notebook_id, record.query)
        if action == "stop":
            return self.store.stop(notebook_id)
        if action == "flavors":
            return self.store.switchable_flavors(notebook_id, record.query)
        if action == "delete":
            return self.store.delete(notebook_id)
        if action == "lease":
            return self.store.show_lease(notebook_id)
        if action == "renew_lease":
            return self.store.renew_lease(notebook_id, _json_body(record, required=False), record.query)
        if action == "add_tags":
            return self.store.add_tags(notebook_id, _json_body(record), record.query)
        if action == "remove_tags":
            return self.store.remove_tags(notebook_id, _json_body(record), record.query)
        return self.store.update(notebook_id, _json_body(record))

    # ---- the control API (/_sim/, unsigned) -----------------------------------------------------------
    def _control(self, method, path, query, raw_body):
        try:
            body = json.loads(raw_body) if raw_body else {}
            return self._control_route(method, path.rstrip("/"), query, body)
        except (ValueError, TypeError, KeyError, re.error) as err:
            return 400, {"error": "%s: %s" % (type(err).__name__, err)}

    def _control_route(self, method, path, query, body):
        # pylint: disable=too-many-return-statements,too-many-branches
        parts = path.split("/")[2:]  # "", "_sim", ...
        route = (method, parts[0] if parts else "", len(parts))
        if route == ("GET", "health", 1):
            return 200, {
                "status": "ok",
                "url": self.url,
                "pid": os.getpid(),
                "project_id": self.project_id,
                "notebooks": len(self.store.all()),
                "requests": len(self.requests),
            }
        if route == ("GET", "notebooks", 1):
            return 200, {"notebooks": [_jsonable(nb) for nb in self.store.all()]}
        if route == ("POST", "notebooks", 1):
            return 201, self.add_notebook(**body)
        if route[1] == "notebooks" and route[2] == 2:
            notebook_id = parts[1]
            if notebook_id not in {nb["id"] for nb in self.store.all()}:
                return 404, {"error": "no notebook %s" % notebook_id}
            if method == "GET":
                return 200, _jsonable(self.notebook(notebook_id))
            if method == "PATCH":
                if "status" in body:
                    self.set_status(
                        notebook_id,
                        body.pop("status"),
                        body.pop("fail_reason", None),
                        body.pop("then", None),
                        body.pop("after", None),
                    )
                if body:
                    self.modify(notebook_id, **body)
                return 200, _jsonable(self.notebook(notebook_id))
            if method == "DELETE":
                self.remove_notebook(notebook_id)
                return 200, {"deleted": notebook_id}
        if route == ("POST", "bulk", 1):
            count = int(body.pop("count"))
            return 201, {"created": count, "ids": self.bulk_add(count, body.pop("prefix", "bulk-"), **body)}
        if route == ("GET", "requests", 1):
            return 200, {"requests": [r.to_dict() for r in (self.writes if query.get("writes") else self.requests)]}
        if route == ("DELETE", "requests", 1):
            self.clear_requests()
            return 200, {"cleared": True}
        if route == ("GET", "faults", 1):
            return 200, {"faults": [f.to_dict() for f in self.faults]}
        if route == ("POST", "faults", 1):
            return 201, self.inject_fault(**body).to_dict()
        if route == ("DELETE", "faults", 1):
            self.clear_faults()
            return 200, {"cleared": True}
        if route == ("POST", "fail_next_create", 1):
            self.fail_next_create(**body)
            return 200, {"armed": True}
        if route == ("POST", "reset", 1):
            self.reset()
            return 200, {"reset": True}
        if route == ("PATCH", "config", 1):
            unknown = set(body) - {"transition_seconds", "endpoint_spelling"}
            if unknown:
                raise ValueError("unknown settings %s" % ", ".join(sorted(unknown)))
            if "endpoint_spelling" in body:
                self.endpoint_spelling = body["endpoint_spelling"]
            if "transition_seconds" in body:
                self.transition_seconds = body["transition_seconds"]
            return 200, {"transition_seconds": self.transition_seconds, "endpoint_spelling": self.endpoint_spelling}
        return 404, {"error": "no control route %s %s" % (method, path)}


def _json_body(record, required=True):
    """The request's JSON body; ModelArts.6400 when empty (unless optional) or not JSON."""
    if not record.raw_body:
        if required:
            raise _bad_request("the request body is empty")
        return None
    try:
        return json.loads(record.raw_body)
    except ValueError:
        raise _bad_request("the request body is not valid JSON") from None


def _jsonable(nb):
    """An internal instance for the control API: everything, the internal keys included."""
    return json.loads(json.dumps(nb, default=list))


def load_seed(path):
    """Notebooks to create at start: a JSON list of add_notebook arguments, or {"notebooks": [...]}."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return data["notebooks"] if isinstance(data, dict) else data


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the ModelArts notebook simulator until SIGTERM or SIGINT.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed-file", help="JSON list of notebooks to create at start")
    parser.add_argument("--transition-seconds", type=float, default=0.0, help="duration of STARTING and STOPPING")
    parser.add_argument(
        "--endpoint-spelling",
        choices=ENDPOINT_SPELLINGS,
        default="both",
        help="how answers name an endpoint's fields: seed (dev_service, ssh_keys), sdk (service, key_pair_names) or both",
    )
    parser.add_argument("--project-id", default=DEFAULT_PROJECT_ID)
    parser.add_argument("--access-key", default=DEFAULT_ACCESS_KEY)
    parser.add_argument("--secret-key", default=DEFAULT_SECRET_KEY)
    parser.add_argument("--security-token", help="makes the access key temporary: X-Security-Token is required")
    parser.add_argument(
        "--auth-token", action="append", help="an accepted IAM token (repeatable; default %s)" % DEFAULT_AUTH_TOKEN
    )
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument(
        "--state-file", help="write {url, pid, project_id, access_key, exit_with_pid} as JSON here while running"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument(
        "--exit-with-pid",
        type=int,
        metavar="PID",
        help="exit once process PID has ended (the test runner that started it), so that it never outlives the run",
    )
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    sim = Simulator(
        project_id=args.project_id,
        access_key=args.access_key,
        secret_key=args.secret_key,
        security_token=args.security_token,
        auth_tokens=tuple(args.auth_token or (DEFAULT_AUTH_TOKEN,)),
        transition_seconds=args.transition_seconds,
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        verbose=args.verbose,
        endpoint_spelling=args.endpoint_spelling,
    )
    if args.seed_file:
        for notebook in load_seed(args.seed_file):
            sim.add_notebook(**notebook)

    def process_exists(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # alive, owned by someone else
            return True
        return True

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    sim.start()
    try:
        if args.state_file:
            with open(args.state_file, "w", encoding="utf-8") as handle:
                json.dump(
                    {
                        "url": sim.url,
                        "pid": os.getpid(),
                        "project_id": sim.project_id,
                        "access_key": args.access_key,
                        "exit_with_pid": args.exit_with_pid,
                    },
                    handle,
                )
        print("MODELARTS_SIMULATOR_URL=%s" % sim.url, flush=True)
        while not done.wait(0.5):
            if args.exit_with_pid and not process_exists(args.exit_with_pid):
                break
    finally:
        sim.stop()
        if args.state_file and os.path.exists(args.state_file):
            os.remove(args.state_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
