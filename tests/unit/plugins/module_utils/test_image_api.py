# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The image calls and the writes on an image, against the simulator."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._auth import TokenAuth
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, WaitError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsClient
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_actions import ImageActions
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_api import ImageAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_rules import Identity
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NotebookAPI

from modelarts_simulator import DEFAULT_AUTH_TOKEN  # pylint: disable=wrong-import-order

SWR = "swr.cn-north-4.myhuaweicloud.com"
IDENT = Identity("team-a", "pytorch-team", "v1", None)
SAVE_BODY = {"namespace": "team-a", "name": "pytorch-team", "tag": "v1"}


@pytest.fixture
def client(simulator):
    return ModelArtsClient(simulator.url, simulator.project_id, TokenAuth(DEFAULT_AUTH_TOKEN), max_retries=2)


@pytest.fixture
def api(client):
    return ImageAPI(client)


@pytest.fixture
def images(simulator):
    return simulator.resources["images"]


def actions(client, wait=True, wait_timeout=10, warnings=None):
    warnings = [] if warnings is None else warnings
    return ImageActions(ImageAPI(client), NotebookAPI(client), wait, wait_timeout, [], warn=warnings.append)


def test_find_asks_for_one_page_of_dedicated_images_with_the_exact_name(simulator, api, images):
    made = images.add("team-a", "pytorch-team", "v1")
    images.add("team-a", "pytorch-team", "v2")
    images.add("team-b", "pytorch-team", "v1")
    assert api.find(IDENT)["id"] == made["id"]
    (request,) = simulator.requests
    assert request.query == {
        "type": "DEDICATED",
        "name": "pytorch-team",
        "name_fuzzy_match": "false",
        "namespace": "team-a",
        "limit": "200",
        "offset": "0",
    }
    assert api.find(Identity("team-a", "pytorch-team", "v3", None)) is None


def test_find_by_path_or_by_identity(api, images):
    made = images.add("team-a", "cuda", "1.4", swr_path="registry.local/team-a/cuda:1.4")
    assert api.find(Identity("team-a", "cuda", "1.4", "registry.local/team-a/cuda:1.4"))["id"] == made["id"]
    # The same namespace, name and tag under another registry: the same image.
    assert api.find(Identity("team-a", "cuda", "1.4", "%s/team-a/cuda:1.4" % SWR))["id"] == made["id"]


def test_find_prefers_an_image_that_is_not_being_deleted(api, images):
    images.image_seconds = 30
    old = images.add("team-a", "pytorch-team", "v1")
    images.set_status(old["id"], "DELETED")
    assert api.find(IDENT)["id"] == old["id"]
    new = images.add("team-a", "pytorch-team", "v1")
    assert api.find(IDENT)["id"] == new["id"]


def test_find_fails_naming_the_ids_of_several_images_alike(api, images):
    first, second = images.add("team-a", "pytorch-team", "v1"), images.add("team-a", "pytorch-team", "v1")
    with pytest.raises(ModuleError) as caught:
        api.find(IDENT)
    assert caught.value.message == (
        "among the images of namespace 'team-a', 2 images are named 'team-a/pytorch-team:v1' (ids: %s): give id to "
        "choose one" % ", ".join(sorted((first["id"], second["id"])))
    )


def test_find_looks_in_the_workspace_given(simulator, api, images):
    workspace = "a" * 32
    made = images.add("team-a", "pytorch-team", "v1", workspace_id=workspace)
    assert api.find(IDENT) is None
    assert api.find(IDENT, workspace)["id"] == made["id"]
    assert simulator.requests[-1].query["workspace_id"] == workspace


def test_show_if_exists(api, images):
    made = images.add("team-a", "x", "v1")
    assert api.show_if_exists(made["id"])["id"] == made["id"]
    assert api.show_if_exists("00000000-0000-0000-0000-000000000000") is None


