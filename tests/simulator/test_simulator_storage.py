"""The dynamic storage calls of the simulator: attach, list, show, detach, their rules and statuses, and the
official SDK talking to them."""

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import (
    AttachDynamicStorageRequest,
    DataVolumesReq,
    DetachDynamicStorageRequest,
    ListDynamicStoragesRequest,
    ShowDynamicStorageRequest,
)
from sim_client import call, error_code
from test_simulator_sdk import sdk_client

DATA = {"category": "OBS", "mount_path": "/data/datasets/", "uri": "obs://team-data/datasets/"}


@pytest.fixture
def storage(simulator):
    return simulator.resources["storage"]


@pytest.fixture
def running(simulator):
    return simulator.add_notebook(name="nb", status="RUNNING")


def attach(sim, nb_id, body):
    return call(sim, "POST", "/%s/storage" % nb_id, body=body)


def listed(sim, nb_id):
    answer = call(sim, "GET", "/%s/storage" % nb_id)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_an_attach_is_mounting_then_mounted_and_listed(simulator, running):
    answer = attach(simulator, running["id"], DATA)
    assert answer.status_code == 200, answer.text
    mount = answer.json()
    assert (mount["status"], mount["mount_type"], mount["mount_path"], mount["uri"]) == (
        "MOUNTING",
        "DYNAMIC",
        "/data/datasets/",
        "obs://team-data/datasets/",
    )
    page = listed(simulator, running["id"])
    assert (page["total"], page["pages"], page["current"]) == (1, 1, 1)
    assert page["data"][0]["id"] == mount["id"] and page["data"][0]["status"] == "MOUNTED"
    shown = call(simulator, "GET", "/%s/storage/%s" % (running["id"], mount["id"])).json()
    assert shown["status"] == "MOUNTED"
    assert [r.applied for r in simulator.requests] == [True, False, False]


def test_a_mount_takes_the_mount_delay(simulator, running, storage):
    storage.mount_seconds = 0.3
    mount = attach(simulator, running["id"], DATA).json()
    assert listed(simulator, running["id"])["data"][0]["status"] == "MOUNTING"
    simulator.store.clock, real = (lambda: real() + 1.0), simulator.store.clock
    assert storage.mounts(running["id"])[0]["status"] == "MOUNTED" and mount["status"] == "MOUNTING"


def test_a_detach_is_unmounting_then_gone(simulator, running):
    mount = attach(simulator, running["id"], DATA).json()
    listed(simulator, running["id"])
    answer = call(simulator, "DELETE", "/%s/storage/%s" % (running["id"], mount["id"]))
    assert answer.status_code == 200 and answer.json()["status"] == "UNMOUNTING"
    assert listed(simulator, running["id"])["data"] == []
    gone = call(simulator, "GET", "/%s/storage/%s" % (running["id"], mount["id"]))
    assert (gone.status_code, error_code(gone)) == (400, "ModelArts.6309")


def test_a_detach_may_answer_no_content(simulator, running, storage):
    storage.detach_answer = "empty"
    mount = storage.add(running["id"], "/data/x", "obs://bucket-x/")
    answer = call(simulator, "DELETE", "/%s/storage/%s" % (running["id"], mount["id"]))
    assert (answer.status_code, answer.content) == (204, b"")
    with pytest.raises(ValueError, match="detach_answer must be one of mount, empty"):
        storage.detach_answer = "maybe"


