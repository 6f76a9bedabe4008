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

END_STATUS = {"stop": "STOPPED", "start": "RUNNING", "create": "RUNNING", "delete": None}


def _plan(status, actions):
    end_status = status
    for action in actions:
        end_status = END_STATUS.get(action, end_status)
    return Plan(tuple(actions), end_status)


def _tag_actions(tag, untag):
    return (("tag",) if tag else ()) + (("untag",) if untag else ())


def plan(
    notebook_id,
    status,
    state,
    needs_update,
    allow_restart,
    tag=False,
    untag=False,
    lease_differs=False,
    auto_stop_on=True,
):
    """The writes to do on an existing instance, in order, from the live status, the requested state, whether an
    update is needed, tags to add or remove, and whether the auto-stop asked for differs from the live one.

    The update API works only on a STOPPED instance: a running one that needs an update is stopped, updated
    and started again only with ``allow_restart`` (or stopped for good with ``state=stopped``). Auto-stop
    belongs to a run: a start sets it, the lease call turns it on or changes it on a running instance, and
    only a start without it turns it off, so that is a restart like an update. On an instance that ends
    stopped it is left to the next start.
    """
    tags = _tag_actions(tag, untag)
    if status in TRANSITIONAL:
        # Only reachable with wait=false: acceptable only when nothing but tags has to be done.
        heading_to = {"STARTING": "running", "STOPPING": "stopped"}.get(status)
        if not needs_update and state in ("present", heading_to) and not (lease_differs and heading_to == "running"):
            return _plan(status, tags)
        return Refusal(
            "notebook instance %s is %s and needs a change; set wait=true to wait for the transition to end"
            % (notebook_id, status)
        )
    stays_running = status == "RUNNING" and state != "stopped"
    restart_for_auto_stop = stays_running and lease_differs and not auto_stop_on
    if stays_running and (needs_update or restart_for_auto_stop):
        if not allow_restart:
            if needs_update:
                return Refusal(
                    "notebook instance %s is RUNNING and the update API works only on a STOPPED instance: "
                    "set allow_restart=true to let the module stop it, update it and start it again, "
                    "or state=stopped to stop it for the update" % notebook_id
                )
            return Refusal(
                "notebook instance %s is RUNNING with auto-stop on, and only a start without auto-stop turns it off: "
                "set allow_restart=true to let the module stop it and start it again without auto-stop, "
                "or state=stopped to stop it" % notebook_id
            )
        return _plan(status, tags + (("stop", "update", "start") if needs_update else ("stop", "start")))
    actions = list(tags)
    if stays_running and lease_differs:
        actions.append("renew_lease")
    if status == "RUNNING" and state == "stopped":
        actions.append("stop")
    if needs_update:
        actions.append("update")
    if status != "RUNNING" and state == "running":
        actions.append("start")
    return _plan(status, actions)


def plan_create(name, state, wait, tag=False):
    """The writes that create an instance: the service creates and starts it; tags follow with the tags call;
    ``state=stopped`` then stops it, which needs the wait for RUNNING first."""
    if state == "stopped" and not wait:
        return Refusal(
            "no notebook instance is named %r, and one created with state=stopped must be waited for until it runs "
            "before it can be stopped: set wait=true" % name
        )
    actions = ("create",) + _tag_actions(tag, False) + (("stop",) if state == "stopped" else ())
    return _plan(None, actions)


def plan_delete(status):
    """The write that deletes an instance, running or stopped alike; none for one already DELETING (only reachable
    with wait=false), which the service refuses to delete again and which is on its way to what is asked."""
    if status == "DELETING":
        return _plan(status, ())
    return _plan(status, ("delete",))
