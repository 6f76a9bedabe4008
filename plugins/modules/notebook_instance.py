#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: notebook_instance
short_description: Keep a ModelArts notebook instance in the requested shape
version_added: 1.0.0
description:
  - Brings one existing Huawei Cloud ModelArts notebook instance to the requested shape (name, description,
    flavor, image, disk size, SSH access (endpoints) and start-up hooks), and optionally its run state.
  - Only the options given are compared with the live instance and sent. The task reports C(changed) only
    when it changed something, so a second run is unchanged and costs one read.
  - The update API works only on a B(STOPPED) instance. A running instance that needs an update is stopped,
    updated and started again only when O(allow_restart=true); otherwise the task fails and says so.
  - Every input rule of the service is checked before any request is sent.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - hwcloud.modelarts.connection
attributes:
  check_mode:
    description: Fully supported. The same reads, decision, C(changed), C(actions) and diff as a real run, and no write.
    support: full
  diff_mode:
    description: Gives C(before) and C(after) of the requested fields, and of C(status) when the run state changes.
    support: full
options:
  id:
    description:
      - The ID of the notebook instance.
      - With O(id), O(name) is the name the instance should have.
      - One of O(id) and O(name) is required.
    type: str
  name:
    description:
      - Without O(id), the exact name of the instance to manage. It must match exactly one instance; the
        module pages through every instance that the list API's fuzzy name filter returns and keeps only
        exact matches. None or several is a failure that names what was found.
      - With O(id), the name the instance should have.
      - 1 to 128 characters, each a letter, digit, V(-) or V(_).
    type: str
  description:
    description:
      - The description the instance should have.
      - At most 512 characters, none of V(&), V(<), V(>), V(") or V(/).
      - V("") clears it.
    type: str
  flavor:
    description:
      - The flavor (machine specification) the instance should run on, for example V(modelarts.vm.cpu.8u).
      - The flavors an instance can switch to are listed by the API's C(GET /v1/{project_id}/notebooks/{id}/flavors).
    type: str
  image_id:
    description:
      - The ID of the image the instance should use. Compared with C(image.id) of the live instance.
    type: str
  storage_size:
    description:
      - The size in GB the instance's disk (C(volume.capacity)) should have, from 1 to 4096.
      - A larger size expands the disk (sent as C(storage_new_size)). Disks cannot shrink, so a smaller size
        than the current one is a failure.
    type: int
    aliases: [storage_new_size]
  endpoints:
    description:
      - Remote access to the instance, per service.
      - Each entry is matched with the live endpoint of the same O(endpoints[].dev_service). Only the keys
        given are compared, and lists are compared as sets (order and repeats do not matter).
      - Live endpoints that are not listed are left as they are and sent back unchanged with an update.
    type: list
    elements: dict
    suboptions:
      dev_service:
        description:
          - The service the entry configures.
        type: str
        required: true
        choices: [NOTEBOOK, SSH]
      allowed_access_ips:
        description:
          - The public IP addresses allowed to reach the service, at most 5 different ones. V([]) allows every address.
        type: list
        elements: str
      ssh_keys:
        description:
          - The names of the key pairs (from the ECS console) that may log in through SSH.
        type: list
        elements: str
  hooks:
    description:
      - Scripts the instance runs when its container starts.
      - The API never returns hooks, so they cannot be compared. They are sent along whenever the instance is
        updated for another option; otherwise they are not sent and the task warns. Set
        O(force_update_hooks=true) to always send them.
    type: dict
    suboptions:
      container_hooks:
        description: Hooks of the instance's container.
        type: dict
        suboptions:
          pre_start:
            description: The script run before the notebook service starts.
            type: dict
            suboptions:
              script:
                description:
                  - With O(hooks.container_hooks.pre_start.type=SCRIPT), the absolute path of a script in the image.
                  - With O(hooks.container_hooks.pre_start.type=COMMAND), the command, base64-encoded.
                type: str
                required: true
              type:
                description: What O(hooks.container_hooks.pre_start.script) holds.
                type: str
                choices: [COMMAND, SCRIPT]
                default: SCRIPT
          post_start:
            description: The script run after the notebook service has started.
            type: dict
            suboptions:
              script:
                description:
                  - With O(hooks.container_hooks.post_start.type=SCRIPT), the absolute path of a script in the image.
                  - With O(hooks.container_hooks.post_start.type=COMMAND), the command, base64-encoded.
                type: str
                required: true
              type:
                description: What O(hooks.container_hooks.post_start.script) holds.
                type: str
                choices: [COMMAND, SCRIPT]
                default: SCRIPT
  force_update_hooks:
    description:
      - Send O(hooks) on every run, even when nothing else changes. The task then always reports C(changed),
        because the module cannot tell whether the hooks were already set.
      - Needs O(hooks).
    type: bool
    default: false
  state:
    description:
      - V(present) applies the requested fields and leaves the run state as it is.
      - V(stopped) stops the instance if it runs, then applies the fields.
      - V(running) applies the fields, then starts the instance if it is stopped.
    type: str
    choices: [present, stopped, running]
    default: present
  allow_restart:
    description:
      - Allow the module to stop a running instance to update it, then start it again.
      - With V(false) (the default), a running instance that needs an update makes the task fail, naming this
        option, and nothing is changed.
      - With V(true), the module stops the instance, waits for STOPPED, updates it, starts it and waits for
        RUNNING (if O(wait=true)). If the update fails after the stop, the instance is still started again
        before the task fails; an instance that was running is never left stopped.
    type: bool
    default: false
  wait:
    description:
      - Wait for a transition (STARTING, STOPPING, CREATING, ...) to end before acting, and for the instance
        to be RUNNING or STOPPED after the module starts or stops it.
      - Waiting for STOPPED before an update is always done, as the update needs it.
      - With V(false), an instance in a transition makes the task fail if it needs any change.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for each transition. A timeout is a failure that names the last status seen.
    type: int
    default: 600
notes:
  - The instance must exist; this module does not create or delete instances.
  - An instance in a failed status (ERROR, FROZEN, START_FAILED, CREATE_FAILED, DELETE_FAILED) makes the task
    fail with the instance's C(fail_reason).
  - The notebook's own access C(token) is removed from the returned instance and masked in all output.
seealso:
  - module: hwcloud.modelarts.notebook_instance_info
  - name: Updating a Notebook Instance (ModelArts API reference)
    description: The API call this module is built around.
    link: https://support.huaweicloud.com/intl/en-us/api-modelarts/UpdateNotebook.html
"""

EXAMPLES = r"""
- name: Give a notebook a bigger flavor and disk, restarting it if it runs
  hwcloud.modelarts.notebook_instance:
    region: cn-north-4
    project_id: "{{ hw_project_id }}"
    access_key: "{{ hw_access_key }}"
    secret_key: "{{ hw_secret_key }}"
    id: 6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c
    flavor: modelarts.vm.cpu.8u
    storage_size: 100
    allow_restart: true

- name: Rename a notebook found by its exact name (credentials from HW_* environment variables)
  hwcloud.modelarts.notebook_instance:
    name: team-a-dev
    description: Team A development notebook

- name: Restrict SSH access and set the key pairs
  hwcloud.modelarts.notebook_instance:
    name: team-a-dev
    endpoints:
      - dev_service: SSH
        allowed_access_ips: [203.0.113.10, 203.0.113.11]
        ssh_keys: [team-a-keypair]
    allow_restart: true

- name: Set connection options once for every module of the collection
  module_defaults:
    group/hwcloud.modelarts.all:
      region: cn-north-4
      project_id: "{{ hw_project_id }}"
      auth_token: "{{ hw_iam_token }}"
  block:
    - name: Stop a notebook for the night
      hwcloud.modelarts.notebook_instance:
        name: team-a-dev
        state: stopped

    - name: Set a start-up command and start the notebook
      hwcloud.modelarts.notebook_instance:
        name: team-a-dev
        hooks:
          container_hooks:
            post_start:
              type: COMMAND
              script: "{{ 'pip install -r /home/ma-user/work/requirements.txt' | b64encode }}"
        force_update_hooks: true
        state: running
"""

RETURN = r"""
notebook:
  description:
    - The instance after the run, as the API returns it, without its C(token). In check mode, the instance as it is now.
    - On a failure after the instance was read, the last state seen.
  returned: when the instance was found
  type: dict
  contains:
    id:
      description: The instance ID.
      type: str
      sample: 6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c
    name:
      description: The instance name.
      type: str
      sample: team-a-dev
    description:
      description: The instance description.
      type: str
      sample: Team A development notebook
    status:
      description: The run status, for example V(RUNNING), V(STOPPED), V(STARTING) or V(ERROR).
      type: str
      sample: STOPPED
    flavor:
      description: The flavor.
      type: str
      sample: modelarts.vm.cpu.8u
    image:
      description: The image, with its C(id), C(name), C(swr_path), C(tag), C(type) and C(arch).
      type: dict
      sample: {"id": "e1a07296-22a8-4f05-8bc8-e936c8e54202", "name": "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04"}
    volume:
      description: The disk, with its C(category), C(ownership), C(capacity) in GB, C(mount_path) and C(status).
      type: dict
      sample: {"category": "EVS", "ownership": "MANAGED", "capacity": 100, "mount_path": "/home/ma-user/work/"}
    endpoints:
      description: Remote access per service, with C(dev_service) or C(service), C(allowed_access_ips), C(ssh_keys) and C(uri).
      type: list
      elements: dict
      sample: [{"dev_service": "SSH", "allowed_access_ips": ["203.0.113.10"], "ssh_keys": ["team-a-keypair"]}]
    url:
      description: The URL of the notebook.
      type: str
    fail_reason:
      description: Why the instance is in a failed status.
      type: str
    lease:
      description: The automatic stop settings.
      type: dict
actions:
  description:
    - The writes done, in order, from V(stop), V(update) and V(start). In check mode, the writes that would be done.
  returned: always
  type: list
  elements: str
  sample: [stop, update, start]
diff:
  description: With C(--diff), C(before) and C(after) of the requested fields (and C(status) when it changes).
  returned: when diff mode is on
  type: dict
  sample: {"before": {"flavor": "modelarts.vm.cpu.2u"}, "after": {"flavor": "modelarts.vm.cpu.8u"}}
error:
  description: On a failed API call, what the service said.
  returned: on an API failure
  type: dict
  contains:
    action:
      description: What was attempted.
      type: str
      sample: Updating notebook instance 6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c (flavor)
    status:
      description: The HTTP status, or null when no answer came.
      type: int
      sample: 400
    error_code:
      description: The service's error code.
      type: str
      sample: ModelArts.6347
    error_msg:
      description: The service's error message.
      type: str
    request_id:
      description: The request ID the service gave (X-Request-Id), to quote to support.
      type: str
    reason:
      description: Why the call failed when there was no answer, for example a timeout or a TLS error.
      type: str
"""

import time

from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError, backoff_delay
from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import WaitError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import (
    FAILED,
    STABLE,
    TRANSITIONAL,
    compare,
    update_body,
    validate,
)

HOOK_SPEC = {"type": "dict", "options": {
    "script": {"type": "str", "required": True},
    "type": {"type": "str", "choices": ["COMMAND", "SCRIPT"], "default": "SCRIPT"},
}}

# Answers to a start or stop that may mean "already done": the module reads the instance to be sure.
START_CONFLICTS = frozenset(("ModelArts.6305", "ModelArts.6306", "ModelArts.6357"))
STOP_CONFLICTS = frozenset(("ModelArts.6307", "ModelArts.6308", "ModelArts.6357"))


class NotebookInstance(ModelArtsModule):
    argument_spec = {
        "id": {"type": "str"},
        "name": {"type": "str"},
        "description": {"type": "str"},
        "flavor": {"type": "str"},
        "image_id": {"type": "str"},
        "storage_size": {"type": "int", "aliases": ["storage_new_size"]},
        "endpoints": {"type": "list", "elements": "dict", "options": {
            "dev_service": {"type": "str", "required": True, "choices": ["NOTEBOOK", "SSH"]},
            "allowed_access_ips": {"type": "list", "elements": "str"},
            "ssh_keys": {"type": "list", "elements": "str", "no_log": False},
        }},
        "hooks": {"type": "dict", "options": {
            "container_hooks": {"type": "dict", "options": {"pre_start": HOOK_SPEC, "post_start": HOOK_SPEC}},
        }},
        "force_update_hooks": {"type": "bool", "default": False},
        "state": {"type": "str", "choices": ["present", "stopped", "running"], "default": "present"},
        "allow_restart": {"type": "bool", "default": False},
        "wait": {"type": "bool", "default": True},
        "wait_timeout": {"type": "int", "default": 600},
    }
    module_kwargs = {"required_one_of": [("id", "name")]}

    def run(self):
        params = self.params
        validate(params)
        if params["wait_timeout"] < 0:
            self.fail("wait_timeout must be 0 or more seconds, got %d" % params["wait_timeout"])
        self.connect()
        self.result["actions"] = []
        instance = self.settle(self.lookup())
        self.result["notebook"] = self.public(instance)

        before, after, changed_fields = compare(instance, params)
        send_hooks = bool(params.get("hooks")) and (bool(changed_fields) or params["force_update_hooks"])
        if params.get("hooks") and not send_hooks:
            self.module.warn("hooks were not sent: the API never returns them, so they are sent only along with another change, "
                             "or on every run with force_update_hooks=true")
        plan = self.plan(instance, bool(changed_fields) or send_hooks)
        end_status = instance.get("status")
        for action in plan:
            end_status = {"stop": "STOPPED", "start": "RUNNING"}.get(action, end_status)
        if end_status != instance.get("status"):
            before["status"], after["status"] = instance.get("status"), end_status
        self.result["changed"] = bool(plan)
        if self.module._diff:
            self.result["diff"] = {"before": before, "after": after}
        if self.module.check_mode:
            self.result["actions"] = plan
            return
        self.carry_out(instance, plan, changed_fields, send_hooks)

    def lookup(self):
        if self.params.get("id"):
            return self.api.show(self.params["id"])
        name = self.params["name"]
        matches, names = self.api.find_by_name(name)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            seen = ", ".join(sorted(set(names))) if names else "none"
            self.fail("no notebook instance is named %r (the list's name filter matched: %s)" % (name, seen))
        self.fail("%d notebook instances are named %r (ids: %s): give id to choose one"
                  % (len(matches), name, ", ".join(sorted(nb.get("id", "?") for nb in matches))))
        return None

    def settle(self, instance):
        """Wait for a transition to end before deciding; a failed status is a failure."""
        status = instance.get("status")
        if status in FAILED:
            self.fail("notebook instance %s is %s%s: it cannot be changed until that is resolved"
                      % (instance.get("id"), status, _reason(instance)), notebook=self.public(instance))
        if status in TRANSITIONAL and self.params["wait"]:
            return self.wait_for(instance, STABLE, "to end %s" % status)
        return instance

    def wait_for(self, instance, targets, purpose):
        targets = {targets} if isinstance(targets, str) else targets
        return self.api.wait(instance, targets, self.params["wait_timeout"], "Waiting for notebook instance %s %s" % (instance["id"], purpose))

    def plan(self, instance, needs_update):
        """The writes to do, in order, from the live status, the requested state and whether an update is needed."""
        status, state = instance.get("status"), self.params["state"]
        if status in TRANSITIONAL:
            # Only reachable with wait=false: acceptable only when nothing has to be done.
            heading_to = {"STARTING": "running", "STOPPING": "stopped"}.get(status)
            if not needs_update and state in ("present", heading_to):
                return []
            self.fail("notebook instance %s is %s and needs a change; set wait=true to wait for the transition to end"
                      % (instance.get("id"), status), notebook=self.public(instance))
        running = status == "RUNNING"
        plan = []
        if needs_update and running and state != "stopped":
            if not self.params["allow_restart"]:
                self.fail("notebook instance %s is RUNNING and the update API works only on a STOPPED instance: "
                          "set allow_restart=true to let the module stop it, update it and start it again, "
                          "or state=stopped to stop it for the update" % instance.get("id"), notebook=self.public(instance))
            return ["stop", "update", "start"]
        if running and state == "stopped":
            plan.append("stop")
        if needs_update:
            plan.append("update")
        if not running and state == "running":
            plan.append("start")
        return plan

    def carry_out(self, instance, plan, changed_fields, send_hooks):
        stopped_by_us = False
        try:
            for action in plan:
                if action == "stop":
                    instance = self.stop(instance)
                    stopped_by_us = "start" in plan
                    if self.params["wait"] or "update" in plan:
                        instance = self.wait_for(instance, "STOPPED", "to stop")
                elif action == "update":
                    instance = self.update(instance, changed_fields, send_hooks)
                else:
                    instance = self.start(instance)
                    stopped_by_us = False
                    if self.params["wait"]:
                        instance = self.wait_for(instance, "RUNNING", "to start")
                self.result["notebook"] = self.public(instance)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # Whatever failed after this task stopped a running instance, it is started again first.
            if stopped_by_us:
                self.restart_after_failure(instance, error)
            raise
        self.result["notebook"] = self.public(instance)

    def restart_after_failure(self, instance, error):
        """The module stopped a running instance and then failed: start it again before failing."""
        try:
            instance = self.wait_for(self.api.show(instance["id"]), STABLE, "to settle before starting it again")
            instance = self.start(instance)
            if self.params["wait"]:
                instance = self.wait_for(instance, "RUNNING", "to start again")
        except (ModelArtsError, WaitError) as restart_error:
            self.fail("%s; then starting the instance again also failed: %s" % (_message(error), _message(restart_error)),
                      error=getattr(error, "as_dict", dict)())
        self.result["notebook"] = self.public(instance)
        self.fail("%s; the instance, which this task had stopped, was started again" % _message(error), error=getattr(error, "as_dict", dict)())

    def update(self, instance, changed_fields, send_hooks):
        params = self.params

        def send(current):
            return self.api.update(current["id"], update_body(current, params, changed_fields, send_hooks))

        def done(current):
            # Only a hooks-only update cannot be confirmed by reading: it is sent again.
            return bool(changed_fields) and not compare(current, params)[2]

        def refresh_fields(current):
            changed_fields[:] = compare(current, params)[2] or changed_fields

        return self.write("update", instance, send, done, frozenset(), refresh_fields)

    def start(self, instance):
        return self.write("start", instance, lambda current: self.api.start(current["id"]),
                          lambda current: current.get("status") in ("STARTING", "RUNNING"), START_CONFLICTS)

    def stop(self, instance):
        return self.write("stop", instance, lambda current: self.api.stop(current["id"]),
                          lambda current: current.get("status") in ("STOPPING", "STOPPED"), STOP_CONFLICTS)

    def write(self, action, instance, send, done, conflicts, refresh=None):
        """Send one write. After a passing failure (which may have been applied) or a conflict answer (which may
        mean "already done"), read the instance again: if the write's effect is there, it is done; else it is
        sent again after the backoff or the Retry-After asked for, at most max_retries times."""
        attempt = 0
        while True:
            try:
                answer = send(instance)
            except ModelArtsError as error:
                if not (error.transient or error.error_code in conflicts):
                    raise
                attempt += 1
                instance = self.api.show(instance["id"])
                if done(instance):
                    break
                if attempt > self.params["max_retries"]:
                    raise
                time.sleep(max(backoff_delay(attempt), error.retry_after or 0))
                if refresh:
                    refresh(instance)
                continue
            instance = _merged(instance, answer)
            break
        self.result["actions"].append(action)
        return instance


def _merged(instance, answer):
    """The instance updated with a write's answer, which may hold only some fields."""
    merged = dict(instance)
    merged.update(answer or {})
    return merged


def _reason(instance):
    return " (fail_reason: %s)" % instance["fail_reason"] if instance.get("fail_reason") else ""


def _message(error):
    return getattr(error, "message", None) or str(error)


def main():
    NotebookInstance.main()


if __name__ == "__main__":
    main()
