"""The whole life of a notebook through real ansible-playbook: create, delete, auto-stop and tags (1.1.0)."""

import pytest

from ansible_e2e import Ansible, api_requests, calls, module_task, write_requests
from modelarts_simulator import DEFAULT_IMAGES

IMAGE = next(iter(DEFAULT_IMAGES))
FLAVOR = "modelarts.vm.cpu.2u"
SSH = {"dev_service": "SSH", "allowed_access_ips": ["203.0.113.10"], "ssh_keys": ["team-key"]}
IDLE_8H = {"enabled": True, "hours": 8, "type": "IDLE"}
TAGS = {"team": "a", "cost-center": "4711"}


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def named(sim, name):
    return [nb for nb in sim.notebooks() if nb["name"] == name]


def writes(sim):
    """(method, what follows /notebooks) of every write, e.g. ("POST", ""), ("POST", "/<id>/tags/create")."""
    prefix = "/v1/%s/notebooks" % sim.project_id
    return [(r.method, r.path[len(prefix) :]) for r in write_requests(sim)]


def test_create_with_ssh_auto_stop_and_tags_then_a_rerun_costs_one_list(simulator, runner):
    task = module_task(
        "create",
        name="team-a-dev",
        flavor=FLAVOR,
        image_id=IMAGE,
        storage_size=50,
        description="Team A",
        endpoints=[{"dev_service": "NOTEBOOK"}, SSH],
        auto_stop=IDLE_8H,
        tags=TAGS,
    )
    first = runner.playbook([task], diff=True)
    first.assert_all_ok()
    result = first["create"]
    assert result["changed"] is True and result["actions"] == ["create", "tag"]
    assert result["diff"]["before"] == {} and result["diff"]["after"]["tags"] == TAGS
    assert result["diff"]["after"]["auto_stop"] == IDLE_8H and result["diff"]["after"]["storage_size"] == 50
    (nb,) = named(simulator, "team-a-dev")
    assert (
        result["notebook"]["id"] == nb["id"]
        and result["notebook"]["status"] == "RUNNING"
        and "token" not in result["notebook"]
    )
    # One list (no instance has the name), one POST, one tags call, then the status polls.
    assert [c for c in calls(simulator) if c[0] != "GET" or c[1] == "list"] == [
        ("GET", "list"),
        ("POST", "list"),
        ("POST", "/tags/create"),
    ]
    post = next(r for r in api_requests(simulator, method="POST") if r.notebook_id is None)
    assert post.body["lease"] == {"duration": 28800000, "type": "IDLE"} and post.body["volume"]["capacity"] == 50
    assert nb["lease"]["enable"] is True and {t["key"]: t["value"] for t in nb["tags"]} == TAGS

    simulator.clear_requests()
    second = runner.playbook([task])
    second.assert_all_ok()
    assert second["create"]["changed"] is False and calls(simulator) == [("GET", "list")]
    assert len(named(simulator, "team-a-dev")) == 1


def test_check_mode_of_every_new_path_sends_no_write(simulator, runner):
    running = simulator.add_notebook(name="running", status="RUNNING", lease={"enable": False})["id"]
    doomed = simulator.add_notebook(name="doomed")["id"]
    run = runner.playbook(
        [
            module_task("create", name="new", flavor=FLAVOR, image_id=IMAGE, tags={"a": "1"}, state="stopped"),
            module_task("delete", id=doomed, state="absent"),
            module_task("tags", id=running, tags={"a": "1"}),
            module_task("renew", id=running, auto_stop=IDLE_8H),
            module_task("auto-stop off", id=running, auto_stop={"enabled": False}, allow_restart=True),
        ],
        check=True,
        diff=True,
    )
    run.assert_all_ok()
    assert run["create"]["actions"] == ["create", "tag", "stop"] and run["create"]["diff"]["before"] == {}
    assert run["delete"]["actions"] == ["delete"] and run["delete"]["diff"]["after"] == {}
    assert run["tags"]["actions"] == ["tag"] and run["renew"]["actions"] == ["renew_lease"]
    # Already off: nothing to do.
    assert run["auto-stop off"]["changed"] is False
    assert all(run[name]["changed"] for name in ("create", "delete", "tags", "renew"))
    assert write_requests(simulator) == [] and len(simulator.notebooks()) == 2


