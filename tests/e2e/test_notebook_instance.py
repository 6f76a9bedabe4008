"""notebook_instance through real ansible-playbook: updates, idempotence, check mode, diff, restarts, state, lookup by name."""

import base64

import pytest

from ansible_e2e import Ansible, api_requests, calls, module_task, write_requests
from modelarts_simulator import DEFAULT_IMAGES

IMAGE_A, IMAGE_B = list(DEFAULT_IMAGES)[:2]
SMALL, LARGE = "modelarts.vm.cpu.2u", "modelarts.vm.cpu.8u"
HOOKS = {
    "container_hooks": {
        "post_start": {"type": "COMMAND", "script": base64.b64encode(b"pip install -r requirements.txt").decode()}
    }
}


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def add(sim, name, status="STOPPED", **kwargs):
    kwargs.setdefault("flavor", SMALL)
    kwargs.setdefault("image_id", IMAGE_A)
    kwargs.setdefault(
        "endpoints",
        [
            {"dev_service": "NOTEBOOK"},
            {"dev_service": "SSH", "allowed_access_ips": ["10.0.0.1"], "ssh_keys": ["old-key"]},
        ],
    )
    return sim.add_notebook(name=name, status=status, **kwargs)["id"]


def ssh_endpoint(nb):
    return next(ep for ep in nb["endpoints"] if ep["dev_service"] == "SSH")


@pytest.mark.smoke
def test_each_field_update_sends_only_that_field_and_rerun_costs_one_get(simulator, runner):
    ids = {
        field: add(simulator, "nb-" + field.replace("_", "-"), description="old")
        for field in ("name", "description", "flavor", "image_id", "storage_size", "endpoints", "hooks", "mixed")
    }
    wanted = {
        "name": {"name": "nb-renamed"},
        "description": {"description": "Team A development notebook"},
        "flavor": {"flavor": LARGE},
        "image_id": {"image_id": IMAGE_B},
        "storage_size": {"storage_size": 50},
        "endpoints": {
            "endpoints": [
                {"dev_service": "SSH", "allowed_access_ips": ["203.0.113.11", "203.0.113.10"], "ssh_keys": ["team-key"]}
            ]
        },
        # Only the changed fields may be sent: name, image_id and storage_size are already as asked.
        "mixed": {"name": "nb-mixed", "description": "new", "flavor": LARGE, "image_id": IMAGE_A, "storage_size": 5},
    }
    tasks = [module_task(field, id=ids[field], **args) for field, args in wanted.items()]
    first = runner.playbook(tasks + [module_task("hooks", id=ids["hooks"], hooks=HOOKS, force_update_hooks=True)])
    first.assert_all_ok()

    expected_bodies = {
        "name": {"name": "nb-renamed"},
        "description": {"description": "Team A development notebook"},
        "flavor": {"flavor": LARGE},
        "image_id": {"image_id": IMAGE_B},
        "storage_size": {"storage_new_size": 50},
        "hooks": {"hooks": HOOKS},
        "mixed": {"description": "new", "flavor": LARGE},
    }
    for field, nb_id in ids.items():
        result = first[field]
        assert result["changed"] is True and result["actions"] == ["update"], (field, result)
        assert calls(simulator, nb_id) == [("GET", ""), ("PUT", "")], field
        body = api_requests(simulator, nb_id, "PUT")[0].body
        if field == "endpoints":
            assert set(body) == {"endpoints"}
            sent = {ep["dev_service"]: ep for ep in body["endpoints"]}
            assert sorted(sent["SSH"]["allowed_access_ips"]) == ["203.0.113.10", "203.0.113.11"] and sent["SSH"][
                "ssh_keys"
            ] == ["team-key"]
            assert "NOTEBOOK" in sent  # the live endpoint not asked about is sent back unchanged
        else:
            assert body == expected_bodies[field], field
        assert "token" not in result["notebook"]

    live = {field: simulator.notebook(nb_id) for field, nb_id in ids.items()}
    assert live["name"]["name"] == "nb-renamed"
    assert live["description"]["description"] == "Team A development notebook"
    assert live["flavor"]["flavor"] == LARGE
    assert live["image_id"]["image"]["id"] == IMAGE_B
    assert live["storage_size"]["volume"]["capacity"] == 50
    assert sorted(ssh_endpoint(live["endpoints"])["allowed_access_ips"]) == ["203.0.113.10", "203.0.113.11"]
    assert ssh_endpoint(live["endpoints"])["ssh_keys"] == ["team-key"]
    assert simulator.hooks(ids["hooks"]) == HOOKS
    assert (live["mixed"]["description"], live["mixed"]["flavor"], live["mixed"]["name"]) == ("new", LARGE, "nb-mixed")
    assert first["name"]["notebook"]["name"] == "nb-renamed"  # the result shows the instance after the run

    simulator.clear_requests()
    rerun = runner.playbook(tasks)
    rerun.assert_all_ok()
    for field in wanted:
        assert rerun[field]["changed"] is False and rerun[field]["actions"] == [], (field, rerun[field])
        assert calls(simulator, ids[field]) == [("GET", "")], field
    assert len(simulator.requests) == len(wanted)


