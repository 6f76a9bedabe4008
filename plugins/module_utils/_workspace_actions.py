# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The writes on one workspace (create, update, delete), and how a delete names the notebooks it would take.

Each write goes through the write protocol: a create whose answer was lost is looked for by name and never
sent again; an update or a delete is read back before being sent again.
"""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import WORKSPACE_NOT_FOUND
from ansible_collections.hwcloud.modelarts.plugins.module_utils._workspace_api import WORKSPACE
from ansible_collections.hwcloud.modelarts.plugins.module_utils._workspace_rules import compare, update_body
from ansible_collections.hwcloud.modelarts.plugins.module_utils._write_protocol import (
    Making,
    delete_with_read_back,
    look_out_seconds,
    write_with_read_back,
)

# The notebook fields a refused delete reports (never the notebook's token).
NOTEBOOK_FIELDS = ("id", "name", "status", "owner", "user", "workspace_id")


def public_notebooks(notebooks):
    """What a refused delete reports of each notebook: never its token."""
    return [{key: nb[key] for key in NOTEBOOK_FIELDS if key in nb} for nb in notebooks]


def describe_notebooks(notebooks):
    """``'a' (id 1, owner bob), ...`` for messages."""
    parts = []
    for nb in sorted(notebooks, key=lambda nb: (str(nb.get("name")), str(nb.get("id")))):
        # The service names the owner in ``user`` ({id, name}); some answers also carry ``owner``.
        user = nb.get("user")
        owner = (user.get("name") or user.get("id")) if isinstance(user, dict) else nb.get("owner")
        parts.append("%r (id %s%s)" % (nb.get("name"), nb.get("id"), ", owner %s" % owner if owner else ""))
    return ", ".join(parts)


class WorkspaceActions:
    """Carries out writes on one workspace and records each in ``done`` (the module's Decision.done).

    ``workspace`` is the workspace as last seen (None once deleted and gone).
    """

    def __init__(self, api, wait, wait_timeout, done):
        self.api = api
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.done = done
        self.workspace = None

    def create(self, body):
        """Create the workspace; a create answered CREATE_FAILED fails with its status_info.

        After a failure that may have been applied the workspace is looked for by name: adopted when found;
        never sent again after a lost answer (the service might still be making it).
        """
        name = body["name"]
        context = "after a create of workspace %r that may have been applied" % name
        self.workspace = write_with_read_back(
            self.api.client,
            None,
            lambda nothing, resending: self.api.create(body),
            lambda nothing: self.api.find(name=name, context=context),
            lambda found: found is not None,
            making=Making("a workspace named %r" % name, look_out_seconds(self.wait_timeout)),
        )
        self.done.append("create")
        if WORKSPACE.status(self.workspace) == "CREATE_FAILED":
            raise WORKSPACE.failure(
                "workspace %r (id %s) was created as CREATE_FAILED%s; remove it with state=absent before trying again"
                % (name, WORKSPACE.ident(self.workspace), WORKSPACE.reason(self.workspace)),
                self.workspace,
            )
        return self.workspace

    def update(self, workspace, params, fields):
        """One PUT of ``fields``; the workspace is then read again (the answer holds only its id)."""
        workspace_id = WORKSPACE.ident(workspace)

        def send(current, resending):
            # A resend carries what still differs after the read back.
            return self.api.update(workspace_id, update_body(params, compare(current, params).changed or fields))

        write_with_read_back(
            self.api.client,
            workspace,
            send,
            lambda current: self.api.show(workspace_id),
            lambda current: not compare(current, params).changed,
        )
        self.done.append("update")
        self.workspace = self.api.show(workspace_id)
        return self.workspace

    def delete(self, workspace):
        """DELETE the workspace (what it holds goes with it); with ``wait``, poll until it is gone."""
        workspace_id = WORKSPACE.ident(workspace)
        self.workspace = workspace
        dummy, deleted = delete_with_read_back(
            self.api.client,
            workspace,
            lambda current, resending: self.api.delete(workspace_id),
            lambda current: self.api.show_if_exists(workspace_id),
            lambda current: current is None or WORKSPACE.status(current) == "DELETING",
            WORKSPACE_NOT_FOUND,
        )
        if not deleted:
            self.workspace = None
            return None
        self.done.append("delete")
        # The answer holds only the id; from the DELETE on, the workspace is DELETING until it is gone.
        self.workspace = dict(workspace, status="DELETING")
        if self.wait:
            self.workspace = self.api.wait_gone(self.workspace, self.wait_timeout)
        return self.workspace

    def wait_gone(self, workspace):
        """A delete already under way: with ``wait``, poll until it ends."""
        self.workspace = workspace
        if self.wait:
            self.workspace = self.api.wait_gone(workspace, self.wait_timeout)
        return self.workspace
