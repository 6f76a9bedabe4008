# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The workspace's rules, pure: input checks, comparison, create-only fields, request bodies."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import RuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._workspace_rules import (
    check_create_only,
    check_grants_apply,
    compare,
    create_body,
    grants_equal,
    requested,
    update_body,
    validate,
)

# As the service answers a read by id: auth_type in lower case, each grant with its id, name and type.
LIVE = {
    "id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "name": "team-a",
    "description": "Team A",
    "auth_type": "internal",
    "enterprise_project_id": "0",
    "status": "NORMAL",
    "grants": [
        {"user_id": "u1", "user_name": "alice", "user_type": "IAM"},
        {"user_id": "u2", "user_name": "bob", "user_type": "IAM"},
    ],
}


def params(**given):
    base = {"id": None, "name": None, "state": "present", "wait_timeout": 600}
    base.update(given)
    return base


@pytest.mark.parametrize(
    "given, message",
    [
        ({"name": "abc"}, "name must be 4 to 64 characters"),
        ({"name": "a" * 65}, "name must be 4 to 64 characters"),
        ({"name": "team a"}, "name must be 4 to 64 characters"),
        ({"name": "team.a"}, "name must be 4 to 64 characters"),
        ({"name": "default"}, "name 'default' is reserved for the default workspace"),
        ({"name": "default", "state": "absent"}, "name 'default' is reserved"),
        ({"id": "0", "name": "team-a"}, "the default workspace (id '0') cannot be renamed (got name 'team-a')"),
        ({"id": "0", "state": "absent"}, "the default workspace (id '0') cannot be deleted"),
        ({"description": "x" * 257}, "description must be at most 256 characters (got 257)"),
        ({"grants": [{"user_type": "IAM"}]}, "grants[0] must give user_id or user_name"),
        ({"grants": [{"user_name": "u%d" % n} for n in range(501)]}, "grants must hold at most 500 users (got 501)"),
        (
            {"grants": [{"user_name": "alice"}], "auth_type": "PUBLIC"},
            "grants apply only with auth_type INTERNAL (got auth_type PUBLIC)",
        ),
        ({"wait_timeout": -1}, "wait_timeout must be 0 or more seconds, got -1"),
    ],
)
def test_each_rule_is_checked_before_any_request(given, message):
    with pytest.raises(RuleError) as raised:
        validate(params(**given))
    assert message in raised.value.message


@pytest.mark.parametrize(
    "given",
    [
        {"name": "team"},
        {"name": "a" * 64},
        {"name": "team_A-01"},
        {"name": "\u56e2\u961f\u7a7a\u95f4"},
        {"id": "0", "name": "default", "description": "the default one"},
        {"id": "0", "auth_type": "INTERNAL", "grants": [{"user_id": "u1"}]},
        {"name": "team-a", "description": "x" * 256, "grants": []},
        {"name": "team-a", "grants": [{"user_name": "alice"}], "auth_type": "INTERNAL"},
        {"name": "team-a", "grants": [], "auth_type": "PUBLIC"},
    ],
)
def test_valid_input_passes(given):
    validate(params(**given))


def test_every_broken_rule_is_named_at_once():
    with pytest.raises(RuleError) as raised:
        validate(params(name="ab", description="x" * 300, wait_timeout=-5))
    assert raised.value.message.count(";") == 2


def test_auth_type_compares_without_regard_to_case():
    assert compare(LIVE, params(auth_type="INTERNAL")).changed == []
    assert compare(dict(LIVE, auth_type="INTERNAL"), params(auth_type="INTERNAL")).changed == []
    differs = compare(LIVE, params(auth_type="PRIVATE"))
    assert differs.changed == ["auth_type"]
    assert differs.before == {"auth_type": "INTERNAL"} and differs.after == {"auth_type": "PRIVATE"}


def test_a_workspace_without_auth_type_is_public():
    assert compare({"id": "x"}, params(auth_type="PUBLIC")).changed == []


@pytest.mark.parametrize(
    "wanted",
    [
        [{"user_id": "u1"}, {"user_id": "u2"}],
        [{"user_name": "bob"}, {"user_name": "alice"}],
        [{"user_id": "u1"}, {"user_name": "bob", "user_type": "IAM"}],
        [{"user_id": "u1"}, {"user_id": "u2"}, {"user_id": "u1"}],
        # user_id decides when both are given: the name is the service's to report.
        [{"user_id": "u1", "user_name": "renamed"}, {"user_id": "u2"}],
    ],
)
def test_grants_compare_as_a_set_by_user_id_else_user_name(wanted):
    assert grants_equal(LIVE["grants"], wanted)
    assert compare(LIVE, params(grants=wanted)).changed == []


