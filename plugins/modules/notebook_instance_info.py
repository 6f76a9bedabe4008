#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: notebook_instance_info
short_description: List and inspect ModelArts notebook instances
version_added: 1.0.0
description:
  - Returns the notebook instances of a project, all of them or those matching O(id), O(name) or O(status),
    each as the API returns it, without its access token; the caller's own instances, or with O(all_users=true)
    every user's.
  - Pages through the list API with the largest page it allows (50), so N instances cost ceil(N/50) requests.
  - Read-only; it never changes anything.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - hwcloud.modelarts.connection
  - hwcloud.modelarts.attributes
  - hwcloud.modelarts.attributes.read_only
options:
  id:
    description:
      - The ID of one instance. An unknown ID gives an empty O(ignore:notebooks) list, not a failure.
      - Cannot be combined with O(name), O(status), O(workspace_id), O(sort_key), O(sort_dir) or O(all_users).
    type: str
  name:
    description:
      - An exact instance name. Several instances may share it, so the result is a list.
      - The list API's own name filter is a fuzzy match; this module keeps only exact matches.
    type: str
  status:
    description:
      - Only instances in this status, filtered by the service.
    type: str
    choices: [INIT, CREATING, STARTING, STOPPING, DELETING, RUNNING, STOPPED, SNAPSHOTTING, CREATE_FAILED, START_FAILED,
              DELETE_FAILED, ERROR, DELETED, FROZEN]
  workspace_id:
    description:
      - Only instances of this workspace, filtered by the service. V(0) is the default workspace.
    type: str
    version_added: 1.1.0
  sort_key:
    description:
      - The field the service sorts by, for example V(create_at) or V(name).
    type: str
  sort_dir:
    description:
      - The sort order, with O(sort_key).
    type: str
    choices: [ASC, DESC]
  all_users:
    description:
      - List the notebook instances of every user of the project (the service's C(/notebooks/all)), not only the
        caller's, with the same filters and paging. This is an administrator's view, which the service refuses
        (HTTP 403) to a user without the rights.
    type: bool
    default: false
    version_added: 1.2.0
notes:
  - Without any filter, every notebook instance of the project is returned.
seealso:
  - module: hwcloud.modelarts.notebook_instance
"""

EXAMPLES = r"""
- name: List every notebook of the project (credentials from HW_* environment variables)
  hwcloud.modelarts.notebook_instance_info:
  register: all_notebooks

- name: Show the names and flavors of the running ones
  hwcloud.modelarts.notebook_instance_info:
    status: RUNNING
  register: running

- name: Print them
  ansible.builtin.debug:
    msg: "{{ running.notebooks | map(attribute='name') | zip(running.notebooks | map(attribute='flavor')) | list }}"

- name: Look at one notebook by its exact name
  hwcloud.modelarts.notebook_instance_info:
    region: cn-north-4
    project_id: "{{ hw_project_id }}"
    auth_token: "{{ hw_iam_token }}"
    name: team-a-dev
  register: team_a

- name: Every user's notebooks in a workspace (needs an administrator's rights)
  hwcloud.modelarts.notebook_instance_info:
    workspace_id: "{{ team_a_workspace_id }}"
    all_users: true
  register: team_a_notebooks

- name: Fail early when the notebook is missing
  ansible.builtin.assert:
    that: team_a.notebooks | length == 1
    fail_msg: team-a-dev does not exist (or is not unique)
"""

RETURN = r"""
notebooks:
  description:
    - The matching instances, as the API returns them, without their C(token). Always a list, empty when none match.
  returned: always
  type: list
  elements: dict
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
    status:
      description: The run status, for example V(RUNNING), V(STOPPED), V(STARTING) or V(ERROR).
      type: str
      sample: RUNNING
    fail_reason:
      description: Why the instance is in a failed status.
      type: str
    flavor:
      description: The flavor.
      type: str
      sample: modelarts.vm.cpu.2u
    image:
      description: The image, with its C(id), C(name), C(swr_path), C(tag), C(type) and C(arch).
      type: dict
      sample: {"id": "e1a07296-22a8-4f05-8bc8-e936c8e54202", "name": "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04"}
    volume:
      description: The disk, with its C(category), C(ownership), C(capacity) in GB, C(mount_path) and C(status).
      type: dict
      sample: {"category": "EVS", "ownership": "MANAGED", "capacity": 50, "mount_path": "/home/ma-user/work/"}
    endpoints:
      description: Remote access per service, with C(dev_service) or C(service), C(allowed_access_ips), C(ssh_keys) and C(uri).
      type: list
      elements: dict
      sample: [{"dev_service": "SSH", "allowed_access_ips": ["203.0.113.10"], "ssh_keys": ["team-a-keypair"]}]
    url:
      description: The URL of the notebook.
      type: str
    lease:
      description: The automatic stop settings (C(enable), C(type), C(duration) in ms, C(create_at), C(update_at)).
      type: dict
    feature:
      description: V(NOTEBOOK) for a billed instance, V(DEFAULT) for the free CodeLab one.
      type: str
    workspace_id:
      description: The workspace, V(0) by default.
      type: str
    pool:
      description: The dedicated resource pool (C(id), C(name)), when the instance runs in one.
      type: dict
    user:
      description: The user who owns the instance (C(id), C(name)); with O(all_users=true), any user of the project.
      type: dict
      version_added: 1.2.0
error:
  description: On a failed API call, what the service said (C(action), C(status), C(error_code), C(error_msg), C(request_id), C(reason)).
  returned: on an API failure
  type: dict
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NotebookAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import STATUSES, without_token


class NotebookInstanceInfo(ModelArtsModule):
    argument_spec = {
        "id": {"type": "str"},
        "name": {"type": "str"},
        "status": {"type": "str", "choices": list(STATUSES)},
        "workspace_id": {"type": "str"},
        "sort_key": {"type": "str", "no_log": False},
        "sort_dir": {"type": "str", "choices": ["ASC", "DESC"]},
        "all_users": {"type": "bool", "default": False},
    }
    module_kwargs = {
        "mutually_exclusive": [
            ("id", option) for option in ("name", "status", "workspace_id", "sort_key", "sort_dir", "all_users")
        ]
    }

    def run(self):
        api = NotebookAPI(self.connect())
        params = self.params
        if params.get("id"):
            found = api.show_if_exists(params["id"])
            notebooks = [] if found is None else [found]
        else:
            notebooks = api.list(
                name=params.get("name"),
                status=params.get("status"),
                workspace_id=params.get("workspace_id"),
                sort_key=params.get("sort_key"),
                sort_dir=params.get("sort_dir"),
                all_users=params["all_users"],
            )
            if params.get("name") is not None:
                notebooks = [nb for nb in notebooks if nb.get("name") == params["name"]]
        # Tokens are dropped, not also registered as no_log values (mask()): Ansible masks every string of the
        # result against every such value, quadratic over a long list, and nothing else here holds them.
        self.result["notebooks"] = [without_token(nb) for nb in notebooks]


def main():
    NotebookInstanceInfo.main()


if __name__ == "__main__":
    main()
