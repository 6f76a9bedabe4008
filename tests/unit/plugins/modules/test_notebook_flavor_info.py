# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""notebook_flavor_info in-process against the simulator's flavor catalogue."""

from __future__ import annotations

import functools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_flavor_info
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, notebook_flavor_info, simulator)


def flavor_calls(sim):
    return [(r.path.rsplit("/notebooks", 1)[-1], r.query) for r in sim.requests]


def test_every_flavor_in_one_request(simulator, run):
    result = run()
    assert result["changed"] is False
    # The call's default feature is NOTEBOOK: the one free CodeLab flavor (DEFAULT) is not among them.
    expected = [f["id"] for f in simulator.store.flavors if f["feature"] == "NOTEBOOK"]
    assert len(expected) > 30 and sorted(f["id"] for f in result["flavors"]) == sorted(expected)
    assert flavor_calls(simulator) == [("/flavors", {})]


@pytest.mark.parametrize("category", ["CPU", "GPU", "ASCEND"])
def test_category_is_filtered_by_the_service(simulator, run, category):
    result = run(category=category)
    expected = [f["id"] for f in simulator.store.flavors if f["category"] == category and f["feature"] == "NOTEBOOK"]
    assert expected and sorted(f["id"] for f in result["flavors"]) == sorted(expected)
    assert flavor_calls(simulator) == [("/flavors", {"category": category})]


@pytest.mark.parametrize("flavor_type", ["MANAGED", "DEDICATED"])
def test_type_is_filtered_by_the_service(simulator, run, flavor_type):
    result = run(type=flavor_type, category="GPU")
    expected = [
        f["id"]
        for f in simulator.store.flavors
        if f["_type"] == flavor_type and f["category"] == "GPU" and f["feature"] == "NOTEBOOK"
    ]
    assert expected and sorted(f["id"] for f in result["flavors"]) == sorted(expected)
    assert flavor_calls(simulator) == [("/flavors", {"category": "GPU", "type": flavor_type})]


def test_the_flavors_an_instance_can_switch_to_by_id_or_name(simulator, run):
    nb = simulator.add_notebook(name="nb-1", flavor="modelarts.vm.cpu.2u")
    simulator.add_notebook(name="nb-10")
    by_id = run(notebook=nb["id"])
    ids = [f["id"] for f in by_id["flavors"]]
    assert ids and "modelarts.vm.cpu.2u" not in ids and "modelarts.vm.cpu.8u" in ids
    # Shaped like an ID: read as one, then its flavors.
    instance_path = "/v1/%s/notebooks/%s" % (simulator.project_id, nb["id"])
    assert [r.path for r in simulator.requests] == [instance_path, instance_path + "/flavors"]
    simulator.clear_requests()
    by_name = run(notebook="nb-1", category="CPU")
    assert [f["id"] for f in by_name["flavors"]] == [f["id"] for f in by_id["flavors"] if f["category"] == "CPU"]
    # A name is not shaped like an ID: one list (exact among fuzzy matches), then the switchable flavors.
    assert [r.method for r in simulator.requests] == ["GET", "GET"] and simulator.requests[0].query.get(
        "name"
    ) == "nb-1"


def test_an_unknown_notebook_fails_naming_what_was_found(simulator, run):
    simulator.add_notebook(name="nb-10")
    result = run(notebook="nb-1")
    assert result["failed"] and "no notebook instance is named 'nb-1'" in result["msg"] and "nb-10" in result["msg"]
    unknown_id = run(notebook="6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c")
    assert unknown_id["failed"] and "no notebook instance is named '6b3b6f14" in unknown_id["msg"]


def test_notebook_and_type_cannot_be_combined(simulator, run):
    result = run(notebook="nb-1", type="MANAGED")
    assert result["failed"] and "mutually exclusive" in result["msg"] and simulator.requests == []


def test_a_service_error_fails_with_what_was_attempted(simulator, run):
    simulator.inject_fault(
        path="/flavors$", status=400, body={"error_code": "ModelArts.6400", "error_msg": "bad query"}
    )
    result = run(category="GPU")
    assert (
        result["failed"]
        and "Listing notebook flavors (offset 0) failed: HTTP 400 ModelArts.6400, bad query" in result["msg"]
    )
    assert result["error"]["error_code"] == "ModelArts.6400"
