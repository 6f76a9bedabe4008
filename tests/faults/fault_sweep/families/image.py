"""image: notebook_image saves a running notebook as an image, registers an SWR image, or deletes one, while the
image may already exist (ACTIVE, being made, failed or being deleted), the service may fail the new image
(``image_failed``), or someone may stop the notebook during the save (``notebook_stopped``). Beside the task's
image, decoys share its name (another tag) or its name and tag (another namespace).

Invariants: at most one save or register per task (none where the image exists, in check mode or for a refusal);
no DELETE but of the image the task addressed, and only for state=absent; the decoys untouched; converged (the
image made and ACTIVE, or gone, and a rerun a one-request no-op) or a clean failure naming the image or the call.
"""

import re
import time

from ..constants import FLAVORS, IMAGES, NOTEBOOK_TOKEN, TARGETS
from ..family import Family, add_instance, live_instance
from ..faults import shaped_fault
from ..invariants import rerun_problem

NAMESPACE = "team-a"
SWR = "swr.cn-north-4.myhuaweicloud.com"
# The calls a fault can hit, beside the notebook reads of a save.
IMAGE_TARGETS = {
    "save": ("POST", r"/create-image$"),
    "register": ("POST", r"/images/?$"),
    "image_delete": ("DELETE", r"/images/[^/]+$"),
    "image_GET": ("GET", r"/images/[^/]+$"),
    "image_LIST": ("GET", r"/images/?$"),
    "GET": TARGETS["GET"],
    "LIST": TARGETS["LIST"],
}
POOLS = {
    "save": ("save", "image_LIST", "image_GET", "GET", "LIST"),
    "register": ("register", "image_LIST", "image_GET"),
    "delete": ("image_delete", "image_LIST", "image_GET"),
}
# What a failure message must name: the call or wait attempted, or the refusal naming the notebook or the image.
ATTEMPTED = re.compile(
    r"(Saving|Reading|Listing|Waiting for) notebook instance|(Reading|Registering|Deleting|Waiting for) image"
    r"|Listing DEDICATED images|no notebook instance is named|(notebook instance|image) \S+ \(\S+\) is [A-Z_]+"
)
PENDING = ("INIT", "CREATING")


