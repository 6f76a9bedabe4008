"""Tests of the fault sweep's own code: the registry, the draws, the report and waiting for a held request."""

import collections
import hashlib
import json
import random
import re
import threading
import time

import pytest
import requests
from fault_sweep import faults, registry
from fault_sweep.constants import TIMEOUT
from fault_sweep.families import CYCLE, FAMILIES
from fault_sweep.family import Family
from fault_sweep.report import markdown, summarize
from fault_sweep.requestlog import wait_for_held

from modelarts_simulator import DEFAULT_AUTH_TOKEN, DEFAULT_FLAVORS, DEFAULT_IMAGES, DEFAULT_PROJECT_ID, Simulator

SEED = "20260401"
# The update scenarios of the first 360 indexes, as every sweep since the first one drew them: a change here makes
# the update figures incomparable with earlier sweeps.
UPDATE_DRAWS = "44d55fda005ff08d7a8db4042fa26200e55b7704671cfaeedf51863a8b1b96c5"
# The first 360 scenarios as the sweep of 1.1.0 drew them; the faults of the families' own kinds, drawn since, apart.
DRAWS_OF_1_1_0 = "1636970ad81d7590555cbde32c2fca13b66040fe3395dc8c1eb5a95dad1240e9"


# The cycle of 1.1.0: a family registered since lengthens the cycle, and the scenarios of these indexes change.
CYCLE_OF_1_1_0 = ("update", "create", "delete", "update", "tags", "auto_stop")


@pytest.fixture
def cycle_of_1_1_0(monkeypatch):
    """The families of 1.1.0 alone, in their cycle: the draws of their scenarios must not have changed."""
    monkeypatch.setattr(registry, "CYCLE", CYCLE_OF_1_1_0)


def fingerprint(scenarios):
    return hashlib.sha256(json.dumps(scenarios, sort_keys=True).encode()).hexdigest()


def test_every_registered_family_is_its_module():
    assert list(FAMILIES) == list(dict.fromkeys(CYCLE))
    for name, family in FAMILIES.items():
        assert isinstance(family, Family)
        assert family.name == name
        assert family.kinds, name


def test_every_cycle_of_scenarios_has_every_family():
    for start in (0, len(CYCLE), 5 * len(CYCLE)):
        drawn = {registry.family_at(i).name for i in range(start, start + len(CYCLE))}
        assert drawn == set(FAMILIES)


def test_a_scenario_depends_on_the_seed_and_its_index_alone():
    indexes = range(3 * len(CYCLE))
    first = [registry.make_scenario(SEED, i) for i in indexes]
    assert [registry.make_scenario(SEED, i) for i in reversed(indexes)] == first[::-1]
    assert [registry.make_scenario("another seed", i) for i in indexes] != first
    for index, scenario in zip(indexes, first):
        assert scenario["index"] == index
        assert scenario["operation"] == registry.family_at(index).name
        assert scenario["faults"], index


def test_the_update_scenarios_are_those_of_earlier_sweeps(cycle_of_1_1_0):
    updates = [registry.make_scenario(SEED, i) for i in range(360) if registry.family_at(i).name == "update"]
    assert len(updates) == 120
    assert fingerprint(updates) == UPDATE_DRAWS


def test_the_scenarios_of_1_1_0_keep_every_draw_but_the_own_kinds_added_since(cycle_of_1_1_0):
    scenarios = [registry.make_scenario(SEED, i) for i in range(360)]
    own = set()
    for family in FAMILIES.values():
        own.update(family.own_kinds)
    for scenario in scenarios:
        scenario["faults"] = [fault for fault in scenario["faults"] if fault["kind"] not in own]
    assert fingerprint(scenarios) == DRAWS_OF_1_1_0


def test_the_creates_own_faults(cycle_of_1_1_0):
    drawn = collections.Counter()
    for index in range(1, 360, len(CYCLE_OF_1_1_0)):
        scenario = registry.make_scenario(SEED, index)
        assert scenario["operation"] == "create"
        own = [fault for fault in scenario["faults"] if fault["kind"] in FAMILIES["create"].own_kinds]
        drawn[len(own)] += 1
        for fault in own:
            assert (fault["method"], fault["target"], fault["count"]) == ("POST", "create", 1)
            assert re.search(fault["path"], "/v1/%s/notebooks" % DEFAULT_PROJECT_ID)
            if fault["kind"] == "applied_after_timeout":
                # Held past the module's timeout, then applied.
                assert faults.held(fault) and fault["delay"] > TIMEOUT, fault
            else:
                assert fault["drop"] and fault["apply"] and not faults.held(fault), fault
    assert drawn == {0: 40, 1: 20}


def test_the_report_lists_every_kind_a_scenario_can_carry():
    listed = registry.report_kinds()
    assert len(listed) == len(set(listed))
    assert listed[: len(faults.SHARED_KINDS)] == list(faults.SHARED_KINDS)
    for index in range(360):
        scenario = registry.make_scenario(SEED, index)
        assert set(registry.scenario_kinds(scenario)) <= set(listed), index
    for family in FAMILIES.values():
        assert set(family.kinds + family.own_kinds + family.flag_kinds) <= set(listed), family.name


