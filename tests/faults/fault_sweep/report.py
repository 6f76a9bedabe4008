"""The sweep's figures: tallies per family and per fault kind, as text and as Markdown for docs/reliability.md."""

import collections
import datetime

from .registry import operations, report_kinds

# The columns of the tables per operation and per fault kind ("violations": scenarios with any).
COLUMNS = ("scenarios", "converged", "failed", "violations")
# Violations listed in docs/reliability.md; the report's .txt has every one.
DOC_VIOLATIONS = 20


def tally(results, groups, key):
    """{group: {scenarios, converged, failed, broken, violations}} with ``key(result)`` the groups of a result."""
    table = collections.OrderedDict((group, collections.Counter()) for group in groups)
    for item in results:
        for group in key(item):
            table[group]["scenarios"] += 1
            table[group][item["verdict"]] += 1
            table[group]["violations"] += bool(item["violations"])
    return {group: dict(counts) for group, counts in table.items()}


def summarize(results, seed, wall):
    """The figures of a sweep (the report's summary)."""
    return {
        "seed": seed,
        "scenarios": len(results),
        "converged": sum(item["verdict"] == "converged" for item in results),
        "failed_cleanly": sum(item["verdict"] == "failed" and not item["violations"] for item in results),
        "invariant_violations": sum(len(item["violations"]) for item in results),
        "scenarios_with_violations": sum(bool(item["violations"]) for item in results),
        "through_ansible_playbook": sum(item["playbook"] for item in results),
        "wall_seconds": round(wall, 1),
        "per_operation": tally(results, operations(), lambda item: [item["operation"]]),
        "per_fault_kind": tally(results, report_kinds(), lambda item: item["kinds"]),
    }


def render(summary, results):
    """The figures and every violation, as the sweep prints them."""
    lines = [
        "Fault sweep of hwcloud.modelarts.notebook_instance (seed %s)" % summary["seed"],
        "scenarios:            %d (%d through ansible-playbook)"
        % (summary["scenarios"], summary["through_ansible_playbook"]),
        "converged:            %d" % summary["converged"],
        "failed cleanly:       %d" % summary["failed_cleanly"],
        "invariant violations: %d (in %d scenarios)"
        % (summary["invariant_violations"], summary["scenarios_with_violations"]),
        "wall time:            %.1f s" % summary["wall_seconds"],
    ]
    for title, table in (("operation", summary["per_operation"]), ("fault kind", summary["per_fault_kind"])):
        width = max([18] + [len(group) for group in table])
        lines += ["", "%-*s %9s %9s %9s %10s" % (width, title, "scenarios", "converged", "failed", "violations")]
        for group, counts in table.items():
            figures = [counts.get(key, 0) for key in COLUMNS]
            lines.append("%-*s %9d %9d %9d %10d" % tuple([width, group] + figures))
    for item in results:
        for violation in item["violations"]:
            lines.append(
                "VIOLATION scenario %d (%s: %s): %s"
                % (item["index"], item["operation"], ", ".join(item["kinds"]), violation)
            )
    return "\n".join(lines)


def markdown(summary, results, started, versions):
    """The figures as docs/reliability.md shows them (make faults writes them between its markers)."""
    lines = [
        "Latest `make faults`: %s UTC, seed %s, %s." % (started, summary["seed"], versions),
        "",
        "| scenarios | converged | failed cleanly | invariant violations | wall time |",
        "|---:|---:|---:|---:|---:|",
        "| %d (%d through ansible-playbook) | %d | %d | %d (in %d scenarios) | %.0f s |"
        % (
            summary["scenarios"],
            summary["through_ansible_playbook"],
            summary["converged"],
            summary["failed_cleanly"],
            summary["invariant_violations"],
            summary["scenarios_with_violations"],
            summary["wall_seconds"],
        ),
    ]
    for title, table in (("operation", summary["per_operation"]), ("fault kind", summary["per_fault_kind"])):
        lines += [
            "",
            "| %s | scenarios | converged | failed | with violations |" % title,
            "|---|---:|---:|---:|---:|",
        ]
        for group, counts in table.items():
            lines.append("| %s | %d | %d | %d | %d |" % tuple([group] + [counts.get(key, 0) for key in COLUMNS]))
    violations = [
        "- scenario %d (%s: %s): %s"
        % (item["index"], item["operation"], ", ".join(item["kinds"]), violation.replace("<", "&lt;"))
        for item in results
        for violation in item["violations"]
    ]
    if violations:
        lines += ["", "Violations:", ""] + violations[:DOC_VIOLATIONS]
        if len(violations) > DOC_VIOLATIONS:
            lines.append("- and %d more (the sweep's report lists every one)" % (len(violations) - DOC_VIOLATIONS))
    return "\n".join(lines) + "\n"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
