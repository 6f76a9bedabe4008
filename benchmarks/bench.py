# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmarks of hwcloud.modelarts against the simulator on loopback (``make bench``).

The benchmarks are the package bench_lib beside this file: the harness, statistics and report, and one module
per family in bench_lib/families (requests per task, task time against uri and the SDK, bare processes,
waiting, scale, a notebook's life, the role over a fleet, the inventory plugin). Alternatives are interleaved
within one play so that load from elsewhere on the machine hits all of them alike. Prints one table and writes
it to benchmarks/results.md, keeping that file's History section, and to docs/performance.md between its
make bench markers. Iteration counts and BENCH_ONLY (families to run): benchmarks/README.md.
"""

from bench_lib.main import main

if __name__ == "__main__":
    main()
