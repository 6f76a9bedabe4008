# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""workspace: create, update and the default workspace, against the simulator (deletes: test_workspace_delete.py)."""

from __future__ import annotations

import functools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import workspace
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, workspace, simulator)


@pytest.fixture
def workspaces(simulator):
    """The simulator's workspaces resource: add one, inject a failure."""
    return simulator.resources["workspaces"]


def calls(simulator):
    return [(r.method, r.path.split("/v1/%s" % simulator.project_id)[-1]) for r in simulator.requests]


def test_create_then_a_rerun_reads_once_and_changes_nothing(simulator, workspaces, run):
    grants = [{"user_name": "alice"}, {"user_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "user_type": "FEDERATE"}]
    result = run(name="team-a", description="Team A", auth_type="INTERNAL", grants=grants, enterprise_project_id="0")
    assert result["changed"] is True and result["actions"] == ["create"]
    created = result["workspace"]
    assert (created["name"], created["status"], created["auth_type"]) == ("team-a", "NORMAL", "internal")
    assert [w.body for w in simulator.writes] == [
        {
            "name": "team-a",
            "description": "Team A",
            "auth_type": "INTERNAL",
            "grants": [
                {"user_name": "alice", "user_type": "IAM"},
                {"user_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "user_type": "FEDERATE"},
            ],
            "enterprise_project_id": "0",
        }
    ]
    simulator.clear_requests()
    again = run(name="team-a", description="Team A", auth_type="INTERNAL", grants=grants, enterprise_project_id="0")
    assert again["changed"] is False and again["actions"] == []
    # The list by name, and one read for the grants, which the list does not carry.
    assert calls(simulator) == [("GET", "/workspaces"), ("GET", "/workspaces/%s" % created["id"])]
    assert simulator.requests[0].query["name"] == "team-a"
    simulator.clear_requests()
    assert run(name="team-a", description="Team A")["changed"] is False
    assert calls(simulator) == [("GET", "/workspaces")]


def test_an_existing_one_by_id_costs_one_read(simulator, workspaces, run):
    found = workspaces.add(name="team-a", auth_type="INTERNAL", grants=[{"user_name": "alice"}])
    simulator.clear_requests()
    result = run(id=found["id"], grants=[{"user_name": "alice"}], auth_type="INTERNAL")
    assert result["changed"] is False and calls(simulator) == [("GET", "/workspaces/%s" % found["id"])]


def test_check_mode_predicts_the_create_and_sends_nothing(simulator, run):
    result = run(check=True, diff=True, name="team-a", auth_type="INTERNAL", grants=[{"user_name": "bob"}])
    assert result["changed"] is True and result["actions"] == ["create"]
    assert result["diff"] == {
        "before": {},
        "after": {"name": "team-a", "auth_type": "INTERNAL", "grants": [{"user_name": "bob", "user_type": "IAM"}]},
    }
    assert simulator.writes == [] and "workspace" not in result


def test_only_the_given_fields_that_differ_are_sent_in_one_put(simulator, workspaces, run):
    found = workspaces.add(name="team-a", description="old", auth_type="PRIVATE")
    result = run(diff=True, name="team-a", description="new", auth_type="PRIVATE")
    assert result["changed"] is True and result["actions"] == ["update"]
    assert [(w.method, w.body) for w in simulator.writes] == [("PUT", {"description": "new"})]
    assert result["diff"] == {"before": {"description": "old"}, "after": {"description": "new"}}
    assert result["workspace"]["description"] == "new" and result["workspace"]["id"] == found["id"]
    assert run(name="team-a", description="new", auth_type="PRIVATE")["changed"] is False


@pytest.mark.parametrize("auth_type", ["INTERNAL", "internal"])
def test_auth_type_compares_without_regard_to_case(simulator, workspaces, run, auth_type):
    workspaces.add(name="team-a", auth_type=auth_type)
    assert workspaces.all()[-1]["auth_type"] == "internal"
    result = run(name="team-a", auth_type="INTERNAL")
    assert result["changed"] is False and simulator.writes == []


def test_grants_compare_as_a_set_and_an_update_sends_them_all(simulator, workspaces, run):
    found = workspaces.add(
        name="team-a", auth_type="INTERNAL", grants=[{"user_name": "alice"}, {"user_id": "0123456789abcdef" * 2}]
    )
    alice_id = workspaces.get(found["id"])["grants"][0]["user_id"]
    same = [{"user_id": "0123456789abcdef" * 2}, {"user_id": alice_id}]
    assert run(name="team-a", grants=same)["changed"] is False
    result = run(diff=True, name="team-a", grants=[{"user_name": "alice"}, {"user_name": "carol"}])
    assert result["actions"] == ["update"]
    assert simulator.writes[-1].body == {
        "grants": [{"user_name": "alice", "user_type": "IAM"}, {"user_name": "carol", "user_type": "IAM"}]
    }
    assert [g["user_name"] for g in result["diff"]["after"]["grants"]] == ["alice", "carol"]
    assert sorted(g["user_name"] for g in result["workspace"]["grants"]) == ["alice", "carol"]
    assert run(name="team-a", grants=[{"user_name": "carol"}, {"user_name": "alice"}])["changed"] is False


def test_grants_on_a_workspace_that_is_not_internal_fail_before_any_write(simulator, workspaces, run):
    workspaces.add(name="team-a", auth_type="PUBLIC")
    result = run(name="team-a", grants=[{"user_name": "alice"}])
    assert result["failed"] and "grants apply only with auth_type INTERNAL" in result["msg"]
    assert simulator.writes == []
    assert run(name="team-a", auth_type="INTERNAL", grants=[{"user_name": "alice"}])["actions"] == ["update"]


def test_enterprise_project_id_is_create_only(simulator, workspaces, run):
    found = workspaces.add(name="team-a", enterprise_project_id="ep-1")
    result = run(name="team-a", enterprise_project_id="ep-2", description="x")
    assert result["failed"] and simulator.writes == []
    assert result["msg"] == (
        "enterprise_project_id cannot be changed after creation: workspace %s has 'ep-1', enterprise_project_id asks "
        "for 'ep-2'" % found["id"]
    )
    assert run(name="team-a", enterprise_project_id="ep-1")["changed"] is False


def test_rename_by_id(simulator, workspaces, run):
    found = workspaces.add(name="team-a")
    result = run(id=found["id"], name="team-b")
    assert result["actions"] == ["update"] and simulator.writes[-1].body == {"name": "team-b"}
    assert result["workspace"]["name"] == "team-b"
    assert run(id=found["id"], name="team-b")["changed"] is False


def test_an_unknown_id_fails_naming_it(simulator, run):
    result = run(id="ffffffffffffffffffffffffffffffff", description="x")
    assert result["failed"] and "no workspace has id 'ffffffffffffffffffffffffffffffff'" in result["msg"]


@pytest.mark.parametrize(
    "args, message",
    [
        ({"id": "0", "name": "team-a"}, "the default workspace (id '0') cannot be renamed"),
        ({"id": "0", "state": "absent"}, "the default workspace (id '0') cannot be deleted"),
        ({"name": "default"}, "name 'default' is reserved for the default workspace"),
        ({"name": "default", "state": "absent"}, "name 'default' is reserved"),
        ({"name": "abc"}, "name must be 4 to 64 characters"),
        ({"name": "team-a", "grants": [{"user_type": "IAM"}]}, "grants[0] must give user_id or user_name"),
    ],
)
def test_refused_before_any_request(simulator, run, args, message):
    result = run(**args)
    assert result["failed"] and message in result["msg"] and simulator.requests == []
    # RETURN says actions are always returned: none here.
    assert (result["changed"], result["actions"]) == (False, [])


def test_the_default_workspace_takes_a_description(simulator, run):
    result = run(id="0", name="default", description="everyone's")
    assert result["actions"] == ["update"] and simulator.writes[-1].body == {"description": "everyone's"}


def test_a_create_answered_create_failed_fails_with_its_status_info(simulator, workspaces, run):
    workspaces.fail_next_create("quota of the enterprise project exceeded")
    result = run(name="team-a")
    assert result["failed"] and result["actions"] == ["create"] and result["changed"] is True
    assert result["msg"] == (
        "workspace 'team-a' (id %s) was created as CREATE_FAILED (status_info: quota of the enterprise project "
        "exceeded); remove it with state=absent before trying again" % result["workspace"]["id"]
    )


@pytest.mark.parametrize(
    "status, remedy",
    [
        ("CREATE_FAILED", "; state=absent deletes it"),
        ("DELETE_FAILED", "; state=absent deletes it"),
        ("DELETING", ": it cannot be changed until the delete ends"),
    ],
)
def test_an_existing_workspace_in_a_failed_status_fails(simulator, workspaces, run, status, remedy):
    found = workspaces.add(name="team-a", status=status, status_info="broken" if status != "DELETING" else "")
    result = run(name="team-a", description="x")
    reason = " (status_info: broken)" if status != "DELETING" else ""
    assert result["failed"] and result["msg"] == "workspace %s ('team-a') is %s%s%s" % (
        found["id"],
        status,
        reason,
        remedy,
    )
    assert result["workspace"]["status"] == status and simulator.writes == []


def test_the_exact_name_is_found_among_fuzzy_matches_on_later_pages(simulator, workspaces, run):
    workspaces.max_workspaces = 2000
    found = workspaces.add(name="team-a")
    for n in range(1200):
        workspaces.add(name="team-a-%04d" % n)
    simulator.clear_requests()
    result = run(name="team-a", description="")
    # The service sorts by name, descending: "team-a" comes last, on the second page of the fuzzy matches.
    assert result["changed"] is False and result["workspace"]["id"] == found["id"]
    # Pages are numbered: the second page is offset 1, not 1000.
    assert [(r.query["limit"], r.query["offset"]) for r in simulator.requests] == [("1000", "0"), ("1000", "1")]


def test_a_create_whose_answer_was_lost_is_adopted_and_never_sent_again(simulator, run):
    simulator.inject_fault(method="POST", path="/workspaces$", drop=True, apply=True)
    result = run(name="team-a", description="A")
    assert result["changed"] is True and result["actions"] == ["create"]
    assert [w.method for w in simulator.writes] == ["POST"]
    assert result["workspace"]["name"] == "team-a"
    assert len([ws for ws in simulator.resources["workspaces"].all() if ws["name"] == "team-a"]) == 1


def test_a_create_held_past_the_timeout_is_looked_for_not_sent_again(simulator, run):
    # The service holds the create longer than the client waits, then makes the workspace.
    simulator.inject_fault(method="POST", path="/workspaces$", status=None, delay=1.0)
    result = run(name="team-a", timeout=0.4)
    assert result["changed"] is True and result["actions"] == ["create"], result.get("msg")
    assert [r.method for r in simulator.requests].count("POST") == 1
    assert result["workspace"]["name"] == "team-a"


def test_a_create_answered_5xx_after_it_was_applied_is_adopted(simulator, run):
    simulator.inject_fault(method="POST", path="/workspaces$", status=503, apply=True)
    result = run(name="team-a")
    assert result["actions"] == ["create"] and [w.method for w in simulator.writes] == ["POST"]


def test_a_create_answered_5xx_before_it_was_applied_is_sent_again(simulator, run):
    simulator.inject_fault(method="POST", path="/workspaces$", status=503)
    result = run(name="team-a")
    assert result["actions"] == ["create"]
    assert [r.method for r in simulator.requests if r.method == "POST"] == ["POST", "POST"]
    assert len(simulator.writes) == 1


def test_an_update_whose_answer_was_lost_is_read_back(simulator, workspaces, run):
    workspaces.add(name="team-a", description="old")
    simulator.inject_fault(method="PUT", path="/workspaces/", drop=True, apply=True)
    result = run(name="team-a", description="new")
    assert result["actions"] == ["update"] and [w.method for w in simulator.writes] == ["PUT"]
    assert result["workspace"]["description"] == "new"


def test_a_service_error_is_reported_with_what_was_attempted(simulator, workspaces, run):
    found = workspaces.add(name="team-a")
    simulator.inject_fault(
        method="PUT", path="/workspaces/", status=400, body={"error_code": "ModelArts.7004", "error_msg": "busy"}
    )
    result = run(name="team-a", description="new")
    assert result["failed"] and result["error"]["error_code"] == "ModelArts.7004"
    assert result["msg"].startswith("Updating workspace %s (description) failed: HTTP 400 ModelArts.7004" % found["id"])
