# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _signer

# Huawei's API signing guide, published test vector.
VECTOR_AK = "QTWAOYTTINDUT2QVKYUC"
VECTOR_SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
PROJECT = "77b6a44cba5143ab91d13ab9a8ff44fd"
DATE = "20191115T033655Z"


def test_published_vector_reproduces_byte_for_byte():
    headers = _signer.sign(
        "GET",
        "service.region.example.com",
        "/v1/%s/vpcs" % PROJECT,
        [("limit", "2"), ("marker", "13551d6b-755d-4757-b956-536f674975c0")],
        {"Content-Type": "application/json", "X-Sdk-Date": DATE},
        None,
        VECTOR_AK,
        VECTOR_SK,
    )
    assert headers["Authorization"] == (
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
        "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
    )
    assert headers["Host"] == "service.region.example.com"


def test_date_is_added_in_the_gateway_format_when_missing():
    headers = _signer.sign("GET", "h", "/", [], {}, None, "ak", "sk")
    assert len(headers["X-Sdk-Date"]) == 16 and headers["X-Sdk-Date"][8] == "T" and headers["X-Sdk-Date"].endswith("Z")
    assert "x-sdk-date" in headers["Authorization"]


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/v1/p/notebooks", "/v1/p/notebooks/"),
        ("/v1/p/notebooks/", "/v1/p/notebooks/"),
        ("/v1/p/a%20b/c~d", "/v1/p/a%20b/c~d/"),
        ("/v1/p/a b", "/v1/p/a%20b/"),
        ("/v1/p/%E4%B8%AD", "/v1/p/%E4%B8%AD/"),
    ],
)
def test_canonical_uri(path, expected):
    assert _signer.canonical_uri(path) == expected


def test_canonical_query_sorts_and_encodes_both_sides():
    assert _signer.canonical_query([("name", "a b"), ("limit", 50), ("a~", "x/y")]) == "a~=x%2Fy&limit=50&name=a%20b"
    assert _signer.canonical_query([]) == ""


def test_changing_any_signed_part_changes_the_signature():
    base = dict(
        method="PUT",
        host="h:8443",
        path="/v1/p/notebooks/1",
        params=[("x", "1")],
        headers={"Content-Type": "application/json", "X-Sdk-Date": DATE},
        body=b'{"a":1}',
        access_key="ak",
        secret_key="sk",
    )
    reference = _signer.sign(**base)["Authorization"]
    for key, value in (
        ("method", "POST"),
        ("host", "h:8444"),
        ("path", "/v1/p/notebooks/2"),
        ("params", [("x", "2")]),
        ("body", b'{"a":2}'),
        ("secret_key", "sk2"),
        ("headers", {"Content-Type": "text/plain", "X-Sdk-Date": DATE}),
    ):
        changed = dict(base)
        changed[key] = value
        assert _signer.sign(**changed)["Authorization"] != reference, key


# The official SDK's signer is the reference for everything the vector does not cover.
sdk_signer = pytest.importorskip("huaweicloudsdkcore.signer.signer")
sdk_request = pytest.importorskip("huaweicloudsdkcore.sdk_request")
sdk_credentials = pytest.importorskip("huaweicloudsdkcore.auth.credentials")

CASES = [
    ("GET", "/v1/%s/notebooks/6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c" % PROJECT, [], None, {}),
    (
        "GET",
        "/v1/%s/notebooks" % PROJECT,
        [("limit", 50), ("offset", 100), ("name", "team a/dev~1"), ("status", "RUNNING")],
        None,
        {},
    ),
    ("PUT", "/v1/%s/notebooks/6b3b" % PROJECT, [], {"description": "update", "flavor": "modelarts.vm.cpu.8u"}, {}),
    (
        "PUT",
        "/v1/%s/notebooks/6b3b" % PROJECT,
        [],
        {
            "name": "nb",
            "endpoints": [{"dev_service": "SSH", "ssh_keys": ["k1"]}],
            "description": "\u4e2d\u6587 unicode",
        },
        {"X-Security-Token": "temporary-token-value"},
    ),
    ("POST", "/v1/%s/notebooks/6b3b/start" % PROJECT, [("duration", 3600000), ("type", "TIMING")], None, {}),
    ("POST", "/v1/%s/notebooks/6b3b/stop" % PROJECT, [], None, {"X-Security-Token": "another-token"}),
]


@pytest.mark.parametrize("method, path, params, body, extra", CASES)
def test_matches_the_official_sdk_signer(method, path, params, body, extra):
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json;charset=UTF-8", "X-Sdk-Date": DATE, "X-Project-Id": PROJECT}
    headers.update(extra)
    ours = _signer.sign(
        method, "modelarts.cn-north-4.myhuaweicloud.com", path, params, headers, data, VECTOR_AK, VECTOR_SK
    )

    request = sdk_request.SdkRequest(
        method=method,
        schema="https",
        host="modelarts.cn-north-4.myhuaweicloud.com",
        resource_path=path,
        query_params=list(params),
        header_params=dict(headers),
        body=data,
    )
    theirs = sdk_signer.Signer(sdk_credentials.BasicCredentials(VECTOR_AK, VECTOR_SK)).sign(request)
    assert ours["Authorization"] == theirs.header_params["Authorization"]
    # What is sent is what is signed: the SDK's URI carries the same canonical query.
    assert theirs.uri == path + ("?" + _signer.canonical_query(params) if params else "")
