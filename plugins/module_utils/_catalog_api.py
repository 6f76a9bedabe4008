# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The flavor and image calls: what a notebook can be created with, or switched to."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._paging import list_all

# The largest page the images call allows (and its default).
IMAGE_PAGE_SIZE = 200
IMAGE_TYPES = ("BUILD_IN", "DEDICATED")
# The service's answer for an image id it does not know.
IMAGE_NOT_FOUND = "ModelArts.6797"
# The flavor list answers ``flavors``; the SDK also reads ``data``.
FLAVOR_KEYS = ("flavors", "data")


class FlavorAPI:
    def __init__(self, client):
        self.client = client

    def list(self, category=None, flavor_type=None):
        """Every flavor a notebook can be created with: the call without ``limit`` answers them all at once."""
        return list_all(
            self.client,
            self.client.project_path("notebooks", "flavors"),
            "Listing notebook flavors",
            [("category", category), ("type", flavor_type)],
            item_keys=FLAVOR_KEYS,
        )

    def switchable(self, notebook_id):
        """The flavors instance ``notebook_id`` may switch to."""
        return list_all(
            self.client,
            self.client.project_path("notebooks", notebook_id, "flavors"),
            "Listing the flavors notebook instance %s can switch to" % notebook_id,
            item_keys=FLAVOR_KEYS,
        )


class ImageAPI:
    def __init__(self, client):
        self.client = client

    def show_if_exists(self, image_id):
        """The image, or None when the service does not know the id."""
        try:
            return self.client.request(
                "GET", self.client.project_path("images", image_id), "Reading image %s" % image_id
            )
        except ModelArtsError as error:
            if error.status == 404 or error.error_code == IMAGE_NOT_FOUND:
                return None
            raise

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
        return list_all(self.client, self.client.project_path("images"), listing, params, IMAGE_PAGE_SIZE)
