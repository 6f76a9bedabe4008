"""update: a notebook running or stopped, a random requested change, state and allow_restart.

An update scenario draws exactly what scenario N drew before the other families existed (its stream is the
seed and index alone, its kinds and targets are the ones it had), so that its results compare with every
earlier sweep.
"""

import random

from ..constants import FLAVORS, IMAGES, IPS, KEYS, LEASES, NOTEBOOK_TOKEN, SPELLINGS
from ..existing import ExistingFamily
from ..faults import make_fault
from ..oracle import differing, expected_plan


class Update(ExistingFamily):
    name = "update"
    kinds = ("5xx", "429", "timeout", "drop", "malformed", "transition_failed", "race", "refused_6357")
    refusable = ("start", "stop")
    # The points a fault may hit anywhere (as before the other families existed).
    stray_targets = ("GET", "LIST", "PUT", "stop", "start")

    def make_scenario(self, seed, index):
        """An update of an existing instance: the same draws, in the same order, as the earlier sweeps."""
        scenario = {"index": index, "operation": self.name, "faults": []}
        self.draw(random.Random("%s-%d" % (seed, index)), scenario)
        return scenario

    def draw(self, rng, scenario):
        index = scenario["index"]
        status = rng.choice(["RUNNING", "STOPPED"])
        endpoints = [{"dev_service": "NOTEBOOK"}]
        if rng.random() < 0.5:
            endpoints.append(
                {"dev_service": "SSH", "allowed_access_ips": rng.sample(IPS[:4], 1), "ssh_keys": [KEYS[0]]}
            )
        initial = {
            "name": "nb-%05d" % index,
            "status": status,
            "flavor": rng.choice(FLAVORS),
            "image_id": rng.choice(IMAGES),
            "capacity": rng.choice([5, 20, 50]),
            "description": "initial",
            "endpoints": endpoints,
            "token": NOTEBOOK_TOKEN % index,
            "tags": {},
        }
        by_name = rng.random() < 0.15
        params = {
            "state": rng.choice(["present", "present", "running", "stopped"]),
            "allow_restart": rng.random() < 0.6,
        }
        if not by_name and rng.random() < 0.3:
            params["name"] = rng.choice([initial["name"], "nb-%05d-renamed" % index])
        if rng.random() < 0.35:
            params["description"] = rng.choice(["initial", "Team notebook %d" % rng.randint(1, 99)])
        if rng.random() < 0.4:
            params["flavor"] = rng.choice(FLAVORS)
        if rng.random() < 0.25:
            params["image_id"] = rng.choice(IMAGES)
        if rng.random() < 0.35:
            params["storage_size"] = initial["capacity"] + rng.choice(
                [0, 0, 5, 30] + ([-1] if rng.random() < 0.2 else [])
            )
        if rng.random() < 0.3:
            request = {"dev_service": "SSH"}
            if rng.random() < 0.8:
                request["allowed_access_ips"] = rng.sample(IPS, rng.randint(0, 3))
            if rng.random() < 0.6:
                request["ssh_keys"] = rng.sample(KEYS, rng.randint(1, 2))
            params["endpoints"] = [request]
        if rng.random() < 0.15:
            params["hooks"] = {
                "container_hooks": {
                    "post_start": rng.choice(
                        [
                            {"type": "SCRIPT", "script": "/home/ma-user/work/start.sh"},
                            {"type": "COMMAND", "script": "ZWNobyBzdGFydGVk"},
                        ]
                    )
                }
            }
            params["force_update_hooks"] = rng.random() < 0.3
        changed = differing(initial, params, by_name)
        shrink = params.get("storage_size") is not None and params["storage_size"] < initial["capacity"]
        plan = None if shrink else expected_plan(status, params, changed)
        scenario.update(
            initial=initial,
            params=params,
            by_name=by_name,
            changed=changed,
            plan=plan,
            auth=rng.choice(["aksk", "aksk_token", "iam"]),
            check_mode=rng.random() < 0.1,
            max_retries=rng.choice([2, 3, 3, 4]),
        )
        for dummy in range(1 if rng.random() < 0.6 else 2):
            scenario["faults"].append(make_fault(rng, scenario, self))
        # Drawn last, so the scenarios drawn before these existed stay the same.
        initial["lease"] = dict(rng.choice(LEASES))
        scenario["spelling"] = rng.choice(SPELLINGS)


FAMILY = Update()
