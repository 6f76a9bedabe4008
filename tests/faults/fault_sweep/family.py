"""What an operation family is: how its scenarios are drawn, how the simulator is set up for one, and its checks.

A family is a module of families/ holding ``FAMILY``, an instance of a subclass of Family (README.md). The core
calls the methods below; the defaults fit a task on one instance that exists before the run.
"""

import copy
import random

from .constants import ATTEMPTED, SPELLINGS
from .faults import make_fault


class Family:
    """The defaults of every family; a subclass sets ``name`` and ``kinds`` and writes ``draw`` and ``check``."""

    name = None
    # The module a scenario runs (plugins/modules/<module>.py).
    module = "notebook_instance"
    # The fault kinds its scenarios draw (faults.SHARED_KINDS, or its own ones, which ``fault`` makes). Their
    # order is part of the draw: changing it changes the scenarios.
    kinds = ()
    # Kinds the family draws by itself (in its make_scenario, with ``fault``), apart from ``kinds``.
    own_kinds = ()
    # Scenario keys that, when true, count as a kind in the report (a create the service fails, say).
    flag_kinds = ()
    # The writes a refused_6357 fault may hit, and the points a fault sometimes hits that the task never reaches.
    refusable = ("start", "stop", "delete", "renew_lease")
    # The targets of 1.1.0: a target added since (a family's own) would change what the families of 1.1.0 draw.
    stray_targets = ("GET", "LIST", "PUT", "stop", "start", "create", "delete", "tag", "untag", "renew_lease")
    creates = 0  # creates a task of the family may apply
    deletes = False  # whether its task may send a DELETE of an instance
    attempted = ATTEMPTED  # what a failure message must name

    def make_scenario(self, seed, index):
        """The scenario ``index`` of ``seed``: its draws come from a stream of its own (seed, index and family)."""
        rng = random.Random("%s-%d-%s" % (seed, index, self.name))
        scenario = {
            "index": index,
            "operation": self.name,
            "by_name": False,
            "changed": [],
            "auth": rng.choice(["aksk", "aksk_token", "iam"]),
            "check_mode": rng.random() < 0.1,
            "max_retries": rng.choice([2, 3, 3, 4]),
            "faults": [],
            "spelling": rng.choice(SPELLINGS),
        }
        self.draw(rng, scenario)
        for dummy in range(1 if rng.random() < 0.6 else 2):
            scenario["faults"].append(make_fault(rng, scenario, self))
        return scenario

    def draw(self, rng, scenario):
        """Fill in ``initial`` (the instance before the run), ``params`` (the task's), ``plan`` and ``by_name``."""
        raise NotImplementedError

    def fault(self, rng, scenario, kind):
        """A fault of one of the family's own kinds (None: ``kind`` is a shared one, which make_fault draws)."""
        return None

    def module_args(self, scenario, args, target_id):
        """The task's arguments: ``args`` (the connection and ``params``) and the instance it addresses."""
        if scenario["by_name"]:
            args["name"] = scenario["initial"]["name"]
        else:
            args["id"] = target_id
        return args

    def inject(self, sim, spec):
        """Inject one fault of the scenario (its spec holds the kind and target besides inject_fault's arguments)."""
        return sim.inject_fault(**{k: v for k, v in spec.items() if k not in ("kind", "target")})

    def reads(self, scenario):
        """The reads a fault of a shared kind may hit."""
        return ["LIST"] if scenario["by_name"] else ["GET"]

    def prepare(self, sim, scenario):
        """Set the simulator up before the run; the id of the instance the task addresses (None: none yet)."""
        return add_instance(sim, scenario["initial"])

    def named(self, sim, name):
        """Every resource the task could have made with ``name`` (never two from one task: invariants.common)."""
        return named_instances(sim, name)

    def live(self, sim, scenario, target_id, named):
        """The task's instance after the run (``named``: every instance with its name), or None."""
        return live_instance(sim, target_id) if target_id else None

    def rerun_allowed(self, scenario):
        """Whether a success must be followed by a rerun that is a no-op."""
        return True

    def before_rerun(self, sim, scenario):
        """Let the service settle before the rerun."""

    def check(self, scenario, result, requests, world, rerun, violations):
        """Append the family's own violations, given the task's result (a dict) and the world after the run."""
        raise NotImplementedError


def live_instance(sim, notebook_id):
    """A copy of the stored instance as it is now (the store's own dict changes as its transitions settle)."""
    try:
        return copy.deepcopy(sim.notebook(notebook_id))
    except KeyError:
        return None


def named_instances(sim, name):
    """Every instance with the name, as the store holds it (endpoints in both spellings)."""
    return [
        nb
        for nb in (live_instance(sim, view["id"]) for view in sim.notebooks() if view["name"] == name)
        if nb is not None
    ]


def add_instance(sim, initial):
    """The instance ``initial`` describes, in its status; its id."""
    status = initial["status"]
    notebook = sim.add_notebook(
        name=initial["name"],
        status="STOPPED",
        flavor=initial["flavor"],
        image_id=initial["image_id"],
        capacity=initial["capacity"],
        description=initial["description"],
        endpoints=initial["endpoints"],
        token=initial["token"],
        lease=initial["lease"],
        tags=[{"key": k, "value": v} for k, v in sorted(initial["tags"].items())],
    )
    if status == "ERROR":
        sim.set_status(notebook["id"], "ERROR", fail_reason="injected: host failure")
    elif status != "STOPPED":
        sim.set_status(notebook["id"], status)  # STARTING ends RUNNING after the transition
    return notebook["id"]
