# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The dynamic storage calls of a notebook: list, show, attach, detach."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import MOUNT_NOT_FOUND
from ansible_collections.hwcloud.modelarts.plugins.module_utils._resource import Kind, ResourceAPI

# A mount in messages and results: its path says which one it is.
MOUNT = Kind("mount", "mount", id_key="mount_path", reason_key="failure_reason")


class MountAPI(ResourceAPI):
    """The mounts of one notebook: a resource under the notebook's path."""

    kind = MOUNT
    not_found = MOUNT_NOT_FOUND

    def __init__(self, client, notebook_id):
        super().__init__(client)
        self.notebook_id = notebook_id

    def _path(self, *segments):
        return self.client.project_path("notebooks", self.notebook_id, "storage", *segments)

    def list(self):
        """The notebook's storage list (at most ten mounts: one answer)."""
        answer = self.client.request(
            "GET", self._path(), "Listing the mounts of notebook instance %s" % self.notebook_id
        )
        return [mount for mount in answer.get("data") or [] if isinstance(mount, dict)]

    def show(self, resource_id):
        return self.client.request(
            "GET",
            self._path(resource_id),
            "Reading mount %s of notebook instance %s" % (resource_id, self.notebook_id),
        )

    def attach(self, body):
        return self.client.request(
            "POST",
            self._path(),
            "Attaching %s at %s to notebook instance %s" % (body["uri"], body["mount_path"], self.notebook_id),
            body=body,
        )

    def detach(self, mount):
        return self.client.request(
            "DELETE",
            self._path(mount["id"]),
            "Detaching %s from notebook instance %s" % (mount.get("mount_path"), self.notebook_id),
        )
