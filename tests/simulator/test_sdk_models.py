"""sdk_models.py: every route names the SDK call it serves, and requests are checked against that call's model."""

import json

import pytest
import requests
import sdk_models
from modelarts_sim.routing import Route
from sim_client import call

from modelarts_simulator import DEFAULT_FLAVORS, DEFAULT_IMAGES, Simulator

IMAGES = list(DEFAULT_IMAGES)


def problems_of(sim):
    return sdk_models.check_requests(sim.requests)


# ---- routes and SDK calls ---------------------------------------------------------------------------------
def test_every_api_route_names_the_sdk_call_of_its_method_and_path():
    routes = Simulator().router.routes
    assert routes and all(route.sdk for route in routes), [r for r in routes if not r.sdk]
    assert [p for route in routes for p in sdk_models.route_problems(route)] == []
    assert len({route.sdk for route in routes}) == len(routes)


def test_a_route_naming_another_call_is_caught():
    wrong = Route("GET", "/v1/{project_id}/notebooks/{id}", lambda call: None, sdk="StopNotebookRequest")
    assert sdk_models.route_problems(wrong) == [
        "GET /v1/{project_id}/notebooks/{id} names StopNotebookRequest, which the SDK sends as "
        "POST /v1/{project_id}/notebooks/{id}/stop"
    ]
    # The tags calls name their notebook resource_id, as the SDK does.
    renamed = Route(
        "POST", "/v1/{project_id}/notebooks/{id}/tags/create", lambda call: None, sdk="CreateNotebookTagsRequest"
    )
    assert "/v1/{project_id}/notebooks/{resource_id}/tags/create" in sdk_models.route_problems(renamed)[0]
    unknown = Route("GET", "/v1/{project_id}/notebooks", lambda call: None, sdk="ListNotebookRequest")
    assert "no request class ListNotebookRequest" in sdk_models.route_problems(unknown)[0]


def test_the_sdk_call_is_derived_from_the_client():
    start = sdk_models.sdk_call("StartNotebookRequest")
    assert (start.method, start.resource_path, start.path_params) == (
        "POST",
        "/v1/{project_id}/notebooks/{id}/start",
        {"id"},
    )
    assert (start.query, start.body) == ({"duration": "int", "type": "str"}, None)
    renew = sdk_models.sdk_call("RenewLeaseRequest")
    assert (renew.query, renew.body) == ({"duration": "int"}, "LeaseReq")


# ---- requests that conform --------------------------------------------------------------------------------
def test_what_the_collection_sends_conforms(simulator):
    nb_id = simulator.add_notebook(status="RUNNING")["id"]
    call(simulator, "GET", "", query={"name": "nb", "limit": "50", "offset": "0", "status": "RUNNING,STOPPED"})
    call(simulator, "POST", "/%s/stop" % nb_id)
    call(
        simulator,
        "PUT",
        "/" + nb_id,
        body={
            "description": "d",
            "flavor": DEFAULT_FLAVORS[1]["id"],
            "image_id": IMAGES[1],
            "storage_new_size": 20,
            # The seed's spelling of an endpoint, which the SDK's EndpointsReq lacks.
            "endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["192.0.2.1"], "ssh_keys": ["kp"]}],
            "hooks": {"container_hooks": {"pre_start": {"type": "SCRIPT", "script": "/x.sh", "mode": "BLOCK"}}},
        },
    )
    call(simulator, "POST", "/%s/start" % nb_id, query={"duration": "-1", "type": "IDLE"})
    call(simulator, "PATCH", "/%s/lease" % nb_id, body={"duration": 7200000, "type": "TIMING"})
    call(simulator, "POST", "/%s/tags/create" % nb_id, body={"tags": [{"key": "team", "value": "a"}]})
    call(simulator, "DELETE", "/%s/tags/delete" % nb_id, query={"workspace_id": "0"}, body={"tags": [{"key": "team"}]})
    call(
        simulator,
        "POST",
        "",
        body={
            "name": "new",
            "flavor": DEFAULT_FLAVORS[0]["id"],
            "image_id": IMAGES[0],
            "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5},
            "endpoints": [{"service": "SSH", "key_pair_names": ["kp"]}],
            "lease": {"duration": 3600000, "type": "TIMING"},
        },
    )
    call(simulator, "GET", "/flavors", query={"category": "CPU", "type": "MANAGED"})
    call(simulator, "GET", "/v1/%s/images" % simulator.project_id, query={"name": "x", "name_fuzzy_match": "false"})
    assert [r.status for r in simulator.requests] == [200] * 5 + [204, 204] + [200] * 3
    assert problems_of(simulator) == []


