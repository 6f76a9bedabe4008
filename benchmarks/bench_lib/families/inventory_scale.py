# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""inventory_scale: ansible-inventory --list over the inventory plugin: requests, time and peak memory; cached runs."""

import json
import math
import os
import shutil
import statistics
import sys

from ..settings import INVENTORY_SCALE, PAGE_SIZE, SCALE_REPEATS
from ..stats import secs, spread, summary


def run(bench, rows):
    """7. ansible-inventory --list over the inventory plugin: requests, time and peak memory; a cached run."""
    sim = bench.sim
    inventory = os.path.join(bench.workdir, "bench.modelarts.yml")
    cached = os.path.join(bench.workdir, "cached.modelarts.yml")
    cache_dir = os.path.join(bench.workdir, "inventory-cache")
    with open(inventory, "w", encoding="utf-8") as handle:
        handle.write(
            "plugin: hwcloud.modelarts.notebooks\nkeyed_groups:\n  - key: modelarts_status | lower\n    prefix: status\n"
        )
    with open(cached, "w", encoding="utf-8") as handle:
        handle.write(
            "plugin: hwcloud.modelarts.notebooks\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
            "cache_connection: %s\ncache_timeout: 3600\n" % cache_dir
        )
    program = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
    env = bench.ansible_env()
    for count in INVENTORY_SCALE:
        sim.reset()
        sim.bulk_add(count, prefix="inv-")
        pages = math.ceil(count / PAGE_SIZE)
        runs = []
        for dummy in range(SCALE_REPEATS):
            sim.clear_requests()
            seconds, rss, output = bench.process([sys.executable, program, "-i", inventory, "--list"], env)
            hosts = len(json.loads(output)["_meta"]["hostvars"])
            runs.append((seconds, rss, len(sim.requests), hosts))
        made = max(r[2] for r in runs)
        listed = {r[3] for r in runs}
        timing = summary([r[0] for r in runs])
        rows.append(
            (
                "7 inventory",
                "ansible-inventory --list, N=%d" % count,
                secs(timing["median"]),
                "%s; peak RSS %.1f MiB; %s hosts"
                % (
                    spread(timing),
                    statistics.median(r[1] for r in runs) / 1024,
                    ", ".join(str(h) for h in sorted(listed)),
                ),
                "requests %d (ceil(N/50) = %d)" % (made, pages),
                "met" if made == pages and listed == {count} else "MISSED",
            )
        )
        shutil.rmtree(cache_dir, ignore_errors=True)
        sim.clear_requests()
        fill, dummy, dummy = bench.process([sys.executable, program, "-i", cached, "--list"], env)
        filled = len(sim.requests)
        sim.clear_requests()
        again = [
            bench.process([sys.executable, program, "-i", cached, "--list"], env) for dummy in range(SCALE_REPEATS)
        ]
        made = len(sim.requests)
        timing = summary([a[0] for a in again])
        rows.append(
            (
                "7 inventory",
                "cached run (cache: true, jsonfile), N=%d" % count,
                secs(timing["median"]),
                "%s; peak RSS %.1f MiB; the run filling the cache: %s, %d requests"
                % (spread(timing), statistics.median(a[1] for a in again) / 1024, secs(fill), filled),
                "requests 0",
                "met" if made == 0 else "MISSED (%d)" % made,
            )
        )
