# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Auto-stop rules: the option's checks, its comparison with the live lease, and what starts, creates and renewals send."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._auto_stop import (
    check,
    create_lease,
    differs,
    live,
    renewal,
    start_query,
    wanted,
)

OFF = {"enable": False, "duration": 3600000, "type": "TIMING"}
IDLE_2H = {"enable": True, "duration": 7200000, "type": "IDLE"}


@pytest.mark.parametrize(
    "lease, query",
    [
        ({"enable": False, "duration": 3600000, "type": "TIMING"}, [("duration", -1)]),
        ({"enable": True, "duration": 7200000, "type": "IDLE"}, [("duration", 7200000), ("type", "IDLE")]),
        ({"enable": True, "duration": 86400000, "type": "TIMING"}, [("duration", 86400000), ("type", "TIMING")]),
        # Read liberally: a duration as a string, a missing type (the service's default is TIMING).
        ({"enable": True, "duration": "7200000"}, [("duration", 7200000), ("type", "TIMING")]),
        # Unknown or unusable: never turn auto-stop on.
        (None, [("duration", -1)]),
        ({}, [("duration", -1)]),
        ({"enable": True}, [("duration", -1)]),
        ({"enable": True, "duration": "soon"}, [("duration", -1)]),
    ],
)
def test_without_auto_stop_a_start_carries_the_instance_own_lease(lease, query):
    assert start_query({"id": "nb", "lease": lease}) == query


@pytest.mark.parametrize(
    "auto_stop, query",
    [
        ({"enabled": False, "hours": 1, "type": "TIMING"}, [("duration", -1)]),
        ({"enabled": True, "hours": 8, "type": "IDLE"}, [("duration", 28800000), ("type", "IDLE")]),
        ({"enabled": True, "hours": None, "type": None}, [("duration", 3600000), ("type", "TIMING")]),
    ],
)
def test_with_auto_stop_a_start_carries_what_is_asked(auto_stop, query):
    assert start_query({"lease": IDLE_2H}, auto_stop) == query


@pytest.mark.parametrize(
    "auto_stop, problem",
    [
        ({"enabled": True, "hours": 0}, "auto_stop.hours must be between 1 and 72 (got 0)"),
        ({"enabled": True, "hours": 73}, "auto_stop.hours must be between 1 and 72 (got 73)"),
        ({"enabled": True, "type": "SOMETIMES"}, "auto_stop.type must be TIMING or IDLE"),
    ],
)
def test_bad_auto_stop_is_named(auto_stop, problem):
    assert any(problem in found for found in check(auto_stop))


def test_good_auto_stop_and_none_have_no_problem():
    assert (
        check(None) == []
        and check({"enabled": True, "hours": 72, "type": "IDLE"}) == []
        and check({"enabled": False}) == []
    )


@pytest.mark.parametrize(
    "lease, auto_stop, expected",
    [
        (OFF, {"enabled": False, "hours": 5, "type": "IDLE"}, False),  # off is off, whatever hours and type say
        (OFF, {"enabled": True, "hours": 1, "type": "TIMING"}, True),
        (IDLE_2H, {"enabled": True, "hours": 2, "type": "IDLE"}, False),
        (IDLE_2H, {"enabled": True, "hours": 2, "type": "TIMING"}, True),
        (IDLE_2H, {"enabled": True, "hours": 3, "type": "IDLE"}, True),
        (IDLE_2H, {"enabled": False, "hours": 1, "type": "TIMING"}, True),
        (
            {"enable": True, "duration": 5400000, "type": "TIMING"},
            {"enabled": True, "hours": 1, "type": "TIMING"},
            True,
        ),
        (None, {"enabled": False, "hours": 1, "type": "TIMING"}, False),
    ],
)
def test_auto_stop_is_compared_with_the_live_lease(lease, auto_stop, expected):
    assert differs({"lease": lease}, auto_stop) is expected


def test_without_auto_stop_nothing_differs():
    assert differs({"lease": IDLE_2H}, None) is False


def test_live_and_wanted_in_the_option_spelling():
    assert live({"lease": IDLE_2H}) == {"enabled": True, "hours": 2, "type": "IDLE"}
    assert live({"lease": OFF}) == {"enabled": False}
    assert wanted({"enabled": True, "hours": None, "type": None}) == {"enabled": True, "hours": 1, "type": "TIMING"}


def test_create_and_renewal_bodies():
    assert create_lease(None) == {"duration": -1}
    assert create_lease({"enabled": False, "hours": 4, "type": "IDLE"}) == {"duration": -1}
    assert create_lease({"enabled": True, "hours": 4, "type": "IDLE"}) == {
        "lease": {"duration": 14400000, "type": "IDLE"}
    }
    assert renewal({"enabled": True, "hours": 72, "type": "TIMING"}) == {"duration": 259200000, "type": "TIMING"}
