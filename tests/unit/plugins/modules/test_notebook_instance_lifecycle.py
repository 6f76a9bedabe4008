# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The whole life of a notebook in-process against the simulator: create, delete, auto-stop and tags."""

from __future__ import annotations

import functools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_instance
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

from modelarts_simulator import DEFAULT_IMAGES  # pylint: disable=wrong-import-order

IMAGE = next(iter(DEFAULT_IMAGES))
FLAVOR = "modelarts.vm.cpu.2u"
NEW = {"name": "nb-new", "flavor": FLAVOR, "image_id": IMAGE}
IDLE_8H = {"enabled": True, "hours": 8, "type": "IDLE"}


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, notebook_instance, simulator, wait_timeout=10)


def writes(sim):
    """(method, what follows the instance's path) of every write, e.g. ("PATCH", "lease"), ("DELETE", "")."""
    return [
        (r.method, r.path.split(r.notebook_id, 1)[1].lstrip("/") if r.notebook_id else "")
        for r in sim.requests
        if r.method != "GET"
    ]


def only(sim):
    (instance,) = sim.notebooks()
    return instance


# ---- create ------------------------------------------------------------------------------------------
def test_create_sends_one_post_with_the_requested_fields_and_no_auto_stop(simulator, run):
    result = run(storage_size=50, description="Team A", endpoints=[{"dev_service": "SSH", "ssh_keys": ["k1"]}], **NEW)
    assert result["changed"] is True and result["actions"] == ["create"]
    post = next(r for r in simulator.requests if r.method == "POST")
    assert post.body == {
        "name": "nb-new",
        "flavor": FLAVOR,
        "image_id": IMAGE,
        "feature": "NOTEBOOK",
        "description": "Team A",
        "endpoints": [{"dev_service": "SSH", "ssh_keys": ["k1"]}],
        "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 50},
        "duration": -1,
    }
    assert [r.method for r in simulator.requests][:2] == ["GET", "POST"] and simulator.requests[0].query[
        "name"
    ] == "nb-new"
    assert result["notebook"]["status"] == "RUNNING" and "token" not in result["notebook"]
    assert only(simulator)["lease"]["enable"] is False and only(simulator)["volume"]["capacity"] == 50

    rerun = run(storage_size=50, description="Team A", endpoints=[{"dev_service": "SSH", "ssh_keys": ["k1"]}], **NEW)
    assert rerun["changed"] is False and len(simulator.notebooks()) == 1


def test_create_with_auto_stop_tags_and_state_stopped(simulator, run):
    result = run(auto_stop=IDLE_8H, tags={"team": "a", "cost": 4711}, state="stopped", **NEW)
    assert result["actions"] == ["create", "tag", "stop"]
    post = next(r for r in simulator.requests if r.method == "POST" and r.notebook_id is None)
    assert post.body["lease"] == {"duration": 28800000, "type": "IDLE"} and "duration" not in post.body
    live = only(simulator)
    assert live["status"] == "STOPPED" and sorted((t["key"], t["value"]) for t in live["tags"]) == [
        ("cost", "4711"),
        ("team", "a"),
    ]
    assert live["lease"]["enable"] is True and live["lease"]["type"] == "IDLE"


def test_create_check_mode_and_diff_write_nothing(simulator, run):
    result = run(check=True, diff=True, tags={"team": "a"}, auto_stop=IDLE_8H, **NEW)
    assert result["changed"] is True and result["actions"] == ["create", "tag"]
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"] == dict(NEW, tags={"team": "a"}, auto_stop=IDLE_8H)
    assert [r.method for r in simulator.requests] == ["GET"] and simulator.notebooks() == []


def test_create_needs_name_flavor_and_image(simulator, run):
    result = run(name="nb-new", flavor=FLAVOR)
    assert (
        result["failed"]
        and "no notebook instance is named 'nb-new'" in result["msg"]
        and "give image_id" in result["msg"]
    )
    assert [r.method for r in simulator.requests] == ["GET"]


def test_create_with_state_stopped_needs_wait(simulator, run):
    result = run(state="stopped", wait=False, **NEW)
    assert result["failed"] and "set wait=true" in result["msg"] and [r.method for r in simulator.requests] == ["GET"]


def test_create_failed_fails_with_its_reason(simulator, run):
    simulator.fail_next_create(fail_reason="no capacity in the zone")
    result = run(**NEW)
    assert result["failed"] and "CREATE_FAILED" in result["msg"] and "no capacity in the zone" in result["msg"]
    assert result["actions"] == ["create"]


