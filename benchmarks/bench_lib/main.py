# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""make bench: run the families (all, or those BENCH_ONLY names) against one simulator, print the table and write
it to benchmarks/results.md and docs/performance.md."""

import datetime
import os
import shutil
import sys
import tempfile
import time

from .families import FAMILIES
from .harness import Bench, snapshot
from .report import render, write_docs, write_results
from modelarts_simulator import Simulator


def selected(value):
    """The families BENCH_ONLY names (all when empty); exits naming the unknown ones."""
    only = [name.strip() for name in (value or "").split(",") if name.strip()]
    unknown = sorted(set(only) - set(FAMILIES))
    if unknown:
        sys.exit("BENCH_ONLY: no family named %s; the families: %s" % (", ".join(unknown), ", ".join(FAMILIES)))
    return only


def main():
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    load_before, clock = os.getloadavg(), time.monotonic()
    only = selected(os.environ.get("BENCH_ONLY"))
    workdir = tempfile.mkdtemp(prefix="modelarts-bench-")
    collections = snapshot(workdir)
    rows = []
    sim = Simulator(host="127.0.0.1").start()
    try:
        bench = Bench(sim, workdir, collections)
        for name, run in FAMILIES.items():
            if only and name not in only:
                continue
            print("==> %s" % run.__doc__.split("\n", 1)[0], flush=True)
            run(bench, rows)
    finally:
        sim.stop()
    report = render(rows, bench.profile, started, load_before, os.getloadavg(), time.monotonic() - clock, only)
    print(report)
    print(write_docs(write_results(report, started, only)))
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print("Plays and logs kept in %s" % workdir)
