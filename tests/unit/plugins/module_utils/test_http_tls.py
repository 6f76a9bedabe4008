# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._auth import TokenAuth
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsClient, ModelArtsError


class Sent(Exception):
    pass


@pytest.mark.parametrize(
    "validate_certs, ca_path, expected",
    [
        (True, "/etc/team/ca.pem", "/etc/team/ca.pem"),
        (False, None, False),
        (False, "/etc/team/ca.pem", "/etc/team/ca.pem"),
    ],
)
def test_the_certificate_check_asked_for_wins_over_the_environment(monkeypatch, validate_certs, ca_path, expected):
    # requests would otherwise take these over the session's own setting, silently ignoring ca_path.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    client = ModelArtsClient(
        "https://modelarts.example.com", "p1", TokenAuth("t"), validate_certs=validate_certs, ca_path=ca_path
    )
    seen = {}

    def send(request, **kwargs):
        seen.update(kwargs)
        raise Sent()

    monkeypatch.setattr(client.session, "send", send)
    with pytest.raises((Sent, ModelArtsError)):
        client.request("GET", client.project_path("notebooks", "nb-1"), "Reading notebook instance nb-1")
    assert seen["verify"] == expected
