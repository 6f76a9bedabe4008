# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The writes on one image (save, register, delete) and the waits that follow them.

A save or register makes something: after a failure in doubt it is never sent again, only looked for (the write
protocol), so one task never makes two images nor takes two snapshots of a notebook. A delete is read back.
"""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import IMAGE_NOT_FOUND, ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_rules import DELETED, SNAPSHOTTING, label
from ansible_collections.hwcloud.modelarts.plugins.module_utils._write_protocol import (
    Making,
    delete_with_read_back,
    look_out_seconds,
    write_with_read_back,
)

# The service refuses a second image with the same namespace, name and tag ("tag cannot be duplicated").
DUPLICATE = "ModelArts.6737"
# What a notebook is after a save: back to RUNNING, or stopped by someone else meanwhile.
NOTEBOOK_SETTLED = ("RUNNING", "STOPPED")


class ImageActions:
    """Carries out the writes on one image and remembers what it did.

    ``done`` lists the writes done (the module's Decision.done); ``image`` is the image as last seen (None when
    there is none). ``notebooks`` (a NotebookAPI) reads the notebook a save snapshots; ``warn(text)`` reports a
    warning.
    """

    def __init__(self, api, notebooks, wait, wait_timeout, done, warn=None):
        self.api = api
        self.notebooks = notebooks
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.done = done
        self.warn = warn or (lambda text: None)
        self.image = None

    # ---- save and register -------------------------------------------------------------------------------
    def save(self, notebook, ident, body, workspace_id=None):
        """Save the RUNNING ``notebook`` as the image ``ident``; with wait, until the image is ACTIVE and the
        notebook RUNNING again."""
        image = self._make("save", ident, workspace_id, lambda: self.api.save(notebook["id"], body))
        if self.wait and image is not None:
            self.image = self.api.wait_ready(image, self.wait_timeout, "to be saved from notebook %s" % notebook["id"])
            self.notebook_running_again(notebook["id"])
        return self.image

    def register(self, ident, body, workspace_id=None):
        """Register the SWR image ``ident``; with wait, until it is ACTIVE."""
        image = self._make("register", ident, workspace_id, lambda: self.api.register(body))
        if self.wait and image is not None:
            self.image = self.api.wait_ready(image, self.wait_timeout, "to be registered")
        return self.image

    def _make(self, action, ident, workspace_id, send):
        """Send the save or register once; after a failure the image is looked up (adopted when found) before
        anything is sent again, and never sent again after a failure in doubt."""
        sent = []

        def send_once(nothing, resending):
            sent.append(resending)
            return send()

        def read_back(nothing):
            found = self.api.find(ident, workspace_id)
            # One being deleted is not what this write makes.
            return None if found is None or found.get("status") == DELETED else found

        try:
            image = write_with_read_back(
                self.api.client,
                None,
                send_once,
                read_back,
                lambda found: found is not None,
                making=Making("image %s" % label(ident), look_out_seconds(self.wait_timeout)),
            )
        except ModelArtsError as error:
            if error.error_code != DUPLICATE:
                raise
            image = read_back(None)
            if image is None:
                raise ModuleError(
                    "%s; yet no image %s is listed but one being deleted or in another workspace: run the task again "
                    "once it is gone, or choose another tag" % (error.message, label(ident)),
                    error=error.as_dict(),
                ) from None
            self.image = image
            if len(sent) == 1:
                # Made by someone else since the lookup: there, as asked, though not by this task.
                return image
        self.done.append(action)
        self.image = image
        return image

    def notebook_running_again(self, notebook_id):
        """After a save: wait until the notebook is no longer SNAPSHOTTING; warn when it did not end RUNNING."""
        notebook = self.notebooks.show_if_exists(notebook_id)
        if notebook is not None and notebook.get("status") not in NOTEBOOK_SETTLED:
            notebook = self.notebooks.wait(
                notebook,
                NOTEBOOK_SETTLED,
                self.wait_timeout,
                "Waiting for notebook instance %s to run again after the save of image %s"
                % (notebook_id, (self.image or {}).get("id")),
            )
        status = "gone" if notebook is None else notebook.get("status")
        if status != "RUNNING":
            self.warn(
                "notebook instance %s is %s after the save of image %s, not RUNNING: someone changed it meanwhile"
                % (notebook_id, status, (self.image or {}).get("id"))
            )

    def wait_made(self, image, notebook_reference=None):
        """An image being made (INIT, CREATING), once ACTIVE; the notebook it is saved from once it runs again."""
        self.image = self.api.wait_ready(image, self.wait_timeout, "to be made")
        if notebook_reference:
            notebook = self.notebooks.resolve(notebook_reference)
            if notebook.get("status") == SNAPSHOTTING:
                self.notebook_running_again(notebook["id"])
        return self.image

    # ---- delete --------------------------------------------------------------------------------------------
    def delete(self, image, delete_swr_content, settle_first=False):
        """Delete the image (with its SWR content if asked); with wait, until it is gone.

        ``settle_first``: the image is being made, and is waited for first (the service deletes no image in the
        making). Someone else's delete during the run leaves nothing to do and nothing recorded.
        """
        if settle_first:
            image = self.image = self.api.wait_settled(image, self.wait_timeout, "to be made before it is deleted")
            if image is None or image.get("status") == DELETED:
                return image
        answer, deleted = delete_with_read_back(
            self.api.client,
            image,
            lambda current, resending: self.api.delete(current["id"], delete_swr_content),
            lambda current: self.api.show_if_exists(current["id"]),
            lambda current: current is None or current.get("status") == DELETED,
            IMAGE_NOT_FOUND,
        )
        if not deleted:
            self.image = None
            return None
        self.done.append("delete")
        self.image = answer
        if answer is not None and self.wait:
            self.image = self.api.wait_deleted(answer, self.wait_timeout, "to be deleted")
        return self.image
