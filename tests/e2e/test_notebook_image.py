"""notebook_image through real ansible-playbook and ansible runs: the example playbook, request counts, check mode,
--diff, reruns, clean failures, no secret, lost answers."""

import os

import pytest

from ansible_e2e import REPO_DIR, Ansible

MODULE = "hwcloud.modelarts.notebook_image"
IDENTITY = {"namespace": "team-a", "name": "pytorch-team", "tag": "v1"}
SWR = "swr.cn-north-4.myhuaweicloud.com"


@pytest.fixture
def runner(simulator, tmp_path):
    simulator.resources["images"].image_seconds = 0.3
    return Ansible(simulator, tmp_path)


@pytest.fixture
def template(simulator):
    return simulator.add_notebook(name="team-a-template", status="RUNNING")


def task(title, **args):
    return {"name": title, MODULE: args}


def image_requests(sim):
    """(method, what) of the image calls and of the notebook reads a save makes."""
    out = []
    for record in sim.requests:
        tail = record.path.split("/", 3)[3]
        if tail == "images":
            out.append((record.method, "images"))
        elif tail.startswith("images/"):
            out.append((record.method, "image"))
        elif tail.endswith("/create-image"):
            out.append((record.method, "create-image"))
        elif tail.startswith("notebooks"):
            out.append((record.method, "notebooks" if tail == "notebooks" else "notebook"))
    return out


def saved(sim):
    return [i for i in sim.resources["images"].all() if (i["namespace"], i["name"]) == ("team-a", "pytorch-team")]


def test_the_example_saves_the_template_and_starts_two_notebooks_from_it(simulator, runner, template):
    playbook = os.path.join(REPO_DIR, "examples", "notebook_image_from_template.yml")
    first = runner.playbook(playbook=playbook, connection="env", env=runner.connection_env())
    assert first.rc == 0, first.describe()
    image = first["Save the template notebook as an image, unless it was saved already"]
    assert image["actions"] == ["save"] and image["image"]["status"] == "ACTIVE"
    (made,) = [i for i in simulator.resources["images"].all() if i["name"] == "pytorch-team"]
    assert (made["id"], made["tag"], made["description"]) == (
        image["image"]["id"],
        "2024.06",
        "Saved from team-a-template",
    )
    notebooks = {nb["name"]: nb for nb in simulator.notebooks()}
    assert {notebooks[name]["image"]["id"] for name in ("team-a-dev-1", "team-a-dev-2")} == {made["id"]}
    assert notebooks["team-a-template"]["status"] == "RUNNING"
    assert len([r for r in simulator.writes if r.path.endswith("/create-image")]) == 1

    simulator.clear_requests()
    second = runner.playbook(playbook=playbook, connection="env", env=runner.connection_env())
    assert second.rc == 0, second.describe()
    assert second["Save the template notebook as an image, unless it was saved already"]["changed"] is False
    # The image that exists costs one images list; the notebooks are found by name; nothing is written.
    assert [c for c in image_requests(simulator) if c[1] in ("images", "image", "create-image")] == [("GET", "images")]
    assert not simulator.writes


def test_a_save_costs_one_lookup_one_post_and_the_polls(simulator, runner, template):
    run = runner.playbook([task("save", notebook="team-a-template", **IDENTITY)])
    run.assert_all_ok()
    result = run["save"]
    assert (result["changed"], result["actions"]) == (True, ["save"])
    sequence = image_requests(simulator)
    assert sequence[:3] == [("GET", "images"), ("GET", "notebooks"), ("POST", "create-image")]
    assert set(sequence[3:-1]) == {("GET", "image")} and sequence[-1] == ("GET", "notebook")
    assert simulator.notebook(template["id"])["status"] == "RUNNING"

    simulator.clear_requests()
    again = runner.playbook([task("again", notebook="team-a-template", **IDENTITY)])
    again.assert_all_ok()
    assert again["again"]["changed"] is False and image_requests(simulator) == [("GET", "images")]
    simulator.clear_requests()
    by_id = runner.playbook([task("by id", id=result["image"]["id"])])
    assert by_id["by id"]["changed"] is False and image_requests(simulator) == [("GET", "image")]


