"""The role hwcloud.modelarts.notebooks through ansible-playbook, against the simulator."""

import os

import pytest
import yaml

from ansible_e2e import Ansible, api_requests, write_requests

TASK = "Apply the notebook definitions"
FAIL_TASK = "Fail naming each notebook definition that failed"
FLAVOR = "modelarts.vm.cpu.8u"


@pytest.fixture
def ansible(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def role_playbook(ansible, role_vars, name="role.yml"):
    play = {
        "name": "Notebooks through the role",
        "hosts": "localhost",
        "gather_facts": False,
        "roles": [{"role": "hwcloud.modelarts.notebooks", "vars": role_vars}],
    }
    path = os.path.join(ansible.tmp_path, name)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump([play], handle, sort_keys=False)
    return path


def connection_vars(ansible):
    return {"modelarts_%s" % k: v for k, v in ansible.connection().items()}


def loop_result(run):
    """The result of the role's notebook_instances task: ``results`` holds one entry per definition."""
    found = [r for r in run.results if r["task"].endswith(TASK)]
    assert found, run.describe()
    return found[-1]["result"]


def role_task(run, name):
    found = [r for r in run.results if r["task"].endswith(name)]
    assert found, run.describe()
    return found[-1]


def windows(sim, notebooks):
    """(first, last) arrival time of the requests about each notebook."""
    return [
        (min(r.time for r in api_requests(sim, nb["id"])), max(r.time for r in api_requests(sim, nb["id"])))
        for nb in notebooks
    ]


def max_overlap(spans):
    """The largest number of spans open at one moment."""
    events = sorted(
        [(start, 1) for start, dummy in spans] + [(end, -1) for dummy, end in spans], key=lambda e: (e[0], e[1])
    )
    current = peak = 0
    for dummy, step in events:
        current += step
        peak = max(peak, current)
    return peak


@pytest.mark.smoke
def test_role_applies_two_notebooks_then_reruns_unchanged(simulator, ansible):
    stopped = simulator.add_notebook(name="team-a", status="STOPPED", capacity=5)
    running = simulator.add_notebook(name="team-b", status="RUNNING", description="old")
    notebooks = [
        {"id": stopped["id"], "flavor": FLAVOR, "storage_size": 20},
        {"name": "team-b", "description": "Team B notebook", "allow_restart": True},
    ]
    playbook = role_playbook(ansible, dict(connection_vars(ansible), modelarts_notebooks=notebooks))

    # -vvvv: the whole output is readable per notebook and holds no secret.
    first = ansible.playbook(playbook=playbook, verbosity=4)
    assert first.rc == 0, first.describe()
    assert "(item=%s)" % stopped["id"] in first.stdout
    assert "(item=team-b)" in first.stdout
    assert simulator.auth.secret_key not in first.output
    for nb_id in (stopped["id"], running["id"]):
        assert simulator.notebook(nb_id)["token"] not in first.output
    items = loop_result(first)["results"]
    assert [r["actions"] for r in items] == [["update"], ["stop", "update", "start"]]

    a, b = simulator.notebook(stopped["id"]), simulator.notebook(running["id"])
    assert (a["flavor"], a["volume"]["capacity"], a["status"]) == (FLAVOR, 20, "STOPPED")
    assert (b["description"], b["status"]) == ("Team B notebook", "RUNNING")

    simulator.clear_requests()
    second = ansible.playbook(playbook=playbook)
    assert second.rc == 0, second.describe()
    assert "changed=0" in second.stdout
    assert not any(r["changed"] for r in loop_result(second)["results"])
    assert write_requests(simulator) == []
    assert len(api_requests(simulator, stopped["id"])) == 1  # by id: one GET


def test_role_connection_from_environment(simulator, ansible):
    """Unset connection variables are left out, so the HW_* variables (an AWX credential) apply."""
    nb = simulator.add_notebook(name="env-nb", status="STOPPED")
    playbook = role_playbook(ansible, {"modelarts_notebooks": [{"id": nb["id"], "description": "from env"}]})
    run = ansible.playbook(playbook=playbook, env=ansible.connection_env())
    assert run.rc == 0, run.describe()
    assert simulator.notebook(nb["id"])["description"] == "from env"


BAD_ITEMS = [
    ({"flavor": FLAVOR}, "one of the following is required: id, name"),
    ({"id": "x", "storage_size": "big"}, "storage_size"),
    ({"id": "x", "state": "sleeping"}, "value of state must be one of: present, stopped, running"),
    ({"id": "x", "endpoints": [{"allowed_access_ips": []}]}, "dev_service"),
    ({"id": "x", "flavour": FLAVOR}, "flavour"),
]


@pytest.mark.parametrize(
    "bad_vars, messages",
    [
        # The validation reports every bad item at once.
        (
            {"modelarts_notebooks": [item for item, dummy in BAD_ITEMS], "modelarts_allow_restart": "maybe"},
            [message for dummy, message in BAD_ITEMS] + ["argument 'modelarts_allow_restart' is of type"],
        ),
        ({"modelarts_notebooks": {"id": "x"}}, ["argument 'modelarts_notebooks' is of type"]),
    ],
    ids=["bad-items", "not-a-list"],
)
def test_bad_role_input_fails_before_any_request(simulator, ansible, bad_vars, messages):
    simulator.add_notebook(id="x", status="STOPPED")
    playbook = role_playbook(ansible, dict(connection_vars(ansible), **bad_vars))
    run = ansible.playbook(playbook=playbook)
    assert run.rc != 0, run.describe()
    assert "Validation of arguments failed" in run.output, run.describe()
    for message in messages:
        assert message in run.output, run.describe()
    assert not [r for r in run.results if r["task"].endswith(TASK)], "the role's task ran"
    assert simulator.requests == []
    assert simulator.auth.secret_key not in run.output


def test_role_applies_definitions_concurrently(simulator, ansible):
    """Ten notebooks that each need stop, update and start with 2 s transitions: the simulator's log shows their
    restarts interleaved (not one after the other), and each converged."""
    simulator.transition_seconds = 2
    notebooks = [simulator.add_notebook(name="fleet-%d" % i, status="RUNNING") for i in range(10)]
    definitions = [{"id": nb["id"], "flavor": FLAVOR} for nb in notebooks]
    playbook = role_playbook(
        ansible, dict(connection_vars(ansible), modelarts_notebooks=definitions, modelarts_allow_restart=True)
    )
    run = ansible.playbook(playbook=playbook)
    assert run.rc == 0, run.describe()
    for nb in notebooks:
        live = simulator.notebook(nb["id"])
        assert (live["flavor"], live["status"]) == (FLAVOR, "RUNNING")
        assert [w.path.rsplit("/", 1)[-1] for w in write_requests(simulator, nb["id"])] == ["stop", nb["id"], "start"]
    # Each notebook spends at least two transitions (4 s) between its first and last request; in a row the
    # spans would never overlap.
    spans = windows(simulator, notebooks)
    assert max_overlap(spans) >= 2, spans
    # Requests of different notebooks interleave: some notebook's requests arrive between another's first and last.
    log = [r.notebook_id for r in simulator.requests if r.notebook_id]
    switches = sum(1 for a, b in zip(log, log[1:]) if a != b)
    assert switches > len(notebooks) - 1, log
    results = loop_result(run)["results"]
    assert [r["item"]["id"] for r in results] == [nb["id"] for nb in notebooks]
    assert all(r["actions"] == ["stop", "update", "start"] for r in results)
    # The role's defaults fill what the items leave out.
    assert all((r["item"]["allow_restart"], r["item"]["state"]) == (True, "present") for r in results)
    # One line per notebook, labelled with its id.
    for nb in notebooks:
        assert "(item=%s) => " % nb["id"] in run.stdout


def test_role_concurrency_limit(simulator, ansible):
    """modelarts_concurrency: 2 over five notebooks: two in progress at once, never three; the next starts as
    soon as one ends."""
    simulator.transition_seconds = 0.5
    notebooks = [simulator.add_notebook(name="limit-%d" % i, status="RUNNING") for i in range(5)]
    definitions = [{"id": nb["id"], "description": "limited"} for nb in notebooks]
    playbook = role_playbook(
        ansible,
        dict(
            connection_vars(ansible),
            modelarts_notebooks=definitions,
            modelarts_allow_restart=True,
            modelarts_concurrency=2,
        ),
    )
    run = ansible.playbook(playbook=playbook)
    assert run.rc == 0, run.describe()
    assert all(simulator.notebook(nb["id"])["description"] == "limited" for nb in notebooks)
    spans = windows(simulator, notebooks)
    assert max_overlap(spans) == 2, spans
    # In the order given: the third starts only once one of the first two has ended.
    assert min(spans[0][1], spans[1][1]) < spans[2][0], spans


@pytest.mark.smoke
def test_a_failing_definition_does_not_stop_the_others(simulator, ansible):
    running = simulator.add_notebook(name="busy", status="RUNNING")
    first = simulator.add_notebook(name="first", status="STOPPED")
    last = simulator.add_notebook(name="last", status="STOPPED")
    definitions = [
        {"id": first["id"], "description": "converged"},
        {"id": "no-such-notebook", "description": "x"},
        {"name": "busy", "flavor": FLAVOR},  # running, without allow_restart
        {"id": last["id"], "description": "converged"},
    ]
    playbook = role_playbook(
        ansible, dict(connection_vars(ansible), modelarts_notebooks=definitions, modelarts_concurrency=3)
    )
    run = ansible.playbook(playbook=playbook)
    assert run.rc != 0, run.describe()
    for nb in (first, last):
        assert simulator.notebook(nb["id"])["description"] == "converged"
    assert simulator.notebook(running["id"])["flavor"] != FLAVOR
    assert write_requests(simulator, running["id"]) == []
    failure = role_task(run, FAIL_TASK)
    assert failure["status"] == "failed", run.describe()
    msg = failure["result"]["msg"]
    assert msg.startswith("2 of 4 notebook definitions failed: "), msg
    assert "no-such-notebook: Reading notebook instance no-such-notebook failed: HTTP 400 ModelArts.6309" in msg
    assert "busy: " in msg and "allow_restart" in msg
    assert simulator.auth.secret_key not in run.output


@pytest.mark.smoke
def test_check_mode_and_diff(simulator, ansible):
    stopped = simulator.add_notebook(name="check-a", status="STOPPED", description="old")
    running = simulator.add_notebook(name="check-b", status="RUNNING")
    definitions = [
        {"id": stopped["id"], "description": "new"},
        {"id": running["id"], "flavor": FLAVOR, "allow_restart": True},
        {"id": "missing-id", "description": "x"},
    ]
    playbook = role_playbook(ansible, dict(connection_vars(ansible), modelarts_notebooks=definitions))
    run = ansible.playbook(playbook=playbook, check=True, diff=True)
    assert write_requests(simulator) == []
    assert simulator.notebook(stopped["id"])["description"] == "old"
    results = loop_result(run)["results"]
    by_id = {r["item"]["id"]: r for r in results}
    assert by_id[stopped["id"]]["changed"] and by_id[stopped["id"]]["actions"] == ["update"]
    assert by_id[stopped["id"]]["diff"] == {"before": {"description": "old"}, "after": {"description": "new"}}
    assert by_id[running["id"]]["actions"] == ["stop", "update", "start"]
    assert by_id["missing-id"]["failed"]
    # --diff shows each notebook's change, and check mode still reports the failure at the end.
    assert '-    "description": "old"' in run.stdout and '+    "description": "new"' in run.stdout
    assert "1 of 3 notebook definitions failed: missing-id" in role_task(run, FAIL_TASK)["result"]["msg"]
    # Each diff is headed by its notebook.
    assert "--- before: %s" % stopped["id"] in run.stdout and "+++ after: %s" % running["id"] in run.stdout


def test_concurrency_below_one_fails_before_any_request(simulator, ansible):
    nb = simulator.add_notebook(name="x", status="STOPPED")
    playbook = role_playbook(
        ansible, dict(connection_vars(ansible), modelarts_notebooks=[{"id": nb["id"]}], modelarts_concurrency=0)
    )
    run = ansible.playbook(playbook=playbook)
    assert run.rc != 0 and "modelarts_concurrency must be 1 or more, got 0" in run.output, run.describe()
    assert simulator.requests == []


def test_a_task_wide_failure_fails_the_role_with_the_module_message(simulator, ansible):
    nb = simulator.add_notebook(name="x", status="STOPPED")
    role_vars = dict(connection_vars(ansible), modelarts_notebooks=[{"id": nb["id"], "description": "x"}])
    role_vars["modelarts_endpoint"] = "ftp://example.com"
    run = ansible.playbook(playbook=role_playbook(ansible, role_vars))
    assert run.rc != 0, run.describe()
    msg = role_task(run, FAIL_TASK)["result"]["msg"]
    assert msg.startswith("endpoint (or HW_MODELARTS_ENDPOINT) must be an http:// or https:// base URL"), msg
    assert simulator.requests == []
