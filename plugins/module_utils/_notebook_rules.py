# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The notebook rules: validate the requested fields, compare them with the live instance, build the update.

Pure functions on dicts, no I/O, so every rule is unit-tested directly.
"""

from __future__ import annotations

import base64
import binascii
import copy
import ipaddress
import re
from collections import namedtuple

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _auto_stop, _tags
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import RuleError

STABLE = frozenset(("RUNNING", "STOPPED"))
TRANSITIONAL = frozenset(("INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "SNAPSHOTTING"))
FAILED = frozenset(("CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "FROZEN", "DELETED"))
# Every status, in the order of the API reference.
STATUSES = (
    "INIT",
    "CREATING",
    "STARTING",
    "STOPPING",
    "DELETING",
    "RUNNING",
    "STOPPED",
    "SNAPSHOTTING",
    "CREATE_FAILED",
    "START_FAILED",
    "DELETE_FAILED",
    "ERROR",
    "DELETED",
    "FROZEN",
)

# Letters, digits, - and _, and (since the API accepts them, SDK NotebookCreateRequest/NotebookUpdateRequest)
# Chinese characters.
NAME_PATTERN = re.compile("[A-Za-z0-9_\\-\u4e00-\u9fa5]{1,128}\\Z")
DESCRIPTION_MAX = 512
DESCRIPTION_FORBIDDEN = '&<>"/'
STORAGE_MIN, STORAGE_MAX = 1, 4096
DEV_SERVICES = ("NOTEBOOK", "SSH")
MAX_ALLOWED_IPS = 5
HOOK_STAGES = ("pre_start", "post_start")
HOOK_TYPES = ("COMMAND", "SCRIPT")
ENDPOINT_LISTS = ("allowed_access_ips", "ssh_keys")

# The requested fields, in the order they are compared, reported and sent.
FIELDS = ("name", "description", "flavor", "image_id", "storage_size", "endpoints")


def _check_name(value):
    if not NAME_PATTERN.match(value):
        return "name must be 1 to 128 characters, each a letter, digit, '-', '_' or Chinese character (got %r)" % value
    return None


def _check_description(value):
    if len(value) > DESCRIPTION_MAX:
        return "description must be at most %d characters (got %d)" % (DESCRIPTION_MAX, len(value))
    found = sorted(set(value) & set(DESCRIPTION_FORBIDDEN))
    if found:
        return 'description must not contain any of & < > " / (found %s)' % " ".join(found)
    return None


def _check_storage(value):
    if not STORAGE_MIN <= value <= STORAGE_MAX:
        return "storage_size must be between %d and %d GB (got %d)" % (STORAGE_MIN, STORAGE_MAX, value)
    return None


def _check_endpoints(endpoints):
    problems = []
    seen = set()
    for index, endpoint in enumerate(endpoints):
        where = "endpoints[%d]" % index
        service = endpoint.get("dev_service")
        if service not in DEV_SERVICES:
            problems.append("%s.dev_service must be one of %s (got %r)" % (where, ", ".join(DEV_SERVICES), service))
        elif service in seen:
            problems.append("%s.dev_service %s is given twice: give each service once" % (where, service))
        seen.add(service)
        ips = endpoint.get("allowed_access_ips")
        if ips is None:
            continue
        # Counted once each: the list is compared and sent as a set.
        if len(set(ips)) > MAX_ALLOWED_IPS:
            problems.append(
                "%s.allowed_access_ips takes at most %d addresses (got %d)" % (where, MAX_ALLOWED_IPS, len(set(ips)))
            )
        for ip in ips:
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                problems.append("%s.allowed_access_ips must hold IP addresses (got %r)" % (where, ip))
    return problems


def _check_hooks(hooks):
    problems = []
    container = (hooks or {}).get("container_hooks") or {}
    for stage in HOOK_STAGES:
        config = container.get(stage)
        if not config:
            continue
        where = "hooks.container_hooks.%s" % stage
        kind = config.get("type") or "SCRIPT"
        script = config.get("script")
        if kind not in HOOK_TYPES:
            problems.append("%s.type must be COMMAND or SCRIPT (got %r)" % (where, kind))
        elif not script:
            problems.append("%s.script is required" % where)
        elif kind == "COMMAND" and not _is_base64(script):
            problems.append("%s.script must be base64-encoded when type is COMMAND" % where)
        elif kind == "SCRIPT" and not script.startswith("/"):
            problems.append("%s.script must be an absolute path when type is SCRIPT (got %r)" % (where, script))
    return problems


def _is_base64(text):
    try:
        base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False
    return True


VOLUME_CATEGORIES = ("EVS", "EFS", "OBS", "OBSFS")
VOLUME_OWNERSHIPS = ("MANAGED", "DEDICATED")
VOLUME_KEYS = ("category", "ownership", "id", "uri")


def _check_volume(volume):
    problems = []
    category, ownership = volume.get("category") or "EVS", volume.get("ownership") or "MANAGED"
    if ownership == "DEDICATED" and category != "EFS":
        problems.append("volume.ownership DEDICATED needs volume.category EFS (got %s)" % category)
    for key in ("id", "uri"):
        if volume.get(key) and (category, ownership) != ("EFS", "DEDICATED"):
            problems.append(
                "volume.%s names a dedicated EFS file system: it needs volume.category EFS and volume.ownership DEDICATED"
                % key
            )
    return problems


def validate(params):
    """Check every requested field against the service's rules; raise RuleError naming each broken one."""
    problems = []
    if params.get("volume") is not None:
        problems.extend(_check_volume(params["volume"]))
    problems.extend(_auto_stop.check(params.get("auto_stop")))
    if params.get("tags") is not None:
        problems.extend(_tags.check(params["tags"]))
    for option, check in (("name", _check_name), ("description", _check_description), ("storage_size", _check_storage)):
        if params.get(option) is not None:
            problems.append(check(params[option]))
    if params.get("endpoints") is not None:
        problems.extend(_check_endpoints(params["endpoints"]))
    if params.get("hooks") is not None:
        problems.extend(_check_hooks(params["hooks"]))
    if params.get("force_update_hooks") and not params.get("hooks"):
        problems.append("force_update_hooks needs hooks: there is nothing to send")
    problems = [problem for problem in problems if problem]
    if problems:
        raise RuleError("; ".join(problems))


