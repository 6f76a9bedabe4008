# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The flavor calls: what a notebook can be created with, or switched to (the image calls are in _image_api.py)."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._paging import list_all

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
