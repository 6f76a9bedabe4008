# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The report: the table and what it ran on, written to benchmarks/results.md (keeping its History) and, as the
latest run, between the make bench markers of docs/performance.md."""

import os
import platform
from importlib import metadata

import doc_sections

from .settings import BARE_ITERATIONS, DOCS, ITERATIONS, REPEATS, RESULTS, WAIT_REPEATS
from .stats import secs


def machine():
    cpu = platform.processor() or "unknown"
    memory = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(next(line.split()[1] for line in handle if line.startswith("MemTotal")))
            memory = "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, StopIteration, ValueError):
        pass
    return "%s, %d cores, %s memory, %s %s" % (cpu, os.cpu_count() or 0, memory, platform.system(), platform.release())


def versions():
    found = ["Python %s" % platform.python_version()]
    for package in ("ansible-core", "requests", "huaweicloudsdkcore", "huaweicloudsdkmodelarts"):
        try:
            found.append("%s %s" % (package, metadata.version(package)))
        except metadata.PackageNotFoundError:
            found.append("%s (not installed)" % package)
    return ", ".join(found)


def render(rows, profile, started, load_before, load_after, elapsed, only=()):
    header = ("item", "measure", "median", "spread", "floor / target / note", "result")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    payload = ", ".join("%s %.0f KiB" % (k, v / 1024) for k, v in sorted(profile.get("payload", {}).items()))
    imports = ", ".join("%s %s" % (k, secs(v)) for k, v in profile.get("imports", {}).items())
    intro = (
        [
            "Run: %s UTC, %.0f s, `%smake bench` (iterations: %d interleaved tasks of each kind, %d bare processes, %d repeats, %d wait repeats)."
            % (
                started,
                elapsed,
                "BENCH_ONLY=%s " % ",".join(only) if only else "",
                ITERATIONS,
                BARE_ITERATIONS,
                REPEATS,
                WAIT_REPEATS,
            ),
            "",
            "- Machine: %s" % machine(),
            "- Versions: %s" % versions(),
            "- Load average (1, 5, 15 min) before: %s; after: %s. Other jobs share the machine, so compare ratios, not absolute times."
            % (", ".join("%.2f" % x for x in load_before), ", ".join("%.2f" % x for x in load_after)),
        ]
        + (["- AnsiballZ payloads: %s" % payload] if payload else [])
        + (["- Import time (median process): %s" % imports] if imports else [])
    )
    return "\n".join(intro + [""] + lines) + "\n"


def write_results(report, started, only=(), path=RESULTS):
    """A full run becomes the Latest run; a run of some families (BENCH_ONLY) goes on top of History, leaving the
    last full run as the Latest run, so that no table ever shows only part of the families as the latest.
    Returns the Latest run as written."""
    history, latest = "## History\n\n(none yet)\n", None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if "## History" in text:
            history = text[text.index("## History") :]
        if "## Latest run\n\n" in text:
            latest = text[
                text.index("## Latest run\n\n") + len("## Latest run\n\n") : text.index("## History")
                if "## History" in text
                else None
            ]
    if only:
        entry = "### %s: %s run alone\n\n%s\n" % (started.split()[0], ", ".join(only), report.rstrip("\n"))
        history = history.replace("(none yet)\n", "")
        first = history.find("\n### ")
        history = history.rstrip("\n") + "\n\n" + entry if first < 0 else history[: first + 1] + entry + history[first:]
        report = latest.rstrip("\n") + "\n" if latest else "(no full run yet)\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(
            "# Benchmarks\n\nWritten by `make bench` (benchmarks/bench.py); the History section is kept between runs.\n\n"
            "## Latest run\n\n" + report + "\n" + history
        )
    return report


def write_docs(latest, path=DOCS):
    """Put the latest run (the Latest run of results.md) between the make bench markers of ``path``; the line to
    print (what was done, or why nothing was written there)."""
    return doc_sections.replace_section(path, "make bench", latest)[1]