@pytest.mark.parametrize(
    "fault",
    [{"status": 503, "apply": True}, {"drop": True, "apply": True}, {"status": 200, "body": "not json", "apply": True}],
)
def test_a_create_that_may_have_been_applied_is_looked_for_before_it_is_sent_again(simulator, run, fault):
    simulator.inject_fault(method="POST", path=r"/notebooks$", **fault)
    result = run(**NEW)
    assert result["changed"] is True and result["actions"] == ["create"]
    assert len(simulator.notebooks()) == 1
    assert [r.method for r in simulator.requests if r.method == "POST"] == ["POST"]


def test_a_create_that_was_not_applied_is_sent_again(simulator, run):
    simulator.inject_fault(method="POST", path=r"/notebooks$", status=503)
    result = run(**NEW)
    assert result["changed"] is True and len(simulator.notebooks()) == 1
    assert len([r for r in simulator.requests if r.method == "POST"]) == 2


def test_a_create_held_past_the_timeout_is_adopted_and_never_sent_again(simulator, run):
    # The service applies the create only after the module's timeout: a list right after the timeout finds
    # nothing, and a second POST would make a second instance once the first completes.
    simulator.inject_fault(method="POST", path=r"/notebooks$", status=None, delay=1.0)
    result = run(timeout=0.3, max_retries=3, tags={"team": "a"}, **NEW)
    assert result["changed"] is True and result["actions"] == ["create", "tag"], result
    (instance,) = simulator.notebooks()
    assert result["notebook"]["id"] == instance["id"] and instance["tags"] == [{"key": "team", "value": "a"}]
    assert [r.method for r in simulator.requests if r.method == "POST" and r.notebook_id is None] == ["POST"]
    # Looked for by name until it appeared, with the waits' poll schedule.
    assert len([r for r in simulator.requests if r.method == "GET" and r.notebook_id is None]) >= 3


def test_a_create_in_doubt_that_never_appears_fails_and_the_rerun_makes_one(simulator, run):
    simulator.inject_fault(method="POST", path=r"/notebooks$", drop=True)
    result = run(wait_timeout=1, **NEW)
    assert result["failed"] and simulator.notebooks() == []
    assert "the service may still complete it, so it was not sent again" in result["msg"]
    assert "a notebook instance named 'nb-new' did not appear within 1 seconds" in result["msg"]
    assert "run the task again later: it adopts what the service made, or makes it" in result["msg"]
    assert result["error"]["status"] is None and result["actions"] == [] and result["changed"] is False
    assert [r.method for r in simulator.requests if r.method != "GET"] == ["POST"]
    rerun = run(**NEW)
    assert rerun["changed"] is True and rerun["actions"] == ["create"] and len(simulator.notebooks()) == 1


def test_with_id_an_unknown_instance_is_not_created(simulator, run):
    result = run(id="6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c", flavor=FLAVOR, image_id=IMAGE)
    assert result["failed"] and "ModelArts.6309" in result["msg"] and simulator.notebooks() == []


