"""workspace: hwcloud.modelarts.workspace creates, updates or deletes a workspace under faults.

A create finds no workspace of the name (only the "-old" decoy is alike) and may be answered CREATE_FAILED; an
update changes some of description, auth_type and grants, or nothing, by name or id; a delete finds the workspace
empty, holding notebooks (the caller's or another user's), or already gone, with or without delete_contents, the
service may refuse every user's list (403: the caller's own are checked) and the deletion may end DELETE_FAILED.
Every fault targets a workspace call or the notebooks list of a delete: 5xx and 429 bursts, timeouts, dropped
connections and malformed answers, each applied or not.

Its invariants: never two workspaces from one task; never a delete of a workspace holding notebooks the caller
can see unless delete_contents; converged (the workspace as asked, or gone, and an immediate rerun a no-op of
one or two reads) or a clean failure naming the workspace; the decoy workspace untouched.
"""

import copy
import random
import re
import time

from ..constants import NOTEBOOK_TOKEN, TIMEOUT
from ..family import Family
from ..faults import shaped_fault
from ..invariants import check_plan_writes

WORKSPACES = r"/workspaces"
# The calls a fault can hit: name -> (method, path regex).
TARGETS = {
    "LIST": ("GET", WORKSPACES + r"$"),
    "GET": ("GET", WORKSPACES + r"/[^/]+$"),
    "create": ("POST", WORKSPACES + r"$"),
    "update": ("PUT", WORKSPACES + r"/[^/]+$"),
    "delete": ("DELETE", WORKSPACES + r"/[^/]+$"),
    "contents": ("GET", r"/notebooks(/all)?$"),
}
OTHER_USER = {"id": "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "name": "bob"}
USERS = ["alice", "bob", "carol", "dave"]
ATTEMPTED = re.compile(r"workspace|Listing (every user's )?notebook instances")


def workspace_action(record):
    """The workspace write a request is (create, update, delete), or None."""
    if "/workspaces" not in record.path:
        return None
    return {"POST": "create", "PUT": "update", "DELETE": "delete"}.get(record.method)


class Workspace(Family):
    name = "workspace"
    module = "workspace"
    # Drawn as the shared kinds are, but each hits a workspace call (``fault``).
    kinds = ("5xx", "429", "timeout", "drop", "malformed")
    # A third of the creates: the service holds the create past the module's timeout, then applies it.
    own_kinds = ("held_create",)
    flag_kinds = ("create_failed", "delete_failed", "others_refused")
    creates = 1
    deletes = True
    attempted = ATTEMPTED

    def draw(self, rng, scenario):
        index = scenario["index"]
        operation = rng.choice(["create", "create", "update", "update", "delete", "delete", "delete"])
        name = "ws-%05d" % index
        initial = {
            "name": name,
            "operation": operation,
            "token": NOTEBOOK_TOKEN % index,
            "description": rng.choice(["", "Team %d" % index]),
            "auth_type": rng.choice(["PUBLIC", "PRIVATE", "INTERNAL"]),
            "grants": [],
            "notebooks": [],
            "gone": False,
            "unknown_id": "%032x" % rng.getrandbits(128),
        }
        if initial["auth_type"] == "INTERNAL":
            initial["grants"] = [{"user_name": user} for user in rng.sample(USERS, rng.randint(1, 3))]
        params = {"wait": rng.random() < 0.85, "wait_timeout": 20}
        scenario["by_name"] = operation == "create" or rng.random() < 0.6
        if operation == "create":
            params.update(self._fields(rng, {"description": "", "auth_type": "PUBLIC", "grants": []}, every=True))
            scenario["create_failed"] = rng.random() < 0.2
            plan = ["create"]
        elif operation == "update":
            params.update(self._fields(rng, initial, every=False))
            plan = ["update"] if self._differs(initial, params) else []
        else:
            initial["gone"] = rng.random() < 0.15
            initial["notebooks"] = rng.choice([[], [], ["own"], ["other"], ["own", "other"]])
            scenario["others_refused"] = rng.random() < 0.25
            scenario["delete_failed"] = not initial["gone"] and rng.random() < 0.2
            params.update(state="absent", delete_contents=rng.random() < 0.5)
            visible = [owner for owner in initial["notebooks"] if owner == "own" or not scenario["others_refused"]]
            plan = [] if initial["gone"] else (None if visible and not params["delete_contents"] else ["delete"])
        scenario["initial"], scenario["params"], scenario["plan"] = initial, params, plan

    @staticmethod
    def _fields(rng, initial, every):
        """Some of description, auth_type and grants (every one of them for a create, at random)."""
        fields = {}
        if every or rng.random() < 0.5:
            fields["description"] = rng.choice([initial["description"], "Changed %d" % rng.randint(1, 99)])
        if every or rng.random() < 0.5:
            fields["auth_type"] = rng.choice([initial["auth_type"], "PRIVATE", "INTERNAL"])
        auth_type = fields.get("auth_type", initial["auth_type"])
        if auth_type == "INTERNAL" and (every or rng.random() < 0.6):
            grants = [{"user_name": user} for user in rng.sample(USERS, rng.randint(1, 3))]
            fields["grants"] = rng.choice([grants, list(reversed(initial["grants"])) or grants])
        return fields

    @staticmethod
    def _differs(initial, params):
        def users(grants):
            return sorted(grant["user_name"] for grant in grants)

        return any(
            (
                params.get("description") not in (None, initial["description"]),
                params.get("auth_type") not in (None, initial["auth_type"]),
                "grants" in params and users(params["grants"]) != users(initial["grants"]),
            )
        )

    def make_scenario(self, seed, index):
        scenario = super().make_scenario(seed, index)
        rng = random.Random("%s-%d-%s-own" % (seed, index, self.name))
        if scenario["initial"]["operation"] == "create" and rng.random() < 1 / 3:
            method, path = TARGETS["create"]
            scenario["faults"].append(
                {
                    "kind": "held_create",
                    "target": "create",
                    "method": method,
                    "path": path,
                    "count": 1,
                    "skip": 0,
                    "status": None,
                    "apply": False,
                    "delay": TIMEOUT + rng.choice([0.4, 1.4]),
                }
            )
        return scenario

    def fault(self, rng, scenario, kind):
        plan = scenario["plan"] or []
        reads = ["LIST"] if scenario["by_name"] else ["GET"]
        if scenario["initial"]["operation"] == "delete":
            reads.append("contents")
        target = rng.choice(plan + reads + ["GET"])
        method, path = TARGETS[target]
        return shaped_fault(rng, scenario, kind, target, method, path, family=self)

    def prepare(self, sim, scenario):
        workspaces = sim.resources["workspaces"]
        initial = scenario["initial"]
        workspaces.delete_seconds = 0.3
        sim.resources["all_notebooks"].forbidden = bool(scenario.get("others_refused"))
        decoy = workspaces.add(name=initial["name"] + "-old", description="keep me")
        scenario["decoy"] = decoy
        if scenario.get("create_failed"):
            workspaces.fail_next_create("injected: the enterprise project has no quota left")
        if initial["operation"] == "create":
            return None
        if initial["gone"]:
            return initial["unknown_id"]
        found = workspaces.add(
            name=initial["name"],
            description=initial["description"],
            auth_type=initial["auth_type"],
            grants=initial["grants"],
        )
        for owner in initial["notebooks"]:
            notebook = sim.add_notebook(
                name="%s-%s" % (initial["name"], owner),
                token=initial["token"],
                user=OTHER_USER if owner == "other" else None,
            )
            sim.modify(notebook["id"], workspace_id=found["id"])
        if scenario.get("delete_failed"):
            workspaces.fail_next_delete(found["id"], "injected: the bucket is locked")
        return found["id"]

    def named(self, sim, name):
        return [ws for ws in sim.resources["workspaces"].all() if ws["name"] == name]

    def live(self, sim, scenario, target_id, named):
        workspaces = sim.resources["workspaces"]
        found = named[0] if len(named) == 1 else (workspaces.get(target_id) if workspaces.exists(target_id) else None)
        decoy = scenario["decoy"]
        scenario["decoy_after"] = (
            workspaces.view(workspaces.get(decoy["id"])) if workspaces.exists(decoy["id"]) else None
        )
        inside = ["%s-%s" % (scenario["initial"]["name"], owner) for owner in ("own", "other")]
        scenario["notebooks_after"] = sorted(nb["name"] for nb in sim.notebooks() if nb["name"] in inside)
        return copy.deepcopy(workspaces.view(found)) if found is not None else None

    def rerun_allowed(self, scenario):
        # Without wait, a delete that fails later leaves a DELETE_FAILED workspace: a rerun is then right to act.
        return not (scenario.get("delete_failed") and not scenario["params"]["wait"])

    def before_rerun(self, sim, scenario, limit=5.0):
        # A delete without wait ends before the rerun (the simulator's deletion lasts 0.3 s).
        deadline = time.time() + limit
        while time.time() < deadline and any(
            ws["status"] == "DELETING" for ws in self.named(sim, scenario["initial"]["name"])
        ):
            time.sleep(0.05)

    def check(self, scenario, result, requests, world, rerun, violations):
        params, initial, plan = scenario["params"], scenario["initial"], scenario["plan"]
        failed = bool(result.get("failed"))
        live = world["live"]
        sent = {}
        for record in requests:
            action = workspace_action(record)
            if action:
                sent.setdefault(action, []).append(record)
        creates = [r for r in sent.get("create", []) if r.applied]
        if len(creates) > 1:
            violations.append("%d workspace creates applied" % len(creates))
        # A create whose answer never came (dropped, or later than the module's timeout) is never sent again.
        in_doubt = {f["id"] for f in scenario["faults"] if f.get("drop") or f.get("delay", 0) > TIMEOUT}
        posts = sent.get("create", [])
        for position, record in enumerate(posts):
            if record.fault in in_doubt and position + 1 < len(posts):
                violations.append("a create whose answer was lost was sent again")
                break
        if scenario["decoy_after"] != scenario["decoy"]:
            violations.append("the decoy workspace %s-old was changed or deleted" % initial["name"])
        visible = [o for o in initial["notebooks"] if o == "own" or not scenario.get("others_refused")]
        applied_delete = any(r.applied for r in sent.get("delete", []))
        if applied_delete and visible and not params.get("delete_contents"):
            violations.append("a workspace holding notebooks (%s) was deleted without delete_contents" % visible)
        if failed:
            check_plan_writes(sent, set(plan or []), plan, violations)
            return
        if plan is None:
            violations.append("succeeded where the spec calls for a refusal (the workspace holds %s)" % visible)
            return
        if scenario["check_mode"]:
            if result.get("actions") != plan:
                violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), plan))
            return
        if result.get("actions") != plan:
            violations.append("reported actions %s, the plan is %s" % (result.get("actions"), plan))
        self._converged(scenario, live, violations)
        check_plan_writes(sent, set(plan), plan, violations)
        if rerun is not None:
            rerun_result = rerun["result"] or {}
            reads = 2 if params.get("grants") is not None and scenario["by_name"] else 1
            if initial["operation"] == "delete":
                reads = 1
            if rerun_result.get("failed") or rerun_result.get("changed") or rerun["requests"] != reads:
                violations.append(
                    "the rerun was not a clean no-op of %d request(s): failed=%s changed=%s requests=%d msg=%s"
                    % (
                        reads,
                        rerun_result.get("failed"),
                        rerun_result.get("changed"),
                        rerun["requests"],
                        rerun_result.get("msg"),
                    )
                )

    @staticmethod
    def _converged(scenario, live, violations):
        params, initial = scenario["params"], scenario["initial"]
        if initial["operation"] == "delete":
            # Without wait, the deletion may have ended (or failed, as injected) by the time the world is read.
            allowed = (
                () if params["wait"] else ("DELETING", "DELETE_FAILED" if scenario.get("delete_failed") else "DELETING")
            )
            if live is not None and live["status"] not in allowed:
                violations.append("reported success, but the workspace is %s" % live["status"])
            if live is None and initial["notebooks"] and params["wait"] and scenario["notebooks_after"]:
                violations.append("the workspace is gone but its notebooks %s remain" % scenario["notebooks_after"])
            return
        if live is None:
            violations.append("reported success, but no workspace is named %s" % initial["name"])
            return
        problems = []
        if params.get("description") is not None and live["description"] != params["description"]:
            problems.append("description %r" % live["description"])
        if params.get("auth_type") is not None and live["auth_type"].upper() != params["auth_type"]:
            problems.append("auth_type %r" % live["auth_type"])
        if params.get("grants") is not None:
            wanted = sorted(grant["user_name"] for grant in params["grants"])
            if sorted(grant["user_name"] for grant in live["grants"]) != wanted:
                problems.append("grants %s" % live["grants"])
        if live["status"] != "NORMAL":
            problems.append("status %s" % live["status"])
        if problems:
            violations.append("reported success but %s differ from what was asked" % ", ".join(problems))


FAMILY = Workspace()