@pytest.mark.parametrize(
    "body, code",
    [
        (dict(DATA, mount_path="/home/ma-user/x"), "ModelArts.6336"),
        (dict(DATA, mount_path="/data/"), "ModelArts.6336"),
        (dict(DATA, mount_path="/data/" + "x" * 251), "ModelArts.6336"),
        (dict(DATA, uri="s3://x/"), "ModelArts.6336"),
        (dict(DATA, uri="obs://" + "x" * 251), "ModelArts.6336"),
        (dict(DATA, category="NFS"), "ModelArts.6336"),
        (dict(DATA, category="EFS", uri="10.0.0.1:/"), "ModelArts.6336"),
        ({"mount_path": "/data/x", "uri": "obs://b-1/"}, "ModelArts.6335"),
        (dict(DATA, colour="red"), "ModelArts.6400"),
        (dict(DATA, uri=42), "ModelArts.6400"),
    ],
    ids=[
        "outside-data",
        "data-itself",
        "long-path",
        "not-obs",
        "long-uri",
        "category",
        "efs",
        "missing",
        "unknown",
        "type",
    ],
)
def test_bad_attaches_are_refused_and_not_applied(simulator, running, body, code):
    answer = attach(simulator, running["id"], body)
    assert (answer.status_code, error_code(answer)) == (400, code), answer.text
    assert listed(simulator, running["id"])["data"] == [] and simulator.writes == []


def test_efs_needs_a_dedicated_pool_and_an_efs_id(simulator, running):
    simulator.modify(running["id"], pool={"id": "pool-1", "name": "dedicated"})
    efs = {"category": "EFS", "mount_path": "/data/turbo", "uri": "192.168.0.10:/", "efs_id": "efs-1"}
    assert attach(simulator, running["id"], efs).status_code == 200
    assert error_code(attach(simulator, running["id"], dict(efs, efs_id=None, mount_path="/data/t2"))) in (
        "ModelArts.6400",
        "ModelArts.6336",
    )


def test_a_path_is_mounted_once_and_a_notebook_holds_ten(simulator, running):
    assert attach(simulator, running["id"], DATA).status_code == 200
    again = attach(simulator, running["id"], dict(DATA, mount_path="/data/datasets", uri="obs://other-1/"))
    assert (again.status_code, error_code(again)) == (400, "ModelArts.6336")
    for i in range(9):
        assert attach(simulator, running["id"], dict(DATA, mount_path="/data/m%d" % i)).status_code == 200
    eleventh = attach(simulator, running["id"], dict(DATA, mount_path="/data/m10"))
    assert (eleventh.status_code, error_code(eleventh)) == (400, "ModelArts.6336")
    assert "at most 10" in eleventh.json()["error_msg"]


def test_attach_and_detach_need_a_running_notebook(simulator, storage):
    stopped = simulator.add_notebook(name="off", status="STOPPED")
    mount = storage.add(stopped["id"], "/data/x", "obs://bucket-x/")
    answer = attach(simulator, stopped["id"], DATA)
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6327")
    answer = call(simulator, "DELETE", "/%s/storage/%s" % (stopped["id"], mount["id"]))
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6327")
    # Listing works in any status.
    assert len(listed(simulator, stopped["id"])["data"]) == 1


def test_a_static_mount_cannot_be_detached_and_a_transition_cannot_be_interrupted(simulator, running, storage):
    static = storage.add(running["id"], "/data/static", "obs://made-1/", mount_type="STATIC")
    answer = call(simulator, "DELETE", "/%s/storage/%s" % (running["id"], static["id"]))
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6336")
    busy = storage.add(running["id"], "/data/busy", "obs://busy-1/", status="MOUNTING")
    answer = call(simulator, "DELETE", "/%s/storage/%s" % (running["id"], busy["id"]))
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6357")


def test_injected_failures_end_the_next_attach_or_detach(simulator, running, storage):
    storage.fail_next(running["id"], "MOUNT_FAILED", "bucket not found")
    mount = attach(simulator, running["id"], DATA).json()
    (failed,) = listed(simulator, running["id"])["data"]
    assert (failed["status"], failed["failure_reason"]) == ("MOUNT_FAILED", "bucket not found")
    storage.fail_next(None, "UNMOUNT_FAILED", "device busy")
    call(simulator, "DELETE", "/%s/storage/%s" % (running["id"], mount["id"]))
    assert listed(simulator, running["id"])["data"][0]["status"] == "UNMOUNT_FAILED"
    with pytest.raises(ValueError):
        storage.fail_next(running["id"], "ERROR")


