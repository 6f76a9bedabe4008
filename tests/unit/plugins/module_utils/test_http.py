# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import time

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _http
from ansible_collections.hwcloud.modelarts.plugins.module_utils._auth import AkSkAuth, TokenAuth
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import (
    ModelArtsClient,
    ModelArtsError,
    RetryPolicy,
)

from modelarts_simulator import DEFAULT_ACCESS_KEY, DEFAULT_AUTH_TOKEN, DEFAULT_SECRET_KEY  # pylint: disable=wrong-import-order

NOTEBOOK = r"/notebooks/[^/]+$"
# Saved at import, before the autouse fixture shortens the sleeps of the other tests.
REAL_BACKOFF, BACKOFF_FACTOR, BACKOFF_MAX = _http.backoff_delay, _http.BACKOFF_FACTOR, _http.BACKOFF_MAX


def client(sim, auth=None, **kwargs):
    auth = auth or AkSkAuth(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY)
    return ModelArtsClient(sim.url, sim.project_id, auth, **kwargs)


def show(c, notebook_id):
    return c.request("GET", c.project_path("notebooks", notebook_id), "Reading notebook instance %s" % notebook_id)


def test_signed_requests_are_accepted(simulator):
    nb = simulator.add_notebook(name="nb-1")
    assert show(client(simulator), nb["id"])["name"] == "nb-1"
    body = client(simulator).request(
        "PUT", "/v1/%s/notebooks/%s" % (simulator.project_id, nb["id"]), "Updating", body={"description": "a b/c"[:3]}
    )
    assert body["description"] == "a b"
    page = client(simulator).request(
        "GET", "/v1/%s/notebooks" % simulator.project_id, "Listing", params=[("name", "nb 1/~"), ("limit", 50)]
    )
    assert page["data"] == []


def test_iam_token_is_accepted(simulator):
    nb = simulator.add_notebook(name="nb-1")
    assert show(client(simulator, TokenAuth(DEFAULT_AUTH_TOKEN)), nb["id"])["id"] == nb["id"]
    assert "Authorization" not in simulator.requests[-1].headers


def test_service_error_carries_status_code_message_and_request_id(simulator):
    with pytest.raises(ModelArtsError) as caught:
        show(client(simulator), "missing-id")
    error = caught.value
    assert (error.status, error.error_code, error.transient) == (400, "ModelArts.6309", False)
    assert error.request_id and error.request_id == simulator.requests[-1].request_id
    assert error.error_msg and error.error_msg in error.message
    assert error.message.startswith("Reading notebook instance missing-id failed: HTTP 400 ModelArts.6309")
    assert "(request id %s)" % error.request_id in error.message
    assert set(error.as_dict()) == {"action", "status", "error_code", "error_msg", "request_id", "reason"}


def test_wrong_secret_key_is_rejected_by_the_gateway(simulator):
    nb = simulator.add_notebook(name="nb-1")
    with pytest.raises(ModelArtsError) as caught:
        show(client(simulator, AkSkAuth(DEFAULT_ACCESS_KEY, "wrong")), nb["id"])
    assert (caught.value.status, caught.value.error_code) == (401, "APIGW.0301")
    assert "wrong" not in caught.value.message


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_get_is_retried_on_transient_status(simulator, status):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="GET", path=NOTEBOOK, count=2, status=status)
    assert show(client(simulator, max_retries=2), nb["id"])["id"] == nb["id"]
    assert len(simulator.requests) == 3


def test_retries_stop_at_max_retries(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="GET", path=NOTEBOOK, count=10, status=500)
    with pytest.raises(ModelArtsError) as caught:
        show(client(simulator, max_retries=3), nb["id"])
    assert caught.value.status == 500 and caught.value.transient
    assert len(simulator.requests) == 4


def test_zero_retries_means_one_attempt(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="GET", path=NOTEBOOK, count=1, status=503)
    with pytest.raises(ModelArtsError):
        show(client(simulator, max_retries=0), nb["id"])
    assert len(simulator.requests) == 1


