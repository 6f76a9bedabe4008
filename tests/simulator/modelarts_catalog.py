"""The simulator's flavor and image catalogues: a few defaults that tests name, plus generated, deterministic ones.

Standard library only, like modelarts_simulator.py, which re-exports DEFAULT_FLAVORS and DEFAULT_IMAGES.
"""

import copy
import uuid

# The three flavors and images tests and the fault sweep name; the full catalogues start with them.
DEFAULT_FLAVORS = (
    {
        "id": "modelarts.vm.cpu.2u",
        "name": "modelarts.vm.cpu.2u",
        "arch": "x86_64",
        "category": "CPU",
        "description": "CPU: 2 vCPUs 8 GB",
        "feature": "NOTEBOOK",
        "free": False,
        "memory": 8192,
        "vcpus": 2,
        "sold_out": False,
    },
    {
        "id": "modelarts.vm.cpu.8u",
        "name": "modelarts.vm.cpu.8u",
        "arch": "x86_64",
        "category": "CPU",
        "description": "CPU: 8 vCPUs 32 GB",
        "feature": "NOTEBOOK",
        "free": False,
        "memory": 32768,
        "vcpus": 8,
        "sold_out": False,
    },
    {
        "id": "modelarts.vm.gpu.t4u8",
        "name": "modelarts.vm.gpu.t4u8",
        "arch": "x86_64",
        "category": "GPU",
        "description": "GPU: 1*T4(16GB) | CPU: 8 vCPUs 32 GB",
        "feature": "NOTEBOOK",
        "free": False,
        "memory": 32768,
        "vcpus": 8,
        "sold_out": False,
    },
)

DEFAULT_IMAGES = {
    "e1a07296-22a8-4f05-8bc8-e936c8e54202": {
        "name": "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04",
        "swr_path": "swr.cn-north-4.myhuaweicloud.com/atelier/pytorch_1_8:pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64",
        "tag": "pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64",
        "type": "BUILD_IN",
        "arch": "x86_64",
    },
    "278e88d1-5b71-4766-8502-b3ba72e824d9": {
        "name": "mindspore1.7.0-cuda10.1-py3.7-ubuntu18.04",
        "swr_path": "swr.cn-north-4.myhuaweicloud.com/atelier/mindspore_1_7_0:mindspore_1.7.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64",
        "tag": "mindspore_1.7.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64",
        "type": "BUILD_IN",
        "arch": "x86_64",
    },
    "59a1eac7-96c8-4e1f-a3bd-a6d4eb3e3e7c": {
        "name": "team-custom-python3.10",
        "swr_path": "swr.cn-north-4.myhuaweicloud.com/team/custom-python3.10:1.0.0",
        "tag": "1.0.0",
        "type": "DEDICATED",
        "arch": "x86_64",
    },
}

FLAVOR_CATEGORIES = ("CPU", "GPU", "ASCEND")
FLAVOR_TYPES = ("MANAGED", "DEDICATED")
IMAGE_TYPES = ("BUILD_IN", "DEDICATED")
IMAGE_SERVICE_TYPES = ("COMMON", "INFERENCE", "TRAIN", "DEV", "UNKNOWN")
# The keys of an image that an instance's "image" carries; the images API answers the whole object.
INSTANCE_IMAGE_KEYS = ("id", "name", "swr_path", "tag", "type", "arch")

_GIB = 1024
_SWR = "swr.cn-north-4.myhuaweicloud.com"
_EPOCH_MS = 1609459200000  # 2021-01-01T00:00:00Z: generated images are dated from there
_DAY_MS = 86400000
_IDS = uuid.UUID("6f1c2b7e-0a4d-4c1e-9b59-2f5e8d3a7c10")  # namespace of the generated ids


def _flavor(flavor_id, category, vcpus, memory_gb, **extra):
    arch = extra.pop("arch", "aarch64" if category == "ASCEND" else "x86_64")
    flavor = {
        "id": flavor_id,
        "name": flavor_id,
        "arch": arch,
        "category": category,
        "feature": "NOTEBOOK",
        "free": False,
        "sold_out": False,
        "vcpus": vcpus,
        "memory": memory_gb * _GIB,
        "type": "MANAGED",
    }
    flavor.update(extra)
    return flavor


