# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules of storage mounts: input, comparison with the storage list, and the plan of attaches and detaches."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _mount_rules as rules
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import RuleError


def wanted(path, uri, category="OBS", efs_id=None):
    return {"mount_path": path, "uri": uri, "category": category, "efs_id": efs_id}


def live(path, uri, category="OBS", status="MOUNTED", mount_type="DYNAMIC", mount_id=None):
    return {
        "id": mount_id or "id-" + path.strip("/").replace("/", "-"),
        "mount_path": path,
        "uri": uri,
        "category": category,
        "status": status,
        "mount_type": mount_type,
    }


DATA = wanted("/data/datasets/", "obs://team-data/datasets/")
OUT = wanted("/data/output/", "obs://team-output/", "OBSFS")


def actions(steps):
    return [(step.action, step.mount["mount_path"]) for step in steps]


# ---- input rules -------------------------------------------------------------------------------------------
def test_valid_mounts_pass():
    rules.validate([DATA, OUT, wanted("/data/turbo", "192.168.0.10:/", "EFS", "efs-1")])


@pytest.mark.parametrize(
    "mount, message",
    [
        (wanted("/home/ma-user/x", "obs://b-1/x"), "mounts[0].mount_path must be an absolute path under /data/"),
        (wanted("data/x", "obs://b-1/x"), "mounts[0].mount_path must be an absolute path under /data/"),
        (wanted("/data/", "obs://b-1/x"), "mounts[0].mount_path must be an absolute path under /data/"),
        (wanted("/data/" + "x" * 251, "obs://b-1/x"), "mounts[0].mount_path must be at most 256 characters (got 257)"),
        (wanted("/data/x", "obs://b-1/" + "x" * 247), "mounts[0].uri must be at most 256 characters (got 257)"),
        (wanted("/data/x", "s3://bucket/x"), "mounts[0].uri of an OBS mount must look like obs://bucket/path/"),
        (wanted("/data/x", "obs://Bucket/x", "OBSFS"), "mounts[0].uri of an OBSFS mount must look like obs://"),
        (wanted("/data/x", "obs://ab"), "must look like obs://bucket/path/"),
        (wanted("/data/x", ""), "mounts[0].uri must not be empty"),
        (wanted("/data/x", "10.0.0.1:/", "EFS"), "mounts[0].efs_id is required with category EFS"),
        (wanted("/data/x", "obs://b-1/x", "OBS", "efs-1"), "mounts[0].efs_id is only for category EFS"),
    ],
)
def test_each_broken_rule_is_named(mount, message):
    with pytest.raises(RuleError) as caught:
        rules.validate([mount])
    assert message in caught.value.message


def test_a_path_given_twice_with_or_without_its_slash_is_refused():
    with pytest.raises(RuleError, match=r"mounts\[1\].mount_path /data/datasets is also mounts\[0\].mount_path"):
        rules.validate([DATA, wanted("/data/datasets", "obs://other/")])


def test_at_most_ten_mounts():
    rules.validate([wanted("/data/m%d" % i, "obs://bucket-%d/" % i) for i in range(10)])
    with pytest.raises(RuleError, match="mounts takes at most 10 mounts .got 11."):
        rules.validate([wanted("/data/m%d" % i, "obs://bucket-%d/" % i) for i in range(11)])


def test_every_problem_is_reported_at_once():
    with pytest.raises(RuleError) as caught:
        rules.validate([wanted("/tmp/x", "s3://x"), wanted("/data/y", "10.0.0.1:/", "EFS")])
    assert caught.value.message.count(";") == 2


# ---- the plan -----------------------------------------------------------------------------------------------
def test_missing_mounts_are_attached_in_the_order_given():
    assert actions(rules.plan([], [DATA, OUT], purge=True)) == [
        ("attach", "/data/datasets/"),
        ("attach", "/data/output/"),
    ]


def test_mounts_in_place_cost_nothing_whatever_the_slashes_and_obs_reported_as_obsfs():
    storage = [live("/data/datasets", "obs://team-data/datasets", "OBSFS"), live("/data/output", "obs://team-output")]
    assert rules.plan(storage, [DATA, OUT], purge=True) == []
    assert rules.before(storage) == rules.after(storage, [DATA, OUT], purge=True)


