# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Properties of notebook_instance's argument handling, run in-process against the simulator over generated input:
it never reports changed on an instance that already matches, never sends a request with invalid content,
and refuses invalid input before any request."""

from __future__ import annotations

import base64
import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_instance
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

from modelarts_simulator import DEFAULT_FLAVORS, DEFAULT_IMAGES, Simulator  # pylint: disable=wrong-import-order

SETTINGS = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NAME_CHARS = string.ascii_letters + string.digits + "-_"
FORBIDDEN = '&<>"/'
FLAVORS = [flavor["id"] for flavor in DEFAULT_FLAVORS]
IMAGES = sorted(DEFAULT_IMAGES)
KEYS = ["team-a-keypair", "team-b-keypair", "ops-keypair"]
# Answers that mean the service found the request's content invalid.
INVALID_CONTENT = ("ModelArts.6400", "ModelArts.6331", "ModelArts.6334", "ModelArts.6335", "ModelArts.6336")

# From Python 3.12 syslog refuses a NUL: ansible-core then fails any module given one, before our code runs.
ARGUMENT_CHARS = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
names = st.text(NAME_CHARS, min_size=1, max_size=40)
descriptions = st.text(
    st.characters(blacklist_characters=FORBIDDEN + "\x00", blacklist_categories=("Cs",)), max_size=60
)
ips = st.ip_addresses(v=4).map(str)
maybe_bad_ips = st.one_of(ips, st.sampled_from(["256.0.0.1", "10.0.0.0/8", "host.example", ""]))
scripts = st.one_of(
    st.binary(min_size=1, max_size=12).map(lambda b: base64.b64encode(b).decode()),
    st.text(NAME_CHARS, max_size=12).map(lambda t: "/opt/" + t),
    st.text(ARGUMENT_CHARS, max_size=12),
)
hook_configs = st.fixed_dictionaries({"script": scripts, "type": st.sampled_from(["COMMAND", "SCRIPT"])})


@pytest.fixture(scope="module")
def service():
    with Simulator() as sim:
        yield sim


def run(service, check=False, **args):
    return run_module(notebook_instance, service, check=check, wait_timeout=10, **args)


def requests_for(service, notebook_id):
    return [r for r in service.requests if r.notebook_id == notebook_id]


@st.composite
def matching_cases(draw):
    """A notebook and a request made of its own fields (a subset, lists reordered), with any state it is already in."""
    status = draw(st.sampled_from(["RUNNING", "STOPPED"]))
    ssh = {
        "dev_service": "SSH",
        "allowed_access_ips": draw(st.lists(ips, max_size=5, unique=True)),
        "ssh_keys": draw(st.lists(st.sampled_from(KEYS), max_size=3, unique=True)),
    }
    notebook = {
        "name": draw(names),
        "description": draw(descriptions),
        "flavor": draw(st.sampled_from(FLAVORS)),
        "image_id": draw(st.sampled_from(IMAGES)),
        "capacity": draw(st.integers(1, 4096)),
        "status": status,
        "endpoints": [{"dev_service": "NOTEBOOK"}] + ([ssh] if draw(st.booleans()) else []),
    }
    request = {}
    for field, value in (
        ("name", notebook["name"]),
        ("description", notebook["description"]),
        ("flavor", notebook["flavor"]),
        ("image_id", notebook["image_id"]),
        ("storage_size", notebook["capacity"]),
    ):
        if draw(st.booleans()):
            request[field] = value
    if len(notebook["endpoints"]) > 1 and draw(st.booleans()):
        wanted = {"dev_service": "SSH"}
        for key in ("allowed_access_ips", "ssh_keys"):
            if draw(st.booleans()):
                wanted[key] = draw(st.permutations(ssh[key]))
        request["endpoints"] = [wanted]
    if draw(st.booleans()):
        request["hooks"] = {"container_hooks": {"post_start": {"type": "SCRIPT", "script": "/opt/start.sh"}}}
    request["state"] = draw(st.sampled_from(["present", {"RUNNING": "running", "STOPPED": "stopped"}[status]]))
    request["allow_restart"] = draw(st.booleans())
    return notebook, request, draw(st.booleans())


@SETTINGS
@given(matching_cases())
def test_an_instance_that_already_matches_is_unchanged_for_one_get(service, case):
    notebook, request, check = case
    nb = service.add_notebook(**notebook)
    result = run(service, check=check, id=nb["id"], **request)
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] is False and result["actions"] == []
    assert [r.method for r in requests_for(service, nb["id"])] == ["GET"]


@st.composite
def requests_for_a_stopped_instance(draw):
    request = {}
    if draw(st.booleans()):
        request["name"] = draw(
            st.one_of(names, st.text(ARGUMENT_CHARS, max_size=20), st.text("数据团队-_a1", min_size=1, max_size=20))
        )
    if draw(st.booleans()):
        request["description"] = draw(st.one_of(descriptions, st.text(st.sampled_from('ab&<>"/'), max_size=5)))
    if draw(st.booleans()):
        request["flavor"] = draw(st.sampled_from(FLAVORS))
    if draw(st.booleans()):
        request["image_id"] = draw(st.sampled_from(IMAGES))
    if draw(st.booleans()):
        request["storage_size"] = draw(st.integers(-3, 4100))
    if draw(st.booleans()):
        wanted = {"dev_service": draw(st.sampled_from(["SSH", "NOTEBOOK"]))}
        if draw(st.booleans()):
            wanted["allowed_access_ips"] = draw(st.lists(maybe_bad_ips, max_size=7))
        if draw(st.booleans()):
            wanted["ssh_keys"] = draw(st.lists(st.sampled_from(KEYS), max_size=3))
        request["endpoints"] = [wanted]
    if draw(st.booleans()):
        request["hooks"] = {"container_hooks": {"pre_start": draw(hook_configs)}}
        request["force_update_hooks"] = draw(st.booleans())
    return request


def _rule_broken(request):
    """Whether the request breaks a rule of the seed (restated here): then nothing may be sent."""
    if "name" in request and (
        not request["name"]
        or len(request["name"]) > 128
        # Letters, digits, '-', '_' and, since 1.1.0, Chinese characters (U+4E00 to U+9FA5).
        or any(c not in NAME_CHARS and not 0x4E00 <= ord(c) <= 0x9FA5 for c in request["name"])
    ):
        return True
    if "description" in request and any(c in FORBIDDEN for c in request["description"]):
        return True
    if "storage_size" in request and not 1 <= request["storage_size"] <= 4096:
        return True
    for wanted in request.get("endpoints", []):
        found = wanted.get("allowed_access_ips")
        # The list is compared and sent as a set: the limit of 5 counts distinct addresses.
        if found is not None and (
            len(set(found)) > 5 or any(ip in ("256.0.0.1", "10.0.0.0/8", "host.example", "") for ip in found)
        ):
            return True
    for config in request.get("hooks", {}).get("container_hooks", {}).values():
        script = config["script"]
        if not script:
            return True
        if config["type"] == "SCRIPT" and not script.startswith("/"):
            return True
        if config["type"] == "COMMAND":
            try:
                base64.b64decode(script.encode("ascii"), validate=True)
            except (ValueError, UnicodeEncodeError):
                return True
    return False


@SETTINGS
@given(requests_for_a_stopped_instance())
def test_invalid_input_sends_nothing_and_valid_input_sends_only_valid_content(service, request):
    nb = service.add_notebook(
        name="props-nb",
        capacity=20,
        endpoints=[{"dev_service": "NOTEBOOK"}, {"dev_service": "SSH", "allowed_access_ips": ["203.0.113.1"]}],
    )
    result = run(service, id=nb["id"], **request)
    sent = requests_for(service, nb["id"])
    if _rule_broken(request):
        assert result.get("failed") and result["msg"] and sent == [], (request, result.get("msg"))
        return
    for record in sent:
        assert record.status < 400 or (record.response or {}).get("error_code") not in INVALID_CONTENT, (
            request,
            record.response,
        )
    assert [r.method for r in sent if r.method != "GET"] in ([], ["PUT"])
    if result.get("failed"):
        assert "storage_size cannot shrink" in result["msg"] and request["storage_size"] < 20
        assert [r.method for r in sent] == ["GET"]
        return
    if not request.get("force_update_hooks"):
        again = run(service, id=nb["id"], **request)
        assert again["changed"] is False and [r.method for r in requests_for(service, nb["id"])][len(sent) :] == ["GET"]
