# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The notebook calls of the ModelArts API, the lookup by id or exact name, and waiting for a status."""

from __future__ import annotations

import time

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import FAILED, without_token
from ansible_collections.hwcloud.modelarts.plugins.module_utils._paging import list_all

# The largest page the list call allows: fewest requests per project.
PAGE_SIZE = 50
# Polling: every 10 % of the time waited so far, between these bounds, so the overshoot past the end of
# a transition stays small for short waits and the request count stays small for long ones.
POLL_MIN, POLL_MAX, POLL_SHARE = 0.5, 10.0, 0.1
# The service's answers for an id it does not know (HTTP 400, and 404 on some paths); Huawei's Terraform
# provider also takes 6404 as "gone" after a delete.
NOT_FOUND = frozenset(("ModelArts.6309", "ModelArts.6404"))


def failure_with(message, instance):
    """A ModuleError that also reports ``instance`` (without its token, which is masked from then on)."""
    if not isinstance(instance, dict):
        return ModuleError(message)
    return ModuleError(message, secrets=(instance.get("token"),), notebook=without_token(instance))


class WaitError(ModuleError):
    """A wait ended badly: a failed status, or the timeout (with the last status seen)."""

    def __init__(self, message, instance):
        failure = failure_with(message, instance)
        super().__init__(message, secrets=failure.secrets, **failure.result)
        self.instance = instance


class NotebookNotFound(ModuleError):
    """No instance has the exact name asked for."""


def fail_reason(instance):
    """`` (fail_reason: ...)`` when the instance says why it failed, for messages."""
    reason = (instance or {}).get("fail_reason")
    return " (fail_reason: %s)" % reason if reason else ""


def is_not_found(error):
    return error.status == 404 or error.error_code in NOT_FOUND


def _workspace_query(instance):
    """The tags calls take the instance's workspace, except the default one ("0")."""
    workspace = instance.get("workspace_id")
    return [("workspace_id", workspace)] if workspace and workspace != "0" else []