@pytest.mark.parametrize(
    "wanted",
    [
        [{"user_id": "u1"}],
        [{"user_id": "u1"}, {"user_id": "u2"}, {"user_id": "u3"}],
        [{"user_name": "alice"}, {"user_name": "carol"}],
        [{"user_id": "alice"}, {"user_id": "bob"}],
        [{"user_id": "u1"}, {"user_id": "u2", "user_type": "FEDERATE"}],
        [],
    ],
)
def test_grants_that_differ(wanted):
    assert not grants_equal(LIVE["grants"], wanted)
    comparison = compare(LIVE, params(grants=wanted))
    assert comparison.changed == ["grants"]
    assert comparison.before["grants"] == [
        {"user_id": "u1", "user_name": "alice", "user_type": "IAM"},
        {"user_id": "u2", "user_name": "bob", "user_type": "IAM"},
    ]


def test_no_grants_asked_and_none_granted_are_equal():
    assert grants_equal([], []) and compare({"id": "x"}, params(grants=[])).changed == []


def test_only_the_given_fields_that_differ():
    comparison = compare(LIVE, params(name="team-a", description="Team A", auth_type="INTERNAL"))
    assert comparison == ([], {}, {})
    comparison = compare(LIVE, params(id=LIVE["id"], name="team-b", description="New"))
    assert comparison.changed == ["name", "description"]
    assert comparison.before == {"name": "team-a", "description": "Team A"}
    assert comparison.after == {"name": "team-b", "description": "New"}


def test_a_missing_description_is_empty():
    assert compare({"id": "x"}, params(description="")).changed == []
    assert compare({"id": "x"}, params(description="a")).changed == ["description"]


def test_the_update_body_holds_only_the_fields_given():
    wanted = params(description="New", auth_type="internal", grants=[{"user_name": "carol"}, {"user_name": "carol"}])
    assert update_body(wanted, ["description"]) == {"description": "New"}
    assert update_body(wanted, ["auth_type", "grants"]) == {
        "auth_type": "INTERNAL",
        "grants": [{"user_name": "carol", "user_type": "IAM"}],
    }


def test_the_create_body():
    assert create_body(params(name="team-a")) == {"name": "team-a"}
    body = create_body(
        params(
            name="team-a",
            description="A",
            auth_type="INTERNAL",
            grants=[{"user_id": "u1", "user_type": "AGENCY"}],
            enterprise_project_id="ep-1",
        )
    )
    assert body == {
        "name": "team-a",
        "description": "A",
        "auth_type": "INTERNAL",
        "grants": [{"user_id": "u1", "user_type": "AGENCY"}],
        "enterprise_project_id": "ep-1",
    }
    assert requested(params(name="team-a", grants=[])) == {"name": "team-a", "grants": []}


def test_enterprise_project_id_is_create_only():
    check_create_only(LIVE, params(enterprise_project_id="0"))
    check_create_only({"id": "x"}, params(enterprise_project_id="0"))
    check_create_only(LIVE, params())
    with pytest.raises(RuleError) as raised:
        check_create_only(LIVE, params(enterprise_project_id="ep-2"))
    assert raised.value.message == (
        "enterprise_project_id cannot be changed after creation: workspace %s has '0', enterprise_project_id asks "
        "for 'ep-2'" % LIVE["id"]
    )


def test_grants_need_an_internal_workspace():
    check_grants_apply(LIVE, params(grants=[{"user_id": "u9"}]))
    check_grants_apply(dict(LIVE, auth_type="public"), params(grants=[{"user_id": "u9"}], auth_type="INTERNAL"))
    check_grants_apply(dict(LIVE, auth_type="public"), params(grants=[]))
    with pytest.raises(RuleError) as raised:
        check_grants_apply(dict(LIVE, auth_type="public"), params(grants=[{"user_id": "u9"}]))
    assert "workspace %s is PUBLIC" % LIVE["id"] in raised.value.message
    with pytest.raises(RuleError) as raised:
        check_grants_apply(None, params(grants=[{"user_id": "u9"}]))
    assert "a new one is PUBLIC; give auth_type INTERNAL" in raised.value.message