def test_create_only_options_differing_on_an_existing_instance_fail_before_any_write(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    result = run(name="nb-1", volume={"category": "EFS"}, pool_id="pool-1")
    assert result["failed"] and "volume.category cannot be changed after creation" in result["msg"]
    assert "pool_id cannot be changed after creation" in result["msg"] and writes(simulator) == []
    assert run(id=nb["id"], volume={"category": "EVS", "ownership": "MANAGED"}, workspace_id="0")["changed"] is False


# ---- delete ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", ["RUNNING", "STOPPED", "ERROR"])
def test_delete_waits_until_gone(simulator, run, status):
    nb = simulator.add_notebook(name="nb-1", status=status)
    result = run(name="nb-1", state="absent", flavor="ignored.flavor")
    assert result["changed"] is True and result["actions"] == ["delete"]
    assert simulator.notebooks() == [] and writes(simulator) == [("DELETE", "")]
    again = run(id=nb["id"], state="absent")
    assert (
        again["changed"] is False and again["actions"] == [] and [r.method for r in simulator.requests][-1:] == ["GET"]
    )


def test_delete_of_a_missing_name_costs_one_list(simulator, run):
    result = run(name="nb-missing", state="absent")
    assert result["changed"] is False and [r.method for r in simulator.requests] == ["GET"]


def test_delete_check_mode_and_diff(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    result = run(id=nb["id"], state="absent", check=True, diff=True)
    assert result["changed"] is True and result["actions"] == ["delete"]
    assert result["diff"] == {"before": {"id": nb["id"], "name": "nb-1", "status": "RUNNING"}, "after": {}}
    assert writes(simulator) == [] and len(simulator.notebooks()) == 1


def test_delete_failed_fails_with_its_reason(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    simulator.fail_next_transition(nb["id"], status="DELETE_FAILED", fail_reason="volume busy")
    result = run(id=nb["id"], state="absent")
    assert result["failed"] and "DELETE_FAILED" in result["msg"] and "volume busy" in result["msg"]


def test_a_delete_that_was_applied_is_not_sent_again(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="DELETE", status=503, apply=True)
    result = run(id=nb["id"], state="absent")
    assert result["changed"] is True and simulator.notebooks() == [] and writes(simulator) == [("DELETE", "")]


def test_an_instance_someone_else_deleted_after_it_was_read_is_not_a_failure(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    # Deleted by someone else as the DELETE arrives: the service answers that it does not exist.
    simulator.inject_fault(method="DELETE", status=None, modify={"_gone": True})
    result = run(id=nb["id"], state="absent")
    assert not result.get("failed"), result["msg"]
    assert result["changed"] is False and result["actions"] == [] and simulator.notebooks() == []


def test_an_instance_already_deleting_is_not_deleted_again_without_wait(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    simulator.set_status(nb["id"], "DELETING")
    result = run(id=nb["id"], state="absent", wait=False)
    assert not result.get("failed"), result["msg"]
    assert result["changed"] is False and result["actions"] == [] and writes(simulator) == []


# ---- auto-stop -----------------------------------------------------------------------------------------
def test_auto_stop_on_a_running_instance_is_renewed_without_a_restart(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING", lease={"enable": False})
    result = run(id=nb["id"], auto_stop=IDLE_8H, diff=True)
    assert result["actions"] == ["renew_lease"] and writes(simulator) == [("PATCH", "lease")]
    assert simulator.requests[-1].body == {"duration": 28800000, "type": "IDLE"}
    assert result["diff"]["before"]["auto_stop"] == {"enabled": False}
    assert run(id=nb["id"], auto_stop=IDLE_8H)["changed"] is False


def test_turning_auto_stop_off_on_a_running_instance_follows_allow_restart(simulator, run):
    nb = simulator.add_notebook(
        name="nb-1", status="RUNNING", lease={"enable": True, "duration": 3600000, "type": "TIMING"}
    )
    refused = run(id=nb["id"], auto_stop={"enabled": False})
    assert refused["failed"] and "allow_restart=true" in refused["msg"] and writes(simulator) == []
    result = run(id=nb["id"], auto_stop={"enabled": False}, allow_restart=True)
    assert result["actions"] == ["stop", "start"]
    start = next(r for r in simulator.requests if r.path.endswith("/start"))
    assert start.query == {"duration": "-1"} and simulator.notebook(nb["id"])["lease"]["enable"] is False


def test_auto_stop_of_a_stopped_instance_is_left_to_its_next_start(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="STOPPED", lease={"enable": False})
    result = run(id=nb["id"], auto_stop=IDLE_8H, diff=True)
    assert result["changed"] is False and "auto_stop" not in result["diff"]["after"] and writes(simulator) == []
    started = run(id=nb["id"], auto_stop=IDLE_8H, state="running")
    assert started["actions"] == ["start"]
    (start,) = [r for r in simulator.requests if r.path.endswith("/start")]
    assert start.query == {"duration": "28800000", "type": "IDLE"}


# ---- tags ------------------------------------------------------------------------------------------------
def test_tags_are_added_changed_and_purged_without_a_restart(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    simulator.modify(nb["id"], tags=[{"key": "old", "value": "1"}, {"key": "team", "value": "b"}])
    result = run(id=nb["id"], tags={"team": "a", "owner": "alice"}, diff=True)
    assert result["actions"] == ["tag", "untag"] and writes(simulator) == [
        ("POST", "tags/create"),
        ("DELETE", "tags/delete"),
    ]
    assert result["diff"]["before"]["tags"] == {"old": "1", "team": "b"} and result["diff"]["after"]["tags"] == {
        "owner": "alice",
        "team": "a",
    }
    assert {t["key"]: t["value"] for t in simulator.notebook(nb["id"])["tags"]} == {"team": "a", "owner": "alice"}
    assert simulator.notebook(nb["id"])["status"] == "RUNNING"
    assert run(id=nb["id"], tags={"team": "a", "owner": "alice"})["changed"] is False


def test_purge_false_keeps_other_tags_and_empty_tags_remove_all(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    simulator.modify(nb["id"], tags=[{"key": "old", "value": "1"}])
    assert run(id=nb["id"], tags={"new": "2"}, purge_tags=False)["actions"] == ["tag"]
    assert {t["key"] for t in simulator.notebook(nb["id"])["tags"]} == {"old", "new"}
    assert run(id=nb["id"], tags={})["actions"] == ["untag"] and simulator.notebook(nb["id"])["tags"] == []


@pytest.mark.parametrize(
    "tags, message",
    [
        ({"_sys_x": "1"}, "must not start with _sys_"),
        ({" padded": "1"}, "must not start or end with a space"),
        ({"k" * 129: "1"}, "must be 1 to 128 characters"),
        ({"k": "v" * 256}, "must be at most 255 characters"),
    ],
)
def test_bad_tags_fail_before_any_request(simulator, run, tags, message):
    result = run(name="nb-1", tags=tags)
    assert result["failed"] and message in result["msg"] and simulator.requests == []


def test_in_shape_with_tags_and_auto_stop_costs_one_get(simulator, run):
    nb = simulator.add_notebook(
        name="nb-1", status="RUNNING", lease={"enable": True, "duration": 28800000, "type": "IDLE"}
    )
    simulator.modify(nb["id"], tags=[{"key": "team", "value": "a"}])
    result = run(id=nb["id"], tags={"team": "a"}, auto_stop=IDLE_8H)
    assert result["changed"] is False and [r.method for r in simulator.requests] == ["GET"]


# ---- more rules of the 1.1.0 sections ----------------------------------------------------------------------
WORKSPACE = "c0ffee00000000000000000000000001"


def test_with_workspace_id_only_that_workspace_is_searched(simulator, run):
    simulator.add_notebook(name="nb-1")
    other = simulator.add_notebook(name="nb-1")
    simulator.modify(other["id"], workspace_id=WORKSPACE)
    assert run(name="nb-1", description="")["failed"]  # two instances have the name
    result = run(name="nb-1", workspace_id=WORKSPACE, description="in the workspace")
    assert result["changed"] is True and result["notebook"]["id"] == other["id"]
    assert simulator.requests[-2].query["workspace_id"] == WORKSPACE


def test_tags_calls_name_the_workspace_when_it_is_not_the_default(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    simulator.modify(nb["id"], workspace_id=WORKSPACE)
    assert run(id=nb["id"], tags={"team": "a"})["actions"] == ["tag"]
    (call,) = [r for r in simulator.requests if r.path.endswith("/tags/create")]
    assert call.query == {"workspace_id": WORKSPACE} and call.body == {"tags": [{"key": "team", "value": "a"}]}


def test_a_create_without_wait_returns_after_the_create_call(simulator, run):
    simulator.transition_seconds = 30
    result = run(wait=False, tags={"team": "a"}, **NEW)
    assert result["actions"] == ["create", "tag"] and result["notebook"]["status"] == "CREATING"
    assert [r.method for r in simulator.requests] == ["GET", "POST", "POST"]


def test_a_chinese_name_is_created(simulator, run):
    result = run(name="\u56e2\u961f-notebook", flavor=FLAVOR, image_id=IMAGE)
    assert result["changed"] is True and only(simulator)["name"] == "\u56e2\u961f-notebook"


def test_a_delete_waits_for_a_transition_in_progress_first(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="STARTING", transition_seconds=0.5)
    result = run(id=nb["id"], state="absent")
    assert result["changed"] is True and simulator.notebooks() == []
    statuses_seen = [r for r in simulator.requests if r.method == "GET"]
    assert len(statuses_seen) >= 2 and writes(simulator) == [("DELETE", "")]


def test_a_delete_that_does_not_end_in_time_fails_naming_the_last_status(simulator, run):
    simulator.transition_seconds = 30
    nb = simulator.add_notebook(name="nb-1")
    result = run(id=nb["id"], state="absent", wait_timeout=1)
    assert (
        result["failed"] and "timed out after 1 seconds (wait_timeout)" in result["msg"] and "DELETING" in result["msg"]
    )
    assert result["actions"] == ["delete"]
