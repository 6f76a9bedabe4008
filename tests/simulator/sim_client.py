"""Requests to the simulator signed by the official SDK's signer, for the simulator's own tests."""

import json
import time

import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from modelarts_simulator import DEFAULT_ACCESS_KEY as AK, DEFAULT_SECRET_KEY as SK


def call(
    sim,
    method,
    path,
    query=None,
    body=None,
    ak=AK,
    sk=SK,
    security_token=None,
    sdk_date=None,
    raw=None,
    send_body=None,
    extra_headers=None,
    sign=True,
    after_signing=None,
    timeout=10,
    **kwargs,
):
    """Send a request signed by the official SDK's signer; ``path`` is relative to /v1/{project_id}/notebooks.

    ``body`` is sent as JSON, or ``raw`` as given; ``send_body`` replaces the signed body on the wire and
    ``after_signing`` adds or replaces headers after the signature was computed.
    """
    resource_path = path if path.startswith(("/v1/", "/v2/")) else "/v1/%s/notebooks%s" % (sim.project_id, path)
    if raw is None:
        raw = json.dumps(body).encode("utf-8") if body is not None else b""
    headers = {"Content-Type": "application/json", "X-Project-Id": sim.project_id}
    if sdk_date:
        headers["X-Sdk-Date"] = sdk_date
    if security_token:
        headers["X-Security-Token"] = security_token
    headers.update(extra_headers or {})
    host = sim.url.split("://", 1)[1]
    request = SdkRequest(
        method=method,
        schema=sim.url.split(":", 1)[0],
        host=host,
        resource_path=resource_path,
        query_params=sorted((query or {}).items()),
        header_params=headers,
        body=raw,
    )
    if sign:
        request = Signer(BasicCredentials(ak, sk)).sign(request)
    else:
        Signer.process_request_uri(request)
    request.header_params.update(after_signing or {})
    data = send_body if send_body is not None else raw
    return requests.request(
        method, sim.url + request.uri, headers=request.header_params, data=data or None, timeout=timeout, **kwargs
    )


def error_code(response):
    return response.json()["error_code"]


def wait_for(sim, nb_id, status, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = call(sim, "GET", "/" + nb_id).json()["status"]
        if current == status:
            return
        time.sleep(0.02)
    raise AssertionError("%s never reached %s (last %s)" % (nb_id, status, current))


def wait_gone(sim, nb_id, timeout=5.0):
    """Wait until GET answers ModelArts.6309 (a deletion ended); return that answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = call(sim, "GET", "/" + nb_id)
        if answer.status_code != 200:
            return answer
        time.sleep(0.02)
    raise AssertionError("%s is still there (%s)" % (nb_id, answer.json()["status"]))
