#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: workspace
short_description: Create, update and delete a ModelArts workspace
version_added: 1.2.0
description:
  - Brings one Huawei Cloud ModelArts workspace to the requested shape (name, description, access and granted
    users), creating it when no workspace has the requested name, and deletes it with O(state=absent).
  - Workspaces separate the notebooks and images of teams on one project; the other modules of the collection take
    its ID as their C(workspace_id).
  - Only the options given are compared with the live workspace, and those that differ are sent in one update.
    A workspace already in shape costs one request (the list by name, or the read by O(id)), plus one read when
    O(grants) is given, as the list does not carry them; the task then reports C(changed=false).
  - Every input rule of the service is checked before any request is sent.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - hwcloud.modelarts.connection
  - hwcloud.modelarts.attributes
  - hwcloud.modelarts.attributes.write
attributes:
  diff_mode:
    details:
      - C(before) and C(after) of the requested fields that differ; for a delete, the workspace and the notebooks
        it holds in C(before).
options:
  id:
    description:
      - The ID of the workspace (32 characters; V(0) is the default workspace). The workspace must exist (the
        service assigns IDs), except with O(state=absent), where an unknown ID means there is nothing to delete.
      - With O(id), O(name) is the name the workspace should have.
      - The default workspace can have its description, access and grants changed, but it is never renamed or
        deleted; such a task fails before any request.
      - One of O(id) and O(name) is required.
    type: str
  name:
    description:
      - The exact name of the workspace (the list API's own name filter is a fuzzy match; the module keeps only the
        exact match). With O(id), the name it should have.
      - 4 to 64 characters, each a letter, digit, C(-), C(_) or Chinese character. V(default) is the default
        workspace's name; it is never created, and with O(state=absent) refused.
      - Names are unique on a project; the service refuses a second workspace of a name.
    type: str
  description:
    description:
      - The description, at most 256 characters.
    type: str
  auth_type:
    description:
      - Who may use the workspace. V(PUBLIC) (the service's default) is every user of the account, V(PRIVATE) its
        creator and the main account, V(INTERNAL) also the users of O(grants).
      - Compared without regard to case (the service answers in lower case).
    type: str
    choices: [PUBLIC, PRIVATE, INTERNAL]
  grants:
    description:
      - The users granted an INTERNAL workspace, at most 500. Compared as a set with the workspace's grants, each
        user by O(grants[].user_id) when given, else by O(grants[].user_name), and by type; an update sends the
        whole list, so users not listed lose their access. V([]) removes every grant.
      - Only with O(auth_type=INTERNAL), or on a workspace that already is; otherwise the task fails before any
        write.
    type: list
    elements: dict
    suboptions:
      user_id:
        description: The IAM user's ID. One of O(grants[].user_id) and O(grants[].user_name) is required.
        type: str
      user_name:
        description: The IAM user's name.
        type: str
      user_type:
        description: V(IAM) for an IAM user, V(FEDERATE) for a federated user, V(AGENCY) for an agency.
        type: str
        choices: [IAM, FEDERATE, AGENCY]
        default: IAM
  enterprise_project_id:
    description:
      - The enterprise project of a new workspace. Set at creation only; on an existing workspace it is compared with
        the workspace's (V(0) when it has none), and a difference is a failure, before any write.
    type: str
  state:
    description:
      - V(present) creates the workspace if no workspace has the name, and applies the requested fields.
      - V(absent) deletes it with everything it holds. The module first lists the notebooks in it, every user's
        (which needs an administrator's rights; where the service refuses that, the caller's own, with a warning),
        and fails naming them unless O(delete_contents=true).
      - A workspace already gone, or deleted by someone else during the run, is V(ok) and unchanged; one already
        DELETING is waited for (with O(wait)) and unchanged.
    type: str
    choices: [present, absent]
    default: present
  delete_contents:
    description:
      - With O(state=absent), delete the workspace even though it holds notebooks, which are deleted with it.
      - The notebooks are listed first in any case, and reported in the failure when this is V(false).
    type: bool
    default: false
  wait:
    description:
      - After a delete, poll until the service no longer knows the workspace (DELETE_FAILED is a failure with its
        C(status_info)). With V(false), the task returns once the service accepted the delete (the workspace is
        DELETING).
      - A create needs no wait; the service answers it with the workspace NORMAL, or CREATE_FAILED (a failure with
        its C(status_info)).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for a delete to end. A timeout is a failure that names the last status seen.
      - Also how long a create whose answer was lost is looked for (at most 60 seconds), see the notes.
    type: int
    default: 600
notes:
  - After an error answer to a create that may have been applied (a 5xx or 429, a malformed answer) the module
    lists the workspaces by exact name once and adopts what it finds, or sends the create again. After a timeout or
    a connection lost after sending, it never sends the create again; it looks for the workspace by exact name with
    the poll schedule of its waits for up to O(wait_timeout) seconds (at most 60) and adopts it when it appears, or
    fails saying that running the task again adopts it. So one task never makes two workspaces.
  - A delete or an update whose answer was lost is read back before anything is sent again.
  - A workspace in CREATE_FAILED or DELETE_FAILED makes a O(state=present) task fail with its C(status_info);
    O(state=absent) deletes it. One that is DELETING cannot be changed.
  - The workspace list pages by page number, up to 1000 workspaces a page; the module reads every page.
seealso:
  - module: hwcloud.modelarts.workspace_info
  - module: hwcloud.modelarts.notebook_instance_info
    description: With O(hwcloud.modelarts.notebook_instance_info#module:all_users=true), what a workspace holds.
  - name: Workspace management (ModelArts API reference)
    description: The calls this module makes.
    link: https://support.huaweicloud.com/intl/en-us/api-modelarts/CreateWorkspace.html
"""

EXAMPLES = r"""
- name: A workspace for team A, open to two IAM users (credentials from HW_* variables)
  hwcloud.modelarts.workspace:
    name: team-a
    description: Notebooks and images of team A
    auth_type: INTERNAL
    grants:
      - user_name: alice
      - user_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
  register: team_a

- name: A notebook in it
  hwcloud.modelarts.notebook_instance:
    name: team-a-dev
    workspace_id: "{{ team_a.workspace.id }}"
    flavor: modelarts.vm.cpu.2u
    image_id: e1a07296-22a8-4f05-8bc8-e936c8e54202

- name: Rename it, by ID
  hwcloud.modelarts.workspace:
    id: "{{ team_a.workspace.id }}"
    name: team-a-2025

- name: Delete a workspace and every notebook in it
  hwcloud.modelarts.workspace:
    name: team-a-2025
    state: absent
    delete_contents: true
"""

RETURN = r"""
workspace:
  description:
    - The workspace after the run, as the API returns it (with its C(grants) when it was read by ID or updated). In
      check mode, the workspace as it is now.
    - On a failure after the workspace was read, the last state seen.
  returned: when the workspace was found or created (after a delete, as last seen, or absent once it is gone)
  type: dict
  contains:
    id:
      description: The workspace ID.
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
      sample: internal
    grants:
      description: The granted users, each with C(user_id), C(user_name) and C(user_type).
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
      sample: NORMAL
    status_info:
      description: Why the workspace is in a failed status.
      type: str
    create_time:
      description: When it was created (ms since the epoch).
      type: int
    update_time:
      description: When it was last changed (ms since the epoch).
      type: int
notebooks:
  description:
    - When a delete is refused because the workspace holds notebooks, those notebooks (C(id), C(name), C(status),
      and C(owner) or C(user) when the service gives them).
  returned: on that failure
  type: list
  elements: dict
actions:
  description:
    - The writes done, from V(create), V(update) and V(delete). In check mode, the writes that would be done.
  returned: always
  type: list
  elements: str
  sample: [update]
diff:
  description:
    - With C(--diff), C(before) and C(after) of the requested fields that differ (C(grants) as a sorted list). For a
      create, C(before) is empty; for a delete, C(after) is empty.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"auth_type": "PUBLIC"}, "after": {"auth_type": "INTERNAL"}}
