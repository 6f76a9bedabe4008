# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import (
    RuleError,
    check_create_only,
    compare,
    create_body,
    update_body,
    validate,
    without_token,
)

LIVE = {
    "id": "nb-1",
    "name": "team-a",
    "description": "",
    "flavor": "modelarts.vm.cpu.2u",
    "status": "STOPPED",
    "token": "secret",
    "image": {"id": "img-1", "name": "pytorch"},
    "volume": {"category": "EVS", "capacity": 5},
    "endpoints": [
        {"service": "NOTEBOOK", "uri": "https://x"},
        {
            "dev_service": "SSH",
            "service": "SSH",
            "allowed_access_ips": ["1.1.1.1", "2.2.2.2"],
            "ssh_keys": ["k1"],
            "uri": "ssh://y",
        },
    ],
}


def hook(kind, script):
    return {"container_hooks": {"post_start": {"type": kind, "script": script}}}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"name": ""}, "name must be 1 to 128 characters"),
        ({"name": "a" * 129}, "name must be 1 to 128 characters"),
        ({"name": "bad name"}, "name must be 1 to 128 characters"),
        ({"name": "caf\u00e9"}, "name must be 1 to 128 characters"),
        ({"description": "x" * 513}, "description must be at most 512 characters (got 513)"),
        ({"description": "a/b"}, 'description must not contain any of & < > " / (found /)'),
        ({"description": '<&>"'}, '(found " & < >)'),
        ({"storage_size": 0}, "storage_size must be between 1 and 4096 GB (got 0)"),
        ({"storage_size": 4097}, "storage_size must be between 1 and 4096 GB (got 4097)"),
        ({"endpoints": [{"dev_service": "HTTP"}]}, "endpoints[0].dev_service must be one of NOTEBOOK, SSH"),
        (
            {"endpoints": [{"dev_service": "SSH"}, {"dev_service": "SSH"}]},
            "endpoints[1].dev_service SSH is given twice",
        ),
        (
            {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["1.1.1.%d" % i for i in range(6)]}]},
            "endpoints[0].allowed_access_ips takes at most 5 addresses (got 6)",
        ),
        (
            {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["1.1.1.300"]}]},
            "endpoints[0].allowed_access_ips must hold IP addresses",
        ),
        ({"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["10.0.0.0/8"]}]}, "must hold IP addresses"),
        (
            {"hooks": hook("COMMAND", "not base64!")},
            "hooks.container_hooks.post_start.script must be base64-encoded when type is COMMAND",
        ),
        (
            {"hooks": hook("SCRIPT", "relative/run.sh")},
            "hooks.container_hooks.post_start.script must be an absolute path when type is SCRIPT",
        ),
        ({"hooks": hook("SHELL", "/x")}, "hooks.container_hooks.post_start.type must be COMMAND or SCRIPT"),
        ({"force_update_hooks": True}, "force_update_hooks needs hooks"),
    ],
)
def test_each_rule_names_the_option_and_the_rule(params, message):
    with pytest.raises(RuleError) as caught:
        validate(params)
    assert message in str(caught.value)


def test_all_broken_rules_are_reported_together():
    with pytest.raises(RuleError) as caught:
        validate({"name": "a b", "storage_size": 0})
    assert "name must be" in str(caught.value) and "storage_size must be" in str(caught.value)


@pytest.mark.parametrize(
    "params",
    [
        {"name": "a"},
        {"name": "A-b_9" * 25 + "xyz"},
        {"description": ""},
        {"description": "x" * 512},
        {"storage_size": 1},
        {"storage_size": 4096},
        {
            "endpoints": [
                {"dev_service": "SSH", "allowed_access_ips": ["1.1.1.%d" % i for i in range(5)]},
                {"dev_service": "NOTEBOOK"},
            ]
        },
        {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["2001:db8::1"]}]},
        {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["1.1.1.%d" % (i % 5) for i in range(8)]}]},
        {"hooks": hook("COMMAND", base64.b64encode(b"echo hi").decode())},
        {"hooks": hook("SCRIPT", "/home/ma-user/run.sh")},
        {"hooks": {"container_hooks": {"pre_start": {"script": "/a.sh"}}}, "force_update_hooks": True},
    ],
)
def test_valid_requests_pass(params):
    validate(params)


def test_matching_instance_has_no_change():
    params = {
        "name": "team-a",
        "description": "",
        "flavor": "modelarts.vm.cpu.2u",
        "image_id": "img-1",
        "storage_size": 5,
        "endpoints": [
            {"dev_service": "SSH", "allowed_access_ips": ["2.2.2.2", "1.1.1.1", "1.1.1.1"], "ssh_keys": ["k1"]}
        ],
    }
    before, after, changed = compare(LIVE, params)
    assert changed == ()
    assert before == after


