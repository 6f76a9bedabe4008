"""The official Huawei SDK saves a notebook as an image, registers an SWR image, shows and deletes them."""

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import (
    CreateImageRequest,
    DeleteImageRequest,
    DeleteImageRequestBody,
    ImageCreateReq,
    ImageRegRequest,
    RegisterImageRequest,
    ShowImageRequest,
)
from test_simulator_sdk import sdk_client


def test_sdk_saves_a_notebook_and_deletes_the_image_with_its_swr_content(simulator):
    images = simulator.resources["images"]
    nb = simulator.add_notebook(name="template", status="RUNNING")
    client = sdk_client(simulator)
    saved = client.create_image(
        CreateImageRequest(
            id=nb["id"],
            body=ImageCreateReq(name="pytorch-team", namespace="team-a", tag="v1", description="configured"),
        )
    )
    assert (saved.name, saved.namespace, saved.tag, saved.status, saved.type) == (
        "pytorch-team",
        "team-a",
        "v1",
        "INIT",
        "DEDICATED",
    )
    assert simulator.requests[-1].body == {
        "name": "pytorch-team",
        "namespace": "team-a",
        "tag": "v1",
        "description": "configured",
    }
    shown = client.show_image(ShowImageRequest(id=saved.id))
    assert (shown.id, shown.status, shown.swr_path) == (saved.id, "ACTIVE", saved.swr_path)
    with pytest.raises(ClientRequestException) as duplicate:
        client.create_image(
            CreateImageRequest(id=nb["id"], body=ImageCreateReq(name="pytorch-team", namespace="team-a", tag="v1"))
        )
    assert (duplicate.value.status_code, duplicate.value.error_code) == (400, "ModelArts.6737")

    deleted = client.delete_image(DeleteImageRequest(id=saved.id, body=DeleteImageRequestBody(is_force=True)))
    assert deleted.status == "DELETED"
    assert simulator.requests[-1].body == {"is_force": True} and simulator.requests[-1].query == {}
    assert images.swr_deleted == [saved.swr_path]
    with pytest.raises(ClientRequestException) as gone:
        client.show_image(ShowImageRequest(id=saved.id))
    assert (gone.value.status_code, gone.value.error_code) == (400, "ModelArts.6797")


def test_sdk_registers_an_image(simulator):
    client = sdk_client(simulator)
    path = "swr.cn-north-4.myhuaweicloud.com/team-b/cuda-tools:1.4"
    registered = client.register_image(
        RegisterImageRequest(
            body=ImageRegRequest(
                swr_path=path,
                arch="X86_64",
                description="built in CI",
                resource_category=["GPU"],
                services=["NOTEBOOK", "SSH"],
                service_type="DEV",
                visibility="PRIVATE",
                workspace_id="0",
            )
        )
    )
    assert (registered.swr_path, registered.name, registered.tag, registered.status) == (
        path,
        "cuda-tools",
        "1.4",
        "ACTIVE",
    )
    assert registered.resource_categories == ["GPU"] and registered.dev_services == ["NOTEBOOK", "SSH"]
    assert simulator.requests[-1].body["resource_category"] == ["GPU"]
    kept = client.delete_image(DeleteImageRequest(id=registered.id, body=DeleteImageRequestBody(is_force=False)))
    assert kept.status == "DELETED" and simulator.resources["images"].swr_deleted == []
