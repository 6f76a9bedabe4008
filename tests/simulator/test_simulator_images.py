"""The images resource: save a notebook as an image, register an SWR image, delete one; the rules and statuses."""

import time

import pytest
import requests
from sim_client import call, error_code

IMAGES = "/v1/{project}/images"
SWR = "swr.cn-north-4.myhuaweicloud.com"
SAVE = {"name": "pytorch-team", "namespace": "team-a", "tag": "v1", "description": "configured"}


def images_path(sim, *rest):
    return "/".join([IMAGES.format(project=sim.project_id)] + list(rest))


def save(sim, nb_id, body=None):
    return call(sim, "POST", "/%s/create-image" % nb_id, body=dict(SAVE) if body is None else body)


def show(sim, image_id):
    return call(sim, "GET", images_path(sim, image_id))


def dedicated(sim, **query):
    return call(sim, "GET", images_path(sim), query=dict({"type": "DEDICATED"}, **query)).json()


def until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def images(simulator):
    return simulator.resources["images"]


def test_a_save_snapshots_the_notebook_and_the_image_becomes_active(simulator, images):
    images.image_seconds = 0.3
    nb = simulator.add_notebook(name="template", status="RUNNING")
    answer = save(simulator, nb["id"])
    assert answer.status_code == 200
    image = answer.json()
    assert {k: image[k] for k in ("name", "namespace", "tag", "description", "status", "type", "origin")} == {
        "name": "pytorch-team",
        "namespace": "team-a",
        "tag": "v1",
        "description": "configured",
        "status": "INIT",
        "type": "DEDICATED",
        "origin": "IMAGE_SAVE",
    }
    assert image["swr_path"] == "%s/team-a/pytorch-team:v1" % SWR and image["workspace_id"] == "0"
    assert simulator.notebook(nb["id"])["status"] == "SNAPSHOTTING"
    seen = set()

    def active():
        seen.add(show(simulator, image["id"]).json()["status"])
        return "ACTIVE" in seen

    until(active)
    assert seen <= {"INIT", "CREATING", "ACTIVE"} and "CREATING" in seen
    assert simulator.notebook(nb["id"])["status"] == "RUNNING"
    assert [r.path for r in simulator.writes] == ["/v1/%s/notebooks/%s/create-image" % (simulator.project_id, nb["id"])]
    # Listed among the project's own images, and usable by a new notebook.
    assert [i["id"] for i in dedicated(simulator, name="pytorch-team", name_fuzzy_match="false")["data"]] == [
        image["id"]
    ]
    made = simulator.add_notebook(image_id=image["id"])
    assert made["image"]["id"] == image["id"]


def test_a_save_needs_a_running_notebook_and_an_unused_tag(simulator):
    stopped = simulator.add_notebook(status="STOPPED")
    refused = save(simulator, stopped["id"])
    assert (refused.status_code, error_code(refused)) == (400, "ModelArts.6357")
    unknown = save(simulator, "00000000-0000-0000-0000-000000000000")
    assert (unknown.status_code, error_code(unknown)) == (400, "ModelArts.6309")
    running = simulator.add_notebook(status="RUNNING")
    assert save(simulator, running["id"]).status_code == 200
    until(lambda: simulator.notebook(running["id"])["status"] == "RUNNING")
    duplicate = save(simulator, running["id"])
    assert (duplicate.status_code, error_code(duplicate)) == (400, "ModelArts.6737")
    assert save(simulator, running["id"], dict(SAVE, tag="v2")).status_code == 200
    assert len(simulator.writes) == 2


@pytest.mark.parametrize(
    "body,code",
    [
        ({"namespace": "team-a", "tag": "v1"}, "ModelArts.6335"),
        ({"name": "x", "tag": "v1"}, "ModelArts.6335"),
        (dict(SAVE, name="Upper"), "ModelArts.6336"),
        (dict(SAVE, name="ends-"), "ModelArts.6336"),
        (dict(SAVE, name="x" * 129), "ModelArts.6336"),
        (dict(SAVE, namespace="9team"), "ModelArts.6336"),
        (dict(SAVE, namespace="t" * 65), "ModelArts.6336"),
        (dict(SAVE, tag="v 1"), "ModelArts.6336"),
        (dict(SAVE, tag="t" * 65), "ModelArts.6336"),
        (dict(SAVE, description="d" * 513), "ModelArts.6336"),
        (dict(SAVE, workspace_id="team"), "ModelArts.6336"),
        (dict(SAVE, unknown="x"), "ModelArts.6400"),
        (dict(SAVE, tag=1), "ModelArts.6400"),
    ],
)
def test_save_rules(simulator, body, code):
    nb = simulator.add_notebook(status="RUNNING")
    answer = save(simulator, nb["id"], body)
    assert (answer.status_code, error_code(answer)) == (400, code)
    assert simulator.notebook(nb["id"])["status"] == "RUNNING" and not simulator.writes


