# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark helper: writes each task's start, end and outcome as one JSON line to $BENCH_TIMINGS_FILE."""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Record task timings for the benchmarks
description:
  - Appends one JSON line per task result to the file named by E(BENCH_TIMINGS_FILE).
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._path = os.environ.get("BENCH_TIMINGS_FILE")
        self._task = None
        self._wall = self._start = 0.0

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task = task.get_name()
        # Wall clock to match the simulator's request times; perf_counter for the duration.
        self._wall, self._start = time.time(), time.perf_counter()

    def _record(self, result, outcome):
        seconds = time.perf_counter() - self._start
        if not self._path:
            return
        line = {
            "task": self._task,
            "start": self._wall,
            "end": self._wall + seconds,
            "seconds": seconds,
            "outcome": outcome,
        }
        if outcome != "ok":
            line["msg"] = str(result._result.get("msg", ""))[:500]  # pylint: disable=protected-access
        with open(self._path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")
