"""Two ansible-playbook runs updating the same running notebook at once, each with allow_restart and its own field."""

import os
import re
import threading

import pytest

from ansible_e2e import Ansible, module_task, write_requests

SMALL, LARGE = "modelarts.vm.cpu.2u", "modelarts.vm.cpu.8u"
ATTEMPTED = re.compile(r"(Reading|Updating|Starting|Stopping|Waiting for) notebook instance")


@pytest.mark.parametrize("stagger", [0.0, 0.4])
def test_two_plays_at_once_end_consistent(simulator, tmp_path, stagger):
    # Transitions long enough that the two runs overlap in every phase.
    simulator.transition_seconds = 1.0
    nb_id = simulator.add_notebook(name="nb-shared", status="RUNNING", flavor=SMALL, description="before")["id"]
    tasks = {
        "flavor": module_task("flavor", id=nb_id, flavor=LARGE, allow_restart=True),
        "description": module_task("description", id=nb_id, description="after", allow_restart=True),
    }
    runs = {}

    def play(field, delay):
        if delay:
            threading.Event().wait(delay)
        work = os.path.join(str(tmp_path), field)
        os.makedirs(work)
        runs[field] = Ansible(simulator, work).playbook([tasks[field]], ignore_errors=False)

    threads = [
        threading.Thread(target=play, args=("flavor", 0.0)),
        threading.Thread(target=play, args=("description", stagger)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert set(runs) == {"flavor", "description"}

    live = simulator.notebook(nb_id)
    # What each run sent and was answered, to explain a failure.
    story = (
        "\n".join(
            "%.2f %s %s -> %s %s"
            % (
                r.time,
                r.method,
                r.path.rsplit("/", 1)[-1][:8],
                r.status,
                (r.response or {}).get("status") or (r.response or {}).get("error_code"),
            )
            for r in simulator.requests
        )
        + "\n"
        + "\n".join("%s: %s" % (f, run[f]) for f, run in runs.items())
    )
    assert live["status"] == "RUNNING", "the instance was running and must be left running: %s\n%s" % (
        live["status"],
        story,
    )
    applied = {"flavor": live["flavor"] == LARGE, "description": live["description"] == "after"}
    for field, run in runs.items():
        result = run[field]
        assert "Traceback" not in run.output
        if run.rc == 0:
            assert result["changed"] is True and applied[field], (field, result)
            assert "token" not in result["notebook"]
            # A run that stopped the instance started it again; one that found it stopped by the other run reports
            # what it saw and leaves the start to that run.
            if "stop" in result["actions"]:
                assert result["actions"] == ["stop", "update", "start"] and result["notebook"]["status"] == "RUNNING", (
                    field,
                    result,
                )
        else:
            msg = result.get("msg") or ""
            assert ATTEMPTED.search(msg), (field, msg)
    failed = [field for field, run in runs.items() if run.rc != 0]
    assert len(failed) <= 1, "both plays failed: %s" % {f: runs[f][f].get("msg") for f in failed}
    # Both changes are in, or one clear failure and the other change is in.
    assert all(applied[field] for field in runs if field not in failed)
    # Each PUT changed only its own field, so neither run undid the other's change.
    assert {tuple(sorted(r.body)) for r in write_requests(simulator, nb_id) if r.method == "PUT"} <= {
        ("flavor",),
        ("description",),
    }
