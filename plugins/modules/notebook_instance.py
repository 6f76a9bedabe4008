#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: notebook_instance
short_description: Create, update, run, stop and delete a ModelArts notebook instance
version_added: 1.0.0
description:
  - Brings one Huawei Cloud ModelArts notebook instance to the requested shape (name, description, flavor, image,
    disk size, SSH access (endpoints), start-up hooks, tags, auto-stop and storage mounts) and run state, creating it
    when no instance has the requested name and deleting it with O(state=absent).
  - Only the options given are compared with the live instance and sent. The task reports C(changed) only
    when it changed something, so a second run is unchanged and costs one read.
  - The update API works only on a B(STOPPED) instance. A running instance that needs an update is stopped,
    updated and started again only when O(allow_restart=true); otherwise the task fails and says so.
  - Every input rule of the service is checked before any request is sent.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - hwcloud.modelarts.connection
  - hwcloud.modelarts.attributes
  - hwcloud.modelarts.attributes.write
attributes:
  diff_mode:
    details:
      - C(before) and C(after) of the requested fields, and of C(status) when the run state changes.
options:
  id:
    description:
      - The ID of the notebook instance. The instance must exist (the service assigns IDs), except with
        O(state=absent), where an unknown ID means there is nothing to delete.
      - With O(id), O(name) is the name the instance should have.
      - One of O(id) and O(name) is required.
    type: str
  name:
    description:
      - Without O(id), the exact name of the instance to manage. The module pages through every instance that the
        list API's fuzzy name filter returns and keeps only exact matches (only in O(workspace_id) when it is given).
        Several matches are a failure that names their IDs. When none is found, the instance is created (O(state=present),
        V(running) or V(stopped)), or there is nothing to do (O(state=absent)).
      - With O(id), the name the instance should have.
      - 1 to 128 characters, each a letter, digit, V(-), V(_) or Chinese character.
    type: str
  description:
    description:
      - The description the instance should have.
      - At most 512 characters, none of V(&), V(<), V(>), V(") or V(/).
      - V("") clears it.
    type: str
  flavor:
    description:
      - The flavor (machine specification) the instance should run on, for example V(modelarts.vm.cpu.8u).
      - Required to create an instance.
      - M(hwcloud.modelarts.notebook_flavor_info) lists the flavors an instance can be created with or switch to.
    type: str
  image_id:
    description:
      - The ID of the image the instance should use. Compared with C(image.id) of the live instance.
      - Required to create an instance. M(hwcloud.modelarts.notebook_image_info) finds images by name.
    type: str
  storage_size:
    description:
      - The size in GB the instance's disk (C(volume.capacity)) should have, from 1 to 4096.
      - A larger size expands the disk (sent as C(storage_new_size)). Disks cannot shrink, so a smaller size
        than the current one is a failure.
      - When the instance is created, the capacity of its new disk (C(volume.capacity); the service's default is 5).
    type: int
    aliases: [storage_new_size]
  endpoints:
    description:
      - Remote access to the instance, per service.
      - Each entry is matched with the live endpoint of the same O(endpoints[].dev_service). Only the keys
        given are compared, and lists are compared as sets (order and repeats do not matter).
      - Live endpoints that are not listed are left as they are and sent back unchanged with an update.
    type: list
    elements: dict
    suboptions:
      dev_service:
        description:
          - The service the entry configures.
        type: str
        required: true
        choices: [NOTEBOOK, SSH]
      allowed_access_ips:
        description:
          - The public IP addresses allowed to reach the service, at most 5 different ones. V([]) allows every address.
        type: list
        elements: str
      ssh_keys:
        description:
          - The names of the key pairs (from the ECS console) that may log in through SSH.
        type: list
        elements: str
  hooks:
    description:
      - Scripts the instance runs when its container starts.
      - The API never returns hooks, so they cannot be compared. They are sent along whenever the instance is
        updated for another option; otherwise they are not sent and the task warns. Set
        O(force_update_hooks=true) to always send them.
    type: dict
    suboptions:
      container_hooks:
        description: Hooks of the instance's container.
        type: dict
        suboptions:
          pre_start:
            description: The script run before the notebook service starts.
            type: dict
            suboptions:
              script:
                description:
                  - With O(hooks.container_hooks.pre_start.type=SCRIPT), the absolute path of a script in the image.
                  - With O(hooks.container_hooks.pre_start.type=COMMAND), the command, base64-encoded.
                type: str
                required: true
              type:
                description: What O(hooks.container_hooks.pre_start.script) holds.
                type: str
                choices: [COMMAND, SCRIPT]
                default: SCRIPT
          post_start:
            description: The script run after the notebook service has started.
            type: dict
            suboptions:
              script:
                description:
                  - With O(hooks.container_hooks.post_start.type=SCRIPT), the absolute path of a script in the image.
                  - With O(hooks.container_hooks.post_start.type=COMMAND), the command, base64-encoded.
                type: str
                required: true
              type:
                description: What O(hooks.container_hooks.post_start.script) holds.
                type: str
                choices: [COMMAND, SCRIPT]
                default: SCRIPT
  force_update_hooks:
    description:
      - Send O(hooks) on every run, even when nothing else changes. The task then always reports C(changed),
        because the module cannot tell whether the hooks were already set.
      - Needs O(hooks).
    type: bool
    default: false
  state:
    description:
      - V(present) creates the instance if no instance has the name, applies the requested fields and leaves its run
        state as it is (a new instance runs).
      - V(stopped) also stops it (after the update, or once a new instance runs), V(running) also starts it.
      - V(absent) deletes it, running or stopped alike, waiting first for a transition in progress to end; the other
        requested fields are then ignored. An instance already gone, deleted by someone else during the run, or
        already DELETING with O(wait=false), is V(ok) and unchanged.
    type: str
    choices: [present, stopped, running, absent]
    default: present
  volume:
    description:
      - The storage of a new instance. Can only be set when the instance is created; on an existing instance the
        sub-options given are compared with its C(volume) and a difference is a failure, before any request that
        writes (equal values cost nothing).
      - The capacity of an EVS disk is O(storage_size).
    type: dict
    version_added: 1.1.0
    suboptions:
      category:
        description:
          - V(EVS) (a disk), V(EFS) (a shared file system), V(OBS) or V(OBSFS) (object storage).
          - When creating, V(EVS) if not given.
        type: str
        choices: [EVS, EFS, OBS, OBSFS]
      ownership:
        description:
          - V(MANAGED) (the service's own storage) or V(DEDICATED) (the project's own EFS file system, with
            O(volume.id) and O(volume.uri); only with O(volume.category=EFS)).
          - When creating, V(MANAGED) if not given.
        type: str
        choices: [MANAGED, DEDICATED]
      id:
        description:
          - The ID of the dedicated EFS file system.
        type: str
      uri:
        description:
          - The address of the dedicated EFS file system.
        type: str
  workspace_id:
    description:
      - The workspace of the instance. When creating, the service's default is the default workspace, V(0).
      - With O(name), only instances of this workspace are looked up.
      - Can only be set when the instance is created; on an existing instance a different workspace is a failure.
    type: str
    version_added: 1.1.0
  pool_id:
    description:
      - The dedicated resource pool a new instance runs in (C(pool.id)).
      - Can only be set when the instance is created; on an existing instance a different pool is a failure.
    type: str
    version_added: 1.1.0
  auto_stop:
    description:
      - Automatic stop of the instance (its C(lease)), compared with the live lease.
      - Applied in the create body; in every start the module makes; on a running instance that keeps running,
        with the lease call (action V(renew_lease)), without a restart.
      - Turning it off on a running instance needs a start without auto-stop, so it is a restart that follows
        O(allow_restart) (actions V(stop), V(start)).
      - On an instance that is (or ends) stopped nothing is sent for it, since auto-stop belongs to a run and the next
        start applies it.
      - Without O(auto_stop), every start the module makes keeps the instance's own auto-stop as read before the
        start, and a new instance is created without auto-stop.
    type: dict
    version_added: 1.1.0
    suboptions:
      enabled:
        description:
          - Whether the instance stops by itself.
        type: bool
        required: true
      hours:
        description:
          - After how many hours, from 1 to 72.
        type: int
        default: 1
      type:
        description:
          - V(TIMING) counts from the start (or from the last renewal), V(IDLE) from the last activity.
        type: str
        choices: [TIMING, IDLE]
        default: TIMING
  tags:
    description:
      - Tags (keys and values) the instance should have, compared with its C(tags). Added or changed with the
        tags call (action V(tag)), without a restart, on a running instance too.
      - A key has 1 to 128 characters, no leading or trailing space, and does not start with V(_sys_); a value has
        at most 255 characters.
      - Without O(tags), tags are left as they are.
    type: dict
    version_added: 1.1.0
  purge_tags:
    description:
      - With O(tags), remove the tags whose keys are not in O(tags) (action V(untag)); V(false) keeps them.
      - O(tags={}) with O(purge_tags=true) removes every tag.
    type: bool
    default: true
    version_added: 1.1.0
  mounts:
    description:
      - Storage mounted into the running notebook, identified by O(mounts[].mount_path) and compared with its storage
        list. A missing mount is attached (V(attach)); one on another URI or category, or in MOUNT_FAILED, is detached
        (V(detach)) and attached again. Paths and URIs compare with or without a trailing slash; V(OBS) equals V(OBSFS).
      - Applied last, on an instance that ends RUNNING (a create or a start then needs O(wait=true)); on one that ends
        STOPPED nothing is sent for them, with a warning. At most 10 mounts, each path once.
      - Mounts made at creation (C(mount_type=STATIC)) are never detached and count as present. Without O(mounts),
        mounts are left alone and no storage request is made.
    type: list
    elements: dict
    version_added: 1.2.0
    suboptions:
      uri:
        description:
          - What to mount. For V(OBS) and V(OBSFS), C(obs://bucket/path/); for V(EFS), the SFS Turbo file system's
            address. At most 256 characters.
        type: str
        required: true
      mount_path:
        description:
          - Where it appears in the notebook, an absolute path under C(/data/), at most 256 characters.
        type: str
        required: true
      category:
        description:
          - V(OBS) for an OBS bucket, V(OBSFS) for a parallel file system, V(EFS) for an SFS Turbo file system (on a
            dedicated resource pool only, with O(mounts[].efs_id)).
        type: str
        choices: [OBS, OBSFS, EFS]
        default: OBS
      efs_id:
        description:
          - The ID of the SFS Turbo file system. Required with O(mounts[].category=EFS), refused otherwise.
        type: str
  purge_mounts:
    description:
      - With O(mounts), detach the dynamic mounts whose paths are not in O(mounts), before attaching the others; V(false)
        keeps them. O(mounts=[]) with O(purge_mounts=true) detaches every dynamic mount.
    type: bool
    default: true
    version_added: 1.2.0
  allow_restart:
    description:
      - Allow the module to stop a running instance to update it, then start it again.
      - With V(false) (the default), a running instance that needs an update makes the task fail, naming this
        option, and nothing is changed.
      - With V(true), the module stops the instance, waits for STOPPED, updates it, starts it and waits for
        RUNNING (if O(wait=true)). If the update fails after the stop, the instance is still started again
        before the task fails; an instance that was running is never left stopped.
      - Every start the module makes keeps the instance's auto-stop setting (its C(lease)) as it was read
        before the start; a start never turns auto-stop on or changes its duration.
    type: bool
    default: false
  wait:
    description:
      - Wait for a transition (STARTING, STOPPING, CREATING, ...) to end before acting, for the instance to be
        RUNNING or STOPPED after the module starts or stops it, for a new instance to be RUNNING (CREATE_FAILED is
        a failure with its C(fail_reason)), and for a deleted one to be gone (DELETE_FAILED is a failure).
      - Waiting for STOPPED before an update is always done, as the update needs it.
      - With V(true), also for each attached mount to be MOUNTED (MOUNT_FAILED is a failure with its
        C(failure_reason)) and each detached one to be gone (UNMOUNT_FAILED is a failure).
      - With V(false), an instance in a transition makes the task fail if it needs any change, and a create or
        delete returns right after the call. A new instance with O(state=stopped) needs V(true), as do O(mounts) on
        an instance this task creates or starts.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for each transition. A timeout is a failure that names the last status seen.
      - Also how long a create whose answer was lost is looked for (at most 60 seconds), see the notes.
    type: int
    default: 600
notes:
  - A create is not idempotent on the service's side (names may repeat), so one task never makes two instances.
    After an error answer that may have been applied (a 5xx or 429, a malformed answer) the service has finished
    with the request, so the module lists the instances by exact name once and adopts what it finds, or sends the
    create again. After a timeout or a connection lost after sending, the service may still be carrying the create
    out, so the module never sends it again; it lists by exact name with the poll schedule of its waits for up to
    O(wait_timeout) seconds (at most 60) and adopts the instance when it appears, or fails saying that the create
    may still complete and that running the task again adopts it.
  - An instance in a failed status (ERROR, FROZEN, START_FAILED, CREATE_FAILED, DELETE_FAILED) makes the task
    fail with the instance's C(fail_reason), except with O(state=absent), which deletes it.
  - The notebook's own access C(token) is removed from the returned instance and masked in all output.
  - With O(mounts), an instance in shape costs its read and one storage list. After a start this module made, the
    list is read again (whether mounts survive a stop is not documented); check mode cannot foresee that.
seealso:
  - module: hwcloud.modelarts.notebook_instances
    description: Many notebook definitions, each as this module would apply it, at once in one task.
  - module: hwcloud.modelarts.notebook_instance_info
  - module: hwcloud.modelarts.notebook_flavor_info
  - module: hwcloud.modelarts.notebook_image_info
  - name: Updating a Notebook Instance (ModelArts API reference)
    description: The API call this module is built around.
    link: https://support.huaweicloud.com/intl/en-us/api-modelarts/UpdateNotebook.html
"""

EXAMPLES = r"""
- name: Create a notebook with SSH access, auto-stop after 8 idle hours and tags (credentials from HW_* variables)
  hwcloud.modelarts.notebook_instance:
    name: team-a-dev
    flavor: modelarts.vm.cpu.8u
    image_id: e1a07296-22a8-4f05-8bc8-e936c8e54202
    storage_size: 50
    description: Team A development notebook
    endpoints:
      - dev_service: NOTEBOOK
      - dev_service: SSH
        allowed_access_ips: [203.0.113.10]
        ssh_keys: [team-a-keypair]
    auto_stop:
      enabled: true
      hours: 8
      type: IDLE
    tags:
      team: a
      cost-center: "4711"
  register: created

- name: Keep it running without auto-stop, whatever its owner set (restarts it if auto-stop is on)
  hwcloud.modelarts.notebook_instance:
    name: team-a-dev
    auto_stop:
      enabled: false
    allow_restart: true

- name: Mount the team's dataset bucket and an output parallel file system, detaching any other dynamic mount
  hwcloud.modelarts.notebook_instance:
    name: team-a-dev
    state: running
    mounts:
      - uri: obs://team-a-datasets/imagenet/
        mount_path: /data/datasets/
      - uri: obs://team-a-output/
        mount_path: /data/output/
        category: OBSFS

- name: Add a mount and keep the others
  hwcloud.modelarts.notebook_instance:
    name: team-a-dev
    mounts:
      - uri: obs://team-a-shared/models/
        mount_path: /data/models/
    purge_mounts: false

- name: Delete it
  hwcloud.modelarts.notebook_instance:
    name: team-a-dev
    state: absent

- name: Give a notebook a bigger flavor and disk and two allowed IPs for SSH, restarting it if it runs
  hwcloud.modelarts.notebook_instance:
    region: cn-north-4
    project_id: "{{ hw_project_id }}"
    access_key: "{{ hw_access_key }}"
    secret_key: "{{ hw_secret_key }}"
    id: 6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c
    flavor: modelarts.vm.cpu.8u
    storage_size: 100
    endpoints:
      - dev_service: SSH
        allowed_access_ips: [203.0.113.10, 203.0.113.11]
    allow_restart: true

- name: Set connection options once for every module of the collection
  module_defaults:
    group/hwcloud.modelarts.all:
      region: cn-north-4
      project_id: "{{ hw_project_id }}"
      auth_token: "{{ hw_iam_token }}"
  block:
    - name: Stop a notebook for the night
      hwcloud.modelarts.notebook_instance:
        name: team-a-dev
        state: stopped

    - name: Set a start-up command and start the notebook
      hwcloud.modelarts.notebook_instance:
        name: team-a-dev
        hooks:
          container_hooks:
            post_start:
              type: COMMAND
              script: "{{ 'pip install -r /home/ma-user/work/requirements.txt' | b64encode }}"
        force_update_hooks: true
        state: running
"""

RETURN = r"""
notebook:
  description:
    - The instance after the run, as the API returns it, without its C(token). In check mode, the instance as it is now.
    - On a failure after the instance was read, the last state seen.
  returned: when the instance was found or created (after a delete, the instance as last seen, or absent once it is gone)
  type: dict
  contains:
    id:
      description: The instance ID.
      type: str
      sample: 6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c
    name:
      description: The instance name.
      type: str
      sample: team-a-dev
    description:
      description: The instance description.
      type: str
      sample: Team A development notebook
    status:
      description: The run status, for example V(RUNNING), V(STOPPED), V(STARTING) or V(ERROR).
      type: str
      sample: STOPPED
    flavor:
      description: The flavor.
      type: str
      sample: modelarts.vm.cpu.8u
    image:
      description: The image, with its C(id), C(name), C(swr_path), C(tag), C(type) and C(arch).
      type: dict
      sample: {"id": "e1a07296-22a8-4f05-8bc8-e936c8e54202", "name": "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04"}
    volume:
      description: The disk, with its C(category), C(ownership), C(capacity) in GB, C(mount_path) and C(status).
      type: dict
      sample: {"category": "EVS", "ownership": "MANAGED", "capacity": 100, "mount_path": "/home/ma-user/work/"}
    endpoints:
      description: Remote access per service, with C(dev_service) or C(service), C(allowed_access_ips), C(ssh_keys) and C(uri).
      type: list
      elements: dict
      sample: [{"dev_service": "SSH", "allowed_access_ips": ["203.0.113.10"], "ssh_keys": ["team-a-keypair"]}]
    url:
      description: The URL of the notebook.
      type: str
    fail_reason:
      description: Why the instance is in a failed status.
      type: str
    lease:
      description: The automatic stop settings (C(enable), C(type), C(duration) in ms, C(create_at), C(update_at)).
      type: dict
    tags:
      description: The tags, a list of C(key) and C(value).
      type: list
      elements: dict
    workspace_id:
      description: The workspace, V(0) by default.
      type: str
    pool:
      description: The dedicated resource pool (C(id), C(name)), if any.
      type: dict
actions:
  description:
    - The writes done, in order, from V(create), V(delete), V(tag), V(untag), V(renew_lease), V(stop), V(update),
      V(start), V(detach) and V(attach) (once per mount). In check mode, the writes that would be done.
  returned: always
  type: list
  elements: str
  sample: [stop, update, start]
diff:
  description:
    - With C(--diff), C(before) and C(after) of the requested fields (and C(status) when it changes), with C(tags) and
      C(auto_stop) when given, and C(mounts) (sorted lists of C(mount_path), C(uri) and C(category)) when the storage
      list was compared.
    - For a create, C(before) is empty; for a delete, C(after) is empty.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"flavor": "modelarts.vm.cpu.2u"}, "after": {"flavor": "modelarts.vm.cpu.8u"}}
mounts:
  description:
    - The notebook's storage list as last read (with O(mounts) on an instance that ends RUNNING), updated with what each
      attach, detach and wait answered.
  returned: when O(mounts) is given and the storage list was read or written
  type: list
  elements: dict
  version_added: 1.2.0
  contains:
    mount_path:
      description: Where it is mounted (C(uri), C(category) and C(id) are there too).
      type: str
      sample: /data/datasets/
    status:
      description: V(MOUNTING), V(MOUNTED), V(MOUNT_FAILED), V(UNMOUNTING), V(UNMOUNTED) or V(UNMOUNT_FAILED).
      type: str
      sample: MOUNTED
    failure_reason:
      description: Why a mount failed. C(mount_type) is V(DYNAMIC), or V(STATIC) for a mount made at creation.
      type: str
error:
  description: On a failed API call, what the service said.
  returned: on an API failure
  type: dict
  contains:
    action:
      description: What was attempted.
      type: str
      sample: Updating notebook instance 6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c (flavor)
    status:
      description: The HTTP status, or null when no answer came.
      type: int
      sample: 400
    error_code:
      description: The service's error code.
      type: str
      sample: ModelArts.6347
    error_msg:
      description: The service's error message.
      type: str
    request_id:
      description: The request ID the service gave (X-Request-Id), to quote to support.
      type: str
    reason:
      description: Why the call failed when there was no answer, for example a timeout or a TLS error.
      type: str
"""

from ansible_collections.hwcloud.modelarts.plugins.module_utils._module import ModelArtsModule
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_task import (
    ARGUMENT_SPEC,
    REQUIRED_ONE_OF,
    NotebookTask,
    check,
)


class NotebookInstance(ModelArtsModule):
    argument_spec = ARGUMENT_SPEC
    module_kwargs = {"required_one_of": REQUIRED_ONE_OF}

    task = None

    def run(self):
        check(self.params)
        self.task = NotebookTask(self.params, self.connect(), self.decision, warn=self.module.warn)
        self.task.run()

    def prepare_result(self):
        result = super().prepare_result()
        if self.task is not None:
            self.mask(*self.task.secrets)
            result.update(self.task.result())
        return result


def main():
    NotebookInstance.main()


if __name__ == "__main__":
    main()
