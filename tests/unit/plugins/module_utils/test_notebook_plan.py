# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plan(): which writes bring an instance to the requested state, or why it cannot be done."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_plan import (
    Plan,
    Refusal,
    plan,
    plan_create,
    plan_delete,
)


@pytest.mark.parametrize(
    "status, state, needs_update, expected",
    [
        ("STOPPED", "present", False, Plan((), "STOPPED")),
        ("STOPPED", "present", True, Plan(("update",), "STOPPED")),
        ("STOPPED", "stopped", True, Plan(("update",), "STOPPED")),
        ("STOPPED", "running", False, Plan(("start",), "RUNNING")),
        ("STOPPED", "running", True, Plan(("update", "start"), "RUNNING")),
        ("RUNNING", "present", False, Plan((), "RUNNING")),
        ("RUNNING", "running", False, Plan((), "RUNNING")),
        ("RUNNING", "stopped", False, Plan(("stop",), "STOPPED")),
        ("RUNNING", "stopped", True, Plan(("stop", "update"), "STOPPED")),
    ],
)
def test_plan_from_status_state_and_update(status, state, needs_update, expected):
    assert plan("nb", status, state, needs_update, allow_restart=False) == expected


@pytest.mark.parametrize("state", ["present", "running"])
def test_a_running_instance_that_needs_an_update_is_restarted_only_when_allowed(state):
    assert plan("nb", "RUNNING", state, True, allow_restart=True) == Plan(("stop", "update", "start"), "RUNNING")
    refusal = plan("nb", "RUNNING", state, True, allow_restart=False)
    assert isinstance(refusal, Refusal)
    assert (
        "nb is RUNNING" in refusal.message
        and "allow_restart=true" in refusal.message
        and "state=stopped" in refusal.message
    )


@pytest.mark.parametrize(
    "status, state, needs_update, acceptable",
    [
        ("STARTING", "present", False, True),
        ("STARTING", "running", False, True),
        ("STARTING", "stopped", False, False),
        ("STOPPING", "stopped", False, True),
        ("STOPPING", "running", False, False),
        ("STOPPING", "present", True, False),
        ("CREATING", "present", False, True),
        ("CREATING", "running", False, False),
    ],
)
def test_a_transition_in_progress_is_acceptable_only_when_nothing_is_to_be_done(
    status, state, needs_update, acceptable
):
    decision = plan("nb", status, state, needs_update, allow_restart=True)
    if acceptable:
        assert decision == Plan((), status)
    else:
        assert isinstance(decision, Refusal) and "is %s and needs a change; set wait=true" % status in decision.message


def test_tags_come_first_and_need_no_restart():
    assert plan("nb", "RUNNING", "present", False, False, tag=True, untag=True) == Plan(("tag", "untag"), "RUNNING")
    assert plan("nb", "RUNNING", "present", True, True, tag=True) == Plan(("tag", "stop", "update", "start"), "RUNNING")
    assert plan("nb", "STARTING", "present", False, False, untag=True) == Plan(("untag",), "STARTING")


@pytest.mark.parametrize(
    "status, state, auto_stop_on, allow_restart, expected",
    [
        # Turning it on or changing it on an instance that keeps running: the lease call, no restart.
        ("RUNNING", "present", True, False, Plan(("renew_lease",), "RUNNING")),
        ("RUNNING", "running", True, False, Plan(("renew_lease",), "RUNNING")),
        # Turning it off needs a start without auto-stop: a restart, like an update.
        ("RUNNING", "present", False, True, Plan(("stop", "start"), "RUNNING")),
        # An instance that ends stopped: left to the next start.
        ("RUNNING", "stopped", False, False, Plan(("stop",), "STOPPED")),
        ("STOPPED", "present", True, False, Plan((), "STOPPED")),
        ("STOPPED", "present", False, False, Plan((), "STOPPED")),
        # A start the plan makes anyway carries it.
        ("STOPPED", "running", True, False, Plan(("start",), "RUNNING")),
        ("STOPPED", "running", False, False, Plan(("start",), "RUNNING")),
    ],
)
def test_auto_stop_that_differs(status, state, auto_stop_on, allow_restart, expected):
    assert plan("nb", status, state, False, allow_restart, lease_differs=True, auto_stop_on=auto_stop_on) == expected


def test_turning_auto_stop_off_on_a_running_instance_needs_allow_restart():
    refusal = plan("nb", "RUNNING", "present", False, False, lease_differs=True, auto_stop_on=False)
    assert isinstance(refusal, Refusal) and "auto-stop" in refusal.message and "allow_restart=true" in refusal.message
    assert plan("nb", "RUNNING", "present", True, True, lease_differs=True, auto_stop_on=False) == Plan(
        ("stop", "update", "start"), "RUNNING"
    )


def test_a_start_in_progress_with_auto_stop_to_change_needs_wait():
    assert isinstance(plan("nb", "STARTING", "present", False, False, lease_differs=True), Refusal)
    assert plan("nb", "STOPPING", "present", False, False, lease_differs=True) == Plan((), "STOPPING")


@pytest.mark.parametrize(
    "state, tag, expected",
    [
        ("present", False, Plan(("create",), "RUNNING")),
        ("running", True, Plan(("create", "tag"), "RUNNING")),
        ("stopped", True, Plan(("create", "tag", "stop"), "STOPPED")),
    ],
)
def test_create(state, tag, expected):
    assert plan_create("nb-1", state, True, tag) == expected


def test_a_create_with_state_stopped_needs_wait():
    refusal = plan_create("nb-1", "stopped", False)
    assert (
        isinstance(refusal, Refusal)
        and "no notebook instance is named 'nb-1'" in refusal.message
        and "wait=true" in refusal.message
    )
    assert plan_create("nb-1", "present", False) == Plan(("create",), "RUNNING")


@pytest.mark.parametrize("status", ["RUNNING", "STOPPED", "ERROR"])
def test_delete(status):
    assert plan_delete(status) == Plan(("delete",), None)


def test_an_instance_already_deleting_needs_no_delete():
    assert plan_delete("DELETING") == Plan((), "DELETING")
