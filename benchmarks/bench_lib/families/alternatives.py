# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""alternatives: one already-matching notebook_instance task against an ansible.builtin.uri task (IAM token) and
against a module on the official SDK (AK/SK), interleaved in one play; the AnsiballZ payload of each."""

import os
import re

from ..harness import task
from ..settings import ITERATIONS
from ..stats import secs, spread, summary
from modelarts_simulator import DEFAULT_AUTH_TOKEN


def run(bench, rows):
    """2 and 3 as Ansible tasks: notebook_instance against uri (IAM token) and against the SDK module (AK/SK), interleaved."""
    sim = bench.sim
    sim.reset()
    nb = sim.add_notebook(name="alt", status="RUNNING", description="same")
    token, aksk = bench.connection(token=True), bench.connection()
    kinds = {
        "module-token": ("hwcloud.modelarts.notebook_instance", dict(token, id=nb["id"], description="same")),
        "uri-token": (
            "ansible.builtin.uri",
            {
                "url": "%s/v1/%s/notebooks/%s" % (sim.url, sim.project_id, nb["id"]),
                "headers": {"X-Auth-Token": DEFAULT_AUTH_TOKEN},
            },
        ),
        "module-aksk": ("hwcloud.modelarts.notebook_instance", dict(aksk, id=nb["id"], description="same")),
        "sdk-aksk": ("modelarts_sdk_notebook", dict(aksk, id=nb["id"], description="same")),
    }
    order = list(kinds)
    tasks = []
    for i in range(ITERATIONS):
        for key in order[i % 4 :] + order[: i % 4]:  # rotate, so no kind always runs first
            tasks.append(task("%s %d" % (key, i), *kinds[key]))
    records = bench.play(tasks)
    times = {key: {} for key in kinds}
    for record in records:
        key, i = record["task"].split()
        times[key][int(i)] = record["seconds"]
        if len(record["requests"]) != 1:
            raise RuntimeError("%s made %d requests" % (record["task"], len(record["requests"])))
    stats = {key: summary(list(values.values())) for key, values in times.items()}
    for key, label in (
        ("module-token", "notebook_instance task, IAM token"),
        ("uri-token", "ansible.builtin.uri task, IAM token"),
        ("module-aksk", "notebook_instance task, AK/SK"),
        ("sdk-aksk", "SDK module task, AK/SK"),
    ):
        rows.append(("2/3 task time", label, secs(stats[key]["median"]), spread(stats[key]), "", ""))
    for mine, other, label, target, item in (
        ("module-token", "uri-token", "notebook_instance / uri", 1.10, "2 ratio"),
        ("module-aksk", "sdk-aksk", "notebook_instance / SDK module (Ansible tasks)", 0.6, "3 ratio"),
    ):
        ratios = summary([times[mine][i] / times[other][i] for i in range(ITERATIONS)])
        rows.append(
            (
                item,
                label + ", paired per iteration",
                "%.2f" % ratios["median"],
                spread(ratios, "{:.2f}".format, iqr=True),
                "<= %.2f" % target,
                "met" if ratios["median"] <= target else "MISSED",
            )
        )
    bench.profile["payload"] = payload_sizes(bench, [task("payload " + key, *kinds[key]) for key in order])


def payload_sizes(bench, tasks):
    """AnsiballZ payload size of each task's module, from the files Ansible keeps when asked to."""
    remote = os.path.join(bench.workdir, "kept_tmp")
    bench.play(tasks, {"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": remote})
    sizes = {}
    for folder, dummy, files in os.walk(remote):
        for name in files:
            match = re.match(r"AnsiballZ_(\w+)\.py$", name)
            if match:
                sizes[match.group(1)] = os.path.getsize(os.path.join(folder, name))
    return sizes
