# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""notebook_image in-process against the simulator: save, register, delete, check mode, diff, failures."""

from __future__ import annotations

import functools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_image
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

SWR = "swr.cn-north-4.myhuaweicloud.com"
IDENTITY = {"namespace": "team-a", "name": "pytorch-team", "tag": "v1"}


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, notebook_image, simulator, wait_timeout=10)


@pytest.fixture
def images(simulator):
    images = simulator.resources["images"]
    images.image_seconds = 0.1
    return images


@pytest.fixture
def template(simulator):
    return simulator.add_notebook(name="template", status="RUNNING")


def calls(sim):
    return [(r.method, r.path.split("/", 3)[3]) for r in sim.requests]


def test_save_by_notebook_name(simulator, run, images, template):
    result = run(notebook="template", description="the team's notebook", **IDENTITY)
    assert result["changed"] is True and result["actions"] == ["save"]
    image = result["image"]
    assert (image["status"], image["name"], image["namespace"], image["tag"]) == (
        "ACTIVE",
        "pytorch-team",
        "team-a",
        "v1",
    )
    (save,) = simulator.writes
    assert save.path.endswith("/notebooks/%s/create-image" % template["id"])
    assert save.body == dict(IDENTITY, description="the team's notebook")
    assert simulator.notebook(template["id"])["status"] == "RUNNING"
    sequence = calls(simulator)
    assert sequence[:3] == [
        ("GET", "images"),
        ("GET", "notebooks"),
        ("POST", "notebooks/%s/create-image" % template["id"]),
    ]
    assert sequence[-1] == ("GET", "notebooks/%s" % template["id"])
    assert set(sequence[3:-1]) == {("GET", "images/%s" % image["id"])}


def test_save_by_notebook_id_in_a_workspace(simulator, run, images, template):
    workspace = "b" * 32
    result = run(notebook=template["id"], workspace_id=workspace, **IDENTITY)
    assert result["image"]["workspace_id"] == workspace
    assert simulator.writes[0].body["workspace_id"] == workspace
    # The notebook, named by id, is read directly; the image is looked up in the workspace.
    assert calls(simulator)[1] == ("GET", "notebooks/%s" % template["id"])
    assert simulator.requests[0].query["workspace_id"] == workspace


def test_an_existing_image_costs_one_request_and_is_never_saved_again(simulator, run, images, template):
    made = images.add(**IDENTITY)
    result = run(notebook="template", description="other", **IDENTITY)
    assert (result["changed"], result["actions"], result["image"]["id"]) == (False, [], made["id"])
    assert calls(simulator) == [("GET", "images")] and not simulator.writes


def test_an_existing_image_by_id_costs_one_get(simulator, run, images):
    made = images.add(**IDENTITY)
    result = run(id=made["id"])
    assert (result["changed"], result["image"]["id"]) == (False, made["id"])
    assert calls(simulator) == [("GET", "images/%s" % made["id"])]


def test_an_unknown_id_is_a_clear_failure(simulator, run):
    result = run(id="00000000-0000-0000-0000-000000000000")
    assert result["failed"] is True
    assert result["msg"].startswith("no image has id 00000000-0000-0000-0000-000000000000 (to make one, give namespace")


def test_without_notebook_or_swr_path_a_missing_image_fails(simulator, run):
    result = run(**IDENTITY)
    assert result["failed"] is True and result["msg"] == (
        "no image team-a/pytorch-team:v1 exists: give notebook to save one from a notebook, or swr_path to register one"
    )
    assert not simulator.writes


def test_check_mode_plans_the_save_and_sends_nothing(simulator, run, images, template):
    result = run(check=True, diff=True, notebook="template", description="d", **IDENTITY)
    assert (result["changed"], result["actions"]) == (True, ["save"])
    assert result["diff"] == {"before": {}, "after": dict(IDENTITY, description="d")}
    assert "image" not in result and not simulator.writes
    assert all(r.method == "GET" for r in simulator.requests)


@pytest.mark.parametrize("status", ["STOPPED", "STARTING", "SNAPSHOTTING", "ERROR"])
@pytest.mark.parametrize("check", [False, True])
def test_a_notebook_that_is_not_running_is_refused_before_any_write(simulator, run, images, status, check):
    nb = simulator.add_notebook(name="template", status="RUNNING")
    simulator.set_status(nb["id"], status, after=60)
    result = run(check=check, notebook="template", **IDENTITY)
    assert result["failed"] is True and (result["changed"], result["actions"]) == (False, [])
    assert result["msg"].startswith(
        "notebook instance %s (template) is %s: only a RUNNING notebook can be saved as an image" % (nb["id"], status)
    )
    assert not simulator.writes and nb["token"] not in str(result)


def test_an_unknown_notebook_is_a_clear_failure(simulator, run):
    result = run(notebook="nobody", **IDENTITY)
    assert result["failed"] is True and result["msg"].startswith("no notebook instance is named 'nobody'")
    assert not simulator.writes


