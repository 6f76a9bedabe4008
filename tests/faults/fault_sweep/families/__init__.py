"""The operation families of the sweep: one module each, holding FAMILY (README.md: adding a family)."""

import importlib

# Scenario N belongs to the family CYCLE[N % len(CYCLE)]: a fixed cycle, so that every prefix of the sweep
# (faults-ci) has each of them. update comes twice, at the indexes it had before the other families existed.
# Registering a family is one line here; it lengthens the cycle, so from index len(CYCLE) on the scenarios differ.
CYCLE = (
    "update",
    "create",
    "delete",
    "update",
    "tags",
    "auto_stop",
    "mounts",
    "workspace",
    "image",
)

FAMILIES = {name: importlib.import_module("%s.%s" % (__name__, name)).FAMILY for name in dict.fromkeys(CYCLE)}
