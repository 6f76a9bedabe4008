"""The registered families (families/__init__.py): the family of each scenario, and the kinds the report lists."""

from .families import CYCLE, FAMILIES
from .faults import SHARED_KINDS


def family_at(index):
    """The family of scenario ``index``."""
    return FAMILIES[CYCLE[index % len(CYCLE)]]


def family_of(scenario):
    return FAMILIES[scenario["operation"]]


def make_scenario(seed, index):
    """Scenario ``index`` of ``seed``: drawn from these two alone, so that it can be rerun by itself."""
    return family_at(index).make_scenario(seed, index)


def operations():
    """The families' names, in the order of the cycle."""
    return list(FAMILIES)


def report_kinds():
    """Every kind a scenario can carry: the shared fault kinds, then each family's own."""
    kinds = list(SHARED_KINDS)
    for family in FAMILIES.values():
        kinds += [kind for kind in family.flag_kinds + family.kinds + family.own_kinds if kind not in kinds]
    return kinds


def scenario_kinds(scenario):
    """The kinds of a scenario's faults, and of its flags (a create or delete the service fails, say)."""
    kinds = {fault["kind"] for fault in scenario["faults"]}
    kinds.update(kind for kind in family_of(scenario).flag_kinds if scenario.get(kind))
    return sorted(kinds)
