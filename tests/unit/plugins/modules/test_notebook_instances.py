# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""notebook_instances in-process against the simulator: many definitions at once, each as notebook_instance."""

from __future__ import annotations

import functools
import json

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _notebook_task
from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_instances
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

FLAVOR = "modelarts.vm.cpu.8u"


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, notebook_instances, simulator)


def writes(sim, nb_id=None):
    return [r for r in sim.requests if r.method != "GET" and (nb_id is None or r.notebook_id == nb_id)]


def spans(sim, notebooks):
    """(first, last) arrival time of the requests about each notebook."""
    spans = []
    for nb in notebooks:
        times = [r.time for r in sim.requests if r.notebook_id == nb["id"]]
        spans.append((min(times), max(times)))
    return spans


def peak(spans):
    """The largest number of spans open at one moment."""
    events = sorted([(start, 1) for start, dummy in spans] + [(end, -1) for dummy, end in spans])
    current = most = 0
    for dummy, step in events:
        current += step
        most = max(most, current)
    return most


def test_each_definition_is_applied_as_notebook_instance_would_and_a_rerun_changes_nothing(simulator, run):
    stopped = simulator.add_notebook(name="team-a", status="STOPPED", capacity=5)
    running = simulator.add_notebook(name="team-b", status="RUNNING", description="old")
    untouched = simulator.add_notebook(name="team-c", status="RUNNING", description="same")
    definitions = [
        {"id": stopped["id"], "flavor": FLAVOR, "storage_size": 20},
        {"name": "team-b", "description": "Team B", "allow_restart": True},
        {"name": "team-c", "description": "same"},
    ]
    result = run(notebooks=definitions)
    assert result["changed"] is True and "failed" not in result
    assert [r["item"] for r in result["results"]] == definitions
    assert [r["actions"] for r in result["results"]] == [["update"], ["stop", "update", "start"], []]
    assert [r["changed"] for r in result["results"]] == [True, True, False]
    assert (
        result["results"][1]["notebook"]["description"] == "Team B" and "token" not in result["results"][1]["notebook"]
    )
    a, b = simulator.notebook(stopped["id"]), simulator.notebook(running["id"])
    assert (a["flavor"], a["volume"]["capacity"], a["status"]) == (FLAVOR, 20, "STOPPED")
    assert (b["description"], b["status"]) == ("Team B", "RUNNING")
    assert writes(simulator, untouched["id"]) == []

    simulator.clear_requests()
    rerun = run(notebooks=definitions)
    assert rerun["changed"] is False and [r["actions"] for r in rerun["results"]] == [[], [], []]
    assert writes(simulator) == []
    # One GET by id, one list by name each: the same reads as notebook_instance.
    assert len(simulator.requests) == 3


def test_definitions_run_side_by_side_up_to_concurrency(simulator, run):
    simulator.transition_seconds = 0.5
    notebooks = [simulator.add_notebook(name="limit-%d" % i, status="RUNNING") for i in range(5)]
    result = run(
        notebooks=[{"id": nb["id"], "description": "x", "allow_restart": True} for nb in notebooks], concurrency=2
    )
    assert all(r["actions"] == ["stop", "update", "start"] for r in result["results"])
    # Each spends two transitions (1 s) between its first and last request: two at once, never three.
    assert peak(spans(simulator, notebooks)) == 2


def test_concurrency_one_applies_them_one_after_the_other_in_order(simulator, run):
    simulator.transition_seconds = 0.2
    notebooks = [simulator.add_notebook(name="row-%d" % i, status="RUNNING") for i in range(3)]
    run(notebooks=[{"id": nb["id"], "description": "x", "allow_restart": True} for nb in notebooks], concurrency=1)
    found = spans(simulator, notebooks)
    assert all(earlier[1] < later[0] for earlier, later in zip(found, found[1:])), found


