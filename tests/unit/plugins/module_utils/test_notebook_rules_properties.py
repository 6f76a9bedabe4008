# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Properties of the notebook rules, over generated input: validate, compare and update_body.

The oracle below restates the seed's rules on its own, so validate() is checked against the rules and
not against itself.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import string

from hypothesis import given, settings, strategies as st

from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import (
    RuleError,
    compare,
    hooks_body,
    update_body,
    validate,
)

SETTINGS = settings(max_examples=80, deadline=None, database=None)
NAME_CHARS = string.ascii_letters + string.digits + "-_"
# Names may also hold Chinese characters: the CJK Unified Ideographs U+4E00 to U+9FA5 (SPEC, 1.1.0).
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
FORBIDDEN = '&<>"/'
FLAVORS = ["modelarts.vm.cpu.2u", "modelarts.vm.cpu.8u", "modelarts.vm.gpu.t4u8"]
IMAGES = ["img-a", "img-b", "img-c"]
KEYS = ["team-a-keypair", "team-b-keypair", "ops-keypair"]

# ---- strategies -------------------------------------------------------------------------------------
valid_names = st.text(st.one_of(st.sampled_from(NAME_CHARS), CHINESE), min_size=1, max_size=128)
names = st.one_of(valid_names, st.text(max_size=140), st.text(NAME_CHARS, min_size=129, max_size=140))


def name_char(c):
    return c in NAME_CHARS or 0x4E00 <= ord(c) <= 0x9FA5


valid_descriptions = st.text(st.characters(blacklist_characters=FORBIDDEN, blacklist_categories=("Cs",)), max_size=512)
descriptions = st.one_of(valid_descriptions, st.text(max_size=600), st.text(st.sampled_from('ab&<>"/'), max_size=20))
sizes = st.one_of(st.integers(1, 4096), st.integers(-5, 5000), st.integers(-(2**40), 2**40))
valid_ips = st.one_of(st.ip_addresses(v=4).map(str), st.ip_addresses(v=6).map(str))
ips = st.one_of(valid_ips, st.text(max_size=20), st.sampled_from(["256.1.1.1", "1.2.3", "::g", "10.0.0.1/24", ""]))
scripts = st.one_of(
    st.binary(min_size=1, max_size=30).map(lambda b: base64.b64encode(b).decode()),
    st.text(max_size=30).map(lambda t: "/" + t),
    st.text(max_size=30),
)
hook_configs = st.fixed_dictionaries(
    {"script": scripts}, optional={"type": st.sampled_from(["COMMAND", "SCRIPT", None])}
)
hooks = st.fixed_dictionaries(
    {"container_hooks": st.fixed_dictionaries({}, optional={"pre_start": hook_configs, "post_start": hook_configs})}
)
endpoint_requests = st.fixed_dictionaries(
    {"dev_service": st.sampled_from(["NOTEBOOK", "SSH"])},
    optional={"allowed_access_ips": st.lists(ips, max_size=7), "ssh_keys": st.lists(st.sampled_from(KEYS), max_size=3)},
)
params = st.fixed_dictionaries(
    {},
    optional={
        "name": names,
        "description": descriptions,
        "storage_size": sizes,
        "endpoints": st.lists(endpoint_requests, max_size=3),
        "hooks": hooks,
        "force_update_hooks": st.booleans(),
        "flavor": st.sampled_from(FLAVORS),
        "image_id": st.sampled_from(IMAGES),
    },
)


