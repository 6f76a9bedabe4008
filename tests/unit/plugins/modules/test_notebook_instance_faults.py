# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Regressions found by the fault sweep (tests/faults/sweep.py), run in-process against the simulator."""

from __future__ import annotations

import functools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _http
from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_instance
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

REFUSED = {"error_code": "ModelArts.6357", "error_msg": "Another operation is running on the instance."}


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, notebook_instance, simulator, wait_timeout=10)


def test_a_throttled_write_waits_for_retry_after_before_it_is_sent_again(simulator, run, monkeypatch):
    slept = []
    monkeypatch.setattr(_http.time, "sleep", slept.append)
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="PUT", status=429, headers={"Retry-After": "7"})
    result = run(id=nb["id"], description="new")
    assert result["changed"] is True and result["actions"] == ["update"]
    assert slept and max(slept) >= 7


def test_a_refused_restart_is_tried_again_so_a_running_instance_is_not_left_stopped(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    # The update fails for good; the start that follows is refused once while "another operation runs".
    simulator.inject_fault(method="PUT", status=503, count=10)
    simulator.inject_fault(method="POST", path="/start$", status=400, body=REFUSED)
    result = run(id=nb["id"], description="new", allow_restart=True, max_retries=2)
    assert result["failed"] is True and "was started again" in result["msg"]
    assert simulator.notebook(nb["id"])["status"] == "RUNNING"


def test_the_read_before_starting_again_honours_the_retry_after_of_the_failure(simulator, run):
    # The wait for STOPPED is throttled until the transport gives up: the instance, stopped by this task, is read
    # again before its start only after the pause the service asked for.
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    simulator.inject_fault(
        method="GET", path=r"/notebooks/[^/]+$", status=429, headers={"Retry-After": "1"}, skip=1, count=3
    )
    result = run(id=nb["id"], description="new", allow_restart=True, max_retries=2)
    assert result["failed"] is True and "was started again" in result["msg"] and "HTTP 429" in result["msg"]
    reads = [r for r in simulator.requests if r.method == "GET"]
    throttled = [r for r in reads if r.status == 429]
    following = reads[reads.index(throttled[-1]) + 1]
    assert following.time - throttled[-1].time >= 0.95
    assert simulator.notebook(nb["id"])["status"] == "RUNNING"


def test_a_stop_refused_once_is_tried_again(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    simulator.inject_fault(method="POST", path="/stop$", status=400, body=REFUSED)
    result = run(id=nb["id"], state="stopped")
    assert result["changed"] is True and result["actions"] == ["stop"]
    assert simulator.notebook(nb["id"])["status"] == "STOPPED"
    assert len([r for r in simulator.requests if r.path.endswith("/stop")]) == 2


def test_a_stop_refused_every_time_fails_clearly_after_max_retries(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    simulator.inject_fault(method="POST", path="/stop$", status=400, body=REFUSED, count=10)
    result = run(id=nb["id"], state="stopped", max_retries=2)
    assert (
        result["failed"] is True and "Stopping notebook instance" in result["msg"] and "ModelArts.6357" in result["msg"]
    )
    assert len([r for r in simulator.requests if r.path.endswith("/stop")]) == 3
