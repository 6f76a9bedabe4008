"""workspace and workspace_info through real ansible-playbook and ansible: requests per task as the simulator
recorded them, check mode, --diff, reruns, refusals before any request, lost answers, and no secret in the output."""

import os
import shutil

import pytest

from ansible_e2e import BIN_DIR, REPO_DIR, Ansible
from modelarts_simulator import DEFAULT_FLAVORS, DEFAULT_IMAGES

WORKSPACE = "hwcloud.modelarts.workspace"
INFO = "hwcloud.modelarts.workspace_info"
OTHER_USER = {"id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "name": "bob"}
GRANTS = [{"user_name": "alice"}, {"user_name": "bob"}]


@pytest.fixture
def ansible(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def ws_task(title, /, **args):
    return {"name": title, WORKSPACE: args}


def calls(sim):
    """(method, path after /v1/{project_id}) of each request."""
    prefix = "/v1/%s" % sim.project_id
    return [(r.method, r.path[len(prefix) :]) for r in sim.requests]


def test_create_update_and_their_reruns_cost_the_floor_of_requests(simulator, ansible):
    workspaces = simulator.resources["workspaces"]
    workspaces.add(name="team-a-old", description="decoy")
    wanted = {"name": "team-a", "description": "Team A", "auth_type": "INTERNAL", "grants": GRANTS}

    check = ansible.playbook([ws_task("create", **wanted)], check=True, diff=True)
    check.assert_all_ok()
    assert check["create"]["changed"] is True and check["create"]["actions"] == ["create"]
    assert calls(simulator) == [("GET", "/workspaces")] and simulator.writes == []
    assert check["create"]["diff"]["before"] == {}
    assert check["create"]["diff"]["after"]["grants"] == [
        {"user_name": "alice", "user_type": "IAM"},
        {"user_name": "bob", "user_type": "IAM"},
    ]

    simulator.clear_requests()
    created = ansible.playbook([ws_task("create", **wanted)])
    created.assert_all_ok()
    new_id = created["create"]["workspace"]["id"]
    assert calls(simulator) == [("GET", "/workspaces"), ("POST", "/workspaces")]

    simulator.clear_requests()
    rerun = ansible.playbook([ws_task("create", **wanted)])
    assert rerun["create"]["changed"] is False
    # The list by name, and one read for the grants: the list does not carry them.
    assert calls(simulator) == [("GET", "/workspaces"), ("GET", "/workspaces/%s" % new_id)]

    simulator.clear_requests()
    by_id = ansible.playbook([ws_task("by id", id=new_id, description="Team A", auth_type="INTERNAL")])
    assert by_id["by id"]["changed"] is False and calls(simulator) == [("GET", "/workspaces/%s" % new_id)]

    simulator.clear_requests()
    update = ansible.playbook([ws_task("update", name="team-a", description="Team A, 2025")], diff=True)
    update.assert_all_ok()
    assert update["update"]["actions"] == ["update"]
    assert update["update"]["diff"] == {"before": {"description": "Team A"}, "after": {"description": "Team A, 2025"}}
    assert calls(simulator) == [
        ("GET", "/workspaces"),
        ("PUT", "/workspaces/" + new_id),
        ("GET", "/workspaces/" + new_id),
    ]
    assert simulator.writes[0].body == {"description": "Team A, 2025"}
    assert workspaces.all()[1]["description"] == "decoy"


def test_info_pages_by_page_number_and_reads_quotas(simulator, ansible):
    workspaces = simulator.resources["workspaces"]
    workspaces.max_workspaces = 3000
    for n in range(2100):
        workspaces.add(name="ws-%04d" % n)
    run = ansible.playbook(
        [
            {"name": "all", INFO: {}},
            {"name": "one", INFO: {"name": "ws-0007", "quotas": True}},
            {"name": "fuzzy", INFO: {"name": "ws-000", "name_match": "fuzzy"}},
        ]
    )
    run.assert_all_ok()
    assert len(run["all"]["workspaces"]) == 2101
    lists = [r for r in simulator.requests if r.path.endswith("/workspaces")]
    assert [(r.query["limit"], r.query["offset"]) for r in lists[:3]] == [("1000", "0"), ("1000", "1"), ("1000", "2")]
    assert [ws["name"] for ws in run["one"]["workspaces"]] == ["ws-0007"]
    assert {q["resource"] for q in run["one"]["workspaces"][0]["quotas"]} >= {"notebook"}
    assert len(run["fuzzy"]["workspaces"]) == 10


def test_a_delete_is_refused_naming_every_users_notebooks_then_done_with_delete_contents(simulator, ansible):
    team = simulator.resources["workspaces"].add(name="team-a")
    mine = simulator.add_notebook(name="mine", token="NBT-workspace-e2e-mine-token")
    theirs = simulator.add_notebook(name="theirs", user=OTHER_USER, token="NBT-workspace-e2e-theirs-token")
    for nb in (mine, theirs):
        simulator.modify(nb["id"], workspace_id=team["id"])
    refused = ansible.playbook([ws_task("delete", name="team-a", state="absent")], verbosity=4)
    assert refused.status("delete") == "failed" and simulator.writes == []
    assert (
        "holds 2 notebooks" in refused["delete"]["msg"]
        and "'theirs' (id %s, owner bob)" % theirs["id"] in (refused["delete"]["msg"])
    )
    assert "NBT-workspace-e2e" not in refused.output and simulator.auth.secret_key not in refused.output

    simulator.clear_requests()
    deleted = ansible.playbook([ws_task("delete", name="team-a", state="absent", delete_contents=True)], diff=True)
    deleted.assert_all_ok()
    assert deleted["delete"]["actions"] == ["delete"]
    assert deleted["delete"]["diff"]["before"]["notebooks"] == ["mine", "theirs"]
    assert calls(simulator) == [
        ("GET", "/workspaces"),
        ("GET", "/notebooks/all"),
        ("DELETE", "/workspaces/" + team["id"]),
        ("GET", "/workspaces/" + team["id"]),
    ]
    assert simulator.notebooks() == []

    simulator.clear_requests()
    again = ansible.playbook([ws_task("delete", name="team-a", state="absent")])
    assert again["delete"]["changed"] is False and calls(simulator) == [("GET", "/workspaces")]


def test_where_every_users_list_is_refused_the_own_notebooks_are_listed_and_a_warning_says_so(simulator, ansible):
    simulator.resources["all_notebooks"].forbidden = True
    team = simulator.resources["workspaces"].add(name="team-a")
    run = ansible.playbook([ws_task("delete", name="team-a", state="absent")])
    run.assert_all_ok()
    assert calls(simulator)[:3] == [("GET", "/workspaces"), ("GET", "/notebooks/all"), ("GET", "/notebooks")]
    assert "only your own notebooks were looked for" in run.output
    assert not simulator.resources["workspaces"].exists(team["id"])


def test_the_default_workspace_is_refused_before_any_request(simulator, ansible):
    run = ansible.playbook(
        [
            ws_task("rename", id="0", name="mine"),
            ws_task("delete", id="0", state="absent"),
            ws_task("reserved", name="default", description="x"),
        ]
    )
    assert [run.status(t) for t in ("rename", "delete", "reserved")] == ["failed"] * 3
    assert "cannot be renamed" in run["rename"]["msg"] and "cannot be deleted" in run["delete"]["msg"]
    assert simulator.requests == []


def test_lost_answers_of_a_create_and_a_delete_are_looked_up_not_sent_again(simulator, ansible):
    simulator.inject_fault(method="POST", path="/workspaces$", drop=True, apply=True)
    created = ansible.playbook([ws_task("create", name="team-a")])
    created.assert_all_ok()
    assert [r.method for r in simulator.requests if r.method == "POST"] == ["POST"]
    assert len([ws for ws in simulator.resources["workspaces"].all() if ws["name"] == "team-a"]) == 1

    simulator.inject_fault(method="DELETE", path="/workspaces/", drop=True, apply=True)
    simulator.clear_requests()
    deleted = ansible.playbook([ws_task("delete", name="team-a", state="absent")])
    deleted.assert_all_ok()
    assert deleted["delete"]["actions"] == ["delete"]
    assert [r.method for r in simulator.requests].count("DELETE") == 1


def test_a_create_answered_create_failed_fails_with_its_status_info(simulator, ansible):
    simulator.resources["workspaces"].fail_next_create("the enterprise project has no quota left")
    run = ansible.playbook([ws_task("create", name="team-a")])
    assert run.status("create") == "failed"
    assert "CREATE_FAILED (status_info: the enterprise project has no quota left)" in run["create"]["msg"]
    assert run["create"]["workspace"]["status"] == "CREATE_FAILED"


def test_adhoc_workspace_info_with_the_connection_in_the_environment(simulator, ansible):
    simulator.resources["workspaces"].add(name="team-a")
    run = ansible.adhoc(INFO, "name=team-a", env=ansible.connection_env())
    assert run.rc == 0 and '"name": "team-a"' in run.output, run.describe()
    assert simulator.auth.secret_key not in run.output


def test_every_users_notebooks_through_notebook_instance_info(simulator, ansible):
    simulator.add_notebook(name="mine")
    simulator.add_notebook(name="theirs", user=OTHER_USER)
    run = ansible.playbook(
        [
            {"name": "own", "hwcloud.modelarts.notebook_instance_info": {}},
            {"name": "every", "hwcloud.modelarts.notebook_instance_info": {"all_users": True}},
        ]
    )
    run.assert_all_ok()
    assert [nb["name"] for nb in run["own"]["notebooks"]] == ["mine"]
    assert sorted(nb["name"] for nb in run["every"]["notebooks"]) == ["mine", "theirs"]
    assert [r.path.rsplit("/", 1)[-1] for r in simulator.requests] == ["notebooks", "all"]


def test_the_example_team_set_up_converges_then_changes_nothing(simulator, ansible):
    """examples/team_workspace.yml: the workspace, then its notebooks through the role, twice."""
    shutil.copy(os.path.join(REPO_DIR, "examples", "team_workspace.yml"), ansible.tmp_path)
    command = [
        os.path.join(BIN_DIR, "ansible-playbook"),
        "-i",
        ansible.inventory,
        os.path.join(ansible.tmp_path, "team_workspace.yml"),
        "-e",
        "team=team-ml",
        "-e",
        "flavor=%s" % DEFAULT_FLAVORS[0]["id"],
        "-e",
        "image_id=%s" % sorted(DEFAULT_IMAGES)[0],
        "-e",
        "team_bucket=ml-data",
    ]
    first = ansible._run(command, ansible.connection_env())  # pylint: disable=protected-access
    assert first.rc == 0, first.describe()
    team = [ws for ws in simulator.resources["workspaces"].all() if ws["name"] == "team-ml"]
    assert len(team) == 1 and team[0]["auth_type"] == "internal"
    assert sorted(g["user_name"] for g in team[0]["grants"]) == ["alice", "bob"]
    notebooks = {nb["name"]: nb for nb in simulator.notebooks()}
    assert sorted(notebooks) == ["team-ml-dev", "team-ml-train"]
    for nb in notebooks.values():
        assert nb["workspace_id"] == team[0]["id"]
        assert (nb["lease"]["enable"], nb["lease"]["type"], nb["lease"]["duration"]) == (True, "IDLE", 2 * 3600000)
        assert nb["tags"] == [{"key": "team", "value": "team-ml"}]
    assert (notebooks["team-ml-dev"]["status"], notebooks["team-ml-train"]["status"]) == ("RUNNING", "STOPPED")
    storage = simulator.resources["storage"]
    assert [(m["uri"], m["mount_path"], m["status"]) for m in storage.mounts(notebooks["team-ml-dev"]["id"])] == [
        ("obs://ml-data/datasets/", "/data/datasets/", "MOUNTED")
    ]
    assert storage.mounts(notebooks["team-ml-train"]["id"]) == []

    simulator.clear_requests()
    second = ansible._run(command, ansible.connection_env())  # pylint: disable=protected-access
    assert second.rc == 0, second.describe()
    assert "changed=0" in second.stdout and simulator.writes == []