def test_a_failing_definition_does_not_stop_the_others_and_the_task_names_each_failure(simulator, run):
    busy = simulator.add_notebook(name="busy", status="RUNNING")
    first = simulator.add_notebook(name="first", status="STOPPED")
    last = simulator.add_notebook(name="last", status="STOPPED")
    definitions = [
        {"id": first["id"], "description": "converged"},
        {"id": "no-such-notebook", "description": "x"},
        {"name": "busy", "flavor": FLAVOR},  # running, without allow_restart
        {"id": last["id"], "description": "converged"},
    ]
    result = run(notebooks=definitions, concurrency=3)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith(
        "2 of 4 notebook definitions failed: no-such-notebook: Reading notebook instance"
    ), result["msg"]
    assert (
        "HTTP 400 ModelArts.6309" in result["msg"] and "; busy: " in result["msg"] and "allow_restart" in result["msg"]
    )
    outcome = result["results"]
    assert [bool(r.get("failed")) for r in outcome] == [False, True, True, False]
    assert outcome[1]["error"]["error_code"] == "ModelArts.6309" and outcome[1]["actions"] == []
    assert outcome[2]["notebook"]["id"] == busy["id"] and outcome[2]["changed"] is False
    for nb in (first, last):
        assert simulator.notebook(nb["id"])["description"] == "converged"
    assert writes(simulator, busy["id"]) == []


@pytest.mark.parametrize(
    "item, message",
    [
        ({"flavor": FLAVOR}, "notebooks[0]: one of the following is required: id, name"),
        ({"id": "x", "storage_size": "big"}, "x: argument 'storage_size' is of type "),
        ({"id": "x", "state": "sleeping"}, "x: value of state must be one of: present, stopped, running, absent"),
        ({"id": "x", "endpoints": [{"allowed_access_ips": []}]}, "x: missing required arguments: dev_service"),
        ({"id": "x", "flavour": FLAVOR}, "x: unsupported option flavour. Supported parameters include: "),
        ({"id": "x", "access_key": "AK"}, "x: unsupported option access_key."),
        ({"id": "x", "description": "a <b>"}, "x: description"),
        ({"id": "x", "wait_timeout": -1}, "x: wait_timeout must be 0 or more seconds, got -1"),
    ],
    ids=["no-id-or-name", "type", "choice", "suboption", "unknown", "connection-option", "rule", "wait-timeout"],
)
def test_bad_input_fails_its_definition_before_any_request_about_it(simulator, run, item, message):
    good = simulator.add_notebook(name="good", status="STOPPED")
    result = run(notebooks=[item, {"id": good["id"], "description": "still applied"}])
    assert result["failed"] is True
    assert result["msg"].startswith("1 of 2 notebook definitions failed: " + message), result["msg"]
    assert "actions" not in result["results"][0] and result["results"][0]["item"] == item
    assert simulator.notebook(good["id"])["description"] == "still applied"
    assert {r.notebook_id for r in simulator.requests} == {good["id"]}


def test_two_definitions_of_one_instance_both_fail_before_any_request(simulator, run):
    nb = simulator.add_notebook(name="twice", status="STOPPED")
    other = simulator.add_notebook(name="other", status="STOPPED")
    result = run(
        notebooks=[
            {"id": nb["id"], "description": "one"},
            {"name": "other", "description": "applied"},
            {"id": nb["id"], "description": "two"},
            {"name": "twice", "workspace_id": "ws-1", "description": "three"},
            {"name": "twice", "workspace_id": "ws-1", "description": "four"},
        ]
    )
    assert result["failed"] is True and result["msg"].startswith("4 of 5 notebook definitions failed: "), result["msg"]
    assert "notebooks[0] and notebooks[2] address the same notebook instance (id %s)" % nb["id"] in result["msg"]
    assert (
        "notebooks[3] and notebooks[4] address the same notebook instance (name twice in workspace ws-1)"
        in result["msg"]
    )
    assert simulator.notebook(nb["id"])["description"] != "one"
    # Only the other definition's requests: its list by name, then its own.
    assert [r.query.get("name") for r in simulator.requests if r.notebook_id is None] == ["other"]
    assert {r.notebook_id for r in simulator.requests if r.notebook_id} == {other["id"]}


