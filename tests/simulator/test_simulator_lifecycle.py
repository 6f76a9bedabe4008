"""The simulator's create, delete, lease and tag calls."""

import json

import pytest
import requests
from sim_client import call, error_code, wait_for, wait_gone

from modelarts_simulator import DEFAULT_IMAGES, Simulator

IMAGE = next(iter(DEFAULT_IMAGES))
WORKSPACE = "0123456789abcdef0123456789abcdef"


def body(**fields):
    """A valid create body, with ``fields`` replacing or (given None) removing its keys."""
    base = {"name": "new-nb", "flavor": "modelarts.vm.cpu.2u", "image_id": IMAGE, "volume": {"category": "EVS"}}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def create(sim, **fields):
    answer = call(sim, "POST", "", body=body(**fields))
    assert answer.status_code == 200, answer.text
    return answer.json()


# ---- create ---------------------------------------------------------------------------------------------------
def test_create_answers_creating_then_runs(simulator):
    nb = create(simulator)
    expected = ("CREATING", "new-nb", "modelarts.vm.cpu.2u", "NOTEBOOK", "0")
    assert (nb["status"], nb["name"], nb["flavor"], nb["feature"], nb["workspace_id"]) == expected
    assert nb["image"] == dict(DEFAULT_IMAGES[IMAGE], id=IMAGE)
    assert nb["volume"] == {
        "category": "EVS",
        "ownership": "MANAGED",
        "capacity": 5,
        "mount_path": "/home/ma-user/work/",
        "status": None,
    }
    assert [ep["dev_service"] for ep in nb["endpoints"]] == ["NOTEBOOK"] and nb["tags"] == [] and nb["token"]
    assert (nb["lease"]["enable"], nb["lease"]["duration"], nb["lease"]["type"]) == (True, 3600000, "TIMING")
    assert nb["action_progress"][0]["status"] == "PROCESSING"
    shown = call(simulator, "GET", "/" + nb["id"]).json()
    assert shown["status"] == "RUNNING" and shown["action_progress"] == []
    twin = create(simulator)  # names may repeat
    assert twin["id"] != nb["id"] and call(simulator, "GET", "", query={"name": "new-nb"}).json()["total"] == 2
    assert [(w.method, w.path.rsplit("/", 1)[1], w.notebook_id) for w in simulator.writes] == [
        ("POST", "notebooks", None)
    ] * 2


def test_create_takes_every_field(simulator):
    hooks = {"container_hooks": {"post_start": {"type": "SCRIPT", "script": "/home/ma-user/work/post.sh"}}}
    nb = create(
        simulator,
        name="\u6a21\u578b-nb_1",
        description="team A",
        flavor="modelarts.pool.gpu.v100.1",
        pool_id="pool-1",
        image_id="278e88d1-5b71-4766-8502-b3ba72e824d9",
        workspace_id=WORKSPACE,
        volume={"category": "EFS", "ownership": "DEDICATED", "id": "efs-1", "uri": "efs.example:/share"},
        endpoints=[{"service": "SSH", "key_pair_names": ["kp-1"], "allowed_access_ips": ["192.0.2.1"]}],
        hooks=hooks,
        lease={"duration": 7200000, "type": "IDLE"},
        affinity={"node": {}},
        run_user={"uid": 1000},
    )
    expected = ("\u6a21\u578b-nb_1", "team A", {"id": "pool-1", "name": "pool-1"}, WORKSPACE)
    assert (nb["name"], nb["description"], nb["pool"], nb["workspace_id"]) == expected
    assert (nb["volume"]["category"], nb["volume"]["ownership"], nb["volume"]["capacity"]) == ("EFS", "DEDICATED", None)
    ssh = [ep for ep in nb["endpoints"] if ep["service"] == "SSH"]
    assert ssh[0]["ssh_keys"] == ["kp-1"] and ssh[0]["allowed_access_ips"] == ["192.0.2.1"] and ssh[0]["uri"]
    assert (nb["lease"]["enable"], nb["lease"]["duration"], nb["lease"]["type"]) == (True, 7200000, "IDLE")
    assert "hooks" not in nb and simulator.hooks(nb["id"]) == hooks
    internal = simulator.notebook(nb["id"])
    assert internal["_extra"]["affinity"] == {"node": {}} and internal["_extra"]["volume"] == {
        "id": "efs-1",
        "uri": "efs.example:/share",
    }


