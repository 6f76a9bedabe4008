#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: notebook_image
short_description: Save a ModelArts notebook as a custom image, register an SWR image, or delete one
version_added: 1.2.0
description:
  - Custom images, so that a team can freeze a configured notebook (packages, tools, extensions) and start new
    notebooks from it with M(hwcloud.modelarts.notebook_instance) (O(hwcloud.modelarts.notebook_instance#module:image_id)).
  - With O(notebook), saves that running notebook as the image O(namespace)/O(name):O(tag) in SWR (action V(save)).
    With O(swr_path), registers an image already pushed to SWR (action V(register)). With O(state=absent), deletes
    the image (action V(delete)).
  - An image is immutable. V(present) makes it only when the project has no image of that identity (O(namespace),
    O(name) and O(tag) among the project's own, C(DEDICATED), images; or O(swr_path); or O(id)) and never saves,
    registers or changes an existing one, so a second run is unchanged and costs one request.
  - Every input rule is checked before any request is sent.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - hwcloud.modelarts.connection
  - hwcloud.modelarts.attributes
  - hwcloud.modelarts.attributes.write
attributes:
  diff_mode:
    details:
      - For a save or register, C(before) is empty and C(after) holds the requested fields; for a delete, C(before)
        holds the image's C(id), C(namespace), C(name), C(tag), C(swr_path) and C(status), and C(after) is empty.
options:
  id:
    description:
      - The ID of an existing image. With O(state=present) the image must exist (the service assigns IDs); with
        O(state=absent) an unknown ID means there is nothing to delete.
      - Cannot be combined with O(name), O(namespace), O(tag), O(notebook) or O(swr_path).
    type: str
  namespace:
    description:
      - The SWR organization of the image (see the SWR console). With O(name) and O(tag), the identity of the image.
      - 1 to 64 letters, digits, V(-), V(_) or V(.), starting with a lowercase letter.
    type: str
  name:
    description:
      - The name of the image. With O(namespace) and O(tag), the identity of the image.
      - 1 to 128 lowercase letters, digits, V(-), V(_) or V(.), starting and ending with a letter or a digit.
    type: str
  tag:
    description:
      - The tag of the image, for example V(v1) or V(2024.06). A new version of an image is a new tag.
      - 1 to 64 letters, digits, V(-), V(_) or V(.).
    type: str
  notebook:
    description:
      - The notebook instance to save as the image O(namespace)/O(name):O(tag), by ID or exact name (a name shared by
        several notebooks is a failure that names their IDs).
      - The notebook must be V(RUNNING); otherwise the task fails before any write. While the image is saved the
        notebook is V(SNAPSHOTTING) and cannot be used.
      - Needs O(namespace), O(name) and O(tag). Cannot be combined with O(swr_path).
      - Used only when the image does not exist yet.
    type: str
  swr_path:
    description:
      - The SWR image to register, C(registry/namespace/name:tag), for example
        V(swr.cn-north-4.myhuaweicloud.com/team-a/pytorch-custom:v1). Its namespace, name and tag are the identity
        of the image; an image registered with this path, or with that identity, is the one managed.
      - With O(state=absent), the image to delete.
      - 16 to 2048 characters; the namespace, name and tag follow the rules of O(namespace), O(name) and O(tag).
    type: str
  description:
    description:
      - The description of a new image, at most 512 characters.
    type: str
  workspace_id:
    description:
      - The workspace of the image; the service's default is the default workspace, V(0). Images are looked up in
        this workspace only.
    type: str
  arch:
    description:
      - The processor architecture of a registered image. V(X86_64) when not given.
      - Only with O(swr_path).
    type: str
    choices: [X86_64, AARCH64]
  resource_categories:
    description:
      - The processors a registered image runs on (sent as the register body's C(resource_category)). The service's
        default is V(CPU) and V(GPU).
      - Only with O(swr_path).
    type: list
    elements: str
    choices: [CPU, GPU, ASCEND]
  services:
    description:
      - How a notebook made from a registered image can be reached. The service's default is V(NOTEBOOK) and V(SSH).
      - Only with O(swr_path).
    type: list
    elements: str
    choices: [NOTEBOOK, SSH]
  service_type:
    description:
      - What a registered image is for. The service's default is V(UNKNOWN).
      - Only with O(swr_path).
    type: str
    choices: [COMMON, INFERENCE, TRAIN, DEV, UNKNOWN]
  visibility:
    description:
      - V(PRIVATE) (the service's default) or V(PUBLIC), readable by every user who knows its ID.
      - Only with O(swr_path).
    type: str
    choices: [PRIVATE, PUBLIC]
  state:
    description:
      - V(present) makes the image when no image has its identity (a save with O(notebook), a register with
        O(swr_path)); without either, an image that does not exist is a failure.
      - V(absent) deletes the image found by O(id), O(swr_path), or O(namespace), O(name) and O(tag). An image
        already gone, or being deleted (C(DELETED)), is V(ok) and unchanged.
    type: str
    choices: [present, absent]
    default: present
  delete_swr_content:
    description:
      - With O(state=absent), also delete the image's content in SWR (only for the project's private images).
      - With V(false), only the ModelArts record goes and the SWR image stays, to be registered again later.
      - Sent both as the delete body's C(is_force) (as the official SDK sends it) and as the query C(force) (as the
        API reference documents it), which agree.
    type: bool
    default: false
  wait:
    description:
      - After a save, wait for the image to be V(ACTIVE) and for the notebook to be V(RUNNING) again; after a
        register, for the image to be V(ACTIVE); after a delete, for the image to be gone.
      - An existing image that is still being made (V(INIT), V(CREATING)) is waited for too, and is waited for
        before it is deleted.
      - With V(false), the task returns right after the call, and the image may still be V(INIT) or V(CREATING).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for each of the waits of O(wait). A timeout is a failure that names the last status seen.
      - Also how long a save or register whose answer was lost is looked for (at most 60 seconds), see the notes.
    type: int
    default: 1800
notes:
  - An image in V(CREATE_FAILED) or V(ERROR) makes the task fail with its C(status_message), naming its ID; delete it
    with O(state=absent), then run the task again to make it anew.
  - A save or register is never sent twice for one image. After an error answer that may have been applied (a 5xx or
    429, a malformed answer) the module looks the image up once and adopts it, or sends the call again. After a
    timeout or a connection lost after sending, the service may still be making the image, so the module never sends
    the call again; it looks the image up with the poll schedule of its waits for up to O(wait_timeout) seconds (at
    most 60) and adopts it when it appears, or fails saying that running the task again adopts it. One task never
    takes two snapshots of a notebook.
  - An image that someone else makes between the lookup and the save (the service refuses the duplicate with
    C(ModelArts.6737)) is adopted, and the task reports no change.
  - Options that describe a new image (O(description), O(arch), ...) are not compared with an existing one, since an image
    cannot be changed. Give a new O(tag) for a new version.
seealso:
  - module: hwcloud.modelarts.notebook_image_info
  - module: hwcloud.modelarts.notebook_instance
  - name: Saving a Notebook Instance as a Custom Image (ModelArts API reference)
    description: The save call.
    link: https://support.huaweicloud.com/intl/en-us/api-modelarts/CreateImage.html
"""

EXAMPLES = r"""
# With the connection set once, e.g. in module_defaults for group/hwcloud.modelarts.all.
- name: Save the team's configured notebook as an image
  hwcloud.modelarts.notebook_image:
    notebook: team-a-template
    namespace: team-a
    name: pytorch-team
    tag: "2024.06"
    description: PyTorch with the team's packages and extensions
  register: saved

- name: Two notebooks started from it
  hwcloud.modelarts.notebook_instance:
    name: "team-a-dev-{{ item }}"
    flavor: modelarts.vm.cpu.8u
    image_id: "{{ saved.image.id }}"
  loop: [1, 2]

- name: Register an image built elsewhere and pushed to SWR
  hwcloud.modelarts.notebook_image:
    swr_path: swr.cn-north-4.myhuaweicloud.com/team-a/cuda-tools:1.4
    description: CUDA tools built in CI
    resource_categories: [GPU]
    services: [NOTEBOOK, SSH]
    service_type: DEV

- name: Delete an old version, with its content in SWR
  hwcloud.modelarts.notebook_image:
    namespace: team-a
    name: pytorch-team
    tag: "2023.12"
    state: absent
    delete_swr_content: true

- name: Delete an image by ID, keeping the SWR image
  hwcloud.modelarts.notebook_image:
    id: 3c3d5a2e-7d1a-4c1e-9f3b-5e8f2a9b6d40
    state: absent
"""

RETURN = r"""
image:
  description:
    - The image after the run, as the API returns it. In check mode, the image as it is now.
    - After a delete, the image as last seen (C(status) V(DELETED)).
    - On a failure after the image was read, the last state seen.
  returned: when an image was found or made
  type: dict
  contains:
    id:
      description: The image ID, the value of O(hwcloud.modelarts.notebook_instance#module:image_id).
      type: str
      sample: 3c3d5a2e-7d1a-4c1e-9f3b-5e8f2a9b6d40
    name:
      description: The image name.
      type: str
      sample: pytorch-team
    namespace:
      description: The SWR organization.
      type: str
      sample: team-a
    tag:
      description: The image tag.
      type: str
      sample: "2024.06"
    swr_path:
      description: Where the image is in SWR.
      type: str
      sample: swr.cn-north-4.myhuaweicloud.com/team-a/pytorch-team:2024.06
    status:
      description: V(INIT), V(CREATING), V(ACTIVE) (ready to use), V(CREATE_FAILED), V(ERROR) or V(DELETED).
      type: str
      sample: ACTIVE
    status_message:
      description: Why the image failed, when it did.
      type: str
    type:
      description: V(DEDICATED) for the project's own images.
      type: str
    origin:
      description: V(IMAGE_SAVE) for a saved notebook, V(CUSTOMIZE) for a registered image.
      type: str
    arch:
      description: The processor architecture.
      type: str
    resource_categories:
      description: The processors it runs on.
      type: list
      elements: str
    dev_services:
      description: How a notebook made from it can be reached.
      type: list
      elements: str
    workspace_id:
      description: The workspace that holds it.
      type: str
    create_at:
      description: When it was created, in ms since the epoch.
      type: int
actions:
  description:
    - The write done, V(save), V(register) or V(delete), or none. In check mode, the write that would be done.
  returned: always
  type: list
  elements: str
  sample: [save]
diff:
  description:
    - With C(--diff), C(before) and C(after) of the image (see the diff mode attribute).
  returned: when diff mode is on
  type: dict
  sample: {"before": {}, "after": {"namespace": "team-a", "name": "pytorch-team", "tag": "2024.06"}}
error:
  description: On a failed API call, what the service said.
  returned: on an API failure
  type: dict
  contains:
    action:
      description: What was attempted.
      type: str
      sample: Saving notebook instance 6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c as image team-a/pytorch-team:2024.06
    status:
      description: The HTTP status, or null when no answer came.
      type: int
      sample: 400
    error_code:
      description: The service's error code.
      type: str
      sample: ModelArts.6737
    error_msg:
      description: The service's error message.
      type: str
    request_id:
      description: The request ID the service gave (X-Request-Id), to quote to support.
      type: str
    reason:
      description: Why the call failed when there was no answer, for example a timeout.
      type: str
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, NotFound
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_actions import ImageActions
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_api import IMAGE, ImageAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._image_rules import (
    DELETED,
    Refusal,
    identity,
    label,
    plan,
    register_body,
    requested,
    save_body,
    summary,
    unsavable,
    validate,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NotebookAPI

IDENTITY = ("namespace", "name", "tag")


class NotebookImage(ModelArtsModule):
    argument_spec = {
        "id": {"type": "str"},
        "namespace": {"type": "str"},
        "name": {"type": "str"},
        "tag": {"type": "str"},
        "notebook": {"type": "str"},
        "swr_path": {"type": "str"},
        "description": {"type": "str"},
        "workspace_id": {"type": "str"},
        "arch": {"type": "str", "choices": ["X86_64", "AARCH64"]},
        "resource_categories": {"type": "list", "elements": "str", "choices": ["CPU", "GPU", "ASCEND"]},
        "services": {"type": "list", "elements": "str", "choices": ["NOTEBOOK", "SSH"]},
        "service_type": {"type": "str", "choices": ["COMMON", "INFERENCE", "TRAIN", "DEV", "UNKNOWN"]},
        "visibility": {"type": "str", "choices": ["PRIVATE", "PUBLIC"]},
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
        "delete_swr_content": {"type": "bool", "default": False},
        "wait": {"type": "bool", "default": True},
        "wait_timeout": {"type": "int", "default": 1800},
    }
    module_kwargs = {
        "required_one_of": [("id", "swr_path", "name", "notebook")],
        "required_together": [IDENTITY],
        "required_by": {"notebook": IDENTITY},
        "mutually_exclusive": [("id", option) for option in IDENTITY + ("notebook", "swr_path")]
        + [("swr_path", option) for option in IDENTITY + ("notebook",)],
    }

    reports_actions = True
    actions = None

    def run(self):
        params = self.params
        validate(params)
        client = self.connect()
        api = ImageAPI(client)
        notebooks = NotebookAPI(client)
        self.actions = ImageActions(
            api, notebooks, params["wait"], params["wait_timeout"], self.decision.done, warn=self.module.warn
        )
        ident = identity(params)
        if params.get("id"):
            what, image = params["id"], api.show_if_exists(params["id"])
            if params["state"] == "present" and (image is None or image.get("status") == DELETED):
                raise NotFound(
                    "no image has id %s (to make one, give namespace, name and tag with notebook, or "
                    "swr_path, instead of id)" % params["id"]
                )
        else:
            what, image = label(ident), api.find(ident, params.get("workspace_id"))
        self.actions.image = image
        source = "notebook" if params.get("notebook") else "swr_path" if params.get("swr_path") else None
        decided = plan(params["state"], image, source, params["wait"], what)
        if isinstance(decided, Refusal):
            raise IMAGE.failure(decided.message, image)
        if params["state"] == "absent":
            if self.decision.decide(decided.actions, summary(image) if decided.actions else {}, {}):
                self.actions.delete(image, params["delete_swr_content"], settle_first=decided.wait_first == "settled")
        elif "save" in decided.actions:
            self.save(ident)
        elif "register" in decided.actions:
            if self.decision.decide(decided.actions, {}, requested(params, ident)):
                self.actions.register(ident, register_body(params), params.get("workspace_id"))
        else:
            self.decision.decide((), {}, {})
            if decided.wait_first == "ready" and not self.decision.check_mode:
                self.actions.wait_made(image, params.get("notebook"))

    def save(self, ident):
        """The notebook is read before the decision: check mode fails as a run would when it is not RUNNING."""
        params = self.params
        notebook = self.actions.notebooks.resolve(params["notebook"])
        # The notebook's own token is never reported; masked in case a message ever quotes it.
        self.mask(notebook.get("token"))
        refusal = unsavable(notebook)
        if refusal:
            raise ModuleError(refusal)
        if self.decision.decide(("save",), {}, requested(params, ident)):
            self.actions.save(notebook, ident, save_body(params), params.get("workspace_id"))

    def prepare_result(self):
        result = super().prepare_result()
        if self.actions is not None and self.actions.image is not None:
            result["image"] = self.actions.image
        return result


def main():
    NotebookImage.main()


if __name__ == "__main__":
    main()
