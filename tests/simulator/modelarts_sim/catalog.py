"""The flavors and images a notebook is made of, and the flavor calls (the catalogue, switchable flavors).

The image calls are the images resource's (images.py), which reads and adds to the image catalogue kept here.

modelarts_catalog.py (next to this package) generates the default catalogue; ``Simulator(flavors=..., images=...)``
replaces it.
"""

import copy

from modelarts_catalog import (
    FLAVOR_CATALOG,
    FLAVOR_CATEGORIES,
    FLAVOR_TYPES,
    IMAGE_CATALOG,
    INSTANCE_IMAGE_KEYS,
    image_details,
    normalize_flavor,
)

from .base import Resource
from .errors import property_error
from .listing import page, paging, sorted_by, sorting
from .routing import Route

FLAVOR_SORT_KEYS = ("id", "name", "arch", "category", "vcpus", "memory", "free", "sold_out")
FLAVOR_FEATURES = ("NOTEBOOK", "DEFAULT")
ASCEND_FLAVOR_TYPES = ("ASCEND_SNT3", "ASCEND_SNT9", "ASCEND_SNT9B")


class Catalog(Resource):
    """The flavor and image catalogues; the flavors are read-only through the API."""

    name = "catalog"

    def __init__(self, sim):
        super().__init__(sim)
        flavors, images = sim.options.get("flavors"), sim.options.get("images")
        self.flavors = [normalize_flavor(f) for f in (FLAVOR_CATALOG if flavors is None else flavors)]
        # images: what an instance's "image" shows; image_catalog: the objects of the images API.
        self.images = {}
        self.image_catalog = {}
        for image_id, image in (IMAGE_CATALOG if images is None else images).items():
            image = dict(image)
            for key, default in (
                ("name", image_id),
                ("swr_path", ""),
                ("tag", "latest"),
                ("type", "DEDICATED"),
                ("arch", "x86_64"),
            ):
                image.setdefault(key, default)
            self.image_catalog[image_id] = image_details(image_id, image)
            self.images[image_id] = {key: self.image_catalog[image_id][key] for key in INSTANCE_IMAGE_KEYS}

    def routes(self):
        return [
            Route("GET", "/v1/{project_id}/notebooks/flavors", self.list_flavors, sdk="ListFlavorsRequest"),
            Route(
                "GET",
                "/v1/{project_id}/notebooks/{id}/flavors",
                self.switchable_flavors,
                sdk="ShowSwitchableFlavorsRequest",
            ),
        ]

    # ---- flavors -------------------------------------------------------------------------------------------
    def flavor(self, flavor_id):
        """The flavor of that id, or None."""
        return next((f for f in self.flavors if f["id"] == flavor_id), None)

    @staticmethod
    def flavor_view(flavor):
        return {k: copy.deepcopy(v) for k, v in flavor.items() if not k.startswith("_")}

    def switchable(self, nb, flavor):
        """Whether the instance may switch to the flavor: another one, on sale, of the same architecture, pool
        type and feature (an instance whose own flavor left the catalogue may take any)."""
        current = self.flavor(nb["flavor"])
        if flavor["id"] == nb["flavor"] or flavor["sold_out"] or flavor["feature"] != nb["feature"]:
            return False
        return current is None or (flavor["arch"], flavor["_type"]) == (current["arch"], current["_type"])

    def list_flavors(self, call):
        query = call.query
        feature = query.get("feature") or "NOTEBOOK"
        checks = (("category", FLAVOR_CATEGORIES), ("type", FLAVOR_TYPES), ("flavor_type", ASCEND_FLAVOR_TYPES))
        for key, allowed in checks + (("feature", FLAVOR_FEATURES),):
            value = feature if key == "feature" else query.get(key)
            if value and value not in allowed:
                raise property_error("The value of %s must be one of %s." % (key, ", ".join(allowed)))
        limit, offset = paging(query, None, None)
        order = sorting(query, FLAVOR_SORT_KEYS, None, "DESC")
        found = []
        for flavor in self.flavors:
            if flavor["feature"] != feature or query.get("category") and flavor["category"] != query["category"]:
                continue
            if query.get("type") and flavor["_type"] != query["type"]:
                continue
            if (
                query.get("flavor_type")
                and "ASCEND_" + str((flavor.get("ascend") or {}).get("type", "")).upper() != query["flavor_type"]
            ):
                continue
            found.append(flavor)
        return page([self.flavor_view(f) for f in sorted_by(found, order)], limit, offset, "flavors")

    def switchable_flavors(self, call):
        limit, offset = paging(call.query, None, None)
        order = sorting(call.query, FLAVOR_SORT_KEYS, None, "DESC")
        store = self.sim.store
        with store.lock:
            nb = store.get(call.params["id"])
            found = [f for f in self.flavors if self.switchable(nb, f)]
        return page([self.flavor_view(f) for f in sorted_by(found, order)], limit, offset, "flavors")
