# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The image calls of the ModelArts API: show, list, the lookup by identity, save, register, delete, and the waits."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import IMAGE_NOT_FOUND
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_rules import (
    DELETED,
    FAILED,
    READY,
    current,
    label,
    matches,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._lookup import at_most_one
from ansible_collections.hwcloud.modelarts.plugins.module_utils._paging import list_all
from ansible_collections.hwcloud.modelarts.plugins.module_utils._resource import Kind, ResourceAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._waiter import wait, wait_for_status

# The largest page the images call allows (and its default).
IMAGE_PAGE_SIZE = 200
IMAGE_TYPES = ("BUILD_IN", "DEDICATED")
# An image in messages and results: why it failed is its status_message.
IMAGE = Kind("image", "image", reason_key="status_message")


class ImageAPI(ResourceAPI):
    collection = "images"
    kind = IMAGE
    not_found = IMAGE_NOT_FOUND

    def list(self, image_type, name=None, fuzzy=True, service_type=None, workspace_id=None, namespace=None):
        """Every image of one ``image_type`` for these filters, in pages of the largest size."""
        params = [
            ("type", image_type),
            ("name", name),
            ("name_fuzzy_match", None if name is None else str(bool(fuzzy)).lower()),
            ("service_type", service_type),
            ("workspace_id", workspace_id),
            ("namespace", namespace),
        ]
        listing = "Listing %s images" % image_type + (
            "" if name is None else " named %s %r" % ("like" if fuzzy else "exactly", name)
        )
        return list_all(self.client, self._path(), listing, params, IMAGE_PAGE_SIZE)

    def find(self, ident, workspace_id=None):
        """The project's own image with this identity (an image being deleted only if no other has it), or None.

        One images list (DEDICATED, exact name, namespace): the identity's tag is not a filter of the call.
        """
        candidates = self.list(
            "DEDICATED", name=ident.name, fuzzy=False, workspace_id=workspace_id, namespace=ident.namespace
        )
        found = current([image for image in candidates if matches(image, ident)])
        return at_most_one(IMAGE, found, label(ident), "among the images of namespace %r" % ident.namespace)

    def save(self, notebook_id, body):
        """Save the running notebook ``notebook_id`` as an image (ImageCreateReq); answers the image, INIT."""
        return self.client.request(
            "POST",
            self.client.project_path("notebooks", notebook_id, "create-image"),
            "Saving notebook instance %s as image %s/%s:%s"
            % (notebook_id, body["namespace"], body["name"], body["tag"]),
            body=body,
        )

    def register(self, body):
        """Register an SWR image (ImageRegRequest); answers the image."""
        return self.client.request("POST", self._path(), "Registering image %s" % body["swr_path"], body=body)

    def delete(self, image_id, delete_swr_content):
        """Delete the image; ``delete_swr_content`` also deletes its SWR image.

        The SDK sends it as the body's ``is_force``, the API reference as the query ``force``: both are sent, so
        whichever the service reads, it reads the same.
        """
        force = bool(delete_swr_content)
        return self.client.request(
            "DELETE",
            self._path(image_id),
            "Deleting image %s%s" % (image_id, " and its SWR content" if force else ""),
            params=[("force", str(force).lower())],
            body={"is_force": force},
        )

    def wait_ready(self, image, timeout, purpose):
        """Poll until the image is ACTIVE; CREATE_FAILED or ERROR fail with its status_message."""
        image_id = IMAGE.ident(image)
        return wait_for_status(
            IMAGE,
            image,
            lambda: self.show(image_id),
            READY,
            timeout,
            "Waiting for image %s %s" % (image_id, purpose),
            FAILED,
        )

    def wait_deleted(self, image, timeout, purpose):
        """Poll until the image is gone: the service no longer knows it, or shows it DELETED."""
        image_id = IMAGE.ident(image)
        return wait(
            IMAGE,
            image,
            lambda: self.show_if_exists(image_id),
            lambda found: found is None or found.get("status") == DELETED,
            timeout,
            "Waiting for image %s %s" % (image_id, purpose),
            awaited="the image to be gone",
        )

    def wait_settled(self, image, timeout, purpose):
        """Poll until an image being made is ACTIVE, failed or gone (None), whichever comes first."""
        image_id = IMAGE.ident(image)
        return wait(
            IMAGE,
            image,
            lambda: self.show_if_exists(image_id),
            lambda found: found is None or found.get("status") in FAILED | {READY, DELETED},
            timeout,
            "Waiting for image %s %s" % (image_id, purpose),
            awaited="the image to be made",
        )
