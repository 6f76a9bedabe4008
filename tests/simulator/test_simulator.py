"""The ModelArts simulator itself: status machine, update rules, list, signatures, faults, recording, TLS, CLI."""

import base64
import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import requests
from sim_client import AK, call, error_code, wait_for

from modelarts_simulator import (
    DEFAULT_AUTH_TOKEN,
    DEFAULT_IMAGES,
    DEFAULT_PROJECT_ID as PROJECT,
    SignatureVerifier,
    Simulator,
)

SIMULATOR_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modelarts_simulator.py")
OTHER_IMAGE = "278e88d1-5b71-4766-8502-b3ba72e824d9"


# ---- signing algorithm --------------------------------------------------------------------------------
def test_published_test_vector_reproduces():
    headers = {
        "content-type": "application/json",
        "host": "service.region.example.com",
        "x-sdk-date": "20191115T033655Z",
    }
    signed = ["content-type", "host", "x-sdk-date"]
    canonical = SignatureVerifier.canonical_request(
        "GET",
        "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
        "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        headers,
        signed,
        b"",
    )
    string_to_sign = SignatureVerifier.string_to_sign("20191115T033655Z", canonical)
    assert (
        SignatureVerifier.signature("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", string_to_sign)
        == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
    )


def test_canonical_uri_reencodes_segments_and_ends_with_slash():
    assert SignatureVerifier.canonical_uri("/v1/p/notebooks") == "/v1/p/notebooks/"
    assert SignatureVerifier.canonical_uri("/v1/a%20b/c~d") == "/v1/a%20b/c~d/"
    assert SignatureVerifier.canonical_query("b=2&a=x%20y&a=1") == "a=1&a=x%20y&b=2"


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


# ---- routing ------------------------------------------------------------------------------------------------
def test_wrong_project_and_unknown_routes(simulator):
    nb_id = simulator.add_notebook()["id"]
    other = call(simulator, "GET", "/v1/%s/notebooks/%s" % ("f" * 32, nb_id))
    assert other.status_code == 403 and other.json()["error_code"] and other.json()["error_msg"]
    for method, path in (
        ("DELETE", ""),
        ("POST", "/%s/restart" % nb_id),
        ("GET", "/v2/%s/notebooks" % PROJECT),
        ("PATCH", "/" + nb_id),
        ("PUT", "/%s/lease" % nb_id),
        ("GET", "/%s/tags/create" % nb_id),
    ):
        answer = call(simulator, method, path)
        assert (answer.status_code, error_code(answer)) == (404, "APIGW.0101"), (method, path)


# ---- authentication ----------------------------------------------------------------------------------------
def test_a_correct_signature_is_accepted_with_a_query_and_a_body(simulator):
    nb_id = simulator.add_notebook(name="signed")["id"]
    assert call(simulator, "GET", "", query={"name": "sig ned/~x", "limit": "10"}).status_code == 200
    utf8 = json.dumps({"description": "caf\u00e9 \u2603"}, ensure_ascii=False).encode("utf-8")
    assert call(simulator, "PUT", "/" + nb_id, raw=utf8).json()["description"] == "caf\u00e9 \u2603"
    assert (
        call(simulator, "POST", "/%s/start" % nb_id, query={"duration": "3600000", "type": "TIMING"}).status_code == 200
    )


def stale_date(minutes):
    return (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes)).strftime(
        "%Y%m%dT%H%M%SZ"
    )


@pytest.mark.parametrize(
    "case",
    [
        "wrong_sk",
        "wrong_ak",
        "stale_date",
        "future_date",
        "tampered_body",
        "tampered_query",
        "unsigned",
        "no_auth",
        "bad_date_format",
    ],
)
def test_bad_signatures_are_401_apigw_0301(simulator, case):
    nb = simulator.add_notebook(description="before")
    kwargs = {
        "wrong_sk": {"sk": "not-the-secret"},
        "wrong_ak": {"ak": "AKSOMEBODYELSE000001"},
        "stale_date": {"sdk_date": stale_date(16)},
        "future_date": {"sdk_date": stale_date(-16)},
        "tampered_body": {"send_body": json.dumps({"description": "evil"}).encode()},
        "unsigned": {
            "extra_headers": {
                "Authorization": "SDK-HMAC-SHA256 Access=%s, SignedHeaders=content-type, Signature=00" % AK
            },
            "sign": False,
        },
        "no_auth": {"sign": False},
        "bad_date_format": {"after_signing": {"X-Sdk-Date": "2024-01-01T00:00:00Z"}},
    }.get(case, {})
    if case == "tampered_query":
        answer = call(simulator, "PUT", "/" + nb["id"], body={"description": "after"})
        assert answer.status_code == 200
        # re-send the same signed headers to a different URL
        first = simulator.requests[-1]
        answer = requests.put(
            simulator.url + first.path + "?x=1", headers=dict(first.headers), data=first.raw_body, timeout=10
        )
    else:
        answer = call(simulator, "PUT", "/" + nb["id"], body={"description": "after"}, **kwargs)
        assert simulator.notebook(nb["id"])["description"] == "before"
    assert answer.status_code == 401 and error_code(answer) == "APIGW.0301"
    assert simulator.requests[-1].status == 401


