"""The notebook create and update bodies: their rules (syntax, ModelArts.6400, then the values, in the service's
order), and what they change in an instance."""

import base64
import binascii
import copy
import ipaddress
import re

from .base import now_ms
from .endpoints import merge_endpoints
from .errors import ServiceError, bad_request, property_error
from .lease import LEASE_FIELDS, lease_settings
from .validation import check_body, check_fields, check_type

# Letters, digits, - and _, and Chinese characters (the SDK's NotebookCreateRequest and NotebookUpdateRequest).
NAME_RE = re.compile("^[A-Za-z0-9_\\-\u4e00-\u9fa5]{1,128}$")
DESCRIPTION_FORBIDDEN = set('&<>"/')
MAX_CAPACITY = 4096
MAX_ALLOWED_IPS = 5

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
UPDATE_KEPT_ASIDE = ("custom_spec", "affinity", "dew_secret_name", "data_volumes", "public_network_config")
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
CREATE_KEPT_ASIDE = ("affinity", "data_volumes", "custom_spec", "public_network_config", "run_user", "user_vpc")
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
ENDPOINT_FIELDS = {
    "dev_service": str,
    "service": str,
    "allowed_access_ips": list,
    "ssh_keys": list,
    "key_pair_names": list,
}
HOOK_CONFIG_FIELDS = ("script", "type", "mode")


# ---- syntax ------------------------------------------------------------------------------------------------


def check_update_syntax(body):
    check_body(body, UPDATE_FIELDS)
    check_endpoints_hooks_syntax(body)


def check_create_syntax(body):
    check_body(body, CREATE_FIELDS)
    check_fields("volume", body.get("volume") or {}, VOLUME_FIELDS)
    check_fields("lease", body.get("lease") or {}, LEASE_FIELDS)
    check_endpoints_hooks_syntax(body)


def check_endpoints_hooks_syntax(body):
    for i, ep in enumerate(body.get("endpoints", ())):
        check_type("endpoints[%d]" % i, ep, dict)
        for key, value in ep.items():
            if key not in ENDPOINT_FIELDS:
                raise bad_request("unknown field endpoints[%d].%s" % (i, key))
            check_type("endpoints[%d].%s" % (i, key), value, ENDPOINT_FIELDS[key])
            if ENDPOINT_FIELDS[key] is list:
                for item in value:
                    check_type("endpoints[%d].%s[]" % (i, key), item, str)
    hooks = body.get("hooks")
    if hooks is not None:
        for key, value in hooks.items():
            if key != "container_hooks":
                raise bad_request("unknown field hooks.%s" % key)
            check_type("hooks.container_hooks", value, dict)
            for phase, config in value.items():
                if phase not in ("pre_start", "post_start"):
                    raise bad_request("unknown field hooks.container_hooks.%s" % phase)
                check_type("hooks.container_hooks.%s" % phase, config, dict)
                for ckey, cvalue in config.items():
                    if ckey not in HOOK_CONFIG_FIELDS:
                        raise bad_request("unknown field hooks.container_hooks.%s.%s" % (phase, ckey))
                    check_type("hooks.container_hooks.%s.%s" % (phase, ckey), cvalue, str)


# ---- values ------------------------------------------------------------------------------------------------
def check_update_values(catalog, nb, body):
    if "name" in body and not NAME_RE.match(body["name"]):
        raise ServiceError(
            400, "ModelArts.6334", "The name must be 1 to 128 letters, digits, hyphens (-) or underscores (_)."
        )
    check_description(body)
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
        flavor = catalog.flavor(body["flavor"])
        if flavor is None:
            raise ServiceError(400, "ModelArts.6792", "The instance cannot switch to flavor %s." % body["flavor"])
        if flavor["sold_out"]:
            raise ServiceError(400, "ModelArts.6329", "The flavor %s is sold out." % body["flavor"])
        if flavor["id"] != nb["flavor"] and not catalog.switchable(nb, flavor):
            raise ServiceError(400, "ModelArts.6792", "The instance cannot switch to flavor %s." % body["flavor"])
    if "image_id" in body and body["image_id"] not in catalog.images:
        raise ServiceError(400, "ModelArts.6797", "The image %s is not found." % body["image_id"])
    check_endpoints_hooks_values(body)


