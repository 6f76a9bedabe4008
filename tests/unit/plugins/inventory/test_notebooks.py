# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The inventory plugin, loaded as Ansible loads it, against the simulator on loopback."""

from __future__ import annotations

import json
import os

import pytest

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.hwcloud.modelarts.plugins.inventory.notebooks import host_names, ssh_address
from ansible_collections.hwcloud.modelarts.plugins.module_utils._connection import ENV_VARS

from modelarts_simulator import DEFAULT_AUTH_TOKEN  # pylint: disable=wrong-import-order

HW_VARIABLES = tuple(ENV_VARS.values())


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in HW_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def credentials(simulator, monkeypatch):
    """The simulator's connection as HW_* variables, as an AWX credential gives them."""
    monkeypatch.setenv("HW_MODELARTS_ENDPOINT", simulator.url)
    monkeypatch.setenv("HW_PROJECT_ID", simulator.project_id)
    monkeypatch.setenv("HW_ACCESS_KEY", simulator.auth.access_key)
    monkeypatch.setenv("HW_SECRET_KEY", simulator.auth.secret_key)


def load(tmp_path, config, cache=True, name="fleet.modelarts.yml"):
    """Parse a configuration file as ansible-inventory does; returns the inventory data."""
    path = tmp_path / name
    path.write_text(json.dumps(dict({"plugin": "hwcloud.modelarts.notebooks"}, **config)))
    plugin = inventory_loader.get("hwcloud.modelarts.notebooks")
    assert plugin.verify_file(str(path))
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(path), cache=cache)
    if config.get("cache"):
        plugin.update_cache_if_changed()  # as the inventory manager does after parse
    return inventory


def hostvars(inventory, name):
    return inventory.get_host(name).get_vars()


def list_requests(simulator):
    return [r for r in simulator.requests if r.method == "GET" and r.notebook_id is None]


@pytest.mark.parametrize(
    "name, accepted",
    [
        ("fleet.modelarts.yml", True),
        ("fleet.modelarts.yaml", True),
        ("modelarts.yml", False),
        ("fleet.yml", False),
        ("fleet.modelarts.json", False),
    ],
)
def test_verify_file_accepts_only_modelarts_yaml_files(tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text("plugin: hwcloud.modelarts.notebooks\n")
    assert inventory_loader.get("hwcloud.modelarts.notebooks").verify_file(str(path)) is accepted


@pytest.mark.parametrize(
    "uri, address",
    [
        ("192.168.0.5:22", ("192.168.0.5", 22)),
        ("ssh://dev-abc.example.com:30022", ("dev-abc.example.com", 30022)),
        ("[2001:db8::5]:2222", ("2001:db8::5", 2222)),
        ("192.168.0.5", None),
        ("https://192.168.0.5:22", None),
        ("192.168.0.5:port", None),
        ("", None),
    ],
)
def test_ssh_address_from_the_ssh_endpoint_uri(uri, address):
    instance = {"endpoints": [{"dev_service": "NOTEBOOK", "uri": "10.0.0.1:8888"}, {"service": "SSH", "uri": uri}]}
    assert ssh_address(instance) == address


def test_ssh_address_ignores_other_services():
    assert ssh_address({"endpoints": [{"dev_service": "NOTEBOOK", "uri": "10.0.0.1:8888"}]}) is None
    assert ssh_address({"endpoints": None}) is None


def test_host_names_use_the_id_of_every_instance_whose_name_is_shared():
    instances = [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}, {"id": "3", "name": "b"}, {"id": "4", "name": ""}]
    assert host_names(instances) == ["a", "2", "3", "4"]
    assert host_names(instances, by_id=True) == ["1", "2", "3", "4"]


def test_hosts_and_their_variables(simulator, credentials, tmp_path):
    ssh = simulator.add_notebook(
        name="ssh-nb", status="RUNNING", endpoints=[{"dev_service": "NOTEBOOK"}, {"dev_service": "SSH"}]
    )
    local = simulator.add_notebook(name="api-nb", status="STOPPED")
    inventory = load(tmp_path, {})
    assert set(inventory.groups["modelarts"].get_hosts()) == {
        inventory.get_host("ssh-nb"),
        inventory.get_host("api-nb"),
    }

    ssh_vars = hostvars(inventory, "ssh-nb")
    host, port = ssh["endpoints"][1]["uri"].split(":")
    assert (ssh_vars["ansible_host"], ssh_vars["ansible_port"], ssh_vars["ansible_user"]) == (
        host,
        int(port),
        "ma-user",
    )
    assert "ansible_connection" not in ssh_vars
    local_vars = hostvars(inventory, "api-nb")
    assert local_vars["ansible_connection"] == "local" and "ansible_host" not in local_vars

    # Every field of the instance, prefixed, except its token.
    public = dict(local)
    del public["token"]
    assert {k: v for k, v in local_vars.items() if k.startswith("modelarts_")} == {
        "modelarts_" + k: v for k, v in public.items()
    }
    everything = json.dumps({name: hostvars(inventory, name) for name in inventory.hosts})
    for nb in (ssh, local):
        assert nb["token"] not in everything
    assert simulator.auth.secret_key not in everything