class Image(Family):
    name = "image"
    module = "notebook_image"
    kinds = ("5xx", "429", "timeout", "drop", "malformed")
    # The service fails the new image (images.fail_next); someone stops the notebook during the save.
    flag_kinds = ("image_failed", "notebook_stopped")
    deletes = True
    attempted = ATTEMPTED

    def draw(self, rng, scenario):
        index = scenario["index"]
        operation = rng.choice(["save", "save", "save", "register", "delete"])
        if operation == "delete":
            existing = rng.choice(["ACTIVE"] * 5 + ["CREATE_FAILED", "CREATING", None, None, "DELETED"])
        else:
            existing = rng.choice([None] * 6 + ["ACTIVE", "CREATING", "CREATE_FAILED", "DELETED"])
        scenario["initial"] = {
            # The notebook a save snapshots (there for every operation: a decoy for the others).
            "name": "nb-%05d" % index,
            "status": "STOPPED" if operation == "save" and rng.random() < 0.1 else "RUNNING",
            "flavor": FLAVORS[0],
            "image_id": IMAGES[0],
            "capacity": 5,
            "description": "template",
            "endpoints": [{"dev_service": "NOTEBOOK"}],
            "token": NOTEBOOK_TOKEN % index,
            "lease": {"enable": False},
            "tags": {},
        }
        image = {"operation": operation, "existing": existing, "name": "img-%05d" % index, "tag": "v1"}
        image["swr_path"] = "%s/%s/%s:%s" % (SWR, NAMESPACE, image["name"], image["tag"])
        image["unknown_id"] = "%08x-0000-4000-8000-%012x" % (rng.getrandbits(32), rng.getrandbits(48))
        params = {"wait": rng.random() < 0.85, "wait_timeout": 8}
        fresh = existing in (None, "DELETED")
        if operation == "save":
            params.update(namespace=NAMESPACE, name=image["name"], tag=image["tag"])
            scenario["by_name"] = rng.random() < 0.5
            scenario["image_failed"] = fresh and rng.random() < 0.2
            scenario["notebook_stopped"] = (
                fresh and params["wait"] and not scenario["image_failed"] and rng.random() < 0.2
            )
        elif operation == "register":
            params["swr_path"] = image["swr_path"]
            scenario["image_failed"] = fresh and rng.random() < 0.2
        else:
            params.update(state="absent", delete_swr_content=rng.random() < 0.5)
            image["by"] = rng.choice(["id", "id", "identity", "identity", "swr_path"])
        scenario["image"] = image
        scenario["params"] = params
        scenario["plan"] = self.expected(scenario)

    @staticmethod
    def expected(scenario):
        """The writes the spec calls for (None: a refusal)."""
        image, initial = scenario["image"], scenario["initial"]
        existing = image["existing"]
        if image["operation"] == "delete":
            return [] if existing in (None, "DELETED") else ["delete"]
        if existing == "CREATE_FAILED":
            return None
        if existing in ("ACTIVE", "CREATING"):
            return []
        if image["operation"] == "save" and initial["status"] != "RUNNING":
            return None
        return [image["operation"]]

    def fault(self, rng, scenario, kind):
        image = scenario["image"]
        pool = [t for t in POOLS[image["operation"]] if t != "LIST" or scenario["by_name"]]
        target = rng.choice(pool)
        method, path = IMAGE_TARGETS[target]
        return shaped_fault(
            rng, scenario, kind, target, method, path, skippable=target in ("image_GET", "GET"), family=self
        )

    def prepare(self, sim, scenario):
        images, image = sim.resources["images"], scenario["image"]
        notebook_id = add_instance(sim, scenario["initial"])
        decoys = [images.add(NAMESPACE, image["name"], "v0")["id"], images.add("team-b", image["name"], "v1")["id"]]
        existing = image["existing"]
        image_id = image["unknown_id"]
        if existing is not None:
            made = images.add(
                NAMESPACE,
                image["name"],
                image["tag"],
                status="ACTIVE" if existing == "DELETED" else existing,
                status_message="injected: no space left" if existing == "CREATE_FAILED" else "",
            )
            image_id = made["id"]
            if existing == "DELETED":
                images.set_status(image_id, "DELETED")
        if scenario.get("image_failed"):
            images.fail_next("CREATE_FAILED", "injected: the SWR quota is used up")
        if scenario.get("notebook_stopped"):
            images.stop_during_next_save(after=0.1)
        # Kept for the checks; the record of a scenario reports other keys only.
        scenario["ids"] = {"notebook": notebook_id, "image": image_id, "decoys": decoys}
        return notebook_id

    def module_args(self, scenario, args, target_id):
        image = scenario["image"]
        if image["operation"] == "save":
            args["notebook"] = scenario["initial"]["name"] if scenario["by_name"] else target_id
        elif image["operation"] == "delete":
            if image["by"] == "id":
                args["id"] = scenario["ids"]["image"]
            elif image["by"] == "swr_path":
                args["swr_path"] = image["swr_path"]
            else:
                args.update(namespace=NAMESPACE, name=image["name"], tag=image["tag"])
        return args

    def live(self, sim, scenario, target_id, named):
        images, image = sim.resources["images"], scenario["image"]
        notebook = live_instance(sim, target_id)
        return {
            "status": notebook["status"] if notebook else None,
            "images": [
                dict(i)
                for i in images.all()
                if (i["namespace"], i["name"], i["tag"]) == (NAMESPACE, image["name"], image["tag"])
            ],
            "decoys": [dict(i) for i in images.all() if i["id"] in scenario["ids"]["decoys"]],
        }

    def rerun_allowed(self, scenario):
        # Without wait, an image the service fails later makes the rerun fail, as it should.
        return not (scenario.get("image_failed") and not scenario["params"]["wait"])

    def before_rerun(self, sim, scenario):
        """Let an image being made (without wait) and the snapshot of its notebook end."""
        images, image = sim.resources["images"], scenario["image"]
        deadline = time.time() + 5
        while time.time() < deadline:
            pending = [
                i
                for i in images.all()
                if (i["namespace"], i["name"], i["tag"]) == (NAMESPACE, image["name"], image["tag"])
                and i["status"] in PENDING + ("DELETED",)
            ]
            snapshotting = (live_instance(sim, scenario["ids"]["notebook"]) or {}).get("status") == "SNAPSHOTTING"
            if not pending and not snapshotting:
                return
            time.sleep(0.05)

    def check(self, scenario, result, requests, world, rerun, violations):
        image, params, plan = scenario["image"], scenario["params"], scenario["plan"]
        failed = bool(result.get("failed"))
        live = world["live"]
        makes = [r for r in requests if r.method == "POST" and r.path.endswith(("/create-image", "/images"))]
        deletes = [r for r in requests if r.method == "DELETE"]
        if len([r for r in makes if r.applied]) > 1:
            violations.append("%d saves or registers applied" % len([r for r in makes if r.applied]))
        lost = {f["id"] for f in scenario["faults"] if f.get("drop") or (f.get("delay") and f["kind"] == "timeout")}
        for position, record in enumerate(makes):
            if record.fault in lost and makes[position + 1 :]:
                violations.append("a save or register sent again after its answer was lost")
                break
        if makes and (scenario["check_mode"] or not plan or plan == ["delete"]):
            violations.append("%d save or register requests where the plan is %s" % (len(makes), plan))
        for record in deletes:
            if params.get("state") != "absent":
                violations.append("DELETE %s from a task that does not delete" % record.path.rsplit("/", 1)[-1])
            elif not record.path.endswith("/images/" + scenario["ids"]["image"]):
                violations.append("DELETE %s: an image the task did not address" % record.path.rsplit("/", 1)[-1])
        if len([r for r in deletes if r.applied]) > 1:
            violations.append("%d deletes applied" % len([r for r in deletes if r.applied]))
        if len(live["decoys"]) != 2 or any(d["status"] != "ACTIVE" for d in live["decoys"]):
            violations.append("a decoy image was changed: %s" % [(d["tag"], d["status"]) for d in live["decoys"]])
        current = [i for i in live["images"] if i["status"] != "DELETED"]
        if len(current) > 1:
            violations.append("%d images of the identity" % len(current))
        if scenario["check_mode"]:
            if not failed and result.get("actions") != (plan or []):
                violations.append("check mode announced %s, the plan is %s" % (result.get("actions"), plan))
            return
        if plan is None:
            if not failed:
                violations.append("succeeded where the spec calls for a refusal")
            return
        if failed:
            error = result.get("error") or {}
            if params.get("state") == "absent" and error.get("error_code") in ("ModelArts.6797", "ModelArts.6404"):
                violations.append("failed because the image is already gone: %s" % (result.get("msg") or "")[:300])
            return
        if result.get("actions") not in (plan, []):
            violations.append("reported actions %s, the plan is %s" % (result.get("actions"), plan))
        if params.get("state") == "absent":
            if current:
                violations.append("reported success, but the image is still there (%s)" % current[0]["status"])
        else:
            wanted = ("ACTIVE",) if params["wait"] else PENDING + ("ACTIVE",)
            if not params["wait"] and scenario.get("image_failed"):
                # The task returned after the call; the service failed the image since.
                wanted += ("CREATE_FAILED",)
            if len(current) != 1 or current[0]["status"] not in wanted:
                violations.append(
                    "reported success, but the images of the identity are %s" % [i["status"] for i in current]
                )
            elif (result.get("image") or {}).get("id") != current[0]["id"]:
                violations.append(
                    "reported image %s, not %s" % ((result.get("image") or {}).get("id"), current[0]["id"])
                )
            if plan == ["save"] and params["wait"] and live["status"] != "RUNNING":
                violations.append("after the save the notebook is %s, not RUNNING" % live["status"])
        if rerun is not None:
            problem = rerun_problem(rerun)
            if problem:
                violations.append(problem)


FAMILY = Image()
