# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fleet's own rules, without a service: checks, duplicates, the concurrency bound, labels and results."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _notebook_fleet
from ansible_collections.hwcloud.modelarts.plugins.module_utils._decision import Decision
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_fleet import Fleet


def no_client():
    raise AssertionError("no definition should have run")


class FakeTask:
    """Stands in for NotebookTask: records how many run at once; fails or changes as its definition says."""

    active = 0
    most = 0
    started = []
    lock = threading.Lock()

    def __init__(self, params, client, decision, warn=None):
        self.params, self.diff, self.warn = params, decision.diff, warn
        self.secrets = ()

    def run(self):
        with FakeTask.lock:
            FakeTask.active += 1
            FakeTask.most = max(FakeTask.most, FakeTask.active)
            FakeTask.started.append(self.params["id"])
        time.sleep(0.05)
        with FakeTask.lock:
            FakeTask.active -= 1
        if self.params.get("description") == "warn":
            self.warn("something to know")
        if self.params.get("description") == "fail":
            raise ModuleError("it broke", error={"status": 400}, secrets=("s3cret",))

    def result(self):
        changed = self.params.get("description") == "change"
        result = {"changed": changed, "actions": ["update"] if changed else []}
        if self.diff:
            result["diff"] = {"before": {"description": "old"}, "after": {"description": "change"}} if changed else {}
        return result


@pytest.fixture
def fake_task(monkeypatch):
    monkeypatch.setattr(_notebook_fleet, "NotebookTask", FakeTask)
    FakeTask.active = FakeTask.most = 0
    FakeTask.started = []
    return FakeTask


@pytest.mark.parametrize("concurrency, expected", [(1, 1), (3, 3), (50, 8)])
def test_at_most_concurrency_definitions_run_at_once_in_the_order_given(fake_task, concurrency, expected):
    ids = ["nb-%d" % i for i in range(8)]
    fleet = Fleet([{"id": nb_id} for nb_id in ids], lambda: None)
    fleet.run(concurrency)
    assert fake_task.most == expected
    if concurrency == 1:
        assert fake_task.started == ids
    assert [entry["item"]["id"] for entry in fleet.result()["results"]] == ids


def test_a_failure_stays_with_its_definition_and_the_message_names_each(fake_task):
    warnings = []
    fleet = Fleet(
        [
            {"id": "a", "description": "change"},
            {"id": "b", "description": "fail"},
            {"name": "c", "description": "warn"},
        ],
        lambda: None,
        warn=warnings.append,
    )
    fleet.run(10)
    assert [d.label for d in fleet.failed] == ["b"]
    assert fleet.failure_message() == "1 of 3 notebook definitions failed: b: it broke"
    result = fleet.result()
    assert result["changed"] is True
    assert result["results"][1] == {
        "item": {"id": "b", "description": "fail"},
        "changed": False,
        "actions": [],
        "failed": True,
        "msg": "it broke",
        "error": {"status": 400},
    }
    assert fleet.secrets == {"s3cret"}
    assert warnings == ["c: something to know"]


def test_diff_mode_heads_each_changed_definition_by_its_label(fake_task):
    fleet = Fleet(
        [{"id": "a", "description": "change"}, {"name": "b"}, {"name": "c", "description": "change"}],
        lambda: None,
        lambda: Decision(diff=True),
    )
    fleet.run(2)
    assert [(d["before_header"], d["after_header"]) for d in fleet.result()["diff"]] == [("a", "a"), ("c", "c")]
    unchanged = Fleet([{"id": "a"}], lambda: None, lambda: Decision(diff=True))
    unchanged.run(2)
    assert "diff" not in unchanged.result()


@pytest.mark.parametrize(
    "items, failed",
    [
        ([{"id": "x"}, {"id": "x"}], [0, 1]),
        ([{"name": "n"}, {"name": "n", "workspace_id": "w"}], []),
        ([{"name": "n", "workspace_id": "w"}, {"name": "n", "workspace_id": "w"}, {"name": "n"}], [0, 1]),
        ([{"id": "x", "name": "n"}, {"name": "n"}], []),
        ([{"id": "x"}, {"id": "y"}, {"id": "x"}, {"id": "x"}], [0, 2, 3]),
    ],
    ids=["same-id", "other-workspace", "same-workspace", "id-and-name", "three-times"],
)
def test_definitions_of_one_instance_are_refused_before_any_request(items, failed):
    fleet = Fleet(items, no_client)
    assert [d.index for d in fleet.failed] == failed
    for definition in fleet.failed:
        assert "address the same notebook instance" in definition.failure["msg"]
        assert "since two changes of one instance at once would race" in definition.failure["msg"]


def test_bad_definitions_are_named_by_id_name_or_position_and_never_run():
    fleet = Fleet(
        [
            {"id": 42, "state": "sleeping"},
            {"name": "n", "colour": "red"},
            {"flavor": "f"},
            {"id": "d", "tags": {"k": "v" * 300}},
        ],
        no_client,
    )
    fleet.run(4)
    assert [d.label for d in fleet.failed] == ["42", "n", "notebooks[2]", "d"]
    messages = [d.failure["msg"] for d in fleet.failed]
    assert messages[0].startswith("value of state must be one of: present, stopped, running, absent")
    assert messages[1].startswith("unsupported option colour. Supported parameters include: ")
    assert messages[2] == "one of the following is required: id, name"
    assert "tags" in messages[3]
    assert all("actions" not in entry for entry in fleet.result()["results"])


def test_tags_are_checked_as_text_and_defaults_filled_as_notebook_instance_does():
    fleet = Fleet([{"id": "a", "tags": {"cost": 4711, "empty": None}}], no_client)
    (definition,) = fleet.definitions
    assert definition.params["tags"] == {"cost": "4711", "empty": ""}
    assert (definition.params["state"], definition.params["wait"], definition.params["wait_timeout"]) == (
        "present",
        True,
        600,
    )
    assert definition.item == {"id": "a", "tags": {"cost": 4711, "empty": None}}