def test_delete_by_name_waits_until_gone_and_a_rerun_is_ok(simulator, runner):
    simulator.transition_seconds = 0.5
    keep = simulator.add_notebook(name="team-a-dev-old")["id"]
    simulator.add_notebook(name="team-a-dev", status="RUNNING")
    task = module_task("delete", name="team-a-dev", state="absent")
    first = runner.playbook([task], diff=True)
    first.assert_all_ok()
    assert first["delete"]["changed"] is True and first["delete"]["actions"] == ["delete"]
    assert first["delete"]["diff"]["after"] == {} and first["delete"]["diff"]["before"]["name"] == "team-a-dev"
    assert named(simulator, "team-a-dev") == [] and [nb["id"] for nb in simulator.notebooks()] == [keep]
    assert writes(simulator) == [("DELETE", "/" + first["delete"]["diff"]["before"]["id"])]

    simulator.clear_requests()
    second = runner.playbook([task])
    second.assert_all_ok()
    assert second["delete"]["changed"] is False and calls(simulator) == [("GET", "list")]


def test_failed_creates_and_deletes_fail_with_the_reason(simulator, runner):
    simulator.fail_next_create(fail_reason="no capacity in the zone")
    broken = simulator.add_notebook(name="broken")["id"]
    intact = simulator.add_notebook(name="intact")["id"]
    simulator.fail_next_transition(broken, status="DELETE_FAILED", fail_reason="volume busy")
    run = runner.playbook(
        [
            module_task("create", name="new", flavor=FLAVOR, image_id=IMAGE),
            module_task("delete", id=broken, state="absent"),
            module_task("missing options", name="other", flavor=FLAVOR),
            module_task(
                "stopped without wait", name="other", flavor=FLAVOR, image_id=IMAGE, state="stopped", wait=False
            ),
            module_task("create-only", id=intact, volume={"category": "OBS"}),
            module_task("failed status", id=broken, description="new"),
        ]
    )
    assert (
        run.status("create") == "failed"
        and "CREATE_FAILED" in run["create"]["msg"]
        and "no capacity in the zone" in run["create"]["msg"]
    )
    assert (
        run.status("delete") == "failed"
        and "DELETE_FAILED" in run["delete"]["msg"]
        and "volume busy" in run["delete"]["msg"]
    )
    assert (
        "no notebook instance is named 'other'" in run["missing options"]["msg"]
        and "give image_id" in run["missing options"]["msg"]
    )
    assert "set wait=true" in run["stopped without wait"]["msg"]
    assert "volume.category cannot be changed after creation" in run["create-only"]["msg"]
    assert "is DELETE_FAILED (fail_reason: volume busy): it cannot be changed" in run["failed status"]["msg"]
    assert not write_requests(simulator, intact)
    assert len(named(simulator, "other")) == 0


@pytest.mark.parametrize("spelling", ["seed", "sdk"])
def test_auto_stop_on_running_and_stopped_instances(simulator, runner, spelling):
    simulator.endpoint_spelling = spelling
    running = simulator.add_notebook(name="running", status="RUNNING", lease={"enable": False})["id"]
    timed = simulator.add_notebook(
        name="timed", status="RUNNING", lease={"enable": True, "duration": 3600000, "type": "TIMING"}
    )["id"]
    stopped = simulator.add_notebook(name="stopped", status="STOPPED", lease={"enable": False})["id"]
    run = runner.playbook(
        [
            module_task("renew", id=running, auto_stop=IDLE_8H),
            module_task("off refused", id=timed, auto_stop={"enabled": False}),
            module_task("off", id=timed, auto_stop={"enabled": False}, allow_restart=True),
            module_task("stopped", id=stopped, auto_stop=IDLE_8H),
            module_task("started", id=stopped, auto_stop=IDLE_8H, state="running"),
        ]
    )
    run.assert_ok("renew", "off", "stopped", "started")
    assert run["renew"]["actions"] == ["renew_lease"] and calls(simulator, running) == [
        ("GET", ""),
        ("PATCH", "/lease"),
    ]
    assert run.status("off refused") == "failed" and "allow_restart=true" in run["off refused"]["msg"]
    assert run["off"]["actions"] == ["stop", "start"]
    assert [r.query for r in write_requests(simulator, timed) if r.path.endswith("/start")] == [{"duration": "-1"}]
    assert run["stopped"]["changed"] is False
    assert run["started"]["actions"] == ["start"]
    assert [r.query for r in write_requests(simulator, stopped)] == [{"duration": "28800000", "type": "IDLE"}]
    leases = {nb: simulator.notebook(nb)["lease"] for nb in (running, timed, stopped)}
    assert (leases[running]["enable"], leases[running]["duration"], leases[running]["type"]) == (True, 28800000, "IDLE")
    assert leases[timed]["enable"] is False
    assert (leases[stopped]["enable"], leases[stopped]["duration"], leases[stopped]["type"]) == (True, 28800000, "IDLE")


