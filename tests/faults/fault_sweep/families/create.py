"""create: no instance has the name (only the "-old" decoy is alike) and the task creates one: with or without
tags, auto_stop, storage and SSH; state present, running or stopped; wait or not; the service's create may end
in CREATE_FAILED. Its own faults: the create applied after the module's timeout, or applied and its answer lost
with the connection; never two instances from one task (invariants.common) covers them, checked once the held
create has been applied (requestlog.wait_for_held)."""

import random
import time

from ..constants import AUTO_STOPS, FLAVORS, IMAGES, IPS, KEYS, NOTEBOOK_TOKEN, TAG_POOL, TARGETS, TIMEOUT
from ..family import Family, named_instances
from ..invariants import check_plan_writes, rerun_problem
from ..oracle import lease_view, lease_wanted, live_matches, tags_of
from ..requestlog import sent_writes
from modelarts_simulator import TRANSITIONAL


class Create(Family):
    name = "create"
    kinds = ("5xx", "429", "timeout", "drop", "malformed", "transition_failed", "deleted_by_other")
    # The create's own: the service applies the create after the module's timeout, or applies it and the answer
    # is lost with the connection. A third of the create scenarios get one besides their other faults: drawn last,
    # from a stream of its own, so that those scenarios keep every other draw of the sweeps before these kinds.
    own_kinds = ("applied_after_timeout", "applied_then_dropped")
    # The service's create ends in CREATE_FAILED (Simulator.fail_next_create): a kind in the report.
    flag_kinds = ("create_failed",)
    creates = 1

    def draw(self, rng, scenario):
        """No instance has the name (only the "-old" decoy is alike): the task creates one."""
        index = scenario["index"]
        params = {
            "name": "nb-%05d" % index,
            "flavor": rng.choice(FLAVORS),
            "image_id": rng.choice(IMAGES),
            "state": rng.choice(["present", "present", "running", "stopped"]),
            "wait": rng.random() < 0.85,
        }
        if rng.random() < 0.4:
            params["storage_size"] = rng.choice([5, 20, 50])
        if rng.random() < 0.4:
            params["description"] = "Team notebook %d" % rng.randint(1, 99)
        if rng.random() < 0.3:
            params["endpoints"] = [
                {
                    "dev_service": "SSH",
                    "allowed_access_ips": rng.sample(IPS, rng.randint(0, 2)),
                    "ssh_keys": rng.sample(KEYS, 1),
                }
            ]
        if rng.random() < 0.5:
            params["tags"] = dict(rng.sample(sorted(TAG_POOL.items()), rng.randint(1, 3)))
        if rng.random() < 0.5:
            params["auto_stop"] = rng.choice(AUTO_STOPS)
        scenario["initial"] = {
            "name": params["name"],
            "status": None,
            "token": NOTEBOOK_TOKEN % index,
            "tags": {},
            "lease": None,
        }
        # The service's create ends in CREATE_FAILED (Simulator.fail_next_create).
        scenario["create_failed"] = rng.random() < 0.25
        scenario["params"] = params
        scenario["by_name"] = True
        if params["state"] == "stopped" and not params["wait"]:
            scenario["plan"] = None
        else:
            scenario["plan"] = (
                ["create"]
                + (["tag"] if params.get("tags") else [])
                + (["stop"] if params["state"] == "stopped" else [])
            )

    def make_scenario(self, seed, index):
        scenario = super().make_scenario(seed, index)
        rng = random.Random("%s-%d-%s-own" % (seed, index, self.name))
        if rng.random() < 1 / 3:
            scenario["faults"].append(self.fault(rng, scenario, rng.choice(self.own_kinds)))
        return scenario

    def fault(self, rng, scenario, kind):
        if kind not in self.own_kinds:
            return None
        method, path = TARGETS["create"]
        fault = {"kind": kind, "target": "create", "method": method, "path": path, "count": 1, "skip": 0}
        if kind == "applied_after_timeout":
            # The service holds the create longer than the module's timeout, then applies it: the module has
            # given up on the answer, and the instance appears a while later.
            fault.update(status=None, apply=False, delay=TIMEOUT + rng.choice([0.4, 1.4]))
        else:
            # The service applies the create, then the connection drops before the answer.
            fault.update(drop=True, apply=True)
        return fault

    def reads(self, scenario):
        return ["LIST", "GET"]

    def prepare(self, sim, scenario):
        if scenario.get("create_failed"):
            sim.fail_next_create(fail_reason="injected: no capacity left")
        return None

    def live(self, sim, scenario, target_id, named):
        return named[0] if len(named) == 1 else None

    def rerun_allowed(self, scenario):
        # Without wait, a create that fails later leaves a failed instance: a rerun is then right to fail.
        return not (scenario.get("create_failed") and not scenario["params"].get("wait", True))

    def before_rerun(self, sim, scenario):
        # A rerun of a create without wait comes once the instance runs.
        settle(sim, scenario["initial"]["name"])

    def check(self, scenario, result, requests, world, rerun, violations):
        params, plan = scenario["params"], scenario["plan"]
        failed = bool(result.get("failed"))
        named = world["named"]
        live = named[0] if len(named) == 1 else None
        gone = any(f["kind"] == "deleted_by_other" and f["hits"] for f in scenario["faults"])
        sent = sent_writes(requests)
        if scenario["check_mode"] or plan is None:
            if named:
                violations.append(
                    "an instance was created %s"
                    % ("in check mode" if scenario["check_mode"] else "where the spec calls for a refusal")
                )
            if not failed and scenario["check_mode"] and result.get("actions") != (plan or []):
                violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), plan))
            if plan is None and not failed:
                violations.append("succeeded where the spec calls for a refusal")
            if plan is None and sent:
                violations.append("a refused create sent %s" % sorted(sent))
            return
        if not failed:
            if live is None:
                violations.append("reported success, but %d instances are named %s" % (len(named), params["name"]))
            else:
                problems = live_matches(live, params, True)
                if params.get("storage_size") is None and live["volume"]["capacity"] != 5:
                    problems.append("storage_size (the default 5)")
                if params.get("description") is None and live.get("description"):
                    problems.append("description (none asked)")
                if tags_of(live) != (params.get("tags") or {}):
                    problems.append("tags %s" % tags_of(live))
                asked = lease_wanted(params["auto_stop"]) if params.get("auto_stop") else {"enable": False}
                if lease_view(live.get("lease")) != asked:
                    problems.append("lease %s, %s asked" % (lease_view(live.get("lease")), asked))
                if problems:
                    violations.append("reported success but %s differ" % ", ".join(problems))
                want = {"stopped": ("STOPPED",)}.get(params["state"], ("RUNNING",))
                if not params["wait"] and params["state"] != "stopped":
                    # The task returns after the create call: the instance may still be creating, or have failed since.
                    want = ("CREATING", "CREATE_FAILED") if scenario.get("create_failed") else ("CREATING", "RUNNING")
                if world["status_at_end"] not in want:
                    violations.append(
                        "reported success with status %s, %s wanted" % (world["status_at_end"], " or ".join(want))
                    )
                if result.get("actions") != plan:
                    violations.append("reported actions %s, the plan is %s" % (result.get("actions"), plan))
            if rerun is not None:
                problem = rerun_problem(rerun)
                if problem:
                    violations.append(problem)
        elif live is not None:
            # A failure after the create: what exists is still only what was asked, with no auto-stop or tag not asked for.
            asked = lease_wanted(params["auto_stop"]) if params.get("auto_stop") else {"enable": False}
            if lease_view(live.get("lease")) != asked:
                violations.append("the new instance's lease is %s, %s asked" % (lease_view(live.get("lease")), asked))
            if not set(tags_of(live).items()) <= set((params.get("tags") or {}).items()):
                violations.append("the new instance has tags %s, not asked" % tags_of(live))
        if not named and not failed:
            violations.append("reported success, but no instance is named %s" % params["name"])
        if named and not sent.get("create") and not gone:
            violations.append("an instance named %s exists without a create" % params["name"])
        check_plan_writes(sent, set(plan), plan, violations)


def settle(sim, name, limit=5.0):
    """Wait until no instance with the name is in a transition (a create or delete without wait), before the rerun."""
    deadline = time.time() + limit
    while time.time() < deadline and any(nb["status"] in TRANSITIONAL for nb in named_instances(sim, name)):
        time.sleep(0.05)


FAMILY = Create()