def _live_endpoints(instance):
    """The live endpoints keyed by service: the service returns ``dev_service`` or ``service``."""
    live = {}
    for endpoint in instance.get("endpoints") or []:
        service = endpoint.get("dev_service") or endpoint.get("service")
        if service:
            live[service] = endpoint
    return live


def _as_set(values):
    return sorted(set(values or []))


def _endpoint_setting(endpoint, key):
    """One list of an endpoint, in either spelling an answer uses: key pairs are ``ssh_keys`` (the seed) or
    ``key_pair_names`` (the SDK's EndpointsRes, Huawei's Terraform provider)."""
    value = endpoint.get(key)
    if value is None and key == "ssh_keys":
        value = endpoint.get("key_pair_names")
    return value


def _endpoint_view(service, endpoint, keys):
    view = {"dev_service": service}
    for key in keys:
        view[key] = _as_set(_endpoint_setting(endpoint, key))
    return view


def _merge_endpoints(instance, wanted):
    """Live endpoints with the requested keys applied (new services appended), as the update sends them: in
    the seed's spelling (``dev_service``, ``ssh_keys``), whichever spelling the answer used."""
    live = _live_endpoints(instance)
    merged = []
    for service, endpoint in live.items():
        entry = {"dev_service": service}
        for key in ENDPOINT_LISTS:
            value = _endpoint_setting(endpoint, key)
            if value is not None:
                entry[key] = list(value)
        merged.append(entry)
    for request in wanted:
        entry = next((item for item in merged if item["dev_service"] == request["dev_service"]), None)
        if entry is None:
            entry = {"dev_service": request["dev_service"]}
            merged.append(entry)
        for key in ENDPOINT_LISTS:
            if request.get(key) is not None:
                entry[key] = _as_set(request[key])
    return merged


def live_value(instance, field):
    """The live value that a requested field is compared with."""
    if field == "image_id":
        return (instance.get("image") or {}).get("id")
    if field == "storage_size":
        return (instance.get("volume") or {}).get("capacity")
    if field == "description":
        return instance.get("description") or ""
    return instance.get(field)


Comparison = namedtuple("Comparison", "before after changed")


