"""The official Huawei SDK talks to the simulator: proof that the simulator speaks the real wire protocol."""

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkmodelarts.v1 import (
    ContainerHooks,
    CreateImageRequest,
    CreateNotebookRequest,
    CreateNotebookTagsRequest,
    CreateTmsTagsRequest,
    CreateWorkspaceReq,
    CreateWorkspaceReqGrants,
    CreateWorkspaceRequest,
    CustomHooks,
    DeleteImageRequest,
    DeleteImageRequestBody,
    DeleteNotebookRequest,
    DeleteNotebookTagsRequest,
    DeleteTmsTagsRequest,
    DeleteWorkspaceRequest,
    EndpointsReq,
    ImageCreateReq,
    ImageRegRequest,
    LeaseReq,
    ListAllNotebooksRequest,
    ListFlavorsRequest,
    ListImageRequest,
    ListNotebooksRequest,
    ListWorkspaceRequest,
    ModelArtsClient,
    NotebookCreateRequest,
    NotebookUpdateRequest,
    RegisterImageRequest,
    RenewLeaseRequest,
    ShowImageRequest,
    ShowLeaseRequest,
    ShowNotebookRequest,
    ShowSwitchableFlavorsRequest,
    ShowWorkspaceQuotasRequest,
    ShowWorkspaceRequest,
    StartNotebookRequest,
    StopNotebookRequest,
    TmsTag,
    UpdateNotebookRequest,
    UpdateWorkspaceReq,
    UpdateWorkspaceRequest,
    ViewWorkspaceResponseGrants,
    VolumeMountRequest,
)
from huaweicloudsdkmodelarts.v1.model.config import Config as HookConfig

from modelarts_simulator import DEFAULT_ACCESS_KEY as AK, DEFAULT_SECRET_KEY as SK, Simulator


def sdk_client(sim, ak=AK, sk=SK, security_token=None, http_config=None):
    credentials = BasicCredentials(ak, sk, sim.project_id)
    if security_token:
        credentials = credentials.with_security_token(security_token)
    config = http_config or HttpConfig.get_default_config()
    config.retry_times = 0
    return (
        ModelArtsClient.new_builder()
        .with_credentials(credentials)
        .with_endpoint(sim.url)
        .with_http_config(config)
        .build()
    )


def test_sdk_shows_updates_stops_starts_and_lists(simulator):
    nb = simulator.add_notebook(name="sdk-nb", status="RUNNING", capacity=5)
    simulator.add_notebook(name="other")
    client = sdk_client(simulator)

    shown = client.show_notebook(ShowNotebookRequest(id=nb["id"]))
    assert (shown.id, shown.name, shown.status, shown.token) == (nb["id"], "sdk-nb", "RUNNING", nb["token"])
    assert shown.image.id == nb["image"]["id"] and shown.volume.capacity == 5

    with pytest.raises(ClientRequestException) as refused:
        client.update_notebook(UpdateNotebookRequest(id=nb["id"], body=NotebookUpdateRequest(description="x")))
    assert (refused.value.status_code, refused.value.error_code) == (400, "ModelArts.6347")

    stopping = client.stop_notebook(StopNotebookRequest(id=nb["id"]))
    assert stopping.status == "STOPPING"
    assert client.show_notebook(ShowNotebookRequest(id=nb["id"])).status == "STOPPED"

    hooks = CustomHooks(
        container_hooks=ContainerHooks(pre_start=HookConfig(script="/home/ma-user/work/pre.sh", type="SCRIPT"))
    )
    body = NotebookUpdateRequest(
        name="sdk-nb-2",
        description="updated by the SDK",
        flavor="modelarts.vm.cpu.8u",
        storage_new_size=20,
        endpoints=[EndpointsReq(service="SSH", key_pair_names=["kp-sdk"])],
        hooks=hooks,
    )
    updated = client.update_notebook(UpdateNotebookRequest(id=nb["id"], body=body))
    assert (updated.name, updated.description, updated.flavor, updated.volume.capacity) == (
        "sdk-nb-2",
        "updated by the SDK",
        "modelarts.vm.cpu.8u",
        20,
    )
    ssh = [ep for ep in updated.endpoints if ep.service == "SSH"]
    assert len(ssh) == 1 and ssh[0].key_pair_names == ["kp-sdk"]
    assert simulator.hooks(nb["id"]) == {
        "container_hooks": {"pre_start": {"script": "/home/ma-user/work/pre.sh", "type": "SCRIPT"}}
    }

    starting = client.start_notebook(StartNotebookRequest(id=nb["id"], duration=3600000, type="TIMING"))
    assert starting.status == "STARTING" and starting.lease.duration == 3600000
    assert client.show_notebook(ShowNotebookRequest(id=nb["id"])).status == "RUNNING"

    listed = client.list_notebooks(ListNotebooksRequest(name="SDK-NB", limit=10, offset=0))
    assert (listed.total, listed.size, listed.current, listed.pages) == (1, 1, 0, 1)
    assert listed.data[0].id == nb["id"]

    assert [(w.method, w.path.rsplit("/", 1)[1]) for w in simulator.writes] == [
        ("POST", "stop"),
        ("PUT", nb["id"]),
        ("POST", "start"),
    ]
    assert all(r.headers["Authorization"].startswith("SDK-HMAC-SHA256 Access=%s," % AK) for r in simulator.requests)


