"""notebook_instance failures through real ansible-playbook: API errors, retries, faults, validation, waiting."""

import pytest

from ansible_e2e import Ansible, api_requests, calls, module_task, write_requests

SMALL, LARGE = "modelarts.vm.cpu.2u", "modelarts.vm.cpu.8u"
UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def add(sim, name, status="STOPPED", **kwargs):
    return sim.add_notebook(name=name, status=status, flavor=SMALL, **kwargs)["id"]


@pytest.mark.smoke
def test_unknown_id_and_rejected_credentials_fail_with_the_service_error(simulator, runner):
    nb_id = add(simulator, "nb-auth")
    run = runner.playbook(
        [
            module_task("unknown id", id=UNKNOWN_ID, description="x"),
            module_task("wrong secret key", id=nb_id, description="x", secret_key="not-the-secret-key"),
            module_task(
                "wrong iam token",
                id=nb_id,
                description="x",
                access_key=None,
                secret_key=None,
                auth_token="not-a-valid-token",
            ),
        ]
    )
    unknown = run["unknown id"]
    assert run.status("unknown id") == "failed"
    recorded = api_requests(simulator, UNKNOWN_ID)
    assert len(recorded) == 1, "a 400 is not retried"
    assert "ModelArts.6309" in unknown["msg"] and recorded[0].request_id in unknown["msg"], unknown["msg"]
    assert unknown["error"]["error_code"] == "ModelArts.6309" and unknown["error"]["status"] == 400
    assert unknown["error"]["request_id"] == recorded[0].request_id

    for name in ("wrong secret key", "wrong iam token"):
        result = run[name]
        assert run.status(name) == "failed", name
        assert "401" in result["msg"] and "APIGW.0301" in result["msg"], result["msg"]
        assert result["error"]["status"] == 401 and result["error"]["error_code"] == "APIGW.0301"
    assert [r.status for r in api_requests(simulator, nb_id)] == [401, 401], "a 401 is not retried"
    assert "Traceback" not in run.output
    assert simulator.writes == [] and simulator.notebook(nb_id)["description"] == ""


def test_retries_on_503_and_on_429_with_retry_after_converge(simulator, runner):
    after_503, after_429, put_503 = add(simulator, "nb-503"), add(simulator, "nb-429"), add(simulator, "nb-put-503")
    simulator.inject_fault(method="GET", path=after_503 + "$", status=503, count=2)
    simulator.inject_fault(method="GET", path=after_429 + "$", status=429, count=1, headers={"Retry-After": "2"})
    # Not applied: the module reads the instance, sees the change missing and sends it again.
    simulator.inject_fault(method="PUT", path=put_503, status=503, count=1)
    run = runner.playbook(
        [
            module_task(nb, id=i, description="converged")
            for nb, i in (("503", after_503), ("429", after_429), ("put", put_503))
        ]
    )
    run.assert_all_ok()
    for name, nb_id in (("503", after_503), ("429", after_429), ("put", put_503)):
        assert run[name]["changed"] is True and run[name]["actions"] == ["update"], name
        assert simulator.notebook(nb_id)["description"] == "converged", name
    assert [r.status for r in api_requests(simulator, after_503)] == [503, 503, 200, 200]
    assert calls(simulator, after_503) == [("GET", ""), ("GET", ""), ("GET", ""), ("PUT", "")]
    requests_429 = api_requests(simulator, after_429)
    assert [r.status for r in requests_429] == [429, 200, 200]
    assert requests_429[1].time - requests_429[0].time >= 1.9, "Retry-After: 2 was not honoured"
    assert calls(simulator, put_503) == [("GET", ""), ("PUT", ""), ("GET", ""), ("PUT", "")]
    assert [r.status for r in api_requests(simulator, put_503, "PUT")] == [503, 200]


def test_transient_write_failure_that_was_applied_is_not_sent_again(simulator, runner):
    nb_id = add(simulator, "nb-applied")
    simulator.inject_fault(method="PUT", path=nb_id, status=503, count=1, apply=True)
    run = runner.playbook([module_task("update", id=nb_id, description="applied once", flavor=LARGE)])
    run.assert_all_ok()
    assert run["update"]["changed"] is True and run["update"]["actions"] == ["update"]
    puts = api_requests(simulator, nb_id, "PUT")
    assert len(puts) == 1 and puts[0].applied and puts[0].status == 503
    assert calls(simulator, nb_id) == [("GET", ""), ("PUT", ""), ("GET", "")]
    live = simulator.notebook(nb_id)
    assert (live["description"], live["flavor"]) == ("applied once", LARGE)


def test_persistent_500_fails_in_bounded_time_after_max_retries(simulator, runner):
    read_fails, write_fails = add(simulator, "nb-get-500"), add(simulator, "nb-put-500")
    simulator.inject_fault(method="GET", path=read_fails + "$", status=500, count=1000)
    simulator.inject_fault(method="PUT", path=write_fails, status=500, count=1000)
    run = runner.playbook(
        [
            module_task("read", id=read_fails, description="x", max_retries=2),
            module_task("write", id=write_fails, description="x", max_retries=2),
        ]
    )
    assert run.seconds < 60, "the retries are bounded"
    for name in ("read", "write"):
        assert run.status(name) == "failed", name
        assert "HTTP 500" in run[name]["msg"] and "ModelArts.6102" in run[name]["msg"], run[name]["msg"]
        assert run[name]["error"]["status"] == 500
    assert len(api_requests(simulator, read_fails)) == 3, "one attempt and max_retries=2 retries"
    assert len(api_requests(simulator, write_fails, "PUT")) == 3, (
        "one write and max_retries=2 re-sends after reading it missing"
    )
    assert simulator.writes == []


