# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module's decisions, run in-process against the simulator: what it sends, in which order, and what it reports."""

from __future__ import annotations

import functools
import json

import pytest

from ansible_collections.hwcloud.modelarts.plugins.modules import notebook_instance
from ansible_collections.hwcloud.modelarts.tests.unit.utils.module_runner import run_module

from modelarts_simulator import DEFAULT_SECRET_KEY  # pylint: disable=wrong-import-order

FLAVOR_2U, FLAVOR_8U = "modelarts.vm.cpu.2u", "modelarts.vm.cpu.8u"


@pytest.fixture
def run(simulator):
    return functools.partial(run_module, notebook_instance, simulator, wait_timeout=10)


def methods(sim):
    return [
        r.method + ("/" + r.path.rsplit("/", 1)[-1] if r.path.endswith(("/start", "/stop")) else "")
        for r in sim.requests
    ]


def test_matching_instance_costs_one_get_and_is_unchanged(simulator, run):
    nb = simulator.add_notebook(name="nb-1", flavor=FLAVOR_2U, capacity=5, description="d")
    result = run(id=nb["id"], name="nb-1", flavor=FLAVOR_2U, storage_size=5, description="d")
    assert result["changed"] is False and result["actions"] == []
    assert methods(simulator) == ["GET"]


def test_stopped_instance_is_updated_with_one_get_and_one_put_of_changed_fields_only(simulator, run):
    nb = simulator.add_notebook(name="nb-1", flavor=FLAVOR_2U, capacity=5)
    result = run(id=nb["id"], name="nb-1", flavor=FLAVOR_8U, storage_size=20)
    assert result["changed"] is True and result["actions"] == ["update"]
    assert methods(simulator) == ["GET", "PUT"]
    assert simulator.requests[1].body == {"flavor": FLAVOR_8U, "storage_new_size": 20}
    assert result["notebook"]["flavor"] == FLAVOR_8U and "token" not in result["notebook"]


