"""The official Huawei SDK round-trips every workspace call and GET /notebooks/all through the simulator."""

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkmodelarts.v1 import (
    CreateWorkspaceReq,
    CreateWorkspaceReqGrants,
    CreateWorkspaceRequest,
    DeleteWorkspaceRequest,
    ListAllNotebooksRequest,
    ListWorkspaceRequest,
    ShowWorkspaceQuotasRequest,
    ShowWorkspaceRequest,
    UpdateWorkspaceReq,
    UpdateWorkspaceRequest,
    ViewWorkspaceResponseGrants,
)
from test_simulator_sdk import sdk_client

OTHER_USER = {"id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "name": "bob"}


def test_sdk_creates_lists_shows_updates_and_deletes_a_workspace(simulator):
    client = sdk_client(simulator)
    created = client.create_workspace(
        CreateWorkspaceRequest(
            body=CreateWorkspaceReq(
                name="sdk-team",
                description="made by the SDK",
                auth_type="INTERNAL",
                grants=[CreateWorkspaceReqGrants(user_name="alice", user_type="IAM")],
                enterprise_project_id="0",
            )
        )
    )
    assert created.status == "NORMAL" and created.auth_type == "internal" and len(created.id) == 32
    assert [g.user_name for g in created.grants] == ["alice"] and len(created.grants[0].user_id) == 32

    listed = client.list_workspace(ListWorkspaceRequest(name="SDK", limit=1000, offset=0))
    assert (listed.total_count, listed.count) == (1, 1) and listed.workspaces[0].id == created.id

    updated = client.update_workspace(
        UpdateWorkspaceRequest(
            workspace_id=created.id,
            body=UpdateWorkspaceReq(
                description="changed by the SDK", grants=[ViewWorkspaceResponseGrants(user_name="bob")]
            ),
        )
    )
    assert updated.workspace_id == created.id
    shown = client.show_workspace(ShowWorkspaceRequest(workspace_id=created.id))
    assert shown.description == "changed by the SDK" and [g.user_name for g in shown.grants] == ["bob"]

    quotas = client.show_workspace_quotas(ShowWorkspaceQuotasRequest(workspace_id=created.id))
    assert "notebook" in [q.resource for q in quotas.quotas]

    deleted = client.delete_workspace(DeleteWorkspaceRequest(workspace_id=created.id))
    assert deleted.workspace_id == created.id
    with pytest.raises(ClientRequestException) as raised:
        client.show_workspace(ShowWorkspaceRequest(workspace_id=created.id))
    assert raised.value.error_code == "ModelArts.7005"
    assert [(w.method, w.path.rsplit("/", 1)[-1]) for w in simulator.writes] == [
        ("POST", "workspaces"),
        ("PUT", created.id),
        ("DELETE", created.id),
    ]


def test_sdk_lists_every_users_notebooks(simulator):
    simulator.add_notebook(name="sdk-mine")
    simulator.add_notebook(name="sdk-theirs", user=OTHER_USER)
    every = sdk_client(simulator).list_all_notebooks(
        ListAllNotebooksRequest(limit=50, offset=0, owner=OTHER_USER["id"])
    )
    assert every.total == 1 and every.data[0].name == "sdk-theirs"
    assert (every.data[0].user.id, every.data[0].user.name) == (OTHER_USER["id"], "bob")
