#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: notebook_image_info
short_description: Find the images a ModelArts notebook can run
version_added: 1.1.0
description:
  - Returns one image by O(id), or the images matching O(name), O(type), O(service_type), O(workspace_id) and
    O(namespace), each as the API gives it (C(id), C(name), C(tag), C(swr_path), C(create_at), ...), so a
    playbook can choose the O(hwcloud.modelarts.notebook_instance#module:image_id) of a notebook with Jinja filters
    instead of copying an ID from the console.
  - Pages through the images API with the largest page it allows (200), so N images of one type cost
    ceil(N/200) requests; without O(type), built-in and dedicated images are listed one after the other.
  - Read-only; it never changes anything.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - hwcloud.modelarts.connection
  - hwcloud.modelarts.attributes
  - hwcloud.modelarts.attributes.read_only
options:
  id:
    description:
      - The ID of one image. An unknown ID gives an empty O(ignore:images) list, not a failure.
      - Cannot be combined with the filters.
    type: str
  name:
    description:
      - The image name, compared as O(name_match) says.
    type: str
  name_match:
    description:
      - How O(name) is compared. V(exact) keeps only images with exactly that name; V(fuzzy) uses the service's own
        match (names that contain it, whatever the case).
    type: str
    choices: [exact, fuzzy]
    default: exact
  type:
    description:
      - V(BUILD_IN) for the images the service provides, V(DEDICATED) for the project's own. Without it, both.
    type: str
    choices: [BUILD_IN, DEDICATED]
  service_type:
    description:
      - Only images made for this use.
    type: str
    choices: [COMMON, INFERENCE, TRAIN, DEV, UNKNOWN]
  workspace_id:
    description:
      - Only images of this workspace. The service's default is the default workspace, V(0).
    type: str
  namespace:
    description:
      - Only images of this SWR organization, for example V(atelier) for many built-in images.
    type: str
notes:
  - The service answers the newest images first (C(create_at), descending); sort the list yourself when the order matters.
seealso:
  - module: hwcloud.modelarts.notebook_flavor_info
  - module: hwcloud.modelarts.notebook_instance
  - module: hwcloud.modelarts.notebook_image
    description: Saves a notebook as a custom image, registers an SWR image, deletes one.
"""

EXAMPLES = r"""
# A notebook with the newest PyTorch image and the smallest GPU flavor that is not sold out
# (with the connection set once, e.g. in module_defaults for group/hwcloud.modelarts.all).
- name: Built-in PyTorch images
  hwcloud.modelarts.notebook_image_info:
    name: pytorch
    name_match: fuzzy
    type: BUILD_IN
  register: pytorch

- name: GPU flavors
  hwcloud.modelarts.notebook_flavor_info:
    category: GPU
  register: gpu

- name: The notebook, created when no notebook has that name
  hwcloud.modelarts.notebook_instance:
    name: team-a-gpu
    image_id: "{{ (pytorch.images | sort(attribute='create_at', reverse=true) | first).id }}"
    flavor: "{{ (gpu.flavors | rejectattr('sold_out') | sort(attribute='vcpus,memory') | first).id }}"
    storage_size: 50

- name: One image by its ID
  hwcloud.modelarts.notebook_image_info:
    id: e1a07296-22a8-4f05-8bc8-e936c8e54202
  register: image

- name: The team's own images of its workspace, by exact name
  hwcloud.modelarts.notebook_image_info:
    name: team-custom-python3.10
    type: DEDICATED
    workspace_id: "{{ team_workspace_id }}"
  register: custom
"""

RETURN = r"""
images:
  description:
    - The images, as the API returns them. Always a list, empty when none match.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The image ID, the value of O(hwcloud.modelarts.notebook_instance#module:image_id).
      type: str
      sample: e1a07296-22a8-4f05-8bc8-e936c8e54202
    name:
      description: The image name.
      type: str
      sample: pytorch1.8-cuda10.2-cudnn7-ubuntu18.04
    tag:
      description: The image tag.
      type: str
    swr_path:
      description: Where the image is in SWR.
      type: str
    type:
      description: V(BUILD_IN) or V(DEDICATED).
      type: str
    service_type:
      description: What the image is for, for example V(COMMON) or V(DEV).
      type: str
    resource_categories:
      description: The processor categories it runs on (V(CPU), V(GPU), V(ASCEND)).
      type: list
      elements: str
    arch:
      description: The processor architecture.
      type: str
    status:
      description: V(ACTIVE) for an image that can be used; also V(INIT), V(CREATING), V(CREATE_FAILED), V(ERROR), V(DELETED).
      type: str
    workspace_id:
      description: The workspace that holds it.
      type: str
    namespace:
      description: The SWR organization.
      type: str
    create_at:
      description: When it was created, in ms since the epoch.
      type: int
    size:
      description: Its size in KB.
      type: int
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_api import IMAGE_TYPES, ImageAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule

FILTERS = ("name", "type", "service_type", "workspace_id", "namespace")


class NotebookImageInfo(ModelArtsModule):
    argument_spec = {
        "id": {"type": "str"},
        "name": {"type": "str"},
        "name_match": {"type": "str", "choices": ["exact", "fuzzy"], "default": "exact"},
        "type": {"type": "str", "choices": list(IMAGE_TYPES)},
        "service_type": {"type": "str", "choices": ["COMMON", "INFERENCE", "TRAIN", "DEV", "UNKNOWN"]},
        "workspace_id": {"type": "str"},
        "namespace": {"type": "str"},
    }
    module_kwargs = {"mutually_exclusive": [("id", option) for option in FILTERS]}

    def run(self):
        api = ImageAPI(self.connect())
        params = self.params
        if params.get("id"):
            found = api.show_if_exists(params["id"])
            self.result["images"] = [] if found is None else [found]
            return
        exact = params["name_match"] == "exact"
        images = []
        for image_type in [params["type"]] if params.get("type") else IMAGE_TYPES:
            images.extend(
                api.list(
                    image_type,
                    name=params.get("name"),
                    fuzzy=not exact,
                    service_type=params.get("service_type"),
                    workspace_id=params.get("workspace_id"),
                    namespace=params.get("namespace"),
                )
            )
        if params.get("name") is not None and exact:
            # The service's exact match is trusted only as far as it goes.
            images = [image for image in images if image.get("name") == params["name"]]
        self.result["images"] = images


def main():
    NotebookImageInfo.main()


if __name__ == "__main__":
    main()