# ---- requests that do not -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body,problem",
    [
        ({"descripton": "x"}, "body.descripton is not a field of the SDK's NotebookUpdateRequest"),
        (
            {"endpoints": [{"dev_service": "SSH", "ssh_key": ["kp"]}]},
            "body.endpoints[0].ssh_key is not a field of the SDK's EndpointsReq",
        ),
        (
            {"hooks": {"container_hooks": {"pre_start": {"scrpt": "/x.sh"}}}},
            "body.hooks.container_hooks.pre_start.scrpt is not a field of the SDK's Config",
        ),
        ({"storage_new_size": "20"}, "body.storage_new_size is a string '20'; the SDK declares int"),
        ({"storage_new_size": True}, "body.storage_new_size is a bool; the SDK declares int"),
        ({"endpoints": {"dev_service": "SSH"}}, "body.endpoints is an object; the SDK declares list[EndpointsReq]"),
        (
            {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": "192.0.2.1"}]},
            "body.endpoints[0].allowed_access_ips is a string '192.0.2.1'; the SDK declares list[str]",
        ),
        ({"endpoints": [{"ssh_keys": [7]}]}, "body.endpoints[0].ssh_keys[0] is a number; the SDK declares str"),
        ({"description": None}, "body.description is null; the SDK never sends null for its str"),
        (["name"], "body is a list; the SDK declares the object NotebookUpdateRequest"),
    ],
)
def test_a_body_the_model_does_not_have_names_the_call_and_the_field(simulator, body, problem):
    nb_id = simulator.add_notebook()["id"]
    call(simulator, "PUT", "/" + nb_id, body=body)
    (found,) = problems_of(simulator)
    assert found.startswith("UpdateNotebookRequest (PUT /v1/{project_id}/notebooks/{id}): " + problem), found


def test_the_seed_spelling_is_allowed_on_endpoints_only(simulator):
    nb_id = simulator.add_notebook()["id"]
    call(simulator, "POST", "/%s/tags/create" % nb_id, body={"tags": [{"key": "k", "value": "v", "ssh_keys": []}]})
    call(simulator, "PATCH", "/%s/lease" % nb_id, body={"duration": "7200000", "dev_service": "SSH"})
    assert problems_of(simulator) == [
        "CreateNotebookTagsRequest (POST /v1/{project_id}/notebooks/{resource_id}/tags/create): "
        "body.tags[0].ssh_keys is not a field of the SDK's TmsTag (its fields: key, value)",
        "RenewLeaseRequest (PATCH /v1/{project_id}/notebooks/{id}/lease): "
        "body.duration is a string '7200000'; the SDK declares int",
        "RenewLeaseRequest (PATCH /v1/{project_id}/notebooks/{id}/lease): "
        "body.dev_service is not a field of the SDK's LeaseReq (its fields: duration, type)",
    ]


START = "StartNotebookRequest (POST /v1/{project_id}/notebooks/{id}/start): "
STOP = "StopNotebookRequest (POST /v1/{project_id}/notebooks/{id}/stop): "
LIST = "ListNotebooksRequest (GET /v1/{project_id}/notebooks): "


@pytest.mark.parametrize(
    "method,path,query,problem",
    [
        ("POST", "/{id}/start", "duration=-1&type=IDLE", None),
        (
            "POST",
            "/{id}/start",
            "durations=3600000",
            START + "query parameter durations is not in the SDK's model (its parameters: duration, type)",
        ),
        ("POST", "/{id}/start", "duration=1h", START + "query parameter duration='1h' is not an int, the SDK's type"),
        (
            "POST",
            "/{id}/stop",
            "duration=-1",
            STOP + "query parameter duration is not in the SDK's model (its parameters: none)",
        ),
        ("GET", "", "limit=ten", LIST + "query parameter limit='ten' is not an int, the SDK's type"),
        ("GET", "", "limit=10&limit=50", LIST + "query parameter limit is given 2 times; the SDK declares one int"),
    ],
)
def test_a_query_the_model_does_not_have_names_the_call_and_the_parameter(simulator, method, path, query, problem):
    nb_id = simulator.add_notebook()["id"]
    # Sent as is (unsigned): what is checked is the query received, whatever the answer.
    url = "%s/v1/%s/notebooks%s?%s" % (simulator.url, simulator.project_id, path.format(id=nb_id), query)
    assert requests.request(method, url, timeout=10).status_code == 401
    assert problems_of(simulator) == ([problem] if problem else [])


def test_a_bool_query_and_a_body_where_the_call_takes_none(simulator):
    nb_id = simulator.add_notebook(status="RUNNING")["id"]
    call(simulator, "GET", "/v1/%s/images" % simulator.project_id, query={"name_fuzzy_match": "yes"})
    call(simulator, "POST", "/%s/stop" % nb_id, body={})
    call(simulator, "PUT", "/" + nb_id, raw=b"{not json")
    call(simulator, "GET", "/%s/restart" % nb_id)
    assert problems_of(simulator) == [
        "ListImageRequest (GET /v1/{project_id}/images): query parameter name_fuzzy_match='yes' is not a bool "
        "(true or false), the SDK's type",
        "StopNotebookRequest (POST /v1/{project_id}/notebooks/{id}/stop): a body is sent; the call takes none",
        "UpdateNotebookRequest (PUT /v1/{project_id}/notebooks/{id}): the body is not JSON",
        "GET /v1/%s/notebooks/%s/restart: no API has this method and path" % (simulator.project_id, nb_id),
    ]


def test_each_problem_is_reported_once(simulator):
    nb_id = simulator.add_notebook()["id"]
    for dummy in range(3):
        call(simulator, "PUT", "/" + nb_id, body=json.loads('{"nmae": "x"}'))
    assert len(problems_of(simulator)) == 1