class NotebookAPI:
    def __init__(self, client):
        self.client = client

    def _path(self, *segments):
        return self.client.project_path("notebooks", *segments)

    def show(self, notebook_id):
        return self.client.request("GET", self._path(notebook_id), "Reading notebook instance %s" % notebook_id)

    def show_if_exists(self, notebook_id):
        """The instance, or None when the service does not know the id."""
        try:
            return self.show(notebook_id)
        except ModelArtsError as error:
            if is_not_found(error):
                return None
            raise

    def update(self, notebook_id, body):
        return self.client.request(
            "PUT",
            self._path(notebook_id),
            "Updating notebook instance %s (%s)" % (notebook_id, ", ".join(sorted(body))),
            body=body,
        )

    def start(self, notebook_id, query):
        """Start; ``query`` sets the auto-stop lease of the run (``duration``, ``type``): see start_query()."""
        return self.client.request(
            "POST", self._path(notebook_id, "start"), "Starting notebook instance %s" % notebook_id, params=query
        )

    def stop(self, notebook_id):
        return self.client.request(
            "POST", self._path(notebook_id, "stop"), "Stopping notebook instance %s" % notebook_id
        )

    def create(self, body):
        return self.client.request("POST", self._path(), "Creating notebook instance %r" % body.get("name"), body=body)

    def delete(self, notebook_id):
        return self.client.request("DELETE", self._path(notebook_id), "Deleting notebook instance %s" % notebook_id)

    def renew_lease(self, notebook_id, body):
        """Turn auto-stop on (or change it) on a running instance: the countdown restarts with ``body``."""
        return self.client.request(
            "PATCH",
            self._path(notebook_id, "lease"),
            "Setting the auto-stop of notebook instance %s" % notebook_id,
            body=body,
        )

    def add_tags(self, instance, tags):
        """Add or overwrite ``tags`` ([{key, value}])."""
        return self.client.request(
            "POST",
            self._path(instance["id"], "tags", "create"),
            "Tagging notebook instance %s (%s)" % (instance["id"], ", ".join(t["key"] for t in tags)),
            params=_workspace_query(instance),
            body={"tags": tags},
        )

    def remove_tags(self, instance, tags):
        """Remove ``tags`` ([{key, value}]; the key decides)."""
        return self.client.request(
            "DELETE",
            self._path(instance["id"], "tags", "delete"),
            "Removing tags from notebook instance %s (%s)" % (instance["id"], ", ".join(t["key"] for t in tags)),
            params=_workspace_query(instance),
            body={"tags": tags},
        )

    def list(self, name=None, status=None, workspace_id=None, sort_key=None, sort_dir=None):
        """Every instance the list call returns for these filters, paging with the largest page."""
        listing = "Listing notebook instances" + ("" if name is None else " named like %r" % name)
        params = [
            ("name", name),
            ("status", status),
            ("workspace_id", workspace_id),
            ("sort_key", sort_key),
            ("sort_dir", sort_dir),
        ]
        return list_all(self.client, self._path(), listing, params, PAGE_SIZE)

    def find_by_name(self, name, workspace_id=None):
        """Instances whose name is exactly ``name`` (the list filter is fuzzy), and every name it matched."""
        candidates = self.list(name=name, workspace_id=workspace_id)
        return [nb for nb in candidates if nb.get("name") == name], [nb.get("name") for nb in candidates]

    def lookup(self, notebook_id=None, name=None, workspace_id=None):
        """The instance with this id, or the one instance named exactly ``name`` (in ``workspace_id`` if given).

        Raises NotebookNotFound when no instance has the name, and ModuleError naming the ids when several do.
        """
        if notebook_id:
            return self.show(notebook_id)
        matches, names = self.find_by_name(name, workspace_id)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            seen = ", ".join(sorted(set(names))) if names else "none"
            raise NotebookNotFound(
                "no notebook instance is named %r (the list's name filter matched: %s)" % (name, seen)
            )
        raise ModuleError(
            "%d notebook instances are named %r (ids: %s): give id to choose one"
            % (len(matches), name, ", ".join(sorted(nb.get("id", "?") for nb in matches)))
        )

    def wait(self, instance, targets, timeout, waiting_for):
        """Poll until the status is one of ``targets``; fail on a failed status or after ``timeout`` seconds.

        Another stable status keeps the poll going: right after a start or stop the service may still
        report the old status for a moment.
        """
        return self.poll(
            instance,
            lambda current: current.get("status") in targets,
            FAILED,
            timeout,
            waiting_for,
            awaited=" or ".join(sorted(targets)),
        )

    def poll(self, instance, is_done, failed, timeout, waiting_for, awaited=None, read=None):
        """Read the instance until ``is_done``; fail on a status in ``failed`` or after ``timeout`` seconds,
        naming the last status seen (and ``awaited``, what was waited for).

        ``read`` is GET by default; a ``read`` that answers None for an instance that is gone (show_if_exists)
        lets ``is_done`` wait for the end of a delete.
        """
        read = read or self.show
        notebook_id, start = instance["id"], time.monotonic()
        current = last = instance
        while True:
            if is_done(current):
                return current
            if current.get("status") in failed:
                raise WaitError(
                    "%s: notebook instance %s is %s%s"
                    % (waiting_for, notebook_id, current["status"], fail_reason(current)),
                    current,
                )
            elapsed = time.monotonic() - start
            if elapsed >= timeout:
                raise WaitError(
                    "%s: timed out after %s seconds (wait_timeout)%s; the last status seen was %s%s"
                    % (
                        waiting_for,
                        timeout,
                        " waiting for " + awaited if awaited else "",
                        last.get("status"),
                        fail_reason(last),
                    ),
                    last,
                )
            time.sleep(min(max(POLL_MIN, elapsed * POLL_SHARE), POLL_MAX, timeout - elapsed))
            current = read(notebook_id)
            last = current or last