@pytest.mark.parametrize("survive", [True, False])
def test_whether_dynamic_mounts_survive_a_stop_is_a_setting(simulator, running, storage, survive):
    storage.mounts_survive_stop = survive
    storage.add(running["id"], "/data/static", "obs://made-1/", mount_type="STATIC")
    attach(simulator, running["id"], DATA)
    call(simulator, "POST", "/%s/stop" % running["id"])
    paths = [m["mount_path"] for m in listed(simulator, running["id"])["data"]]
    assert paths == (["/data/static", "/data/datasets/"] if survive else ["/data/static"])


def test_a_parallel_file_system_asked_as_obs_is_reported_as_obsfs(simulator, running, storage):
    storage.parallel_buckets = ["team-output"]
    mount = attach(simulator, running["id"], dict(DATA, uri="obs://team-output/run-1/")).json()
    assert mount["category"] == "OBSFS"


def test_the_mounts_of_a_deleted_notebook_go_with_it(simulator, running, storage):
    storage.add(running["id"], "/data/x", "obs://bucket-x/")
    simulator.remove_notebook(running["id"])
    assert simulator.store.state("storage") == {}


def test_the_control_api_adds_changes_fails_and_removes_mounts(simulator, running):
    base = "%s/_sim/notebooks/%s/storage" % (simulator.url, running["id"])
    import requests  # pylint: disable=import-outside-toplevel

    added = requests.post(
        base, json={"mount_path": "/data/x", "uri": "obs://bucket-x/", "mount_type": "STATIC"}, timeout=5
    )
    assert added.status_code == 201 and added.json()["mount_type"] == "STATIC"
    mount_id = added.json()["id"]
    changed = requests.patch("%s/%s" % (base, mount_id), json={"status": "MOUNT_FAILED"}, timeout=5)
    assert changed.json()["status"] == "MOUNT_FAILED"
    assert requests.post(base + "/fail_next", json={"failure_reason": "x"}, timeout=5).json() == {"armed": True}
    assert [m["id"] for m in requests.get(base, timeout=5).json()["mounts"]] == [mount_id]
    assert requests.delete("%s/%s" % (base, mount_id), timeout=5).status_code == 200
    config = requests.patch(simulator.url + "/_sim/config", json={"mounts_survive_stop": False}, timeout=5).json()
    assert config["mounts_survive_stop"] is False and config["detach_answer"] == "mount"


def test_the_sdk_attaches_lists_shows_and_detaches(simulator, running):
    client = sdk_client(simulator)
    attached = client.attach_dynamic_storage(
        AttachDynamicStorageRequest(
            instance_id=running["id"],
            body=DataVolumesReq(category="OBS", mount_path="/data/datasets/", uri="obs://team-data/datasets/"),
        )
    )
    assert attached.status == "MOUNTING" and attached.mount_path == "/data/datasets/"
    page = client.list_dynamic_storages(ListDynamicStoragesRequest(instance_id=running["id"]))
    assert [m.id for m in page.data] == [attached.id] and page.data[0].status == "MOUNTED"
    shown = client.show_dynamic_storage(ShowDynamicStorageRequest(instance_id=running["id"], storage_id=attached.id))
    assert shown.uri == "obs://team-data/datasets/" and shown.mount_type == "DYNAMIC"
    detached = client.detach_dynamic_storage(
        DetachDynamicStorageRequest(instance_id=running["id"], storage_id=attached.id)
    )
    assert detached.status == "UNMOUNTING"
    with pytest.raises(ClientRequestException) as gone:
        client.show_dynamic_storage(ShowDynamicStorageRequest(instance_id=running["id"], storage_id=attached.id))
    assert gone.value.error_code == "ModelArts.6309"
