"""The command line of the sweep (tests/faults/sweep.py): draw the scenarios, run them on two workers, print the
figures and write the report."""

import argparse
import json
import multiprocessing
import os
import platform
import time
from importlib import metadata

import doc_sections

from . import ROOT
from .registry import make_scenario
from .report import markdown, now, render, summarize
from .runner import run_scenario

USAGE = """Runs hwcloud.modelarts.notebook_instance against the simulator with faults injected, and checks the
invariants after each scenario (tests/faults/README.md).

Usage: sweep.py --scenarios 360 --seed 20260401 [--workers 2] [--playbook 50] [--report FILE] [--docs FILE]"""


def default_collections_path():
    return os.path.join(ROOT, "build", "collections")


def versions():
    try:
        core = "ansible-core %s" % metadata.version("ansible-core")
    except metadata.PackageNotFoundError:
        core = "ansible-core (not installed)"
    return "%s on Python %s" % (core, platform.python_version())


def main(argv=None):
    parser = argparse.ArgumentParser(description=USAGE, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=300)
    parser.add_argument("--seed", default="20260401")
    parser.add_argument("--workers", type=int, default=2, help="parallel scenarios, at most 2")
    parser.add_argument(
        "--playbook",
        type=int,
        default=0,
        metavar="N",
        help="run every N-th scenario through ansible-playbook -vvvv (0: none)",
    )
    parser.add_argument(
        "--collections-path",
        default=default_collections_path(),
        help="where hwcloud.modelarts is installed (make install); default build/collections",
    )
    parser.add_argument(
        "--report", help="write the figures and every scenario's outcome here as JSON (and a .txt beside it)"
    )
    parser.add_argument(
        "--docs",
        metavar="FILE",
        help="replace the figures between the make faults markers of this page (docs/reliability.md) after a"
        " complete run",
    )
    parser.add_argument(
        "--only", type=int, action="append", help="run this scenario index only (repeatable), to reproduce one"
    )
    parser.add_argument(
        "--time-limit", type=float, default=1800, help="stop starting scenarios after this many seconds"
    )
    args = parser.parse_args(argv)
    module = os.path.join(args.collections_path, "ansible_collections", "hwcloud", "modelarts", "plugins", "modules")
    if not os.path.isdir(module):
        parser.error("hwcloud.modelarts is not installed in %s: run make install first" % args.collections_path)
    indexes = args.only or list(range(args.scenarios))
    jobs = [
        (
            make_scenario(args.seed, i),
            args.collections_path,
            bool(args.playbook) and i % args.playbook == args.playbook - 1,
        )
        for i in indexes
    ]
    started, started_at = time.time(), now()
    results = []
    with multiprocessing.get_context("spawn").Pool(max(1, min(args.workers, 2))) as pool:
        for item in pool.imap_unordered(run_scenario, jobs):
            results.append(item)
            mark = "!" if item["violations"] else {"converged": ".", "failed": "f"}.get(item["verdict"], "?")
            print(mark, end="", flush=True)
            if time.time() - started > args.time_limit:
                print("\ntime limit of %s s reached: stopping" % args.time_limit)
                pool.terminate()
                break
    print()
    results.sort(key=lambda item: item["index"])
    summary = summarize(results, args.seed, time.time() - started)
    text = render(summary, results)
    print(text)
    if args.only:
        for item in results:
            print(json.dumps(item, indent=1, default=str))
    if args.report:
        os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
        with open(args.report, "w", encoding="utf-8") as handle:
            json.dump({"summary": summary, "scenarios": results}, handle, indent=1, default=str)
        with open(os.path.splitext(args.report)[0] + ".txt", "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    complete = len(results) == len(jobs)
    if args.docs:
        if complete and not args.only:
            print(
                doc_sections.replace_section(
                    args.docs, "make faults", markdown(summary, results, started_at, versions())
                )[1]
            )
        else:
            print("%s: the figures are not written there after a partial run" % args.docs)
    return 0 if complete and summary["invariant_violations"] == 0 else 1
