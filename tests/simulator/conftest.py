"""Fixtures of the simulator's own tests: the shared ones of sim_fixtures.py."""

from sim_fixtures import simulator, simulator_tls_files  # noqa: F401  pylint: disable=unused-import
