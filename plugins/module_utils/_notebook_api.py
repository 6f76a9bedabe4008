# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The notebook calls of the ModelArts API, and waiting for a status."""

from __future__ import annotations

import time

from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import FAILED

# The largest page the list call allows: fewest requests per project.
PAGE_SIZE = 50
# Polling: every 10 % of the time waited so far, between these bounds, so the overshoot past the end of
# a transition stays small for short waits and the request count stays small for long ones.
POLL_MIN, POLL_MAX, POLL_SHARE = 0.5, 10.0, 0.1


class WaitError(Exception):
    """A wait ended badly: a failed status, or the timeout (with the last status seen)."""

    def __init__(self, message, instance=None):
        super().__init__(message)
        self.instance = instance


class NotebookAPI:
    def __init__(self, client):
        self.client = client

    def show(self, notebook_id):
        return self.client.request("GET", self.client.project_path("notebooks", notebook_id), "Reading notebook instance %s" % notebook_id)

    def update(self, notebook_id, body):
        return self.client.request("PUT", self.client.project_path("notebooks", notebook_id),
                                   "Updating notebook instance %s (%s)" % (notebook_id, ", ".join(sorted(body))), body=body)

    def start(self, notebook_id):
        return self.client.request("POST", self.client.project_path("notebooks", notebook_id, "start"), "Starting notebook instance %s" % notebook_id)

    def stop(self, notebook_id):
        return self.client.request("POST", self.client.project_path("notebooks", notebook_id, "stop"), "Stopping notebook instance %s" % notebook_id)

    def list(self, name=None, status=None, sort_key=None, sort_dir=None, workspace_id=None):
        """Every instance the list call returns for these filters, paging with the largest page.

        An instance created or deleted while paging shifts the pages: one seen twice is kept once.
        """
        found, seen, offset = [], set(), 0
        what = "Listing notebook instances" + ("" if name is None else " named like %r" % name)
        while True:
            params = [("limit", PAGE_SIZE), ("offset", offset), ("name", name), ("status", status), ("sort_key", sort_key), ("sort_dir", sort_dir),
                      ("workspace_id", workspace_id)]
            page = self.client.request("GET", self.client.project_path("notebooks"), "%s (offset %d)" % (what, offset), params=params)
            data = page.get("data") or []
            for instance in data:
                if instance.get("id") not in seen:
                    seen.add(instance.get("id"))
                    found.append(instance)
            offset += len(data)
            total = page.get("total")
            if not data or len(data) < PAGE_SIZE or (isinstance(total, int) and offset >= total):
                return found

    def find_by_name(self, name):
        """Instances whose name is exactly ``name`` (the list filter is fuzzy), and every name it matched."""
        candidates = self.list(name=name)
        return [nb for nb in candidates if nb.get("name") == name], [nb.get("name") for nb in candidates]

    def wait(self, instance, targets, timeout, what):
        """Poll until the status is one of ``targets``; fail on a failed status or after ``timeout`` seconds.

        Another stable status keeps the poll going: right after a start or stop the service may still
        report the old status for a moment.
        """
        start = time.monotonic()
        while True:
            status = instance.get("status")
            if status in targets:
                return instance
            if status in FAILED:
                raise WaitError("%s: notebook instance %s is %s%s" % (what, instance.get("id"), status, _reason(instance)), instance)
            elapsed = time.monotonic() - start
            if elapsed >= timeout:
                raise WaitError("%s: timed out after %s seconds (wait_timeout) waiting for %s; the last status seen was %s%s"
                                % (what, timeout, " or ".join(sorted(targets)), status, _reason(instance)), instance)
            time.sleep(min(max(POLL_MIN, elapsed * POLL_SHARE), POLL_MAX, timeout - elapsed))
            instance = self.show(instance["id"])


def _reason(instance):
    reason = instance.get("fail_reason")
    return " (fail_reason: %s)" % reason if reason else ""
