# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where things are, and the iteration counts (environment variables, benchmarks/README.md)."""

import os

from . import ROOT

BENCH_DIR = os.path.join(ROOT, "benchmarks")
INSTALLED = os.path.join(ROOT, "build", "collections")
SDK_MODULE = os.path.join(BENCH_DIR, "library", "modelarts_sdk_notebook.py")
RESULTS = os.path.join(BENCH_DIR, "results.md")
# The page whose text between its make bench markers is the latest run's (tools/doc_sections.py).
DOCS = os.path.join(ROOT, "docs", "performance.md")
PAGE_SIZE = 50


def env_int(name, default):
    return int(os.environ.get(name) or default)


def env_numbers(name, default, kind):
    return [kind(x) for x in (os.environ.get(name) or default).split(",") if x.strip()]


ITERATIONS = env_int("BENCH_ITERATIONS", 30)
BARE_ITERATIONS = env_int("BENCH_BARE_ITERATIONS", 15)
REPEATS = env_int("BENCH_REPEATS", 5)
SCALE_REPEATS = env_int("BENCH_SCALE_REPEATS", 3)
WAIT_REPEATS = env_int("BENCH_WAIT_REPEATS", 3)
TRANSITIONS = env_numbers("BENCH_TRANSITIONS", "2,10", float)
SCALE = env_numbers("BENCH_SCALE", "10,100,1000,5000", int)
FLEET_SIZE = env_int("BENCH_FLEET_SIZE", 20)
FLEET_REPEATS = env_int("BENCH_FLEET_REPEATS", 2)
FLEET_TRANSITION = float(os.environ.get("BENCH_FLEET_TRANSITION") or 2)
INVENTORY_SCALE = env_numbers("BENCH_INVENTORY_SCALE", "120,1000,5000", int)
WORKSPACE_SCALE = env_numbers("BENCH_WORKSPACE_SCALE", "10,1000,2500", int)
