"""The flavors and images a notebook is made of, and their read calls (the catalogue, switchable flavors).

modelarts_catalog.py (next to this package) generates the default catalogue; ``Simulator(flavors=..., images=...)``
replaces it.
"""

import copy

from modelarts_catalog import (
    FLAVOR_CATALOG,
    FLAVOR_CATEGORIES,
    FLAVOR_TYPES,
    IMAGE_CATALOG,
    IMAGE_SERVICE_TYPES,
    IMAGE_TYPES,
    INSTANCE_IMAGE_KEYS,
    image_details,
    normalize_flavor,
)

from .base import Resource
from .errors import ServiceError, bad_request, property_error
from .listing import page, paging, sorted_by, sorting
from .routing import Route

FLAVOR_SORT_KEYS = ("id", "name", "arch", "category", "vcpus", "memory", "free", "sold_out")
FLAVOR_FEATURES = ("NOTEBOOK", "DEFAULT")
ASCEND_FLAVOR_TYPES = ("ASCEND_SNT3", "ASCEND_SNT9", "ASCEND_SNT9B")
IMAGE_SORT_KEYS = ("name", "tag", "create_at", "update_at", "size", "type", "service_type", "arch", "namespace")
MAX_IMAGE_LIMIT = 200


class Catalog(Resource):
    """The flavor and image catalogues (read-only through the API)."""

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
            Route("GET", "/v1/{project_id}/images", self.list_images, trailing_slash=True, sdk="ListImageRequest"),
            Route("GET", "/v1/{project_id}/images/{id}", self.show_image, sdk="ShowImageRequest"),
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

    # ---- images --------------------------------------------------------------------------------------------
    def list_images(self, call):
        query = call.query
        image_type = query.get("type") or "BUILD_IN"
        if image_type not in IMAGE_TYPES:
            raise property_error("The value of type must be one of %s." % ", ".join(IMAGE_TYPES))
        if query.get("service_type") and query["service_type"] not in IMAGE_SERVICE_TYPES:
            raise property_error("The value of service_type must be one of %s." % ", ".join(IMAGE_SERVICE_TYPES))
        fuzzy = query.get("name_fuzzy_match", "true").lower()
        if fuzzy not in ("true", "false"):
            raise bad_request("name_fuzzy_match must be true or false")
        limit, offset = paging(query, MAX_IMAGE_LIMIT, MAX_IMAGE_LIMIT)
        order = sorting(query, IMAGE_SORT_KEYS, "create_at", "DESC")
        name = query.get("name")
        wanted = {"type": image_type, "workspace_id": query.get("workspace_id") or "0"}
        wanted.update({k: query[k] for k in ("service_type", "namespace", "show_name", "show_tag") if query.get(k)})
        found = []
        for image in self.image_catalog.values():
            if any(image[k] != v for k, v in wanted.items()):
                continue
            if name and (name.lower() not in image["name"].lower() if fuzzy == "true" else name != image["name"]):
                continue
            found.append(image)
        return page([copy.deepcopy(i) for i in sorted_by(found, order)], limit, offset, "data")

    def show_image(self, call):
        image = self.image_catalog.get(call.params["id"])
        if image is None:
            raise ServiceError(400, "ModelArts.6797", "The image %s is not found." % call.params["id"])
        return copy.deepcopy(image)
