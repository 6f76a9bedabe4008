"""The simulator's authentication: the SDK-HMAC-SHA256 algorithm, signatures, security and IAM tokens."""

import datetime
import json

import pytest
import requests
from sim_client import AK, call, error_code

from modelarts_simulator import (
    DEFAULT_AUTH_TOKEN,
    DEFAULT_PROJECT_ID as PROJECT,
    SignatureVerifier,
    Simulator,
)


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
