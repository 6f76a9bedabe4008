"""The simulator's flavor and image catalogues: GET notebooks/flavors, notebooks/{id}/flavors, images, images/{id}."""

import collections

import pytest
from sim_client import call, error_code

from modelarts_simulator import DEFAULT_FLAVORS, DEFAULT_IMAGES, DEFAULT_PROJECT_ID as PROJECT, IMAGE_CATALOG, Simulator

FLAVOR_KEYS = {
    "id",
    "name",
    "arch",
    "category",
    "description",
    "feature",
    "free",
    "sold_out",
    "vcpus",
    "memory",
    "gpu",
    "ascend",
    "storages",
    "billing",
    "evs_max_size",
    "grow_support_type",
}
IMAGE_KEYS = {
    "id",
    "name",
    "tag",
    "swr_path",
    "type",
    "service_type",
    "dev_services",
    "resource_categories",
    "arch",
    "status",
    "visibility",
    "workspace_id",
    "namespace",
    "origin",
    "description",
    "size",
    "create_at",
    "update_at",
    "show_name",
    "status_message",
    "show_tag",
    "tags",
}
IMAGES = "/v1/%s/images" % PROJECT


def flavors(sim, **query):
    answer = call(sim, "GET", "/flavors", query=query)
    assert answer.status_code == 200, answer.text
    return answer.json()


def images(sim, **query):
    answer = call(sim, "GET", IMAGES, query=query)
    assert answer.status_code == 200, answer.text
    return answer.json()


# ---- GET notebooks/flavors ----------------------------------------------------------------------------------
def test_the_flavor_catalogue_without_limit_is_one_answer(simulator):
    answer = flavors(simulator)
    listed = answer["flavors"]
    assert set(answer) == {"current", "pages", "size", "total", "flavors"}
    assert (answer["current"], answer["pages"], answer["size"], answer["total"]) == (0, 1, len(listed), len(listed))
    assert len(listed) >= 30 and all(set(f) == FLAVOR_KEYS for f in listed)
    assert [f["id"] for f in listed[:3]] == [f["id"] for f in DEFAULT_FLAVORS]  # the ids tests name stay first
    assert {f["category"] for f in listed} == {"CPU", "GPU", "ASCEND"} and {f["arch"] for f in listed} == {
        "x86_64",
        "aarch64",
    }
    assert any(f["sold_out"] for f in listed) and all(f["feature"] == "NOTEBOOK" for f in listed)
    gpu = next(f for f in listed if f["id"] == "modelarts.vm.gpu.v100.4")
    assert gpu["gpu"] == {"gpu": 4, "gpu_memory": "32GB", "type": "V100"} and gpu["ascend"] is None
    assert gpu["billing"] == {"code": gpu["id"], "unit_num": 1} and gpu["storages"] == ["EVS"]
    ascend = next(f for f in listed if f["category"] == "ASCEND")
    assert set(ascend["ascend"]) == {"npu", "npu_memory", "type", "chip"} and ascend["arch"] == "aarch64"


@pytest.mark.parametrize(
    "query,check",
    [
        ({"category": "GPU"}, lambda f: f["category"] == "GPU"),
        ({"category": "ASCEND"}, lambda f: f["category"] == "ASCEND"),
        ({"type": "DEDICATED"}, lambda f: f["id"].startswith("modelarts.pool.")),
        ({"type": "MANAGED"}, lambda f: f["id"].startswith("modelarts.vm.")),
        ({"feature": "DEFAULT"}, lambda f: f["free"] and f["feature"] == "DEFAULT"),
        ({"category": "CPU", "type": "DEDICATED"}, lambda f: f["category"] == "CPU" and ".pool." in f["id"]),
        ({"flavor_type": "ASCEND_SNT9B"}, lambda f: (f["ascend"] or {}).get("type") == "snt9b"),
    ],
)
def test_flavor_filters(simulator, query, check):
    everything = flavors(simulator, feature=query.get("feature", "NOTEBOOK"))["flavors"]
    answer = flavors(simulator, **query)
    assert answer["total"] == answer["size"] == len(answer["flavors"]) > 0
    assert all(check(f) for f in answer["flavors"])
    assert [f["id"] for f in answer["flavors"]] == [f["id"] for f in everything if check(f)]  # nothing left out


