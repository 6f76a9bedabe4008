"""The fault sweep of hwcloud.modelarts (tests/faults/sweep.py is its entry point; README.md describes it).

The core draws scenarios, runs them against the simulator and checks the invariants every operation shares;
each operation family (families/) draws its own scenarios and checks its own invariants.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
# The simulator, which every part of the sweep uses, and the tools (doc_sections).
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
