# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Decide, then act unless check mode: the same changed, actions and diff either way."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._decision import Decision


@pytest.mark.parametrize("check_mode", [False, True])
def test_changed_actions_and_diff_are_the_same_in_check_mode_and_in_a_run(check_mode):
    decision = Decision(check_mode=check_mode, diff=True)
    act = decision.decide(["stop", "update", "start"], {"flavor": "a"}, {"flavor": "b"})
    assert act is not check_mode
    if act:
        for action in ("stop", "update", "start"):
            decision.did(action)
    assert decision.result() == {
        "changed": True,
        "actions": ["stop", "update", "start"],
        "diff": {"before": {"flavor": "a"}, "after": {"flavor": "b"}},
    }


def test_nothing_to_do_is_not_acted_on_and_not_changed():
    decision = Decision(diff=True)
    assert decision.decide([], {}, {}) is False
    assert decision.result() == {"changed": False, "actions": [], "diff": {"before": {}, "after": {}}}


def test_a_run_reports_the_writes_done_not_those_decided():
    # A delete decided on, which someone else's delete made needless: nothing done, nothing changed.
    decision = Decision()
    assert decision.decide(["delete"]) is True
    assert decision.result() == {"changed": False, "actions": []}
    # A run that failed after its first write reports that write.
    decision = Decision()
    decision.decide(["stop", "update", "start"])
    decision.did("stop")
    assert decision.result() == {"changed": True, "actions": ["stop"]}


def test_no_diff_without_diff_mode_and_before_a_decision():
    decision = Decision(check_mode=True)
    assert decision.result() == {"changed": False, "actions": []}
    decision.decide(["attach"], {"mounts": []}, {"mounts": ["/data/a"]})
    assert decision.result() == {"changed": True, "actions": ["attach"]}
