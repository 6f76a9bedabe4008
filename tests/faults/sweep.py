#!/usr/bin/env python
"""Fault sweep of hwcloud.modelarts against the simulator (make faults, make faults-ci): seeded scenarios with
faults injected, the invariants checked after each. The sweep is the package fault_sweep beside this file;
tests/faults/README.md describes its scenarios, its invariants and how to add an operation family.

Usage: sweep.py --scenarios 360 --seed 20260401 [--workers 2] [--playbook 50] [--report FILE] [--docs FILE]
       sweep.py --only INDEX ... (one scenario again, with its full record)
"""

import sys

from fault_sweep.cli import main

if __name__ == "__main__":
    sys.exit(main())