def test_a_kind_no_one_defines_is_refused():
    class Unknown(Family):
        name = "unknown"
        kinds = ("no such kind",)

    scenario = {"plan": [], "by_name": False, "max_retries": 2}
    with pytest.raises(ValueError, match="no such kind"):
        faults.make_fault(random.Random(1), scenario, Unknown())


def result(index, operation, kinds, verdict, violations=()):
    return {
        "index": index,
        "operation": operation,
        "kinds": kinds,
        "verdict": verdict,
        "violations": list(violations),
        "playbook": index == 1,
    }


def test_the_markdown_figures():
    results = [
        result(0, "update", ["5xx"], "converged"),
        result(1, "create", ["drop", "create_failed"], "failed"),
        result(2, "delete", ["429"], "converged", ["2 instances are named <nb>"]),
    ]
    text = markdown(summarize(results, SEED, 12.34), results, "2026-01-02 03:04", "ansible-core 2.19.0 on Python 3.11")
    lines = text.splitlines()
    assert lines[0] == "Latest `make faults`: 2026-01-02 03:04 UTC, seed 20260401, ansible-core 2.19.0 on Python 3.11."
    assert "| 3 (1 through ansible-playbook) | 2 | 1 | 1 (in 1 scenarios) | 12 s |" in lines
    assert "| update | 1 | 1 | 0 | 0 |" in lines
    assert "| create | 1 | 0 | 1 | 0 |" in lines
    assert "| delete | 1 | 1 | 0 | 1 |" in lines
    assert "| tags | 0 | 0 | 0 | 0 |" in lines
    assert "| create_failed | 1 | 0 | 1 | 0 |" in lines
    assert "| 429 | 1 | 1 | 0 | 1 |" in lines
    assert lines[-1] == "- scenario 2 (delete: 429): 2 instances are named &lt;nb>"


def test_the_markdown_lists_twenty_violations_at_most():
    results = [result(i, "update", ["5xx"], "converged", ["violation %d" % i]) for i in range(25)]
    lines = markdown(summarize(results, SEED, 1), results, "now", "versions").splitlines()
    assert "- scenario 19 (update: 5xx): violation 19" in lines
    assert "- scenario 20 (update: 5xx): violation 20" not in lines
    assert lines[-1] == "- and 5 more (the sweep's report lists every one)"


@pytest.fixture(name="sim")
def fixture_sim():
    sim = Simulator().start()
    yield sim
    sim.stop()


def test_waiting_for_a_create_the_service_holds_past_the_clients_timeout(sim):
    """The check after a run must see a held create applied, though the client gave up on it."""
    spec = {"kind": "applied_after_timeout", "delay": TIMEOUT + 2.4, "status": None, "apply": False}
    fault = sim.inject_fault(method="POST", path=r"/notebooks/?$", status=None, delay=spec["delay"])
    spec.update(id=fault.id, hits=0)
    body = {
        "name": "held",
        "flavor": DEFAULT_FLAVORS[0]["id"],
        "image_id": sorted(DEFAULT_IMAGES)[0],
        "volume": {"category": "EVS", "capacity": 5},
    }
    url = "%s/v1/%s/notebooks" % (sim.url, DEFAULT_PROJECT_ID)
    headers = {"X-Auth-Token": DEFAULT_AUTH_TOKEN}
    with pytest.raises(requests.exceptions.Timeout):
        requests.post(url, json=body, headers=headers, timeout=TIMEOUT)
    spec["hits"] = fault.hits
    assert [nb["name"] for nb in sim.notebooks()] == []  # not applied yet: the service still holds it
    waiter = threading.Thread(target=wait_for_held, args=(sim, [spec]))
    waiter.start()
    waiter.join(timeout=10)
    assert not waiter.is_alive()
    assert [nb["name"] for nb in sim.notebooks()] == ["held"]
    assert [(r.method, r.applied) for r in sim.requests] == [("POST", True)]


def test_no_wait_for_a_late_answer_to_what_the_service_did_or_refused(sim):
    """A timeout fault answers late, after applying or refusing at once: there is nothing to wait for."""
    specs = []
    for apply in (True, False):
        delay = 6.0
        fault = sim.inject_fault(
            method="GET", path=r"/notebooks/?$", status=None if apply else 504, delay=delay, apply=apply
        )
        with pytest.raises(requests.exceptions.Timeout):
            requests.get(
                "%s/v1/%s/notebooks" % (sim.url, DEFAULT_PROJECT_ID),
                headers={"X-Auth-Token": DEFAULT_AUTH_TOKEN},
                timeout=TIMEOUT,
            )
        specs.append(
            {
                "kind": "timeout",
                "id": fault.id,
                "hits": fault.hits,
                "delay": delay,
                "status": fault.status,
                "apply": apply,
            }
        )
        sim.clear_faults()
    assert not any(faults.held(spec) for spec in specs)
    assert [r.status for r in sim.requests] == [None, None]  # both still unanswered
    started = time.monotonic()
    wait_for_held(sim, specs)
    assert time.monotonic() - started < 1
