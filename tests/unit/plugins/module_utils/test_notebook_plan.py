# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plan(): which writes bring an instance to the requested state, or why it cannot be done."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_plan import Plan, Refusal, plan


@pytest.mark.parametrize("status, state, needs_update, expected", [
    ("STOPPED", "present", False, Plan((), "STOPPED")),
    ("STOPPED", "present", True, Plan(("update",), "STOPPED")),
    ("STOPPED", "stopped", True, Plan(("update",), "STOPPED")),
    ("STOPPED", "running", False, Plan(("start",), "RUNNING")),
    ("STOPPED", "running", True, Plan(("update", "start"), "RUNNING")),
    ("RUNNING", "present", False, Plan((), "RUNNING")),
    ("RUNNING", "running", False, Plan((), "RUNNING")),
    ("RUNNING", "stopped", False, Plan(("stop",), "STOPPED")),
    ("RUNNING", "stopped", True, Plan(("stop", "update"), "STOPPED")),
])
def test_plan_from_status_state_and_update(status, state, needs_update, expected):
    assert plan("nb", status, state, needs_update, allow_restart=False) == expected


@pytest.mark.parametrize("state", ["present", "running"])
def test_a_running_instance_that_needs_an_update_is_restarted_only_when_allowed(state):
    assert plan("nb", "RUNNING", state, True, allow_restart=True) == Plan(("stop", "update", "start"), "RUNNING")
    refusal = plan("nb", "RUNNING", state, True, allow_restart=False)
    assert isinstance(refusal, Refusal)
    assert "nb is RUNNING" in refusal.message and "allow_restart=true" in refusal.message and "state=stopped" in refusal.message


@pytest.mark.parametrize("status, state, needs_update, acceptable", [
    ("STARTING", "present", False, True),
    ("STARTING", "running", False, True),
    ("STARTING", "stopped", False, False),
    ("STOPPING", "stopped", False, True),
    ("STOPPING", "running", False, False),
    ("STOPPING", "present", True, False),
    ("CREATING", "present", False, True),
    ("CREATING", "running", False, False),
])
def test_a_transition_in_progress_is_acceptable_only_when_nothing_is_to_be_done(status, state, needs_update, acceptable):
    decision = plan("nb", status, state, needs_update, allow_restart=True)
    if acceptable:
        assert decision == Plan((), status)
    else:
        assert isinstance(decision, Refusal) and "is %s and needs a change; set wait=true" % status in decision.message