def check_create_values(catalog, body):
    """The values of a create body, in the service's order; returns the lease to set."""
    # pylint: disable=too-many-branches
    if not NAME_RE.match(body["name"]):
        raise ServiceError(
            400,
            "ModelArts.6334",
            "The name must be 1 to 128 letters, digits, hyphens (-), underscores (_) or Chinese characters.",
        )
    check_description(body)
    feature = body.get("feature", "NOTEBOOK")
    if feature not in NOTEBOOK_FEATURES:
        raise property_error("The value of feature must be NOTEBOOK or DEFAULT.")
    if not WORKSPACE_ID_RE.match(body.get("workspace_id", "0")):
        raise property_error("The value of workspace_id must be 0 or 32 lowercase letters and digits.")
    flavor = catalog.flavor(body["flavor"])
    if flavor is None:
        raise property_error("The flavor %s does not exist." % body["flavor"])
    if flavor["sold_out"]:
        raise ServiceError(400, "ModelArts.6329", "The flavor %s is sold out." % body["flavor"])
    if flavor["feature"] != feature:
        raise property_error("The flavor %s is not a %s flavor." % (body["flavor"], feature))
    if flavor["_type"] == "DEDICATED" and not body.get("pool_id"):
        raise ServiceError(
            400, "ModelArts.6335", "The property pool_id is required with the dedicated flavor %s." % body["flavor"]
        )
    if body["image_id"] not in catalog.images:
        raise ServiceError(400, "ModelArts.6797", "The image %s is not found." % body["image_id"])
    volume = body["volume"]
    if volume["category"] not in VOLUME_CATEGORIES:
        raise property_error("The value of volume.category must be one of %s." % ", ".join(VOLUME_CATEGORIES))
    ownership = volume.get("ownership", "MANAGED")
    if ownership not in VOLUME_OWNERSHIPS:
        raise property_error("The value of volume.ownership must be MANAGED or DEDICATED.")
    if ownership == "DEDICATED" and volume["category"] != "EFS":
        raise property_error("A DEDICATED volume must be EFS.")
    if ownership == "DEDICATED" and not (volume.get("id") or volume.get("uri")):
        raise ServiceError(
            400, "ModelArts.6335", "The property volume.id or volume.uri of the dedicated EFS is required."
        )
    if volume["category"] == "EVS" and not 1 <= volume.get("capacity", DEFAULT_CAPACITY) <= MAX_CAPACITY:
        raise ServiceError(400, "ModelArts.6331", "The EVS size must be 1 to %d GB." % MAX_CAPACITY)
    check_endpoints_hooks_values(body)
    lease = body.get("lease") or {}
    duration = body["duration"] if "duration" in body else lease.get("duration")
    return lease_settings(duration, lease.get("type"), "duration" if "duration" in body else "lease.duration")


def check_endpoints_hooks_values(body):
    for ep in body.get("endpoints", ()):
        service = ep.get("dev_service") or ep.get("service")
        if not service:
            raise ServiceError(400, "ModelArts.6335", "The property endpoints.dev_service is required.")
        if service not in ("NOTEBOOK", "SSH"):
            raise ServiceError(400, "ModelArts.6336", "The value of endpoints.dev_service must be NOTEBOOK or SSH.")
        ips = ep.get("allowed_access_ips", [])
        if len(ips) > MAX_ALLOWED_IPS:
            raise ServiceError(400, "ModelArts.6336", "At most %d allowed_access_ips are supported." % MAX_ALLOWED_IPS)
        for ip in ips:
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                raise ServiceError(400, "ModelArts.6336", "The value of allowed_access_ips is incorrect.") from None
    for phase, config in (body.get("hooks") or {}).get("container_hooks", {}).items():
        check_hook(phase, config)


def check_description(body):
    if "description" in body:
        desc = body["description"]
        if len(desc) > 512 or DESCRIPTION_FORBIDDEN & set(desc):
            raise ServiceError(
                400, "ModelArts.6334", 'The description must be at most 512 characters, without & < > " /.'
            )


def check_hook(phase, config):
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


# ---- effects -----------------------------------------------------------------------------------------------
def apply_update(store, nb, body):
    """A checked update body, applied to the instance."""
    for field in ("name", "description", "flavor"):
        if field in body:
            nb[field] = body[field]
    if "image_id" in body:
        nb["image"] = copy.deepcopy(store.images[body["image_id"]])
    if "storage_new_size" in body:
        nb["volume"]["capacity"] = body["storage_new_size"]
    merge_endpoints(nb, body.get("endpoints", ()))
    if "hooks" in body:
        nb["_hooks"] = copy.deepcopy(body["hooks"])
    for field in UPDATE_KEPT_ASIDE:
        if field in body:
            nb["_extra"][field] = copy.deepcopy(body[field])
    nb["lease"]["update_at"] = now_ms()


def apply_create(store, nb, body, lease):
    """What a checked create body sets beyond what ``NotebookStore.add`` did with it."""
    volume = body["volume"]
    merge_endpoints(nb, body.get("endpoints", ()))
    nb["volume"].update(category=volume["category"], ownership=volume.get("ownership", "MANAGED"))
    if volume["category"] != "EVS":
        nb["volume"]["capacity"] = volume.get("capacity")
    nb["workspace_id"] = body.get("workspace_id", "0")
    if body.get("pool_id"):
        nb["pool"] = {"id": body["pool_id"], "name": body["pool_id"]}
    now = now_ms()
    nb["lease"].update(lease, create_at=now, update_at=now)
    nb["_extra"].update({k: copy.deepcopy(v) for k, v in body.items() if k in CREATE_KEPT_ASIDE})
    if volume.get("id") or volume.get("uri"):
        nb["_extra"]["volume"] = {k: volume[k] for k in ("id", "uri") if k in volume}
