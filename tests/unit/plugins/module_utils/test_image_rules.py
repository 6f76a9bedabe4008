# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The pure rules of custom images: names, identity, bodies and the plan."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import RuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_rules import (
    Identity,
    Plan,
    Refusal,
    SwrPath,
    current,
    identity,
    label,
    matches,
    parse_swr_path,
    plan,
    register_body,
    requested,
    save_body,
    summary,
    unsavable,
    validate,
)

SWR = "swr.cn-north-4.myhuaweicloud.com"


def params(**given):
    base = {"state": "present", "wait": True, "wait_timeout": 1800}
    base.update(given)
    return base


@pytest.mark.parametrize("name", ["a", "9", "pytorch-team", "py_3.10", "a" * 128, "a.b-c_d9"])
def test_valid_names(name):
    validate(params(name=name, namespace="team", tag="v1"))


@pytest.mark.parametrize("name", ["", "Upper", "-lead", "trail-", "trail.", "_lead", "a" * 129, "sp ace", "a/b", "é"])
def test_invalid_names(name):
    with pytest.raises(RuleError, match=r"^name must be 1 to 128 lowercase letters"):
        validate(params(name=name, namespace="team", tag="v1"))


@pytest.mark.parametrize("namespace", ["t", "team-A", "team_a.b", "t" * 64])
def test_valid_namespaces(namespace):
    validate(params(name="x", namespace=namespace, tag="v1"))


@pytest.mark.parametrize("namespace", ["", "Team", "9team", "-team", "t" * 65, "te am"])
def test_invalid_namespaces(namespace):
    with pytest.raises(RuleError, match=r"^namespace must be 1 to 64 letters.*starting with a lowercase letter"):
        validate(params(name="x", namespace=namespace, tag="v1"))


@pytest.mark.parametrize("tag", ["v1", "V1.0", "2024.06", "-x_", "t" * 64])
def test_valid_tags(tag):
    validate(params(name="x", namespace="team", tag=tag))


@pytest.mark.parametrize("tag", ["", "t" * 65, "v 1", "v:1", "v/1"])
def test_invalid_tags(tag):
    with pytest.raises(RuleError, match=r"^tag must be 1 to 64 letters"):
        validate(params(name="x", namespace="team", tag=tag))


def test_description_and_wait_timeout():
    validate(params(description="d" * 512))
    with pytest.raises(RuleError, match=r"^description must be at most 512 characters \(got 513\)$"):
        validate(params(description="d" * 513))
    with pytest.raises(RuleError, match=r"^wait_timeout must be 0 or more seconds \(got -1\)$"):
        validate(params(wait_timeout=-1))
    validate(params(wait_timeout=0))


def test_every_problem_is_named_at_once():
    with pytest.raises(RuleError) as caught:
        validate(params(name="Bad", namespace="9", tag="v 1", description="d" * 600))
    message = caught.value.message
    assert [part.split(" ")[0] for part in message.split("; ")] == ["name", "namespace", "tag", "description"]


def test_register_options_are_refused_with_a_notebook():
    with pytest.raises(RuleError) as caught:
        validate(params(notebook="nb", name="x", namespace="team", tag="v1", arch="AARCH64", services=["SSH"]))
    assert caught.value.message == (
        "arch, services describe a registered image (swr_path); a saved image takes them from the notebook"
    )
    with pytest.raises(RuleError, match=r"^visibility describes a registered image"):
        validate(params(notebook="nb", name="x", namespace="team", tag="v1", visibility="PUBLIC"))
    # Ignored with state=absent, as every option that describes a new image.
    validate(params(state="absent", notebook="nb", name="x", namespace="team", tag="v1", arch="AARCH64"))
    validate(params(swr_path="%s/team/x:1" % SWR, arch="AARCH64", services=["SSH"]))


@pytest.mark.parametrize(
    "path,parsed",
    [
        ("%s/team/x:1" % SWR, SwrPath(SWR, "team", "x", "1")),
        ("registry.local:5000/team/x:v1.0", SwrPath("registry.local:5000", "team", "x", "v1.0")),
        ("%s/team/group/x:1" % SWR, SwrPath(SWR, "team", "group/x", "1")),
    ],
)
def test_swr_paths(path, parsed):
    assert parse_swr_path(path) == parsed
    validate(params(swr_path=path))


@pytest.mark.parametrize(
    "path",
    [
        "%s/team/x" % SWR,
        "%s/team/x:" % SWR,
        "%s/team/:1" % SWR,
        "team/x:1",
        "%s//x:1" % SWR,
        "%s/team/x:1 " % SWR,
        "a/b/c:1",
        "%s/team/%s:1" % (SWR, "x" * 2040),
    ],
)
def test_bad_swr_paths(path):
    with pytest.raises(RuleError, match=r"^swr_path must be registry/namespace/name:tag, 16 to 2048 characters"):
        validate(params(swr_path=path))


def test_the_parts_of_an_swr_path_follow_the_name_rules():
    with pytest.raises(RuleError) as caught:
        validate(params(swr_path="%s/Team/X:v!1" % SWR))
    assert [part.split(" must")[0] for part in caught.value.message.split("; ")] == [
        "the namespace of swr_path",
        "the name of swr_path",
        "the tag of swr_path",
    ]


def test_identity_and_label():
    assert identity(params(namespace="team", name="x", tag="v1")) == Identity("team", "x", "v1", None)
    path = "%s/team/x:v1" % SWR
    assert identity(params(swr_path=path)) == Identity("team", "x", "v1", path)
    assert identity(params(id="abc")) is None
    assert label(Identity("team", "x", "v1", None)) == "team/x:v1"
    assert label(Identity("team", "x", "v1", path)) == path


