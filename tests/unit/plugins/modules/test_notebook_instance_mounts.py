# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Storage mounts declared with notebook_instance, in-process against the simulator (1.2.0)."""

from __future__ import annotations

import functools
import json

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _mount_api
from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_instance
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

from modelarts_simulator import DEFAULT_IMAGES  # pylint: disable=wrong-import-order

IMAGE = next(iter(DEFAULT_IMAGES))
FLAVOR = "modelarts.vm.cpu.2u"
DATA = {"uri": "obs://team-data/datasets/", "mount_path": "/data/datasets/"}
OUT = {"uri": "obs://team-output/", "mount_path": "/data/output/", "category": "OBSFS"}
STORAGE = r"/storage(/[^/]+)?$"


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, notebook_instance, simulator, wait_timeout=10)


@pytest.fixture
def storage(simulator):
    return simulator.resources["storage"]


def storage_calls(sim):
    """(method, "list" or "one") of every storage request."""
    return [
        (r.method, "one" if r.path.rstrip("/").split("/")[-1] != "storage" else "list")
        for r in sim.requests
        if "/storage" in r.path
    ]


def writes(sim):
    return [
        (r.method, r.path.rsplit("/", 1)[-1] if "/storage" not in r.path else "storage")
        for r in sim.requests
        if r.method != "GET"
    ]


def warned(result, *texts):
    """Whether a warning holds each of ``texts`` (text before ansible-core 2.19, a summary object from it on)."""
    warnings = json.dumps(result.get("warnings", []))
    return all(text in warnings for text in texts)


def paths(sim, storage, nb_id):
    return sorted((m["mount_path"], m["uri"], m["category"], m["status"]) for m in storage.mounts(nb_id))