VALIDATION_CASES = [
    # (task name, module options, what the message must name)
    ("name with a space", {"name": "bad name"}, "name"),
    ("name too long", {"name": "n" * 129}, "name"),
    ("name empty", {"name": ""}, "name"),
    ("description too long", {"description": "d" * 513}, "description"),
    ("description with &", {"description": "a & b"}, "description"),
    ("description with <", {"description": "a < b"}, "description"),
    ("description with >", {"description": "a > b"}, "description"),
    ("description with quote", {"description": 'a "b"'}, "description"),
    ("description with slash", {"description": "a/b"}, "description"),
    ("storage_size 0", {"storage_size": 0}, "storage_size"),
    ("storage_size 4097", {"storage_size": 4097}, "storage_size"),
    ("dev_service unknown", {"endpoints": [{"dev_service": "HTTP"}]}, "dev_service"),
    (
        "six allowed ips",
        {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["203.0.113.%d" % i for i in range(1, 7)]}]},
        "allowed_access_ips",
    ),
    (
        "allowed ip not an address",
        {"endpoints": [{"dev_service": "SSH", "allowed_access_ips": ["203.0.113.300"]}]},
        "allowed_access_ips",
    ),
    (
        "COMMAND hook not base64",
        {
            "hooks": {"container_hooks": {"pre_start": {"type": "COMMAND", "script": "echo hi"}}},
            "force_update_hooks": True,
        },
        "base64",
    ),
    (
        "SCRIPT hook relative path",
        {"hooks": {"container_hooks": {"post_start": {"script": "setup.sh"}}}, "force_update_hooks": True},
        "absolute path",
    ),
    ("hook type unknown", {"hooks": {"container_hooks": {"post_start": {"type": "BASH", "script": "/x.sh"}}}}, "type"),
    ("force_update_hooks without hooks", {"force_update_hooks": True}, "force_update_hooks"),
    ("wait_timeout negative", {"wait_timeout": -1}, "wait_timeout"),
    ("no credentials", {"access_key": None, "secret_key": None}, "HW_ACCESS_KEY"),
    ("secret key missing", {"secret_key": None}, "secret_key"),
    ("token and keys", {"auth_token": "some-token"}, "auth_token"),
    ("no project", {"project_id": None}, "project_id"),
    ("no endpoint nor region", {"endpoint": None}, "region"),
    ("timeout zero", {"timeout": 0}, "timeout"),
    ("max_retries negative", {"max_retries": -1}, "max_retries"),
]


def test_every_validation_rule_fails_before_any_request(simulator, runner):
    nb_id = add(simulator, "nb-valid")
    tasks = [module_task("no id nor name", description="x")]
    tasks += [module_task(name, **dict({"id": nb_id}, **options)) for name, options, dummy in VALIDATION_CASES]
    run = runner.playbook(tasks)
    assert simulator.requests == [], "validation must happen before any request"
    assert run.status("no id nor name") == "failed" and "id" in run["no id nor name"]["msg"]
    for name, dummy, named in VALIDATION_CASES:
        assert run.status(name) == "failed", (name, run[name])
        assert named in run[name]["msg"], (name, run[name]["msg"])
    assert "Traceback" not in run.output


def test_smaller_disk_fails_after_one_read_without_writing(simulator, runner):
    nb_id = add(simulator, "nb-disk", capacity=50)
    run = runner.playbook([module_task("shrink", id=nb_id, storage_size=20)])
    assert run.status("shrink") == "failed"
    assert "storage_size" in run["shrink"]["msg"] and "shrink" in run["shrink"]["msg"]
    assert calls(simulator, nb_id) == [("GET", "")]


def test_wait_timeout_and_failed_statuses_fail_clearly(simulator, runner):
    stuck = add(simulator, "nb-stuck", status="RUNNING")
    simulator.set_status(stuck, "STOPPING", then="STOPPED", after=120)
    breaks = add(simulator, "nb-breaks", status="RUNNING", transition_seconds=0.2)
    simulator.fail_next_transition(breaks, "ERROR", "EVS quota exceeded")
    broken = add(simulator, "nb-broken")
    simulator.set_status(broken, "ERROR", fail_reason="image pull failed")
    run = runner.playbook(
        [
            module_task("timeout", id=stuck, description="x", wait_timeout=2),
            module_task("ends in error", id=breaks, state="stopped"),
            module_task("already broken", id=broken, description="x"),
        ]
    )
    assert run.status("timeout") == "failed"
    msg = run["timeout"]["msg"]
    assert "STOPPING" in msg and "wait_timeout" in msg, msg
    assert write_requests(simulator, stuck) == []

    assert run.status("ends in error") == "failed"
    msg = run["ends in error"]["msg"]
    assert "ERROR" in msg and "EVS quota exceeded" in msg, msg
    assert [r.path.rsplit("/", 1)[1] for r in write_requests(simulator, breaks)] == ["stop"]

    assert run.status("already broken") == "failed"
    assert "image pull failed" in run["already broken"]["msg"]
    assert write_requests(simulator, broken) == []
