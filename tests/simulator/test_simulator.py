"""The ModelArts simulator itself: the instance, the status machine, the update rules, the list."""

import base64
import json
import time
import uuid

import pytest
from sim_client import call, error_code, wait_for

from modelarts_simulator import (
    DEFAULT_IMAGES,
    Simulator,
)

OTHER_IMAGE = "278e88d1-5b71-4766-8502-b3ba72e824d9"


# ---- the instance --------------------------------------------------------------------------------------
def test_show_returns_the_full_instance_with_a_secret_token(simulator):
    first = simulator.add_notebook(name="nb-1", capacity=5)
    second = simulator.add_notebook(name="nb-2")
    answer = call(simulator, "GET", "/" + first["id"])
    assert answer.status_code == 200
    nb = answer.json()
    assert nb == first
    for key in (
        "id",
        "name",
        "description",
        "status",
        "flavor",
        "feature",
        "fail_reason",
        "url",
        "token",
        "workspace_id",
        "image",
        "volume",
        "endpoints",
        "lease",
        "action_progress",
        "pool",
    ):
        assert key in nb
    assert uuid.UUID(nb["id"])
    assert nb["feature"] == "NOTEBOOK" and nb["workspace_id"] == "0" and nb["status"] == "STOPPED"
    assert set(nb["image"]) >= {"id", "name", "swr_path", "tag", "type", "arch"}
    assert nb["volume"] == {
        "category": "EVS",
        "ownership": "MANAGED",
        "capacity": 5,
        "mount_path": "/home/ma-user/work/",
        "status": None,
    }
    assert (
        nb["endpoints"][0]["dev_service"] == nb["endpoints"][0]["service"] == "NOTEBOOK" and nb["endpoints"][0]["uri"]
    )
    assert nb["token"] and nb["token"] != second["token"]
    assert "hooks" not in nb and not any(key.startswith("_") for key in nb)


# ---- status machine ---------------------------------------------------------------------------------------
def test_start_and_stop_go_through_timed_transitions():
    with Simulator(transition_seconds=0.3) as sim:
        nb_id = sim.add_notebook(status="STOPPED")["id"]
        started = call(sim, "POST", "/%s/start" % nb_id)
        assert started.status_code == 200 and started.json()["status"] == "STARTING"
        assert call(sim, "GET", "/" + nb_id).json()["status"] == "STARTING"
        again = call(sim, "POST", "/%s/start" % nb_id)
        assert (again.status_code, error_code(again)) == (400, "ModelArts.6306")
        wait_for(sim, nb_id, "RUNNING")
        assert error_code(call(sim, "POST", "/%s/start" % nb_id)) == "ModelArts.6305"

        stopped = call(sim, "POST", "/%s/stop" % nb_id)
        assert stopped.status_code == 200 and stopped.json()["status"] == "STOPPING"
        assert error_code(call(sim, "POST", "/%s/stop" % nb_id)) == "ModelArts.6308"
        time.sleep(0.15)
        assert call(sim, "GET", "/" + nb_id).json()["status"] == "STOPPING"  # not before its time
        wait_for(sim, nb_id, "STOPPED")
        assert error_code(call(sim, "POST", "/%s/stop" % nb_id)) == "ModelArts.6307"


def test_zero_delay_still_answers_the_transitional_status(simulator):
    nb_id = simulator.add_notebook()["id"]
    assert call(simulator, "POST", "/%s/start" % nb_id).json()["status"] == "STARTING"
    assert call(simulator, "GET", "/" + nb_id).json()["status"] == "RUNNING"


def test_per_notebook_transition_override(simulator):
    slow = simulator.add_notebook(transition_seconds=30)["id"]
    fast = simulator.add_notebook()["id"]
    call(simulator, "POST", "/%s/start" % slow)
    call(simulator, "POST", "/%s/start" % fast)
    assert call(simulator, "GET", "/" + slow).json()["status"] == "STARTING"
    assert call(simulator, "GET", "/" + fast).json()["status"] == "RUNNING"