def test_shared_names_become_ids_and_hostname_id_names_every_host(simulator, credentials, tmp_path):
    first = simulator.add_notebook(name="twin")
    second = simulator.add_notebook(name="twin")
    simulator.add_notebook(name="single")
    assert set(load(tmp_path, {}).hosts) == {first["id"], second["id"], "single"}
    assert set(load(tmp_path, {"hostname": "id"}).hosts) == {nb["id"] for nb in simulator.notebooks()}


def test_pages_of_fifty(simulator, credentials, tmp_path):
    simulator.bulk_add(120)
    inventory = load(tmp_path, {})
    assert len(inventory.hosts) == 120
    assert [r.query["offset"] for r in list_requests(simulator)] == ["0", "50", "100"]
    assert all(r.query["limit"] == "50" for r in list_requests(simulator))


def test_filters(simulator, credentials, tmp_path):
    running = simulator.add_notebook(name="team-a-1", status="RUNNING")
    stopped = simulator.add_notebook(name="team-a-2", status="STOPPED")
    failed = simulator.add_notebook(name="team-b-1", status="ERROR")
    other = simulator.add_notebook(name="team-a-3", status="RUNNING")
    simulator.modify(other["id"], workspace_id="ws-42")

    assert set(load(tmp_path, {"status": ["RUNNING"]}).hosts) == {"team-a-1", "team-a-3"}
    assert list_requests(simulator)[-1].query["status"] == "RUNNING"
    simulator.clear_requests()
    # Several statuses: listed without the service's filter, filtered here.
    assert set(load(tmp_path, {"status": ["RUNNING", "ERROR"]}).hosts) == {"team-a-1", "team-a-3", "team-b-1"}
    assert "status" not in list_requests(simulator)[-1].query
    assert set(load(tmp_path, {"name": "team-a"}).hosts) == {"team-a-1", "team-a-2", "team-a-3"}
    assert list_requests(simulator)[-1].query["name"] == "team-a"
    assert set(load(tmp_path, {"workspace_id": "ws-42"}).hosts) == {"team-a-3"}
    assert list_requests(simulator)[-1].query["workspace_id"] == "ws-42"
    assert set(load(tmp_path, {"workspace_id": "0", "name": "team-a", "status": ["STOPPED"]}).hosts) == {"team-a-2"}
    assert {running["id"], stopped["id"], failed["id"]} <= {nb["id"] for nb in simulator.notebooks()}


def test_constructed_compose_groups_and_keyed_groups(simulator, credentials, tmp_path):
    simulator.add_notebook(name="gpu-nb", status="RUNNING", flavor="modelarts.vm.gpu.t4u8", capacity=50)
    simulator.add_notebook(name="cpu-nb", status="STOPPED")
    inventory = load(
        tmp_path,
        {
            "compose": {"disk_gb": "modelarts_volume.capacity", "team": "'ml-' ~ modelarts_name"},
            "groups": {"gpu": "'gpu' in modelarts_flavor"},
            "keyed_groups": [{"key": "modelarts_status | lower", "prefix": "status"}],
        },
    )
    # ansible-core 2.19 keeps the expression's native type; 2.16 to 2.18 render compose values as text.
    assert str(hostvars(inventory, "gpu-nb")["disk_gb"]) == "50"
    assert hostvars(inventory, "cpu-nb")["team"] == "ml-cpu-nb"
    assert [h.name for h in inventory.groups["gpu"].get_hosts()] == ["gpu-nb"]
    assert [h.name for h in inventory.groups["status_running"].get_hosts()] == ["gpu-nb"]
    assert [h.name for h in inventory.groups["status_stopped"].get_hosts()] == ["cpu-nb"]


def test_strict_fails_on_an_undefined_variable(simulator, credentials, tmp_path):
    simulator.add_notebook(name="nb")
    config = {"compose": {"owner": "modelarts_no_such_field"}, "groups": {"odd": "modelarts_no_such_field == 1"}}
    inventory = load(tmp_path, config)
    assert "owner" not in hostvars(inventory, "nb")
    with pytest.raises(AnsibleError, match="modelarts_no_such_field"):
        load(tmp_path, dict(config, strict=True))


def test_a_cached_run_makes_no_request_and_the_cache_holds_no_secret(simulator, credentials, tmp_path):
    nb = simulator.add_notebook(name="cached", status="RUNNING")
    cache_dir = tmp_path / "cache"
    config = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(cache_dir)}
    assert set(load(tmp_path, config).hosts) == {"cached"}
    assert len(list_requests(simulator)) == 1
    simulator.clear_requests()
    simulator.add_notebook(name="newer")

    assert set(load(tmp_path, config).hosts) == {"cached"}
    assert simulator.requests == []
    # cache=False is what --flush-cache passes: read the service and write the cache again.
    assert set(load(tmp_path, config, cache=False).hosts) == {"cached", "newer"}
    assert len(list_requests(simulator)) == 1
    simulator.clear_requests()
    assert set(load(tmp_path, config).hosts) == {"cached", "newer"}
    assert simulator.requests == []

    stored = "".join((cache_dir / name).read_text() for name in os.listdir(cache_dir))
    assert nb["id"] in stored
    for secret in (nb["token"], simulator.auth.secret_key):
        assert secret not in stored


