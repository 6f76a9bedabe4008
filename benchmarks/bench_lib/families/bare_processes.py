# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""bare_processes: the module files run directly, as bare processes, and their imports alone, interleaved."""

import os
import statistics
import sys

from ..harness import clean_env
from ..settings import BARE_ITERATIONS, SDK_MODULE
from ..stats import secs, spread, summary


def run(bench, rows):
    """3 as bare processes: the module files run directly, and their imports alone, interleaved."""
    bench.sim.reset()
    nb = bench.sim.add_notebook(name="alt", status="RUNNING", description="same")
    aksk = bench.connection()
    ours = os.path.join(bench.modules, "notebook_instance.py")
    env = dict(clean_env(), PYTHONPATH=bench.collections)
    imports = {
        "import-module": "import ansible_collections.hwcloud.modelarts.plugins.modules.notebook_instance",
        "import-sdk": "import ansible.module_utils.basic; import huaweicloudsdkcore.auth.credentials; import huaweicloudsdkmodelarts.v1",
        "import-python": "pass",
    }
    args = dict(aksk, id=nb["id"], description="same")
    samples = {key: [] for key in ("module", "sdk", *imports)}
    rss = {key: [] for key in samples}
    for dummy in range(BARE_ITERATIONS):
        for key, path in (("module", ours), ("sdk", SDK_MODULE)):
            seconds, maxrss, dummy = bench.module_process(path, args)
            samples[key].append(seconds)
            rss[key].append(maxrss)
        for key, code in imports.items():
            seconds, maxrss, dummy = bench.process([sys.executable, "-c", code], env)
            samples[key].append(seconds)
            rss[key].append(maxrss)
    stats = {key: summary(values) for key, values in samples.items()}
    for key, label in (
        ("module", "notebook_instance.py, bare process"),
        ("sdk", "SDK module, bare process"),
        ("import-module", "imports only: notebook_instance"),
        ("import-sdk", "imports only: SDK module"),
        ("import-python", "python startup alone"),
    ):
        rows.append(
            (
                "3 process",
                label,
                secs(stats[key]["median"]),
                spread(stats[key]),
                "peak RSS %.1f MiB" % (statistics.median(rss[key]) / 1024),
                "",
            )
        )
    ratios = summary([a / b for a, b in zip(samples["module"], samples["sdk"])])
    rows.append(
        (
            "3 ratio",
            "notebook_instance / SDK module (bare processes), paired",
            "%.2f" % ratios["median"],
            spread(ratios, "{:.2f}".format, iqr=True),
            "<= 0.60",
            "met" if ratios["median"] <= 0.6 else "MISSED",
        )
    )
    bench.profile["imports"] = {key: stats[key]["median"] for key in imports}
