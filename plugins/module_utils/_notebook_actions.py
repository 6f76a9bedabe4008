# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The writes on one notebook instance (create, delete, tag, untag, renew_lease, stop, update, start), carried
out in the order a plan gives.

Each write goes through the write protocol (read back instead of resending blindly); waits follow
``wait``; an instance this module stopped is started again whatever fails after the stop.
"""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _auto_stop, _tags
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import NOTEBOOK_NOT_FOUND, ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._lookup import at_most_one
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NOTEBOOK
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import (
    FAILED,
    STABLE,
    TRANSITIONAL,
    compare,
    update_body,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._waiter import wait
from ansible_collections.hwcloud.modelarts.plugins.module_utils._write_protocol import (
    Making,
    delete_with_read_back,
    look_out_seconds,
    write_with_read_back,
)

# Answers to a start or stop that may mean "already done": the instance is read to be sure.
START_CONFLICTS = frozenset(("ModelArts.6305", "ModelArts.6306", "ModelArts.6357"))
STOP_CONFLICTS = frozenset(("ModelArts.6307", "ModelArts.6308", "ModelArts.6357"))


def _message(error):
    return getattr(error, "message", None) or str(error)


class NotebookActions:
    """Carries out writes on one instance and remembers what it did.

    ``done`` lists the writes done, in order (the task's Decision.done when given); ``instance`` is the instance as
    last seen (None once deleted and gone).
    """

    def __init__(self, api, wait, wait_timeout, done=None):
        self.api = api
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.done = [] if done is None else done
        self.instance = None

    def wait_for(self, instance, targets, purpose):
        targets = {targets} if isinstance(targets, str) else targets
        return self.api.wait(
            instance, targets, self.wait_timeout, "Waiting for notebook instance %s %s" % (instance["id"], purpose)
        )

    def wait_until_stable(self, instance, failed_is_stable=False):
        """The instance once a transition in progress has ended (with ``wait``).

        A failed status is a failure, except for a delete (``failed_is_stable``), which removes such an instance too.
        """
        self.instance = instance
        status = instance.get("status")
        if status in FAILED and not failed_is_stable:
            raise NOTEBOOK.failure(
                "notebook instance %s is %s%s: it cannot be changed until that is resolved"
                % (instance.get("id"), status, NOTEBOOK.reason(instance)),
                instance,
            )
        if status in TRANSITIONAL and self.wait:
            if failed_is_stable:
                # None: someone else's delete ended while waiting.
                self.instance = self._poll(
                    instance,
                    lambda current: current is None or current.get("status") in STABLE | FAILED,
                    "to end %s" % status,
                )
            else:
                self.instance = self.wait_for(instance, STABLE, "to end %s" % status)
        return self.instance

    # ---- an existing instance ------------------------------------------------------------------------
    def apply(self, instance, actions, params, changed_fields, send_hooks):
        """Carry out ``actions`` (from the plan) in order; return the instance after them.

        Every start carries the requested ``auto_stop``, or else the lease ``instance`` has now.
        """
        stopped_by_us = False
        self.instance = instance
        lease_query = _auto_stop.start_query(instance, params.get("auto_stop"))
        try:
            for action in actions:
                if action == "tag":
                    instance = self.tag(instance, _tags.changes(instance, params["tags"], params["purge_tags"]).add)
                elif action == "untag":
                    instance = self.untag(
                        instance, _tags.changes(instance, params["tags"], params["purge_tags"]).remove
                    )
                elif action == "renew_lease":
                    instance = self.renew_lease(instance, params["auto_stop"])
                elif action == "stop":
                    instance = self.stop(instance)
                    stopped_by_us = "start" in actions
                    if self.wait or "update" in actions or "start" in actions:
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
            if getattr(error, "retry_after", None):
                # The service asked for a pause (429): the read that follows honours it too.
                self.api.client.pause_before_retry(1, error.retry_after)
            instance = self.wait_for(self.api.show(instance["id"]), STABLE, "to settle before starting it again")
            instance = self.start(instance, lease_query)
            if self.wait:
                instance = self.wait_for(instance, "RUNNING", "to start again")
        except ModuleError as restart_error:
            raise ModuleError(
                "%s; then starting the instance again also failed: %s" % (_message(error), _message(restart_error)),
                error=error_fields,
            ) from error
        self.instance = instance
        raise ModuleError(
            "%s; the instance, which this task had stopped, was started again" % _message(error), error=error_fields
        ) from error

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
        return self._write(
            "start",
            instance,
            lambda current, resending: self.api.start(current["id"], lease_query),
            lambda current: current.get("status") in ("STARTING", "RUNNING"),
            START_CONFLICTS,
        )

    def stop(self, instance):
        return self._write(
            "stop",
            instance,
            lambda current, resending: self.api.stop(current["id"]),
            lambda current: current.get("status") in ("STOPPING", "STOPPED"),
            STOP_CONFLICTS,
        )

    def tag(self, instance, add):
        def send(current, resending):
            self.api.add_tags(current, add)
            return {
                "tags": [
                    {"key": k, "value": v}
                    for k, v in sorted(dict(_tags.live(current), **{t["key"]: t["value"] for t in add}).items())
                ]
            }

        return self._write(
            "tag", instance, send, lambda current: all(_tags.live(current).get(t["key"]) == t["value"] for t in add)
        )

    def untag(self, instance, remove):
        keys = {tag["key"] for tag in remove}

        def send(current, resending):
            self.api.remove_tags(current, remove)
            return {"tags": [{"key": k, "value": v} for k, v in sorted(_tags.live(current).items()) if k not in keys]}

        return self._write("untag", instance, send, lambda current: not keys & set(_tags.live(current)))

    def renew_lease(self, instance, auto_stop):
        def send(current, resending):
            lease = self.api.renew_lease(current["id"], _auto_stop.renewal(auto_stop))
            return {"lease": dict(current.get("lease") or {}, **lease)}

        return self._write("renew_lease", instance, send, lambda current: not _auto_stop.differs(current, auto_stop))

    def _write(self, action, instance, send, is_done, conflicts=frozenset()):
        instance = write_with_read_back(
            self.api.client, instance, send, lambda current: self.api.show(current["id"]), is_done, conflicts
        )
        self.done.append(action)
        return instance

    # ---- create and delete -----------------------------------------------------------------------------
    def create(self, body, workspace_id=None):
        """Create the instance. The service does not deduplicate creates (names may repeat), so after a failure that
        may have been applied the instance is looked for by exact name: adopted when found; otherwise sent again
        only when the service has finished with the first request (write_with_read_back)."""
        name = body["name"]

        def read_back(dummy):
            matches = self.api.find_by_name(name, workspace_id)[0]
            return at_most_one(
                NOTEBOOK, matches, name, "after a create of notebook instance %r that may have been applied" % name
            )

        self.instance = write_with_read_back(
            self.api.client,
            None,
            lambda nothing, resending: self.api.create(body),
            read_back,
            lambda found: found is not None,
            making=Making("a notebook instance named %r" % name, look_out_seconds(self.wait_timeout)),
        )
        self.done.append("create")
        return self.instance

    def wait_created(self, instance):
        """The instance this task created, once RUNNING (CREATE_FAILED fails with its fail_reason)."""
        self.instance = self.wait_for(instance, "RUNNING", "to be created")
        return self.instance

    def delete(self, instance):
        """Delete the instance; with ``wait``, poll until the service no longer knows it."""

        def read_back(current):
            return self.api.show_if_exists(current["id"])

        answer, deleted = delete_with_read_back(
            self.api.client,
            instance,
            lambda current, resending: self.api.delete(current["id"]),
            read_back,
            lambda current: current is None or current.get("status") == "DELETING",
            NOTEBOOK_NOT_FOUND,
        )
        if not deleted:
            self.instance = None
            return None
        self.done.append("delete")
        self.instance = answer
        if answer is not None and self.wait:
            self.instance = self._poll(
                answer, lambda current: current is None, "to be deleted", failed={"DELETE_FAILED"}
            )
        return self.instance

    def _poll(self, instance, is_done, purpose, failed=frozenset()):
        """Poll the instance (None once the service does not know it) until ``is_done``."""
        notebook_id = instance["id"]
        return wait(
            NOTEBOOK,
            instance,
            lambda: self.api.show_if_exists(notebook_id),
            is_done,
            self.wait_timeout,
            "Waiting for notebook instance %s %s" % (notebook_id, purpose),
            failed,
        )

    def stop_created(self, instance):
        """``state=stopped`` for an instance this task created (and waited for until RUNNING)."""
        instance = self.stop(instance)
        if self.wait:
            instance = self.wait_for(instance, "STOPPED", "to stop")
        self.instance = instance
        return instance

    def tag_created(self, instance, tags):
        """The tags of an instance this task created: every one of them is to be added."""
        self.instance = self.tag(instance, _tags.changes(instance, tags, purge=False).add)
        return self.instance
