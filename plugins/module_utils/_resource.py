# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How messages and results speak of one kind of resource (a notebook instance, a mount, an image, a workspace),
and the calls every top-level resource has.

Waits, lookups and failures are generic; a Kind tells them what the resource is called, which field identifies
it, which says why it failed, where the result reports it and which of its fields are secrets.
"""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, is_not_found
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsError


class Kind:
    """``name`` for messages ("notebook instance"); ``result_key`` under which a failure reports the resource;
    ``id_key`` the field that identifies it; ``reason_key`` the field that says why it failed; ``secret_keys``
    fields never reported (and masked from the moment they are seen)."""

    def __init__(
        self, name, result_key, id_key="id", reason_key=None, secret_keys=(), status_key="status", plural=None
    ):
        self.name = name
        self.plural = plural or name + "s"
        self.result_key = result_key
        self.id_key = id_key
        self.reason_key = reason_key
        self.secret_keys = tuple(secret_keys)
        self.status_key = status_key

    def ident(self, resource):
        return (resource or {}).get(self.id_key)

    def status(self, resource):
        return (resource or {}).get(self.status_key)

    def describe(self, resource):
        """``notebook instance <id>``, for messages."""
        return "%s %s" % (self.name, self.ident(resource))

    def reason(self, resource):
        """`` (fail_reason: ...)`` when the resource says why it failed, for messages."""
        reason = (resource or {}).get(self.reason_key) if self.reason_key else None
        return " (%s: %s)" % (self.reason_key, reason) if reason else ""

    def public(self, resource):
        """The resource as the API returned it, minus its secrets."""
        if not isinstance(resource, dict) or not any(key in resource for key in self.secret_keys):
            return resource
        return {key: value for key, value in resource.items() if key not in self.secret_keys}

    def secrets(self, resource):
        if not isinstance(resource, dict):
            return ()
        return tuple(resource[key] for key in self.secret_keys if resource.get(key))

    def failure(self, message, resource):
        """A ModuleError that also reports ``resource`` (without its secrets, which are masked from then on)."""
        if not isinstance(resource, dict):
            return ModuleError(message)
        return ModuleError(message, secrets=self.secrets(resource), **{self.result_key: self.public(resource)})


class ResourceAPI:
    """The calls every resource has: its path, a read by id, and a read that answers None for an id the service
    does not know. A subclass sets ``kind``, ``not_found`` (the service's answers for an unknown id, from
    _errors.py) and ``collection`` (the path segment under the project), or overrides ``_path`` for a resource
    under another (a notebook's mounts)."""

    collection = None
    kind = None
    not_found = frozenset()

    def __init__(self, client):
        self.client = client

    def _path(self, *segments):
        return self.client.project_path(self.collection, *segments)

    def show(self, resource_id):
        return self.client.request("GET", self._path(resource_id), "Reading %s %s" % (self.kind.name, resource_id))

    def show_if_exists(self, resource_id):
        """The resource, or None when the service does not know the id."""
        try:
            return self.show(resource_id)
        except ModelArtsError as error:
            if is_not_found(error, self.not_found):
                return None
            raise
