# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: notebooks
short_description: ModelArts notebook instances as inventory hosts
version_added: 1.1.0
description:
  - Reads the notebook instances of a Huawei Cloud ModelArts project (the caller's own, or with O(all_users=true)
    every user's) and makes each one an inventory host, so that a play can work on a fleet of notebooks with
    C(hosts:), C(serial), C(max_fail_percentage) and C(forks).
  - Uses a YAML configuration file whose name ends with C(.modelarts.yml) or C(.modelarts.yaml).
  - Pages through the list API with the largest page it allows (50), so N instances cost ceil(N/50) requests,
    and none at all when the inventory is read from the cache.
  - The host name is the instance name. Instance names may repeat; every instance whose name is shared with
    another one is named by its ID instead, so that no instance hides another. O(hostname=id) names every
    host by its ID.
  - Host variables are the fields of the instance as the API returns them, each prefixed with C(modelarts_)
    (C(modelarts_id), C(modelarts_status), C(modelarts_flavor), C(modelarts_image), C(modelarts_endpoints)...),
    without the instance's access token, which is a secret.
  - An instance with an SSH endpoint whose C(uri) holds a host and a port (C(host:port) or C(ssh://host:port))
    gets C(ansible_host), C(ansible_port) and C(ansible_user=ma-user) (the notebook's user), so that a play can
    configure inside the notebook. Every other instance gets C(ansible_connection=local), so that the
    collection's modules run against the API from the controller.
author:
  - hwcloud.modelarts maintainers (@hwcloud-modelarts)
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - hwcloud.modelarts.plugin_connection
options:
  plugin:
    description: Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices: [hwcloud.modelarts.notebooks]
  status:
    description:
      - Only instances in one of these statuses, for example V(RUNNING) or V(STOPPED).
      - A single status is filtered by the service; several are filtered after listing every instance.
    type: list
    elements: str
    default: []
  name:
    description:
      - Only instances whose name matches this, with the service's fuzzy match (the name contains it).
    type: str
  workspace_id:
    description:
      - Only instances of this workspace (V(0) is the default workspace).
    type: str
  all_users:
    description:
      - Read the notebook instances of every user of the project (the service's C(/notebooks/all)), not only the
        caller's, with the same filters and paging. This is an administrator's view, which the service refuses
        (HTTP 403) to a user without the rights.
    type: bool
    default: false
    version_added: 1.2.0
  hostname:
    description:
      - What names the hosts. V(name) is the instance name, except for the instances whose name is shared,
        which are named by their ID. V(id) names every host by its instance ID.
    type: str
    choices: [name, id]
    default: name
  group:
    description:
      - The group every host is added to, besides the groups of O(groups) and O(keyed_groups).
    type: str
    default: modelarts
notes:
  - The cache holds the instances without their access token, and never any credential.
  - Change O(cache_timeout) or run C(ansible-inventory --flush-cache) to read the service again.
  - Hosts with C(ansible_connection=local) run modules with the interpreter Ansible finds for them; set
    C(ansible_python_interpreter) to C({{ ansible_playbook_python }}) in the play (or run the tasks with
    C(delegate_to=localhost)) so that they use the controller's Python, which has C(requests).
seealso:
  - module: hwcloud.modelarts.notebook_instance
  - module: hwcloud.modelarts.notebook_instance_info
"""

EXAMPLES = r"""
# Each example is a file of its own.

# fleet.modelarts.yml: every notebook of the project, credentials from the HW_* environment variables
plugin: hwcloud.modelarts.notebooks

# dev.modelarts.yml: the running notebooks of one workspace, grouped by flavor and status
plugin: hwcloud.modelarts.notebooks
region: cn-north-4
workspace_id: "0"
status: [RUNNING]
keyed_groups:
  - key: modelarts_flavor
    prefix: flavor
  - key: modelarts_status | lower
    prefix: status
groups:
  gpu: "'gpu' in modelarts_flavor"
compose:
  disk_gb: modelarts_volume.capacity

# team-a.modelarts.yml: every user's notebooks in one workspace (an administrator's view)
plugin: hwcloud.modelarts.notebooks
workspace_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
all_users: true

# cached.modelarts.yml: read the service at most every 10 minutes
plugin: hwcloud.modelarts.notebooks
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/modelarts-inventory
cache_timeout: 600
"""

import hashlib
import json
from urllib.parse import urlsplit

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.hwcloud.modelarts.plugins.module_utils._connection import (
    CONNECTION_ARGUMENT_SPEC,
    ConnectionOptionError,
    client_from_params,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import HAS_REQUESTS, ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NotebookAPI
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import without_token

HOSTVAR_PREFIX = "modelarts_"
SSH_USER = "ma-user"
SECRET_OPTIONS = ("secret_key", "security_token", "auth_token")


def ssh_address(instance):
    """(host, port) of the instance's SSH endpoint, or None when it has none with a host and a port."""
    for endpoint in instance.get("endpoints") or []:
        if not isinstance(endpoint, dict) or (endpoint.get("dev_service") or endpoint.get("service")) != "SSH":
            continue
        uri = endpoint.get("uri")
        if not isinstance(uri, str) or not uri.strip():
            continue
        uri = uri.strip()
        try:
            parts = urlsplit(uri if "://" in uri else "ssh://" + uri)
            port = parts.port
        except ValueError:
            continue
        if parts.scheme == "ssh" and parts.hostname and port:
            return parts.hostname, port
    return None


def host_names(instances, by_id=False):
    """The host name of each instance: its name, or its id when asked or when the name is shared."""
    count = {}
    for instance in instances:
        count[instance.get("name")] = count.get(instance.get("name"), 0) + 1
    names = []
    for instance in instances:
        name = instance.get("name")
        names.append(instance["id"] if by_id or not name or count[name] > 1 else name)
    return names


def host_vars(instance):
    """The instance's fields prefixed with modelarts_ (no token), and how Ansible reaches it."""
    variables = {HOSTVAR_PREFIX + key: value for key, value in without_token(instance).items()}
    address = ssh_address(instance)
    if address:
        variables.update(ansible_host=address[0], ansible_port=address[1], ansible_user=SSH_USER)
    else:
        variables["ansible_connection"] = "local"
    return variables


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "hwcloud.modelarts.notebooks"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith((".modelarts.yml", ".modelarts.yaml"))

    def _connection_params(self):
        return {option: self.get_option(option) for option in CONNECTION_ARGUMENT_SPEC}

    def _cache_key(self, path, params):
        # The same file with other filters or another project must not read the other's instances;
        # only non-secret settings go into the key.
        scope = {key: params.get(key) for key in ("region", "cloud", "endpoint", "project_id")}
        scope.update({key: self.get_option(key) for key in ("status", "name", "workspace_id")})
        if self.get_option("all_users"):
            # Only when set, so that the key of a cache written before the option existed stays the same.
            scope["all_users"] = True
        digest = hashlib.sha256(json.dumps(scope, sort_keys=True).encode("utf-8")).hexdigest()[:16]
        return "%s_%s" % (self.get_cache_key(path), digest)

    def _fetch(self, params):
        if not HAS_REQUESTS:
            raise AnsibleParserError(
                "The %s inventory plugin needs the Python library requests on the controller" % self.NAME
            )
        statuses = self.get_option("status") or []
        workspace_id = self.get_option("workspace_id")
        try:
            api = NotebookAPI(client_from_params(params))
            # Oldest first: an instance created while paging lands on the last page instead of shifting the others.
            instances = api.list(
                name=self.get_option("name"),
                status=statuses[0] if len(statuses) == 1 else None,
                workspace_id=workspace_id,
                sort_key="create_at",
                sort_dir="ASC",
                all_users=self.get_option("all_users"),
            )
        except (ConnectionOptionError, ModelArtsError) as error:
            raise AnsibleParserError("%s: %s" % (self.NAME, _scrub(str(error), params))) from None
        # The service's filters are applied again here: a status list is not sent, and the result must hold
        # what the configuration asks for whatever the service did with a filter.
        return [
            without_token(nb)
            for nb in instances
            if (not statuses or nb.get("status") in statuses)
            and (workspace_id is None or str(nb.get("workspace_id")) == str(workspace_id))
        ]

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        params = self._connection_params()
        cache_key = self._cache_key(path, params)
        # cache is False with --flush-cache: read the service and write the cache again.
        use_cache = self.get_option("cache") and cache
        instances = None
        if use_cache:
            try:
                instances = self._cache[cache_key]
            except KeyError:
                instances = None
        if instances is None:
            instances = self._fetch(params)
            if self.get_option("cache"):
                self._cache[cache_key] = instances
        self._populate(instances)

    def _populate(self, instances):
        group = self.get_option("group")
        strict = self.get_option("strict")
        self.inventory.add_group(group)
        for name, instance in zip(host_names(instances, self.get_option("hostname") == "id"), instances):
            self.inventory.add_host(name, group=group)
            for key, value in host_vars(instance).items():
                self.inventory.set_variable(name, key, value)
            hostvars = self.inventory.get_host(name).get_vars()
            self._set_composite_vars(self.get_option("compose"), hostvars, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, name, strict=strict)


def _scrub(text, params):
    """An error message without the configured secrets (a gateway may quote the request back)."""
    for option in SECRET_OPTIONS:
        if params.get(option):
            text = text.replace(params[option], "********")
    return text
