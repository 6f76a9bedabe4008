# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs a module in-process against a simulator, as Ansible would, and returns its result."""

from __future__ import annotations

import contextlib
import io
import json
from unittest import mock

import pytest

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19 and later
except ImportError:

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """The module args for AnsibleModule instances created within this context (ansible-core 2.16 to 2.18)."""
        payload = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", payload):
            yield


from modelarts_simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY  # pylint: disable=wrong-import-order


def run_module(module, sim, check=False, diff=False, **args):
    """``module.main()`` with ``args``, connected to ``sim`` with its default AK/SK unless given; the result as a dict."""
    args.setdefault("endpoint", sim.url)
    args.setdefault("project_id", sim.project_id)
    args.setdefault("access_key", DEFAULT_ACCESS_KEY)
    args.setdefault("secret_key", DEFAULT_SECRET_KEY)
    args.update(_ansible_check_mode=check, _ansible_diff=diff)
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(out.getvalue())
