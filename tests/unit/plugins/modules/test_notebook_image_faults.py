# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""notebook_image when answers are lost: never two images, never two snapshots, never a blind resend."""

from __future__ import annotations

import functools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_image
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

SWR = "swr.cn-north-4.myhuaweicloud.com"
IDENTITY = {"namespace": "team-a", "name": "pytorch-team", "tag": "v1"}
SAVE_PATH = "/create-image$"


@pytest.fixture
def run(simulator):
    simulator.resources["images"].image_seconds = 0.05
    simulator.add_notebook(name="template", status="RUNNING")
    return functools.partial(run_module, notebook_image, simulator, wait_timeout=10)


def posts(sim):
    return [r for r in sim.requests if r.method == "POST"]


def dedicated(sim):
    """The images of the identity the tests ask for."""
    return [i for i in sim.resources["images"].all() if (i["namespace"], i["name"]) == ("team-a", "pytorch-team")]


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 503},
        {"status": 500, "body": b"<html>bad gateway</html>"},
        {"status": 200, "body": b"not json"},
        {"status": 429, "headers": {"Retry-After": "0"}},
    ],
)
def test_a_save_answered_with_an_error_after_it_was_applied_is_adopted(simulator, run, fault):
    simulator.inject_fault(method="POST", path=SAVE_PATH, apply=True, **fault)
    result = run(notebook="template", **IDENTITY)
    assert (result["changed"], result["actions"], result["image"]["status"]) == (True, ["save"], "ACTIVE")
    assert len(posts(simulator)) == 1 and len(dedicated(simulator)) == 1


def test_a_save_that_failed_before_it_was_applied_is_sent_again_once(simulator, run):
    simulator.inject_fault(method="POST", path=SAVE_PATH, status=503)
    result = run(notebook="template", **IDENTITY)
    assert (result["changed"], result["actions"]) == (True, ["save"])
    assert len(posts(simulator)) == 2 and len(simulator.writes) == 1 and len(dedicated(simulator)) == 1
    # The image was looked up between the two: a lookup, not a blind resend.
    first, second = [i for i, r in enumerate(simulator.requests) if r.method == "POST"]
    assert any(r.path.endswith("/images") for r in simulator.requests[first + 1 : second])


@pytest.mark.parametrize("lost", [{"drop": True}, {"status": None, "delay": 1.0}])
def test_a_save_whose_answer_was_lost_is_looked_for_never_sent_again(simulator, run, lost):
    simulator.inject_fault(method="POST", path=SAVE_PATH, apply=True, **lost)
    result = run(notebook="template", timeout=0.5, **IDENTITY)
    assert (result["changed"], result["actions"], result["image"]["status"]) == (True, ["save"], "ACTIVE")
    assert len(posts(simulator)) == 1 and len(dedicated(simulator)) == 1


def test_a_lost_save_that_never_appears_fails_saying_a_rerun_adopts_it(simulator, run):
    simulator.inject_fault(method="POST", path=SAVE_PATH, drop=True)
    result = run(notebook="template", wait_timeout=1, **IDENTITY)
    assert result["failed"] is True and result["actions"] == []
    assert "it was not sent again: image team-a/pytorch-team:v1 did not appear within 1 seconds" in result["msg"]
    assert "run the task again later: it adopts what the service made" in result["msg"]
    assert len(posts(simulator)) == 1 and not dedicated(simulator)


def test_a_register_whose_answer_was_lost_is_adopted(simulator, run):
    path = "%s/team-a/cuda:1.4" % SWR
    simulator.inject_fault(method="POST", path="/images$", apply=True, drop=True)
    result = run(swr_path=path)
    assert (result["changed"], result["actions"], result["image"]["swr_path"]) == (True, ["register"], path)
    assert len(posts(simulator)) == 1


@pytest.mark.parametrize("applied", [True, False])
def test_a_delete_that_failed_is_read_back_before_it_is_sent_again(simulator, run, applied):
    made = simulator.resources["images"].add(**IDENTITY)
    simulator.resources["images"].image_seconds = 5
    simulator.inject_fault(method="DELETE", status=503, apply=applied)
    result = run(state="absent", **IDENTITY)
    assert (result["changed"], result["actions"], result["image"]["status"]) == (True, ["delete"], "DELETED")
    deletes = [r for r in simulator.requests if r.method == "DELETE"]
    assert len(deletes) == (1 if applied else 2) and len(simulator.writes) == 1
    assert simulator.requests[-1].path.endswith(made["id"]) and simulator.requests[-1].method == (
        "GET" if applied else "DELETE"
    )


def test_a_save_refused_for_good_is_a_clean_failure(simulator, run):
    simulator.inject_fault(method="POST", path=SAVE_PATH, status=503, count=10)
    result = run(notebook="template", max_retries=1, **IDENTITY)
    assert result["failed"] is True and result["actions"] == []
    assert result["msg"].startswith("Saving notebook instance ") and "HTTP 503" in result["msg"]
    assert result["error"]["status"] == 503 and not dedicated(simulator)