def test_matches_by_path_or_by_namespace_name_and_tag():
    ident = Identity("team", "x", "v1", "%s/team/x:v1" % SWR)
    assert matches({"namespace": "team", "name": "x", "tag": "v1", "swr_path": "other"}, ident)
    assert matches({"namespace": "t2", "name": "y", "tag": "v2", "swr_path": ident.swr_path}, ident)
    assert not matches({"namespace": "team", "name": "x", "tag": "v2", "swr_path": "other"}, ident)
    plain = Identity("team", "x", "v1", None)
    assert not matches({"namespace": "team", "name": "x", "tag": "v2", "swr_path": None}, plain)


def test_an_image_being_deleted_counts_only_alone():
    deleted, active = {"id": "d", "status": "DELETED"}, {"id": "a", "status": "ACTIVE"}
    assert current([deleted, active]) == [active]
    assert current([deleted]) == [deleted]
    assert current([]) == []


def test_save_body_holds_only_what_is_given():
    assert save_body(params(namespace="team", name="x", tag="v1")) == {"namespace": "team", "name": "x", "tag": "v1"}
    assert save_body(params(namespace="team", name="x", tag="v1", description="", workspace_id="w" * 32)) == {
        "namespace": "team",
        "name": "x",
        "tag": "v1",
        "description": "",
        "workspace_id": "w" * 32,
    }


def test_register_body_spells_the_categories_as_the_sdk():
    path = "%s/team/x:v1" % SWR
    assert register_body(params(swr_path=path)) == {"swr_path": path, "arch": "X86_64"}
    full = register_body(
        params(
            swr_path=path,
            arch="AARCH64",
            resource_categories=["GPU", "ASCEND"],
            services=["SSH"],
            service_type="DEV",
            visibility="PUBLIC",
            description="built in CI",
            workspace_id="0",
        )
    )
    assert full == {
        "swr_path": path,
        "arch": "AARCH64",
        "resource_category": ["GPU", "ASCEND"],
        "services": ["SSH"],
        "service_type": "DEV",
        "visibility": "PUBLIC",
        "description": "built in CI",
        "workspace_id": "0",
    }


def test_requested_is_what_the_image_will_show():
    save = params(namespace="team", name="x", tag="v1", description="d", notebook="nb")
    assert requested(save, identity(save)) == {"namespace": "team", "name": "x", "tag": "v1", "description": "d"}
    path = "%s/team/x:v1" % SWR
    register = params(swr_path=path, services=["SSH"], resource_categories=["CPU"])
    assert requested(register, identity(register)) == {
        "namespace": "team",
        "name": "x",
        "tag": "v1",
        "swr_path": path,
        "arch": "X86_64",
        "dev_services": ["SSH"],
        "resource_categories": ["CPU"],
    }


def test_summary():
    image = {"id": "i", "namespace": "n", "name": "x", "tag": "t", "swr_path": "p", "status": "ACTIVE", "size": 1}
    assert summary(image) == {k: image[k] for k in ("id", "namespace", "name", "tag", "swr_path", "status")}


def test_only_a_running_notebook_is_saved():
    assert unsavable({"id": "n1", "name": "tpl", "status": "RUNNING"}) is None
    for status in ("STOPPED", "STARTING", "SNAPSHOTTING", "ERROR"):
        message = unsavable({"id": "n1", "name": "tpl", "status": status})
        assert message.startswith("notebook instance n1 (tpl) is %s: only a RUNNING notebook can be saved" % status)
        assert "state=running" in message


def image(status, message=""):
    return {"id": "i1", "status": status, "status_message": message}


@pytest.mark.parametrize(
    "found,source,wait,expected",
    [
        (None, "notebook", True, Plan(("save",), None)),
        (None, "swr_path", False, Plan(("register",), None)),
        (image("DELETED"), "notebook", True, Plan(("save",), None)),
        (image("ACTIVE"), "notebook", True, Plan((), None)),
        (image("ACTIVE"), None, True, Plan((), None)),
        (image("INIT"), "notebook", True, Plan((), "ready")),
        (image("CREATING"), "swr_path", True, Plan((), "ready")),
        (image("CREATING"), "swr_path", False, Plan((), None)),
        (image("QUEUING"), None, True, Plan((), "ready")),
    ],
)
def test_plan_present(found, source, wait, expected):
    assert plan("present", found, source, wait, "team/x:v1") == expected


@pytest.mark.parametrize("status", ["CREATE_FAILED", "ERROR"])
@pytest.mark.parametrize("source", ["notebook", "swr_path", None])
def test_a_failed_image_is_never_made_again(status, source):
    refusal = plan("present", image(status, "disk full"), source, True, "team/x:v1")
    assert refusal == Refusal(
        "image i1 (team/x:v1) is %s (status_message: disk full): an image is never saved or registered again; "
        "remove it with state=absent, then run the task again" % status
    )


def test_a_missing_image_without_a_source_is_refused():
    assert plan("present", None, None, True, "team/x:v1") == Refusal(
        "no image team/x:v1 exists: give notebook to save one from a notebook, or swr_path to register one"
    )


@pytest.mark.parametrize(
    "found,wait,expected",
    [
        (None, True, Plan((), None)),
        (image("DELETED"), True, Plan((), None)),
        (image("ACTIVE"), True, Plan(("delete",), None)),
        (image("CREATE_FAILED"), True, Plan(("delete",), None)),
        (image("ERROR"), False, Plan(("delete",), None)),
        (image("INIT"), True, Plan(("delete",), "settled")),
        (image("CREATING"), False, Plan(("delete",), None)),
    ],
)
def test_plan_absent(found, wait, expected):
    assert plan("absent", found, None, wait, "team/x:v1") == expected
