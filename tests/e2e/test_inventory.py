"""The inventory plugin hwcloud.modelarts.notebooks through ansible-inventory and ansible-playbook, against the simulator."""

import json
import os
import shutil

import pytest
from test_awx_credential_type import load_credential_type, render_env

from ansible_e2e import BIN_DIR, REPO_DIR, Ansible, write_requests
from modelarts_simulator import DEFAULT_AUTH_TOKEN

EXAMPLE_INVENTORY = os.path.join(REPO_DIR, "examples", "fleet.modelarts.yml")
EXAMPLE_PLAYBOOK = os.path.join(REPO_DIR, "examples", "fleet_rolling_update.yml")
FLAVOR = "modelarts.vm.cpu.8u"


@pytest.fixture
def ansible(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def inventory_file(ansible, text, name="fleet.modelarts.yml"):
    path = os.path.join(ansible.tmp_path, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def ansible_inventory(ansible, path, *args, env=None):
    """ansible-inventory -i path --list (or args), with the simulator's connection as HW_* variables unless env is given."""
    command = [os.path.join(BIN_DIR, "ansible-inventory"), "-i", path] + list(args or ["--list"])
    run = ansible._run(command, ansible.connection_env() if env is None else env)  # pylint: disable=protected-access
    return run


def listed(run):
    assert run.rc == 0, run.describe()
    return json.loads(run.stdout)


def plain(value):
    """A host variable as ansible-inventory --list writes it: untrusted strings are wrapped as {"__ansible_unsafe": ...}."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def list_requests(sim):
    return [r for r in sim.requests if r.method == "GET" and r.notebook_id is None]


def test_list_groups_compose_and_no_secret(simulator, ansible):
    gpu = simulator.add_notebook(
        name="gpu-nb",
        status="RUNNING",
        flavor="modelarts.vm.gpu.t4u8",
        capacity=50,
        endpoints=[{"dev_service": "NOTEBOOK"}, {"dev_service": "SSH", "uri": "ssh://10.1.2.3:30022"}],
    )
    cpu = simulator.add_notebook(name="cpu-nb", status="STOPPED")
    twin_a, twin_b = simulator.add_notebook(name="twin"), simulator.add_notebook(name="twin")
    path = inventory_file(ansible, open(EXAMPLE_INVENTORY, encoding="utf-8").read())
    data = listed(ansible_inventory(ansible, path))
    hostvars = {name: plain(v) for name, v in data["_meta"]["hostvars"].items()}

    assert set(hostvars) == {"gpu-nb", "cpu-nb", twin_a["id"], twin_b["id"]}
    assert set(data["modelarts"]["hosts"]) == set(hostvars)
    assert data["gpu"]["hosts"] == ["gpu-nb"]
    assert data["status_running"]["hosts"] == ["gpu-nb"]
    assert set(data["status_stopped"]["hosts"]) == {"cpu-nb", twin_a["id"], twin_b["id"]}
    assert data["flavor_modelarts_vm_gpu_t4u8"]["hosts"] == ["gpu-nb"]
    assert str(hostvars["gpu-nb"]["disk_gb"]) == "50"  # native on ansible-core 2.19, text before
    assert (
        hostvars["gpu-nb"]["ansible_host"],
        hostvars["gpu-nb"]["ansible_port"],
        hostvars["gpu-nb"]["ansible_user"],
    ) == ("10.1.2.3", 30022, "ma-user")
    assert hostvars["cpu-nb"]["ansible_connection"] == "local"
    assert hostvars["cpu-nb"]["modelarts_id"] == cpu["id"]
    assert hostvars["cpu-nb"]["modelarts_volume"]["capacity"] == 5
    assert all("modelarts_token" not in v for v in hostvars.values())
    assert len(list_requests(simulator)) == 1
    # Every host's variables at the highest verbosity: no token, no secret key.
    run = ansible_inventory(ansible, path, "--list", "--yaml", "-vvvv")
    assert run.rc == 0 and "modelarts_id" in run.stdout, run.describe()
    for nb in (gpu, cpu, twin_a, twin_b):
        assert nb["token"] not in run.output
    assert simulator.auth.secret_key not in run.output


def test_filters_in_the_file(simulator, ansible):
    simulator.add_notebook(name="team-a-1", status="RUNNING")
    simulator.add_notebook(name="team-a-2", status="STOPPED")
    simulator.add_notebook(name="team-b-1", status="RUNNING")
    other = simulator.add_notebook(name="team-a-3", status="RUNNING")
    simulator.modify(other["id"], workspace_id="ws-7")
    path = inventory_file(
        ansible, "plugin: hwcloud.modelarts.notebooks\nname: team-a\nstatus: [RUNNING]\nworkspace_id: '0'\n"
    )
    assert set(listed(ansible_inventory(ansible, path))["_meta"]["hostvars"]) == {"team-a-1"}
    query = list_requests(simulator)[-1].query
    assert (query["name"], query["status"], query["workspace_id"]) == ("team-a", "RUNNING", "0")


def test_cached_inventory_makes_no_request(simulator, ansible):
    simulator.bulk_add(120)
    cache_dir = os.path.join(ansible.tmp_path, "inventory-cache")
    path = inventory_file(
        ansible,
        "plugin: hwcloud.modelarts.notebooks\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
        "cache_connection: %s\ncache_timeout: 3600\n" % cache_dir,
    )
    first = listed(ansible_inventory(ansible, path))
    assert len(first["_meta"]["hostvars"]) == 120
    assert len(list_requests(simulator)) == 3  # ceil(120 / 50)

    simulator.clear_requests()
    assert listed(ansible_inventory(ansible, path)) == first
    assert simulator.requests == []

    simulator.add_notebook(name="late")
    refreshed = listed(ansible_inventory(ansible, path, "--list", "--flush-cache"))
    assert "late" in refreshed["_meta"]["hostvars"]
    assert len(list_requests(simulator)) == 3
    stored = "".join(open(os.path.join(cache_dir, name), encoding="utf-8").read() for name in os.listdir(cache_dir))
    assert "late" in stored
    assert simulator.auth.secret_key not in stored
    assert not any(nb["token"] in stored for nb in simulator.notebooks())


def test_missing_credentials_fail_clearly(simulator, ansible):
    path = inventory_file(ansible, "plugin: hwcloud.modelarts.notebooks\n")
    run = ansible_inventory(ansible, path, "--list", env=ansible.connection_env(access_key=None, secret_key=None))
    assert "no credentials" in run.output and "HW_ACCESS_KEY" in run.output, run.describe()
    assert simulator.requests == []


def test_awx_credential_reaches_the_plugin(simulator, ansible):
    """The environment the collection's AWX credential type injects (empty inputs included) is all the plugin needs."""
    simulator.add_notebook(name="awx-nb")
    env = render_env(
        load_credential_type(),
        {
            "project_id": simulator.project_id,
            "access_key": simulator.auth.access_key,
            "secret_key": simulator.auth.secret_key,
            "endpoint": simulator.url,
        },
    )
    assert env["HW_AUTH_TOKEN"] == env["HW_SECURITY_TOKEN"] == ""
    run = ansible_inventory(ansible, inventory_file(ansible, "plugin: hwcloud.modelarts.notebooks\n"), env=env)
    assert set(listed(run)["_meta"]["hostvars"]) == {"awx-nb"}
    assert simulator.auth.secret_key not in run.output
    iam = render_env(
        load_credential_type(),
        {"project_id": simulator.project_id, "auth_token": DEFAULT_AUTH_TOKEN, "endpoint": simulator.url},
    )
    run = ansible_inventory(ansible, inventory_file(ansible, "plugin: hwcloud.modelarts.notebooks\n"), env=iam)
    assert set(listed(run)["_meta"]["hostvars"]) == {"awx-nb"}
    assert DEFAULT_AUTH_TOKEN not in run.output
    assert all(r.headers.get("X-Auth-Token") == DEFAULT_AUTH_TOKEN for r in list_requests(simulator)[1:])


def test_example_rolling_update_over_a_group(simulator, ansible):
    """examples/fleet_rolling_update.yml over the running group of examples/fleet.modelarts.yml, two at a time."""
    running = [simulator.add_notebook(name="run-%d" % i, status="RUNNING") for i in range(4)]
    stopped = simulator.add_notebook(name="idle", status="STOPPED")
    inventory = inventory_file(ansible, open(EXAMPLE_INVENTORY, encoding="utf-8").read())
    shutil.copy(EXAMPLE_PLAYBOOK, ansible.tmp_path)
    playbook = os.path.join(ansible.tmp_path, os.path.basename(EXAMPLE_PLAYBOOK))
    command = [
        os.path.join(BIN_DIR, "ansible-playbook"),
        "-i",
        inventory,
        playbook,
        "-e",
        "fleet_group=status_running",
        "-e",
        "fleet_serial=2",
    ]
    run = ansible._run(command, ansible.connection_env())  # pylint: disable=protected-access
    assert run.rc == 0, run.describe()
    for nb in running:
        live = simulator.notebook(nb["id"])
        assert (live["flavor"], live["description"], live["status"]) == (
            FLAVOR,
            "Managed by the platform team",
            "RUNNING",
        )
    assert simulator.notebook(stopped["id"])["flavor"] != FLAVOR
    assert write_requests(simulator, stopped["id"]) == []
    # serial: 2: the second pair is not touched before the first pair is done.
    order = sorted(running, key=lambda nb: min(r.time for r in write_requests(simulator, nb["id"])))
    first_done = max(r.time for nb in order[:2] for r in write_requests(simulator, nb["id"]))
    second_begun = min(r.time for nb in order[2:] for r in write_requests(simulator, nb["id"]))
    assert first_done < second_begun
    for nb in running:
        assert nb["token"] not in run.output


def test_local_connection_hosts_run_modules_on_the_controller(simulator, ansible):
    """Hosts without SSH have ansible_connection local: tasks run there directly, with the play's interpreter."""
    nbs = [simulator.add_notebook(name="local-%d" % i, status="STOPPED") for i in range(3)]
    inventory = inventory_file(ansible, "plugin: hwcloud.modelarts.notebooks\n")
    playbook = os.path.join(ansible.tmp_path, "local.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write("""
- name: Describe every notebook
  hosts: modelarts
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Description from the inventory
      hwcloud.modelarts.notebook_instance:
        id: "{{ modelarts_id }}"
        description: "{{ inventory_hostname }} on {{ modelarts_flavor }}"
""")
    run = ansible._run(
        [os.path.join(BIN_DIR, "ansible-playbook"), "-i", inventory, playbook, "--forks", "3"],  # pylint: disable=protected-access
        ansible.connection_env(),
    )
    assert run.rc == 0, run.describe()
    for nb in nbs:
        assert simulator.notebook(nb["id"])["description"] == "%s on %s" % (nb["name"], nb["flavor"])
