# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Statistics and the shapes of figures: medians and spreads, seconds, request sequences."""

import statistics


def summary(values):
    values = sorted(values)
    quartiles = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    return {
        "median": statistics.median(values),
        "min": values[0],
        "max": values[-1],
        "q1": quartiles[0],
        "q3": quartiles[2],
        "n": len(values),
    }


def secs(value):
    return "%.3f s" % value


def spread(stats, fmt=secs, iqr=False):
    if iqr:
        return "IQR %s – %s (n=%d)" % (fmt(stats["q1"]), fmt(stats["q3"]), stats["n"])
    return "%s – %s (n=%d)" % (fmt(stats["min"]), fmt(stats["max"]), stats["n"])


def call(request):
    """One request as the lifecycle rows name it: "GET (list)", "POST (create)", "POST tags", "DELETE", "GET (gone)"..."""
    path = request.path.split("?", 1)[0].rstrip("/")
    if path.endswith("/notebooks"):
        return "GET (list)" if request.method == "GET" else "POST (create)"
    if path.endswith("/tags/create") or path.endswith("/tags/delete"):
        return "%s tags" % request.method
    if request.method == "POST":
        return "POST " + path.rsplit("/", 1)[-1]
    if request.method == "GET" and (request.status or 200) >= 400:
        return "GET (gone)"
    return request.method


def calls(requests, name=call):
    """The calls in order, each named by ``name``, runs of the same call shortened: "GET (list), POST (create), GET ×3"."""
    runs = []
    for item in (name(q) for q in requests):
        if runs and runs[-1][0] == item:
            runs[-1][1] += 1
        else:
            runs.append([item, 1])
    return ", ".join(item if count == 1 else "%s ×%d" % (item, count) for item, count in runs)


def method_and_action(request):
    """One request as its method, a POST with the last segment of its path: "GET", "POST stop"."""
    return request.method + (" " + request.path.rsplit("/", 1)[-1] if request.method == "POST" else "")


def sequence(requests):
    """The requests in order, runs of the same call shortened: "GET, POST stop, GET ×3"."""
    return calls(requests, method_and_action)


def wait_target(waited):
    """The target of every wait: 1 s beyond the ``waited`` seconds, plus a tenth of them (the poll schedule)."""
    return 1 + 0.1 * waited


def wait_row(item, label, overhead, detail, target, target_note=""):
    """A wait's row: the median time beyond what was waited (``overhead``, a summary), its spread and ``detail``,
    against ``target`` seconds (None: a reference row, without a target)."""
    if target is None:
        return (item, label, "+%s" % secs(overhead["median"]), spread(overhead) + detail, "(reference)", "")
    return (
        item,
        label,
        "+%s" % secs(overhead["median"]),
        spread(overhead) + detail,
        "<= %s%s" % (secs(target), target_note),
        "met" if overhead["median"] <= target else "MISSED",
    )


def floor_rows(rows, item, records, kinds, name=call):
    """One row per kind of task: its requests against the floor. ``kinds``: (task key, label, floor, the floor's
    calls, writes allowed); a task is named "<key> <repetition>"; ``name`` names each call of the last one."""
    for key, label, floor, floor_text, writes in kinds:
        mine = [r for r in records if r["task"].split()[0] == key]
        counts = summary([len(r["requests"]) for r in mine])
        wrote = [r for r in mine if any(q.method != "GET" for q in r["requests"])]
        verdict = "at floor" if counts["max"] <= floor else "above floor by %d" % (counts["max"] - floor)
        if wrote and not writes:
            verdict = "MISSED: %d of %d wrote" % (len(wrote), len(mine))
        rows.append(
            (
                item,
                label,
                "%d" % counts["median"],
                "%d – %d; last: %s" % (counts["min"], counts["max"], calls(mine[-1]["requests"], name)),
                "floor %d (%s)" % (floor, floor_text),
                verdict,
            )
        )
