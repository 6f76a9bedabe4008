#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: notebook_flavor_info
short_description: List the flavors a ModelArts notebook can be created with or switched to
version_added: 1.1.0
description:
  - Returns the flavors (machine specifications) that a notebook instance can be created with, filtered by
    O(category) and O(type); or, with O(notebook), the flavors that this instance can switch to.
  - Each flavor is returned as the API gives it (C(id), C(category), C(vcpus), C(memory), C(gpu), C(sold_out), ...),
    so a playbook can choose the O(hwcloud.modelarts.notebook_instance#module:flavor) of a notebook with Jinja filters
    instead of copying an ID from the console.
  - The flavor list is read in one request (the call answers every flavor at once when no page size is asked for);
    further pages are read only if the answer says there are more.
  - Read-only; it never changes anything.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - hwcloud.modelarts.connection
  - hwcloud.modelarts.attributes
  - hwcloud.modelarts.attributes.read_only
options:
  category:
    description:
      - Only flavors of this processor category.
      - With O(notebook), applied to the flavors the instance can switch to.
    type: str
    choices: [CPU, GPU, ASCEND]
  type:
    description:
      - Only flavors of shared (V(MANAGED)) or dedicated resource pools (V(DEDICATED)). Without it, both.
      - Cannot be combined with O(notebook).
    type: str
    choices: [MANAGED, DEDICATED]
  notebook:
    description:
      - The ID or the exact name of a notebook instance; the module then returns the flavors this instance can
        switch to instead of every flavor.
      - A value shaped like an ID is first read as an ID; otherwise, or when no instance has that ID, it is the
        exact name of exactly one instance (none or several is a failure that says what was found).
    type: str
notes:
  - Flavors that are sold out are returned too, with C(sold_out=true); filter them out when choosing one.
seealso:
  - module: hwcloud.modelarts.notebook_image_info
  - module: hwcloud.modelarts.notebook_instance
"""

EXAMPLES = r"""
- name: Every flavor of the region (credentials from HW_* environment variables)
  hwcloud.modelarts.notebook_flavor_info:
  register: all_flavors

- name: The GPU flavors of shared pools
  hwcloud.modelarts.notebook_flavor_info:
    category: GPU
    type: MANAGED
  register: gpu

- name: The smallest GPU flavor that is not sold out
  ansible.builtin.set_fact:
    smallest_gpu: "{{ gpu.flavors | rejectattr('sold_out') | sort(attribute='vcpus,memory') | map(attribute='id') | first }}"

- name: The flavors the team notebook can switch to
  hwcloud.modelarts.notebook_flavor_info:
    notebook: team-a-dev
  register: switchable

- name: Fail early when the wanted flavor is not one of them
  ansible.builtin.assert:
    that: "'modelarts.vm.cpu.8u' in switchable.flavors | map(attribute='id')"
    fail_msg: team-a-dev cannot switch to modelarts.vm.cpu.8u
"""

RETURN = r"""
flavors:
  description:
    - The flavors, as the API returns them. Always a list, empty when none match.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The flavor ID, the value of O(hwcloud.modelarts.notebook_instance#module:flavor).
      type: str
      sample: modelarts.vm.gpu.t4u8
    name:
      description: The flavor name.
      type: str
    category:
      description: The processor category, V(CPU), V(GPU) or V(ASCEND).
      type: str
      sample: GPU
    arch:
      description: The processor architecture, V(X86_64) or V(AARCH64) (spelled as the service does).
      type: str
    description:
      description: A short description of the resources.
      type: str
    vcpus:
      description: The number of vCPUs.
      type: int
      sample: 8
    memory:
      description: The memory in MB.
      type: int
      sample: 32768
    gpu:
      description: For GPU flavors, the number (C(gpu)), C(gpu_memory) and C(type) of the GPUs.
      type: dict
    ascend:
      description: For Ascend flavors, the Ascend accelerators.
      type: dict
    sold_out:
      description: Whether the flavor is sold out in the region (a notebook cannot be created with it then).
      type: bool
    free:
      description: Whether the flavor is free of charge.
      type: bool
    feature:
      description: What the flavor is for, V(NOTEBOOK) for billed instances.
      type: str
    storages:
      description: The volume categories the flavor supports, for example V(EVS).
      type: list
      elements: str
    billing:
      description: The billing C(code) and C(unit_num).
      type: dict
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._catalog_api import FlavorAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NotebookAPI


class NotebookFlavorInfo(ModelArtsModule):
    argument_spec = {
        "category": {"type": "str", "choices": ["CPU", "GPU", "ASCEND"]},
        "type": {"type": "str", "choices": ["MANAGED", "DEDICATED"]},
        "notebook": {"type": "str"},
    }
    module_kwargs = {"mutually_exclusive": [("notebook", "type")]}

    def run(self):
        client = self.connect()
        params = self.params
        flavors_api = FlavorAPI(client)
        if params.get("notebook") is None:
            self.result["flavors"] = flavors_api.list(category=params.get("category"), flavor_type=params.get("type"))
            return
        instance = NotebookAPI(client).resolve(params["notebook"])
        flavors = flavors_api.switchable(instance["id"])
        if params.get("category"):
            flavors = [flavor for flavor in flavors if flavor.get("category") == params["category"]]
        self.result["flavors"] = flavors


def main():
    NotebookFlavorInfo.main()


if __name__ == "__main__":
    main()