def test_missing_mounts_are_attached_and_waited_for_then_a_rerun_costs_a_get_and_a_list(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    result = run(id=nb["id"], mounts=[DATA, OUT])
    assert result["changed"] is True and result["actions"] == ["attach", "attach"], result
    assert paths(simulator, storage, nb["id"]) == [
        ("/data/datasets/", "obs://team-data/datasets/", "OBS", "MOUNTED"),
        ("/data/output/", "obs://team-output/", "OBSFS", "MOUNTED"),
    ]
    assert sorted(m["status"] for m in result["mounts"]) == ["MOUNTED", "MOUNTED"]
    assert [c for c in storage_calls(simulator) if c[0] == "POST"] == [("POST", "list"), ("POST", "list")]
    simulator.clear_requests()
    again = run(id=nb["id"], mounts=[DATA, OUT])
    assert again["changed"] is False and again["actions"] == []
    assert [(r.method, r.path.endswith("/storage")) for r in simulator.requests] == [("GET", False), ("GET", True)]


def test_check_mode_and_diff_plan_the_same_writes_and_send_none(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/old/", "obs://old-data/")
    result = run(id=nb["id"], mounts=[DATA], check=True, diff=True)
    assert result["changed"] is True and result["actions"] == ["detach", "attach"]
    assert result["diff"]["before"]["mounts"] == [
        {"mount_path": "/data/old/", "uri": "obs://old-data/", "category": "OBS"}
    ]
    assert result["diff"]["after"]["mounts"] == [
        {"mount_path": "/data/datasets/", "uri": "obs://team-data/datasets/", "category": "OBS"}
    ]
    assert writes(simulator) == [] and len(storage.mounts(nb["id"])) == 1
    real = run(id=nb["id"], mounts=[DATA], diff=True)
    assert (real["actions"], real["diff"]) == (result["actions"], result["diff"])


def test_another_uri_or_a_failed_mount_is_detached_then_attached(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/datasets", "obs://old-data/")
    storage.add(nb["id"], "/data/output/", "obs://team-output", category="OBSFS", status="MOUNT_FAILED")
    result = run(id=nb["id"], mounts=[DATA, OUT])
    assert result["actions"] == ["detach", "attach", "detach", "attach"], result
    assert [status for dummy, dummy, dummy, status in paths(simulator, storage, nb["id"])] == ["MOUNTED", "MOUNTED"]
    assert paths(simulator, storage, nb["id"])[0][1] == "obs://team-data/datasets/"


@pytest.mark.parametrize("detach_answer", ["mount", "empty"])
def test_purge_detaches_what_is_not_requested_first_and_never_a_static_mount(simulator, storage, run, detach_answer):
    storage.detach_answer = detach_answer
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/old/", "obs://old-data/")
    storage.add(nb["id"], "/data/static/", "obs://made-at-creation/", mount_type="STATIC")
    kept = run(id=nb["id"], mounts=[DATA], purge_mounts=False)
    assert kept["actions"] == ["attach"] and len(storage.mounts(nb["id"])) == 3
    purged = run(id=nb["id"], mounts=[DATA])
    assert purged["actions"] == ["detach"], purged
    assert [p for p, dummy, dummy, dummy in paths(simulator, storage, nb["id"])] == ["/data/datasets/", "/data/static/"]
    emptied = run(id=nb["id"], mounts=[])
    assert emptied["actions"] == ["detach"] and [m["mount_path"] for m in storage.mounts(nb["id"])] == ["/data/static/"]
    assert [m["mount_path"] for m in emptied["mounts"]] == ["/data/static/"]


def test_a_static_mount_on_a_requested_path_with_another_uri_fails_before_any_write(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/datasets/", "obs://made-at-creation/", mount_type="STATIC")
    result = run(id=nb["id"], mounts=[DATA])
    assert result["failed"] and "/data/datasets/ is a mount made at the notebook's creation" in result["msg"]
    assert writes(simulator) == []


def test_an_instance_that_ends_stopped_gets_no_storage_request_and_a_warning(simulator, run):
    nb = simulator.add_notebook(name="nb", status="STOPPED")
    result = run(id=nb["id"], mounts=[DATA], description="new")
    assert result["changed"] is True and result["actions"] == ["update"] and "mounts" not in result
    assert storage_calls(simulator) == []
    assert warned(result, "mounts were not applied", "ends STOPPED"), result.get("warnings")
    running = simulator.add_notebook(name="nb2", status="RUNNING")
    result = run(id=running["id"], mounts=[DATA], state="stopped")
    assert result["actions"] == ["stop"] and storage_calls(simulator) == []


@pytest.mark.parametrize("survive", [True, False])
def test_after_a_restart_the_list_is_read_again_and_what_a_stop_removed_is_attached(simulator, storage, run, survive):
    storage.mounts_survive_stop = survive
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/datasets/", "obs://team-data/datasets/")
    result = run(id=nb["id"], description="new", allow_restart=True, mounts=[DATA])
    assert result["actions"] == ["stop", "update", "start"] + ([] if survive else ["attach"]), result
    assert [m["mount_path"] for m in storage.mounts(nb["id"])] == ["/data/datasets/"]
    assert [c for c in storage_calls(simulator) if c == ("GET", "list")] == [("GET", "list"), ("GET", "list")]


def test_a_start_applies_the_mounts_once_running(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="STOPPED")
    result = run(id=nb["id"], state="running", mounts=[DATA])
    assert result["actions"] == ["start", "attach"] and result["notebook"]["status"] == "RUNNING"
    refused = run(
        id=simulator.add_notebook(name="nb2", status="STOPPED")["id"], state="running", mounts=[DATA], wait=False
    )
    assert refused["failed"] and "set wait=true" in refused["msg"] and "mounts" in refused["msg"]


def test_a_create_attaches_its_mounts_once_running_and_needs_wait(simulator, storage, run):
    new = {"name": "nb-new", "flavor": FLAVOR, "image_id": IMAGE}
    refused = run(mounts=[DATA], wait=False, **new)
    assert refused["failed"] and "set wait=true" in refused["msg"] and simulator.notebooks() == []
    result = run(mounts=[DATA, OUT], tags={"team": "a"}, diff=True, **new)
    assert result["actions"] == ["create", "tag", "attach", "attach"], result
    assert [m["mount_path"] for m in result["diff"]["after"]["mounts"]] == ["/data/datasets/", "/data/output/"]
    (nb,) = simulator.notebooks()
    assert len(storage.mounts(nb["id"])) == 2
    stopped = run(mounts=[DATA], state="stopped", **dict(new, name="nb-stopped"))
    assert stopped["actions"] == ["create", "stop"] and warned(stopped, "mounts were not applied")


def test_mount_failed_fails_naming_the_path_and_its_reason(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.fail_next(nb["id"], "MOUNT_FAILED", "bucket team-data not found")
    result = run(id=nb["id"], mounts=[DATA])
    assert result["failed"] and result["actions"] == ["attach"]
    assert "mount /data/datasets/ is MOUNT_FAILED (failure_reason: bucket team-data not found)" in result["msg"]
    assert result["mount"]["status"] == "MOUNT_FAILED"


def test_unmount_failed_fails(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/old/", "obs://old-data/")
    storage.fail_next(nb["id"], "UNMOUNT_FAILED", "device busy")
    result = run(id=nb["id"], mounts=[])
    assert result["failed"] and "mount /data/old/ is UNMOUNT_FAILED (failure_reason: device busy)" in result["msg"]


@pytest.mark.parametrize(
    "fault", [{"status": None, "delay": 1.0}, {"drop": True, "apply": True}, {"status": 503, "apply": True}]
)
def test_an_attach_that_may_have_been_applied_is_never_sent_twice(simulator, storage, run, fault):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    simulator.inject_fault(method="POST", path=r"/storage$", **fault)
    result = run(id=nb["id"], mounts=[DATA], timeout=0.4)
    assert result["actions"] == ["attach"] and "failed" not in result, result
    assert [c for c in storage_calls(simulator) if c[0] == "POST"] == [("POST", "list")]
    assert paths(simulator, storage, nb["id"]) == [("/data/datasets/", "obs://team-data/datasets/", "OBS", "MOUNTED")]


def test_a_detach_that_was_applied_is_not_sent_again(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/old/", "obs://old-data/")
    simulator.inject_fault(method="DELETE", path=STORAGE, status=503, apply=True)
    result = run(id=nb["id"], mounts=[])
    assert result["actions"] == ["detach"] and storage.mounts(nb["id"]) == []
    assert [c for c in storage_calls(simulator) if c[0] == "DELETE"] == [("DELETE", "one")]


def test_a_detach_refused_while_another_operation_runs_is_tried_again_then_fails_clearly(simulator, storage, run):
    busy = {"error_code": "ModelArts.6357", "error_msg": "Another operation is running on the instance."}
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/old/", "obs://old-data/")
    simulator.inject_fault(method="DELETE", path=STORAGE, status=400, body=busy)
    result = run(id=nb["id"], mounts=[])
    assert result["actions"] == ["detach"] and storage.mounts(nb["id"]) == [], result
    assert [c for c in storage_calls(simulator) if c[0] == "DELETE"] == [("DELETE", "one"), ("DELETE", "one")]
    storage.add(nb["id"], "/data/old/", "obs://old-data/")
    simulator.inject_fault(method="DELETE", path=STORAGE, status=400, body=busy, count=10)
    refused = run(id=nb["id"], mounts=[], max_retries=2)
    assert (
        refused["failed"] and "ModelArts.6357" in refused["msg"] and refused["msg"].startswith("Detaching /data/old/")
    )
    assert len(storage.mounts(nb["id"])) == 1


def test_a_mount_attached_or_detached_by_someone_else_meanwhile_is_taken_as_it_is(simulator, storage, run, monkeypatch):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    old = storage.add(nb["id"], "/data/old/", "obs://old-data/")
    attach, detach = _mount_api.MountAPI.attach, _mount_api.MountAPI.detach

    def someone_attaches_first(self, body):
        storage.add(nb["id"], body["mount_path"], body["uri"], category=body["category"])
        return attach(self, body)

    def someone_detaches_first(self, mount):
        storage.remove(nb["id"], old["id"])
        return detach(self, mount)

    monkeypatch.setattr(_mount_api.MountAPI, "attach", someone_attaches_first)
    monkeypatch.setattr(_mount_api.MountAPI, "detach", someone_detaches_first)
    result = run(id=nb["id"], mounts=[DATA])
    assert "failed" not in result, result
    # Neither write took effect: the task changed nothing itself.
    assert result["actions"] == [] and result["changed"] is False
    assert [m["mount_path"] for m in storage.mounts(nb["id"])] == ["/data/datasets/"]


def test_a_notebook_stopped_by_someone_else_fails_the_attach_naming_the_mount(simulator, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    simulator.inject_fault(method="POST", path=r"/storage$", status=None, modify={"status": "STOPPED"})
    result = run(id=nb["id"], mounts=[DATA])
    assert result["failed"] and result["msg"].startswith(
        "Attaching obs://team-data/datasets/ at /data/datasets/ to notebook instance %s failed: HTTP 400 "
        "ModelArts.6327" % nb["id"]
    )
    assert "request id" in result["msg"] and "Traceback" not in result["msg"]


@pytest.mark.parametrize(
    "mounts, message",
    [
        ([dict(DATA, mount_path="/tmp/x")], "mounts[0].mount_path must be an absolute path under /data/"),
        ([DATA, dict(DATA, uri="obs://other-1/")], "mounts[1].mount_path /data/datasets/ is also mounts[0]"),
        ([dict(DATA, category="EFS")], "mounts[0].efs_id is required with category EFS"),
        ([{"uri": "obs://b-1/m%d" % i, "mount_path": "/data/m%d" % i} for i in range(11)], "at most 10 mounts"),
    ],
)
def test_bad_mounts_fail_before_any_request(simulator, run, mounts, message):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    result = run(id=nb["id"], mounts=mounts)
    assert result["failed"] and message in result["msg"] and simulator.requests == []


def test_without_mounts_no_storage_request_is_made(simulator, storage, run):
    nb = simulator.add_notebook(name="nb", status="RUNNING")
    storage.add(nb["id"], "/data/old/", "obs://old-data/")
    result = run(id=nb["id"], description="x", allow_restart=True)
    assert storage_calls(simulator) == [] and "mounts" not in result and len(storage.mounts(nb["id"])) == 1