@pytest.mark.parametrize("status", ["CREATE_FAILED", "ERROR"])
def test_an_armed_failure_ends_the_save_with_its_status_message(simulator, images, status):
    nb = simulator.add_notebook(status="RUNNING")
    images.fail_next(status, "no space left in SWR")
    image = save(simulator, nb["id"]).json()
    shown = show(simulator, image["id"]).json()
    assert (shown["status"], shown["status_message"]) == (status, "no space left in SWR")
    assert simulator.notebook(nb["id"])["status"] == "RUNNING"
    # Armed once: the next save succeeds.
    other = save(simulator, nb["id"], dict(SAVE, tag="v2")).json()
    until(lambda: simulator.notebook(nb["id"])["status"] == "RUNNING")
    assert show(simulator, other["id"]).json()["status"] == "ACTIVE"


@pytest.mark.parametrize("what", ["stopped", "deleted"])
def test_a_notebook_stopped_or_deleted_during_the_save_fails_the_image(simulator, images, what):
    images.image_seconds = 5
    nb = simulator.add_notebook(status="RUNNING")
    image = save(simulator, nb["id"]).json()
    if what == "stopped":
        simulator.set_status(nb["id"], "STOPPED")
    else:
        simulator.remove_notebook(nb["id"])
    shown = show(simulator, image["id"]).json()
    assert shown["status"] == "CREATE_FAILED" and what in shown["status_message"]


def test_someone_stopping_the_notebook_during_the_next_save_fails_the_image(simulator, images):
    images.image_seconds = 5
    images.stop_during_next_save(after=0.1)
    nb = simulator.add_notebook(status="RUNNING")
    image = save(simulator, nb["id"]).json()
    assert show(simulator, image["id"]).json()["status"] == "INIT"
    time.sleep(0.15)
    shown = show(simulator, image["id"]).json()
    assert shown["status"] == "CREATE_FAILED" and "stopped" in shown["status_message"]
    assert simulator.notebook(nb["id"])["status"] == "STOPPED"
    # Once only: the next save runs to its end.
    images.image_seconds = 0
    simulator.set_status(nb["id"], "RUNNING")
    other = save(simulator, nb["id"], dict(SAVE, tag="v2")).json()
    assert show(simulator, other["id"]).json()["status"] == "ACTIVE"


def test_register_answers_the_image_active(simulator):
    path = "%s/team-b/cuda-tools:1.4" % SWR
    body = {
        "swr_path": path,
        "arch": "AARCH64",
        "description": "built in CI",
        "resource_category": ["GPU"],
        "services": ["SSH"],
        "service_type": "DEV",
        "visibility": "PUBLIC",
    }
    answer = call(simulator, "POST", images_path(simulator), body=body)
    assert answer.status_code == 200
    image = answer.json()
    assert {k: image[k] for k in ("name", "namespace", "tag", "swr_path", "status", "origin", "arch")} == {
        "name": "cuda-tools",
        "namespace": "team-b",
        "tag": "1.4",
        "swr_path": path,
        "status": "ACTIVE",
        "origin": "CUSTOMIZE",
        "arch": "AARCH64",
    }
    assert (image["resource_categories"], image["dev_services"], image["visibility"]) == (["GPU"], ["SSH"], "PUBLIC")
    assert show(simulator, image["id"]).json() == image
    again = call(simulator, "POST", images_path(simulator), body={"swr_path": path})
    assert (again.status_code, error_code(again)) == (400, "ModelArts.6737")
    defaults = call(simulator, "POST", images_path(simulator), body={"swr_path": "%s/team-b/plain:1" % SWR}).json()
    assert (defaults["arch"], defaults["resource_categories"], defaults["dev_services"]) == (
        "X86_64",
        ["CPU", "GPU"],
        ["NOTEBOOK", "SSH"],
    )


@pytest.mark.parametrize(
    "body,code",
    [
        ({}, "ModelArts.6335"),
        ({"swr_path": "swr.example.com/no-tag"}, "ModelArts.6336"),
        ({"swr_path": "short/a/b:1"}, "ModelArts.6336"),
        ({"swr_path": "%s/Team/x:1" % SWR}, "ModelArts.6336"),
        ({"swr_path": "%s/team/x:1" % SWR, "arch": "x86"}, "ModelArts.6336"),
        ({"swr_path": "%s/team/x:1" % SWR, "resource_category": ["TPU"]}, "ModelArts.6336"),
        ({"swr_path": "%s/team/x:1" % SWR, "services": ["HTTP"]}, "ModelArts.6336"),
        ({"swr_path": "%s/team/x:1" % SWR, "visibility": "SHARED"}, "ModelArts.6336"),
        # The SDK's field is resource_category, singular.
        ({"swr_path": "%s/team/x:1" % SWR, "resource_categories": ["CPU"]}, "ModelArts.6400"),
        ({"swr_path": "%s/team/x:1" % SWR, "resource_category": "CPU"}, "ModelArts.6400"),
    ],
)
def test_register_rules(simulator, body, code):
    answer = call(simulator, "POST", images_path(simulator), body=body)
    assert (answer.status_code, error_code(answer)) == (400, code) and not simulator.writes


