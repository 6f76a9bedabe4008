"""The role hwcloud.modelarts.notebooks through ansible-playbook, against the simulator."""

import os

import pytest
import yaml

from ansible_e2e import Ansible, api_requests, write_requests

TASK = "Apply the notebook definitions"
FLAVOR = "modelarts.vm.cpu.8u"


@pytest.fixture
def ansible(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def role_playbook(ansible, role_vars, name="role.yml"):
    play = {"name": "Notebooks through the role", "hosts": "localhost", "gather_facts": False,
            "roles": [{"role": "hwcloud.modelarts.notebooks", "vars": role_vars}]}
    path = os.path.join(ansible.tmp_path, name)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump([play], handle, sort_keys=False)
    return path


def connection_vars(ansible):
    return {"modelarts_%s" % k: v for k, v in ansible.connection().items()}


def loop_result(run):
    found = [r for r in run.results if r["task"].endswith(TASK)]
    assert found, run.describe()
    return found[-1]["result"]


@pytest.mark.smoke
def test_role_applies_two_notebooks_then_reruns_unchanged(simulator, ansible):
    stopped = simulator.add_notebook(name="team-a", status="STOPPED", capacity=5)
    running = simulator.add_notebook(name="team-b", status="RUNNING", description="old")
    notebooks = [
        {"id": stopped["id"], "flavor": FLAVOR, "storage_size": 20},
        {"name": "team-b", "description": "Team B notebook", "allow_restart": True},
    ]
    playbook = role_playbook(ansible, dict(connection_vars(ansible), modelarts_notebooks=notebooks))

    # -vvvv: the whole output is readable per notebook and holds no secret.
    first = ansible.playbook(playbook=playbook, verbosity=4)
    assert first.rc == 0, first.describe()
    assert "(item=%s)" % stopped["id"] in first.stdout
    assert "(item=team-b)" in first.stdout
    assert simulator.auth.secret_key not in first.output
    for nb_id in (stopped["id"], running["id"]):
        assert simulator.notebook(nb_id)["token"] not in first.output
    items = loop_result(first)["results"]
    assert [r["actions"] for r in items] == [["update"], ["stop", "update", "start"]]

    a, b = simulator.notebook(stopped["id"]), simulator.notebook(running["id"])
    assert (a["flavor"], a["volume"]["capacity"], a["status"]) == (FLAVOR, 20, "STOPPED")
    assert (b["description"], b["status"]) == ("Team B notebook", "RUNNING")

    simulator.clear_requests()
    second = ansible.playbook(playbook=playbook)
    assert second.rc == 0, second.describe()
    assert "changed=0" in second.stdout
    assert not any(r["changed"] for r in loop_result(second)["results"])
    assert write_requests(simulator) == []
    assert len(api_requests(simulator, stopped["id"])) == 1  # by id: one GET


def test_role_connection_from_environment(simulator, ansible):
    """Unset connection variables are left out, so the HW_* variables (an AWX credential) apply."""
    nb = simulator.add_notebook(name="env-nb", status="STOPPED")
    playbook = role_playbook(ansible, {"modelarts_notebooks": [{"id": nb["id"], "description": "from env"}]})
    run = ansible.playbook(playbook=playbook, env=ansible.connection_env())
    assert run.rc == 0, run.describe()
    assert simulator.notebook(nb["id"])["description"] == "from env"


BAD_ITEMS = [
    ({"flavor": FLAVOR}, "one of the following is required: id, name"),
    ({"id": "x", "storage_size": "big"}, "storage_size"),
    ({"id": "x", "state": "sleeping"}, "value of state must be one of: present, stopped, running"),
    ({"id": "x", "endpoints": [{"allowed_access_ips": []}]}, "dev_service"),
    ({"id": "x", "flavour": FLAVOR}, "flavour"),
]


@pytest.mark.parametrize("bad_vars, messages", [
    # The validation reports every bad item at once.
    ({"modelarts_notebooks": [item for item, dummy in BAD_ITEMS], "modelarts_allow_restart": "maybe"},
     [message for dummy, message in BAD_ITEMS] + ["argument 'modelarts_allow_restart' is of type"]),
    ({"modelarts_notebooks": {"id": "x"}}, ["argument 'modelarts_notebooks' is of type"]),
], ids=["bad-items", "not-a-list"])
def test_bad_role_input_fails_before_any_request(simulator, ansible, bad_vars, messages):
    simulator.add_notebook(id="x", status="STOPPED")
    playbook = role_playbook(ansible, dict(connection_vars(ansible), **bad_vars))
    run = ansible.playbook(playbook=playbook)
    assert run.rc != 0, run.describe()
    assert "Validation of arguments failed" in run.output, run.describe()
    for message in messages:
        assert message in run.output, run.describe()
    assert not [r for r in run.results if r["task"].endswith(TASK)], "the role's task ran"
    assert simulator.requests == []
    assert simulator.auth.secret_key not in run.output