@pytest.mark.parametrize("status", ["ERROR", "START_FAILED", "SNAPSHOTTING", "CREATING"])
def test_operations_in_a_non_stable_state_are_refused_with_6357(simulator, status):
    nb_id = simulator.add_notebook()["id"]
    simulator.set_status(nb_id, status, fail_reason="disk broke" if status in ("ERROR", "START_FAILED") else None)
    for action in ("start", "stop"):
        answer = call(simulator, "POST", "/%s/%s" % (nb_id, action))
        assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6357")
    assert call(simulator, "GET", "/" + nb_id).json()["status"] == status
    assert simulator.writes == []


def test_frozen_instance_is_refused_with_6326(simulator):
    nb_id = simulator.add_notebook(status="FROZEN")["id"]
    assert error_code(call(simulator, "POST", "/%s/start" % nb_id)) == "ModelArts.6326"
    assert error_code(call(simulator, "PUT", "/" + nb_id, body={"description": "x"})) == "ModelArts.6326"


def test_set_status_and_modify_simulate_someone_else(simulator):
    nb_id = simulator.add_notebook(name="mine")["id"]
    simulator.modify(nb_id, name="theirs", capacity=50, image_id=OTHER_IMAGE)
    simulator.set_status(nb_id, "ERROR", fail_reason="host failure")
    nb = call(simulator, "GET", "/" + nb_id).json()
    assert (nb["name"], nb["volume"]["capacity"], nb["image"]["id"]) == ("theirs", 50, OTHER_IMAGE)
    assert (nb["status"], nb["fail_reason"]) == ("ERROR", "host failure")
    simulator.set_status(nb_id, "STOPPING")
    assert call(simulator, "GET", "/" + nb_id).json()["status"] == "STOPPED"  # a forced transition still ends


# ---- update -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", ["RUNNING", "STARTING", "STOPPING"])
def test_update_is_refused_unless_stopped(status):
    with Simulator(transition_seconds=30) as sim:
        nb = sim.add_notebook(status=status, description="before")
        answer = call(sim, "PUT", "/" + nb["id"], body={"description": "after"})
        assert answer.status_code == 400
        assert answer.json() == {
            "error_code": "ModelArts.6347",
            "error_msg": "In status %s the parameter description cannot be modified." % status,
        }
        assert sim.notebook(nb["id"])["description"] == "before"
        assert sim.writes == []


def test_unknown_id_is_6309_for_every_call(simulator):
    missing = str(uuid.uuid4())
    for method, path, body in (
        ("GET", "/" + missing, None),
        ("PUT", "/" + missing, {"description": "x"}),
        ("POST", "/%s/start" % missing, None),
        ("POST", "/%s/stop" % missing, None),
        ("GET", "/%s/flavors" % missing, None),
    ):
        answer = call(simulator, method, path, body=body)
        assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6309"), (method, path)


def test_update_applies_every_field(simulator):
    nb = simulator.add_notebook(name="nb-1", capacity=5, endpoints=[{"dev_service": "NOTEBOOK"}])
    body = {
        "name": "nb-renamed",
        "description": "team A",
        "flavor": "modelarts.vm.cpu.8u",
        "image_id": OTHER_IMAGE,
        "storage_new_size": 100,
        "endpoints": [
            {"dev_service": "SSH", "allowed_access_ips": ["192.0.2.10", "2001:db8::1"], "ssh_keys": ["kp-1"]}
        ],
    }
    answer = call(simulator, "PUT", "/" + nb["id"], body=body)
    assert answer.status_code == 200
    updated = answer.json()
    assert updated == call(simulator, "GET", "/" + nb["id"]).json()
    assert (updated["name"], updated["description"], updated["flavor"]) == (
        "nb-renamed",
        "team A",
        "modelarts.vm.cpu.8u",
    )
    assert updated["image"] == dict(DEFAULT_IMAGES[OTHER_IMAGE], id=OTHER_IMAGE)
    assert updated["volume"]["capacity"] == 100
    services = {ep["dev_service"]: ep for ep in updated["endpoints"]}
    assert set(services) == {"NOTEBOOK", "SSH"}  # merged by service, the NOTEBOOK endpoint kept
    assert services["SSH"]["service"] == "SSH" and services["SSH"]["uri"]
    assert services["SSH"]["allowed_access_ips"] == ["192.0.2.10", "2001:db8::1"]
    assert services["SSH"]["ssh_keys"] == services["SSH"]["key_pair_names"] == ["kp-1"]
    assert updated["token"] == nb["token"] and updated["status"] == "STOPPED"
    assert [r.method for r in simulator.writes] == ["PUT"]

    # a second endpoint update replaces only what it names
    call(
        simulator,
        "PUT",
        "/" + nb["id"],
        body={"endpoints": [{"service": "SSH", "allowed_access_ips": ["198.51.100.1"]}]},
    )
    ssh = [ep for ep in simulator.notebook(nb["id"])["endpoints"] if ep["dev_service"] == "SSH"]
    assert ssh == [dict(services["SSH"], allowed_access_ips=["198.51.100.1"])]


