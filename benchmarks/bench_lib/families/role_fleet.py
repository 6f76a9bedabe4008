# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""role_fleet: the role over N notebooks against the same role over 1 and against async jobs per definition."""

import json
import os
import subprocess
import time

from ..harness import playbook_command
from ..settings import FLEET_REPEATS, FLEET_SIZE, FLEET_TRANSITION
from ..stats import secs, spread, summary


def fleet_play(bench, ids, description, role):
    """One ansible-playbook run over these notebooks (each needs stop, update, start); its wall time.

    ``role`` True: the role. False: the alternative a playbook can write itself, and the role's own way before
    1.1.0: one async job of notebook_instance per definition, read back with async_status, in batches of 10.
    """
    bench.plays += 1
    base = os.path.join(bench.workdir, "fleet%02d" % bench.plays)
    definitions = [{"id": nb_id, "description": description} for nb_id in ids]
    play = {"name": "fleet", "hosts": "localhost", "gather_facts": False}
    if role:
        play["roles"] = [
            {
                "role": "hwcloud.modelarts.notebooks",
                "vars": {"modelarts_notebooks": definitions, "modelarts_allow_restart": True},
            }
        ]
    else:
        batch = [
            {
                "name": "Start one job per definition",
                "hwcloud.modelarts.notebook_instance": {
                    "id": "{{ item.id }}",
                    "description": "{{ item.description }}",
                    "allow_restart": True,
                },
                "loop": "{{ fleet_batch }}",
                "async": 3600,
                "poll": 0,
                "register": "fleet_started",
            },
            {
                "name": "Wait for each job",
                "ansible.builtin.async_status": {"jid": "{{ item.ansible_job_id }}"},
                "loop": "{{ fleet_started.results }}",
                "register": "fleet_done",
                "until": "fleet_done.finished",
                "retries": 3600,
                "delay": 1,
            },
        ]
        with open(base + "-batch.yml", "w", encoding="utf-8") as handle:
            json.dump(batch, handle, indent=1)
        play["vars"] = {"fleet_definitions": definitions}
        play["tasks"] = [
            {
                "name": "Batches of 10",
                "ansible.builtin.include_tasks": base + "-batch.yml",
                "loop": "{{ fleet_definitions | batch(10) | list }}",
                "loop_control": {"loop_var": "fleet_batch"},
            }
        ]
    with open(base + ".yml", "w", encoding="utf-8") as handle:
        json.dump([play], handle, indent=1)
    command = playbook_command(base + ".yml")
    bench.sim.clear_requests()
    with open(base + ".log", "w", encoding="utf-8") as log:
        start = time.perf_counter()
        code = subprocess.call(
            command, env=bench.ansible_env(), stdout=log, stderr=subprocess.STDOUT, cwd=bench.workdir
        )
        seconds = time.perf_counter() - start
    if code:
        raise RuntimeError("the fleet play failed (exit %s); see %s.log" % (code, base))
    requests = bench.sim.requests
    spans = []
    for nb_id in ids:
        times = [r.time for r in requests if r.notebook_id == nb_id]
        spans.append((min(times), max(times)))
    return seconds, len(requests), overlap(spans)


def overlap(spans):
    """The largest number of notebooks in progress (between their first and last request) at one moment."""
    current = peak = 0
    for dummy, step in sorted([(a, 1) for a, dummy in spans] + [(b, -1) for dummy, b in spans]):
        current += step
        peak = max(peak, current)
    return peak


def run(bench, rows):
    """6. The role over N notebooks that each need stop, update and start, against the same role over 1 and
    against async jobs per definition, in the same run."""
    sim = bench.sim
    sim.reset()
    sim.transition_seconds = FLEET_TRANSITION
    ids = sim.bulk_add(FLEET_SIZE + 1, prefix="fleet-", status="RUNNING")
    single, fleet, jobs = [], [], []
    try:
        for repeat in range(FLEET_REPEATS):
            # Alternated, so that load from elsewhere hits all alike; a new description each time forces the restart.
            single.append(fleet_play(bench, ids[-1:], "single %d" % repeat, role=True))
            fleet.append(fleet_play(bench, ids[:FLEET_SIZE], "fleet %d" % repeat, role=True))
            jobs.append(fleet_play(bench, ids[:FLEET_SIZE], "jobs %d" % repeat, role=False))
    finally:
        sim.transition_seconds = 0
    one, many, async_jobs = (summary([r[0] for r in runs]) for runs in (single, fleet, jobs))
    ratio = many["median"] / one["median"]

    def in_progress(runs):
        return max(r[2] for r in runs)

    rows.append(
        (
            "6 role fleet",
            "role over 1 notebook (stop, update, start; %g s transitions)" % FLEET_TRANSITION,
            secs(one["median"]),
            "%s; %d requests" % (spread(one), single[-1][1]),
            "",
            "",
        )
    )
    rows.append(
        (
            "6 role fleet",
            "role over %d notebooks, modelarts_concurrency 10" % FLEET_SIZE,
            secs(many["median"]),
            "%s; %d requests; at most %d notebooks in progress at once"
            % (spread(many), fleet[-1][1], in_progress(fleet)),
            "in a row: about %s (%d × 1)" % (secs(FLEET_SIZE * one["median"]), FLEET_SIZE),
            "",
        )
    )
    rows.append(
        (
            "6 role fleet",
            "alternative: async job of notebook_instance per definition + async_status, batches of 10 (the role "
            "before 1.1.0)",
            secs(async_jobs["median"]),
            "%s; %d requests; at most %d notebooks in progress at once"
            % (spread(async_jobs), jobs[-1][1], in_progress(jobs)),
            "",
            "",
        )
    )
    rows.append(
        (
            "6 ratio",
            "role over %d / role over 1, medians of the same run" % FLEET_SIZE,
            "%.2f" % ratio,
            "per repeat: %s" % ", ".join("%.2f" % (f[0] / s[0]) for s, f in zip(single, fleet)),
            "<= 3.00",
            "met" if ratio <= 3 else "MISSED",
        )
    )
    rows.append(
        (
            "6 ratio",
            "role over %d / async jobs over %d, medians of the same run" % (FLEET_SIZE, FLEET_SIZE),
            "%.2f" % (many["median"] / async_jobs["median"]),
            "async jobs over %d / role over 1: %.2f" % (FLEET_SIZE, async_jobs["median"] / one["median"]),
            "",
            "",
        )
    )
