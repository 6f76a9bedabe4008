# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import functools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import workspace_info
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, workspace_info, simulator, check=True)


@pytest.fixture
def workspaces(simulator):
    return simulator.resources["workspaces"]


def test_every_workspace_the_default_one_included(simulator, workspaces, run):
    workspaces.add(name="team-a")
    result = run()
    assert sorted(ws["name"] for ws in result["workspaces"]) == ["default", "team-a"]
    assert result["changed"] is False and len(simulator.requests) == 1


@pytest.mark.parametrize("count, pages", [(1, 1), (999, 1), (1000, 1), (1001, 2), (2000, 2), (2001, 3)])
def test_n_workspaces_cost_ceil_n_over_1000_requests(simulator, workspaces, run, count, pages):
    workspaces.max_workspaces = count
    for n in range(count - 1):
        workspaces.add(name="ws-%05d" % n)
    result = run()
    # The default workspace makes the count.
    assert len(result["workspaces"]) == count and len({ws["id"] for ws in result["workspaces"]}) == count
    assert len(simulator.requests) == pages
    assert [(r.query["limit"], r.query["offset"]) for r in simulator.requests] == [
        ("1000", str(page)) for page in range(pages)
    ]


def test_exact_and_fuzzy_names(simulator, workspaces, run):
    for name in ("team-a", "team-a-old", "my-team-a"):
        workspaces.add(name=name)
    assert [ws["name"] for ws in run(name="team-a")["workspaces"]] == ["team-a"]
    assert simulator.requests[-1].query["name"] == "team-a"
    fuzzy = run(name="team-a", name_match="fuzzy")["workspaces"]
    assert sorted(ws["name"] for ws in fuzzy) == ["my-team-a", "team-a", "team-a-old"]
    assert run(name="team-z")["workspaces"] == []


def test_by_id_with_its_grants_and_an_unknown_id(simulator, workspaces, run):
    found = workspaces.add(name="team-a", auth_type="INTERNAL", grants=[{"user_name": "alice"}])
    by_id = run(id=found["id"])["workspaces"]
    assert [ws["id"] for ws in by_id] == [found["id"]] and by_id[0]["grants"][0]["user_name"] == "alice"
    assert run(id="ffffffffffffffffffffffffffffffff")["workspaces"] == []
    assert [ws["name"] for ws in run(id="0")["workspaces"]] == ["default"]


def test_quotas_of_each_workspace(simulator, workspaces, run):
    team = workspaces.add(name="team-a")
    nb = simulator.add_notebook(name="nb")
    simulator.modify(nb["id"], workspace_id=team["id"])
    simulator.clear_requests()
    result = run(quotas=True)
    assert len(simulator.requests) == 3
    quotas = {ws["name"]: ws["quotas"] for ws in result["workspaces"]}
    assert {q["resource"] for q in quotas["team-a"]} >= {"notebook"}
    assert all(set(q) >= {"resource", "quota", "used_quota", "name_en"} for q in quotas["team-a"])
    simulator.clear_requests()
    assert "quotas" not in run(name="team-a")["workspaces"][0] and len(simulator.requests) == 1


def test_enterprise_project_is_filtered_by_the_service(simulator, workspaces, run):
    workspaces.add(name="team-a", enterprise_project_id="ep-1")
    workspaces.add(name="team-b")
    assert [ws["name"] for ws in run(enterprise_project_id="ep-1")["workspaces"]] == ["team-a"]
    assert simulator.requests[-1].query["enterprise_project_id"] == "ep-1"


@pytest.mark.parametrize("other", [{"name": "team-a"}, {"enterprise_project_id": "ep-1"}])
def test_id_cannot_be_combined_with_filters(simulator, run, other):
    result = run(id="x", **other)
    assert result["failed"] and "mutually exclusive" in result["msg"] and simulator.requests == []