def test_flavor_paging_gives_each_flavor_once(simulator):
    everything = [f["id"] for f in flavors(simulator)["flavors"]]
    seen = []
    for offset in range(0, len(everything), 7):
        page = flavors(simulator, limit="7", offset=str(offset))
        assert (page["current"], page["pages"], page["total"]) == (
            offset // 7,
            -(-len(everything) // 7),
            len(everything),
        )
        assert page["size"] == len(page["flavors"]) <= 7
        seen += [f["id"] for f in page["flavors"]]
    assert seen == everything
    assert flavors(simulator, offset="5")["size"] == len(everything) - 5
    assert flavors(simulator, category="GPU", limit="500")["pages"] == 1
    assert (
        flavors(simulator, category="CPU", type="DEDICATED", feature="NOTEBOOK", limit="1", offset="99")["flavors"]
        == []
    )


def test_flavor_sorting(simulator):
    by_vcpus = flavors(simulator, sort_key="vcpus", sort_dir="ASC")["flavors"]
    assert [f["vcpus"] for f in by_vcpus] == sorted(f["vcpus"] for f in by_vcpus)
    descending = flavors(simulator, sort_key="memory")["flavors"]  # DESC by default
    assert [f["memory"] for f in descending] == sorted((f["memory"] for f in descending), reverse=True)
    two_keys = flavors(simulator, sort_key="category,vcpus", sort_dir="ASC")["flavors"]
    assert [(f["category"], f["vcpus"]) for f in two_keys] == sorted((f["category"], f["vcpus"]) for f in two_keys)


@pytest.mark.parametrize(
    "query,status,code",
    [
        ({"category": "TPU"}, 400, "ModelArts.6336"),
        ({"type": "SHARED"}, 400, "ModelArts.6336"),
        ({"feature": "TRAIN"}, 400, "ModelArts.6336"),
        ({"flavor_type": "ASCEND_SNT10"}, 400, "ModelArts.6336"),
        ({"limit": "0"}, 400, "ModelArts.6400"),
        ({"limit": "x"}, 400, "ModelArts.6400"),
        ({"offset": "-1"}, 400, "ModelArts.6400"),
        ({"sort_dir": "UP"}, 400, "ModelArts.6400"),
        ({"sort_key": "price"}, 400, "ModelArts.6303"),
    ],
)
def test_flavor_query_errors(simulator, query, status, code):
    answer = call(simulator, "GET", "/flavors", query=query)
    assert (answer.status_code, error_code(answer)) == (status, code) and answer.json()["error_msg"]


def test_flavors_is_a_route_not_an_instance_id(simulator):
    assert call(simulator, "GET", "/flavors").status_code == 200
    assert simulator.requests[-1].notebook_id is None
    answer = call(simulator, "PUT", "/flavors", body={"description": "x"})
    assert (answer.status_code, error_code(answer)) == (400, "ModelArts.6309")


def test_a_given_flavor_list_replaces_the_catalogue():
    with Simulator(
        flavors=["modelarts.vm.cpu.2u", {"id": "modelarts.pool.gpu.x", "type": "DEDICATED", "sold_out": True}]
    ) as sim:
        listed = flavors(sim)["flavors"]
        assert [f["id"] for f in listed] == ["modelarts.vm.cpu.2u", "modelarts.pool.gpu.x"]
        assert all(set(f) == FLAVOR_KEYS for f in listed) and listed[1]["category"] == "GPU"
        assert [f["id"] for f in flavors(sim, type="DEDICATED")["flavors"]] == ["modelarts.pool.gpu.x"]


# ---- GET notebooks/{id}/flavors ------------------------------------------------------------------------------
def test_switchable_flavors_share_arch_pool_type_and_feature(simulator):
    nb = simulator.add_notebook(flavor="modelarts.vm.cpu.2u")
    answer = call(simulator, "GET", "/%s/flavors" % nb["id"]).json()
    assert set(answer) == {"current", "pages", "size", "total", "flavors"}
    switchable = answer["flavors"]
    assert answer["total"] == len(switchable) > 10 and all(set(f) == FLAVOR_KEYS for f in switchable)
    assert all(
        f["arch"] == "x86_64"
        and f["id"].startswith("modelarts.vm.")
        and not f["sold_out"]
        and f["feature"] == "NOTEBOOK"
        for f in switchable
    )
    assert "modelarts.vm.cpu.2u" not in [f["id"] for f in switchable] and "modelarts.vm.gpu.t4u8" in [
        f["id"] for f in switchable
    ]
    page = call(simulator, "GET", "/%s/flavors" % nb["id"], query={"limit": "5", "offset": "5"}).json()
    assert (page["current"], page["size"], page["total"]) == (1, 5, len(switchable))
    assert page["flavors"] == switchable[5:10]
    arm = simulator.add_notebook(flavor="modelarts.vm.cpu.4u.arm")
    assert {f["arch"] for f in call(simulator, "GET", "/%s/flavors" % arm["id"]).json()["flavors"]} == {"aarch64"}


@pytest.mark.parametrize(
    "flavor,code",
    [
        ("modelarts.vm.cpu.4u.arm", "ModelArts.6792"),
        ("modelarts.pool.cpu.8u", "ModelArts.6792"),
        ("modelarts.vm.cpu.free", "ModelArts.6792"),
        ("modelarts.vm.cpu.64u", "ModelArts.6329"),
        ("modelarts.vm.gpu.a100.8", "ModelArts.6329"),
    ],
)
def test_an_update_only_takes_a_switchable_flavor(simulator, flavor, code):
    nb = simulator.add_notebook(flavor="modelarts.vm.cpu.2u")
    answer = call(simulator, "PUT", "/" + nb["id"], body={"flavor": flavor})
    assert (answer.status_code, error_code(answer)) == (400, code)
    assert (
        call(simulator, "PUT", "/" + nb["id"], body={"flavor": "modelarts.vm.gpu.v100.2"}).json()["flavor"]
        == "modelarts.vm.gpu.v100.2"
    )


# ---- GET images ----------------------------------------------------------------------------------------------
def test_the_image_catalogue_is_large_and_deterministic(simulator):
    with Simulator() as other:
        assert images(other, limit="200") == images(simulator, limit="200")
    assert len(IMAGE_CATALOG) >= 300 and set(DEFAULT_IMAGES) <= set(IMAGE_CATALOG)
    answer = images(simulator)
    assert set(answer) == {"current", "data", "pages", "size", "total"}
    assert answer["size"] == 200 and answer["current"] == 0 and answer["pages"] == -(-answer["total"] // 200)
    assert all(
        set(image) == IMAGE_KEYS and image["type"] == "BUILD_IN" and image["workspace_id"] == "0"
        for image in answer["data"]
    )
    created = [image["create_at"] for image in answer["data"]]
    assert created == sorted(created, reverse=True)  # newest first by default
    kinds = collections.Counter(
        (i["service_type"], i["arch"]) for i in images(simulator, limit="200", offset="0")["data"]
    )
    assert len(kinds) >= 6


def test_image_paging_gives_each_image_once(simulator):
    total = images(simulator, limit="1")["total"]
    seen = []
    for offset in range(0, total, 50):
        page = images(simulator, limit="50", offset=str(offset), sort_key="name", sort_dir="ASC")
        assert page["current"] == offset // 50 and page["total"] == total
        seen += [image["name"] for image in page["data"]]
    assert len(seen) == total and seen == sorted(seen)
    assert (
        len({image["id"] for image in images(simulator, limit="200")["data"] + images(simulator, offset="200")["data"]})
        == total
    )


@pytest.mark.parametrize(
    "query,check",
    [
        ({"type": "DEDICATED"}, lambda i: i["type"] == "DEDICATED" and i["visibility"] == "PRIVATE"),
        ({"service_type": "TRAIN"}, lambda i: i["service_type"] == "TRAIN" and i["type"] == "BUILD_IN"),
        (
            {"service_type": "DEV", "type": "DEDICATED"},
            lambda i: i["service_type"] == "DEV" and i["type"] == "DEDICATED",
        ),
        ({"namespace": "team-b", "type": "DEDICATED"}, lambda i: i["namespace"] == "team-b"),
        (
            {"workspace_id": "c0ffee00000000000000000000000001", "type": "DEDICATED"},
            lambda i: i["workspace_id"] == "c0ffee00000000000000000000000001",
        ),
        ({"name": "PyTorch2.1"}, lambda i: "pytorch2.1" in i["name"]),
        (
            {"name": "mindspore2.2.0-cann7.0-ubuntu20.04-train", "name_fuzzy_match": "false"},
            lambda i: i["name"] == "mindspore2.2.0-cann7.0-ubuntu20.04-train",
        ),
    ],
)
def test_image_filters(simulator, query, check):
    answer = images(simulator, **query)
    assert answer["total"] == answer["size"] > 0 and all(check(i) for i in answer["data"])
    everything = images(simulator, type=query.get("type", "BUILD_IN"), workspace_id=query.get("workspace_id", "0"))[
        "data"
    ]
    everything += images(
        simulator, type=query.get("type", "BUILD_IN"), workspace_id=query.get("workspace_id", "0"), offset="200"
    )["data"]
    assert answer["total"] == len([i for i in everything if check(i)])


def test_exact_name_match_is_exact(simulator):
    assert images(simulator, name="PyTorch2.1", name_fuzzy_match="false")["total"] == 0
    assert images(simulator, name="pytorch2.1.0-cpu-ubuntu20.04", name_fuzzy_match="False")["total"] == 1
    assert images(simulator, name="nothing-like-it")["data"] == []


@pytest.mark.parametrize(
    "query,code",
    [
        ({"limit": "201"}, "ModelArts.6400"),
        ({"limit": "0"}, "ModelArts.6400"),
        ({"offset": "x"}, "ModelArts.6400"),
        ({"name_fuzzy_match": "maybe"}, "ModelArts.6400"),
        ({"sort_dir": "down"}, "ModelArts.6400"),
        ({"type": "PUBLIC"}, "ModelArts.6336"),
        ({"service_type": "NOTEBOOK"}, "ModelArts.6336"),
        ({"sort_key": "token"}, "ModelArts.6303"),
    ],
)
def test_image_query_errors(simulator, query, code):
    answer = call(simulator, "GET", IMAGES, query=query)
    assert (answer.status_code, error_code(answer)) == (400, code) and answer.json()["error_msg"]


def test_show_image_and_an_unknown_one(simulator):
    for image_id, image in DEFAULT_IMAGES.items():
        shown = call(simulator, "GET", "%s/%s" % (IMAGES, image_id)).json()
        assert set(shown) == IMAGE_KEYS and shown["id"] == image_id
        assert {k: shown[k] for k in image} == image
    dedicated = images(simulator, type="DEDICATED", limit="1")["data"][0]
    assert call(simulator, "GET", "%s/%s" % (IMAGES, dedicated["id"])).json() == dedicated
    missing = call(simulator, "GET", IMAGES + "/00000000-0000-0000-0000-000000000000")
    assert (missing.status_code, error_code(missing)) == (400, "ModelArts.6797")


def test_an_instance_can_use_any_catalogue_image_and_shows_its_short_form(simulator):
    image = images(simulator, name="tensorflow2.6.0-cuda11.8-ubuntu20.04", name_fuzzy_match="false")["data"][0]
    nb = simulator.add_notebook()
    updated = call(simulator, "PUT", "/" + nb["id"], body={"image_id": image["id"]}).json()
    assert updated["image"] == {k: image[k] for k in ("id", "name", "swr_path", "tag", "type", "arch")}
