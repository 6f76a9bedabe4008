"""A notebook's endpoints (NOTEBOOK, SSH) and their two spellings.

The seed spells an endpoint ``dev_service`` + ``ssh_keys``; the SDK's EndpointsRes and Huawei's Terraform provider
``service`` + ``key_pair_names``. Requests are accepted in either spelling, the instance stores both, and answers
use the configured one (``ENDPOINT_SPELLINGS``).
"""

import hashlib

ENDPOINT_SPELLINGS = ("seed", "sdk", "both")
_SPELLING_OMITS = {"seed": ("service", "key_pair_names"), "sdk": ("dev_service", "ssh_keys"), "both": ()}


def endpoint(service, uri, allowed_access_ips=(), ssh_keys=()):
    """An endpoint as stored: in both spellings."""
    return {
        "dev_service": service,
        "service": service,
        "uri": uri,
        "allowed_access_ips": list(allowed_access_ips),
        "ssh_keys": list(ssh_keys),
        "key_pair_names": list(ssh_keys),
    }


def endpoint_uri(nb_id, service):
    """A stable address of the notebook's service."""
    octet = int(hashlib.sha256(nb_id.encode()).hexdigest()[:2], 16) % 250 + 2
    return "192.168.0.%d:%d" % (octet, 22 if service == "SSH" else 8888)


def endpoint_from(nb_id, ep):
    """The stored endpoint of a given one (either spelling; ``uri`` made up when absent)."""
    service = ep.get("dev_service") or ep.get("service")
    return endpoint(
        service,
        ep.get("uri") or endpoint_uri(nb_id, service),
        ep.get("allowed_access_ips", ()),
        ep.get("ssh_keys", ep.get("key_pair_names", ())),
    )


def merge_endpoints(nb, endpoints):
    """Endpoints of a request merged into the instance by service: only the keys given change; a new service is
    added."""
    for ep in endpoints:
        service = ep.get("dev_service") or ep.get("service")
        current = next((e for e in nb["endpoints"] if e["dev_service"] == service), None)
        if current is None:
            current = endpoint(service, endpoint_uri(nb["id"], service))
            nb["endpoints"].append(current)
        if "allowed_access_ips" in ep:
            current["allowed_access_ips"] = list(ep["allowed_access_ips"])
        keys = ep.get("ssh_keys", ep.get("key_pair_names"))
        if keys is not None:
            current["ssh_keys"] = list(keys)
            current["key_pair_names"] = list(keys)


def spelled(endpoints, spelling):
    """The stored endpoints as an answer spells them."""
    omit = _SPELLING_OMITS[spelling]
    return [{k: v for k, v in ep.items() if k not in omit} for ep in endpoints]