@pytest.mark.parametrize(
    "fields,expected",
    [
        ({"duration": -1}, (False, "TIMING")),
        ({"lease": {"duration": -1, "type": "IDLE"}}, (False, "IDLE")),
        ({"duration": 10800000, "lease": {"duration": 7200000, "type": "IDLE"}}, (True, "IDLE", 10800000)),
        ({"volume": {"category": "EVS", "capacity": 4096}, "name": "n" * 128}, (True, "TIMING", 3600000)),
        ({"volume": {"category": "EVS", "capacity": 1}, "lease": {"type": "IDLE"}}, (True, "IDLE", 3600000)),
    ],
)
def test_create_lease_and_edge_values(simulator, fields, expected):
    lease = create(simulator, **fields)["lease"]
    assert (lease["enable"], lease["type"]) + ((lease["duration"],) if len(expected) == 3 else ()) == expected


CREATE_ERRORS = [
    ({"name": None}, "ModelArts.6335"),
    ({"flavor": None}, "ModelArts.6335"),
    ({"image_id": None}, "ModelArts.6335"),
    ({"volume": None}, "ModelArts.6335"),
    ({"volume": {"capacity": 10}}, "ModelArts.6335"),
    ({"name": ""}, "ModelArts.6334"),
    ({"name": "n" * 129}, "ModelArts.6334"),
    ({"name": "bad name"}, "ModelArts.6334"),
    ({"name": "bad.name"}, "ModelArts.6334"),
    ({"name": "\u540d\u5b57!"}, "ModelArts.6334"),
    ({"description": "a<b"}, "ModelArts.6334"),
    ({"description": "x" * 513}, "ModelArts.6334"),
    ({"flavor": "modelarts.vm.cpu.999u"}, "ModelArts.6336"),
    ({"flavor": "modelarts.vm.cpu.64u"}, "ModelArts.6329"),
    ({"flavor": "modelarts.vm.cpu.free"}, "ModelArts.6336"),
    ({"flavor": "modelarts.pool.cpu.8u"}, "ModelArts.6335"),
    ({"image_id": "00000000-0000-0000-0000-000000000000"}, "ModelArts.6797"),
    ({"volume": {"category": "SFS"}}, "ModelArts.6336"),
    ({"volume": {"category": "EVS", "ownership": "SHARED"}}, "ModelArts.6336"),
    ({"volume": {"category": "EVS", "ownership": "DEDICATED", "id": "x"}}, "ModelArts.6336"),
    ({"volume": {"category": "EFS", "ownership": "DEDICATED"}}, "ModelArts.6335"),
    ({"volume": {"category": "EVS", "capacity": 0}}, "ModelArts.6331"),
    ({"volume": {"category": "EVS", "capacity": 4097}}, "ModelArts.6331"),
    ({"volume": {"category": "EVS", "capacity": "5"}}, "ModelArts.6400"),
    ({"volume": {"category": "EVS", "size": 5}}, "ModelArts.6400"),
    ({"volume": {"category": "EVS", "read_only": "yes"}}, "ModelArts.6400"),
    ({"endpoints": [{"dev_service": "FTP"}]}, "ModelArts.6336"),
    ({"endpoints": [{"allowed_access_ips": ["192.0.2.1"]}]}, "ModelArts.6335"),
    ({"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["300.1.1.1"]}]}, "ModelArts.6336"),
    ({"hooks": {"container_hooks": {"pre_start": {"type": "SCRIPT", "script": "relative.sh"}}}}, "ModelArts.6336"),
    ({"lease": {"duration": 60000}}, "ModelArts.6336"),
    ({"lease": {"duration": 3600000, "type": "WEEKLY"}}, "ModelArts.6336"),
    ({"duration": 259200001}, "ModelArts.6336"),
    ({"duration": "3600000"}, "ModelArts.6400"),
    ({"lease": {"enable": True}}, "ModelArts.6400"),
    ({"feature": "TRAIN"}, "ModelArts.6336"),
    ({"workspace_id": "ws-1"}, "ModelArts.6336"),
    ({"tags": [{"key": "k", "value": "v"}]}, "ModelArts.6400"),
    ({"name": 12}, "ModelArts.6400"),
    ({"pool_id": None, "color": "red"}, "ModelArts.6400"),
]


@pytest.mark.parametrize("fields,code", CREATE_ERRORS, ids=[json.dumps(c[0])[:50] for c in CREATE_ERRORS])
def test_create_enforces_the_rules(simulator, fields, code):
    answer = call(simulator, "POST", "", body=body(**fields))
    assert (answer.status_code, error_code(answer)) == (400, code), answer.text
    assert answer.json()["error_msg"] and simulator.notebooks() == [] and simulator.writes == []


@pytest.mark.parametrize("raw", [b"", b"{not json", b"[1]"])
def test_create_with_a_malformed_body_is_6400(simulator, raw):
    answer = call(simulator, "POST", "", raw=raw)
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6400") and simulator.notebooks() == []


def test_a_create_can_fail():
    with Simulator(transition_seconds=0.1) as sim:
        sim.fail_next_create(fail_reason="no capacity left")
        failed = create(sim)
        wait_for(sim, failed["id"], "CREATE_FAILED")
        assert call(sim, "GET", "/" + failed["id"]).json()["fail_reason"] == "no capacity left"
        sim.inject_fault(method="POST", path=r"/notebooks$", transition_result="CREATE_FAILED", fail_reason="quota")
        wait_for(sim, create(sim)["id"], "CREATE_FAILED")
        assert (
            requests.post(
                sim.url + "/_sim/fail_next_create", json={"fail_reason": "by control"}, timeout=10
            ).status_code
            == 200
        )
        third = create(sim)
        wait_for(sim, third["id"], "CREATE_FAILED")
        assert call(sim, "GET", "/" + third["id"]).json()["fail_reason"] == "by control"
        wait_for(sim, create(sim)["id"], "RUNNING")  # armed once only
        with pytest.raises(ValueError):
            sim.fail_next_create("SOMETIMES")


def test_a_create_whose_answer_is_lost_still_creates(simulator):
    simulator.inject_fault(method="POST", path=r"/notebooks$", status=503, apply=True)
    answer = call(simulator, "POST", "", body=body(name="lost-answer"))
    assert answer.status_code == 503
    assert [nb["name"] for nb in simulator.notebooks()] == ["lost-answer"]
    assert [(w.method, w.status) for w in simulator.writes] == [("POST", 503)]


# ---- delete ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status", ["STOPPED", "RUNNING", "ERROR", "CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "FROZEN"]
)
def test_delete_from_a_stable_or_failed_status(simulator, status):
    nb_id = simulator.add_notebook(status=status, name="doomed")["id"]
    answer = call(simulator, "DELETE", "/" + nb_id)
    assert answer.status_code == 200 and answer.json()["status"] == "DELETING" and answer.json()["id"] == nb_id
    gone = call(simulator, "GET", "/" + nb_id)
    assert (gone.status_code, error_code(gone)) == (400, "ModelArts.6309")
    assert call(simulator, "GET", "", query={"name": "doomed"}).json()["total"] == 0
    assert simulator.notebooks() == []
    with pytest.raises(KeyError):
        simulator.notebook(nb_id)
    assert [(w.method, w.notebook_id) for w in simulator.writes] == [("DELETE", nb_id)]


@pytest.mark.parametrize("status", ["STARTING", "STOPPING", "CREATING", "SNAPSHOTTING", "INIT"])
def test_delete_during_a_transition_is_6357(status):
    with Simulator(transition_seconds=30) as sim:
        nb_id = sim.add_notebook()["id"]
        sim.set_status(nb_id, status, then="RUNNING")
        answer = call(sim, "DELETE", "/" + nb_id)
        assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6357") and sim.writes == []


def test_deleting_shows_until_its_time_and_refuses_other_calls():
    with Simulator(transition_seconds=0.3) as sim:
        nb_id = sim.add_notebook(status="RUNNING")["id"]
        assert call(sim, "DELETE", "/" + nb_id).json()["status"] == "DELETING"
        assert call(sim, "GET", "/" + nb_id).json()["status"] == "DELETING"
        for method, path in (("DELETE", "/" + nb_id), ("POST", "/%s/stop" % nb_id), ("POST", "/%s/start" % nb_id)):
            assert error_code(call(sim, method, path)) == "ModelArts.6357"
        assert error_code(wait_gone(sim, nb_id)) == "ModelArts.6309"


def test_a_delete_can_fail_and_be_retried():
    with Simulator(transition_seconds=0.05) as sim:
        nb_id = sim.add_notebook()["id"]
        sim.fail_next_transition(nb_id, "DELETE_FAILED", "volume busy")
        call(sim, "DELETE", "/" + nb_id)
        wait_for(sim, nb_id, "DELETE_FAILED")
        assert call(sim, "GET", "/" + nb_id).json()["fail_reason"] == "volume busy"
        sim.inject_fault(method="DELETE", transition_result="DELETE_FAILED", fail_reason="again")
        call(sim, "DELETE", "/" + nb_id)
        wait_for(sim, nb_id, "DELETE_FAILED")
        assert call(sim, "DELETE", "/" + nb_id).json()["status"] == "DELETING"
        assert error_code(wait_gone(sim, nb_id)) == "ModelArts.6309"


def test_delete_of_an_unknown_id_and_a_forced_deleted_status(simulator):
    assert error_code(call(simulator, "DELETE", "/00000000-0000-0000-0000-000000000000")) == "ModelArts.6309"
    nb_id = simulator.add_notebook()["id"]
    simulator.set_status(nb_id, "DELETED")  # set from outside: still listed, as a DELETED instance
    assert call(simulator, "GET", "/" + nb_id).json()["status"] == "DELETED"


# ---- lease ----------------------------------------------------------------------------------------------------
def test_show_lease(simulator):
    nb = simulator.add_notebook(lease={"enable": True, "duration": 7200000, "type": "IDLE"})
    lease = call(simulator, "GET", "/%s/lease" % nb["id"]).json()
    assert lease == nb["lease"] and set(lease) == {"create_at", "duration", "enable", "type", "update_at"}
    assert error_code(call(simulator, "GET", "/00000000-0000-0000-0000-000000000000/lease")) == "ModelArts.6309"


@pytest.mark.parametrize(
    "query,payload,expected",
    [
        (None, {"duration": 7200000, "type": "IDLE"}, (True, 7200000, "IDLE")),
        (None, {"duration": 259200000}, (True, 259200000, "TIMING")),
        ({"duration": "10800000"}, {"duration": 7200000, "type": "IDLE"}, (True, 10800000, "TIMING")),
        ({"duration": "3600000"}, None, (True, 3600000, "TIMING")),
        (None, {"duration": -1}, (False, 3600000, "TIMING")),
    ],
)
def test_renew_lease_restarts_the_countdown(simulator, query, payload, expected):
    nb = simulator.add_notebook(
        status="RUNNING", lease={"enable": True, "duration": 3600000, "type": "TIMING", "create_at": 1}
    )
    answer = call(simulator, "PATCH", "/%s/lease" % nb["id"], query=query, body=payload)
    assert answer.status_code == 200, answer.text
    lease = answer.json()
    assert (lease["enable"], lease["duration"], lease["type"]) == expected and lease["create_at"] > 1
    assert (
        call(simulator, "GET", "/" + nb["id"]).json()["lease"]
        == lease
        == call(simulator, "GET", "/%s/lease" % nb["id"]).json()
    )
    assert [w.method for w in simulator.writes] == ["PATCH"]


@pytest.mark.parametrize(
    "status,query,payload,code",
    [
        ("RUNNING", None, None, "ModelArts.6335"),
        ("RUNNING", None, {"type": "IDLE"}, "ModelArts.6335"),
        ("RUNNING", None, {"duration": 60000}, "ModelArts.6336"),
        ("RUNNING", {"duration": "999999999"}, None, "ModelArts.6336"),
        ("RUNNING", None, {"duration": 3600000, "type": "NEVER"}, "ModelArts.6336"),
        ("RUNNING", None, {"duration": "1h"}, "ModelArts.6400"),
        ("RUNNING", None, {"duration": 3600000, "enable": False}, "ModelArts.6400"),
        ("RUNNING", None, [3600000], "ModelArts.6400"),
        ("STOPPED", None, {"duration": 3600000}, "ModelArts.6357"),
        ("ERROR", None, {"duration": 3600000}, "ModelArts.6357"),
        ("FROZEN", None, {"duration": 3600000}, "ModelArts.6326"),
    ],
)
def test_renew_lease_rules(simulator, status, query, payload, code):
    nb = simulator.add_notebook(status=status)
    answer = call(simulator, "PATCH", "/%s/lease" % nb["id"], query=query, body=payload)
    assert (answer.status_code, error_code(answer)) == (400, code)
    assert simulator.notebook(nb["id"])["lease"] == nb["lease"] and simulator.writes == []


def test_renew_lease_while_starting_is_6357():
    with Simulator(transition_seconds=30) as sim:
        nb_id = sim.add_notebook(status="STARTING")["id"]
        assert error_code(call(sim, "PATCH", "/%s/lease" % nb_id, body={"duration": 3600000})) == "ModelArts.6357"


# ---- tags -----------------------------------------------------------------------------------------------------
def tags(sim, nb_id, action, pairs, query=None):
    method, path = ("POST", "/%s/tags/create" % nb_id) if action == "add" else ("DELETE", "/%s/tags/delete" % nb_id)
    return call(sim, method, path, query=query, body={"tags": [dict(zip(("key", "value"), pair)) for pair in pairs]})


def test_tags_are_added_overwritten_and_removed_by_key(simulator):
    nb_id = simulator.add_notebook()["id"]
    added = tags(simulator, nb_id, "add", [("team", "a"), ("env", "dev")])
    assert added.status_code == 204 and added.content == b"" and simulator.requests[-1].response is None
    assert call(simulator, "GET", "/" + nb_id).json()["tags"] == [
        {"key": "team", "value": "a"},
        {"key": "env", "value": "dev"},
    ]
    assert tags(simulator, nb_id, "add", [("team", "b"), ("cost", "")]).status_code == 204
    assert simulator.notebook(nb_id)["tags"] == [
        {"key": "team", "value": "b"},
        {"key": "env", "value": "dev"},
        {"key": "cost", "value": ""},
    ]
    removed = tags(simulator, nb_id, "remove", [("team", "not-the-value"), ("missing", "x")])
    assert removed.status_code == 204 and removed.content == b""
    assert simulator.notebook(nb_id)["tags"] == [{"key": "env", "value": "dev"}, {"key": "cost", "value": ""}]
    assert [(w.method, w.path.rsplit("/", 1)[1], w.status) for w in simulator.writes] == [
        ("POST", "create", 204),
        ("POST", "create", 204),
        ("DELETE", "delete", 204),
    ]


def test_tags_in_another_workspace_need_its_id(simulator):
    nb_id = create(simulator, workspace_id=WORKSPACE)["id"]
    assert error_code(tags(simulator, nb_id, "add", [("k", "v")])) == "ModelArts.6309"
    assert tags(simulator, nb_id, "add", [("k", "v")], query={"workspace_id": WORKSPACE}).status_code == 204
    assert error_code(tags(simulator, nb_id, "remove", [("k", "v")], query={"workspace_id": "0"})) == "ModelArts.6309"
    assert tags(simulator, nb_id, "remove", [("k", "")], query={"workspace_id": WORKSPACE}).status_code == 204
    assert simulator.notebook(nb_id)["tags"] == []


TAG_ERRORS = [
    ({"tags": [{"key": "", "value": "v"}]}, "ModelArts.6336"),
    ({"tags": [{"key": "k" * 129, "value": "v"}]}, "ModelArts.6336"),
    ({"tags": [{"key": " lead", "value": "v"}]}, "ModelArts.6336"),
    ({"tags": [{"key": "trail ", "value": "v"}]}, "ModelArts.6336"),
    ({"tags": [{"key": "_sys_owner", "value": "v"}]}, "ModelArts.6336"),
    ({"tags": [{"key": "k", "value": "v" * 256}]}, "ModelArts.6336"),
    ({"tags": [{"value": "v"}]}, "ModelArts.6335"),
    ({}, "ModelArts.6335"),
    ({"tags": {"key": "k"}}, "ModelArts.6400"),
    ({"tags": [{"key": "k", "value": 1}]}, "ModelArts.6400"),
    ({"tags": [{"key": "k", "value": "v", "color": "red"}]}, "ModelArts.6400"),
    ({"tags": ["k=v"]}, "ModelArts.6400"),
]


@pytest.mark.parametrize("action", ["add", "remove"])
@pytest.mark.parametrize("payload,code", TAG_ERRORS, ids=[json.dumps(c[0])[:50] for c in TAG_ERRORS])
def test_tag_rules(simulator, action, payload, code):
    nb_id = simulator.add_notebook(tags=[{"key": "keep", "value": "me"}])["id"]
    method, path = ("POST", "/%s/tags/create" % nb_id) if action == "add" else ("DELETE", "/%s/tags/delete" % nb_id)
    answer = call(simulator, method, path, body=payload)
    assert (answer.status_code, error_code(answer)) == (400, code)
    assert simulator.notebook(nb_id)["tags"] == [{"key": "keep", "value": "me"}] and simulator.writes == []


def test_tag_edges_and_the_limit(simulator):
    nb_id = simulator.add_notebook()["id"]
    assert tags(simulator, nb_id, "add", [("k" * 128, "v" * 255), ("_sys", "x"), ("with space", "")]).status_code == 204
    assert tags(simulator, nb_id, "add", [("t%02d" % i, "") for i in range(17)]).status_code == 204
    too_many = tags(simulator, nb_id, "add", [("one-more", "")])
    assert (too_many.status_code, error_code(too_many)) == (400, "ModelArts.6336") and len(
        simulator.notebook(nb_id)["tags"]
    ) == 20
    assert error_code(tags(simulator, "00000000-0000-0000-0000-000000000000", "add", [("k", "v")])) == "ModelArts.6309"


def test_new_writes_honour_faults(simulator):
    nb_id = simulator.add_notebook(status="RUNNING")["id"]
    simulator.inject_fault(method="POST", path=r"/tags/create$", drop=True, apply=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        tags(simulator, nb_id, "add", [("k", "v")])
    assert simulator.notebook(nb_id)["tags"] == [{"key": "k", "value": "v"}]
    simulator.inject_fault(method="PATCH", path=r"/lease$", status=429, headers={"Retry-After": "1"})
    throttled = call(simulator, "PATCH", "/%s/lease" % nb_id, body={"duration": 7200000})
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
    simulator.inject_fault(method="DELETE", path=r"/notebooks/[^/]+$", status=500, apply=True)
    assert call(simulator, "DELETE", "/" + nb_id).status_code == 500
    assert simulator.notebooks() == []
    assert [(w.method, w.status) for w in simulator.writes] == [("POST", 0), ("DELETE", 500)]
