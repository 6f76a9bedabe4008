"""Fixtures of the end-to-end tests: the simulator's, shared with tests/simulator and tests/unit."""

import os
import sys

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "simulator")
if SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, SIMULATOR_DIR)

from sim_fixtures import simulator, simulator_tls_files  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import
