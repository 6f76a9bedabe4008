#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: notebook_instances
short_description: Bring many ModelArts notebook instances to shape at once
version_added: 1.1.0
description:
  - Applies a list of notebook definitions, each made of the options of M(hwcloud.modelarts.notebook_instance),
    at most O(concurrency) at once, in one task. Each definition is carried out exactly as
    M(hwcloud.modelarts.notebook_instance) would (the same checks, requests, waits, C(changed), C(actions) and diff);
    they only run side by side, each with its own connection.
  - A fleet whose every instance needs a restart takes about as long as its slowest few instances, not as long
    as all of them in a row.
  - A definition that fails never stops the others. When any failed, the task fails at the end with a message
    naming each failed definition and its error, and RV(results) holds the outcome of every definition.
  - A definition with bad input fails before any request about it is sent. Two definitions may not address the
    same instance (the same C(id), or the same C(name) in the same workspace); both fail before any request,
    since two changes of one instance at once would race.
  - The role P(hwcloud.modelarts.notebooks#role) is built on this module.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - hwcloud.modelarts.connection
  - hwcloud.modelarts.attributes
  - hwcloud.modelarts.attributes.write
attributes:
  diff_mode:
    details:
      - One diff per definition that changes (or would change), headed by the instance's ID or name; each entry of
        RV(results) also holds its own C(diff).
options:
  notebooks:
    description:
      - The notebook definitions. Each item takes the options of M(hwcloud.modelarts.notebook_instance) (for example
        C(id) or C(name), C(flavor), C(description), C(endpoints), C(tags), C(auto_stop), C(state),
        C(allow_restart), C(wait) and C(wait_timeout)), with the same types, defaults and rules, except the
        connection options, which are set once for the task.
      - An empty list does nothing.
    type: list
    elements: dict
    required: true
  concurrency:
    description:
      - How many definitions are applied at once, at most. 1 applies them one after the other.
      - The rest wait for a free place, in the order of O(notebooks).
    type: int
    default: 10
notes:
  - Results come back when every definition has ended. For long waits on a remote host, run the task with
    C(async) and C(poll) as any long task.
seealso:
  - module: hwcloud.modelarts.notebook_instance
    description: The options of each definition, and what a definition does.
"""

EXAMPLES = r"""
- name: Restart-free changes and a new flavor for a team's notebooks, five at a time
  hwcloud.modelarts.notebook_instances:
    region: cn-north-4
    project_id: "{{ project_id }}"
    concurrency: 5
    notebooks:
      - name: team-a-dev
        description: Team A development notebook
        tags:
          team: a
      - name: team-b-dev
        flavor: modelarts.vm.cpu.8u
        allow_restart: true
      - id: 6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c
        state: stopped
  register: fleet

- name: Show what changed on each instance
  ansible.builtin.debug:
    msg: "{{ item.item.name | default(item.item.id) }}: {{ item.actions | join(', ') or 'unchanged' }}"
  loop: "{{ fleet.results }}"
  loop_control:
    label: "{{ item.item.name | default(item.item.id) }}"

- name: Delete the notebooks no longer needed (a failure is reported at the end, the others go on)
  hwcloud.modelarts.notebook_instances:
    notebooks:
      - name: old-a
        state: absent
      - name: old-b
        state: absent
"""

RETURN = r"""
results:
  description:
    - The outcome of each definition, in the order of O(notebooks).
    - A definition that never ran (bad input, or its instance given twice) has C(failed), C(msg) and no C(actions).
  returned: always
  type: list
  elements: dict
  contains:
    item:
      description: The definition as given.
      type: dict
      sample: {"name": "team-b-dev", "flavor": "modelarts.vm.cpu.8u", "allow_restart": true}
    changed:
      description: Whether this definition changed (or, in check mode, would change) its instance.
      type: bool
    actions:
      description: The writes done, in order (in check mode, the writes that would be done), as
        RV(hwcloud.modelarts.notebook_instance#module:actions) of M(hwcloud.modelarts.notebook_instance).
      type: list
      elements: str
      sample: [stop, update, start]
    notebook:
      description: The instance after the run, without its C(token), as
        RV(hwcloud.modelarts.notebook_instance#module:notebook) of M(hwcloud.modelarts.notebook_instance).
      type: dict
    diff:
      description: C(before) and C(after) of what this definition changes (diff mode only).
      type: dict
    failed:
      description: Whether this definition failed.
      type: bool
    msg:
      description: Why this definition failed.
      type: str
      sample: >-
        notebook instance team-b-dev is RUNNING: updating flavor needs a restart; set allow_restart=true to allow it
    error:
      description: The service's answer to the failed call, as
        RV(hwcloud.modelarts.notebook_instance#module:error) of M(hwcloud.modelarts.notebook_instance).
      type: dict
diff:
  description: One C(before)/C(after) pair per changed definition, headed by the instance's ID or name.
  returned: in diff mode, when a definition changes
  type: list
  elements: dict
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._connection import client_from_params
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, RuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_fleet import Fleet


class NotebookInstances(ModelArtsModule):
    argument_spec = {
        "notebooks": {"type": "list", "elements": "dict", "required": True},
        "concurrency": {"type": "int", "default": 10},
    }

    fleet = None

    def run(self):
        if self.params["concurrency"] < 1:
            raise RuleError("concurrency must be 1 or more, got %d" % self.params["concurrency"])
        # The connection options are checked once, before any definition runs; each definition gets its own client.
        self.connect()
        self.fleet = Fleet(
            self.params["notebooks"],
            lambda: client_from_params(self.params),
            self.new_decision,
            warn=self.module.warn,
        )
        self.fleet.run(self.params["concurrency"])
        if self.fleet.failed:
            raise ModuleError(self.fleet.failure_message())

    def prepare_result(self):
        result = super().prepare_result()
        if self.fleet is not None:
            self.mask(*self.fleet.secrets)
            result.update(self.fleet.result())
        return result


def main():
    NotebookInstances.main()


if __name__ == "__main__":
    main()
