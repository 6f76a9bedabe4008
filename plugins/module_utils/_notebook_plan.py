# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which writes bring an instance to the requested state: a pure function of the facts, so every rule is tested directly."""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import TRANSITIONAL

# ``actions``: the writes in order (stop, update, start); ``end_status``: the status after them.
Plan = namedtuple("Plan", "actions end_status")
# The request cannot be carried out as asked; ``message`` says why and which option changes that.
Refusal = namedtuple("Refusal", "message")

END_STATUS = {"stop": "STOPPED", "start": "RUNNING"}


def _plan(status, actions):
    end_status = status
    for action in actions:
        end_status = END_STATUS.get(action, end_status)
    return Plan(tuple(actions), end_status)


def plan(notebook_id, status, state, needs_update, allow_restart):
    """The writes to do, in order, from the live status, the requested state and whether an update is needed.

    The update API works only on a STOPPED instance: a running one that needs an update is stopped, updated
    and started again only with ``allow_restart`` (or stopped for good with ``state=stopped``).
    """
    if status in TRANSITIONAL:
        # Only reachable with wait=false: acceptable only when nothing has to be done.
        heading_to = {"STARTING": "running", "STOPPING": "stopped"}.get(status)
        if not needs_update and state in ("present", heading_to):
            return _plan(status, ())
        return Refusal("notebook instance %s is %s and needs a change; set wait=true to wait for the transition to end"
                       % (notebook_id, status))
    running = status == "RUNNING"
    if needs_update and running and state != "stopped":
        if not allow_restart:
            return Refusal("notebook instance %s is RUNNING and the update API works only on a STOPPED instance: "
                           "set allow_restart=true to let the module stop it, update it and start it again, "
                           "or state=stopped to stop it for the update" % notebook_id)
        return _plan(status, ("stop", "update", "start"))
    actions = []
    if running and state == "stopped":
        actions.append("stop")
    if needs_update:
        actions.append("update")
    if not running and state == "running":
        actions.append("start")
    return _plan(status, actions)
