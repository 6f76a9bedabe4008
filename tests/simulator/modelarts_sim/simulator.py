"""The Simulator: builds the resources, serves them, records every API request and injects faults."""

import copy
import json
import ssl
import threading
import uuid
from urllib.parse import parse_qsl, urlsplit

from .control import ControlAPI
from .errors import ServiceError, unknown_api
from .faults import Fault, Faults
from .records import Headers, RecordedRequest
from .resources import RESOURCES
from .routing import NO_CONTENT, Call, Router
from .server import Server
from .signature import SignatureVerifier

DEFAULT_PROJECT_ID = "0123456789abcdef0123456789abcdef"
DEFAULT_ACCESS_KEY = "AKSIMULATOR0000000001"
DEFAULT_SECRET_KEY = "sim-secret-key"
DEFAULT_AUTH_TOKEN = "sim-iam-token"


class Simulator:
    """The ModelArts API on loopback. Start it, point a client at ``url``, assert on what it saw."""

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
        # What the resources read as they are built.
        self.options = {
            "flavors": flavors,
            "images": images,
            "transition_seconds": transition_seconds,
            "endpoint_spelling": endpoint_spelling,
        }
        self.auth = SignatureVerifier(access_key, secret_key, security_token, auth_tokens)
        self.router = Router()
        self.control = ControlAPI(self)
        self.resources = {}
        for resource_class in RESOURCES:
            self.add_resource(resource_class)
        self.store = self.resources["notebooks"]
        self._lock = threading.Lock()
        self._requests = []
        # Callables given each RecordedRequest as it is recorded, before it is answered; clear_requests and
        # reset do not hide a request from them.
        self.observers = []
        self._faults = Faults()
        self._server = None
        self._thread = None
        self._stop_event = threading.Event()
        self.stopped = True

    def add_resource(self, resource_class):
        """Build a resource (``resource_class(self)``) and register its routes and control routes."""
        resource = resource_class(self)
        if resource.name in self.resources:
            raise ValueError("a resource %r is already registered" % resource.name)
        self.resources[resource.name] = resource
        for route in resource.routes():
            self.router.add(route)
        for route in resource.control_routes():
            self.control.router.add(route)
        return resource

    def settings(self):
        """{name: the resource that owns it} of every setting ``PATCH /_sim/config`` reads and sets."""
        return {name: resource for resource in self.resources.values() for name in resource.settings}

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self):
        context = None
        if self.tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls_cert, self.tls_key)
        self._server = Server((self.host, self.port), self, context)
        self.port = self._server.server_address[1]
        self._stop_event.clear()
        self.stopped = False
        self._thread = threading.Thread(target=self._server.serve, name="modelarts-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self.stopped = True
        self._stop_event.set()  # wakes delayed answers
        self._server.stop_serving()
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
        self.store.transition_seconds = value

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
        """Forget every instance (and what every resource keeps), recorded request and fault."""
        for resource in self.resources.values():
            resource.reset()
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
        """Applied writes (the calls of the routes declared ``write``) in arrival order, including those whose
        answer was a fault."""
        return [r for r in self.requests if r.applied]

    def inject_fault(self, method=None, path=None, **options):
        """Fail the next matching requests: ``options`` are those of ``Fault`` (README.md, "Faults")."""
        return self._faults.add(Fault(method, path, **options))

    @property
    def faults(self):
        return self._faults.active()

    def clear_faults(self):
        self._faults.clear()

    # ---- request handling ----------------------------------------------------------------------------
    def handle(self, handler, raw_body):
        split = urlsplit(handler.path)
        if split.path == "/_sim" or split.path.startswith("/_sim/"):
            status, payload = self.control.handle(handler.command, split.path, dict(parse_qsl(split.query)), raw_body)
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
            split.query,
        )
        record.request_id = str(uuid.uuid4())
        record.route, record.params = self.router.resolve(method, split.path)
        record.notebook_id = self.store.notebook_id_of(split.path)
        with self._lock:
            self._requests.append(record)
        for observe in list(self.observers):
            observe(record)
        fault = self._faults.take(method, split.path)
        if fault is not None:
            record.fault = fault.id
            if fault.transition_result and record.notebook_id:
                self.store.arm_next_result(record.notebook_id, fault.transition_result, fault.fail_reason)
            elif fault.transition_result and record.route is not None and record.route.handler == self.store.create:
                # A create names no notebook yet: the one it makes fails instead.
                self.store.fail_next_create(fault.transition_result, fault.fail_reason)
            if fault.modify and record.notebook_id:
                try:
                    self.store.modify(record.notebook_id, **copy.deepcopy(fault.modify))
                except ServiceError:
                    pass  # a fault may match a request for an unknown id
            if fault.meanwhile is not None:
                fault.meanwhile(self, record)
        if fault is not None and fault.delay and not fault.apply:
            self._stop_event.wait(fault.delay)
        answer = None
        if fault is None or fault.apply or (fault.status is None and not fault.drop):
            answer = self._process(record)
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

    def _process(self, record):
        """(status, payload) of the API request; marks the record applied when a write succeeded."""
        route = record.route
        if route is None:
            # The gateway answers before authentication: no API is published for this method and path.
            error = unknown_api()
            return error.status, error.body
        try:
            self.auth.check(record.method, record.path, record.raw_query, record.headers, record.raw_body)
            if record.params.get("project_id", self.project_id) != self.project_id:
                raise ServiceError(
                    403, "ModelArts.0103", "The project id in the path does not match the credentials' project."
                )
            payload = route.handler(Call(self, record))
        except ServiceError as err:
            return err.status, err.body
        if route.write:
            record.applied = True
        if route.no_content or payload is NO_CONTENT:
            return 204, None
        return 200, payload