@pytest.mark.smoke
def test_check_mode_writes_nothing_and_predicts_the_real_run(simulator, runner):
    running = add(simulator, "nb-running", status="RUNNING")
    stopped = add(simulator, "nb-stopped")
    to_stop = add(simulator, "nb-to-stop", status="RUNNING")
    tasks = [
        module_task("restart", id=running, description="bigger", flavor=LARGE, allow_restart=True),
        module_task("update-and-start", id=stopped, storage_size=20, state="running"),
        module_task("stop", id=to_stop, state="stopped"),
    ]
    before = {nb["id"]: nb for nb in simulator.notebooks()}
    check = runner.playbook(tasks, check=True, diff=True)
    check.assert_all_ok()
    assert write_requests(simulator) == [] and simulator.writes == []
    assert {nb["id"]: nb for nb in simulator.notebooks()} == before
    assert check["restart"]["actions"] == ["stop", "update", "start"]
    assert check["update-and-start"]["actions"] == ["update", "start"]
    assert check["stop"]["actions"] == ["stop"]

    real = runner.playbook(tasks, diff=True)
    real.assert_all_ok()
    for name in ("restart", "update-and-start", "stop"):
        assert check[name]["changed"] is real[name]["changed"] is True, name
        assert check[name]["actions"] == real[name]["actions"], name
        assert check[name]["diff"] == real[name]["diff"], name
    assert [w.method + w.path.rsplit(running, 1)[1] for w in simulator.writes if w.notebook_id == running] == [
        "POST/stop",
        "PUT",
        "POST/start",
    ]
    assert simulator.notebook(stopped)["status"] == "RUNNING" and simulator.notebook(to_stop)["status"] == "STOPPED"


@pytest.mark.smoke
def test_running_instance_needs_allow_restart_and_then_is_stopped_updated_started(simulator, runner):
    simulator.transition_seconds = 0.3  # real STOPPING and STARTING phases for the module to wait through
    refused = add(simulator, "nb-refused", status="RUNNING")
    allowed = add(simulator, "nb-allowed", status="RUNNING")
    run = runner.playbook(
        [
            module_task("refused", id=refused, flavor=LARGE),
            module_task("allowed", id=allowed, flavor=LARGE, allow_restart=True),
        ]
    )

    assert run.status("refused") == "failed"
    assert "allow_restart" in run["refused"]["msg"]
    assert write_requests(simulator, refused) == []
    assert simulator.notebook(refused)["status"] == "RUNNING" and simulator.notebook(refused)["flavor"] == SMALL

    assert run.status("allowed") == "ok" and run["allowed"]["changed"] is True
    assert run["allowed"]["actions"] == ["stop", "update", "start"]
    assert [(r.method, r.path.rsplit(allowed, 1)[1]) for r in write_requests(simulator, allowed)] == [
        ("POST", "/stop"),
        ("PUT", ""),
        ("POST", "/start"),
    ]
    assert api_requests(simulator, allowed, "PUT")[0].body == {"flavor": LARGE}
    live = simulator.notebook(allowed)
    assert live["status"] == "RUNNING" and live["flavor"] == LARGE
    assert run["allowed"]["notebook"]["status"] == "RUNNING"


def test_update_failure_after_the_stop_still_starts_the_instance_again(simulator, runner):
    nb_id = add(simulator, "nb-fails", status="RUNNING")
    simulator.inject_fault(
        method="PUT",
        path=nb_id,
        status=400,
        count=1,
        body={"error_code": "ModelArts.6336", "error_msg": "The value of flavor is incorrect."},
    )
    run = runner.playbook([module_task("update", id=nb_id, flavor=LARGE, allow_restart=True)])
    assert run.status("update") == "failed"
    msg = run["update"]["msg"]
    assert "ModelArts.6336" in msg and "started again" in msg, msg
    assert [(r.method, r.path.rsplit(nb_id, 1)[1]) for r in write_requests(simulator, nb_id)] == [
        ("POST", "/stop"),
        ("PUT", ""),
        ("POST", "/start"),
    ]
    live = simulator.notebook(nb_id)
    assert live["status"] == "RUNNING" and live["flavor"] == SMALL