def _generated_flavors():
    flavors = [
        _flavor(
            "modelarts.vm.cpu.free",
            "CPU",
            1,
            4,
            feature="DEFAULT",
            free=True,
            description="CPU: 1 vCPU 4 GB, the free CodeLab flavor",
        ),
        _flavor("modelarts.vm.cpu.4u", "CPU", 4, 16),
        _flavor("modelarts.vm.cpu.16u", "CPU", 16, 64),
        _flavor("modelarts.vm.cpu.32u", "CPU", 32, 128),
        _flavor("modelarts.vm.cpu.64u", "CPU", 64, 256, sold_out=True),
        _flavor("modelarts.vm.cpu.4u.arm", "CPU", 4, 16, arch="aarch64"),
        _flavor("modelarts.vm.cpu.16u.arm", "CPU", 16, 64, arch="aarch64"),
    ]
    gpus = (("t4", "T4", 16), ("p100", "P100", 16), ("v100", "V100", 32), ("a100", "A100", 40), ("a10", "A10", 24))
    for short, gpu_type, gpu_memory in gpus:
        for count in (1, 2, 4, 8):
            if (short, count) == ("t4", 1):
                continue  # modelarts.vm.gpu.t4u8 is a default flavor
            vcpus = 8 * count
            flavors.append(
                _flavor(
                    "modelarts.vm.gpu.%s.%d" % (short, count),
                    "GPU",
                    vcpus,
                    8 * vcpus // 2,
                    gpu={"gpu": count, "gpu_memory": "%dGB" % gpu_memory, "type": gpu_type},
                    sold_out=short == "a100" and count >= 4 or short == "p100" and count == 8,
                )
            )
    for chip, npu_memory in (("snt3", 8), ("snt9b", 32)):
        for count in (1, 2, 8):
            flavors.append(
                _flavor(
                    "modelarts.vm.ascend.%s.%d" % (chip, count),
                    "ASCEND",
                    24 * count,
                    96 * count,
                    ascend={"npu": count, "npu_memory": "%dGB" % npu_memory, "type": chip, "chip": count},
                    sold_out=chip == "snt9b" and count == 8,
                )
            )
    for category, flavor_id, vcpus, memory_gb, extra in (
        ("CPU", "modelarts.pool.cpu.8u", 8, 32, {}),
        ("CPU", "modelarts.pool.cpu.32u", 32, 128, {}),
        ("GPU", "modelarts.pool.gpu.v100.1", 8, 64, {"gpu": {"gpu": 1, "gpu_memory": "32GB", "type": "V100"}}),
        ("GPU", "modelarts.pool.gpu.a100.8", 64, 512, {"gpu": {"gpu": 8, "gpu_memory": "40GB", "type": "A100"}}),
        (
            "ASCEND",
            "modelarts.pool.ascend.snt9b.8",
            192,
            1536,
            {"ascend": {"npu": 8, "npu_memory": "32GB", "type": "snt9b", "chip": 8}},
        ),
    ):
        flavors.append(_flavor(flavor_id, category, vcpus, memory_gb, type="DEDICATED", **extra))
    return flavors