def test_a_date_within_15_minutes_is_accepted(simulator):
    assert call(simulator, "GET", "", sdk_date=stale_date(14)).status_code == 200


def test_security_token_must_be_present_equal_and_signed():
    with Simulator(security_token="sts-token-1") as sim:
        assert call(sim, "GET", "", security_token="sts-token-1").status_code == 200
        assert error_code(call(sim, "GET", "")) == "APIGW.0301"
        assert error_code(call(sim, "GET", "", security_token="sts-token-2")) == "APIGW.0301"
        # present and equal, but added after signing
        assert call(sim, "GET", "").status_code == 401
        headers = dict(sim.requests[-1].headers, **{"x-security-token": "sts-token-1"})
        unsigned = requests.get(sim.url + sim.requests[-1].path, headers=headers, timeout=10)
        assert error_code(unsigned) == "APIGW.0301"


def test_a_security_token_with_a_permanent_key_is_rejected(simulator):
    assert error_code(call(simulator, "GET", "", security_token="sts-token-1")) == "APIGW.0301"


def test_iam_token_is_accepted_and_a_wrong_one_is_401(simulator):
    url = "%s/v1/%s/notebooks" % (simulator.url, PROJECT)
    assert requests.get(url, headers={"X-Auth-Token": DEFAULT_AUTH_TOKEN}, timeout=10).status_code == 200
    wrong = requests.get(url, headers={"X-Auth-Token": "sim-iam-token-x"}, timeout=10)
    assert (wrong.status_code, error_code(wrong)) == (401, "APIGW.0301")


