"""The role with the 1.1.0 options: it creates, tags, sets auto-stop and deletes notebooks, then reruns unchanged."""

import pytest
from test_role import connection_vars, loop_result, role_playbook

from ansible_e2e import Ansible, write_requests
from modelarts_simulator import DEFAULT_IMAGES

IMAGE = next(iter(DEFAULT_IMAGES))


@pytest.fixture
def ansible(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def test_role_creates_tags_sets_auto_stop_and_deletes(simulator, ansible):
    doomed = simulator.add_notebook(name="team-old", status="RUNNING")
    notebooks = [
        {
            "name": "team-new",
            "flavor": "modelarts.vm.cpu.2u",
            "image_id": IMAGE,
            "storage_size": 20,
            "tags": {"team": "a"},
            "auto_stop": {"enabled": True, "hours": 4, "type": "IDLE"},
            "state": "stopped",
        },
        {"name": "team-old", "state": "absent"},
    ]
    playbook = role_playbook(ansible, dict(connection_vars(ansible), modelarts_notebooks=notebooks))
    first = ansible.playbook(playbook=playbook)
    assert first.rc == 0, first.describe()
    assert [r["actions"] for r in loop_result(first)["results"]] == [["create", "tag", "stop"], ["delete"]]
    (new,) = simulator.notebooks()
    assert new["name"] == "team-new" and new["status"] == "STOPPED" and new["tags"] == [{"key": "team", "value": "a"}]
    assert (new["lease"]["enable"], new["lease"]["duration"], new["lease"]["type"]) == (True, 14400000, "IDLE")
    assert doomed["id"] not in {nb["id"] for nb in simulator.notebooks()}

    simulator.clear_requests()
    second = ansible.playbook(playbook=playbook)
    assert second.rc == 0, second.describe()
    assert not any(r["changed"] for r in loop_result(second)["results"]) and write_requests(simulator) == []
