# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tests of the benchmarks' own code: the registry, BENCH_ONLY, and where a run's table is written."""

import os
import re
from collections import namedtuple

import pytest
from bench_lib.families import FAMILIES, ORDER
from bench_lib.main import selected
from bench_lib.report import write_docs, write_results
from bench_lib.stats import calls, sequence, summary, wait_row, wait_target

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")
Request = namedtuple("Request", "method path status")

FULL = "Run: full\n\n| item |\n|---|\n| full row |\n"
PARTIAL = "Run: partial\n\n| item |\n|---|\n| partial row |\n"
EARLIER = """# Benchmarks

Written by `make bench` (benchmarks/bench.py); the History section is kept between runs.

## Latest run

Run: earlier full run

## History

### 2026-01-01: waiting run alone

Run: earlier partial run
"""
PAGE = "# Performance\n\nBy hand.\n\n<!-- BEGIN make bench -->\nold\n<!-- END make bench -->\n\nBy hand too.\n"


def test_every_registered_family_runs_and_says_what_it_measures():
    assert list(FAMILIES) == list(ORDER)
    assert len(set(ORDER)) == len(ORDER)
    for name, run in FAMILIES.items():
        assert run.__module__ == "bench_lib.families.%s" % name
        assert run.__code__.co_varnames[:2] == ("bench", "rows")
        assert run.__doc__.split("\n", 1)[0].strip(), name


def test_the_readme_describes_every_family_and_lists_each_for_bench_only():
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    described = re.findall(r"^(?:\d+\.|-) `(\w+)`: ", text, re.MULTILINE)
    assert described == list(ORDER)
    listed = re.search(r"^\| `BENCH_ONLY` \| all \| comma-separated families: `([\w,]+)` \|$", text, re.MULTILINE)
    assert listed.group(1).split(",") == list(ORDER)


def test_a_sequence_names_a_post_by_its_action_and_shortens_runs():
    requests = [
        Request("GET", "/v1/p/notebooks", 200),
        Request("POST", "/v1/p/notebooks/a/stop", 200),
        Request("GET", "/v1/p/notebooks/a", 200),
        Request("GET", "/v1/p/notebooks/a", 200),
        Request("PUT", "/v1/p/notebooks/a", 200),
        Request("POST", "/v1/p/notebooks/a/start", 200),
        Request("GET", "/v1/p/notebooks/a", 404),
    ]
    assert sequence(requests) == "GET, POST stop, GET ×2, PUT, POST start, GET"
    assert calls(requests) == "GET (list), POST stop, GET ×2, PUT, POST start, GET (gone)"


def test_a_wait_row_meets_its_target_or_misses_it_or_is_a_reference():
    overhead = summary([0.4, 0.5, 0.9])
    assert wait_target(2) == 1.2
    assert wait_row("w", "label", overhead, "; 3 requests", wait_target(2), " (note)") == (
        "w",
        "label",
        "+0.500 s",
        "0.400 s – 0.900 s (n=3); 3 requests",
        "<= 1.200 s (note)",
        "met",
    )
    assert wait_row("w", "label", overhead, "", 0.45)[4:] == ("<= 0.450 s", "MISSED")
    assert wait_row("w", "label", overhead, "", None)[4:] == ("(reference)", "")


def test_bench_only_selects_families_by_name():
    assert selected(None) == []
    assert selected("") == []
    assert selected(" waiting, requests_per_task ,") == ["waiting", "requests_per_task"]


def test_bench_only_refuses_an_unknown_name_listing_the_families():
    with pytest.raises(SystemExit) as raised:
        selected("waiting,no_such_family")
    assert str(raised.value) == "BENCH_ONLY: no family named no_such_family; the families: %s" % ", ".join(ORDER)


def test_a_full_run_becomes_the_latest_and_the_history_is_kept(tmp_path):
    path = tmp_path / "results.md"
    path.write_text(EARLIER, encoding="utf-8")
    assert write_results(FULL, "2026-02-02 10:00", path=str(path)) == FULL
    text = path.read_text(encoding="utf-8")
    assert text.split("## Latest run\n\n")[1].split("## History")[0] == FULL + "\n"
    assert text.endswith(EARLIER[EARLIER.index("## History") :])


def test_a_run_of_some_families_goes_on_top_of_the_history_and_leaves_the_latest(tmp_path):
    path = tmp_path / "results.md"
    path.write_text(EARLIER, encoding="utf-8")
    latest = write_results(PARTIAL, "2026-02-02 10:00", only=["scale", "waiting"], path=str(path))
    assert latest == "Run: earlier full run\n"
    text = path.read_text(encoding="utf-8")
    assert text.split("## Latest run\n\n")[1].split("## History")[0] == "Run: earlier full run\n\n"
    history = text[text.index("## History") :]
    assert history.index("### 2026-02-02: scale, waiting run alone\n\n" + PARTIAL) < history.index(
        "### 2026-01-01: waiting run alone"
    )


def test_the_first_results_file(tmp_path):
    path = tmp_path / "results.md"
    assert write_results(PARTIAL, "2026-02-02 10:00", only=["scale"], path=str(path)) == "(no full run yet)\n"
    assert "## History\n\n### 2026-02-02: scale run alone\n\n" + PARTIAL in path.read_text(encoding="utf-8")


def test_the_latest_run_goes_between_the_markers_of_the_performance_page(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text(PAGE, encoding="utf-8")
    assert write_docs(FULL, path=str(path)) == "%s: the figures of make bench replaced" % path
    assert path.read_text(encoding="utf-8") == PAGE.replace("\nold\n", "\n\n" + FULL + "\n")


def test_no_performance_page_is_said_in_one_line(tmp_path):
    path = tmp_path / "performance.md"
    assert write_docs(FULL, path=str(path)) == "%s is missing: the figures of make bench are not written there" % path
    assert not path.exists()