def test_state_stopped_and_running(simulator, runner):
    ids = {
        "stop": add(simulator, "nb-a", status="RUNNING"),
        "start": add(simulator, "nb-b"),
        "stop-update": add(simulator, "nb-c", status="RUNNING"),
        "update-start": add(simulator, "nb-d"),
    }
    tasks = [
        module_task("stop", id=ids["stop"], state="stopped"),
        module_task("start", id=ids["start"], state="running"),
        module_task("stop-update", id=ids["stop-update"], state="stopped", description="stopped for the night"),
        module_task("update-start", id=ids["update-start"], state="running", description="back to work"),
    ]
    run = runner.playbook(tasks)
    run.assert_ok("stop", "start", "stop-update", "update-start")
    expected = {
        "stop": (["stop"], "STOPPED"),
        "start": (["start"], "RUNNING"),
        "stop-update": (["stop", "update"], "STOPPED"),
        "update-start": (["update", "start"], "RUNNING"),
    }
    for name, (actions, status) in expected.items():
        assert run[name]["changed"] is True and run[name]["actions"] == actions, (name, run[name])
        assert simulator.notebook(ids[name])["status"] == status, name
        assert [r.method for r in write_requests(simulator, ids[name])] == [
            "PUT" if a == "update" else "POST" for a in actions
        ]
    assert simulator.notebook(ids["stop-update"])["description"] == "stopped for the night"
    assert simulator.notebook(ids["update-start"])["description"] == "back to work"

    simulator.clear_requests()
    rerun = runner.playbook(tasks)
    rerun.assert_ok(*expected)
    for name in expected:
        assert rerun[name]["changed"] is False and rerun[name]["actions"] == [], name
        assert calls(simulator, ids[name]) == [("GET", "")], name


def test_lookup_by_exact_name_among_fuzzy_matches_none_and_several(simulator, runner):
    target = add(simulator, "nb-1")
    others = [add(simulator, "nb-10"), add(simulator, "nb-1-old")]
    twins = [add(simulator, "twin"), add(simulator, "twin")]
    run = runner.playbook(
        [
            module_task("exact", name="nb-1", description="picked by name"),
            module_task("none", name="nb-2", description="x"),
            module_task("fuzzy only", name="nb", description="x"),
            module_task("several", name="twin", description="x"),
        ]
    )
    assert run.status("exact") == "ok" and run["exact"]["changed"] is True
    assert run["exact"]["notebook"]["id"] == target
    assert simulator.notebook(target)["description"] == "picked by name"
    assert [r.notebook_id for r in write_requests(simulator)] == [target]
    assert all(simulator.notebook(i)["description"] == "" for i in others + twins)
    lists = [r for r in api_requests(simulator) if r.notebook_id is None]
    assert lists and all(r.query.get("limit") == "50" for r in lists)
    assert lists[0].query.get("name") == "nb-1"

    for name in ("none", "fuzzy only", "several"):
        assert run.status(name) == "failed", name
    assert "nb-2" in run["none"]["msg"] and "none" in run["none"]["msg"]
    assert all(found in run["fuzzy only"]["msg"] for found in ("nb-1", "nb-10", "nb-1-old")), run["fuzzy only"]["msg"]
    assert "2 notebook instances" in run["several"]["msg"] and all(i in run["several"]["msg"] for i in twins)


def test_hooks_without_and_with_force_update_hooks(simulator, runner):
    alone, along, forced = (
        add(simulator, "nb-hooks-alone"),
        add(simulator, "nb-hooks-along"),
        add(simulator, "nb-hooks-forced"),
    )
    tasks = [
        module_task("alone", id=alone, hooks=HOOKS),
        module_task("along", id=along, hooks=HOOKS, description="with hooks"),
        module_task("forced", id=forced, hooks=HOOKS, force_update_hooks=True),
    ]
    for attempt in ("first", "rerun"):
        simulator.clear_requests()
        run = runner.playbook(tasks)
        run.assert_all_ok()
        # Hooks alone are never sent without force_update_hooks, and the task says so.
        assert run["alone"]["changed"] is False and write_requests(simulator, alone) == [], attempt
        assert any("force_update_hooks" in w for w in run["alone"].get("warnings", [])), (attempt, run["alone"])
        # force_update_hooks sends them on every run and always reports changed.
        assert run["forced"]["changed"] is True and run["forced"]["actions"] == ["update"], attempt
        assert [r.body for r in api_requests(simulator, forced, "PUT")] == [{"hooks": HOOKS}], attempt
    assert simulator.hooks(alone) is None
    assert simulator.hooks(forced) == HOOKS
    # Along with another change they are sent in the same update; on the rerun nothing else changes.
    assert simulator.hooks(along) == HOOKS
    assert run["along"]["changed"] is False and write_requests(simulator, along) == []