def normalize_flavor(flavor):
    """A flavor id or partial dict completed into the flavor object of the API (NotebookFlavor).

    ``type`` (MANAGED or DEDICATED, which the filter of the flavors call reads) is kept as ``_type``: the
    flavor object has no such field.
    """
    if isinstance(flavor, str):
        flavor = {"id": flavor}
    flavor = copy.deepcopy(dict(flavor))
    flavor_id = flavor["id"]
    flavor.setdefault("name", flavor_id)
    flavor.setdefault("arch", "x86_64")
    flavor.setdefault("category", "GPU" if ".gpu." in flavor_id else "ASCEND" if ".ascend." in flavor_id else "CPU")
    flavor.setdefault("feature", "NOTEBOOK")
    flavor.setdefault("free", False)
    flavor.setdefault("sold_out", False)
    flavor.setdefault("vcpus", 2)
    flavor.setdefault("memory", 4 * flavor["vcpus"] * _GIB)
    if "description" not in flavor:
        accelerator = flavor.get("gpu") or flavor.get("ascend")
        prefix = (
            "%s: %d*%s(%s) | "
            % (
                flavor["category"],
                accelerator.get("gpu", accelerator.get("npu", 1)),
                accelerator["type"],
                accelerator.get("gpu_memory", accelerator.get("npu_memory")),
            )
            if accelerator
            else ""
        )
        flavor["description"] = "%sCPU: %d vCPUs %d GB" % (prefix, flavor["vcpus"], flavor["memory"] // _GIB)
    flavor.setdefault("gpu", None)
    flavor.setdefault("ascend", None)
    flavor["_type"] = flavor.pop("type", flavor.get("_type", "DEDICATED" if ".pool." in flavor_id else "MANAGED"))
    flavor.setdefault("storages", ["EVS", "EFS"] if flavor["_type"] == "DEDICATED" else ["EVS"])
    flavor.setdefault("billing", {"code": flavor_id, "unit_num": 1})
    flavor.setdefault("evs_max_size", "4096")
    flavor.setdefault("grow_support_type", "COMMON")
    return flavor


FLAVOR_CATALOG = tuple(DEFAULT_FLAVORS) + tuple(_generated_flavors())


def _generated_images():
    """About three hundred BUILD_IN and DEDICATED images, the same on every run."""
    frameworks = (
        ("pytorch", ("1.8.0", "1.10.2", "1.11.0", "2.1.0", "2.3.1")),
        ("tensorflow", ("2.1.0", "2.6.0", "2.10.0")),
        ("mindspore", ("1.7.0", "1.10.1", "2.0.0", "2.2.0", "2.3.0")),
        ("mxnet", ("1.8.0",)),
        ("conda", ("3.7", "3.9", "3.10")),
    )
    targets = (
        ("cpu", "x86_64", "CPU", "20.04"),
        ("cuda_11.1", "x86_64", "GPU", "18.04"),
        ("cuda_11.8", "x86_64", "GPU", "20.04"),
        ("cann_7.0", "aarch64", "ASCEND", "20.04"),
    )
    services = (("DEV", ""), ("TRAIN", "-train"), ("INFERENCE", "-infer"), ("COMMON", "-common"))
    images = []
    for framework, versions in frameworks:
        for version in versions:
            for target, arch, category, ubuntu in targets:
                for service_type, suffix in services:
                    tag = "%s_%s-%s-ubuntu_%s-%s%s" % (framework, version, target, ubuntu, arch, suffix)
                    images.append(
                        {
                            "name": "%s%s-%s-ubuntu%s%s"
                            % (framework, version, target.replace("_", ""), ubuntu, suffix),
                            "swr_path": "%s/atelier/%s_%s:%s" % (_SWR, framework, version.replace(".", "_"), tag),
                            "tag": tag,
                            "type": "BUILD_IN",
                            "arch": arch,
                            "service_type": service_type,
                            "resource_categories": [category],
                            "namespace": "atelier",
                            "visibility": "PUBLIC",
                            "origin": "",
                            "size": 4194304 + 1024 * len(images),
                        }
                    )
    teams = ("team-a", "team-b", "ml-ops")
    for i in range(60):
        namespace = teams[i % 3]
        name = "%s-%s-env-%02d" % (namespace, ("python3.9", "python3.10", "pytorch2.1", "mindspore2.2")[i % 4], i)
        tag = "1.%d.%d" % (i // 10, i % 10)
        images.append(
            {
                "name": name,
                "swr_path": "%s/%s/%s:%s" % (_SWR, namespace, name, tag),
                "tag": tag,
                "type": "DEDICATED",
                "arch": "aarch64" if i % 7 == 0 else "x86_64",
                "service_type": ("DEV", "UNKNOWN", "DEV", "TRAIN")[i % 4],
                "resource_categories": ["CPU", "GPU"] if i % 2 else ["CPU"],
                "namespace": namespace,
                "visibility": "PRIVATE",
                "origin": "CUSTOMIZE",
                "workspace_id": "0" if i % 5 else "c0ffee%026d" % (i % 3),
                "size": 2097152 + 4096 * i,
            }
        )
    catalog = {}
    for i, image in enumerate(images):
        image["create_at"] = _EPOCH_MS + i * 3 * _DAY_MS + (i * 7919 % 86400) * 1000
        catalog[str(uuid.uuid5(_IDS, image["swr_path"]))] = image
    return catalog


IMAGE_CATALOG = dict(DEFAULT_IMAGES, **_generated_images())


def image_details(image_id, image):
    """The image object of the images API (ImageResponse) for a catalogue entry: every field, defaults filled."""
    details = copy.deepcopy(image)
    details["id"] = image_id
    namespace = image.get("swr_path", "").split("/")[1] if image.get("swr_path", "").count("/") >= 2 else ""
    category = ["ASCEND"] if "cann" in details["name"] else ["GPU"] if "cuda" in details["name"] else ["CPU"]
    dedicated = details.get("type") == "DEDICATED"
    for key, default in (
        ("service_type", "DEV"),
        ("resource_categories", category),
        ("status", "ACTIVE"),
        ("visibility", "PRIVATE" if dedicated else "PUBLIC"),
        ("workspace_id", "0"),
        ("namespace", namespace),
        ("origin", "CUSTOMIZE" if dedicated else ""),
        ("description", ""),
        ("size", 4194304),
        ("create_at", _EPOCH_MS),
        ("status_message", ""),
        ("tags", []),
    ):
        details.setdefault(key, copy.deepcopy(default))
    details.setdefault("dev_services", ["NOTEBOOK", "SSH"] if details["service_type"] in ("DEV", "UNKNOWN") else [])
    details.setdefault("update_at", details["create_at"])
    details.setdefault("show_name", details["name"])
    details.setdefault("show_tag", details.get("tag", ""))
    return details
