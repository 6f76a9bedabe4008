"""The AWX set-up of docs/awx.md run as AWX runs it: jobs and inventory updates through ansible-runner, each with a
private data directory built from examples/awx_setup.yml and the credential type, against the simulator."""

import json
import os
import shutil

import ansible_runner
import pytest
import yaml
from awx_runner import (
    EXAMPLES_DIR,
    JOB_TIMEOUT,
    Job,
    assert_no_secret,
    credential_env,
    execution_env,
    setup_object,
    setup_tasks,
    survey_extra_vars,
    write_private_data_dir,
)
from test_awx_credential_type import HW_VARIABLES, load_credential_type
from test_inventory import plain

from ansible_e2e import BIN_DIR, calls, collections_path, write_requests

TEAM = "Team notebooks"
ROLLING = "Rolling update of notebooks"
APPLY_TASK = "Apply the notebook definitions"
FAIL_TASK = "Fail naming each notebook definition that failed"
ROLLING_TASK = "Flavor and description of the notebook"
FLAVOR = "modelarts.vm.cpu.8u"
OTHER_FLAVOR = "modelarts.vm.cpu.2u"


@pytest.fixture(autouse=True)
def execution_node(monkeypatch):
    """The environment ansible-runner starts from, as on an execution node: this Ansible on PATH, no HW_* or
    ANSIBLE_* variable of the machine running the tests (the jobs get the collection's path in env/envvars)."""
    collections_path()
    for name in list(os.environ):
        if name.startswith(("HW_", "ANSIBLE_")) and name != "ANSIBLE_COLLECTIONS_PATH":
            monkeypatch.delenv(name)
    monkeypatch.setenv("PATH", BIN_DIR + os.pathsep + os.environ.get("PATH", ""))


def team_notebooks(sim, status="STOPPED"):
    """The notebooks the template "Team notebooks" defines, each to change, and one it does not name."""
    definitions = setup_object("awx.awx.job_template", TEAM)["extra_vars"]["modelarts_notebooks"]
    notebooks = {d["name"]: sim.add_notebook(name=d["name"], status=status, flavor=OTHER_FLAVOR) for d in definitions}
    decoy = sim.add_notebook(name="team-z-dev", status=status, flavor=OTHER_FLAVOR)
    return definitions, notebooks, decoy


def secrets(sim):
    return [sim.auth.secret_key] + [nb["token"] for nb in sim.notebooks()]


def assert_converged(sim, definition, notebook):
    live = sim.notebook(notebook["id"])
    for field in ("flavor", "description"):
        if field in definition:
            assert live[field] == definition[field], (definition, live)
    if "storage_size" in definition:
        assert live["volume"]["capacity"] == definition["storage_size"]
    for key, value in definition.get("tags", {}).items():
        assert {"key": key, "value": value} in live["tags"]


def test_setup_objects_fit_together():
    """The objects of examples/awx_setup.yml name each other, the credential type and the project's files right."""
    ctype = load_credential_type()
    credential = setup_object("awx.awx.credential")
    project = setup_object("awx.awx.project")
    inventory = setup_object("awx.awx.inventory")
    source = setup_object("awx.awx.inventory_source")
    assert credential["credential_type"] == ctype["name"]
    fields = {f["id"] for f in ctype["inputs"]["fields"]}
    assert set(credential["inputs"]) <= fields and set(ctype["inputs"]["required"]) <= set(credential["inputs"])
    assert (source["inventory"], source["source_project"], source["credential"]) == (
        inventory["name"],
        project["name"],
        credential["name"],
    )
    assert source["source"] == "scm" and source["source_path"].endswith(".modelarts.yml")
    assert os.path.isfile(os.path.join(EXAMPLES_DIR, os.path.basename(source["source_path"])))
    templates = setup_tasks()["awx.awx.job_template"]
    assert {t["name"] for t in templates} == {TEAM, ROLLING}
    for template in templates:
        assert (template["project"], template["inventory"], template["credentials"]) == (
            project["name"],
            inventory["name"],
            [credential["name"]],
        )
        assert os.path.isfile(os.path.join(EXAMPLES_DIR, template["playbook"]))
        # Every question has a default that AWX accepts.
        asked = {q["variable"] for q in template["survey_spec"]["spec"]}
        assert asked <= set(survey_extra_vars(template))


