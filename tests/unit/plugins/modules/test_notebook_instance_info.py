# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import functools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_instance_info
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

from modelarts_simulator import DEFAULT_AUTH_TOKEN  # pylint: disable=wrong-import-order


@pytest.fixture
def run(simulator):
    return functools.partial(
        run_module,
        notebook_instance_info,
        simulator,
        check=True,
        auth_token=DEFAULT_AUTH_TOKEN,
        access_key=None,
        secret_key=None,
    )


def test_empty_project_gives_an_empty_list(simulator, run):
    assert run()["notebooks"] == []
    assert len(simulator.requests) == 1


def test_every_notebook_in_pages_of_fifty(simulator, run):
    simulator.bulk_add(101)
    result = run()
    assert len(result["notebooks"]) == 101 and result["changed"] is False
    assert [(r.query["limit"], r.query["offset"]) for r in simulator.requests] == [
        ("50", "0"),
        ("50", "50"),
        ("50", "100"),
    ]
    assert not any("token" in nb for nb in result["notebooks"])


def test_exact_name_among_fuzzy_matches(simulator, run):
    for name in ("nb-1", "nb-10", "a-nb-1", "nb-1"):
        simulator.add_notebook(name=name)
    assert [nb["name"] for nb in run(name="nb-1")["notebooks"]] == ["nb-1", "nb-1"]


def test_status_is_filtered_by_the_service(simulator, run):
    simulator.add_notebook(name="a", status="RUNNING")
    simulator.add_notebook(name="b", status="STOPPED")
    assert [nb["name"] for nb in run(status="RUNNING")["notebooks"]] == ["a"]
    assert simulator.requests[-1].query["status"] == "RUNNING"


def test_one_by_id_and_unknown_id(simulator, run):
    nb = simulator.add_notebook(name="a")
    assert [n["id"] for n in run(id=nb["id"])["notebooks"]] == [nb["id"]]
    assert run(id="no-such-id")["notebooks"] == []


def test_other_errors_fail(simulator, run):
    simulator.inject_fault(
        method="GET", count=1, status=403, body={"error_code": "ModelArts.0203", "error_msg": "forbidden"}
    )
    result = run()
    assert result["failed"] and "HTTP 403 ModelArts.0203" in result["msg"]


def test_id_cannot_be_combined_with_filters(simulator, run):
    result = run(id="x", status="RUNNING")
    assert result["failed"] and "mutually exclusive" in result["msg"] and simulator.requests == []


def test_workspace_is_filtered_by_the_service(simulator, run):
    simulator.add_notebook(name="a")
    other = simulator.add_notebook(name="b")
    simulator.modify(other["id"], workspace_id="c0ffee00000000000000000000000001")
    assert [nb["name"] for nb in run(workspace_id="c0ffee00000000000000000000000001")["notebooks"]] == ["b"]
    assert simulator.requests[-1].query["workspace_id"] == "c0ffee00000000000000000000000001"
    assert sorted(nb["name"] for nb in run()["notebooks"]) == ["a", "b"]


OTHER_USER = {"id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "name": "bob"}


def test_the_callers_own_notebooks_unless_all_users(simulator, run):
    simulator.add_notebook(name="mine")
    theirs = simulator.add_notebook(name="theirs", user=OTHER_USER)
    assert [nb["name"] for nb in run()["notebooks"]] == ["mine"]
    assert simulator.requests[-1].path == "/v1/%s/notebooks" % simulator.project_id
    every = run(all_users=True)["notebooks"]
    assert sorted(nb["name"] for nb in every) == ["mine", "theirs"]
    assert simulator.requests[-1].path == "/v1/%s/notebooks/all" % simulator.project_id
    assert [nb["user"] for nb in every if nb["id"] == theirs["id"]] == [OTHER_USER]
    assert not any("token" in nb for nb in every)


def test_all_users_has_the_same_filters_and_paging(simulator, run):
    simulator.bulk_add(60, user=OTHER_USER)
    simulator.bulk_add(41)
    for name in ("nb-1", "nb-10"):
        simulator.add_notebook(name=name, status="RUNNING", user=OTHER_USER)
    result = run(all_users=True)
    assert len(result["notebooks"]) == 103
    assert [(r.query["limit"], r.query["offset"]) for r in simulator.requests] == [
        ("50", "0"),
        ("50", "50"),
        ("50", "100"),
    ]
    simulator.clear_requests()
    assert [nb["name"] for nb in run(all_users=True, name="nb-1", status="RUNNING")["notebooks"]] == ["nb-1"]
    assert simulator.requests[-1].query == {"limit": "50", "offset": "0", "name": "nb-1", "status": "RUNNING"}


def test_all_users_refused_to_a_non_administrator_fails_cleanly(simulator, run):
    simulator.resources["all_notebooks"].forbidden = True
    result = run(all_users=True)
    assert result["failed"] and result["msg"].startswith(
        "Listing every user's notebook instances (offset 0) failed: HTTP 403 ModelArts.0203"
    )


def test_all_users_cannot_be_combined_with_id(simulator, run):
    result = run(id="x", all_users=True)
    assert result["failed"] and "mutually exclusive" in result["msg"] and simulator.requests == []
