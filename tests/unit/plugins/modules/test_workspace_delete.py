# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""workspace with state=absent: what it holds is listed first, then the delete and its wait, against the simulator."""

from __future__ import annotations

import functools
import json

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import workspace
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

OTHER_USER = {"id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "name": "bob"}


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, workspace, simulator, state="absent")


@pytest.fixture
def workspaces(simulator):
    return simulator.resources["workspaces"]


@pytest.fixture
def team(simulator, workspaces):
    """An empty workspace named team-a."""
    found = workspaces.add(name="team-a")
    simulator.clear_requests()
    return found


def in_workspace(simulator, workspace_id, **kwargs):
    notebook = simulator.add_notebook(**kwargs)
    simulator.modify(notebook["id"], workspace_id=workspace_id)
    return notebook


def test_an_empty_workspace_is_deleted_and_waited_for(simulator, workspaces, team, run):
    result = run(name="team-a")
    assert result["changed"] is True and result["actions"] == ["delete"] and "workspace" not in result
    paths = [(r.method, r.path.rsplit("/v1/%s" % simulator.project_id, 1)[-1]) for r in simulator.requests]
    assert paths[:3] == [("GET", "/workspaces"), ("GET", "/notebooks/all"), ("DELETE", "/workspaces/%s" % team["id"])]
    # The notebooks are listed in this workspace only.
    assert simulator.requests[1].query["workspace_id"] == team["id"]
    # Gone: the last read answered ModelArts.7005.
    assert paths[-1] == ("GET", "/workspaces/%s" % team["id"]) and simulator.requests[-1].status == 400
    assert not workspaces.exists(team["id"])
    simulator.clear_requests()
    again = run(name="team-a")
    assert again["changed"] is False and again["actions"] == [] and simulator.writes == []


def test_check_mode_and_diff_send_no_delete(simulator, team, run):
    result = run(check=True, diff=True, name="team-a")
    assert result["changed"] is True and result["actions"] == ["delete"] and simulator.writes == []
    assert result["diff"] == {"before": {"id": team["id"], "name": "team-a", "status": "NORMAL"}, "after": {}}


def test_an_unknown_id_is_already_gone(simulator, run):
    result = run(id="ffffffffffffffffffffffffffffffff")
    assert result["changed"] is False and simulator.writes == []


def test_every_users_notebooks_in_it_refuse_the_delete_naming_them(simulator, team, run):
    mine = in_workspace(simulator, team["id"], name="mine")
    theirs = in_workspace(simulator, team["id"], name="theirs", user=OTHER_USER)
    simulator.add_notebook(name="elsewhere")
    result = run(name="team-a")
    assert result["failed"] and simulator.writes == []
    assert result["msg"] == (
        "workspace %s ('team-a') holds 2 notebooks, which deleting it would delete too: 'mine' (id %s, owner "
        "sim-user), 'theirs' (id %s, owner bob); give delete_contents=true to delete them with it"
        % (team["id"], mine["id"], theirs["id"])
    )
    assert sorted(nb["name"] for nb in result["notebooks"]) == ["mine", "theirs"]
    assert not any("token" in nb for nb in result["notebooks"])
    assert result["workspace"]["id"] == team["id"]
    # Check mode refuses alike: what it would delete is the same.
    checked = run(check=True, name="team-a")
    assert checked["failed"] and "holds 2 notebooks" in checked["msg"]


def test_a_notebook_the_service_lists_with_another_workspace_is_not_in_this_one(simulator, team, run):
    # A service that ignored the workspace filter: only what is in the workspace counts.
    elsewhere = simulator.add_notebook(name="elsewhere")
    listed = {"current": 0, "data": [elsewhere], "pages": 1, "size": 1, "total": 1}
    simulator.inject_fault(method="GET", path="/notebooks/all$", status=200, body=listed)
    result = run(name="team-a")
    assert result["actions"] == ["delete"], result.get("msg")


def test_delete_contents_deletes_them_with_it(simulator, workspaces, team, run):
    theirs = in_workspace(simulator, team["id"], name="theirs", user=OTHER_USER)
    kept = simulator.add_notebook(name="elsewhere")
    result = run(diff=True, name="team-a", delete_contents=True)
    assert result["actions"] == ["delete"] and result["diff"]["before"]["notebooks"] == ["theirs"]
    assert [nb["id"] for nb in simulator.notebooks()] == [kept["id"]]
    assert theirs["id"] not in [nb["id"] for nb in simulator.notebooks()]