def test_sdk_with_a_wrong_secret_key_gets_the_mapped_401(simulator):
    nb = simulator.add_notebook()
    with pytest.raises(ClientRequestException) as rejected:
        sdk_client(simulator, sk="wrong-secret").show_notebook(ShowNotebookRequest(id=nb["id"]))
    err = rejected.value
    assert (err.status_code, err.error_code) == (401, "APIGW.0301")
    assert err.request_id == simulator.requests[-1].request_id


def test_sdk_unknown_id_maps_to_6309(simulator):
    with pytest.raises(ClientRequestException) as missing:
        sdk_client(simulator).show_notebook(ShowNotebookRequest(id="00000000-0000-0000-0000-000000000000"))
    assert (missing.value.status_code, missing.value.error_code) == (400, "ModelArts.6309")


def test_sdk_security_token_is_sent_and_signed():
    with Simulator(security_token="sts-token-1") as sim:
        nb = sim.add_notebook(name="temp-key")
        shown = sdk_client(sim, security_token="sts-token-1").show_notebook(ShowNotebookRequest(id=nb["id"]))
        assert shown.name == "temp-key"
        assert "x-security-token" in sim.requests[-1].headers["Authorization"]
        with pytest.raises(ClientRequestException) as without:
            sdk_client(sim).show_notebook(ShowNotebookRequest(id=nb["id"]))
        assert (without.value.status_code, without.value.error_code) == (401, "APIGW.0301")


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_sdk_over_https(simulator_tls_files):
    cert, key = simulator_tls_files
    with Simulator(tls_cert=cert, tls_key=key) as sim:
        nb = sim.add_notebook(name="tls-nb")
        config = HttpConfig.get_default_config()
        config.ignore_ssl_verification = True
        assert sdk_client(sim, http_config=config).show_notebook(ShowNotebookRequest(id=nb["id"])).name == "tls-nb"
        verified = HttpConfig.get_default_config()
        verified.ssl_ca_cert = cert
        assert sdk_client(sim, http_config=verified).list_notebooks(ListNotebooksRequest(limit=10)).total == 1


@pytest.mark.parametrize(
    "spelling,service,dev_service,keys",
    [("sdk", "SSH", None, ["kp-1"]), ("both", "SSH", "SSH", ["kp-1"]), ("seed", None, "SSH", None)],
)
def test_sdk_reads_endpoints_in_each_spelling(spelling, service, dev_service, keys):
    # EndpointsRes has service, dev_service and key_pair_names: the seed's ssh_keys is lost on the SDK side.
    with Simulator(endpoint_spelling=spelling) as sim:
        nb = sim.add_notebook(
            endpoints=[{"dev_service": "SSH", "allowed_access_ips": ["192.0.2.1"], "ssh_keys": ["kp-1"]}]
        )
        ssh = sdk_client(sim).show_notebook(ShowNotebookRequest(id=nb["id"])).endpoints[0]
        assert (ssh.service, ssh.dev_service, ssh.key_pair_names, ssh.uri) == (
            service,
            dev_service,
            keys,
            nb["endpoints"][0]["uri"],
        )


