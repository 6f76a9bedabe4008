"""delete: state=absent of an instance running, stopped, in ERROR or starting, by id or name, or already gone; the
deletion may end in DELETE_FAILED."""

from ..existing import draw_existing
from ..family import Family, add_instance
from ..invariants import check_plan_writes, rerun_problem
from ..oracle import check_untouched_settings
from ..requestlog import sent_writes


class Delete(Family):
    name = "delete"
    kinds = ("5xx", "429", "timeout", "drop", "malformed", "refused_6357", "deleted_by_other")
    # The service's deletion ends in DELETE_FAILED (Simulator.fail_next_transition): a kind in the report.
    flag_kinds = ("delete_failed",)
    deletes = True

    def draw(self, rng, scenario):
        """state=absent of an instance running, stopped, failed or starting, by id or name, or already gone."""
        initial = draw_existing(rng, scenario, ["RUNNING", "RUNNING", "STOPPED", "STOPPED", "ERROR", "STARTING"])
        initial["gone"] = rng.random() < 0.15
        initial["unknown_id"] = "%08x-0000-4000-8000-%012x" % (rng.getrandbits(32), rng.getrandbits(48))
        # The service's deletion ends in DELETE_FAILED (Simulator.fail_next_transition).
        scenario["delete_failed"] = not initial["gone"] and rng.random() < 0.2
        scenario["params"] = {"state": "absent", "wait": rng.random() < 0.85}
        scenario["plan"] = [] if initial["gone"] else ["delete"]

    def prepare(self, sim, scenario):
        initial = scenario["initial"]
        if initial["gone"]:
            return initial["unknown_id"]
        target_id = add_instance(sim, initial)
        if scenario.get("delete_failed"):
            sim.fail_next_transition(target_id, status="DELETE_FAILED", fail_reason="injected: volume busy")
        return target_id

    def rerun_allowed(self, scenario):
        # Without wait, a deletion that fails later leaves a failed instance: a rerun is then right to fail.
        return not (scenario.get("delete_failed") and not scenario["params"].get("wait", True))

    def check(self, scenario, result, requests, world, rerun, violations):
        params, initial, plan = scenario["params"], scenario["initial"], scenario["plan"]
        failed = bool(result.get("failed"))
        live = world["live"]
        faults = scenario["faults"]
        sent = sent_writes(requests)
        for record in sent.get("delete", []):
            if record.notebook_id != world["target_id"]:
                violations.append("DELETE of %s, which the task did not address" % record.notebook_id)
        if scenario["check_mode"]:
            if not failed and result.get("actions") != plan:
                violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), plan))
            if (
                live is None
                and not initial["gone"]
                and not any(f["kind"] == "deleted_by_other" and f["hits"] for f in faults)
            ):
                violations.append("the instance is gone after a run in check mode")
        elif not failed:
            if params["wait"] and live is not None:
                violations.append("reported success, but the instance is still there (%s)" % live["status"])
            if not params["wait"] and live is not None and live["status"] != "DELETING":
                violations.append("reported success, but the instance is %s" % live["status"])
            if result.get("actions") not in (plan, []):
                violations.append("reported actions %s, the plan is %s" % (result.get("actions"), plan))
            if rerun is not None:
                problem = rerun_problem(rerun)
                if problem:
                    violations.append(problem)
        else:
            error = result.get("error") or {}
            # An instance already gone is what state=absent asks for: never a failure.
            if error.get("error_code") in ("ModelArts.6309", "ModelArts.6404") or error.get("status") == 404:
                violations.append("failed because the instance is already gone: %s" % (result.get("msg") or "")[:300])
        if live is not None and params["state"] == "absent":
            check_untouched_settings(dict(scenario, params={"state": "absent"}), live, violations)
        check_plan_writes(sent, set(plan), plan, violations)


FAMILY = Delete()