# ---- the oracle: the seed's rules, restated --------------------------------------------------------
def _is_ip(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_b64(text):
    try:
        base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False
    return True


def broken_rules(request):
    """The options of ``request`` that break a rule: an empty list when the request is valid."""
    broken = []
    if request.get("name") is not None:
        name = request["name"]
        if not 1 <= len(name) <= 128 or not all(name_char(c) for c in name):
            broken.append("name")
    if request.get("description") is not None:
        if len(request["description"]) > 512 or any(c in FORBIDDEN for c in request["description"]):
            broken.append("description")
    if request.get("storage_size") is not None and not 1 <= request["storage_size"] <= 4096:
        broken.append("storage_size")
    services = [ep["dev_service"] for ep in request.get("endpoints") or []]
    if len(services) != len(set(services)):
        broken.append("dev_service")  # one entry per service, else the request is ambiguous
    for ep in request.get("endpoints") or []:
        found = ep.get("allowed_access_ips")
        if found is not None and (len(set(found)) > 5 or not all(_is_ip(ip) for ip in found)):
            broken.append("allowed_access_ips")
    for config in ((request.get("hooks") or {}).get("container_hooks") or {}).values():
        kind = config.get("type") or "SCRIPT"
        if not config["script"]:
            broken.append("script")
        elif kind == "COMMAND" and not _is_b64(config["script"]):
            broken.append("COMMAND")
        elif kind == "SCRIPT" and not config["script"].startswith("/"):
            broken.append("SCRIPT")
    if request.get("force_update_hooks") and not request.get("hooks"):
        broken.append("force_update_hooks")
    return broken


valid_hook_configs = st.one_of(
    st.fixed_dictionaries(
        {
            "script": st.binary(min_size=1, max_size=30).map(lambda b: base64.b64encode(b).decode()),
            "type": st.just("COMMAND"),
        }
    ),
    st.fixed_dictionaries(
        {"script": st.text(max_size=30).map(lambda t: "/" + t)}, optional={"type": st.sampled_from(["SCRIPT", None])}
    ),
)
valid_endpoint_requests = st.fixed_dictionaries(
    {"dev_service": st.sampled_from(["NOTEBOOK", "SSH"])},
    optional={
        "allowed_access_ips": st.lists(valid_ips, max_size=5),
        "ssh_keys": st.lists(st.sampled_from(KEYS), max_size=3),
    },
)
valid_params = st.fixed_dictionaries(
    {},
    optional={
        "name": valid_names,
        "description": valid_descriptions,
        "storage_size": st.integers(1, 4096),
        "endpoints": st.lists(valid_endpoint_requests, max_size=2, unique_by=lambda ep: ep["dev_service"]),
        "hooks": st.fixed_dictionaries(
            {
                "container_hooks": st.fixed_dictionaries(
                    {}, optional={"pre_start": valid_hook_configs, "post_start": valid_hook_configs}
                )
            }
        ),
        "flavor": st.sampled_from(FLAVORS),
        "image_id": st.sampled_from(IMAGES),
    },
)


# ---- instances ------------------------------------------------------------------------------------
def _endpoint(service, key_name, ip_list, key_list):
    entry = {key_name: service, "uri": "192.168.0.2:22"}
    if ip_list is not None:
        entry["allowed_access_ips"] = ip_list
    if key_list is not None:
        entry["ssh_keys"] = key_list
    return entry


live_endpoints = st.lists(
    st.tuples(
        st.sampled_from(["dev_service", "service"]),
        st.one_of(st.none(), st.lists(valid_ips, max_size=5, unique=True)),
        st.one_of(st.none(), st.lists(st.sampled_from(KEYS), max_size=3, unique=True)),
    ),
    max_size=2,
).map(
    lambda items: [
        _endpoint(service, key, ip_list, key_list)
        for service, (key, ip_list, key_list) in zip(["NOTEBOOK", "SSH"], items)
    ]
)

instances = st.builds(
    lambda name, description, flavor, image, capacity, endpoints, status: {
        "id": "nb-1",
        "name": name,
        "description": description,
        "flavor": flavor,
        "image": {"id": image, "name": "x"},
        "volume": {"category": "EVS", "capacity": capacity},
        "endpoints": endpoints,
        "status": status,
        "token": "t0ken",
    },
    valid_names,
    st.one_of(valid_descriptions, st.none()),
    st.sampled_from(FLAVORS),
    st.sampled_from(IMAGES),
    st.integers(1, 4096),
    live_endpoints,
    st.sampled_from(["RUNNING", "STOPPED"]),
)


@st.composite
def instance_and_own_params(draw):
    """An instance and a request derived from it: a subset of its own fields, lists reordered and repeated."""
    instance = draw(instances)
    request = {}
    for field, value in (
        ("name", instance["name"]),
        ("description", instance["description"] or ""),
        ("flavor", instance["flavor"]),
        ("image_id", instance["image"]["id"]),
        ("storage_size", instance["volume"]["capacity"]),
    ):
        if draw(st.booleans()):
            request[field] = value
    if instance["endpoints"] and draw(st.booleans()):
        request["endpoints"] = []
        for endpoint in instance["endpoints"]:
            if not draw(st.booleans()):
                continue
            wanted = {"dev_service": endpoint.get("dev_service") or endpoint.get("service")}
            for key in ("allowed_access_ips", "ssh_keys"):
                if draw(st.booleans()):
                    values = list(endpoint.get(key) or [])
                    # A repeat stays within the 5 addresses validate() counts.
                    values = draw(st.permutations(values)) + (
                        values[:1] if len(values) < 5 and draw(st.booleans()) else []
                    )
                    wanted[key] = values
            request["endpoints"].append(wanted)
    return instance, request


# ---- properties -----------------------------------------------------------------------------------
@SETTINGS
@given(params)
def test_validate_never_crashes_and_accepts_exactly_the_seed_rules(request):
    broken = broken_rules(request)
    try:
        validate(request)
    except RuleError as error:
        assert broken, "refused a valid request: %s" % error
        for rule in broken:
            assert rule in str(error), "the message does not name %s: %s" % (rule, error)
    else:
        assert not broken, "accepted a request that breaks %s" % broken


@SETTINGS
@given(instance_and_own_params())
def test_an_instance_compared_with_its_own_fields_has_no_change(case):
    instance, request = case
    validate(request)
    before, after, changed = compare(instance, request)
    assert changed == ()
    assert set(before) == set(after) == set(request)
    assert update_body(instance, request, changed, send_hooks=False) == {}


def _live(instance, field):
    return {"image_id": (instance["image"] or {}).get("id"), "storage_new_size": instance["volume"]["capacity"]}.get(
        field, instance.get(field)
    )


@SETTINGS
@given(instances, valid_params, st.booleans())
def test_update_body_holds_only_changed_and_valid_content(instance, request, send_hooks):
    try:
        _before, _after, changed = compare(instance, request)
    except RuleError as error:
        assert "storage_size cannot shrink" in str(error) and request["storage_size"] < instance["volume"]["capacity"]
        return
    body = update_body(instance, request, changed, send_hooks)
    expected = {"storage_new_size" if field == "storage_size" else field for field in changed}
    if send_hooks and request.get("hooks"):
        expected.add("hooks")
    assert set(body) == expected
    for field, value in body.items():
        if field in ("name", "description", "flavor", "image_id"):
            assert value == request[field] and value != (
                _live(instance, field) or ("" if field == "description" else None)
            )
        elif field == "storage_new_size":
            assert value == request["storage_size"] > instance["volume"]["capacity"]
        elif field == "hooks":
            assert value == hooks_body(request["hooks"])
    # What is sent passes the rules itself: the body, read back as a request, is valid.
    as_request = {("storage_size" if k == "storage_new_size" else k): v for k, v in body.items()}
    assert not broken_rules(as_request)
    if "endpoints" in body:
        sent = {ep["dev_service"]: ep for ep in body["endpoints"]}
        assert len(sent) == len(body["endpoints"]), "a service sent twice"
        for wanted in request["endpoints"]:
            for key in ("allowed_access_ips", "ssh_keys"):
                if wanted.get(key) is not None:
                    assert sorted(sent[wanted["dev_service"]][key]) == sorted(set(wanted[key]))
        for endpoint in instance["endpoints"]:
            service = endpoint.get("dev_service") or endpoint.get("service")
            untouched = [
                k
                for k in ("allowed_access_ips", "ssh_keys")
                if k in endpoint
                and endpoint[k] is not None
                and not any(w["dev_service"] == service and w.get(k) is not None for w in request["endpoints"])
            ]
            for key in untouched:
                assert sent[service][key] == endpoint[key], "a live endpoint setting that was not requested changed"
    # Applied, the body leaves nothing to change: a second compare is clean.
    updated = dict(instance, **{k: v for k, v in body.items() if k in ("name", "description", "flavor")})
    if "image_id" in body:
        updated["image"] = {"id": body["image_id"]}
    if "storage_new_size" in body:
        updated["volume"] = {"capacity": body["storage_new_size"]}
    if "endpoints" in body:
        updated["endpoints"] = body["endpoints"]
    assert compare(updated, request).changed == ()