VALIDATION_CASES = [
    ({"name": ""}, "ModelArts.6334"),
    ({"name": "a" * 129}, "ModelArts.6334"),
    ({"name": "bad name"}, "ModelArts.6334"),
    ({"name": "bad.name"}, "ModelArts.6334"),
    ({"description": "x" * 513}, "ModelArts.6334"),
    ({"description": "a&b"}, "ModelArts.6334"),
    ({"description": "a<b"}, "ModelArts.6334"),
    ({"description": "a>b"}, "ModelArts.6334"),
    ({"description": 'a"b'}, "ModelArts.6334"),
    ({"description": "a/b"}, "ModelArts.6334"),
    ({"storage_new_size": 5}, "ModelArts.6331"),
    ({"storage_new_size": 4}, "ModelArts.6331"),
    ({"storage_new_size": 4097}, "ModelArts.6331"),
    ({"storage_new_size": "10"}, "ModelArts.6400"),
    ({"storage_new_size": True}, "ModelArts.6400"),
    ({"flavor": "modelarts.vm.cpu.999u"}, "ModelArts.6792"),
    ({"image_id": str(uuid.UUID(int=1))}, "ModelArts.6797"),
    ({"endpoints": [{"dev_service": "FTP"}]}, "ModelArts.6336"),
    ({"endpoints": [{"allowed_access_ips": ["192.0.2.1"]}]}, "ModelArts.6335"),
    (
        {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["192.0.2.%d" % i for i in range(6)]}]},
        "ModelArts.6336",
    ),
    ({"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["300.1.1.1"]}]}, "ModelArts.6336"),
    ({"endpoints": [{"dev_service": "SSH", "allowed_access_ips": "192.0.2.1"}]}, "ModelArts.6400"),
    ({"endpoints": [{"dev_service": "SSH", "color": "red"}]}, "ModelArts.6400"),
    ({"endpoints": {"dev_service": "SSH"}}, "ModelArts.6400"),
    ({"hooks": {"container_hooks": {"pre_start": {"type": "COMMAND", "script": "not base64!"}}}}, "ModelArts.6336"),
    ({"hooks": {"container_hooks": {"pre_start": {"type": "SCRIPT", "script": "relative/path.sh"}}}}, "ModelArts.6336"),
    ({"hooks": {"container_hooks": {"post_start": {"script": "run.sh"}}}}, "ModelArts.6336"),
    ({"hooks": {"container_hooks": {"pre_start": {"type": "PYTHON", "script": "/x.py"}}}}, "ModelArts.6336"),
    ({"hooks": {"container_hooks": {"on_stop": {"script": "/x.sh"}}}}, "ModelArts.6400"),
    ({"hooks": {"other": {}}}, "ModelArts.6400"),
    ({"name": 12}, "ModelArts.6400"),
    ({"description": None}, "ModelArts.6400"),
    ({"unknown_field": 1}, "ModelArts.6400"),
]


@pytest.mark.parametrize("body,code", VALIDATION_CASES, ids=[json.dumps(c[0])[:60] for c in VALIDATION_CASES])
def test_update_enforces_the_field_rules(simulator, body, code):
    nb = simulator.add_notebook(name="nb-1", capacity=5)
    answer = call(simulator, "PUT", "/" + nb["id"], body=body)
    assert (answer.status_code, error_code(answer)) == (400, code)
    assert answer.json()["error_msg"]
    assert call(simulator, "GET", "/" + nb["id"]).json() == nb  # nothing applied
    assert simulator.writes == []


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b""])
def test_update_with_a_malformed_body_is_6400(simulator, raw):
    nb_id = simulator.add_notebook()["id"]
    answer = call(simulator, "PUT", "/" + nb_id, raw=raw)
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6400")


