"""Requests as the official SDK models them (``huaweicloudsdkmodelarts``): each request checked against the SDK's
request class of its call.

Every simulator route names the SDK request class of its call (``Route.sdk``, e.g. ``UpdateNotebookRequest``).
From that class, and from the SDK client's own ``_<operation>_http_info`` method, ``sdk_call()`` learns the call's
method, path, query parameters and body model. ``request_problems(record)`` lists what a recorded request sends
that the model does not have: a query parameter or body field it does not declare (recursively, through nested
objects and lists), or a value of another type than it declares. The real service ignores an unknown field, so
a misspelled one would otherwise go unnoticed. ``route_problems(route)`` says whether a route matches the SDK's
method and path of the call it names.
"""

import functools
import json
import re
from urllib.parse import parse_qsl

import huaweicloudsdkmodelarts.v1 as sdk
from huaweicloudsdkmodelarts.v1.modelarts_client import ModelArtsClient

# Fields the SDK's model of an object lacks that the collection sends as the seed (the update API's page,
# Table 3 EndpointsReq) documents them, with their types. The seed spells an endpoint's service dev_service and its
# key pairs ssh_keys, where the SDK's EndpointsReq has service and key_pair_names, and the SDK has no
# allowed_access_ips at all. Nothing else is allowed beyond the SDK's models.
SEED_FIELDS = {
    "EndpointsReq": {"dev_service": "str", "ssh_keys": "list[str]", "allowed_access_ips": "list[str]"},
}

_LIST_RE = re.compile(r"^list\[(.+)\]$")
_DICT_RE = re.compile(r"^dict\(str, (.+)\)$")
_INT_RE = re.compile(r"^-?[0-9]+$")
_JSON_TYPES = {"str": str, "bool": bool, "object": object, "datetime": str, "date": str}


class SdkCall:
    """What the SDK knows of one call: ``method``, ``resource_path``, ``path_params``, ``query`` ({wire name:
    declared type}) and ``body`` (the declared type of the body, None when the call takes none)."""

    def __init__(self, request_name):
        self.request_name = request_name
        request_class = getattr(sdk, request_name, None)
        if request_class is None or not request_name.endswith("Request"):
            raise LookupError("the SDK has no request class %s" % request_name)
        operation = re.sub(r"(?<!^)(?=[A-Z])", "_", request_name[: -len("Request")]).lower()
        http_info = getattr(ModelArtsClient, "_%s_http_info" % operation, None)
        if http_info is None:
            raise LookupError("the SDK's client has no call for %s (no _%s_http_info)" % (request_name, operation))
        # Each attribute set: where the client puts it (path, query or body) says what kind of parameter it is.
        probe = request_class()
        for attr in request_class.attribute_map:
            setattr(probe, attr, "<%s>" % attr)
        info = http_info(probe)
        types, wire_names = request_class.openapi_types, request_class.attribute_map
        attr_of = {wire: attr for attr, wire in wire_names.items()}
        self.method = info["method"]
        self.resource_path = info["resource_path"]
        self.path_params = set(info["path_params"])
        self.query = {wire: types[attr_of[wire]] for wire, dummy in info["query_params"]}
        self.body = types["body"] if info["body"] is not None else None

    def __repr__(self):
        return "%s (%s %s)" % (self.request_name, self.method, self.resource_path)


@functools.lru_cache(maxsize=None)
def sdk_call(request_name):
    """The SdkCall of an SDK request class name; LookupError when the SDK has no such call."""
    return SdkCall(request_name)


def route_problems(route):
    """What is wrong with a route's SDK request class: unknown, or another method or path than the route's."""
    if route.sdk is None:
        return []
    try:
        call = sdk_call(route.sdk)
    except LookupError as error:
        return ["%s %s: %s" % (route.method, route.pattern, error)]
    problems = []
    if (call.method, call.resource_path) != (route.method, route.pattern):
        problems.append(
            "%s %s names %s, which the SDK sends as %s %s"
            % (route.method, route.pattern, route.sdk, call.method, call.resource_path)
        )
    return problems


