# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The writes on one notebook instance (stop, update, start), carried out in the order a plan gives.

Each write goes through the write protocol (read back instead of resending blindly); waits follow
``wait``; an instance this module stopped is started again whatever fails after the stop.
"""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import fail_reason, failure_with
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import (
    FAILED,
    STABLE,
    TRANSITIONAL,
    compare,
    start_query,
    update_body,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._write_protocol import write_with_read_back

# Answers to a start or stop that may mean "already done": the instance is read to be sure.
START_CONFLICTS = frozenset(("ModelArts.6305", "ModelArts.6306", "ModelArts.6357"))
STOP_CONFLICTS = frozenset(("ModelArts.6307", "ModelArts.6308", "ModelArts.6357"))


def _message(error):
    return getattr(error, "message", None) or str(error)


class NotebookActions:
    """Carries out writes on one instance and remembers what it did.

    ``done`` lists the writes done, in order; ``instance`` is the instance as last seen.
    """

    def __init__(self, api, wait, wait_timeout):
        self.api = api
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.done = []
        self.instance = None

    def wait_for(self, instance, targets, purpose):
        targets = {targets} if isinstance(targets, str) else targets
        return self.api.wait(instance, targets, self.wait_timeout, "Waiting for notebook instance %s %s" % (instance["id"], purpose))

    def wait_until_stable(self, instance):
        """The instance once a transition in progress has ended (with ``wait``); a failed status is a failure."""
        self.instance = instance
        status = instance.get("status")
        if status in FAILED:
            raise failure_with("notebook instance %s is %s%s: it cannot be changed until that is resolved"
                               % (instance.get("id"), status, fail_reason(instance)), instance)
        if status in TRANSITIONAL and self.wait:
            self.instance = self.wait_for(instance, STABLE, "to end %s" % status)
        return self.instance

    def apply(self, instance, actions, params, changed_fields, send_hooks):
        """Carry out ``actions`` (from the plan) in order; return the instance after them.

        Every start carries the auto-stop lease ``instance`` has now, before any of the actions.
        """
        stopped_by_us = False
        self.instance = instance
        lease_query = start_query(instance)
        try:
            for action in actions:
                if action == "stop":
                    instance = self.stop(instance)
                    stopped_by_us = "start" in actions
                    if self.wait or "update" in actions:
                        instance = self.wait_for(instance, "STOPPED", "to stop")
                elif action == "update":
                    instance = self.update(instance, params, changed_fields, send_hooks)
                else:
                    instance = self.start(instance, lease_query)
                    stopped_by_us = False
                    if self.wait:
                        instance = self.wait_for(instance, "RUNNING", "to start")
                self.instance = instance
        except Exception as error:  # pylint: disable=broad-exception-caught
            # Whatever failed after this task stopped a running instance, it is started again first.
            if stopped_by_us:
                self._start_again_after(instance, lease_query, error)
            raise
        return instance

    def _start_again_after(self, instance, lease_query, error):
        """This task stopped a running instance and then failed: start it again, then fail with both stories."""
        error_fields = getattr(error, "as_dict", dict)()
        try:
            instance = self.wait_for(self.api.show(instance["id"]), STABLE, "to settle before starting it again")
            instance = self.start(instance, lease_query)
            if self.wait:
                instance = self.wait_for(instance, "RUNNING", "to start again")
        except ModuleError as restart_error:
            raise ModuleError("%s; then starting the instance again also failed: %s" % (_message(error), _message(restart_error)),
                              error=error_fields) from error
        self.instance = instance
        raise ModuleError("%s; the instance, which this task had stopped, was started again" % _message(error), error=error_fields) from error

    def update(self, instance, params, changed_fields, send_hooks):
        def send(current, resending):
            # A resend carries what still differs after the read back (a hooks-only update: the hooks again).
            fields = (compare(current, params).changed or changed_fields) if resending else changed_fields
            return self.api.update(current["id"], update_body(current, params, fields, send_hooks))

        def is_done(current):
            # Only a hooks-only update cannot be confirmed by reading: it is sent again.
            return bool(changed_fields) and not compare(current, params).changed

        return self._write("update", instance, send, is_done)

    def start(self, instance, lease_query):
        return self._write("start", instance, lambda current, resending: self.api.start(current["id"], lease_query),
                           lambda current: current.get("status") in ("STARTING", "RUNNING"), START_CONFLICTS)

    def stop(self, instance):
        return self._write("stop", instance, lambda current, resending: self.api.stop(current["id"]),
                           lambda current: current.get("status") in ("STOPPING", "STOPPED"), STOP_CONFLICTS)

    def _write(self, action, instance, send, is_done, conflicts=frozenset()):
        instance = write_with_read_back(self.api.client, instance, send, lambda current: self.api.show(current["id"]), is_done, conflicts)
        self.done.append(action)
        return instance