def test_update_accepts_the_edge_values(simulator):
    nb_id = simulator.add_notebook(capacity=5)["id"]
    body = {
        "name": "A" * 128,
        "description": "d" * 512,
        "storage_new_size": 4096,
        "endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["192.0.2.%d" % i for i in range(5)]}],
    }
    assert call(simulator, "PUT", "/" + nb_id, body=body).status_code == 200


def test_hooks_are_accepted_and_never_returned(simulator):
    nb_id = simulator.add_notebook(name="hooked")["id"]
    hooks = {
        "container_hooks": {
            "pre_start": {"type": "COMMAND", "script": base64.b64encode(b"echo hi").decode()},
            "post_start": {"type": "SCRIPT", "script": "/home/ma-user/work/post.sh", "mode": "BLOCK"},
        }
    }
    answer = call(simulator, "PUT", "/" + nb_id, body={"hooks": hooks})
    assert answer.status_code == 200
    assert simulator.hooks(nb_id) == hooks
    for text in (
        answer.text,
        call(simulator, "GET", "/" + nb_id).text,
        call(simulator, "GET", "", query={"name": "hooked"}).text,
    ):
        assert "hooks" not in text and "post.sh" not in text and "ZWNobyBoaQ" not in text


def test_switchable_flavors_exclude_the_current_one(simulator):
    nb = simulator.add_notebook(flavor="modelarts.vm.cpu.2u")
    answer = call(simulator, "GET", "/%s/flavors" % nb["id"]).json()
    ids = [f["id"] for f in answer["flavors"]]
    assert "modelarts.vm.cpu.2u" not in ids and "modelarts.vm.cpu.8u" in ids and answer["total"] == len(ids)


# ---- list ---------------------------------------------------------------------------------------------------
def test_list_fuzzy_name_and_paging_envelope(simulator):
    for i in range(23):
        simulator.add_notebook(name="Team-Alpha-%02d" % i)
    simulator.add_notebook(name="beta-1")
    page = call(simulator, "GET", "", query={"name": "alpha"}).json()
    assert (page["total"], page["size"], page["pages"], page["current"]) == (23, 10, 3, 0)
    assert all("alpha" in nb["name"].lower() for nb in page["data"])
    seen = []
    for offset in (0, 10, 20):
        page = call(simulator, "GET", "", query={"name": "ALPHA", "limit": "10", "offset": str(offset)}).json()
        assert page["current"] == offset // 10
        seen += [nb["name"] for nb in page["data"]]
    assert sorted(seen) == ["Team-Alpha-%02d" % i for i in range(23)]  # every record once
    assert call(simulator, "GET", "", query={"limit": "20", "offset": "20"}).json()["size"] == 4
    assert call(simulator, "GET", "", query={"limit": "50"}).json()["size"] == 24
    assert call(simulator, "GET", "", query={"name": "gamma"}).json() == {
        "current": 0,
        "data": [],
        "pages": 0,
        "size": 0,
        "total": 0,
    }


@pytest.mark.parametrize(
    "query", [{"limit": "5"}, {"limit": "100"}, {"limit": "ten"}, {"offset": "-1"}, {"sort_dir": "UP"}]
)
def test_list_rejects_bad_paging_with_6400(simulator, query):
    answer = call(simulator, "GET", "", query=query)
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6400")


def test_list_filters_status_and_sorts(simulator):
    simulator.add_notebook(name="b", status="RUNNING")
    simulator.add_notebook(name="a", status="STOPPED")
    simulator.add_notebook(name="c", status="RUNNING")
    running = call(simulator, "GET", "", query={"status": "RUNNING", "sort_key": "name", "sort_dir": "ASC"}).json()
    assert [nb["name"] for nb in running["data"]] == ["b", "c"]
    assert [nb["name"] for nb in call(simulator, "GET", "").json()["data"]] == [
        "c",
        "a",
        "b",
    ]  # newest first by default
    assert error_code(call(simulator, "GET", "", query={"sort_key": "token"})) == "ModelArts.6303"


def test_bulk_list_filters_thousands(simulator):
    simulator.bulk_add(3000, prefix="bulk-")
    page = call(simulator, "GET", "", query={"name": "bulk-29", "limit": "50"}).json()
    assert page["total"] == 100 and page["size"] == 50
