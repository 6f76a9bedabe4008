# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The benchmark families: one module each, whose run(bench, rows) appends its rows to the table
(benchmarks/README.md: adding a family)."""

import importlib

# The order the families run in; BENCH_ONLY selects them by these names. Registering a family is one line here.
ORDER = (
    "requests_per_task",
    "alternatives",
    "bare_processes",
    "waiting",
    "scale",
    "lifecycle_requests",
    "lifecycle_waiting",
    "images",
    "role_fleet",
    "inventory_scale",
    "mounts",
    "workspaces",
)

FAMILIES = {name: importlib.import_module("%s.%s" % (__name__, name)).run for name in ORDER}
