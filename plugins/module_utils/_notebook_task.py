# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One notebook definition (the options of notebook_instance) brought to shape: its argument spec, its input
checks, and the orchestration from the first read to the result.

notebook_instance runs one; notebook_instances runs many side by side, each in its own thread with its own
client. So a task never touches the AnsibleModule: it is given a Decision (check mode, diff mode) and a warn
callable, and its result holds what the module reports for it.
"""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _auto_stop, _mount_rules, _tags
from ansible_collections.hwcloud.modelarts.plugins.module_utils._decision import Decision
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, RuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._mount_actions import MountActions
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_actions import NotebookActions
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import (
    NOTEBOOK,
    NotebookAPI,
    NotebookNotFound,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_plan import (
    Refusal,
    plan,
    plan_create,
    plan_delete,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import (
    TRANSITIONAL,
    check_create_only,
    compare,
    create_body,
    requested,
    validate,
    without_token,
)

HOOK_SPEC = {
    "type": "dict",
    "options": {
        "script": {"type": "str", "required": True},
        "type": {"type": "str", "choices": ["COMMAND", "SCRIPT"], "default": "SCRIPT"},
    },
}

# The options of one notebook definition (documented in notebook_instance).
ARGUMENT_SPEC = {
    "id": {"type": "str"},
    "name": {"type": "str"},
    "description": {"type": "str"},
    "flavor": {"type": "str"},
    "image_id": {"type": "str"},
    "storage_size": {"type": "int", "aliases": ["storage_new_size"]},
    "endpoints": {
        "type": "list",
        "elements": "dict",
        "options": {
            "dev_service": {"type": "str", "required": True, "choices": ["NOTEBOOK", "SSH"]},
            "allowed_access_ips": {"type": "list", "elements": "str"},
            "ssh_keys": {"type": "list", "elements": "str", "no_log": False},
        },
    },
    "hooks": {
        "type": "dict",
        "options": {
            "container_hooks": {"type": "dict", "options": {"pre_start": HOOK_SPEC, "post_start": HOOK_SPEC}},
        },
    },
    "force_update_hooks": {"type": "bool", "default": False},
    "state": {"type": "str", "choices": ["present", "stopped", "running", "absent"], "default": "present"},
    "volume": {
        "type": "dict",
        "options": {
            "category": {"type": "str", "choices": ["EVS", "EFS", "OBS", "OBSFS"]},
            "ownership": {"type": "str", "choices": ["MANAGED", "DEDICATED"]},
            "id": {"type": "str"},
            "uri": {"type": "str"},
        },
    },
    "workspace_id": {"type": "str"},
    "pool_id": {"type": "str"},
    "auto_stop": {
        "type": "dict",
        "options": {
            "enabled": {"type": "bool", "required": True},
            "hours": {"type": "int", "default": 1},
            "type": {"type": "str", "choices": ["TIMING", "IDLE"], "default": "TIMING"},
        },
    },
    "tags": {"type": "dict"},
    "purge_tags": {"type": "bool", "default": True},
    "mounts": {
        "type": "list",
        "elements": "dict",
        "options": {
            "uri": {"type": "str", "required": True},
            "mount_path": {"type": "str", "required": True},
            "category": {"type": "str", "choices": list(_mount_rules.CATEGORIES), "default": "OBS"},
            "efs_id": {"type": "str"},
        },
    },
    "purge_mounts": {"type": "bool", "default": True},
    "allow_restart": {"type": "bool", "default": False},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 600},
}
REQUIRED_ONE_OF = [("id", "name")]


def check(params):
    """The input rules of one definition, before any request (normalises ``tags`` to strings in place)."""
    if params.get("tags") is not None:
        params["tags"] = {str(key): "" if value is None else str(value) for key, value in params["tags"].items()}
    validate(params)
    if params.get("mounts") is not None:
        _mount_rules.validate(params["mounts"])
    if params["wait_timeout"] < 0:
        raise RuleError("wait_timeout must be 0 or more seconds, got %d" % params["wait_timeout"])


class NotebookTask:
    """Brings one checked definition to shape through ``client``; ``result()`` is what the module reports.

    ``decision`` decides the writes (check mode and diff mode are its own); ``warn(text)`` reports a warning;
    ``secrets`` collects values (the notebook's token) to mask in all output.
    """

    def __init__(self, params, client, decision=None, warn=None):
        self.params = params
        self.decision = decision or Decision()
        self.warn = warn or (lambda text: None)
        self.api = NotebookAPI(client)
        self.actions = NotebookActions(self.api, params["wait"], params["wait_timeout"], self.decision.done)
        # The notebook's mounts, once their storage list is read (only with ``mounts``).
        self.mounts = None

    def run(self):
        params, api = self.params, self.api
        if params.get("id"):
            instance, not_found = (api.show_if_exists if params["state"] == "absent" else api.show)(params["id"]), None
        else:
            try:
                instance, not_found = api.lookup(name=params["name"], workspace_id=params.get("workspace_id")), None
            except NotebookNotFound as error:
                instance, not_found = None, error
        if params["state"] == "absent":
            self.delete(instance)
        elif instance is None:
            self.create(not_found)
        else:
            self.bring_to_shape(instance)

    def delete(self, instance):
        if instance is not None:
            instance = self.actions.wait_until_stable(instance, failed_is_stable=True)
        # Already being deleted (without wait): nothing to send.
        actions = plan_delete(instance.get("status")).actions if instance is not None else ()
        before = {key: instance.get(key) for key in ("id", "name", "status")} if actions else {}
        if self.decision.decide(actions, before, {}):
            # Someone else may delete it first: then nothing is recorded as done, and nothing changed.
            self.actions.delete(instance)

    def create(self, not_found):
        params = self.params
        missing = [option for option in ("name", "flavor", "image_id") if params.get(option) is None]
        if missing:
            raise ModuleError("%s; to create it, give %s" % (not_found, " and ".join(missing)))
        decision = plan_create(params["name"], params["state"], params["wait"], tag=bool(params.get("tags")))
        if isinstance(decision, Refusal):
            raise ModuleError(decision.message)
        mounts, after = params.get("mounts"), requested(params)
        steps = ()
        if mounts is not None and decision.end_status == "RUNNING":
            if mounts and not params["wait"]:
                raise ModuleError(
                    "no notebook instance is named %r, and mounts are attached to a running notebook, so one created "
                    "with mounts must be waited for until it runs: set wait=true" % params["name"]
                )
            # A new instance has no mount yet: every one is attached.
            steps = _mount_rules.plan([], mounts, params["purge_mounts"])
            after["mounts"] = _mount_rules.after([], mounts, params["purge_mounts"])
        elif mounts is not None:
            self._warn_mounts_not_applied("the new instance", decision.end_status)
        if not self.decision.decide(decision.actions + tuple(step.action for step in steps), {}, after):
            return
        instance = self.actions.create(create_body(params), params.get("workspace_id"))
        if params.get("tags"):
            instance = self.actions.tag_created(instance, params["tags"])
        if params["wait"]:
            instance = self.actions.wait_created(instance)
        if params["state"] == "stopped":
            self.actions.stop_created(instance)
        if steps:
            self.mounts = self._mount_actions(instance)
            self.mounts.storage = []
            self.mounts.apply(steps)

    def bring_to_shape(self, instance):
        params = self.params
        instance = self.actions.wait_until_stable(instance)
        check_create_only(instance, params)
        comparison = compare(instance, params)
        send_hooks = bool(params.get("hooks")) and (bool(comparison.changed) or params["force_update_hooks"])
        if params.get("hooks") and not send_hooks:
            self.warn(
                "hooks were not sent: the API never returns them, so they are sent only along with another change, "
                "or on every run with force_update_hooks=true"
            )
        tag_changes = (
            _tags.changes(instance, params["tags"], params["purge_tags"]) if params.get("tags") is not None else None
        )
        auto_stop = params.get("auto_stop")
        decision = plan(
            instance.get("id"),
            instance.get("status"),
            params["state"],
            bool(comparison.changed) or send_hooks,
            params["allow_restart"],
            tag=bool(tag_changes and tag_changes.add),
            untag=bool(tag_changes and tag_changes.remove),
            lease_differs=_auto_stop.differs(instance, auto_stop),
            auto_stop_on=bool(auto_stop and auto_stop["enabled"]),
        )
        if isinstance(decision, Refusal):
            raise NOTEBOOK.failure(decision.message, instance)

        before, after = dict(comparison.before), dict(comparison.after)
        if decision.end_status != instance.get("status"):
            before["status"], after["status"] = instance.get("status"), decision.end_status
        if tag_changes is not None:
            before["tags"], after["tags"] = (
                _tags.live(instance),
                _tags.after(instance, params["tags"], params["purge_tags"]),
            )
        if _auto_stop.differs(instance, auto_stop) and decision.end_status == "RUNNING":
            # Auto-stop belongs to a run: on an instance that ends stopped it is left to the next start.
            before["auto_stop"], after["auto_stop"] = _auto_stop.live(instance), _auto_stop.wanted(auto_stop)
        steps = self._plan_mounts(instance, decision, before, after)
        if self.decision.decide(decision.actions + tuple(step.action for step in steps), before, after):
            instance = self.actions.apply(instance, decision.actions, params, comparison.changed, send_hooks)
            if "start" in decision.actions and self.mounts is not None:
                # Whether dynamic mounts survive a stop is not documented: the list is read again after a start.
                self.mounts.read()
                steps = _mount_rules.plan(self.mounts.storage, params["mounts"], params["purge_mounts"])
            if steps:
                self.mounts.apply(steps)

    # ---- mounts ----------------------------------------------------------------------------------------------
    def _mount_actions(self, instance):
        params = self.params
        return MountActions(self.api.client, instance["id"], params["wait"], params["wait_timeout"], self.decision.done)

    def _warn_mounts_not_applied(self, which, end_status):
        self.warn(
            "mounts were not applied: %s ends %s, and mounts are attached and detached only while a notebook runs; "
            "a run that leaves it running applies them" % (which, end_status)
        )

    def _plan_mounts(self, instance, decision, before, after):
        """The attaches and detaches after the notebook's own writes, from its storage list (read here, so that check
        mode and the diff show them); none, with a warning, for an instance that ends stopped."""
        params = self.params
        if params.get("mounts") is None:
            return ()
        if decision.end_status != "RUNNING":
            self._warn_mounts_not_applied("notebook instance %s" % instance.get("id"), decision.end_status)
            return ()
        if not params["wait"] and (instance.get("status") in TRANSITIONAL or "start" in decision.actions):
            raise NOTEBOOK.failure(
                "notebook instance %s is not running yet, and mounts are attached and detached only while it runs: "
                "set wait=true to wait for it" % instance.get("id"),
                instance,
            )
        self.mounts = self._mount_actions(instance)
        storage = self.mounts.read()
        steps = _mount_rules.plan(storage, params["mounts"], params["purge_mounts"])
        before["mounts"] = _mount_rules.before(storage)
        after["mounts"] = _mount_rules.after(storage, params["mounts"], params["purge_mounts"])
        return steps

    @property
    def secrets(self):
        instance = self.actions.instance
        return (instance.get("token"),) if instance is not None and instance.get("token") else ()

    def result(self):
        """changed, diff, actions (done, or planned in check mode) and the notebook as last seen, without token."""
        result = self.decision.result()
        if self.actions.instance is not None:
            # The token is left out here and masked everywhere else.
            result["notebook"] = without_token(self.actions.instance)
        if self.mounts is not None and self.mounts.storage is not None:
            result["mounts"] = list(self.mounts.storage)
        return result