# ---- faults --------------------------------------------------------------------------------------------------
def test_fault_counts_down_and_carries_retry_after(simulator):
    nb_id = simulator.add_notebook()["id"]
    simulator.inject_fault(method="GET", path=r"/notebooks/[^/]+$", count=2, status=429, headers={"Retry-After": "1"})
    answers = [call(simulator, "GET", "/" + nb_id) for attempt in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "1" and error_code(answers[0]) == "APIGW.0308"
    assert call(simulator, "GET", "").status_code == 200
    assert simulator.faults == []


def test_fault_matches_method_and_path_first_match_wins(simulator):
    nb_id = simulator.add_notebook()["id"]
    simulator.inject_fault(method="POST", path=r"/start$", status=500)
    simulator.inject_fault(path=r"/notebooks", status=502, body="<html>bad gateway</html>")
    simulator.inject_fault(path=r"/notebooks", status=503)
    assert call(simulator, "POST", "/%s/stop" % nb_id).status_code == 502  # the start fault does not match stop
    answer = call(simulator, "POST", "/%s/start" % nb_id)
    assert (answer.status_code, error_code(answer)) == (500, "ModelArts.6102")
    assert call(simulator, "GET", "").status_code == 503
    assert call(simulator, "GET", "").status_code == 200


def test_fault_body_can_be_malformed_json(simulator):
    simulator.inject_fault(status=500, body=b"{not json")
    answer = call(simulator, "GET", "")
    assert answer.status_code == 500 and answer.content == b"{not json"


def test_drop_closes_the_connection_without_an_answer(simulator):
    simulator.inject_fault(drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        call(simulator, "GET", "")
    assert simulator.requests[-1].status == 0
    assert call(simulator, "GET", "").status_code == 200


def test_delay_triggers_a_client_timeout(simulator):
    simulator.inject_fault(delay=1.0, status=None)
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(simulator, "GET", "", timeout=0.3)
    simulator.inject_fault(delay=0.3, status=None)
    started = time.monotonic()
    assert call(simulator, "GET", "").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_apply_changes_the_state_but_answers_the_fault(simulator):
    nb_id = simulator.add_notebook(status="RUNNING")["id"]
    simulator.inject_fault(method="POST", path=r"/stop$", status=503, apply=True)
    answer = call(simulator, "POST", "/%s/stop" % nb_id)
    assert answer.status_code == 503
    assert simulator.notebook(nb_id)["status"] == "STOPPED"
    assert [(w.method, w.path.rsplit("/", 1)[1], w.status) for w in simulator.writes] == [("POST", "stop", 503)]
    simulator.inject_fault(method="PUT", apply=True, drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        call(simulator, "PUT", "/" + nb_id, body={"description": "applied"})
    assert simulator.notebook(nb_id)["description"] == "applied"
    assert len(simulator.writes) == 2


def test_transition_result_ends_the_next_transition_in_failure():
    with Simulator(transition_seconds=0.1) as sim:
        nb_id = sim.add_notebook()["id"]
        sim.inject_fault(method="POST", path=r"/start$", transition_result="START_FAILED", fail_reason="no GPU left")
        assert call(sim, "POST", "/%s/start" % nb_id).json()["status"] == "STARTING"
        wait_for(sim, nb_id, "START_FAILED")
        assert call(sim, "GET", "/" + nb_id).json()["fail_reason"] == "no GPU left"
        sim.set_status(nb_id, "RUNNING")
        sim.fail_next_transition(nb_id, "ERROR", "host lost")
        call(sim, "POST", "/%s/stop" % nb_id)
        wait_for(sim, nb_id, "ERROR")


def test_fault_skip_modify_and_echo(simulator):
    nb_id = simulator.add_notebook(name="mine")["id"]
    simulator.inject_fault(method="GET", skip=2, status=500)
    assert [call(simulator, "GET", "/" + nb_id).status_code for attempt in range(4)] == [200, 200, 500, 200]

    # someone else renames the instance as the PUT arrives; the PUT itself still goes through
    simulator.inject_fault(method="PUT", status=None, modify={"name": "theirs", "capacity": 40})
    answer = call(simulator, "PUT", "/" + nb_id, body={"description": "mine too"})
    assert (answer.json()["name"], answer.json()["volume"]["capacity"], answer.json()["description"]) == (
        "theirs",
        40,
        "mine too",
    )

    simulator.inject_fault(status=401, echo=True)
    echoed = call(simulator, "PUT", "/" + nb_id, body={"description": "secret-ish"})
    assert echoed.status_code == 401 and "SDK-HMAC-SHA256 Access=" + AK in echoed.text and "secret-ish" in echoed.text


# ---- recording ------------------------------------------------------------------------------------------------
def test_every_request_is_recorded_with_its_answer(simulator):
    nb_id = simulator.add_notebook()["id"]
    call(simulator, "PUT", "/" + nb_id, body={"description": "recorded"}, query={"x": "1"})
    call(simulator, "PUT", "/" + nb_id, body={"description": "rejected"}, sk="wrong")
    requests.get(simulator.url + "/_sim/health", timeout=10)
    recorded = simulator.requests
    assert len(recorded) == 2
    first, second = recorded
    assert (first.method, first.path, first.query) == ("PUT", "/v1/%s/notebooks/%s" % (PROJECT, nb_id), {"x": "1"})
    assert first.headers["x-sdk-date"] == first.headers["X-Sdk-Date"] and "X-PROJECT-ID" in first.headers
    assert first.body == {"description": "recorded"} and first.raw_body == b'{"description": "recorded"}'
    assert first.status == 200 and first.response["description"] == "recorded" and first.applied
    assert first.notebook_id == nb_id
    assert (second.status, second.response["error_code"], second.applied) == (401, "APIGW.0301", False)
    simulator.clear_requests()
    assert simulator.requests == []


def test_writes_lists_only_applied_writes(simulator):
    nb_id = simulator.add_notebook()["id"]
    call(simulator, "GET", "/" + nb_id)
    call(simulator, "POST", "/%s/stop" % nb_id)  # refused: already stopped
    call(simulator, "PUT", "/" + nb_id, body={"name": "bad name"})  # refused: validation
    call(simulator, "PUT", "/" + nb_id, body={"name": "good-name"})
    call(simulator, "POST", "/%s/start" % nb_id)
    assert [(w.method, w.path.rsplit("/", 1)[1]) for w in simulator.writes] == [("PUT", nb_id), ("POST", "start")]


def test_every_answer_has_a_unique_request_id(simulator):
    nb_id = simulator.add_notebook()["id"]
    simulator.inject_fault(path="/flavors$", status=503)
    answers = [
        call(simulator, "GET", "/" + nb_id),
        call(simulator, "GET", "/" + nb_id, sk="x"),
        call(simulator, "POST", "/%s/stop" % nb_id),
        call(simulator, "POST", "/%s/restart" % nb_id),
        call(simulator, "GET", "/%s/flavors" % nb_id),
        requests.get(simulator.url + "/_sim/health", timeout=10),
    ]
    assert [a.status_code for a in answers] == [200, 401, 400, 404, 503, 200]
    ids = [a.headers["X-Request-Id"] for a in answers]
    assert len(set(ids)) == len(ids) and all(uuid.UUID(i) for i in ids)
    assert [r.request_id for r in simulator.requests] == ids[:5]


# ---- HTTPS ------------------------------------------------------------------------------------------------------
def test_https_with_a_self_signed_certificate(simulator_tls_files):
    cert, key = simulator_tls_files
    with Simulator(tls_cert=cert, tls_key=key) as sim:
        assert sim.url.startswith("https://127.0.0.1:")
        nb_id = sim.add_notebook()["id"]
        with pytest.raises(requests.exceptions.SSLError):
            call(sim, "GET", "/" + nb_id)  # not trusted by default
        assert call(sim, "GET", "/" + nb_id, verify=cert).json()["id"] == nb_id
        assert call(sim, "PUT", "/" + nb_id, body={"description": "tls"}, verify=cert).status_code == 200
        assert requests.get(sim.url + "/_sim/health", verify=cert, timeout=10).json()["status"] == "ok"


# ---- control API ----------------------------------------------------------------------------------------------
def test_control_api_over_http(simulator):
    base = simulator.url + "/_sim"
    created = requests.post(
        base + "/notebooks", json={"name": "ctl-1", "status": "RUNNING", "capacity": 20}, timeout=10
    )
    assert created.status_code == 201 and created.json()["name"] == "ctl-1" and created.headers["X-Request-Id"]
    nb_id = created.json()["id"]
    patched = requests.patch(
        base + "/notebooks/" + nb_id, json={"status": "ERROR", "fail_reason": "boom", "description": "x"}, timeout=10
    )
    assert (patched.json()["status"], patched.json()["fail_reason"], patched.json()["description"]) == (
        "ERROR",
        "boom",
        "x",
    )
    assert requests.post(base + "/bulk", json={"count": 50, "prefix": "many-"}, timeout=10).json()["created"] == 50
    assert len(requests.get(base + "/notebooks", timeout=10).json()["notebooks"]) == 51
    fault = requests.post(base + "/faults", json={"method": "GET", "status": 500, "count": 1}, timeout=10)
    assert (
        fault.status_code == 201
        and requests.get(base + "/faults", timeout=10).json()["faults"][0]["id"] == fault.json()["id"]
    )
    assert call(simulator, "GET", "/" + nb_id).status_code == 500
    recorded = requests.get(base + "/requests", timeout=10).json()["requests"]
    assert [(r["method"], r["status"]) for r in recorded] == [("GET", 500)]
    assert requests.delete(base + "/requests", timeout=10).status_code == 200 and simulator.requests == []
    hooks = {"container_hooks": {"pre_start": {"script": "/x.sh"}}}
    call(simulator, "PUT", "/" + nb_id, body={"hooks": hooks})  # refused: status ERROR
    simulator.set_status(nb_id, "STOPPED")
    call(simulator, "PUT", "/" + nb_id, body={"hooks": hooks})
    assert requests.get(base + "/notebooks/" + nb_id, timeout=10).json()["_hooks"] == hooks
    assert len(requests.get(base + "/requests?writes=1", timeout=10).json()["requests"]) == 1
    assert requests.get(base + "/health", timeout=10).json()["notebooks"] == 51
    assert requests.post(base + "/reset", timeout=10).status_code == 200
    assert simulator.notebooks() == [] and simulator.requests == []
    assert requests.get(base + "/nothing", timeout=10).status_code == 404
    assert requests.post(base + "/notebooks", json={"status": "NOPE"}, timeout=10).status_code == 400


# ---- command line ------------------------------------------------------------------------------------------------
def test_command_line_serves_until_sigterm(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps([{"name": "seeded-1", "status": "RUNNING"}, {"name": "seeded-2"}]))
    state = tmp_path / "state.json"
    command = [
        sys.executable,
        SIMULATOR_SCRIPT,
        "--port",
        "0",
        "--seed-file",
        str(seed),
        "--state-file",
        str(state),
        "--transition-seconds",
        "0.5",
        "--auth-token",
        "cli-token",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        try:
            line = proc.stdout.readline().strip()
            assert line.startswith("MODELARTS_SIMULATOR_URL=http://127.0.0.1:")
            url = line.split("=", 1)[1]
            assert json.loads(state.read_text())["url"] == url
            listed = requests.get(
                "%s/v1/%s/notebooks" % (url, PROJECT), headers={"X-Auth-Token": "cli-token"}, timeout=10
            ).json()
            assert sorted(nb["name"] for nb in listed["data"]) == ["seeded-1", "seeded-2"]
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
            assert not state.exists()
        finally:
            if proc.poll() is None:
                proc.kill()
