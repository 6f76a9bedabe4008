"""Fixtures of the end-to-end tests: the simulator's, shared with tests/simulator and tests/unit, and the check of
every request the collection sent against the official SDK's model of its call."""

import os
import sys

import pytest

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "simulator")
if SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, SIMULATOR_DIR)

import sdk_models  # noqa: E402  pylint: disable=wrong-import-position

from modelarts_simulator import Simulator  # noqa: E402  pylint: disable=wrong-import-position
from sim_fixtures import simulator, simulator_tls_files  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import


@pytest.fixture(autouse=True)
def requests_as_the_sdk_models_them(monkeypatch):
    """Fails the test at teardown when a request to any simulator it started (the fixture's or its own) sent a
    query parameter or body field that the SDK's model of the call does not have, or a value of another type.

    Every request is seen as it arrives (``Simulator.observers``): tests clear the request log between runs.
    """
    seen = []
    start = Simulator.start

    def observed_start(sim):
        sim.observers.append(seen.append)
        return start(sim)

    monkeypatch.setattr(Simulator, "start", observed_start)
    yield
    problems = sdk_models.check_requests(seen)
    if problems:
        pytest.fail("requests the SDK's models do not allow:\n" + "\n".join(problems), pytrace=False)
