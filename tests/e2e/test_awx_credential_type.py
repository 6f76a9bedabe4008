"""The AWX credential type (extensions/awx/credential_type.yml): its injectors rendered as AWX renders them,
then real notebook_instance tasks run with exactly that environment against the simulator."""

import os

import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible_e2e import REPO_DIR, Ansible, module_task, write_requests
from modelarts_simulator import DEFAULT_AUTH_TOKEN, Simulator

CREDENTIAL_TYPE = os.path.join(REPO_DIR, "extensions", "awx", "credential_type.yml")
EXAMPLE = os.path.join(REPO_DIR, "examples", "awx_credential_type.yml")
HW_VARIABLES = {
    "HW_REGION_NAME",
    "HW_PROJECT_ID",
    "HW_ACCESS_KEY",
    "HW_SECRET_KEY",
    "HW_SECURITY_TOKEN",
    "HW_AUTH_TOKEN",
    "HW_CLOUD",
    "HW_MODELARTS_ENDPOINT",
}
SECRETS = {"secret_key", "security_token", "auth_token"}


def load_credential_type():
    with open(CREDENTIAL_TYPE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def render_env(credential_type, inputs):
    """What AWX puts in a job's environment: each env injector rendered in a sandbox over the credential's
    inputs, where an input left empty is undefined and so renders as an empty string."""
    env = ImmutableSandboxedEnvironment()
    return {
        name: env.from_string(template).render(**inputs)
        for name, template in credential_type["injectors"]["env"].items()
    }


def test_credential_type_is_well_formed():
    ctype = load_credential_type()
    assert ctype["kind"] == "cloud"
    fields = {f["id"]: f for f in ctype["inputs"]["fields"]}
    assert {name for name, f in fields.items() if f.get("secret")} == SECRETS
    assert set(ctype["inputs"]["required"]) <= set(fields)
    assert set(ctype["injectors"]["env"]) == HW_VARIABLES
    for field in fields.values():
        assert field["type"] == "string" and field["label"]
    # AWX refuses injectors that name an undefined input: render strictly with every input set.
    strict = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for template in ctype["injectors"]["env"].values():
        strict.from_string(template).render(**{name: "x" for name in fields})


def _update_task(nb_id, description):
    return module_task("Update through the credential's environment", id=nb_id, description=description)


def test_aksk_credential_with_empty_optional_inputs(simulator, tmp_path):
    """AK/SK with security_token, auth_token, region and cloud left empty: the empty variables count as unset."""
    env = render_env(
        load_credential_type(),
        {
            "project_id": simulator.project_id,
            "access_key": simulator.auth.access_key,
            "secret_key": simulator.auth.secret_key,
            "endpoint": simulator.url,
        },
    )
    assert env["HW_SECURITY_TOKEN"] == env["HW_AUTH_TOKEN"] == env["HW_REGION_NAME"] == env["HW_CLOUD"] == ""
    nb = simulator.add_notebook(name="awx-aksk", status="STOPPED")
    ansible = Ansible(simulator, tmp_path)
    run = ansible.playbook([_update_task(nb["id"], "set from AWX")], connection="none", env=env)
    result = run["Update through the credential's environment"]
    assert run.rc == 0 and result["changed"], run.describe()
    assert simulator.notebook(nb["id"])["description"] == "set from AWX"
    assert all("X-Security-Token" not in r.headers and "X-Auth-Token" not in r.headers for r in simulator.requests)


def test_iam_token_credential(simulator, tmp_path):
    """An IAM token with the access key inputs left empty."""
    env = render_env(
        load_credential_type(),
        {"project_id": simulator.project_id, "auth_token": DEFAULT_AUTH_TOKEN, "endpoint": simulator.url},
    )
    assert env["HW_ACCESS_KEY"] == env["HW_SECRET_KEY"] == ""
    nb = simulator.add_notebook(name="awx-iam", status="STOPPED")
    run = Ansible(simulator, tmp_path).playbook(
        [_update_task(nb["id"], "set with a token")], connection="none", env=env
    )
    assert run.rc == 0, run.describe()
    assert simulator.notebook(nb["id"])["description"] == "set with a token"
    assert DEFAULT_AUTH_TOKEN not in run.output


def test_temporary_credential_with_security_token(tmp_path):
    with Simulator(security_token="temporary-security-token") as sim:
        env = render_env(
            load_credential_type(),
            {
                "project_id": sim.project_id,
                "access_key": sim.auth.access_key,
                "secret_key": sim.auth.secret_key,
                "security_token": "temporary-security-token",
                "endpoint": sim.url,
            },
        )
        nb = sim.add_notebook(name="awx-temp", status="STOPPED")
        run = Ansible(sim, tmp_path).playbook([_update_task(nb["id"], "temporary keys")], connection="none", env=env)
        assert run.rc == 0, run.describe()
        assert sim.notebook(nb["id"])["description"] == "temporary keys"
        assert "temporary-security-token" not in run.output
        assert len(write_requests(sim)) == 1


def test_project_id_is_required_by_the_collection_too(simulator, tmp_path):
    """Without a project the modules fail before any request, naming the variable."""
    env = render_env(
        load_credential_type(),
        {"access_key": simulator.auth.access_key, "secret_key": simulator.auth.secret_key, "endpoint": simulator.url},
    )
    run = Ansible(simulator, tmp_path).playbook([_update_task("any", "x")], connection="none", env=env)
    assert run.status("Update through the credential's environment") == "failed", run.describe()
    assert "HW_PROJECT_ID" in run["Update through the credential's environment"]["msg"]
    assert simulator.requests == []


MOCK_CREDENTIAL_TYPE_MODULE = """#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
module = AnsibleModule(argument_spec={"name": {}, "description": {}, "kind": {}, "inputs": {"type": "dict"},
                                      "injectors": {"type": "dict"}, "state": {}})
module.exit_json(changed=True, received=module.params)
"""


def test_example_playbook_sends_the_file_unchanged(simulator, tmp_path):
    """examples/awx_credential_type.yml, with awx.awx.credential_type replaced by a module that echoes its input:
    the injector templates reach AWX as written, not rendered by Ansible."""
    mock_dir = tmp_path / "mock-collections"
    module_dir = mock_dir / "ansible_collections" / "awx" / "awx" / "plugins" / "modules"
    module_dir.mkdir(parents=True)
    (module_dir / "credential_type.py").write_text(MOCK_CREDENTIAL_TYPE_MODULE)
    ansible = Ansible(simulator, tmp_path)
    run = ansible.playbook(
        playbook=EXAMPLE, env={"ANSIBLE_COLLECTIONS_PATH": os.pathsep.join((str(mock_dir), ansible.collections_path))}
    )
    assert run.rc == 0, run.describe()
    received = run["Create the credential type"]["received"]
    ctype = load_credential_type()
    for key in ("name", "description", "kind", "inputs", "injectors"):
        assert received[key] == ctype[key], key
    assert received["state"] == "present"
