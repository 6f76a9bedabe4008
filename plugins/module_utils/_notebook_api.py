# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The notebook calls of the ModelArts API, the lookup by id or exact name, and waiting for a status."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import NOTEBOOK_NOT_FOUND, NotFound
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._lookup import exactly_one, looks_like_uuid
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import FAILED
from ansible_collections.hwcloud.modelarts.plugins.module_utils._paging import list_all
from ansible_collections.hwcloud.modelarts.plugins.module_utils._resource import Kind, ResourceAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._waiter import wait_for_status

# The largest page the list call allows: fewest requests per project.
PAGE_SIZE = 50
# A notebook instance in messages and results: its token is a secret.
NOTEBOOK = Kind("notebook instance", "notebook", reason_key="fail_reason", secret_keys=("token",))


class NotebookNotFound(NotFound):
    """No instance has the exact name asked for."""


def _workspace_query(instance):
    """The tags calls take the instance's workspace, except the default one ("0")."""
    workspace = instance.get("workspace_id")
    return [("workspace_id", workspace)] if workspace and workspace != "0" else []


class NotebookAPI(ResourceAPI):
    collection = "notebooks"
    kind = NOTEBOOK
    not_found = NOTEBOOK_NOT_FOUND

    def update(self, notebook_id, body):
        return self.client.request(
            "PUT",
            self._path(notebook_id),
            "Updating notebook instance %s (%s)" % (notebook_id, ", ".join(sorted(body))),
            body=body,
        )

    def start(self, notebook_id, query):
        """Start; ``query`` sets the auto-stop lease of the run (``duration``, ``type``): see start_query()."""
        return self.client.request(
            "POST", self._path(notebook_id, "start"), "Starting notebook instance %s" % notebook_id, params=query
        )

    def stop(self, notebook_id):
        return self.client.request(
            "POST", self._path(notebook_id, "stop"), "Stopping notebook instance %s" % notebook_id
        )

    def create(self, body):
        return self.client.request("POST", self._path(), "Creating notebook instance %r" % body.get("name"), body=body)

    def delete(self, notebook_id):
        return self.client.request("DELETE", self._path(notebook_id), "Deleting notebook instance %s" % notebook_id)

    def renew_lease(self, notebook_id, body):
        """Turn auto-stop on (or change it) on a running instance: the countdown restarts with ``body``."""
        return self.client.request(
            "PATCH",
            self._path(notebook_id, "lease"),
            "Setting the auto-stop of notebook instance %s" % notebook_id,
            body=body,
        )

    def add_tags(self, instance, tags):
        """Add or overwrite ``tags`` ([{key, value}])."""
        return self.client.request(
            "POST",
            self._path(instance["id"], "tags", "create"),
            "Tagging notebook instance %s (%s)" % (instance["id"], ", ".join(t["key"] for t in tags)),
            params=_workspace_query(instance),
            body={"tags": tags},
        )

    def remove_tags(self, instance, tags):
        """Remove ``tags`` ([{key, value}]; the key decides)."""
        return self.client.request(
            "DELETE",
            self._path(instance["id"], "tags", "delete"),
            "Removing tags from notebook instance %s (%s)" % (instance["id"], ", ".join(t["key"] for t in tags)),
            params=_workspace_query(instance),
            body={"tags": tags},
        )

    def list(self, name=None, status=None, workspace_id=None, sort_key=None, sort_dir=None, all_users=False):
        """Every instance the list call returns for these filters, paging with the largest page.

        The user's own instances, or with ``all_users`` every user's (/notebooks/all, an administrator's view).
        """
        listing = "Listing %snotebook instances" % ("every user's " if all_users else "") + (
            "" if name is None else " named like %r" % name
        )
        params = [
            ("name", name),
            ("status", status),
            ("workspace_id", workspace_id),
            ("sort_key", sort_key),
            ("sort_dir", sort_dir),
        ]
        return list_all(self.client, self._path("all") if all_users else self._path(), listing, params, PAGE_SIZE)

    def in_workspace(self, workspace_id):
        """The instances in a workspace, every user's where the service allows it, and whether it did.

        /notebooks/all needs an administrator's rights; where it answers 403, the caller's own instances are what
        can be seen. An instance the service lists with another workspace is not in this one.
        """
        try:
            found, every_user = self.list(workspace_id=workspace_id, all_users=True), True
        except ModelArtsError as error:
            if error.status != 403:
                raise
            found, every_user = self.list(workspace_id=workspace_id), False
        return [nb for nb in found if str(nb.get("workspace_id", workspace_id)) == str(workspace_id)], every_user

    def find_by_name(self, name, workspace_id=None):
        """Instances whose name is exactly ``name`` (the list filter is fuzzy), and every name it matched."""
        candidates = self.list(name=name, workspace_id=workspace_id)
        return [nb for nb in candidates if nb.get("name") == name], [nb.get("name") for nb in candidates]

    def lookup(self, notebook_id=None, name=None, workspace_id=None):
        """The instance with this id, or the one instance named exactly ``name`` (in ``workspace_id`` if given).

        Raises NotebookNotFound when no instance has the name, and ModuleError naming the ids when several do.
        """
        if notebook_id:
            return self.show(notebook_id)
        matches, names = self.find_by_name(name, workspace_id)
        try:
            return exactly_one(NOTEBOOK, matches, name, names)
        except NotFound as error:
            raise NotebookNotFound(error.message) from None

    def resolve(self, reference, workspace_id=None):
        """The instance a user names by id or by exact name (an unknown id-like reference is tried as a name)."""
        instance = self.show_if_exists(reference) if looks_like_uuid(reference) else None
        return instance if instance is not None else self.lookup(name=reference, workspace_id=workspace_id)

    def wait(self, instance, targets, timeout, waiting_for):
        """Poll until the status is one of ``targets``; fail on a failed status or after ``timeout`` seconds."""
        notebook_id = instance["id"]
        return wait_for_status(
            NOTEBOOK, instance, lambda: self.show(notebook_id), targets, timeout, waiting_for, FAILED
        )
