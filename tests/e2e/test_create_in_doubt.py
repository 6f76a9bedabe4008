"""A create whose answer is lost never makes a second notebook (1.1.1), through real ansible-playbook runs.

After a timeout or a dropped connection the service may still be carrying the create out: the module never
sends it again; it looks for the instance by exact name until it appears (adopted) or the look-out ends (a
clean failure saying that a rerun adopts it).
"""

import pytest

from ansible_e2e import Ansible, module_task
from modelarts_simulator import DEFAULT_IMAGES

IMAGE = next(iter(DEFAULT_IMAGES))
NEW = {"name": "team-a-dev", "flavor": "modelarts.vm.cpu.2u", "image_id": IMAGE, "tags": {"team": "a"}}
CREATE = r"/notebooks$"


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def creates(sim):
    return [r for r in sim.requests if r.method == "POST" and r.notebook_id is None]


def named(sim, name):
    return [nb for nb in sim.notebooks() if nb["name"] == name]


def test_a_create_the_service_finishes_after_the_timeout_is_adopted(simulator, runner):
    # The reproduction: timeout 2, max_retries 3, the service holds the create for 3 s, then applies it.
    simulator.inject_fault(method="POST", path=CREATE, status=None, delay=3.0)
    run = runner.playbook([module_task("create", timeout=2, max_retries=3, **NEW)])
    run.assert_all_ok()
    result = run["create"]
    assert result["changed"] is True and result["actions"] == ["create", "tag"]
    (instance,) = named(simulator, "team-a-dev")
    assert result["notebook"]["id"] == instance["id"] and result["notebook"]["status"] == "RUNNING"
    assert instance["tags"] == [{"key": "team", "value": "a"}]
    assert len(creates(simulator)) == 1
    rerun = runner.playbook([module_task("again", timeout=2, max_retries=3, **NEW)])
    rerun.assert_all_ok()
    assert rerun["again"]["changed"] is False and len(named(simulator, "team-a-dev")) == 1


def test_a_create_applied_then_its_connection_dropped_is_adopted(simulator, runner):
    simulator.inject_fault(method="POST", path=CREATE, apply=True, drop=True)
    run = runner.playbook([module_task("create", **NEW)])
    run.assert_all_ok()
    assert run["create"]["changed"] is True and run["create"]["actions"] == ["create", "tag"]
    assert len(named(simulator, "team-a-dev")) == 1 and len(creates(simulator)) == 1


def test_a_create_that_never_reached_the_service_fails_cleanly_and_a_rerun_makes_one(simulator, runner):
    simulator.inject_fault(method="POST", path=CREATE, drop=True)
    run = runner.playbook([module_task("create", wait_timeout=3, **NEW)])
    assert run.status("create") == "failed"
    failed = run["create"]
    assert failed["msg"].startswith("Creating notebook instance 'team-a-dev' failed: could not reach ")
    assert (
        "the service may still complete it, so it was not sent again: a notebook instance named 'team-a-dev' did "
        "not appear within 3 seconds (wait_timeout, at most 60); run the task again later: it adopts what the "
        "service made, or makes it" in failed["msg"]
    )
    assert failed["changed"] is False and failed["actions"] == [] and failed["error"]["status"] is None
    assert "Traceback" not in run.output
    # Looked for by exact name from the lost create for wait_timeout (3 s), not the 60 s cap.
    post = creates(simulator)[0]
    lists = [r for r in simulator.requests if r.method == "GET" and r.notebook_id is None and r.time > post.time]
    assert len(lists) > 2 and 3 <= lists[-1].time - post.time < 10
    assert simulator.notebooks() == [] and len(creates(simulator)) == 1
    rerun = runner.playbook([module_task("create", wait_timeout=3, **NEW)])
    rerun.assert_all_ok()
    assert rerun["create"]["actions"] == ["create", "tag"] and len(named(simulator, "team-a-dev")) == 1
    assert len(creates(simulator)) == 2