def test_check_mode_decides_the_same_and_writes_nothing(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    result = run(check=True, diff=True, id=nb["id"], description="new", allow_restart=True)
    assert result["changed"] is True and result["actions"] == ["stop", "update", "start"]
    assert result["diff"] == {"before": {"description": ""}, "after": {"description": "new"}}
    assert methods(simulator) == ["GET"]


def test_running_instance_needs_allow_restart(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    result = run(id=nb["id"], description="new")
    assert result["failed"] is True and "allow_restart" in result["msg"] and "STOPPED" in result["msg"]
    assert methods(simulator) == ["GET"]


def test_allow_restart_stops_updates_and_starts(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    result = run(id=nb["id"], description="new", allow_restart=True)
    assert result["actions"] == ["stop", "update", "start"]
    assert [m for m in methods(simulator) if m != "GET"] == ["POST/stop", "PUT", "POST/start"]
    assert simulator.notebook(nb["id"])["status"] == "RUNNING" and result["notebook"]["status"] == "RUNNING"


def test_failed_update_after_stop_starts_the_instance_again(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    simulator.inject_fault(
        method="PUT", count=1, status=400, body={"error_code": "ModelArts.6792", "error_msg": "cannot switch"}
    )
    result = run(id=nb["id"], flavor=FLAVOR_8U, allow_restart=True)
    assert result["failed"] is True
    assert "ModelArts.6792" in result["msg"] and "started again" in result["msg"]
    assert result["error"]["error_code"] == "ModelArts.6792"
    assert result["actions"] == ["stop", "start"]
    assert simulator.notebook(nb["id"])["status"] == "RUNNING"


@pytest.mark.parametrize(
    "status, state, expected, end",
    [
        ("RUNNING", "stopped", ["stop"], "STOPPED"),
        ("STOPPED", "stopped", [], "STOPPED"),
        ("STOPPED", "running", ["start"], "RUNNING"),
        ("RUNNING", "running", [], "RUNNING"),
        ("STOPPED", "present", [], "STOPPED"),
        ("RUNNING", "present", [], "RUNNING"),
    ],
)
def test_state_without_field_changes(simulator, run, status, state, expected, end):
    nb = simulator.add_notebook(name="nb-1", status=status)
    result = run(id=nb["id"], state=state)
    assert result["actions"] == expected and result["changed"] is bool(expected)
    assert simulator.notebook(nb["id"])["status"] == end


def test_state_stopped_with_a_change_stops_then_updates(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    result = run(id=nb["id"], state="stopped", description="x", diff=True)
    assert result["actions"] == ["stop", "update"]
    assert result["diff"]["before"]["status"] == "RUNNING" and result["diff"]["after"]["status"] == "STOPPED"
    assert simulator.notebook(nb["id"])["status"] == "STOPPED"


def test_state_running_with_a_change_updates_then_starts(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="STOPPED")
    assert run(id=nb["id"], state="running", description="x")["actions"] == ["update", "start"]


def test_lookup_by_exact_name_among_fuzzy_matches(simulator, run):
    for name in ("nb-1", "nb-10", "old-nb-1"):
        simulator.add_notebook(name=name)
    result = run(name="nb-1", description="x")
    assert result["notebook"]["name"] == "nb-1" and result["changed"] is True
    assert simulator.requests[0].query.get("name") == "nb-1"


def test_lookup_by_name_pages_through_the_list(simulator, run):
    simulator.bulk_add(120, prefix="nb-1-")
    simulator.add_notebook(name="nb-1")
    result = run(name="nb-1")
    assert result["changed"] is False
    assert [r.query.get("offset") for r in simulator.requests] == ["0", "50", "100"]


def test_lookup_by_name_none_or_several_fails_naming_what_was_found(simulator, run):
    simulator.add_notebook(name="nb-10")
    result = run(name="nb-1")
    assert result["failed"] and "no notebook instance is named 'nb-1'" in result["msg"] and "nb-10" in result["msg"]
    first, second = simulator.add_notebook(name="twin"), simulator.add_notebook(name="twin")
    result = run(name="twin")
    assert result["failed"] and "2 notebook instances are named 'twin'" in result["msg"]
    assert first["id"] in result["msg"] and second["id"] in result["msg"]


def test_unknown_id_fails_with_the_service_error(simulator, run):
    result = run(id="no-such-id", description="x")
    assert result["failed"] and result["error"]["error_code"] == "ModelArts.6309"
    assert result["error"]["request_id"] in result["msg"] and "HTTP 400" in result["msg"]


def test_hooks_are_sent_only_with_another_change_unless_forced(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    hooks = {"container_hooks": {"post_start": {"script": "/home/ma-user/start.sh"}}}
    result = run(id=nb["id"], hooks=hooks)
    assert result["changed"] is False and "hooks were not sent" in json.dumps(result.get("warnings"))
    assert methods(simulator) == ["GET"]
    result = run(id=nb["id"], hooks=hooks, description="x")
    assert simulator.requests[-1].body["hooks"] == {
        "container_hooks": {"post_start": {"script": "/home/ma-user/start.sh", "type": "SCRIPT"}}
    }
    simulator.clear_requests()
    result = run(id=nb["id"], hooks=hooks, force_update_hooks=True)
    assert result["changed"] is True and methods(simulator) == ["GET", "PUT"]
    assert simulator.requests[-1].body == {
        "hooks": {"container_hooks": {"post_start": {"script": "/home/ma-user/start.sh", "type": "SCRIPT"}}}
    }


def test_transient_put_that_was_applied_is_not_sent_again(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="PUT", count=1, status=503, apply=True)
    result = run(id=nb["id"], description="x")
    assert result["changed"] is True and result["actions"] == ["update"]
    assert methods(simulator) == ["GET", "PUT", "GET"]


def test_transient_put_that_was_not_applied_is_sent_again(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    simulator.inject_fault(method="PUT", count=1, status=503)
    result = run(id=nb["id"], description="x")
    assert result["changed"] is True
    assert methods(simulator) == ["GET", "PUT", "GET", "PUT"]
    assert simulator.notebook(nb["id"])["description"] == "x"


def test_stop_refused_as_already_stopping_is_done(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING")
    simulator.inject_fault(
        method="POST",
        path="/stop$",
        count=1,
        status=400,
        apply=True,
        body={"error_code": "ModelArts.6357", "error_msg": "another operation is running"},
    )
    result = run(id=nb["id"], state="stopped")
    assert result["changed"] is True and result["actions"] == ["stop"]
    assert [m for m in methods(simulator) if m != "GET"] == ["POST/stop"]


def test_failed_status_fails_with_its_reason(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="ERROR", fail_reason="disk lost")
    result = run(id=nb["id"], description="x")
    assert result["failed"] and "ERROR" in result["msg"] and "disk lost" in result["msg"]


def test_wait_timeout_names_the_last_status(simulator, run):
    nb = simulator.add_notebook(name="nb-1", status="RUNNING", transition_seconds=30)
    result = run(id=nb["id"], state="stopped", wait_timeout=1)
    assert result["failed"] and "timed out after 1 seconds" in result["msg"] and "STOPPING" in result["msg"]


def test_smaller_disk_fails_before_any_write(simulator, run):
    nb = simulator.add_notebook(name="nb-1", capacity=50)
    result = run(id=nb["id"], storage_size=20)
    assert result["failed"] and "cannot shrink" in result["msg"]
    assert methods(simulator) == ["GET"]


@pytest.mark.parametrize(
    "args, message",
    [
        ({"name": "bad name"}, "name must be 1 to 128 characters"),
        ({"description": "a<b"}, "description must not contain"),
        ({"storage_size": 5000}, "storage_size must be between 1 and 4096"),
        (
            {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["x"]}]},
            "allowed_access_ips must hold IP addresses",
        ),
        ({"endpoints": [{"dev_service": "FTP"}]}, "dev_service"),
        ({"hooks": {"container_hooks": {"pre_start": {"script": "x", "type": "COMMAND"}}}}, "base64"),
        ({"force_update_hooks": True}, "force_update_hooks needs hooks"),
        ({"wait_timeout": -1}, "wait_timeout must be 0 or more"),
        ({"secret_key": None}, "secret_key (or HW_SECRET_KEY) is missing"),
        ({"auth_token": "x"}, "choose one way to authenticate"),
    ],
)
def test_bad_input_fails_before_any_request(simulator, run, args, message):
    result = run(id="any", **args)
    assert result["failed"] and message in result["msg"]
    assert simulator.requests == []


def test_secrets_and_notebook_token_never_in_the_result(simulator, run):
    nb = simulator.add_notebook(name="nb-1")
    token = simulator.notebook(nb["id"])["token"]
    result = run(id=nb["id"], description="x")
    assert token not in json.dumps(result) and DEFAULT_SECRET_KEY not in json.dumps(result)


def test_a_rule_broken_after_the_stop_still_starts_the_instance_again(simulator, run):
    # The PUT fails for a passing reason while someone else grows the disk past the requested size: re-reading
    # shows a change the service cannot make, and the instance this task stopped must still run again.
    nb = simulator.add_notebook(name="nb-1", status="RUNNING", capacity=5)
    simulator.inject_fault(method="PUT", count=1, status=503, modify={"capacity": 100})
    result = run(id=nb["id"], storage_size=50, allow_restart=True)
    assert result["failed"] and "cannot shrink" in result["msg"] and "started again" in result["msg"]
    assert result["actions"] == ["stop", "start"]
    assert simulator.notebook(nb["id"])["status"] == "RUNNING"


@pytest.mark.parametrize("spelling", ["seed", "sdk", "both"])
def test_endpoints_answered_in_any_spelling_are_compared_and_written_as_the_seed_documents(simulator, run, spelling):
    simulator.endpoint_spelling = spelling
    ssh = {"dev_service": "SSH", "allowed_access_ips": ["203.0.113.10"], "ssh_keys": ["k1"]}
    nb = simulator.add_notebook(name="nb-1", endpoints=[ssh])
    assert run(id=nb["id"], endpoints=[ssh])["changed"] is False
    assert methods(simulator) == ["GET"]
    result = run(id=nb["id"], endpoints=[{"dev_service": "SSH", "ssh_keys": ["k2"]}])
    assert result["changed"] is True and result["actions"] == ["update"]
    assert simulator.requests[-1].body == {
        "endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["203.0.113.10"], "ssh_keys": ["k2"]}]
    }


@pytest.mark.parametrize(
    "lease, query",
    [
        ({"enable": False}, {"duration": "-1"}),
        ({"enable": True, "duration": 7200000, "type": "IDLE"}, {"duration": "7200000", "type": "IDLE"}),
        ({"enable": True, "duration": 86400000, "type": "TIMING"}, {"duration": "86400000", "type": "TIMING"}),
    ],
)
def test_every_start_keeps_the_instance_auto_stop(simulator, run, lease, query):
    running = simulator.add_notebook(name="nb-1", status="RUNNING", lease=lease)
    stopped = simulator.add_notebook(name="nb-2", status="STOPPED", lease=lease)
    assert run(id=running["id"], description="new", allow_restart=True)["actions"] == ["stop", "update", "start"]
    assert run(id=stopped["id"], state="running")["actions"] == ["start"]
    starts = [r for r in simulator.requests if r.path.endswith("/start")]
    assert [r.query for r in starts] == [query, query]
    for nb in (running, stopped):
        live = simulator.notebook(nb["id"])["lease"]
        assert live["enable"] == lease["enable"] and (
            not lease["enable"] or (live["duration"], live["type"]) == (lease["duration"], lease["type"])
        )