def test_role_over_the_team_notebooks(simulator, tmp_path):
    """ "Team notebooks" with restarts allowed in the survey: every definition of its extra variables converges,
    running notebooks included, in one changed task on localhost; nothing else is touched."""
    definitions, notebooks, decoy = team_notebooks(simulator, status="RUNNING")
    job = Job(simulator, tmp_path, TEAM, answers={"modelarts_allow_restart": "true", "modelarts_concurrency": 3})
    assert job.extravars["modelarts_notebooks"] == definitions and job.extravars["modelarts_concurrency"] == 3
    job.run()

    assert (job.runner.status, job.runner.rc) == ("successful", 0), job.describe()
    assert job.host_events("runner_on_failed") == {}
    applied = job.host_events("runner_on_ok", APPLY_TASK)
    assert list(applied) == ["localhost"] and applied["localhost"][0]["res"]["changed"] is True
    results = {r["item"]["name"]: r for r in applied["localhost"][0]["res"]["results"]}
    assert set(results) == set(notebooks)
    assert all(r["changed"] and r["actions"][-3:] == ["stop", "update", "start"] for r in results.values()), results
    assert job.runner.stats["changed"] == {"localhost": 1} and job.runner.stats["failures"] == {}
    for definition in definitions:
        nb = notebooks[definition["name"]]
        assert_converged(simulator, definition, nb)
        assert simulator.notebook(nb["id"])["status"] == "RUNNING"
        assert ("POST", "/stop") in calls(simulator, nb["id"]) and ("POST", "/start") in calls(simulator, nb["id"])
    assert api_free(simulator, decoy)
    assert_no_secret(job.path, secrets(simulator), HW_VARIABLES)


def api_free(sim, notebook):
    """No request addressed ``notebook`` (lists found it, nothing read or wrote it by id)."""
    return calls(sim, notebook["id"]) == [] and sim.notebook(notebook["id"])["flavor"] == OTHER_FLAVOR


def test_check_job_writes_nothing(simulator, tmp_path):
    """ "Team notebooks" launched with the job type Check: --check in env/cmdline; the job reports what it would
    change, per definition, and sends no write."""
    definitions, notebooks = team_notebooks(simulator)[:2]
    job = Job(simulator, tmp_path, TEAM, job_type="check")
    assert job.cmdline == "--check"
    job.run()

    assert (job.runner.status, job.runner.rc) == ("successful", 0), job.describe()
    applied = job.host_events("runner_on_ok", APPLY_TASK)["localhost"][0]["res"]
    assert applied["changed"] is True
    assert {r["item"]["name"] for r in applied["results"] if r["changed"]} == {d["name"] for d in definitions}
    assert write_requests(simulator) == []
    for nb in notebooks.values():
        assert simulator.notebook(nb["id"])["flavor"] == OTHER_FLAVOR
    assert_no_secret(job.path, secrets(simulator), HW_VARIABLES)


def test_failing_definition_fails_the_job_naming_the_notebook(simulator, tmp_path):
    """With the survey's default (no restart), the running notebook's definition fails: the job fails, its one
    failed event names that notebook, and the other definitions converge all the same."""
    definitions, notebooks = team_notebooks(simulator)[:2]
    busy = definitions[0]["name"]
    simulator.set_status(notebooks[busy]["id"], "RUNNING")
    job = Job(simulator, tmp_path, TEAM)
    assert job.extravars["modelarts_allow_restart"] == "false"
    job.run()

    assert (job.runner.status, job.runner.rc) == ("failed", 2), job.describe()
    failed = job.host_events("runner_on_failed")
    assert list(failed) == ["localhost"] and [e["task"] for e in failed["localhost"]] == [FAIL_TASK]
    msg = failed["localhost"][0]["res"]["msg"]
    assert msg.startswith("1 of %d notebook definitions failed: %s: " % (len(definitions), busy)), msg
    assert "allow_restart" in msg
    assert job.runner.stats["failures"] == {"localhost": 1}
    assert write_requests(simulator, notebooks[busy]["id"]) == []
    for definition in definitions[1:]:
        assert_converged(simulator, definition, notebooks[definition["name"]])
    assert_no_secret(job.path, secrets(simulator), HW_VARIABLES)