def test_other_filters_do_not_read_the_cache_of_the_same_file(simulator, credentials, tmp_path):
    simulator.add_notebook(name="a", status="RUNNING")
    simulator.add_notebook(name="b", status="STOPPED")
    config = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    assert set(load(tmp_path, dict(config, status=["RUNNING"])).hosts) == {"a"}
    assert set(load(tmp_path, dict(config, status=["STOPPED"])).hosts) == {"b"}


def test_options_in_the_file_override_the_environment(simulator, monkeypatch, tmp_path):
    simulator.add_notebook(name="nb")
    monkeypatch.setenv("HW_PROJECT_ID", "wrong-project")
    monkeypatch.setenv("HW_MODELARTS_ENDPOINT", "http://127.0.0.1:1")
    inventory = load(
        tmp_path, {"endpoint": simulator.url, "project_id": simulator.project_id, "auth_token": DEFAULT_AUTH_TOKEN}
    )
    assert set(inventory.hosts) == {"nb"}


def test_empty_environment_variables_count_as_unset(simulator, credentials, monkeypatch, tmp_path):
    # An AWX credential injects every variable, the inputs left empty as empty strings.
    for name in ("HW_SECURITY_TOKEN", "HW_AUTH_TOKEN", "HW_REGION_NAME", "HW_CLOUD"):
        monkeypatch.setenv(name, "")
    simulator.add_notebook(name="nb")
    assert set(load(tmp_path, {}).hosts) == {"nb"}


def test_missing_credentials_fail_before_any_request(simulator, monkeypatch, tmp_path):
    monkeypatch.setenv("HW_MODELARTS_ENDPOINT", simulator.url)
    monkeypatch.setenv("HW_PROJECT_ID", simulator.project_id)
    with pytest.raises(AnsibleParserError, match="no credentials: set access_key .or HW_ACCESS_KEY."):
        load(tmp_path, {})
    monkeypatch.delenv("HW_PROJECT_ID")
    with pytest.raises(AnsibleParserError, match="project_id .or HW_PROJECT_ID. is required"):
        load(tmp_path, {"auth_token": DEFAULT_AUTH_TOKEN})
    assert simulator.requests == []


def test_a_service_error_is_clear_and_keeps_secrets_out(simulator, monkeypatch, tmp_path):
    monkeypatch.setenv("HW_MODELARTS_ENDPOINT", simulator.url)
    monkeypatch.setenv("HW_PROJECT_ID", simulator.project_id)
    monkeypatch.setenv("HW_AUTH_TOKEN", DEFAULT_AUTH_TOKEN)
    simulator.inject_fault(method="GET", status=403, echo=True)
    with pytest.raises(AnsibleParserError) as raised:
        load(tmp_path, {})
    message = str(raised.value)
    assert "Listing notebook instances (offset 0) failed: HTTP 403" in message
    assert DEFAULT_AUTH_TOKEN not in message and "********" in message


def test_transient_failures_are_retried(simulator, credentials, tmp_path):
    simulator.add_notebook(name="nb")
    simulator.inject_fault(method="GET", status=503, count=2)
    assert set(load(tmp_path, {}).hosts) == {"nb"}
    assert [r.status for r in list_requests(simulator)] == [503, 503, 200]


OTHER_USER = {"id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "name": "bob"}


def test_all_users_makes_hosts_of_every_users_notebooks(simulator, credentials, tmp_path):
    simulator.add_notebook(name="mine", status="RUNNING")
    simulator.add_notebook(name="theirs", status="RUNNING", user=OTHER_USER)
    assert set(load(tmp_path, {}).hosts) == {"mine"}
    assert list_requests(simulator)[-1].path.endswith("/notebooks")
    inventory = load(tmp_path, {"all_users": True, "status": ["RUNNING"]})
    assert set(inventory.hosts) == {"mine", "theirs"}
    assert hostvars(inventory, "theirs")["modelarts_user"] == OTHER_USER
    assert list_requests(simulator)[-1].path.endswith("/notebooks/all")
    assert list_requests(simulator)[-1].query["status"] == "RUNNING"


def test_all_users_does_not_read_the_cache_of_the_callers_view(simulator, credentials, tmp_path):
    simulator.add_notebook(name="mine")
    simulator.add_notebook(name="theirs", user=OTHER_USER)
    config = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    assert set(load(tmp_path, config).hosts) == {"mine"}
    assert set(load(tmp_path, dict(config, all_users=True)).hosts) == {"mine", "theirs"}


def test_all_users_refused_to_a_non_administrator_is_a_clear_failure(simulator, credentials, tmp_path):
    simulator.resources["all_notebooks"].forbidden = True
    with pytest.raises(AnsibleParserError, match="HTTP 403 ModelArts.0203") as raised:
        load(tmp_path, {"all_users": True})
    assert "Listing every user's notebook instances" in str(raised.value)
    assert simulator.auth.secret_key not in str(raised.value)
