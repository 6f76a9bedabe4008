"""Storage mounts declared with notebook_instance (1.2.0), through real ansible-playbook runs: what each run costs,
check mode, the role's definitions, lost answers and failures, from the simulator's request log."""

import pytest
import yaml

from ansible_e2e import Ansible, module_task
from modelarts_simulator import DEFAULT_IMAGES

IMAGE = next(iter(DEFAULT_IMAGES))
DATA = {"uri": "obs://team-a-datasets/imagenet/", "mount_path": "/data/datasets/"}
OUT = {"uri": "obs://team-a-output/", "mount_path": "/data/output/", "category": "OBSFS"}


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


@pytest.fixture
def storage(simulator):
    return simulator.resources["storage"]


def storage_requests(sim, method=None):
    return [r for r in sim.requests if "/storage" in r.path and (method is None or r.method == method)]


def test_attaching_n_mounts_costs_n_posts_and_their_polls_and_a_rerun_a_get_and_a_list(simulator, runner, storage):
    storage.mount_seconds = 0.6
    nb = simulator.add_notebook(name="team-a-dev", status="RUNNING")
    first = runner.playbook([module_task("mount", id=nb["id"], mounts=[DATA, OUT])])
    first.assert_all_ok()
    assert first["mount"]["actions"] == ["attach", "attach"]
    assert [m["status"] for m in first["mount"]["mounts"]] == ["MOUNTED", "MOUNTED"]
    # One GET of the notebook, one storage list, then per mount its POST and the polls of its wait.
    posts = storage_requests(simulator, "POST")
    assert len(posts) == 2 and [p.body for p in posts] == [
        {"category": "OBS", "mount_path": "/data/datasets/", "uri": "obs://team-a-datasets/imagenet/"},
        {"category": "OBSFS", "mount_path": "/data/output/", "uri": "obs://team-a-output/"},
    ]
    polls = [r for r in storage_requests(simulator, "GET") if not r.path.endswith("/storage")]
    assert 2 <= len(polls) <= 8
    simulator.clear_requests()
    rerun = runner.playbook([module_task("again", id=nb["id"], mounts=[DATA, OUT])])
    rerun.assert_all_ok()
    assert rerun["again"]["changed"] is False
    assert [(r.method, r.path.endswith("/storage")) for r in simulator.requests] == [("GET", False), ("GET", True)]


def test_check_mode_and_diff_send_no_write_and_predict_the_run(simulator, runner, storage):
    nb = simulator.add_notebook(name="team-a-dev", status="RUNNING")
    storage.add(nb["id"], "/data/old/", "obs://old-data/")
    task = module_task("mounts", id=nb["id"], mounts=[DATA])
    check = runner.playbook([task], check=True, diff=True)
    check.assert_all_ok()
    assert check["mounts"]["actions"] == ["detach", "attach"]
    assert [r for r in simulator.requests if r.method != "GET"] == []
    real = runner.playbook([task], diff=True)
    real.assert_all_ok()
    assert real["mounts"]["actions"] == check["mounts"]["actions"]
    assert real["mounts"]["diff"] == check["mounts"]["diff"]
    assert "/data/old/" in real.stdout and "/data/datasets/" in real.stdout


def test_the_role_applies_each_definition_s_mounts(simulator, runner, tmp_path):
    a = simulator.add_notebook(name="team-a", status="RUNNING")
    b = simulator.add_notebook(name="team-b", status="STOPPED")
    role_vars = {"modelarts_%s" % k: v for k, v in runner.connection().items()}
    role_vars["modelarts_notebooks"] = [
        {"name": "team-a", "mounts": [DATA]},
        {"name": "team-b", "mounts": [OUT], "state": "running"},
    ]
    playbook = tmp_path / "role.yml"
    playbook.write_text(
        yaml.safe_dump(
            [
                {
                    "hosts": "localhost",
                    "gather_facts": False,
                    "roles": [{"role": "hwcloud.modelarts.notebooks", "vars": role_vars}],
                }
            ]
        )
    )
    run = runner.playbook(playbook=str(playbook))
    assert run.rc == 0, run.describe()
    mounted = {
        nb_id: [m["mount_path"] for m in simulator.resources["storage"].mounts(nb_id)] for nb_id in (a["id"], b["id"])
    }
    assert mounted == {a["id"]: ["/data/datasets/"], b["id"]: ["/data/output/"]}
    (applied,) = [r["result"] for r in run.results if r["task"].endswith("Apply the notebook definitions")]
    assert [entry["actions"] for entry in applied["results"]] == [["attach"], ["start", "attach"]]


def test_a_lost_attach_answer_is_adopted_never_sent_twice(simulator, runner, storage):
    nb = simulator.add_notebook(name="team-a-dev", status="RUNNING")
    simulator.inject_fault(method="POST", path=r"/storage$", status=None, delay=2.5)
    run = runner.playbook([module_task("mount", id=nb["id"], timeout=1, mounts=[DATA])])
    run.assert_all_ok()
    assert run["mount"]["actions"] == ["attach"] and len(storage_requests(simulator, "POST")) == 1
    assert [m["mount_path"] for m in storage.mounts(nb["id"])] == ["/data/datasets/"]


def test_a_failed_mount_is_a_clean_failure_naming_the_path(simulator, runner, storage):
    nb = simulator.add_notebook(name="team-a-dev", status="RUNNING")
    storage.fail_next(nb["id"], "MOUNT_FAILED", "bucket team-a-datasets not found")
    run = runner.playbook([module_task("mount", id=nb["id"], mounts=[DATA])], verbosity=3)
    assert run.status("mount") == "failed"
    assert (
        "mount /data/datasets/ is MOUNT_FAILED (failure_reason: bucket team-a-datasets not found)"
        in run["mount"]["msg"]
    )
    assert "Traceback" not in run.output and nb["token"] not in run.output