def test_only_given_fields_are_compared_and_sent():
    before, after, changed = compare(LIVE, {"flavor": "modelarts.vm.cpu.8u", "name": "team-a"})
    assert changed == ("flavor",)
    assert set(before) == set(after) == {"name", "flavor"}
    assert update_body(LIVE, {"flavor": "modelarts.vm.cpu.8u", "name": "team-a"}, changed, send_hooks=False) == {
        "flavor": "modelarts.vm.cpu.8u"
    }


def test_image_is_compared_with_image_id():
    changed = compare(LIVE, {"image_id": "img-2"}).changed
    assert changed == ("image_id",)
    assert update_body(LIVE, {"image_id": "img-2"}, changed, False) == {"image_id": "img-2"}


def test_missing_description_equals_empty():
    assert compare(dict(LIVE, description=None), {"description": ""}).changed == ()


def test_storage_expands_and_never_shrinks():
    changed = compare(LIVE, {"storage_size": 50}).changed
    assert update_body(LIVE, {"storage_size": 50}, changed, False) == {"storage_new_size": 50}
    with pytest.raises(
        RuleError, match="storage_size cannot shrink a disk: the instance has 5 GB, storage_size asks for 4 GB"
    ):
        compare(LIVE, {"storage_size": 4})


def test_endpoints_match_by_service_and_compare_only_given_keys():
    # ssh_keys not given: the live key list is not compared.
    assert (
        compare(
            LIVE,
            {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["1.1.1.1", "2.2.2.2"], "ssh_keys": None}]},
        ).changed
        == ()
    )
    params = {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["3.3.3.3"], "ssh_keys": None}]}
    before, after, changed = compare(LIVE, params)
    assert changed == ("endpoints",)
    assert before["endpoints"] == [{"dev_service": "SSH", "allowed_access_ips": ["1.1.1.1", "2.2.2.2"]}]
    assert after["endpoints"] == [{"dev_service": "SSH", "allowed_access_ips": ["3.3.3.3"]}]
    # The update keeps what it did not touch: the NOTEBOOK endpoint and the SSH keys.
    assert update_body(LIVE, params, changed, False) == {
        "endpoints": [
            {"dev_service": "NOTEBOOK"},
            {"dev_service": "SSH", "allowed_access_ips": ["3.3.3.3"], "ssh_keys": ["k1"]},
        ]
    }


def test_empty_ip_list_matches_an_endpoint_without_restriction():
    assert compare(LIVE, {"endpoints": [{"dev_service": "NOTEBOOK", "allowed_access_ips": []}]}).changed == ()


def test_a_service_not_yet_there_is_a_change():
    live = dict(LIVE, endpoints=[{"service": "NOTEBOOK"}])
    params = {"endpoints": [{"dev_service": "SSH", "ssh_keys": ["k2"]}]}
    changed = compare(live, params).changed
    assert changed == ("endpoints",)
    assert update_body(live, params, changed, False)["endpoints"] == [
        {"dev_service": "NOTEBOOK"},
        {"dev_service": "SSH", "ssh_keys": ["k2"]},
    ]


def test_hooks_are_sent_only_when_asked():
    hooks = {"container_hooks": {"pre_start": {"script": "/a.sh", "type": None}, "post_start": None}}
    params = {"flavor": "f2", "hooks": hooks}
    assert "hooks" not in update_body(LIVE, params, ["flavor"], send_hooks=False)
    assert update_body(LIVE, params, ["flavor"], send_hooks=True)["hooks"] == {
        "container_hooks": {"pre_start": {"script": "/a.sh", "type": "SCRIPT"}}
    }


def test_token_is_removed_without_touching_the_original():
    public = without_token(LIVE)
    assert "token" not in public and LIVE["token"] == "secret"
    public["image"]["id"] = "changed"
    assert LIVE["image"]["id"] == "img-1"


# The seed spells an endpoint dev_service + ssh_keys; the SDK's EndpointsRes and Huawei's Terraform provider
# service + key_pair_names. An answer may use either, or both.
SPELLED = {
    "seed": {"dev_service": "SSH", "allowed_access_ips": ["1.1.1.1"], "ssh_keys": ["k1", "k2"]},
    "sdk": {"service": "SSH", "allowed_access_ips": ["1.1.1.1"], "key_pair_names": ["k1", "k2"]},
    "both": {
        "dev_service": "SSH",
        "service": "SSH",
        "allowed_access_ips": ["1.1.1.1"],
        "ssh_keys": ["k1", "k2"],
        "key_pair_names": ["k1", "k2"],
    },
}