error:
  description: On a failed API call, what the service said.
  returned: on an API failure
  type: dict
  contains:
    action:
      description: What was attempted.
      type: str
      sample: Updating workspace 0a1b2c3d4e5f60718293a4b5c6d7e8f9 (description)
    status:
      description: The HTTP status, or null when no answer came.
      type: int
      sample: 400
    error_code:
      description: The service's error code.
      type: str
      sample: ModelArts.7004
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

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, NotFound
from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NotebookAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._workspace_actions import (
    WorkspaceActions,
    describe_notebooks,
    public_notebooks,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._workspace_api import WORKSPACE, WorkspaceAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._workspace_rules import (
    AUTH_TYPES,
    USER_TYPES,
    check_create_only,
    check_grants_apply,
    compare,
    create_body,
    requested,
    validate,
)


class Workspace(ModelArtsModule):
    argument_spec = {
        "id": {"type": "str"},
        "name": {"type": "str"},
        "description": {"type": "str"},
        "auth_type": {"type": "str", "choices": list(AUTH_TYPES)},
        "grants": {
            "type": "list",
            "elements": "dict",
            "options": {
                "user_id": {"type": "str"},
                "user_name": {"type": "str"},
                "user_type": {"type": "str", "choices": list(USER_TYPES), "default": "IAM"},
            },
        },
        "enterprise_project_id": {"type": "str"},
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        "delete_contents": {"type": "bool", "default": False},
        "wait": {"type": "bool", "default": True},
        "wait_timeout": {"type": "int", "default": 600},
    }
    module_kwargs = {"required_one_of": [("id", "name")]}

    reports_actions = True
    actions = None

    def run(self):
        params = self.params
        validate(params)
        client = self.connect()
        self.api = WorkspaceAPI(client)
        self.actions = WorkspaceActions(self.api, params["wait"], params["wait_timeout"], self.decision.done)
        workspace = self.api.find(params.get("id"), params.get("name"))
        self.actions.workspace = workspace
        if params["state"] == "absent":
            self.delete(client, workspace)
        elif workspace is None:
            if params.get("id"):
                raise NotFound(
                    "no workspace has id %r (the service assigns ids: give name alone to create one)" % params["id"]
                )
            self.create()
        else:
            self.bring_to_shape(workspace)

    def create(self):
        check_grants_apply(None, self.params)
        if self.decision.decide(["create"], {}, requested(self.params)):
            self.actions.create(create_body(self.params))

    def bring_to_shape(self, workspace):
        params = self.params
        status = WORKSPACE.status(workspace)
        if status in ("CREATE_FAILED", "DELETE_FAILED", "DELETING"):
            remedy = (
                ": it cannot be changed until the delete ends"
                if status == "DELETING"
                else ("; state=absent deletes it")
            )
            raise WORKSPACE.failure(
                "%s (%r) is %s%s%s"
                % (WORKSPACE.describe(workspace), workspace.get("name"), status, WORKSPACE.reason(workspace), remedy),
                workspace,
            )
        check_create_only(workspace, params)
        if params.get("grants") is not None and "grants" not in workspace:
            # The list does not carry the grants: one read of the workspace does.
            workspace = self.actions.workspace = self.api.show(WORKSPACE.ident(workspace))
        check_grants_apply(workspace, params)
        comparison = compare(workspace, params)
        actions = ["update"] if comparison.changed else []
        if self.decision.decide(actions, comparison.before, comparison.after):
            self.actions.update(workspace, params, comparison.changed)

    def delete(self, client, workspace):
        if workspace is None:
            self.decision.decide([], {}, {})
            return
        if WORKSPACE.status(workspace) == "DELETING":
            # Someone's delete is under way: nothing to send.
            self.decision.decide([], {}, {})
            self.actions.wait_gone(workspace)
            return
        workspace_id = WORKSPACE.ident(workspace)
        # What a delete takes with it: every user's notebooks in the workspace.
        found, every_user = NotebookAPI(client).in_workspace(workspace_id)
        notebooks = public_notebooks(found)
        if not every_user:
            self.module.warn(
                "listing every user's notebooks in workspace %s was refused (it needs an administrator's rights): only "
                "your own notebooks were looked for, and a delete takes any other user's with it" % workspace_id
            )
        if notebooks and not self.params["delete_contents"]:
            raise ModuleError(
                "workspace %s (%r) holds %d notebook%s, which deleting it would delete too: %s; give "
                "delete_contents=true to delete them with it"
                % (
                    workspace_id,
                    workspace.get("name"),
                    len(notebooks),
                    "" if len(notebooks) == 1 else "s",
                    describe_notebooks(notebooks),
                ),
                workspace=workspace,
                notebooks=notebooks,
            )
        before = {key: workspace.get(key) for key in ("id", "name", "status")}
        if notebooks:
            before["notebooks"] = sorted(str(nb.get("name")) for nb in notebooks)
        if self.decision.decide(["delete"], before, {}):
            self.actions.delete(workspace)

    def prepare_result(self):
        result = super().prepare_result()
        if self.actions is not None and self.actions.workspace is not None:
            result["workspace"] = self.actions.workspace
        return result


def main():
    Workspace.main()


if __name__ == "__main__":
    main()
