"""Fails unless the action group "all" in meta/runtime.yml lists exactly the modules in plugins/modules.

module_defaults for group/hwcloud.modelarts.all sets the connection of every module only if each one is
in the group; a module missing from it silently ignores those defaults.
"""

import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    modules_dir = os.path.join(ROOT, "plugins", "modules")
    modules = {name[:-3] for name in os.listdir(modules_dir) if name.endswith(".py") and not name.startswith("_")}
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        runtime = yaml.safe_load(handle) or {}
    group = runtime.get("action_groups", {}).get("all") or []
    # Entries are short names or FQCNs of this collection.
    listed = {entry.rsplit(".", 1)[-1] for entry in group if isinstance(entry, str)}
    missing, unknown = sorted(modules - listed), sorted(listed - modules)
    for name in missing:
        print("meta/runtime.yml: action group 'all' does not list the module %s" % name)
    for name in unknown:
        print("meta/runtime.yml: action group 'all' lists %s, which is not in plugins/modules" % name)
    if missing or unknown:
        return 1
    print("action group 'all' lists every module: %s" % ", ".join(sorted(modules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