def compare(instance, params):
    """Compare the requested fields with the live instance.

    Returns a Comparison: ``before``/``after`` hold every requested field (for --diff), ``changed`` the
    names of the ones that differ, in FIELDS order. Raises RuleError for a change the service cannot make
    (a smaller disk).
    """
    before, after, changed = {}, {}, []
    for field in FIELDS:
        wanted = params.get(field)
        if wanted is None:
            continue
        if field == "endpoints":
            live = _live_endpoints(instance)
            keys_by_service = {}
            for request in wanted:
                keys_by_service[request["dev_service"]] = [k for k in ENDPOINT_LISTS if request.get(k) is not None]
            before[field] = [
                _endpoint_view(s, live.get(s, {}), keys) for s, keys in sorted(keys_by_service.items()) if s in live
            ]
            after[field] = [
                _endpoint_view(s, dict((k, r.get(k)) for k in ENDPOINT_LISTS), keys_by_service[s])
                for s, r in sorted((r["dev_service"], r) for r in wanted)
            ]
        else:
            before[field] = live_value(instance, field)
            after[field] = wanted
        if field == "storage_size" and before[field] is not None and wanted < before[field]:
            raise RuleError(
                "storage_size cannot shrink a disk: the instance has %d GB, storage_size asks for %d GB"
                % (before[field], wanted)
            )
        if before[field] != after[field]:
            changed.append(field)
    return Comparison(before, after, tuple(changed))


def update_body(instance, params, changed_fields, send_hooks):
    """The PUT body: only the changed fields (and the hooks when they are to be sent)."""
    body = {}
    for field in changed_fields:
        if field == "storage_size":
            body["storage_new_size"] = params[field]
        elif field == "endpoints":
            body["endpoints"] = _merge_endpoints(instance, params[field])
        else:
            body[field] = params[field]
    if send_hooks and params.get("hooks"):
        body["hooks"] = hooks_body(params["hooks"])
    return body


def hooks_body(hooks):
    container = {}
    for stage in HOOK_STAGES:
        config = ((hooks or {}).get("container_hooks") or {}).get(stage)
        if config:
            container[stage] = {"script": config["script"], "type": config.get("type") or "SCRIPT"}
    return {"container_hooks": container}


def check_create_only(instance, params):
    """Options that only a create can set (``volume``, ``workspace_id``, ``pool_id``) must equal the live
    instance where given; raise RuleError naming each that differs."""
    live_volume = instance.get("volume") or {}
    given = [
        ("volume.%s" % key, live_volume.get(key), value)
        for key, value in sorted((params.get("volume") or {}).items())
        if value is not None
    ]
    if params.get("workspace_id") is not None:
        given.append(("workspace_id", instance.get("workspace_id") or "0", params["workspace_id"]))
    if params.get("pool_id") is not None:
        given.append(("pool_id", (instance.get("pool") or {}).get("id") or "", params["pool_id"]))
    problems = [
        "%s cannot be changed after creation: the instance has %r, %s asks for %r" % (option, live, option, wanted)
        for option, live, wanted in given
        if live != wanted
    ]
    if problems:
        raise RuleError("; ".join(problems))


def create_body(params):
    """The create body: the requested fields, the volume (with ``storage_size`` as its capacity), the workspace,
    the pool and the auto-stop; endpoints and hooks as the update sends them. Tags are not part of it."""
    body = {"name": params["name"], "flavor": params["flavor"], "image_id": params["image_id"], "feature": "NOTEBOOK"}
    if params.get("description") is not None:
        body["description"] = params["description"]
    if params.get("endpoints"):
        body["endpoints"] = _merge_endpoints({}, params["endpoints"])
    if params.get("hooks"):
        body["hooks"] = hooks_body(params["hooks"])
    wanted = params.get("volume") or {}
    volume = {"category": wanted.get("category") or "EVS", "ownership": wanted.get("ownership") or "MANAGED"}
    if params.get("storage_size") is not None:
        volume["capacity"] = params["storage_size"]
    volume.update({key: wanted[key] for key in ("id", "uri") if wanted.get(key)})
    body["volume"] = volume
    for option in ("workspace_id", "pool_id"):
        if params.get(option) is not None:
            body[option] = params[option]
    body.update(_auto_stop.create_lease(params.get("auto_stop")))
    return body


def requested(params):
    """Every requested field and setting, for the ``after`` of a create's --diff."""
    after = {
        field: params[field]
        for field in FIELDS + ("volume", "workspace_id", "pool_id")
        if params.get(field) is not None
    }
    if params.get("tags") is not None:
        after["tags"] = dict(params["tags"])
    if params.get("auto_stop") is not None:
        after["auto_stop"] = _auto_stop.wanted(params["auto_stop"])
    return after


def without_token(instance):
    """The instance as the API returned it, minus its access token (a secret)."""
    if not isinstance(instance, dict):
        return instance
    public = copy.deepcopy(instance)
    public.pop("token", None)
    return public