@pytest.mark.parametrize("status", ["CREATE_FAILED", "ERROR"])
@pytest.mark.parametrize("state", ["present", "absent"])
def test_a_failed_image_is_reported_and_only_deleted(simulator, run, images, template, status, state):
    made = images.add(status=status, status_message="the SWR quota is used up", **IDENTITY)
    result = run(notebook="template", state=state, **IDENTITY)
    if state == "present":
        assert result["failed"] is True and not simulator.writes
        assert result["msg"] == (
            "image %s (team-a/pytorch-team:v1) is %s (status_message: the SWR quota is used up): an image is never "
            "saved or registered again; remove it with state=absent, then run the task again" % (made["id"], status)
        )
        assert result["image"]["id"] == made["id"]
    else:
        assert (result["changed"], result["actions"]) == (True, ["delete"])


def test_an_image_being_made_is_waited_for_not_saved_again(simulator, run, images, template):
    images.image_seconds = 0.3
    made = images.add(status="CREATING", **IDENTITY)
    result = run(notebook="template", **IDENTITY)
    assert (result["changed"], result["actions"], result["image"]["status"]) == (False, [], "ACTIVE")
    assert result["image"]["id"] == made["id"] and not simulator.writes


def test_a_rerun_during_a_save_waits_for_the_image_and_the_notebook(simulator, run, images, template):
    images.image_seconds = 0.4
    first = run(notebook="template", wait=False, **IDENTITY)
    assert first["image"]["status"] == "INIT" and simulator.notebook(template["id"])["status"] == "SNAPSHOTTING"
    again = run(notebook="template", **IDENTITY)
    assert (again["changed"], again["image"]["status"]) == (False, "ACTIVE")
    assert simulator.notebook(template["id"])["status"] == "RUNNING" and len(simulator.writes) == 1


def test_without_wait_a_save_returns_after_the_call(simulator, run, images, template):
    images.image_seconds = 5
    result = run(notebook="template", wait=False, **IDENTITY)
    assert (result["changed"], result["image"]["status"]) == (True, "INIT")
    assert calls(simulator)[-1][0] == "POST"


def test_a_save_that_fails_reports_the_status_message_and_the_image(simulator, run, images, template):
    images.fail_next("CREATE_FAILED", "the notebook's disk is too large")
    result = run(notebook="template", **IDENTITY)
    assert result["failed"] is True and result["actions"] == ["save"] and result["changed"] is True
    assert "is CREATE_FAILED (status_message: the notebook's disk is too large)" in result["msg"]
    assert result["image"]["status"] == "CREATE_FAILED"


def test_a_notebook_stopped_during_the_save_fails_the_task_naming_the_image(
    simulator, run, images, template, monkeypatch
):
    images.image_seconds = 5
    send = notebook_image.ImageActions.save

    def save_then_stop(self, notebook, *args, **kwargs):
        wait, self.wait = self.wait, False
        image = send(self, notebook, *args, **kwargs)
        simulator.set_status(notebook["id"], "STOPPED")
        self.wait = wait
        return self.api.wait_ready(image, self.wait_timeout, "to be saved")

    monkeypatch.setattr(notebook_image.ImageActions, "save", save_then_stop)
    result = run(notebook="template", **IDENTITY)
    assert result["failed"] is True and result["image"]["status"] == "CREATE_FAILED"
    assert "Waiting for image %s" % result["image"]["id"] in result["msg"] and "was stopped" in result["msg"]


def test_register_sends_the_sdk_body(simulator, run):
    path = "%s/team-b/cuda-tools:1.4" % SWR
    result = run(
        swr_path=path, resource_categories=["GPU"], services=["SSH"], service_type="DEV", description="CI", diff=True
    )
    assert (result["changed"], result["actions"], result["image"]["status"]) == (True, ["register"], "ACTIVE")
    assert simulator.writes[0].body == {
        "swr_path": path,
        "arch": "X86_64",
        "resource_category": ["GPU"],
        "services": ["SSH"],
        "service_type": "DEV",
        "description": "CI",
    }
    assert result["diff"]["after"] == {
        "namespace": "team-b",
        "name": "cuda-tools",
        "tag": "1.4",
        "swr_path": path,
        "arch": "X86_64",
        "resource_categories": ["GPU"],
        "dev_services": ["SSH"],
        "service_type": "DEV",
        "description": "CI",
    }
    assert (result["image"]["resource_categories"], result["image"]["dev_services"]) == (["GPU"], ["SSH"])
    again = run(swr_path=path)
    assert (again["changed"], again["image"]["id"]) == (False, result["image"]["id"]) and len(simulator.writes) == 1


def test_a_registered_image_is_found_by_its_identity_under_another_registry(simulator, run, images):
    made = images.add("team-b", "cuda-tools", "1.4", swr_path="registry.local/team-b/cuda-tools:1.4")
    result = run(swr_path="%s/team-b/cuda-tools:1.4" % SWR)
    assert (result["changed"], result["image"]["id"]) == (False, made["id"]) and not simulator.writes


