"""The simulator's workspaces (create, list by pages, show, update, delete, quotas) and GET /notebooks/all."""

import time

import pytest
import requests
from sim_client import call, error_code

from modelarts_simulator import DEFAULT_PROJECT_ID as PROJECT

WORKSPACES = "/v1/%s/workspaces" % PROJECT
ALL = "/v1/%s/notebooks/all" % PROJECT
OTHER_USER = {"id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "name": "bob"}


def create(sim, **body):
    return call(sim, "POST", WORKSPACES, body=body)


def listed(sim, **query):
    answer = call(sim, "GET", WORKSPACES, query=query)
    assert answer.status_code == 200, answer.text
    return answer.json()


def gone_after(sim, workspace_id, timeout=5.0):
    """The answer of GET once the workspace is no longer there (a delete ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = call(sim, "GET", "%s/%s" % (WORKSPACES, workspace_id))
        if answer.status_code != 200:
            return answer
        time.sleep(0.02)
    raise AssertionError("workspace %s is still there" % workspace_id)


def test_the_default_workspace_is_always_there(simulator):
    shown = call(simulator, "GET", WORKSPACES + "/0").json()
    assert (shown["id"], shown["name"], shown["status"], shown["auth_type"]) == ("0", "default", "NORMAL", "public")
    simulator.reset()
    assert [ws["id"] for ws in listed(simulator)["workspaces"]] == ["0"]


def test_create_answers_the_workspace_normal_with_its_grants(simulator):
    answer = create(
        simulator,
        name="team-a",
        description="A",
        auth_type="INTERNAL",
        grants=[{"user_name": "alice"}, {"user_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "user_type": "AGENCY"}],
        enterprise_project_id="ep-1",
    )
    assert answer.status_code == 200, answer.text
    created = answer.json()
    assert len(created["id"]) == 32 and created["status"] == "NORMAL" and created["auth_type"] == "internal"
    assert created["owner"] == "sim-user" and created["enterprise_project_id"] == "ep-1"
    alice, agency = created["grants"]
    assert alice["user_name"] == "alice" and len(alice["user_id"]) == 32 and alice["user_type"] == "IAM"
    assert agency["user_id"] == "0a1b2c3d4e5f60718293a4b5c6d7e8f9" and agency["user_type"] == "AGENCY"
    assert call(simulator, "GET", "%s/%s" % (WORKSPACES, created["id"])).json() == created
    assert [w.method for w in simulator.writes] == ["POST"]


def test_grants_take_effect_only_with_internal(simulator):
    created = create(simulator, name="team-a", auth_type="PUBLIC", grants=[{"user_name": "alice"}]).json()
    assert created["grants"] == [] and created["auth_type"] == "public"


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, "ModelArts.6335"),
        ({"name": "abc"}, "ModelArts.6336"),
        ({"name": "a" * 65}, "ModelArts.6336"),
        ({"name": "team a"}, "ModelArts.6336"),
        ({"name": "default"}, "ModelArts.6336"),
        ({"name": "team-a", "description": "x" * 257}, "ModelArts.6336"),
        ({"name": "team-a", "auth_type": "OPEN"}, "ModelArts.6336"),
        ({"name": "team-a", "grants": [{"user_type": "IAM"}]}, "ModelArts.6335"),
        ({"name": "team-a", "grants": [{"user_name": "a", "user_type": "ROBOT"}]}, "ModelArts.6336"),
        ({"name": "team-a", "grants": [{"user_name": "u%d" % n} for n in range(501)]}, "ModelArts.6336"),
        ({"name": "team-a", "grants": [{"user_name": "a", "role": "x"}]}, "ModelArts.6400"),
        ({"name": "team-a", "owner": "me"}, "ModelArts.6400"),
        ({"name": 5}, "ModelArts.6400"),
    ],
)
def test_create_rules(simulator, body, code):
    answer = create(simulator, **body)
    assert answer.status_code == 400 and error_code(answer) == code, answer.text
    assert simulator.writes == []


def test_a_duplicate_name_is_refused(simulator):
    assert create(simulator, name="team-a").status_code == 200
    answer = create(simulator, name="team-a")
    assert answer.status_code == 400 and "already exists" in answer.json()["error_msg"]


def test_too_many_workspaces_is_7006(simulator):
    simulator.resources["workspaces"].max_workspaces = 1
    assert create(simulator, name="team-a").status_code == 200
    answer = create(simulator, name="team-b")
    assert answer.status_code == 400 and error_code(answer) == "ModelArts.7006"


def test_an_injected_create_failure_answers_create_failed_with_status_info(simulator):
    simulator.resources["workspaces"].fail_next_create("no quota left")
    created = create(simulator, name="team-a").json()
    assert (created["status"], created["status_info"]) == ("CREATE_FAILED", "no quota left")
    assert create(simulator, name="team-b").json()["status"] == "NORMAL"


def test_the_list_pages_by_page_number(simulator):
    workspaces = simulator.resources["workspaces"]
    workspaces.max_workspaces = 3000
    for n in range(2500):
        workspaces.add(name="ws-%04d" % n)
    first = listed(simulator)
    assert (first["total_count"], first["count"]) == (2501, 1000)
    assert "grants" not in first["workspaces"][0]
    pages = [listed(simulator, limit=1000, offset=page)["workspaces"] for page in range(3)]
    assert [len(page) for page in pages] == [1000, 1000, 501]
    assert len({ws["id"] for page in pages for ws in page}) == 2501
    # offset counts pages: offset 1000 is far past the end, not the second thousand.
    assert listed(simulator, limit=1000, offset=1000)["workspaces"] == []
    small = listed(simulator, limit=10, offset=2, sort_by="name", order="asc")
    # "default" comes first in ascending order, so page 2 of 10 starts at ws-0019.
    assert [ws["name"] for ws in small["workspaces"]] == ["ws-%04d" % n for n in range(19, 29)]


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "1001"}, {"offset": "-1"}, {"sort_by": "owner"}])
def test_bad_list_queries(simulator, query):
    answer = call(simulator, "GET", WORKSPACES, query=query)
    assert answer.status_code == 400 and error_code(answer) == "ModelArts.6400"


def test_the_name_filter_is_fuzzy_and_the_enterprise_project_exact(simulator):
    for name, project in (("team-a", "0"), ("TEAM-a-old", "ep-1"), ("b-team-a", "ep-1"), ("other", "0")):
        simulator.resources["workspaces"].add(name=name, enterprise_project_id=project)
    assert sorted(ws["name"] for ws in listed(simulator, name="team-a")["workspaces"]) == [
        "TEAM-a-old",
        "b-team-a",
        "team-a",
    ]
    assert sorted(ws["name"] for ws in listed(simulator, enterprise_project_id="ep-1")["workspaces"]) == [
        "TEAM-a-old",
        "b-team-a",
    ]


def test_update_changes_the_fields_given_and_answers_the_id(simulator):
    created = create(simulator, name="team-a", auth_type="INTERNAL", grants=[{"user_name": "alice"}]).json()
    path = "%s/%s" % (WORKSPACES, created["id"])
    answer = call(simulator, "PUT", path, body={"description": "new", "grants": [{"user_name": "bob"}]})
    assert answer.status_code == 200 and answer.json() == {"workspace_id": created["id"]}
    shown = call(simulator, "GET", path).json()
    assert shown["description"] == "new" and [g["user_name"] for g in shown["grants"]] == ["bob"]
    assert shown["name"] == "team-a" and shown["auth_type"] == "internal"
    call(simulator, "PUT", path, body={"auth_type": "PUBLIC"})
    assert call(simulator, "GET", path).json()["grants"] == []


@pytest.mark.parametrize(
    "body, code",
    [
        ({"enterprise_project_id": "ep-2"}, "ModelArts.6400"),
        ({"name": "ab"}, "ModelArts.6336"),
        ({"name": "taken"}, "ModelArts.6336"),
        ({"auth_type": "OPEN"}, "ModelArts.6336"),
    ],
)
def test_update_rules(simulator, body, code):
    simulator.resources["workspaces"].add(name="taken")
    created = create(simulator, name="team-a").json()
    answer = call(simulator, "PUT", "%s/%s" % (WORKSPACES, created["id"]), body=body)
    assert answer.status_code == 400 and error_code(answer) == code, answer.text


def test_the_default_workspace_is_never_renamed_or_deleted(simulator):
    renamed = call(simulator, "PUT", WORKSPACES + "/0", body={"name": "mine"})
    assert renamed.status_code == 400 and error_code(renamed) == "ModelArts.7004"
    deleted = call(simulator, "DELETE", WORKSPACES + "/0")
    assert deleted.status_code == 400 and error_code(deleted) == "ModelArts.7004"
    described = call(simulator, "PUT", WORKSPACES + "/0", body={"description": "everyone's"})
    assert described.status_code == 200


def test_unknown_ids_are_7005(simulator):
    for method in ("GET", "PUT", "DELETE"):
        answer = call(simulator, method, WORKSPACES + "/ffffffffffffffffffffffffffffffff", body={"description": "x"})
        assert answer.status_code == 400 and error_code(answer) == "ModelArts.7005"
    answer = call(simulator, "GET", WORKSPACES + "/ffffffffffffffffffffffffffffffff/quotas")
    assert error_code(answer) == "ModelArts.7005"


def test_delete_is_deleting_then_gone_and_takes_every_users_notebooks(simulator):
    workspaces = simulator.resources["workspaces"]
    workspaces.delete_seconds = 0.2
    created = create(simulator, name="team-a").json()
    mine = simulator.add_notebook(name="mine")
    theirs = simulator.add_notebook(name="theirs", user=OTHER_USER)
    kept = simulator.add_notebook(name="elsewhere")
    for nb in (mine, theirs):
        simulator.modify(nb["id"], workspace_id=created["id"])
    path = "%s/%s" % (WORKSPACES, created["id"])
    answer = call(simulator, "DELETE", path)
    assert answer.status_code == 200 and answer.json() == {"workspace_id": created["id"]}
    assert call(simulator, "GET", path).json()["status"] == "DELETING"
    again = call(simulator, "DELETE", path)
    assert again.status_code == 400 and error_code(again) == "ModelArts.7004"
    update = call(simulator, "PUT", path, body={"description": "x"})
    assert update.status_code == 400 and error_code(update) == "ModelArts.7004"
    assert error_code(gone_after(simulator, created["id"])) == "ModelArts.7005"
    assert [nb["id"] for nb in simulator.notebooks()] == [kept["id"]]


def test_an_injected_delete_failure_is_delete_failed_and_a_new_delete_may_follow(simulator):
    workspaces = simulator.resources["workspaces"]
    created = create(simulator, name="team-a").json()
    nb = simulator.add_notebook(name="inside")
    simulator.modify(nb["id"], workspace_id=created["id"])
    workspaces.fail_next_delete(created["id"], "the bucket is locked")
    path = "%s/%s" % (WORKSPACES, created["id"])
    assert call(simulator, "DELETE", path).status_code == 200
    shown = call(simulator, "GET", path).json()
    assert (shown["status"], shown["status_info"]) == ("DELETE_FAILED", "the bucket is locked")
    assert [n["id"] for n in simulator.notebooks()] == [nb["id"]]
    assert call(simulator, "DELETE", path).status_code == 200
    assert error_code(gone_after(simulator, created["id"])) == "ModelArts.7005"


def test_quotas(simulator):
    created = create(simulator, name="team-a").json()
    nb = simulator.add_notebook(name="inside")
    simulator.modify(nb["id"], workspace_id=created["id"])
    quotas = call(simulator, "GET", "%s/%s/quotas" % (WORKSPACES, created["id"])).json()["quotas"]
    notebook = next(q for q in quotas if q["resource"] == "notebook")
    assert notebook["quota"] == -1 and notebook["used_quota"] is None
    assert {"min_quota", "max_quota", "name_en", "unit_en", "update_time"} <= set(notebook)


def test_faults_match_workspace_calls(simulator):
    simulator.inject_fault(method="POST", path="/workspaces$", drop=True, apply=True)
    with pytest.raises(requests.ConnectionError):
        create(simulator, name="team-a")
    assert [ws["name"] for ws in listed(simulator, name="team-a")["workspaces"]] == ["team-a"]
    assert [w.method for w in simulator.writes] == ["POST"]


def test_the_control_api(simulator):
    base = simulator.url + "/_sim/workspaces"
    added = requests.post(base, json={"name": "seeded", "status": "DELETE_FAILED", "status_info": "x"}, timeout=10)
    assert added.status_code == 201 and added.json()["status"] == "DELETE_FAILED"
    assert "seeded" in [ws["name"] for ws in requests.get(base, timeout=10).json()["workspaces"]]
    tuned = requests.patch(base, json={"delete_seconds": 1.5}, timeout=10).json()
    assert tuned == {"delete_seconds": 1.5, "max_workspaces": 50}
    assert requests.patch(base, json={"speed": 1}, timeout=10).status_code == 400
    armed = requests.post(base + "/fail_next_create", json={"status_info": "boom"}, timeout=10)
    assert armed.status_code == 200 and create(simulator, name="team-z").json()["status_info"] == "boom"
    missing = requests.post(base + "/ffffffffffffffffffffffffffffffff/fail_next_delete", json={}, timeout=10)
    assert missing.status_code == 404
    requests.post(simulator.url + "/_sim/reset", timeout=10)
    assert simulator.resources["workspaces"].delete_seconds == 0.0
    assert [ws["id"] for ws in requests.get(base, timeout=10).json()["workspaces"]] == ["0"]


def test_notebooks_have_an_owner_and_the_list_shows_the_callers(simulator):
    mine = simulator.add_notebook(name="mine")
    theirs = simulator.add_notebook(name="theirs", user=OTHER_USER)
    assert mine["user"] == {"id": "5e1ec7ed0000000000000000000000ca", "name": "sim-user"}
    assert [nb["name"] for nb in call(simulator, "GET", "", query={"limit": 50}).json()["data"]] == ["mine"]
    every = call(simulator, "GET", ALL, query={"limit": 50}).json()
    assert sorted(nb["name"] for nb in every["data"]) == ["mine", "theirs"] and every["total"] == 2
    assert call(simulator, "GET", "/" + theirs["id"]).json()["user"] == OTHER_USER


def test_every_users_notebooks_have_the_lists_filters_and_owners(simulator):
    simulator.bulk_add(30, prefix="bob-", user=OTHER_USER)
    simulator.bulk_add(30, prefix="me-")
    page = call(simulator, "GET", ALL, query={"limit": 50, "offset": 50}).json()
    assert (page["total"], page["size"]) == (60, 10)
    by_owner = call(simulator, "GET", ALL, query={"limit": 50, "owner": OTHER_USER["id"]}).json()
    assert by_owner["total"] == 30 and {nb["user"]["name"] for nb in by_owner["data"]} == {"bob"}
    assert call(simulator, "GET", ALL, query={"limit": 50, "username": "SIM"}).json()["total"] == 30
    assert call(simulator, "GET", ALL, query={"limit": 50, "name": "bob-000"}).json()["total"] == 10
    bad = call(simulator, "GET", ALL, query={"limit": 7})
    assert bad.status_code == 400 and error_code(bad) == "ModelArts.6400"


def test_every_users_notebooks_are_refused_to_a_non_administrator(simulator):
    forbidden = requests.patch(simulator.url + "/_sim/all_notebooks", json={"forbidden": True}, timeout=10)
    assert forbidden.json() == {"forbidden": True}
    answer = call(simulator, "GET", ALL)
    assert answer.status_code == 403 and error_code(answer) == "ModelArts.0203"
    assert call(simulator, "GET", "").status_code == 200
    simulator.reset()
    assert call(simulator, "GET", ALL).status_code == 200
