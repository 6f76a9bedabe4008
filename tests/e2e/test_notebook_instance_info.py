"""notebook_instance_info through real ansible-playbook: empty project, one, pages, exact name, status, unknown id, check mode."""

import pytest

from ansible_e2e import Ansible, api_requests, info_task

UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def list_requests(sim):
    return [r for r in api_requests(sim) if r.notebook_id is None]


def test_empty_project_then_one_notebook(simulator, runner):
    tasks = [info_task("all")]
    empty = runner.playbook(tasks)
    assert empty.status("all") == "ok" and empty["all"]["notebooks"] == [] and empty["all"]["changed"] is False
    assert [(r.query["limit"], r.query["offset"]) for r in list_requests(simulator)] == [("50", "0")]

    nb = simulator.add_notebook(name="only-one", token="NBT-info-one-notebook-token")
    one = runner.playbook(tasks)
    notebooks = one["all"]["notebooks"]
    assert [n["id"] for n in notebooks] == [nb["id"]]
    expected = dict(nb)
    del expected["token"]
    assert notebooks[0] == expected
    assert "NBT-info-one-notebook-token" not in one.output


def test_many_notebooks_across_pages_cost_one_request_per_50(simulator, runner):
    ids = simulator.bulk_add(120, prefix="page-")
    tokens = [simulator.notebook(i)["token"] for i in ids]
    run = runner.playbook([info_task("all")])
    notebooks = run["all"]["notebooks"]
    assert sorted(n["id"] for n in notebooks) == sorted(ids)
    lists = list_requests(simulator)
    assert [(r.query["limit"], r.query["offset"]) for r in lists] == [("50", "0"), ("50", "50"), ("50", "100")]
    assert len(simulator.requests) == 3
    assert all("token" not in n for n in notebooks)
    assert not any(t in run.output for t in tokens)


def test_filters_unknown_id_and_check_mode(simulator, runner):
    nb1 = simulator.add_notebook(name="nb-1", status="RUNNING")["id"]
    simulator.add_notebook(name="nb-10")
    simulator.add_notebook(name="nb-1-old")
    twins = sorted(simulator.add_notebook(name="twin", status="RUNNING")["id"] for dummy in range(2))
    tasks = [
        info_task("all"),
        info_task("exact", name="nb-1"),
        info_task("twins", name="twin"),
        info_task("none", name="nb-2"),
        info_task("running", status="RUNNING"),
        info_task("by id", id=nb1),
        info_task("unknown id", id=UNKNOWN_ID),
        {
            "name": "task in check mode",
            "check_mode": True,
            "hwcloud.modelarts.notebook_instance_info": {"name": "nb-1"},
        },
    ]
    run = runner.playbook(tasks)
    run.assert_all_ok()

    def names(task):
        return sorted(n["name"] for n in run[task]["notebooks"])

    assert names("all") == ["nb-1", "nb-1-old", "nb-10", "twin", "twin"]
    assert [n["id"] for n in run["exact"]["notebooks"]] == [nb1]
    assert sorted(n["id"] for n in run["twins"]["notebooks"]) == twins
    assert run["none"]["notebooks"] == []
    assert names("running") == ["nb-1", "twin", "twin"]
    assert [n["id"] for n in run["by id"]["notebooks"]] == [nb1]
    assert run.status("unknown id") == "ok" and run["unknown id"]["notebooks"] == []
    assert run["task in check mode"]["notebooks"] == run["exact"]["notebooks"]
    for result in (r["result"] for r in run.results):
        assert result["changed"] is False
        assert all("token" not in n for n in result["notebooks"])
    queries = [r.query for r in list_requests(simulator)]
    assert {"limit": "50", "offset": "0", "status": "RUNNING"} in queries
    assert {"limit": "50", "offset": "0", "name": "nb-1"} in queries

    requests_before = len(simulator.requests)
    check = runner.playbook(tasks, check=True)
    check.assert_all_ok()
    assert [r["result"]["notebooks"] for r in check.results] == [r["result"]["notebooks"] for r in run.results]
    assert len(simulator.requests) == 2 * requests_before and simulator.writes == []