def test_tags_on_a_running_instance_without_a_restart(simulator, runner):
    nb = simulator.add_notebook(name="nb", status="RUNNING")["id"]
    simulator.modify(nb, tags=[{"key": "old", "value": "1"}, {"key": "team", "value": "b"}])
    run = runner.playbook(
        [
            module_task("keep others", id=nb, tags={"owner": "alice"}, purge_tags=False),
            module_task("exactly", id=nb, tags={"team": "a", "owner": "alice"}),
            module_task("again", id=nb, tags={"team": "a", "owner": "alice"}),
            module_task("none", id=nb, tags={}),
        ],
        diff=True,
    )
    run.assert_all_ok()
    assert run["keep others"]["actions"] == ["tag"]
    assert run["exactly"]["actions"] == ["tag", "untag"] and run["exactly"]["diff"]["after"]["tags"] == {
        "team": "a",
        "owner": "alice",
    }
    assert run["again"]["changed"] is False
    assert run["none"]["actions"] == ["untag"] and simulator.notebook(nb)["tags"] == []
    assert simulator.notebook(nb)["status"] == "RUNNING" and not [
        r for r in write_requests(simulator) if r.path.endswith(("/stop", "/start"))
    ]


def test_an_instance_in_shape_with_tags_and_auto_stop_costs_one_get_or_one_list(simulator, runner):
    nb = simulator.add_notebook(
        name="nb", status="RUNNING", lease={"enable": True, "duration": 28800000, "type": "IDLE"}
    )["id"]
    simulator.modify(nb, tags=[{"key": k, "value": v} for k, v in TAGS.items()])
    run = runner.playbook(
        [
            module_task("by id", id=nb, tags=TAGS, auto_stop=IDLE_8H),
            module_task("by name", name="nb", tags=TAGS, auto_stop=IDLE_8H),
        ]
    )
    run.assert_all_ok()
    assert not run["by id"]["changed"] and not run["by name"]["changed"]
    assert calls(simulator) == [("GET", ""), ("GET", "list")]


def test_a_chinese_name_a_workspace_and_a_create_without_wait(simulator, runner):
    workspace = "c0ffee00000000000000000000000001"
    simulator.transition_seconds = 30
    run = runner.playbook(
        [
            module_task(
                "chinese", name="\u56e2\u961f-notebook", flavor=FLAVOR, image_id=IMAGE, workspace_id="0", wait=False
            ),
            module_task(
                "same name, other workspace",
                name="\u56e2\u961f-notebook",
                flavor=FLAVOR,
                image_id=IMAGE,
                workspace_id=workspace,
                wait=False,
            ),
            module_task("rerun in the workspace", name="\u56e2\u961f-notebook", workspace_id=workspace, flavor=FLAVOR),
            module_task("every workspace", name="\u56e2\u961f-notebook", flavor=FLAVOR),
        ]
    )
    run.assert_ok("chinese", "same name, other workspace", "rerun in the workspace")
    assert run["chinese"]["actions"] == ["create"] and run["chinese"]["notebook"]["status"] == "CREATING"
    assert run["same name, other workspace"]["actions"] == ["create"]
    assert run["rerun in the workspace"]["changed"] is False
    # Without workspace_id every workspace is searched: two instances have the name.
    assert (
        run.status("every workspace") == "failed" and "2 notebook instances are named" in run["every workspace"]["msg"]
    )
    assert sorted(nb["workspace_id"] for nb in named(simulator, "\u56e2\u961f-notebook")) == ["0", workspace]