@pytest.mark.parametrize("force", [False, True])
def test_delete_sends_the_choice_as_the_body_and_the_query(simulator, api, images, force):
    made = images.add("team-a", "x", "v1")
    assert api.delete(made["id"], force)["status"] == "DELETED"
    request = simulator.requests[-1]
    assert (request.query, request.body) == ({"force": str(force).lower()}, {"is_force": force})
    assert images.swr_deleted == ([made["swr_path"]] if force else [])


def test_a_save_waits_for_the_image_and_for_the_notebook_to_run_again(simulator, client, images):
    images.image_seconds = 0.2
    nb = simulator.add_notebook(name="template", status="RUNNING")
    doer = actions(client)
    saved = doer.save(nb, IDENT, SAVE_BODY)
    assert saved["status"] == "ACTIVE" and doer.done == ["save"]
    assert simulator.notebook(nb["id"])["status"] == "RUNNING"
    assert [r.method for r in simulator.writes] == ["POST"]
    # The last read is the notebook's, once the image is ACTIVE.
    assert simulator.requests[-1].path.endswith("/notebooks/%s" % nb["id"])


def test_a_notebook_stopped_after_the_save_is_a_warning(simulator, client, images):
    images.image_seconds = 0.05
    nb = simulator.add_notebook(name="template", status="RUNNING")
    warnings = []
    doer = actions(client, warnings=warnings)
    doer.image = {"id": "img"}
    simulator.set_status(nb["id"], "STOPPED")
    doer.notebook_running_again(nb["id"])
    assert warnings == [
        "notebook instance %s is STOPPED after the save of image img, not RUNNING: someone changed "
        "it meanwhile" % nb["id"]
    ]
    simulator.remove_notebook(nb["id"])
    doer.notebook_running_again(nb["id"])
    assert "is gone after the save" in warnings[-1]


def test_a_failed_save_raises_with_the_status_message(simulator, client, images):
    nb = simulator.add_notebook(status="RUNNING")
    images.fail_next("CREATE_FAILED", "disk full")
    doer = actions(client)
    with pytest.raises(WaitError) as caught:
        doer.save(nb, IDENT, SAVE_BODY)
    assert "is CREATE_FAILED (status_message: disk full)" in caught.value.message
    assert caught.value.result["image"]["status"] == "CREATE_FAILED" and doer.done == ["save"]


def test_without_wait_a_save_returns_the_answer(simulator, client, images):
    images.image_seconds = 5
    nb = simulator.add_notebook(status="RUNNING")
    saved = actions(client, wait=False).save(nb, IDENT, SAVE_BODY)
    assert saved["status"] == "INIT" and len(simulator.requests) == 1


def test_a_register_waits_until_active(simulator, client):
    path = "%s/team-a/cuda:1.4" % SWR
    doer = actions(client)
    registered = doer.register(Identity("team-a", "cuda", "1.4", path), {"swr_path": path, "arch": "X86_64"})
    assert registered["status"] == "ACTIVE" and doer.done == ["register"]


def test_a_delete_someone_else_did_first_records_nothing(simulator, client, images):
    made = images.add("team-a", "x", "v1")
    simulator.inject_fault(
        method="DELETE", status=400, body={"error_code": "ModelArts.6797", "error_msg": "The image is not found."}
    )
    doer = actions(client)
    assert doer.delete(made, False) is None and doer.done == []


def test_an_image_being_made_is_waited_for_before_it_is_deleted(simulator, client, images):
    images.image_seconds = 0.2
    made = images.add("team-a", "x", "v1", status="CREATING")
    doer = actions(client)
    deleted = doer.delete(made, False, settle_first=True)
    assert deleted["status"] == "DELETED" and doer.done == ["delete"]
    assert [r.method for r in simulator.writes] == ["DELETE"]
    assert all(r.method == "GET" for r in simulator.requests[:-1]) and len(simulator.requests) >= 2