def request_problems(record):
    """What a recorded request sends that the SDK's model of its call does not have (empty: it conforms)."""
    route = record.route
    if route is None:
        return ["%s %s: no API has this method and path" % (record.method, record.path)]
    if route.sdk is None:
        return []  # a route without an SDK request class (README.md lists them) is not checked
    call = sdk_call(route.sdk)
    problems = query_problems(call, record.raw_query)
    if record.raw_body:
        try:
            body = json.loads(record.raw_body)
        except ValueError:
            problems.append("the body is not JSON")
        else:
            if call.body is None:
                problems.append("a body is sent; the call takes none")
            else:
                problems += value_problems(body, call.body, "body")
    return ["%r: %s" % (call, problem) for problem in problems]


def check_requests(records):
    """The problems of every recorded request, each once, in order."""
    problems = []
    for record in records:
        for problem in request_problems(record):
            if problem not in problems:
                problems.append(problem)
    return problems


def query_problems(call, raw_query):
    """The query parameters the call does not declare, repeated ones that are not lists, and values that are not
    of the declared type (a query carries text: an int must be digits, a bool true or false)."""
    problems = []
    pairs = parse_qsl(raw_query or "", keep_blank_values=True)
    names = [name for name, dummy in pairs]
    for name, value in pairs:
        declared = call.query.get(name)
        if declared is None:
            known = ", ".join(sorted(call.query)) or "none"
            problems.append("query parameter %s is not in the SDK's model (its parameters: %s)" % (name, known))
            continue
        element = _LIST_RE.match(declared)
        if names.count(name) > 1 and not element:
            problems.append(
                "query parameter %s is given %d times; the SDK declares one %s" % (name, names.count(name), declared)
            )
        problem = _query_value_problem(value, element.group(1) if element else declared)
        if problem:
            problems.append("query parameter %s=%r %s" % (name, value, problem))
    return problems


def _query_value_problem(value, declared):
    if declared == "int" and not _INT_RE.match(value):
        return "is not an int, the SDK's type"
    if declared == "bool" and value.lower() not in ("true", "false"):
        return "is not a bool (true or false), the SDK's type"
    if declared == "float":
        try:
            float(value)
        except ValueError:
            return "is not a float, the SDK's type"
    return None


def value_problems(value, declared, where):
    """The problems of a JSON ``value`` (at ``where``) of the SDK's declared type (``str``, ``list[X]``, ``dict(str,
    X)``, a model name...)."""
    if value is None:
        return ["%s is null; the SDK never sends null for its %s" % (where, declared)]
    element = _LIST_RE.match(declared)
    if element:
        if not isinstance(value, list):
            return ["%s is %s; the SDK declares %s" % (where, _json_type(value), declared)]
        return [
            p for i, item in enumerate(value) for p in value_problems(item, element.group(1), "%s[%d]" % (where, i))
        ]
    mapping = _DICT_RE.match(declared)
    if mapping:
        if not isinstance(value, dict):
            return ["%s is %s; the SDK declares %s" % (where, _json_type(value), declared)]
        return [
            p for key, item in value.items() for p in value_problems(item, mapping.group(1), "%s.%s" % (where, key))
        ]
    if declared in ("int", "float"):
        accepted = (int,) if declared == "int" else (int, float)
        if isinstance(value, bool) or not isinstance(value, accepted):
            return ["%s is %s; the SDK declares %s" % (where, _json_type(value), declared)]
        return []
    if declared in _JSON_TYPES:
        if not isinstance(value, _JSON_TYPES[declared]):
            return ["%s is %s; the SDK declares %s" % (where, _json_type(value), declared)]
        return []
    return _model_problems(value, declared, where)


def _model_problems(value, model_name, where):
    model = getattr(sdk, model_name, None)
    if model is None or not hasattr(model, "openapi_types"):
        return ["%s: the SDK declares %s, which it does not define" % (where, model_name)]
    if not isinstance(value, dict):
        return ["%s is %s; the SDK declares the object %s" % (where, _json_type(value), model_name)]
    fields = {wire: model.openapi_types[attr] for attr, wire in model.attribute_map.items()}
    seed = SEED_FIELDS.get(model_name, {})
    problems = []
    for key, item in value.items():
        declared = fields.get(key) or seed.get(key)
        if declared is None:
            problems.append(
                "%s.%s is not a field of the SDK's %s (its fields: %s)"
                % (where, key, model_name, ", ".join(sorted(set(fields) | set(seed))))
            )
        else:
            problems += value_problems(item, declared, "%s.%s" % (where, key))
    return problems


def _json_type(value):
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string %r" % value
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