def test_check_mode_and_diff_send_no_write(simulator, runner, template):
    existing = simulator.resources["images"].add("team-a", "old", "v0")
    run = runner.playbook(
        [
            task("save", notebook="team-a-template", description="d", **IDENTITY),
            task("register", swr_path="%s/team-b/cuda:1.4" % SWR, resource_categories=["GPU"]),
            task("delete", id=existing["id"], state="absent"),
        ],
        check=True,
        diff=True,
    )
    run.assert_all_ok()
    assert [run[name]["actions"] for name in ("save", "register", "delete")] == [["save"], ["register"], ["delete"]]
    assert all(run[name]["changed"] for name in ("save", "register", "delete"))
    assert run["save"]["diff"] == {"before": {}, "after": dict(IDENTITY, description="d")}
    assert run["register"]["diff"]["after"]["resource_categories"] == ["GPU"]
    assert run["delete"]["diff"]["before"]["id"] == existing["id"] and run["delete"]["diff"]["after"] == {}
    assert all(r.method == "GET" for r in simulator.requests)
    # --diff shows the change in ansible-playbook's own output too.
    assert "pytorch-team" in run.stdout


def test_failures_are_clean_and_name_the_resource(simulator, runner):
    stopped = simulator.add_notebook(name="stopped-template", status="STOPPED")
    broken = simulator.resources["images"].add(
        "team-a", "broken", "v1", status="CREATE_FAILED", status_message="no quota"
    )
    run = runner.playbook(
        [
            task("stopped notebook", notebook="stopped-template", **IDENTITY),
            task("unknown notebook", notebook="nobody", **IDENTITY),
            task("failed image", notebook="stopped-template", namespace="team-a", name="broken", tag="v1"),
            task("bad name", notebook="stopped-template", namespace="team-a", name="Bad_Name-", tag="v1"),
        ]
    )
    assert [run.status(name) for name in ("stopped notebook", "unknown notebook", "failed image", "bad name")] == [
        "failed"
    ] * 4
    assert run["stopped notebook"]["msg"].startswith(
        "notebook instance %s (stopped-template) is STOPPED: only a RUNNING notebook can be saved" % stopped["id"]
    )
    assert run["unknown notebook"]["msg"].startswith("no notebook instance is named 'nobody'")
    assert run["failed image"]["msg"].startswith(
        "image %s (team-a/broken:v1) is CREATE_FAILED (status_message: no quota)" % broken["id"]
    )
    assert "state=absent" in run["failed image"]["msg"] and run["failed image"]["image"]["id"] == broken["id"]
    assert run["bad name"]["msg"].startswith("name must be 1 to 128 lowercase letters")
    assert "Traceback" not in run.output and not simulator.writes


def test_no_secret_in_any_output_at_the_highest_verbosity(simulator, runner, template):
    simulator.resources["images"].fail_next("CREATE_FAILED", "the notebook's disk is too large")
    run = runner.playbook(
        [task("save", notebook="team-a-template", **IDENTITY)],
        connection="env",
        verbosity=4,
        env=runner.connection_env(),
    )
    assert run.status("save") == "failed" and "status_message: the notebook's disk is too large" in run["save"]["msg"]
    for secret in (simulator.auth.secret_key, simulator.notebook(template["id"])["token"]):
        assert secret not in run.output


def test_a_save_whose_answer_was_lost_is_adopted_never_sent_twice(simulator, runner, template):
    simulator.inject_fault(method="POST", path="/create-image$", apply=True, drop=True)
    run = runner.playbook([task("save", notebook="team-a-template", **IDENTITY)])
    run.assert_all_ok()
    assert run["save"]["actions"] == ["save"] and run["save"]["image"]["status"] == "ACTIVE"
    assert len([r for r in simulator.requests if r.path.endswith("/create-image")]) == 1 and len(saved(simulator)) == 1


def test_register_then_delete_with_the_swr_content_ad_hoc(simulator, runner):
    path = "%s/team-b/cuda-tools:1.4" % SWR
    env = runner.connection_env()
    registered = runner.adhoc(MODULE, "swr_path=%s resource_categories=GPU services=NOTEBOOK,SSH" % path, env=env)
    assert registered.rc == 0, registered.describe()
    assert "CHANGED" in registered.stdout and simulator.writes[-1].body["resource_category"] == ["GPU"]
    again = runner.adhoc(MODULE, "swr_path=%s" % path, env=env)
    assert again.rc == 0 and '"changed": false' in again.stdout
    deleted = runner.adhoc(MODULE, "swr_path=%s state=absent delete_swr_content=true" % path, env=env)
    assert deleted.rc == 0 and "CHANGED" in deleted.stdout, deleted.describe()
    delete = simulator.writes[-1]
    assert (delete.method, delete.query, delete.body) == ("DELETE", {"force": "true"}, {"is_force": True})
    assert simulator.resources["images"].swr_deleted == [path]
    gone = runner.adhoc(MODULE, "swr_path=%s state=absent" % path, env=env)
    assert gone.rc == 0 and '"changed": false' in gone.stdout
    assert len([r for r in simulator.requests if r.method == "DELETE"]) == 1