def test_sdk_start_sets_the_lease():
    with Simulator() as sim:
        nb_id = sim.add_notebook(lease={"enable": False})["id"]
        client = sdk_client(sim)
        default = client.start_notebook(StartNotebookRequest(id=nb_id)).lease
        assert (default.enable, default.duration, default.type) == (True, 3600000, "TIMING")
        client.stop_notebook(StopNotebookRequest(id=nb_id))
        off = client.start_notebook(StartNotebookRequest(id=nb_id, duration=-1)).lease
        assert off.enable is False and off.create_at >= default.create_at
        client.stop_notebook(StopNotebookRequest(id=nb_id))
        with pytest.raises(ClientRequestException) as refused:
            client.start_notebook(StartNotebookRequest(id=nb_id, duration=60000, type="IDLE"))
        assert (refused.value.status_code, refused.value.error_code) == (400, "ModelArts.6336")


def test_sdk_lists_the_flavor_catalogue_and_switchable_flavors(simulator):
    client = sdk_client(simulator)
    everything = client.list_flavors(ListFlavorsRequest())
    assert everything.total == everything.size == len(everything.flavors) >= 30
    gpu = client.list_flavors(
        ListFlavorsRequest(category="GPU", type="MANAGED", limit=4, offset=4, sort_key="vcpus", sort_dir="ASC")
    )
    assert (gpu.current, gpu.size) == (1, 4) and all(f.category == "GPU" and f.gpu.gpu >= 1 for f in gpu.flavors)
    assert [f.vcpus for f in gpu.flavors] == sorted(f.vcpus for f in gpu.flavors)
    ascend = client.list_flavors(ListFlavorsRequest(category="ASCEND")).flavors[0]
    assert ascend.ascend.npu >= 1 and ascend.arch == "aarch64" and ascend.billing.code == ascend.id

    nb = simulator.add_notebook(flavor="modelarts.vm.cpu.2u")
    switchable = client.show_switchable_flavors(ShowSwitchableFlavorsRequest(id=nb["id"], limit=3, offset=0))
    assert (
        switchable.size == 3
        and switchable.total > 3
        and "modelarts.vm.cpu.2u" not in [f.id for f in switchable.flavors]
    )
    with pytest.raises(ClientRequestException) as refused:
        client.list_flavors(ListFlavorsRequest(category="TPU"))
    assert (refused.value.status_code, refused.value.error_code) == (400, "ModelArts.6336")


def test_sdk_lists_and_shows_images(simulator):
    client = sdk_client(simulator)
    first = client.list_image(ListImageRequest())
    assert first.size == 200 and first.total > 200 and all(i.type == "BUILD_IN" for i in first.data)
    exact = client.list_image(ListImageRequest(name="pytorch2.1.0-cpu-ubuntu20.04", name_fuzzy_match=False))
    assert exact.total == 1 and exact.data[0].dev_services == ["NOTEBOOK", "SSH"]
    dedicated = client.list_image(
        ListImageRequest(
            type="DEDICATED", service_type="DEV", namespace="team-a", limit=5, offset=0, sort_key="name", sort_dir="ASC"
        )
    )
    assert 0 < dedicated.size <= 5 and all(i.namespace == "team-a" and i.type == "DEDICATED" for i in dedicated.data)
    assert [i.name for i in dedicated.data] == sorted(i.name for i in dedicated.data)
    shown = client.show_image(ShowImageRequest(id=exact.data[0].id))
    assert (shown.id, shown.name, shown.swr_path, shown.resource_categories) == (
        exact.data[0].id,
        "pytorch2.1.0-cpu-ubuntu20.04",
        exact.data[0].swr_path,
        ["CPU"],
    )
    with pytest.raises(ClientRequestException) as missing:
        client.show_image(ShowImageRequest(id="00000000-0000-0000-0000-000000000000"))
    assert (missing.value.status_code, missing.value.error_code) == (400, "ModelArts.6797")
    with pytest.raises(ClientRequestException) as too_many:
        client.list_image(ListImageRequest(limit=201))
    assert (too_many.value.status_code, too_many.value.error_code) == (400, "ModelArts.6400")