def test_check_mode_plans_every_definition_and_diff_heads_each_by_its_instance(simulator, run):
    stopped = simulator.add_notebook(name="check-a", status="STOPPED", description="old")
    running = simulator.add_notebook(name="check-b", status="RUNNING")
    same = simulator.add_notebook(name="check-c", status="STOPPED", description="same")
    result = run(
        check=True,
        diff=True,
        notebooks=[
            {"id": stopped["id"], "description": "new"},
            {"name": "check-b", "flavor": FLAVOR, "allow_restart": True},
            {"id": same["id"], "description": "same"},
        ],
    )
    assert writes(simulator) == []
    assert result["changed"] is True
    assert [r["actions"] for r in result["results"]] == [["update"], ["stop", "update", "start"], []]
    assert result["results"][0]["diff"] == {"before": {"description": "old"}, "after": {"description": "new"}}
    assert [(d["before_header"], d["after_header"]) for d in result["diff"]] == [
        (stopped["id"], stopped["id"]),
        ("check-b", "check-b"),
    ]
    assert result["diff"][1]["after"]["flavor"] == FLAVOR and simulator.notebook(running["id"])["flavor"] != FLAVOR


def test_without_diff_mode_there_is_no_diff(simulator, run):
    nb = simulator.add_notebook(name="nodiff", status="STOPPED", description="old")
    result = run(notebooks=[{"id": nb["id"], "description": "new"}])
    assert "diff" not in result and "diff" not in result["results"][0]


def test_tokens_and_secret_key_never_appear_in_the_result(simulator, run):
    notebooks = [simulator.add_notebook(name="tok-%d" % i, status="STOPPED") for i in range(3)]
    result = run(notebooks=[{"id": nb["id"], "description": "x"} for nb in notebooks] + [{"id": "gone"}])
    text = json.dumps(result)
    for nb in notebooks:
        assert simulator.notebook(nb["id"])["token"] not in text
    assert simulator.auth.secret_key not in text


def test_warnings_name_their_definition(simulator, run):
    nb = simulator.add_notebook(name="hooked", status="STOPPED")
    result = run(
        notebooks=[{"id": nb["id"], "hooks": {"container_hooks": {"post_start": {"script": "/home/ma-user/start.sh"}}}}]
    )
    assert result["changed"] is False and "failed" not in result, result
    # Text before ansible-core 2.19, a summary object from it on: the definition's ID starts the message.
    assert '"%s: hooks were not sent' % nb["id"] in json.dumps(result["warnings"]), result["warnings"]


def test_an_empty_list_does_nothing(simulator, run):
    result = run(notebooks=[])
    assert result["changed"] is False and result["results"] == [] and "failed" not in result
    assert simulator.requests == []


@pytest.mark.parametrize(
    "args, message",
    [
        ({"concurrency": 0}, "concurrency must be 1 or more, got 0"),
        (
            {"endpoint": "ftp://example.com"},
            "endpoint (or HW_MODELARTS_ENDPOINT) must be an http:// or https:// base URL",
        ),
    ],
    ids=["concurrency", "connection"],
)
def test_task_options_fail_the_task_before_any_request(simulator, run, args, message):
    nb = simulator.add_notebook(name="x", status="STOPPED")
    result = run(notebooks=[{"id": nb["id"], "description": "x"}], **args)
    assert result["failed"] is True and result["msg"].startswith(message), result["msg"]
    assert simulator.requests == []


def test_an_unexpected_error_in_one_definition_fails_it_alone_without_traceback(simulator, run, monkeypatch):
    broken = simulator.add_notebook(name="broken", status="STOPPED")
    fine = simulator.add_notebook(name="fine", status="STOPPED")
    original = _notebook_task.NotebookTask.run

    def run_or_break(self):
        if self.params.get("id") == broken["id"]:
            raise KeyError("status")
        return original(self)

    monkeypatch.setattr(_notebook_task.NotebookTask, "run", run_or_break)
    result = run(notebooks=[{"id": broken["id"], "description": "x"}, {"id": fine["id"], "description": "y"}])
    assert result["msg"] == "1 of 2 notebook definitions failed: %s: Unexpected KeyError: 'status'" % broken["id"]
    assert "Traceback" not in json.dumps(result)
    assert simulator.notebook(fine["id"])["description"] == "y"
