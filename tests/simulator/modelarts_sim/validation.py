"""Syntax checks shared by the resources: the JSON body, field names and JSON types (all ModelArts.6400)."""

import json

from .errors import bad_request

_TYPE_NAMES = {str: "string", int: "integer", list: "array", dict: "object", bool: "boolean"}


def check_type(where, value, expected):
    """ModelArts.6400 unless ``value`` has the JSON type ``expected`` (str, int, list, dict or bool)."""
    if expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, expected)
    if not ok:
        raise bad_request("%s must be of type %s" % (where, _TYPE_NAMES[expected]))


def check_fields(where, obj, fields):
    """Every key of the object ``obj`` (named ``where``) is one of ``fields`` ({name: type}), of its type."""
    for key, value in obj.items():
        if key not in fields:
            raise bad_request("unknown field %s.%s" % (where, key))
        check_type("%s.%s" % (where, key), value, fields[key])


def check_body(body, fields):
    """The request body: a JSON object whose every key is one of ``fields`` ({name: type}), of its type."""
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    check_fields("body", body, fields)


def json_body(raw_body, required=True):
    """The request's JSON body; ModelArts.6400 when empty (unless optional: then None) or not JSON."""
    if not raw_body:
        if required:
            raise bad_request("the request body is empty")
        return None
    try:
        return json.loads(raw_body)
    except ValueError:
        raise bad_request("the request body is not valid JSON") from None
