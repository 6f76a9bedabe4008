"""1.0.1 through real ansible-playbook: answers in every endpoint spelling, and starts that keep the instance's auto-stop.

The service may spell an endpoint as the seed does (dev_service + ssh_keys), as the SDK's models and Huawei's
Terraform provider do (service + key_pair_names), or both; every start sets the auto-stop lease anew, and one
without a duration turns auto-stop on for an hour.
"""

import pytest

from ansible_e2e import Ansible, calls, module_task, write_requests

SPELLINGS = ["seed", "sdk", "both"]
SSH = {"dev_service": "SSH", "allowed_access_ips": ["203.0.113.10"], "ssh_keys": ["team-key"]}
LEASES = {
    "off": {"enable": False, "duration": 3600000, "type": "TIMING"},
    "idle-2h": {"enable": True, "duration": 7200000, "type": "IDLE"},
    "timing-24h": {"enable": True, "duration": 86400000, "type": "TIMING"},
}
START_QUERY = {
    "off": {"duration": "-1"},
    "idle-2h": {"duration": "7200000", "type": "IDLE"},
    "timing-24h": {"duration": "86400000", "type": "TIMING"},
}


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def lease_of(sim, notebook_id):
    lease = sim.notebook(notebook_id)["lease"]
    return {"enable": lease["enable"]} if not lease["enable"] else {k: lease[k] for k in ("enable", "duration", "type")}


def expected_lease(name):
    lease = LEASES[name]
    return {"enable": False} if not lease["enable"] else dict(lease)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_matching_endpoints_cost_one_get_and_changed_key_pairs_one_put_in_every_spelling(simulator, runner, spelling):
    simulator.endpoint_spelling = spelling
    same = simulator.add_notebook(name="nb-same", endpoints=[{"dev_service": "NOTEBOOK"}, SSH])["id"]
    other = simulator.add_notebook(name="nb-other", endpoints=[{"dev_service": "NOTEBOOK"}, SSH])["id"]
    # The answers really use the spelling asked for.
    answered = simulator.notebooks()[0]["endpoints"]
    assert all(
        ("dev_service" in ep) == (spelling != "sdk") and ("key_pair_names" in ep) == (spelling != "seed")
        for ep in answered
    )

    first = runner.playbook(
        [
            module_task("same", id=same, endpoints=[SSH]),
            module_task("by name", name="nb-same", endpoints=[SSH]),
            module_task(
                "other keys", id=other, endpoints=[{"dev_service": "SSH", "ssh_keys": ["new-key", "team-key"]}]
            ),
        ],
        diff=True,
    )
    first.assert_all_ok()
    assert first["same"]["changed"] is False and first["by name"]["changed"] is False
    assert calls(simulator, same) == [("GET", "")]
    assert first["other keys"]["changed"] is True and first["other keys"]["actions"] == ["update"]
    assert first["other keys"]["diff"] == {
        "before": {"endpoints": [{"dev_service": "SSH", "ssh_keys": ["team-key"]}]},
        "after": {"endpoints": [{"dev_service": "SSH", "ssh_keys": ["new-key", "team-key"]}]},
    }
    (put,) = write_requests(simulator, other)
    # Written as the seed documents, with the live endpoints' other settings sent back unchanged.
    assert put.body == {
        "endpoints": [
            {"dev_service": "NOTEBOOK", "allowed_access_ips": [], "ssh_keys": []},
            {"dev_service": "SSH", "allowed_access_ips": ["203.0.113.10"], "ssh_keys": ["new-key", "team-key"]},
        ]
    }
    ssh = next(ep for ep in simulator.notebook(other)["endpoints"] if ep["dev_service"] == "SSH")
    assert ssh["ssh_keys"] == ["new-key", "team-key"] and ssh["allowed_access_ips"] == ["203.0.113.10"]

    simulator.clear_requests()
    again = runner.playbook(
        [module_task("other keys", id=other, endpoints=[{"dev_service": "SSH", "ssh_keys": ["team-key", "new-key"]}])]
    )
    again.assert_all_ok()
    assert again["other keys"]["changed"] is False and calls(simulator, other) == [("GET", "")]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_restart_for_key_pairs_happens_once_in_every_spelling(simulator, runner, spelling):
    simulator.endpoint_spelling = spelling
    nb = simulator.add_notebook(name="nb", status="RUNNING", endpoints=[{"dev_service": "NOTEBOOK"}, SSH])["id"]
    task = module_task(
        "keys", id=nb, allow_restart=True, endpoints=[{"dev_service": "SSH", "ssh_keys": ["rotated-key"]}]
    )
    first = runner.playbook([task])
    first.assert_all_ok()
    assert first["keys"]["actions"] == ["stop", "update", "start"]
    simulator.clear_requests()
    second = runner.playbook([task])
    second.assert_all_ok()
    assert second["keys"]["changed"] is False and calls(simulator, nb) == [("GET", "")]


@pytest.mark.parametrize("lease", sorted(LEASES))
def test_every_start_path_keeps_the_instance_auto_stop(simulator, runner, lease):
    restarted = simulator.add_notebook(name="restarted", status="RUNNING", lease=LEASES[lease])["id"]
    started = simulator.add_notebook(name="started", status="STOPPED", lease=LEASES[lease])["id"]
    recovered = simulator.add_notebook(name="recovered", status="RUNNING", lease=LEASES[lease])["id"]
    # The update of the third is refused after the stop: the module starts it again before failing.
    simulator.inject_fault(
        method="PUT",
        path=recovered,
        status=400,
        body={"error_code": "ModelArts.6792", "error_msg": "The instance cannot switch to that flavor."},
    )
    run = runner.playbook(
        [
            module_task("allow_restart", id=restarted, description="new", allow_restart=True),
            module_task("state running", id=started, state="running"),
            module_task("restart after a failure", id=recovered, flavor="modelarts.vm.cpu.8u", allow_restart=True),
        ]
    )
    run.assert_ok("allow_restart", "state running")
    assert (
        run.status("restart after a failure") == "failed"
        and "was started again" in run["restart after a failure"]["msg"]
    )
    for nb in (restarted, started, recovered):
        starts = [r for r in write_requests(simulator, nb) if r.path.endswith("/start")]
        assert starts and all(r.query == START_QUERY[lease] for r in starts), [r.query for r in starts]
        assert simulator.notebook(nb)["status"] == "RUNNING"
        assert lease_of(simulator, nb) == expected_lease(lease)


def test_check_mode_of_a_restart_sends_no_start(simulator, runner):
    nb = simulator.add_notebook(name="nb", status="RUNNING", lease=LEASES["off"])["id"]
    run = runner.playbook([module_task("restart", id=nb, description="new", allow_restart=True)], check=True)
    run.assert_all_ok()
    assert run["restart"]["actions"] == ["stop", "update", "start"] and write_requests(simulator) == []
    assert lease_of(simulator, nb) == {"enable": False}
