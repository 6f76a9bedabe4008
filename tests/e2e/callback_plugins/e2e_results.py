# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writes every task result as one JSON line to the file named by E2E_RESULTS_FILE.

ansible-core ships no JSON stdout callback, and the end-to-end tests need each task's full result,
failed ones included, in a form they can parse.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: e2e_results
type: aggregate
short_description: Write each task result as a JSON line (end-to-end tests only)
description:
  - Appends one JSON object per task result to the file named by the E(E2E_RESULTS_FILE) environment variable.
requirements:
  - E2E_RESULTS_FILE set in the environment
"""

import json
import os

from ansible.module_utils.common.json import AnsibleJSONEncoder
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "e2e_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get("E2E_RESULTS_FILE")

    def _write(self, status, result):
        if not self._path:
            return
        task = result._task  # pylint: disable=protected-access
        record = {
            "task": task.get_name(),
            "action": task.action,
            "host": result._host.get_name(),  # pylint: disable=protected-access
            "status": status,
            "result": result._result,
        }  # pylint: disable=protected-access
        with open(self._path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, cls=AnsibleJSONEncoder, sort_keys=True) + "\n")

    def v2_runner_on_ok(self, result, **kwargs):
        self._write("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write("failed", result)

    def v2_runner_on_skipped(self, result):
        self._write("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._write("unreachable", result)