def test_non_transient_errors_are_not_retried(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(
        method="GET", path=NOTEBOOK, count=1, status=400, body={"error_code": "ModelArts.6400", "error_msg": "bad"}
    )
    with pytest.raises(ModelArtsError) as caught:
        show(client(simulator), nb["id"])
    assert caught.value.error_code == "ModelArts.6400" and len(simulator.requests) == 1


def test_retry_after_is_honoured(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(
        method="GET",
        path=NOTEBOOK,
        count=1,
        status=429,
        headers={"Retry-After": "1"},
        body={"error_code": "APIGW.0308", "error_msg": "throttled"},
    )
    started = time.monotonic()
    show(client(simulator), nb["id"])
    assert time.monotonic() - started >= 0.9
    assert len(simulator.requests) == 2


def test_retry_after_is_capped():
    class Answer:
        headers = {"Retry-After": "86400"}

        def getheader(self, name):
            return self.headers.get(name)

    policy = RetryPolicy.build(3)
    assert policy.get_retry_after(Answer()) == _http.RETRY_AFTER_MAX


def test_backoff_grows_is_capped_and_jittered():
    for attempt in range(1, 12):
        ceiling = min(BACKOFF_MAX, BACKOFF_FACTOR * 2 ** (attempt - 1))
        delays = {REAL_BACKOFF(attempt) for dummy in range(20)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1


@pytest.mark.parametrize("kind", ["status", "drop"])
def test_writes_are_never_resent_by_the_transport(simulator, kind):
    nb = simulator.add_notebook(name="nb-1")
    if kind == "status":
        simulator.inject_fault(method="PUT", path=NOTEBOOK, count=1, status=503, apply=True)
    else:
        simulator.inject_fault(method="PUT", path=NOTEBOOK, count=1, drop=True, apply=True)
    with pytest.raises(ModelArtsError) as caught:
        client(simulator).request(
            "PUT", "/v1/%s/notebooks/%s" % (simulator.project_id, nb["id"]), "Updating", body={"description": "x"}
        )
    assert caught.value.transient
    # A dropped connection leaves the outcome unknown; an answer, even a 5xx, says the service has finished.
    assert caught.value.in_doubt is (kind == "drop")
    assert [r.method for r in simulator.requests] == ["PUT"]
    assert simulator.notebook(nb["id"])["description"] == "x"


def test_a_write_without_an_answer_in_time_is_in_doubt(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="PUT", path=NOTEBOOK, count=1, status=None, delay=0.6)
    with pytest.raises(ModelArtsError) as caught:
        client(simulator, timeout=0.2).request(
            "PUT", "/v1/%s/notebooks/%s" % (simulator.project_id, nb["id"]), "Updating", body={"description": "z"}
        )
    assert caught.value.in_doubt and caught.value.transient and caught.value.status is None
    assert "no answer within 0.2 seconds" in caught.value.message
    assert [r.method for r in simulator.requests] == ["PUT"]


def test_dropped_connection_on_get_is_retried(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="GET", path=NOTEBOOK, count=1, drop=True)
    assert show(client(simulator), nb["id"])["id"] == nb["id"]


def test_timeout_is_per_request_and_retried_for_reads(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="GET", path=NOTEBOOK, count=1, delay=1.0)
    started = time.monotonic()
    assert show(client(simulator, timeout=0.3), nb["id"])["id"] == nb["id"]
    assert time.monotonic() - started < 1.0


def test_timeout_exhausted_says_so(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="GET", path=NOTEBOOK, count=5, delay=1.0)
    with pytest.raises(ModelArtsError) as caught:
        show(client(simulator, timeout=0.2, max_retries=1), nb["id"])
    assert caught.value.status is None and caught.value.transient
    assert "no answer within 0.2 seconds" in caught.value.message or "could not reach" in caught.value.message


@pytest.mark.parametrize("body", ["{not json", ""])
def test_malformed_answer_to_a_read_is_read_again(simulator, body):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="GET", path=NOTEBOOK, count=1, status=200, body=body)
    assert show(client(simulator), nb["id"])["id"] == nb["id"]
    assert len(simulator.requests) == 2


def test_malformed_answer_to_a_write_is_a_transient_error(simulator):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="PUT", path=NOTEBOOK, count=1, status=200, body="<html>", apply=True)
    with pytest.raises(ModelArtsError) as caught:
        client(simulator).request(
            "PUT", "/v1/%s/notebooks/%s" % (simulator.project_id, nb["id"]), "Updating", body={"description": "y"}
        )
    assert caught.value.transient and "not a JSON object" in caught.value.message
    assert not caught.value.in_doubt


def test_connection_refused_is_clear():
    c = ModelArtsClient("http://127.0.0.1:9", "p", TokenAuth("t"), max_retries=0)
    with pytest.raises(ModelArtsError) as caught:
        c.request("GET", "/v1/p/notebooks/x", "Reading notebook instance x")
    assert caught.value.message.startswith("Reading notebook instance x failed: could not reach http://127.0.0.1:9")
    # Nothing reached the service: a write refused so is not in doubt.
    assert caught.value.transient and not caught.value.in_doubt


def test_path_segments_are_quoted(simulator):
    c = client(simulator)
    assert c.project_path("notebooks", "a/b?c") == "/v1/%s/notebooks/a%%2Fb%%3Fc" % simulator.project_id
