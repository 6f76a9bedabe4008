# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The attaches and detaches of a notebook's mounts, carried out in the order a plan gives (_mount_rules.plan).

Each goes through the write protocol: an attach is a write that makes something, never sent again after a
failure in doubt; a failure that may have been applied is checked by reading the storage list. ``storage`` is
the list as last read, kept current with what each write and poll answered.
"""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _mount_rules as rules
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import MOUNT_NOT_FOUND
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._mount_api import MOUNT, MountAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._waiter import wait, wait_for_status
from ansible_collections.hwcloud.modelarts.plugins.module_utils._write_protocol import (
    Making,
    delete_with_read_back,
    look_out_seconds,
    write_with_read_back,
)

# A detach answered "does not exist": someone else's detach has ended. 6357 is not one of them here: on a DELETE it
# says another operation is running (read back, then sent again), while a read answering it means gone.
DETACHED = MOUNT_NOT_FOUND - frozenset(("ModelArts.6357",))
DETACH_CONFLICTS = frozenset(("ModelArts.6357",))


class MountActions:
    """The mounts of one notebook instance: read, then changed step by step; ``done`` records each write."""

    def __init__(self, client, notebook_id, wait, wait_timeout, done):
        self.api = MountAPI(client, notebook_id)
        self.notebook_id = notebook_id
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.done = done
        self.storage = None

    def read(self):
        self.storage = self.api.list()
        return self.storage

    def apply(self, steps):
        for step in steps:
            if step.action == "detach":
                # The path must be free before something else is attached there.
                self.detach(step.mount, settle=self.wait or any(s.action == "attach" for s in steps))
            else:
                self.attach(step.mount)

    # ---- one write ---------------------------------------------------------------------------------------
    def attach(self, wanted):
        path = wanted["mount_path"]

        def read_back(dummy):
            return rules.find(self.read(), path)

        try:
            mount = write_with_read_back(
                self.api.client,
                None,
                lambda nothing, resending: self.api.attach(rules.attach_body(wanted)),
                read_back,
                lambda found: rules.holds(found, wanted),
                making=Making("a mount at %s" % path, look_out_seconds(self.wait_timeout)),
            )
        except ModelArtsError as error:
            if error.transient:
                raise
            # Refused: someone may have attached the same meanwhile (a path is mounted once).
            found = read_back(None)
            if not rules.holds(found, wanted):
                raise
            self._remember(found)
            return found
        self._remember(mount)
        self.done.append("attach")
        if self.wait:
            mount = wait_for_status(
                MOUNT,
                mount,
                self._reader(mount, "attached"),
                rules.MOUNTED,
                self.wait_timeout,
                "Waiting for mount %s of notebook instance %s to be attached" % (path, self.notebook_id),
                {rules.MOUNT_FAILED},
            )
            self._remember(mount)
        return mount

    def detach(self, live, settle):
        """Detach ``live``; with ``settle``, wait until it is gone (or UNMOUNTED)."""
        path = live.get("mount_path")
        answer, detached = delete_with_read_back(
            self.api.client,
            live,
            lambda current, resending: self.api.detach(live),
            lambda current: self._listed(live["id"]),
            lambda current: current is None or current.get("status") in rules.LEAVING,
            DETACHED,
            DETACH_CONFLICTS,
        )
        if not detached:
            self._forget(live)
            return
        self.done.append("detach")
        if answer is None:
            self._forget(live)
            return
        self._remember(dict(live, **answer) if answer else dict(live, status=rules.UNMOUNTING))
        if settle:
            gone = wait(
                MOUNT,
                dict(live, **answer),
                lambda: self.api.show_if_exists(live["id"]),
                lambda current: current is None or current.get("status") == rules.UNMOUNTED,
                self.wait_timeout,
                "Waiting for mount %s of notebook instance %s to be detached" % (path, self.notebook_id),
                {rules.UNMOUNT_FAILED},
            )
            if gone is None:
                self._forget(live)
            else:
                self._remember(gone)

    # ---- helpers ------------------------------------------------------------------------------------------
    def _reader(self, mount, purpose):
        def read():
            current = self.api.show_if_exists(mount["id"])
            if current is None:
                raise MOUNT.failure(
                    "mount %s of notebook instance %s disappeared while it was being %s"
                    % (mount.get("mount_path"), self.notebook_id, purpose),
                    mount,
                )
            return current

        return read

    def _listed(self, storage_id):
        """The mount with this id as the storage list shows it now (None: gone), for the check after a failed detach."""
        return next((mount for mount in self.read() if mount.get("id") == storage_id), None)

    def _remember(self, mount):
        """Keep ``storage`` current: ``mount`` replaces the entry with its id (or its path)."""
        storage = [
            entry
            for entry in self.storage or []
            if not (
                entry.get("id") == mount.get("id")
                if mount.get("id")
                else entry.get("mount_path") == mount.get("mount_path")
            )
        ]
        self.storage = storage + [mount]

    def _forget(self, mount):
        self.storage = [entry for entry in self.storage or [] if entry.get("id") != mount.get("id")]
