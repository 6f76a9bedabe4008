"""notebook_flavor_info and notebook_image_info through real ansible-playbook, with module_defaults and check mode."""

import math
import os

import pytest

from ansible_e2e import REPO_DIR, Ansible

FLAVORS = "hwcloud.modelarts.notebook_flavor_info"
IMAGES = "hwcloud.modelarts.notebook_image_info"


@pytest.fixture
def runner(simulator, tmp_path):
    return Ansible(simulator, tmp_path)


def task(title, module, **args):
    return {"name": title, module: args}


def test_flavor_filters_and_switchable_flavors(simulator, runner):
    nb = simulator.add_notebook(name="team-a", flavor="modelarts.vm.cpu.2u")["id"]
    run = runner.playbook(
        [
            task("all", FLAVORS),
            task("gpu", FLAVORS, category="GPU"),
            task("dedicated", FLAVORS, type="DEDICATED"),
            task("switchable by name", FLAVORS, notebook="team-a"),
            task("switchable by id", FLAVORS, notebook=nb, category="CPU"),
            task("unknown notebook", FLAVORS, notebook="team-b"),
        ],
        connection="module_defaults",
        check=True,
    )
    run.assert_ok("all", "gpu", "dedicated", "switchable by name", "switchable by id")
    notebook_flavors = [f for f in simulator.store.flavors if f["feature"] == "NOTEBOOK"]
    assert len(run["all"]["flavors"]) == len(notebook_flavors)
    assert {f["category"] for f in run["gpu"]["flavors"]} == {"GPU"}
    assert {f["id"] for f in run["dedicated"]["flavors"]} == {
        f["id"] for f in notebook_flavors if f["_type"] == "DEDICATED"
    }
    switchable = {f["id"] for f in run["switchable by name"]["flavors"]}
    assert switchable and "modelarts.vm.cpu.2u" not in switchable
    cpu = {f["id"] for f in run["switchable by name"]["flavors"] if f["category"] == "CPU"}
    assert {f["id"] for f in run["switchable by id"]["flavors"]} == cpu
    assert (
        run.status("unknown notebook") == "failed"
        and "no notebook instance is named 'team-b'" in run["unknown notebook"]["msg"]
    )
    assert all(not run[name]["changed"] for name in ("all", "gpu", "switchable by id"))


def test_image_filters_paging_and_lookup_by_id(simulator, runner):
    catalog = list(simulator.store.image_catalog.values())
    built_in = [i for i in catalog if i["type"] == "BUILD_IN" and i["workspace_id"] == "0"]
    dedicated = [i for i in catalog if i["type"] == "DEDICATED" and i["workspace_id"] == "0"]
    some = built_in[0]
    workspace = next(i["workspace_id"] for i in catalog if i["workspace_id"] != "0")
    run = runner.playbook(
        [
            task("all", IMAGES),
            task("exact", IMAGES, name=some["name"]),
            task("fuzzy", IMAGES, name="MindSpore", name_match="fuzzy", type="BUILD_IN"),
            task("dev images", IMAGES, service_type="DEV", type="BUILD_IN"),
            task("namespace", IMAGES, namespace="atelier", type="BUILD_IN"),
            task("workspace", IMAGES, workspace_id=workspace, type="DEDICATED"),
            task("by id", IMAGES, id=some["id"]),
            task("unknown id", IMAGES, id="00000000-0000-0000-0000-000000000000"),
            task("id with a filter", IMAGES, id=some["id"], name="x"),
        ]
    )
    run.assert_ok("all", "exact", "fuzzy", "dev images", "namespace", "workspace", "by id", "unknown id")
    assert len(run["all"]["images"]) == len(built_in) + len(dedicated)
    assert [i["id"] for i in run["exact"]["images"]] == [
        i["id"] for i in built_in + dedicated if i["name"] == some["name"]
    ]
    assert run["fuzzy"]["images"] and all("mindspore" in i["name"].lower() for i in run["fuzzy"]["images"])
    assert run["dev images"]["images"] and {i["service_type"] for i in run["dev images"]["images"]} == {"DEV"}
    assert run["namespace"]["images"] and {i["namespace"] for i in run["namespace"]["images"]} == {"atelier"}
    assert run["workspace"]["images"] and {i["workspace_id"] for i in run["workspace"]["images"]} == {workspace}
    assert [i["id"] for i in run["by id"]["images"]] == [some["id"]] and run["unknown id"]["images"] == []
    assert run.status("id with a filter") == "failed" and "mutually exclusive" in run["id with a filter"]["msg"]
    # The "all" task: ceil(N/200) list requests per type.
    listing = [r for r in simulator.requests if r.path.endswith("/images")][
        : math.ceil(len(built_in) / 200) + math.ceil(len(dedicated) / 200)
    ]
    assert [(r.query["type"], r.query["limit"], r.query["offset"]) for r in listing] == (
        [("BUILD_IN", "200", str(200 * n)) for n in range(math.ceil(len(built_in) / 200))]
        + [("DEDICATED", "200", str(200 * n)) for n in range(math.ceil(len(dedicated) / 200))]
    )


def test_the_catalog_example_creates_a_notebook_with_the_newest_pytorch_image_and_smallest_gpu_flavor(
    simulator, runner
):
    playbook = os.path.join(REPO_DIR, "examples", "notebook_from_catalog.yml")
    first = runner.playbook(playbook=playbook, connection="env", env=runner.connection_env())
    assert first.rc == 0, first.describe()
    pytorch = [
        i
        for i in simulator.store.image_catalog.values()
        if i["type"] == "BUILD_IN"
        and i["workspace_id"] == "0"
        and "pytorch" in i["name"].lower()
        and i["status"] == "ACTIVE"
    ]
    newest = max(pytorch, key=lambda image: image["create_at"])
    gpu = [
        f
        for f in simulator.store.flavors
        if f["category"] == "GPU" and f["feature"] == "NOTEBOOK" and not f["sold_out"]
    ]
    smallest = min(gpu, key=lambda flavor: (flavor["vcpus"], flavor["memory"]))
    (nb,) = [nb for nb in simulator.notebooks() if nb["name"] == "team-a-gpu"]
    assert (nb["image"]["id"], nb["flavor"], nb["volume"]["capacity"]) == (newest["id"], smallest["id"], 50)
    assert first["Create the notebook, or bring it to that image and flavor"]["actions"] == ["create"]

    second = runner.playbook(playbook=playbook, connection="env", env=runner.connection_env())
    assert second.rc == 0 and second["Create the notebook, or bring it to that image and flavor"]["changed"] is False
    assert len([nb for nb in simulator.notebooks() if nb["name"] == "team-a-gpu"]) == 1