def test_rolling_update_over_the_inventory_sources_hosts(simulator, tmp_path):
    """ "Rolling update of notebooks" over the running group of the inventory source, two per batch from the
    survey: one changed event per running notebook, the batches one after the other, the stopped one untouched."""
    running = {
        nb["name"]: nb for nb in (simulator.add_notebook(name="fleet-%d" % i, status="RUNNING") for i in range(4))
    }
    idle = simulator.add_notebook(name="idle", status="STOPPED", flavor=OTHER_FLAVOR)
    job = Job(simulator, tmp_path, ROLLING, answers={"fleet_serial": 2})
    assert job.extravars == {"fleet_group": "status_running", "fleet_serial": 2, "fleet_flavor": FLAVOR}
    assert os.listdir(os.path.join(job.path, "inventory")) == [os.path.basename(EXAMPLE_SOURCE)]
    job.run()

    assert (job.runner.status, job.runner.rc) == ("successful", 0), job.describe()
    done = job.host_events("runner_on_ok", ROLLING_TASK)
    assert set(done) == set(running)
    assert all(len(events) == 1 and events[0]["res"]["changed"] for events in done.values())
    assert job.runner.stats["changed"] == {name: 1 for name in running}
    # serial: the task starts once per batch, each batch of two hosts ending before the next starts.
    batches = []
    for event in job.events:
        data = event.get("event_data", {})
        if event["event"] == "playbook_on_task_start" and data.get("task") == ROLLING_TASK:
            batches.append([])
        elif event["event"] == "runner_on_ok" and data.get("task") == ROLLING_TASK:
            batches[-1].append(data["host"])
    assert [len(batch) for batch in batches] == [2, 2] and set(sum(batches, [])) == set(running), batches
    for nb in running.values():
        live = simulator.notebook(nb["id"])
        assert (live["flavor"], live["status"]) == (FLAVOR, "RUNNING")
    assert calls(simulator, idle["id"]) == []
    assert_no_secret(job.path, secrets(simulator), HW_VARIABLES)


EXAMPLE_SOURCE = os.path.join(EXAMPLES_DIR, "fleet.modelarts.yml")


def inventory_update(sim, tmp_path, source_text=None):
    """An update of the inventory source of examples/awx_setup.yml as AWX runs it: ansible-inventory --list --export
    on the project's file, through ansible-runner, with the credential's environment. Each update gets a fresh
    private data directory at the same place, as each sees it at /runner in an execution environment (the source
    file's path is part of the plugin's cache key). Returns (inventory, private data directory)."""
    source = setup_object("awx.awx.inventory_source")
    path = os.path.join(str(tmp_path), "update")
    shutil.rmtree(path, ignore_errors=True)
    write_private_data_dir(path, envvars=dict(credential_env(sim), **execution_env(tmp_path)))
    source_file = os.path.join(path, "project", source["source_path"])
    if source_text is not None:
        with open(source_file, "w", encoding="utf-8") as handle:
            handle.write(source_text)
    output = os.path.join(path, "artifacts", "1", "output.json")
    error = ansible_runner.interface.get_inventory(
        "list",
        [source_file],
        export=True,
        output_file=output,
        playbook_dir=os.path.dirname(source_file),
        private_data_dir=path,
        ident="1",
        quiet=True,
        timeout=JOB_TIMEOUT,
    )[1]
    assert os.path.isfile(output), error
    with open(output, encoding="utf-8") as handle:
        return json.load(handle), path


def list_requests(sim):
    return [r for r in sim.requests if r.method == "GET" and r.notebook_id is None]


def test_inventory_update_and_its_cache(simulator, tmp_path):
    """The inventory source's update: the example file's hosts and groups in two list requests for 60 notebooks,
    no token or secret in the output or the artifacts. With the plugin's cache in a directory that outlives the
    updates' private data directories, the next update makes no request and gives the same inventory."""
    gpu = simulator.add_notebook(name="gpu-nb", status="RUNNING", flavor="modelarts.vm.gpu.t4u8", capacity=50)
    simulator.bulk_add(59, prefix="cpu-", status="STOPPED")
    inventory, path = inventory_update(simulator, tmp_path)
    hostvars = plain(inventory["_meta"]["hostvars"])
    assert len(hostvars) == 60 and len(list_requests(simulator)) == 2
    assert inventory["gpu"]["hosts"] == ["gpu-nb"] and inventory["status_running"]["hosts"] == ["gpu-nb"]
    assert len(inventory["status_stopped"]["hosts"]) == 59
    assert hostvars["gpu-nb"]["modelarts_id"] == gpu["id"] and str(hostvars["gpu-nb"]["disk_gb"]) == "50"
    assert_no_secret(path, secrets(simulator), HW_VARIABLES)

    cache_dir = os.path.join(str(tmp_path), "inventory-cache")
    with open(EXAMPLE_SOURCE, encoding="utf-8") as handle:
        cached_source = yaml.safe_load(handle)
    cached_source.update(
        cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=cache_dir, cache_timeout=3600
    )
    text = yaml.safe_dump(cached_source)
    first = inventory_update(simulator, tmp_path, text)[0]
    assert first == inventory and len(list_requests(simulator)) == 4
    simulator.clear_requests()
    second, path = inventory_update(simulator, tmp_path, text)
    assert second == inventory and simulator.requests == []
    assert_no_secret(path, secrets(simulator), HW_VARIABLES)
    stored = "".join(open(os.path.join(cache_dir, n), encoding="utf-8").read() for n in os.listdir(cache_dir))
    assert "gpu-nb" in stored and not any(secret in stored for secret in secrets(simulator))