def test_where_every_users_list_is_refused_the_own_notebooks_are_checked(simulator, team, run):
    simulator.resources["all_notebooks"].forbidden = True
    mine = in_workspace(simulator, team["id"], name="mine")
    in_workspace(simulator, team["id"], name="theirs", user=OTHER_USER)
    result = run(name="team-a")
    assert result["failed"] and simulator.writes == []
    assert (
        "holds 1 notebook, which deleting it would delete too: 'mine' (id %s, owner sim-user)" % mine["id"]
        in (result["msg"])
    )
    paths = [r.path.rsplit("/", 1)[-1] for r in simulator.requests]
    assert paths == ["workspaces", "all", "notebooks"] and simulator.requests[1].status == 403
    assert "refused (it needs an administrator's rights)" in json.dumps(result.get("warnings"))


def test_where_every_users_list_is_refused_an_empty_workspace_is_deleted_with_a_warning(simulator, team, run):
    simulator.resources["all_notebooks"].forbidden = True
    result = run(name="team-a")
    assert result["actions"] == ["delete"]
    assert "only your own notebooks were looked for" in json.dumps(result.get("warnings"))


def test_delete_failed_fails_with_its_status_info(simulator, workspaces, team, run):
    workspaces.fail_next_delete(team["id"], "the OBS bucket of the workspace is locked")
    result = run(name="team-a")
    assert result["failed"] and result["actions"] == ["delete"]
    assert result["msg"] == (
        "Waiting for workspace %s to be deleted: workspace %s is DELETE_FAILED (status_info: the OBS bucket of the "
        "workspace is locked)" % (team["id"], team["id"])
    )
    assert result["workspace"]["status"] == "DELETE_FAILED"
    # Deleting it again is allowed: DELETE_FAILED is not DELETING.
    assert run(name="team-a")["actions"] == ["delete"]


def test_without_wait_the_task_returns_once_the_delete_is_accepted(simulator, workspaces, team, run):
    workspaces.delete_seconds = 30
    result = run(name="team-a", wait=False)
    assert result["actions"] == ["delete"] and result["workspace"]["status"] == "DELETING"
    assert [r.method for r in simulator.requests].count("DELETE") == 1
    assert simulator.requests[-1].method == "DELETE"


def test_a_delete_already_under_way_is_waited_for_and_not_sent_again(simulator, workspaces, team, run):
    workspaces.delete_seconds = 0.3
    assert run(name="team-a", wait=False)["actions"] == ["delete"]
    simulator.clear_requests()
    result = run(name="team-a")
    assert result["changed"] is False and result["actions"] == [] and simulator.writes == []
    assert not workspaces.exists(team["id"])


def test_a_wait_that_times_out_names_the_last_status(simulator, workspaces, team, run):
    workspaces.delete_seconds = 30
    result = run(name="team-a", wait_timeout=1)
    assert result["failed"] and result["actions"] == ["delete"]
    assert result["msg"] == (
        "Waiting for workspace %s to be deleted: timed out after 1 seconds (wait_timeout) waiting for the workspace "
        "to be gone; the last status seen was DELETING" % team["id"]
    )


def test_a_delete_whose_answer_was_lost_is_read_back_and_not_sent_again(simulator, workspaces, team, run):
    workspaces.delete_seconds = 0.2
    simulator.inject_fault(method="DELETE", path="/workspaces/", drop=True, apply=True)
    result = run(name="team-a")
    assert result["actions"] == ["delete"] and [w.method for w in simulator.writes] == ["DELETE"]
    assert [r.method for r in simulator.requests].count("DELETE") == 1
    assert not workspaces.exists(team["id"])


def test_a_workspace_deleted_by_someone_else_meanwhile_is_gone_unchanged(simulator, workspaces, team, run):
    simulator.inject_fault(
        method="DELETE",
        path="/workspaces/",
        status=400,
        body={"error_code": "ModelArts.7005", "error_msg": "The workspace does not exist."},
    )
    result = run(name="team-a")
    assert result["changed"] is False and result["actions"] == []


def test_a_create_failed_workspace_is_deleted(simulator, workspaces, run):
    failed = workspaces.add(name="team-b", status="CREATE_FAILED", status_info="no quota")
    result = run(id=failed["id"])
    assert result["actions"] == ["delete"] and not workspaces.exists(failed["id"])
