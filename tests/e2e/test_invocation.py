"""How users run the collection: IAM token, environment variables, module_defaults, ad-hoc, and -vvvv without secrets."""

import json

import pytest

from ansible_e2e import INFO, MODULE, Ansible, api_requests, calls, info_task, module_task
from modelarts_simulator import Simulator

# Distinctive values, so a leak cannot hide behind a common word.
SECRET_KEY = "SK-e2e-4f1d9a7c2b8e6035-secret"
SECURITY_TOKEN = "ST-e2e-9c3e7a1f5b2d8046-security-token"
IAM_TOKEN = "IAM-e2e-7b2f4c9e1a6d3058-iam-token"
NOTEBOOK_TOKENS = (
    "NBT-e2e-1a2b3c4d5e6f7081-notebook-token",
    "NBT-e2e-8f7e6d5c4b3a2910-notebook-token",
    "NBT-e2e-0f9e8d7c6b5a4132-notebook-token",
)
ACCESS_KEY = "AKE2ETEST00000000001"


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


@pytest.fixture
def secure_sim():
    """A simulator whose access key is temporary (X-Security-Token required) and that accepts IAM_TOKEN."""
    with Simulator(
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, security_token=SECURITY_TOKEN, auth_tokens=(IAM_TOKEN,)
    ) as sim:
        yield sim


def test_iam_token_authentication(simulator, runner):
    nb_id = simulator.add_notebook(name="nb-iam")["id"]
    token = simulator.auth.auth_tokens[0]
    run = runner.playbook(
        [
            module_task("update", id=nb_id, description="by token", access_key=None, secret_key=None, auth_token=token),
            info_task("info", id=nb_id, access_key=None, secret_key=None, auth_token=token),
        ]
    )
    run.assert_all_ok()
    assert run["update"]["changed"] is True and run["info"]["notebooks"][0]["description"] == "by token"
    recorded = api_requests(simulator)
    assert len(recorded) == 3
    assert all(r.headers.get("x-auth-token") == token and "authorization" not in r.headers for r in recorded)


def test_credentials_from_environment_variables_only(secure_sim, tmp_path):
    nb_id = secure_sim.add_notebook(name="nb-env")["id"]
    runner = Ansible(secure_sim, tmp_path)
    run = runner.playbook(
        [module_task("update", id=nb_id, description="from the environment"), info_task("info", name="nb-env")],
        connection="env",
    )
    run.assert_all_ok()
    assert run["update"]["changed"] is True and [nb["id"] for nb in run["info"]["notebooks"]] == [nb_id]
    assert secure_sim.notebook(nb_id)["description"] == "from the environment"
    module_args = run["update"]["invocation"]["module_args"]
    assert module_args["endpoint"] == secure_sim.url and module_args["project_id"] == secure_sim.project_id
    for r in api_requests(secure_sim):
        assert r.status == 200
        assert r.headers["authorization"].startswith("SDK-HMAC-SHA256 Access=%s," % ACCESS_KEY)
        assert r.headers["x-security-token"] == SECURITY_TOKEN and "x-security-token" in r.headers["authorization"]


@pytest.mark.smoke
def test_module_defaults_group_sets_the_connection_once(simulator, runner):
    nb_id = simulator.add_notebook(name="nb-defaults")["id"]
    run = runner.playbook(
        [module_task("update", id=nb_id, storage_size=20), info_task("info", id=nb_id)], connection="module_defaults"
    )
    run.assert_all_ok()
    with open(run.command[3], encoding="utf-8") as handle:
        playbook = handle.read()
    assert "group/hwcloud.modelarts.all" in playbook and playbook.count(simulator.url) == 1
    assert run["update"]["changed"] is True and run["info"]["notebooks"][0]["volume"]["capacity"] == 20
    assert calls(simulator, nb_id) == [("GET", ""), ("PUT", ""), ("GET", "")]


def test_adhoc_runs_of_both_modules(simulator, runner):
    nb_id = simulator.add_notebook(name="nb-adhoc")["id"]
    env = runner.connection_env()
    args = "id=%s description='fixed by hand' storage_size=30" % nb_id
    first = runner.adhoc(MODULE, args, env=env)
    assert first.rc == 0 and "CHANGED" in first.stdout, first.describe()
    assert first.results[0]["result"]["actions"] == ["update"]
    live = simulator.notebook(nb_id)
    assert (live["description"], live["volume"]["capacity"]) == ("fixed by hand", 30)

    simulator.clear_requests()
    again = runner.adhoc(MODULE, args, env=env)
    assert again.rc == 0 and "SUCCESS" in again.stdout and "CHANGED" not in again.stdout, again.describe()
    assert calls(simulator, nb_id) == [("GET", "")]

    # Connection options in the arguments work as well as the environment.
    conn = " ".join("%s=%s" % item for item in runner.connection().items())
    info = runner.adhoc(INFO, "name=nb-adhoc " + conn)
    info.assert_all_ok()
    assert [nb["id"] for nb in info.results[0]["result"]["notebooks"]] == [nb_id]


@pytest.mark.smoke
def test_vvvv_output_holds_no_secret(secure_sim, tmp_path):
    ids = [
        secure_sim.add_notebook(name="nb-secret-%d" % i, token=token, status=status)["id"]
        for i, (token, status) in enumerate(zip(NOTEBOOK_TOKENS, ("STOPPED", "RUNNING", "STOPPED")))
    ]
    runner = Ansible(secure_sim, tmp_path)
    iam = {"access_key": None, "secret_key": None, "security_token": None, "auth_token": IAM_TOKEN}
    tasks = [
        module_task("update", id=ids[0], description="changed", state="running"),
        module_task("refused restart", id=ids[1], flavor="modelarts.vm.cpu.8u"),
        module_task(
            "hooks warning", id=ids[2], hooks={"container_hooks": {"pre_start": {"script": "/home/ma-user/setup.sh"}}}
        ),
        module_task("unknown id", id="00000000-0000-0000-0000-000000000000"),
        module_task("by iam token", id=ids[2], description="by token", **iam),
        info_task("info"),
        info_task("info by iam token", **iam),
    ]
    run = runner.playbook(tasks, verbosity=4)
    adhoc = runner.adhoc(MODULE, "id=%s description=adhoc" % ids[2], env=runner.connection_env(), extra_args=["-vvvv"])
    # The run did what it should, so the output really covers results, failures, warnings and notebooks.
    assert (
        run["update"]["changed"] is True
        and run.status("refused restart") == "failed"
        and run.status("unknown id") == "failed"
    )
    assert (
        run["hooks warning"]["warnings"]
        and len(run["info"]["notebooks"]) == 3
        and run["by iam token"]["changed"] is True
    )
    assert adhoc.rc == 0 and "ESTABLISH LOCAL CONNECTION" in adhoc.output, adhoc.describe()
    assert ACCESS_KEY in run.output
    recorded = "".join(json.dumps(r) for r in run.results + adhoc.results)
    for secret in (SECRET_KEY, SECURITY_TOKEN, IAM_TOKEN) + NOTEBOOK_TOKENS:
        assert secret not in run.output, secret
        assert secret not in adhoc.output, secret
        assert secret not in recorded, secret
    assert "Traceback" not in run.output + adhoc.output
