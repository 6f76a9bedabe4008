# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The workspace calls of the ModelArts API, the lookup by id or exact name, and the wait for a delete."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import WORKSPACE_NOT_FOUND
from ansible_collections.hwcloud.modelarts.plugins.module_utils._lookup import at_most_one
from ansible_collections.hwcloud.modelarts.plugins.module_utils._paging import list_all
from ansible_collections.hwcloud.modelarts.plugins.module_utils._resource import Kind, ResourceAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._waiter import wait

# The largest page the list call allows (and its default); its offset counts pages.
PAGE_SIZE = 1000
WORKSPACE = Kind("workspace", "workspace", reason_key="status_info")


class WorkspaceAPI(ResourceAPI):
    collection = "workspaces"
    kind = WORKSPACE
    not_found = WORKSPACE_NOT_FOUND

    def list(self, name=None, enterprise_project_id=None):
        """Every workspace for these filters (``name`` is the service's fuzzy match), in pages of 1000."""
        listing = "Listing workspaces" + ("" if name is None else " named like %r" % name)
        params = [("name", name), ("enterprise_project_id", enterprise_project_id)]
        return list_all(
            self.client,
            self._path(),
            listing,
            params,
            PAGE_SIZE,
            item_keys=("workspaces",),
            total_key="total_count",
            offset_counts_pages=True,
        )

    def find_by_name(self, name, enterprise_project_id=None):
        """Workspaces named exactly ``name`` (the list filter is fuzzy)."""
        return [ws for ws in self.list(name, enterprise_project_id) if ws.get("name") == name]

    def find(self, workspace_id=None, name=None, context="looking for it"):
        """The workspace with this id, or the one named exactly ``name``; None when there is none.

        The service refuses a second workspace of a name, but if several ever answer, the failure names their ids.
        """
        if workspace_id:
            return self.show_if_exists(workspace_id)
        return at_most_one(WORKSPACE, self.find_by_name(name), name, context)

    def create(self, body):
        return self.client.request("POST", self._path(), "Creating workspace %r" % body.get("name"), body=body)

    def update(self, workspace_id, body):
        return self.client.request(
            "PUT",
            self._path(workspace_id),
            "Updating workspace %s (%s)" % (workspace_id, ", ".join(sorted(body))),
            body=body,
        )

    def delete(self, workspace_id):
        return self.client.request("DELETE", self._path(workspace_id), "Deleting workspace %s" % workspace_id)

    def quotas(self, workspace_id):
        """The workspace's quotas, as the API lists them."""
        answer = self.client.request(
            "GET", self._path(workspace_id, "quotas"), "Reading the quotas of workspace %s" % workspace_id
        )
        return answer.get("quotas") or []

    def wait_gone(self, workspace, timeout):
        """Poll until the service no longer knows the workspace; DELETE_FAILED fails with its status_info."""
        workspace_id = WORKSPACE.ident(workspace)
        return wait(
            WORKSPACE,
            workspace,
            lambda: self.show_if_exists(workspace_id),
            lambda current: current is None,
            timeout,
            "Waiting for workspace %s to be deleted" % workspace_id,
            failed={"DELETE_FAILED"},
            awaited="the workspace to be gone",
        )
