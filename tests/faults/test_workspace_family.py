"""The workspace family of the sweep: what it draws, and that its own invariants catch what they guard."""

import re
import types

from fault_sweep import registry
from fault_sweep.families import CYCLE, FAMILIES
from fault_sweep.families.workspace import TARGETS

SEED = "20260401"
FAMILY = FAMILIES["workspace"]


def scenarios(count=60):
    first = CYCLE.index("workspace")
    return [registry.make_scenario(SEED, first + n * len(CYCLE)) for n in range(count)]


def test_each_operation_and_its_plan():
    drawn = scenarios()
    assert {s["initial"]["operation"] for s in drawn} == {"create", "update", "delete"}
    for scenario in drawn:
        operation, plan, params = scenario["initial"]["operation"], scenario["plan"], scenario["params"]
        if operation == "create":
            assert plan == ["create"] and scenario["by_name"]
        elif operation == "update":
            assert plan in ([], ["update"])
        elif scenario["initial"]["gone"]:
            assert plan == []
        else:
            seen = [o for o in scenario["initial"]["notebooks"] if o == "own" or not scenario.get("others_refused")]
            assert plan == (None if seen and not params["delete_contents"] else ["delete"])


def test_every_fault_hits_a_workspace_call_or_the_notebooks_list():
    paths = {"/v1/p/workspaces", "/v1/p/workspaces/abc", "/v1/p/notebooks/all", "/v1/p/notebooks"}
    for scenario in scenarios():
        for fault in scenario["faults"]:
            assert (fault["method"], fault["path"]) == TARGETS[fault["target"]]
            assert any(re.search(fault["path"], path) for path in paths), fault


def record(method, path, applied=True, fault=None):
    return types.SimpleNamespace(method=method, path=path, applied=applied, fault=fault)


def world(live=None):
    return {"live": live, "named": [], "others": set(), "target_id": "w1", "status_at_end": None, "untouched": []}


def delete_scenario(**initial):
    base = {"operation": "delete", "name": "ws-1", "notebooks": ["other"], "gone": False, "token": "t"}
    base.update(initial)
    return {
        "initial": base,
        "params": {"state": "absent", "wait": True, "delete_contents": False},
        "plan": None,
        "faults": [],
        "check_mode": False,
        "by_name": True,
        "decoy": {"id": "d"},
        "decoy_after": {"id": "d"},
        "notebooks_after": [],
    }


def test_a_delete_of_a_workspace_holding_notebooks_is_a_violation():
    violations = []
    scenario = delete_scenario()
    FAMILY.check(
        scenario,
        {"changed": True, "actions": ["delete"]},
        [record("DELETE", "/workspaces/w1")],
        world(),
        None,
        violations,
    )
    assert "a workspace holding notebooks (['other']) was deleted without delete_contents" in violations
    # Where every user's list is refused, only the caller's notebooks can be seen.
    violations = []
    scenario = dict(delete_scenario(), others_refused=True, plan=["delete"])
    FAMILY.check(
        scenario,
        {"changed": True, "actions": ["delete"]},
        [record("DELETE", "/workspaces/w1")],
        world(),
        None,
        violations,
    )
    assert violations == []


def test_a_create_sent_again_after_its_answer_was_lost_is_a_violation():
    scenario = {
        "initial": {"operation": "create", "name": "ws-1", "notebooks": [], "token": "t"},
        "params": {"name": "ws-1", "wait": True},
        "plan": ["create"],
        "faults": [{"id": "f1", "kind": "drop", "drop": True}],
        "check_mode": False,
        "by_name": True,
        "decoy": {"id": "d"},
        "decoy_after": {"id": "d"},
        "notebooks_after": [],
    }
    live = {"name": "ws-1", "description": "", "auth_type": "public", "grants": [], "status": "NORMAL"}
    posts = [record("POST", "/workspaces", applied=False, fault="f1"), record("POST", "/workspaces")]
    violations = []
    FAMILY.check(scenario, {"changed": True, "actions": ["create"]}, posts, world(live), None, violations)
    assert violations == ["a create whose answer was lost was sent again"]
    violations = []
    FAMILY.check(scenario, {"changed": True, "actions": ["create"]}, posts[1:], world(live), None, violations)
    assert violations == []


def test_the_decoy_workspace_must_be_left_alone():
    scenario = dict(delete_scenario(notebooks=[]), plan=["delete"], decoy_after=None)
    violations = []
    FAMILY.check(
        scenario,
        {"changed": True, "actions": ["delete"]},
        [record("DELETE", "/workspaces/w1")],
        world(),
        None,
        violations,
    )
    assert violations == ["the decoy workspace ws-1-old was changed or deleted"]
