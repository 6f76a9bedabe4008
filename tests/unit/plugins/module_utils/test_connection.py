# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._auth import AkSkAuth, TokenAuth
from ansible_collections.hwcloud.modelarts.plugins.module_utils._connection import (
    CONNECTION_ARGUMENT_SPEC,
    ConnectionOptionError,
    client_from_params,
)


def params(**given):
    values = dict((name, spec.get("default")) for name, spec in CONNECTION_ARGUMENT_SPEC.items())
    values.update(project_id="p1", region="cn-north-4")
    values.update(given)
    return values


def test_endpoint_comes_from_region_and_cloud():
    assert (
        client_from_params(params(access_key="a", secret_key="s")).endpoint
        == "https://modelarts.cn-north-4.myhuaweicloud.com"
    )
    assert (
        client_from_params(
            params(access_key="a", secret_key="s", cloud="myhuaweicloud.eu", region="eu-west-101")
        ).endpoint
        == "https://modelarts.eu-west-101.myhuaweicloud.eu"
    )


def test_endpoint_option_overrides_region():
    client = client_from_params(params(access_key="a", secret_key="s", region=None, endpoint="http://127.0.0.1:8080/"))
    assert client.endpoint == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    "given, message",
    [
        ({}, "no credentials: set access_key (or HW_ACCESS_KEY) and secret_key (or HW_SECRET_KEY)"),
        ({"access_key": "a"}, "secret_key (or HW_SECRET_KEY) is missing"),
        ({"secret_key": "s"}, "access_key (or HW_ACCESS_KEY) is missing"),
        ({"security_token": "t"}, "access_key (or HW_ACCESS_KEY) and secret_key (or HW_SECRET_KEY) is missing"),
        (
            {"access_key": "a", "secret_key": "s", "auth_token": "i"},
            "choose one way to authenticate: auth_token (or HW_AUTH_TOKEN) is set together with access_key",
        ),
        ({"auth_token": "i", "security_token": "t"}, "is set together with security_token (or HW_SECURITY_TOKEN)"),
        ({"auth_token": "i", "project_id": None}, "project_id (or HW_PROJECT_ID) is required"),
        (
            {"auth_token": "i", "region": None},
            "region (or HW_REGION_NAME) is required unless endpoint (or HW_MODELARTS_ENDPOINT) is given",
        ),
        (
            {"auth_token": "i", "endpoint": "ftp://x"},
            "endpoint (or HW_MODELARTS_ENDPOINT) must be an http:// or https:// base URL",
        ),
        ({"auth_token": "i", "timeout": 0}, "timeout must be a number of seconds greater than 0"),
        ({"auth_token": "i", "max_retries": -1}, "max_retries must be 0 or more"),
    ],
)
def test_bad_connection_options_name_options_and_variables(given, message):
    with pytest.raises(ConnectionOptionError) as caught:
        client_from_params(params(**given))
    assert message in str(caught.value)


def test_error_messages_never_show_secret_values():
    with pytest.raises(ConnectionOptionError) as caught:
        client_from_params(params(secret_key="SUPERSECRET", auth_token="IAMSECRET", security_token="STSSECRET"))
    assert not any(secret in str(caught.value) for secret in ("SUPERSECRET", "IAMSECRET", "STSSECRET"))


def test_one_auth_method_is_chosen():
    assert isinstance(client_from_params(params(access_key="a", secret_key="s", security_token="t")).auth, AkSkAuth)
    assert isinstance(client_from_params(params(auth_token="i")).auth, TokenAuth)


def test_security_token_is_sent_and_signed():
    headers = AkSkAuth("ak", "sk", "temp-token").headers(
        "GET", "h", "/v1/p/notebooks", [], {"X-Sdk-Date": "20240101T000000Z"}, None
    )
    assert headers["X-Security-Token"] == "temp-token"
    assert "x-security-token" in headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")


def test_iam_token_is_sent_without_signature():
    headers = TokenAuth("iam").headers("GET", "h", "/", [], {}, None)
    assert headers == {"X-Auth-Token": "iam"}


def test_env_fallbacks_are_the_documented_variables():
    expected = {
        "region": "HW_REGION_NAME",
        "project_id": "HW_PROJECT_ID",
        "access_key": "HW_ACCESS_KEY",
        "secret_key": "HW_SECRET_KEY",
        "security_token": "HW_SECURITY_TOKEN",
        "auth_token": "HW_AUTH_TOKEN",
        "cloud": "HW_CLOUD",
        "endpoint": "HW_MODELARTS_ENDPOINT",
    }
    for option, variable in expected.items():
        assert CONNECTION_ARGUMENT_SPEC[option]["fallback"][1] == [variable]
    assert all(CONNECTION_ARGUMENT_SPEC[name]["no_log"] for name in ("secret_key", "security_token", "auth_token"))
    assert CONNECTION_ARGUMENT_SPEC["access_key"]["no_log"] is False
