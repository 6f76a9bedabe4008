#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: workspace_info
short_description: List and inspect ModelArts workspaces and their quotas
version_added: 1.2.0
description:
  - Returns the workspaces of a project, all of them or those matching O(id), O(name) or O(enterprise_project_id),
    each as the API returns it, and with O(quotas=true) each one's quotas.
  - Reads every page of the list with the largest page it allows (1000), so N workspaces cost ceil(N/1000)
    requests, plus one per workspace with O(quotas=true).
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
      - The ID of one workspace (V(0) is the default workspace). An unknown ID gives an empty
        O(ignore:workspaces) list, not a failure.
      - Read by ID, the workspace carries its C(grants); listed, it does not.
      - Cannot be combined with O(name) or O(enterprise_project_id).
    type: str
  name:
    description:
      - A workspace name, matched as O(name_match) says.
    type: str
  name_match:
    description:
      - V(exact) keeps only the workspace named exactly O(name); V(fuzzy) is the service's own match (the name
        contains O(name)).
    type: str
    choices: [exact, fuzzy]
    default: exact
  enterprise_project_id:
    description:
      - Only the workspaces of this enterprise project, filtered by the service.
    type: str
  quotas:
    description:
      - Add each workspace's quotas (one request per workspace) as its C(quotas).
    type: bool
    default: false
notes:
  - Without any filter, every workspace of the project is returned, the default one included.
seealso:
  - module: hwcloud.modelarts.workspace
"""

EXAMPLES = r"""
- name: Every workspace of the project (credentials from HW_* environment variables)
  hwcloud.modelarts.workspace_info:
  register: all_workspaces

- name: The ID of team A's workspace, with its quotas
  hwcloud.modelarts.workspace_info:
    name: team-a
    quotas: true
  register: team_a

- name: Print how much of each quota it uses
  ansible.builtin.debug:
    msg: "{{ team_a.workspaces[0].quotas | items2dict(key_name='resource', value_name='used_quota') }}"

- name: The workspaces whose name contains "team"
  hwcloud.modelarts.workspace_info:
    name: team
    name_match: fuzzy
"""

RETURN = r"""
workspaces:
  description:
    - The matching workspaces, as the API returns them. Always a list, empty when none match.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The workspace ID (V(0) for the default workspace).
      type: str
      sample: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
    name:
      description: The workspace name.
      type: str
      sample: team-a
    description:
      description: The description.
      type: str
    auth_type:
      description: V(PUBLIC), V(PRIVATE) or V(INTERNAL), as the service spells it (often lower case).
      type: str
    grants:
      description: The granted users (C(user_id), C(user_name), C(user_type)); only when read by O(id).
      type: list
      elements: dict
    owner:
      description: The user who created the workspace.
      type: str
    enterprise_project_id:
      description: The enterprise project.
      type: str
    status:
      description: V(NORMAL), V(CREATE_FAILED), V(DELETING) or V(DELETE_FAILED).
      type: str
    status_info:
      description: Why the workspace is in a failed status.
      type: str
    quotas:
      description:
        - With O(quotas=true), the workspace's quotas, each with C(resource), C(quota) (V(-1) is unlimited),
          C(used_quota), C(min_quota), C(max_quota), C(name_en) and C(unit_en).
      type: list
      elements: dict
      sample: [{"resource": "notebook", "quota": -1, "used_quota": null, "name_en": "Notebook", "unit_en": "count"}]
error:
  description: On a failed API call, what the service said (C(action), C(status), C(error_code), C(error_msg), C(request_id), C(reason)).
  returned: on an API failure
  type: dict
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
from ansible_collections.hwcloud.modelarts.plugins.module_utils._workspace_api import WorkspaceAPI


class WorkspaceInfo(ModelArtsModule):
    argument_spec = {
        "id": {"type": "str"},
        "name": {"type": "str"},
        "name_match": {"type": "str", "choices": ["exact", "fuzzy"], "default": "exact"},
        "enterprise_project_id": {"type": "str"},
        "quotas": {"type": "bool", "default": False},
    }
    module_kwargs = {"mutually_exclusive": [("id", "name"), ("id", "enterprise_project_id")]}

    def run(self):
        api = WorkspaceAPI(self.connect())
        params = self.params
        if params.get("id"):
            found = api.show_if_exists(params["id"])
            workspaces = [] if found is None else [found]
        elif params.get("name") is not None and params["name_match"] == "exact":
            workspaces = api.find_by_name(params["name"], params.get("enterprise_project_id"))
        else:
            workspaces = api.list(name=params.get("name"), enterprise_project_id=params.get("enterprise_project_id"))
        if params["quotas"]:
            workspaces = [dict(ws, quotas=api.quotas(ws["id"])) for ws in workspaces]
        self.result["workspaces"] = workspaces


def main():
    WorkspaceInfo.main()


if __name__ == "__main__":
    main()