def test_another_uri_or_category_or_a_failed_mount_is_detached_then_attached():
    storage = [
        live("/data/datasets/", "obs://old-data/"),
        live("/data/output/", "obs://team-output/", status="MOUNT_FAILED"),
        live("/data/turbo/", "obs://x-x/", "OBS"),
    ]
    turbo = wanted("/data/turbo/", "obs://x-x/", "EFS", "efs-1")
    assert actions(rules.plan(storage, [DATA, OUT, turbo], purge=False)) == [
        ("detach", "/data/datasets/"),
        ("attach", "/data/datasets/"),
        ("detach", "/data/output/"),
        ("attach", "/data/output/"),
        ("detach", "/data/turbo/"),
        ("attach", "/data/turbo/"),
    ]


def test_purge_detaches_unrequested_dynamic_mounts_first_and_never_a_static_one():
    storage = [
        live("/data/old/", "obs://old-1/"),
        live("/data/static/", "obs://made-at-creation/", mount_type="STATIC"),
        live("/data/leaving/", "obs://gone-1/", status="UNMOUNTING"),
        live("/data/stuck/", "obs://stuck-1/", status="UNMOUNT_FAILED"),
    ]
    assert actions(rules.plan(storage, [DATA], purge=True)) == [
        ("detach", "/data/old/"),
        ("detach", "/data/stuck/"),
        ("attach", "/data/datasets/"),
    ]
    assert actions(rules.plan(storage, [DATA], purge=False)) == [("attach", "/data/datasets/")]
    assert actions(rules.plan(storage, [], purge=True)) == [("detach", "/data/old/"), ("detach", "/data/stuck/")]


def test_a_static_mount_counts_as_present_and_cannot_be_replaced():
    storage = [live("/data/static/", "obs://made-at-creation/", mount_type="STATIC")]
    assert rules.plan(storage, [wanted("/data/static", "obs://made-at-creation")], purge=True) == []
    with pytest.raises(RuleError, match="/data/static/ is a mount made at the notebook's creation .obs://made-at"):
        rules.plan(storage, [wanted("/data/static/", "obs://other-1/")], purge=True)


def test_a_mount_still_unmounting_on_a_requested_path_is_attached_anew():
    storage = [live("/data/datasets/", "obs://team-data/datasets/", status="UNMOUNTING")]
    assert actions(rules.plan(storage, [DATA], purge=True)) == [("attach", "/data/datasets/")]


def test_the_diff_lists_mounts_sorted_before_and_after():
    storage = [live("/data/z/", "obs://zz-1/"), live("/data/datasets/", "obs://old-data/")]
    assert rules.before(storage) == [
        {"mount_path": "/data/datasets/", "uri": "obs://old-data/", "category": "OBS"},
        {"mount_path": "/data/z/", "uri": "obs://zz-1/", "category": "OBS"},
    ]
    assert rules.after(storage, [OUT, DATA], purge=True) == [
        {"mount_path": "/data/datasets/", "uri": "obs://team-data/datasets/", "category": "OBS"},
        {"mount_path": "/data/output/", "uri": "obs://team-output/", "category": "OBSFS"},
    ]
    assert [m["mount_path"] for m in rules.after(storage, [OUT], purge=False)] == [
        "/data/datasets/",
        "/data/output/",
        "/data/z/",
    ]


def test_the_attach_body_is_the_data_volumes_request():
    assert rules.attach_body(DATA) == {
        "category": "OBS",
        "mount_path": "/data/datasets/",
        "uri": "obs://team-data/datasets/",
    }
    assert rules.attach_body(wanted("/data/t", "10.0.0.1:/", "EFS", "efs-1"))["efs_id"] == "efs-1"


def test_holds_recognises_an_applied_attach_and_nothing_else():
    assert rules.holds(live("/data/datasets", "obs://team-data/datasets", "OBSFS", status="MOUNTING"), DATA)
    assert not rules.holds(live("/data/datasets", "obs://other-1/"), DATA)
    assert not rules.holds(live("/data/datasets", "obs://team-data/datasets/", status="UNMOUNTING"), DATA)
    assert not rules.holds(None, DATA)