def test_a_register_that_fails_is_reported(simulator, run, images):
    images.fail_next("CREATE_FAILED", "the SWR image does not exist")
    result = run(swr_path="%s/team-b/missing:1" % SWR)
    assert result["failed"] is True and result["actions"] == ["register"]
    assert "is CREATE_FAILED (status_message: the SWR image does not exist)" in result["msg"]


@pytest.mark.parametrize("force", [False, True])
def test_delete_by_identity_with_or_without_the_swr_content(simulator, run, images, force):
    made = images.add(**IDENTITY)
    result = run(state="absent", delete_swr_content=force, diff=True, **IDENTITY)
    assert (result["changed"], result["actions"], result["image"]["status"]) == (True, ["delete"], "DELETED")
    (delete,) = simulator.writes
    assert (delete.query, delete.body) == ({"force": str(force).lower()}, {"is_force": force})
    assert images.swr_deleted == ([made["swr_path"]] if force else [])
    assert result["diff"] == {
        "before": {k: made[k] for k in ("id", "namespace", "name", "tag", "swr_path", "status")},
        "after": {},
    }
    again = run(state="absent", **IDENTITY)
    assert (again["changed"], again["actions"]) == (False, [])
    # Still DELETED, or already gone.
    assert again.get("image", {"status": "DELETED"})["status"] == "DELETED"
    assert len(simulator.writes) == 1


def test_delete_by_id_and_by_swr_path(simulator, run, images):
    by_id = images.add("team-a", "x", "v1")
    assert run(id=by_id["id"], state="absent")["actions"] == ["delete"]
    by_path = images.add("team-a", "y", "v1")
    assert run(swr_path=by_path["swr_path"], state="absent")["actions"] == ["delete"]
    unknown = run(id="00000000-0000-0000-0000-000000000000", state="absent")
    assert (unknown["changed"], unknown["actions"]) == (False, [])
    assert len(simulator.writes) == 2


def test_check_mode_plans_the_delete_and_sends_nothing(simulator, run, images):
    made = images.add(**IDENTITY)
    result = run(check=True, state="absent", **IDENTITY)
    assert (result["changed"], result["actions"], result["image"]["id"]) == (True, ["delete"], made["id"])
    assert not simulator.writes and images.get(made["id"])["status"] == "ACTIVE"


def test_an_image_being_deleted_is_gone_for_absent_and_made_anew_for_present(simulator, run, images, template):
    images.image_seconds = 0.2
    made = images.add(**IDENTITY)
    images.set_status(made["id"], "DELETED")
    gone = run(state="absent", **IDENTITY)
    assert (gone["changed"], gone["actions"]) == (False, []) and not simulator.writes
    # Until it is gone the service refuses its tag: the failure says so; a rerun later saves it.
    refused = run(notebook="template", max_retries=0, **IDENTITY)
    assert refused["failed"] is True and "ModelArts.6737" in refused["msg"]
    assert "run the task again once it is gone" in refused["msg"]
    images.image_seconds = 0
    images.set_status(made["id"], "DELETED")
    saved = run(notebook="template", **IDENTITY)
    assert saved["actions"] == ["save"] and saved["image"]["id"] != made["id"]


def test_an_image_someone_else_saves_meanwhile_is_adopted_without_a_change(
    simulator, run, images, template, monkeypatch
):
    send = notebook_image.ImageAPI.save

    def someone_else_first(self, notebook_id, body):
        images.add(**IDENTITY)
        return send(self, notebook_id, body)

    monkeypatch.setattr(notebook_image.ImageAPI, "save", someone_else_first)
    result = run(notebook="template", **IDENTITY)
    assert (result["changed"], result["actions"], result["image"]["status"]) == (False, [], "ACTIVE")
    assert not simulator.writes


@pytest.mark.parametrize(
    "args,message",
    [
        ({"notebook": "nb", "namespace": "team-a", "name": "x"}, "tag"),
        ({"name": "x", "tag": "v1"}, "namespace"),
        ({"id": "i", "name": "x", "namespace": "n", "tag": "t"}, "mutually exclusive"),
        ({"swr_path": "%s/a/b:1" % SWR, "notebook": "nb"}, "mutually exclusive"),
        ({"swr_path": "%s/a/b:1" % SWR, "name": "b", "namespace": "a", "tag": "1"}, "mutually exclusive"),
        ({"state": "absent"}, "one of the following is required: id, swr_path, name, notebook"),
        ({"notebook": "nb"}, "missing parameter(s) required by 'notebook': namespace, name, tag"),
        ({"name": "Bad", "namespace": "team", "tag": "v1"}, "name must be 1 to 128 lowercase letters"),
        ({"notebook": "nb", "arch": "AARCH64", **IDENTITY}, "arch describes a registered image"),
        ({"swr_path": "not-a-path"}, "swr_path must be registry/namespace/name:tag"),
    ],
)
def test_bad_input_fails_before_any_request(simulator, run, args, message):
    result = run(**args)
    assert result["failed"] is True and message in result["msg"]
    assert not simulator.requests
