# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The benchmarks of hwcloud.modelarts (benchmarks/bench.py is their entry point; benchmarks/README.md describes
them): the harness, statistics and report here, one module per benchmark family in families/."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The simulator, which every family runs against, and the tools (doc_sections).
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