def test_an_armed_failure_ends_a_register(simulator, images):
    images.fail_next("CREATE_FAILED", "the SWR image does not exist")
    image = call(simulator, "POST", images_path(simulator), body={"swr_path": "%s/team/x:1" % SWR}).json()
    assert (image["status"], image["status_message"]) == ("CREATE_FAILED", "the SWR image does not exist")


@pytest.mark.parametrize(
    "query,body,force",
    [
        ({"force": "false"}, {"is_force": False}, False),
        ({"force": "true"}, {"is_force": True}, True),
        ({"force": "true"}, None, True),
        (None, {"is_force": True}, True),
        (None, None, False),
    ],
)
def test_delete_shows_deleted_then_the_image_is_gone(simulator, images, query, body, force):
    images.image_seconds = 0.2
    image = images.add("team-a", "old", "v0")
    answer = call(simulator, "DELETE", images_path(simulator, image["id"]), query=query, body=body)
    assert answer.status_code == 200 and answer.json()["status"] == "DELETED"
    assert show(simulator, image["id"]).json()["status"] == "DELETED"
    assert images.swr_deleted == ([image["swr_path"]] if force else [])
    until(lambda: show(simulator, image["id"]).status_code == 400)
    gone = show(simulator, image["id"])
    assert error_code(gone) == "ModelArts.6797"
    assert not [i for i in dedicated(simulator, namespace="team-a")["data"] if i["id"] == image["id"]]
    again = call(simulator, "DELETE", images_path(simulator, image["id"]))
    assert (again.status_code, error_code(again)) == (400, "ModelArts.6797")


def test_a_deleted_image_holds_its_tag_until_it_is_gone(simulator, images):
    images.image_seconds = 0.3
    nb = simulator.add_notebook(status="RUNNING")
    image = images.add("team-a", "pytorch-team", "v1")
    call(simulator, "DELETE", images_path(simulator, image["id"]))
    refused = save(simulator, nb["id"])
    assert error_code(refused) == "ModelArts.6737"
    until(lambda: show(simulator, image["id"]).status_code == 400)
    assert save(simulator, nb["id"]).status_code == 200


@pytest.mark.parametrize(
    "query,body", [({"force": "yes"}, None), (None, {"is_force": "true"}), (None, {"force": True})]
)
def test_delete_rules(simulator, images, query, body):
    image = images.add("team-a", "old", "v0")
    answer = call(simulator, "DELETE", images_path(simulator, image["id"]), query=query, body=body)
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6400")
    assert show(simulator, image["id"]).json()["status"] == "ACTIVE"


def test_an_image_being_saved_cannot_be_deleted(simulator, images):
    images.image_seconds = 5
    nb = simulator.add_notebook(status="RUNNING")
    image = save(simulator, nb["id"]).json()
    refused = call(simulator, "DELETE", images_path(simulator, image["id"]))
    assert (refused.status_code, error_code(refused)) == (400, "ModelArts.6357")


def test_control_api_adds_images_sets_statuses_and_arms_failures(simulator):
    added = requests.post(
        simulator.url + "/_sim/images",
        json={"namespace": "team-c", "name": "seeded", "tag": "v1", "status": "CREATING"},
        timeout=5,
    )
    assert added.status_code == 201 and added.json()["status"] == "CREATING"
    image_id = added.json()["id"]
    # A seeded CREATING image ends ACTIVE after image_seconds (0 here): the next read.
    assert show(simulator, image_id).json()["status"] == "ACTIVE"
    failed = requests.patch(
        simulator.url + "/_sim/images/" + image_id, json={"status": "ERROR", "status_message": "broken"}, timeout=5
    )
    assert (failed.status_code, failed.json()["status"], failed.json()["status_message"]) == (200, "ERROR", "broken")
    armed = requests.post(simulator.url + "/_sim/fail_next_image", json={"status": "CREATE_FAILED"}, timeout=5)
    assert armed.status_code == 200
    nb = simulator.add_notebook(status="RUNNING")
    assert show(simulator, save(simulator, nb["id"]).json()["id"]).json()["status"] == "CREATE_FAILED"
    bad = requests.post(simulator.url + "/_sim/fail_next_image", json={"status": "ACTIVE"}, timeout=5)
    assert bad.status_code == 400


def test_reset_restores_the_catalogue(simulator, images):
    catalogue = {i["id"] for i in dedicated(simulator, limit="200")["data"]}
    first = next(iter(catalogue))
    call(simulator, "DELETE", images_path(simulator, first))
    images.add("team-a", "added", "v1")
    simulator.reset()
    assert {i["id"] for i in dedicated(simulator, limit="200")["data"]} == catalogue
    assert images.swr_deleted == []


def test_faults_answer_image_calls_like_any_other(simulator):
    nb = simulator.add_notebook(status="RUNNING")
    simulator.inject_fault(method="POST", path="/create-image$", status=503, apply=True)
    lost = save(simulator, nb["id"])
    assert lost.status_code == 503
    # Applied: the image exists, the notebook is snapshotted, the write is recorded.
    assert [i["name"] for i in dedicated(simulator, namespace="team-a", name="pytorch-team")["data"]] == [
        "pytorch-team"
    ]
    assert len(simulator.writes) == 1
