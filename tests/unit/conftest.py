# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client and the modules are unit-tested against the real simulator on loopback, not against mocks."""

from __future__ import annotations

import os
import sys

import pytest

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "simulator")
if SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, SIMULATOR_DIR)

from sim_fixtures import simulator  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    """Retries keep their count and order; only the jittered sleep between them is cut, to keep units fast."""
    from ansible_collections.hwcloud.modelarts.plugins.module_utils import _http

    monkeypatch.setattr(_http, "BACKOFF_FACTOR", 0.001)
    monkeypatch.setattr(
        _http, "backoff_delay", lambda attempt, factor=0.001, maximum=0.01: min(maximum, factor * 2 ** (attempt - 1))
    )


@pytest.fixture(autouse=True)
def fast_polls(monkeypatch):
    """Waits poll every 10 ms at least instead of every 0.5 s: transitions here last tenths of a second at most.

    The schedule's shape (10 % of the time waited, up to POLL_MAX) is kept, and test_waiter.py tests it as set.
    """
    from ansible_collections.hwcloud.modelarts.plugins.module_utils import _waiter

    monkeypatch.setattr(_waiter, "POLL_MIN", 0.01)