@pytest.mark.parametrize("spelling", sorted(SPELLED))
def test_key_pairs_are_read_in_either_spelling(spelling):
    live = dict(LIVE, endpoints=[{"service": "NOTEBOOK"}, SPELLED[spelling]])
    same = {"endpoints": [{"dev_service": "SSH", "ssh_keys": ["k2", "k1"], "allowed_access_ips": ["1.1.1.1"]}]}
    assert compare(live, same).changed == ()
    other = {"endpoints": [{"dev_service": "SSH", "ssh_keys": ["k3"]}]}
    comparison = compare(live, other)
    assert comparison.changed == ("endpoints",)
    assert comparison.before == {"endpoints": [{"dev_service": "SSH", "ssh_keys": ["k1", "k2"]}]}
    # The update is written as the seed documents it, the live settings not asked for sent back unchanged.
    assert update_body(live, other, comparison.changed, False) == {
        "endpoints": [
            {"dev_service": "NOTEBOOK"},
            {"dev_service": "SSH", "allowed_access_ips": ["1.1.1.1"], "ssh_keys": ["k3"]},
        ]
    }


def test_create_body_holds_the_requested_fields_the_volume_and_no_auto_stop_by_default():
    params = {
        "name": "nb",
        "flavor": "f",
        "image_id": "i",
        "storage_size": 20,
        "description": "d",
        "endpoints": [{"dev_service": "SSH", "ssh_keys": ["k2", "k1"], "allowed_access_ips": None}],
        "hooks": hook("SCRIPT", "/a.sh"),
        "workspace_id": "w" * 32,
        "pool_id": "pool-1",
    }
    assert create_body(params) == {
        "name": "nb",
        "flavor": "f",
        "image_id": "i",
        "feature": "NOTEBOOK",
        "description": "d",
        "endpoints": [{"dev_service": "SSH", "ssh_keys": ["k1", "k2"]}],
        "hooks": {"container_hooks": {"post_start": {"type": "SCRIPT", "script": "/a.sh"}}},
        "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 20},
        "workspace_id": "w" * 32,
        "pool_id": "pool-1",
        "duration": -1,
    }


def test_create_body_with_a_dedicated_efs_and_auto_stop():
    volume = {"category": "EFS", "ownership": "DEDICATED", "id": "efs-1", "uri": "192.0.2.1:/share"}
    params = {
        "name": "nb",
        "flavor": "f",
        "image_id": "i",
        "volume": volume,
        "auto_stop": {"enabled": True, "hours": 2, "type": "TIMING"},
    }
    body = create_body(params)
    assert body["volume"] == {"category": "EFS", "ownership": "DEDICATED", "id": "efs-1", "uri": "192.0.2.1:/share"}
    assert body["lease"] == {"duration": 7200000, "type": "TIMING"} and "duration" not in body


@pytest.mark.parametrize(
    "volume, problem",
    [
        ({"category": "EVS", "ownership": "DEDICATED"}, "volume.ownership DEDICATED needs volume.category EFS"),
        ({"category": "EFS", "id": "efs-1"}, "volume.id names a dedicated EFS file system"),
        ({"uri": "192.0.2.1:/share"}, "volume.uri names a dedicated EFS file system"),
    ],
)
def test_volume_rules(volume, problem):
    with pytest.raises(RuleError, match=problem):
        validate({"volume": volume})


def test_create_only_options_are_compared_where_given():
    live = dict(LIVE, workspace_id="0", pool={"id": "pool-1", "name": "p"})
    check_create_only(
        live, {"volume": {"category": "EVS", "ownership": None}, "workspace_id": "0", "pool_id": "pool-1"}
    )
    with pytest.raises(RuleError) as caught:
        check_create_only(live, {"volume": {"category": "EFS"}, "workspace_id": "w" * 32, "pool_id": "pool-2"})
    message = str(caught.value)
    assert (
        "volume.category cannot be changed after creation: the instance has 'EVS', volume.category asks for 'EFS'"
        in message
    )
    assert (
        "workspace_id cannot be changed after creation" in message
        and "pool_id cannot be changed after creation" in message
    )


@pytest.mark.parametrize(
    "name, ok", [("团队-notebook_1", True), ("a" * 128, True), ("a" * 129, False), ("a b", False), ("a.b", False)]
)
def test_names_take_letters_digits_dash_underscore_and_chinese_characters(name, ok):
    if ok:
        validate({"name": name})
    else:
        with pytest.raises(RuleError, match="name must be 1 to 128 characters"):
            validate({"name": name})
