# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Auto-stop (the instance's ``lease``): the ``auto_stop`` option's rules, its comparison, and what a start,
a create or a renewal sends. Pure functions, so every rule is tested directly.

Every start sets the lease anew from its query, and a start that sends no ``duration`` turns auto-stop on
for one hour (the service's default): every start the module makes therefore says what it wants.
"""

from __future__ import annotations

HOUR_MS = 3600000
HOURS_MIN, HOURS_MAX = 1, 72
LEASE_TYPES = ("TIMING", "IDLE")
# A start's or a create's ``duration`` that turns auto-stop off.
NO_AUTO_STOP = -1


def check(auto_stop):
    """The problems of an ``auto_stop`` option (empty: none)."""
    if auto_stop is None:
        return []
    problems = []
    hours = auto_stop.get("hours")
    if hours is not None and not HOURS_MIN <= hours <= HOURS_MAX:
        problems.append("auto_stop.hours must be between %d and %d (got %d)" % (HOURS_MIN, HOURS_MAX, hours))
    if auto_stop.get("type") is not None and auto_stop["type"] not in LEASE_TYPES:
        problems.append("auto_stop.type must be TIMING or IDLE (got %r)" % auto_stop["type"])
    return problems


def _as_int(value):
    """An int from an answer that may give it as a number or a string of digits; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def live(instance):
    """The instance's auto-stop as the option spells it: ``{enabled}``, and when on ``hours`` and ``type``.

    ``hours`` is None when the duration is not a whole number of hours (or unreadable), so it never
    equals a requested number of hours.
    """
    lease = instance.get("lease") or {}
    if lease.get("enable") is not True:
        return {"enabled": False}
    duration = _as_int(lease.get("duration"))
    hours = duration // HOUR_MS if duration is not None and duration > 0 and duration % HOUR_MS == 0 else None
    return {"enabled": True, "hours": hours, "type": lease.get("type") or "TIMING"}


def wanted(auto_stop):
    """The ``auto_stop`` option with its defaults, as compared with live()."""
    if not auto_stop["enabled"]:
        return {"enabled": False}
    return {"enabled": True, "hours": auto_stop.get("hours") or HOURS_MIN, "type": auto_stop.get("type") or "TIMING"}


def differs(instance, auto_stop):
    return auto_stop is not None and live(instance) != wanted(auto_stop)


def start_query(instance, auto_stop=None):
    """The query of a start: the requested ``auto_stop``, or else the instance's own lease as read before.

    Without a usable lease (auto-stop off, or unknown), ``duration=-1``: a start never turns auto-stop on
    unless asked to.
    """
    if auto_stop is not None:
        want = wanted(auto_stop)
        if not want["enabled"]:
            return [("duration", NO_AUTO_STOP)]
        return [("duration", want["hours"] * HOUR_MS), ("type", want["type"])]
    lease = instance.get("lease") or {}
    duration = _as_int(lease.get("duration"))
    if lease.get("enable") is True and duration is not None and duration > 0:
        return [("duration", duration), ("type", lease.get("type") or "TIMING")]
    return [("duration", NO_AUTO_STOP)]


def create_lease(auto_stop):
    """The create body's auto-stop: ``{"lease": {duration, type}}``, or ``{"duration": -1}`` (no auto-stop, also
    without ``auto_stop``, as Huawei's Terraform provider does)."""
    if auto_stop is None or not auto_stop["enabled"]:
        return {"duration": NO_AUTO_STOP}
    want = wanted(auto_stop)
    return {"lease": {"duration": want["hours"] * HOUR_MS, "type": want["type"]}}


def renewal(auto_stop):
    """The body of the lease call that turns auto-stop on (or changes it) on a running instance."""
    want = wanted(auto_stop)
    return {"duration": want["hours"] * HOUR_MS, "type": want["type"]}
