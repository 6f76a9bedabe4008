"""No secret in any output at -vvvv, for every module, on success and on failures whose error body echoes the request.

The simulator's ``echo`` fault answers with the Authorization, X-Auth-Token and X-Security-Token headers and the
body it received, as a careless gateway would; the security token and the IAM token travel in those headers, so
the modules must mask them in messages built from the service's answer. Checked: stdout, stderr, the log file
(ANSIBLE_LOG_PATH) and every task result.
"""

import json
import os

import pytest

from ansible_e2e import INFO, MODULE, Ansible, info_task, module_task
from modelarts_simulator import Simulator

ACCESS_KEY = "AKSECRETSTEST000000001"
SECRET_KEY = "SK-secrets-test-81f3c0a9e5d7b264"
SECURITY_TOKEN = "ST-secrets-test-5d2e9b7a41c8f036"
IAM_TOKEN = "IAM-secrets-test-c94a1e0b7f3d2856"
NOTEBOOK_TOKENS = ("NBTOKEN-secrets-test-0a1b2c3d", "NBTOKEN-secrets-test-4e5f6a7b", "NBTOKEN-secrets-test-8c9d0e1f")
SECRETS = (SECRET_KEY, SECURITY_TOKEN, IAM_TOKEN) + NOTEBOOK_TOKENS
# Credentials come from the environment, as AWX injects them: a secret written in the playbook itself would be
# quoted by ansible-playbook's own error display of the failing task, which no module can prevent.
IAM = {
    "access_key": "",
    "secret_key": "",
    "security_token": "",
    "auth_token": "{{ lookup('env', 'SECRETS_TEST_IAM_TOKEN') }}",
}


@pytest.fixture
def secure_sim():
    with Simulator(
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, security_token=SECURITY_TOKEN, auth_tokens=(IAM_TOKEN,)
    ) as sim:
        yield sim


def echo(sim, method, path, status=400, count=1):
    return sim.inject_fault(method=method, path=path, status=status, echo=True, count=count)


def assert_no_secret(texts):
    for name, text in texts.items():
        for secret in SECRETS:
            assert secret not in text, "%s holds %s..." % (name, secret[:16])
        assert "Traceback" not in text, name


def test_no_secret_in_any_output_of_any_module_even_when_the_error_echoes_the_request(secure_sim, tmp_path):
    ids = [
        secure_sim.add_notebook(name="nb-secrets-%d" % i, token=token, status=status)["id"]
        for i, (token, status) in enumerate(zip(NOTEBOOK_TOKENS, ("STOPPED", "RUNNING", "STOPPED")))
    ]
    log_path = os.path.join(str(tmp_path), "ansible.log")
    runner = Ansible(secure_sim, tmp_path)
    # Faults are matched in order: each echo fault is placed for the task that meets it.
    faults = [
        echo(secure_sim, "PUT", ids[0]),  # "update echoed": AK/SK + security token
        echo(
            secure_sim, "GET", ids[2] + "$", status=500, count=10
        ),  # "read echoed, iam": X-Auth-Token, retried then failed
        echo(secure_sim, "GET", "/notebooks$"),  # "info echoed": the list call, AK/SK + security token
        echo(secure_sim, "POST", "/start$", status=503, count=10),  # "start echoed": a transient write failure echoed
    ]
    tasks = [
        module_task("update echoed", id=ids[0], description="rejected"),
        module_task("read echoed, iam", id=ids[2], description="x", **IAM),
        info_task("info echoed"),
        module_task("start echoed", id=ids[0], state="running", max_retries=1),
        module_task("update", id=ids[0], description="changed"),
        module_task("refused restart", id=ids[1], flavor="modelarts.vm.cpu.8u"),
        module_task("by iam token", id=ids[2], description="by token", **IAM),
        info_task("info"),
        info_task("info by id, iam", id=ids[1], **IAM),
        info_task("info unknown id", id="00000000-0000-0000-0000-000000000000"),
    ]
    run = runner.playbook(
        tasks, connection="env", verbosity=4, env={"ANSIBLE_LOG_PATH": log_path, "SECRETS_TEST_IAM_TOKEN": IAM_TOKEN}
    )
    adhoc_env = dict(runner.connection_env(), ANSIBLE_LOG_PATH=log_path)
    echo(secure_sim, "PUT", ids[2])
    adhoc = runner.adhoc(MODULE, "id=%s description=adhoc" % ids[2], env=adhoc_env, extra_args=["-vvvv"])
    adhoc_info = runner.adhoc(INFO, "name=nb-secrets-1", env=adhoc_env, extra_args=["-vvvv"])

    # The runs did what they should, so the output covers successes, failures and echoed request data.
    for fault in faults:
        assert fault.hits, fault.to_dict()
    for name in ("update echoed", "read echoed, iam", "info echoed", "start echoed", "refused restart"):
        assert run.status(name) == "failed", (name, run.describe())
        assert run[name]["msg"], name
    for name in ("update echoed", "read echoed, iam", "info echoed", "start echoed"):
        assert "Rejected request" in run[name]["msg"], (name, run[name]["msg"])
    assert "X-Security-Token" in run["update echoed"]["msg"] and "X-Auth-Token" in run["read echoed, iam"]["msg"]
    assert run["update"]["changed"] is True and run["by iam token"]["changed"] is True
    assert len(run["info"]["notebooks"]) == 3 and run["info by id, iam"]["notebooks"][0]["id"] == ids[1]
    assert adhoc.rc != 0 and "Rejected request" in adhoc.output, adhoc.describe()
    assert adhoc_info.rc == 0, adhoc_info.describe()
    assert ACCESS_KEY in run.output  # the AK is not a secret: the output is the verbose one

    with open(log_path, encoding="utf-8") as handle:
        log = handle.read()
    assert "Rejected request" in log and "nb-secrets-1" in log
    assert_no_secret(
        {
            "playbook output": run.output,
            "ad-hoc output": adhoc.output + adhoc_info.output,
            "log file": log,
            "task results": json.dumps(run.results + adhoc.results + adhoc_info.results),
        }
    )