def test_sdk_creates_and_deletes(simulator):
    client = sdk_client(simulator)
    body = NotebookCreateRequest(
        name="sdk-created",
        description="by the SDK",
        flavor="modelarts.vm.cpu.8u",
        image_id="e1a07296-22a8-4f05-8bc8-e936c8e54202",
        volume=VolumeMountRequest(category="EVS", capacity=50),
        endpoints=[EndpointsReq(service="SSH", key_pair_names=["kp-sdk"])],
        lease=LeaseReq(duration=7200000, type="IDLE"),
    )
    created = client.create_notebook(CreateNotebookRequest(body=body))
    assert (created.status, created.name, created.flavor, created.volume.capacity) == (
        "CREATING",
        "sdk-created",
        "modelarts.vm.cpu.8u",
        50,
    )
    assert (created.lease.enable, created.lease.duration, created.lease.type) == (True, 7200000, "IDLE")
    assert [ep.key_pair_names for ep in created.endpoints if ep.service == "SSH"] == [["kp-sdk"]]
    assert client.show_notebook(ShowNotebookRequest(id=created.id)).status == "RUNNING"
    terraform_like = client.create_notebook(
        CreateNotebookRequest(
            body=NotebookCreateRequest(
                name="tf",
                flavor="modelarts.vm.cpu.2u",
                image_id="e1a07296-22a8-4f05-8bc8-e936c8e54202",
                volume=VolumeMountRequest(category="EVS"),
                duration=-1,
            )
        )
    )
    assert terraform_like.lease.enable is False

    with pytest.raises(ClientRequestException) as refused:
        client.create_notebook(
            CreateNotebookRequest(
                body=NotebookCreateRequest(
                    name="bad name",
                    flavor="modelarts.vm.cpu.2u",
                    image_id="e1a07296-22a8-4f05-8bc8-e936c8e54202",
                    volume=VolumeMountRequest(category="EVS"),
                )
            )
        )
    assert (refused.value.status_code, refused.value.error_code) == (400, "ModelArts.6334")

    deleting = client.delete_notebook(DeleteNotebookRequest(id=created.id))
    assert (deleting.id, deleting.status) == (created.id, "DELETING")
    with pytest.raises(ClientRequestException) as gone:
        client.show_notebook(ShowNotebookRequest(id=created.id))
    assert (gone.value.status_code, gone.value.error_code) == (400, "ModelArts.6309")
    assert [(w.method, w.status) for w in simulator.writes] == [("POST", 200), ("POST", 200), ("DELETE", 200)]


def test_sdk_shows_and_renews_the_lease(simulator):
    nb = simulator.add_notebook(
        status="RUNNING", lease={"enable": True, "duration": 3600000, "type": "TIMING", "create_at": 1}
    )
    client = sdk_client(simulator)
    shown = client.show_lease(ShowLeaseRequest(id=nb["id"]))
    assert (shown.enable, shown.duration, shown.type, shown.create_at) == (True, 3600000, "TIMING", 1)
    renewed = client.renew_lease(RenewLeaseRequest(id=nb["id"], body=LeaseReq(duration=10800000, type="IDLE")))
    assert (renewed.enable, renewed.duration, renewed.type) == (True, 10800000, "IDLE") and renewed.create_at > 1
    by_query = client.renew_lease(
        RenewLeaseRequest(id=nb["id"], duration=7200000, body=LeaseReq(duration=10800000, type="IDLE"))
    )
    assert (by_query.duration, by_query.type) == (7200000, "TIMING")
    simulator.set_status(nb["id"], "STOPPED")
    with pytest.raises(ClientRequestException) as refused:
        client.renew_lease(RenewLeaseRequest(id=nb["id"], body=LeaseReq(duration=7200000)))
    assert (refused.value.status_code, refused.value.error_code) == (400, "ModelArts.6357")


def test_sdk_adds_and_removes_tags(simulator):
    nb = simulator.add_notebook()
    client = sdk_client(simulator)
    added = client.create_notebook_tags(
        CreateNotebookTagsRequest(
            resource_id=nb["id"],
            body=CreateTmsTagsRequest(tags=[TmsTag(key="team", value="a"), TmsTag(key="env", value="dev")]),
        )
    )
    assert added.status_code == 204
    assert [(t.key, t.value) for t in client.show_notebook(ShowNotebookRequest(id=nb["id"])).tags] == [
        ("team", "a"),
        ("env", "dev"),
    ]
    removed = client.delete_notebook_tags(
        DeleteNotebookTagsRequest(resource_id=nb["id"], body=DeleteTmsTagsRequest(tags=[TmsTag(key="team")]))
    )
    assert removed.status_code == 204
    assert [(t.key, t.value) for t in client.show_notebook(ShowNotebookRequest(id=nb["id"])).tags] == [("env", "dev")]
    with pytest.raises(ClientRequestException) as refused:
        client.create_notebook_tags(
            CreateNotebookTagsRequest(
                resource_id=nb["id"],
                workspace_id="0",
                body=CreateTmsTagsRequest(tags=[TmsTag(key="_sys_x", value="v")]),
            )
        )
    assert (refused.value.status_code, refused.value.error_code) == (400, "ModelArts.6336")


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
