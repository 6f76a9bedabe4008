# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""notebook_image_info in-process against the simulator's image catalogue (a few hundred images)."""

from __future__ import annotations

import functools
import math

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_image_info
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

from modelarts_simulator import DEFAULT_IMAGES  # pylint: disable=wrong-import-order


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, notebook_image_info, simulator)


def catalog(sim, **wanted):
    wanted.setdefault("workspace_id", "0")
    return [i for i in sim.store.image_catalog.values() if all(i.get(k) == v for k, v in wanted.items())]


def ids(images):
    return sorted(image["id"] for image in images)


@pytest.mark.parametrize("image_type", ["BUILD_IN", "DEDICATED"])
def test_one_type_in_pages_of_two_hundred(simulator, run, image_type):
    result = run(type=image_type)
    expected = catalog(simulator, type=image_type)
    assert ids(result["images"]) == ids(expected)
    assert len(simulator.requests) == math.ceil(len(expected) / 200) or len(expected) % 200 == 0
    assert all(r.query["limit"] == "200" and r.query["type"] == image_type for r in simulator.requests)


def test_both_types_without_type(simulator, run):
    result = run()
    built_in, dedicated = catalog(simulator, type="BUILD_IN"), catalog(simulator, type="DEDICATED")
    assert len(built_in) > 200, "the catalogue must need a second page for this test"
    assert ids(result["images"]) == ids(built_in + dedicated)
    assert [(r.query["type"], r.query["offset"]) for r in simulator.requests] == [
        ("BUILD_IN", "0"),
        ("BUILD_IN", "200"),
        ("DEDICATED", "0"),
    ]


def test_exact_name_is_asked_of_the_service_and_checked(simulator, run):
    name = DEFAULT_IMAGES["e1a07296-22a8-4f05-8bc8-e936c8e54202"]["name"]
    result = run(name=name)
    assert [i["id"] for i in result["images"]] == ["e1a07296-22a8-4f05-8bc8-e936c8e54202"]
    assert all(r.query["name"] == name and r.query["name_fuzzy_match"] == "false" for r in simulator.requests)


def test_fuzzy_name_uses_the_service_match(simulator, run):
    result = run(name="PyTorch", name_match="fuzzy", type="BUILD_IN")
    expected = [i for i in catalog(simulator, type="BUILD_IN") if "pytorch" in i["name"].lower()]
    assert len(expected) > 1 and ids(result["images"]) == ids(expected)
    assert simulator.requests[0].query["name_fuzzy_match"] == "true"


@pytest.mark.parametrize("option, value", [("service_type", "DEV"), ("namespace", "atelier")])
def test_service_type_and_namespace_are_filtered_by_the_service(simulator, run, option, value):
    result = run(type="BUILD_IN", **{option: value})
    expected = catalog(simulator, type="BUILD_IN", **{option: value})
    assert expected and ids(result["images"]) == ids(expected)
    assert all(r.query[option] == value for r in simulator.requests)


def test_workspace_is_filtered_by_the_service(simulator, run):
    workspace = next(i["workspace_id"] for i in simulator.store.image_catalog.values() if i["workspace_id"] != "0")
    result = run(type="DEDICATED", workspace_id=workspace)
    expected = catalog(simulator, type="DEDICATED", workspace_id=workspace)
    assert expected and ids(result["images"]) == ids(expected)


def test_one_image_by_id_and_an_unknown_id(simulator, run):
    assert [i["id"] for i in run(id="e1a07296-22a8-4f05-8bc8-e936c8e54202")["images"]] == [
        "e1a07296-22a8-4f05-8bc8-e936c8e54202"
    ]
    unknown = run(id="00000000-0000-0000-0000-000000000000")
    assert unknown["changed"] is False and unknown["images"] == []
    assert len(simulator.requests) == 2


def test_id_cannot_be_combined_with_a_filter(simulator, run):
    result = run(id="e1a07296-22a8-4f05-8bc8-e936c8e54202", type="BUILD_IN")
    assert result["failed"] and "mutually exclusive" in result["msg"] and simulator.requests == []


def test_other_errors_fail(simulator, run):
    simulator.inject_fault(path="/images/", status=400, body={"error_code": "ModelArts.6400", "error_msg": "bad"})
    result = run(id="e1a07296-22a8-4f05-8bc8-e936c8e54202")
    assert (
        result["failed"]
        and "Reading image e1a07296-22a8-4f05-8bc8-e936c8e54202 failed: HTTP 400 ModelArts.6400" in result["msg"]
    )
