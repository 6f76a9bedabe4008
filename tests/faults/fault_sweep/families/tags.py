"""tags: tags added, changed or purged (purge_tags true or false) on a running or stopped instance."""

from ..constants import TAG_POOL
from ..existing import ExistingFamily, draw_existing, shape_params
from ..faults import SHARED_KINDS
from ..oracle import existing_plan


class Tags(ExistingFamily):
    name = "tags"
    # Every shared kind, in their order (part of the draw).
    kinds = SHARED_KINDS

    def draw(self, rng, scenario):
        """Tags added, changed or purged (or kept with purge_tags=false) on a running or stopped instance."""
        initial = draw_existing(rng, scenario, ["RUNNING", "STOPPED"])
        params = shape_params(rng, scenario, initial)
        choice = rng.random()
        if choice < 0.15:
            params["tags"] = dict(initial["tags"])  # already so
        elif choice < 0.25:
            params["tags"] = {}  # every tag removed (purge) or none (purge_tags=false)
        else:
            params["tags"] = dict(rng.sample(sorted(TAG_POOL.items()), rng.randint(1, 3)))
            if rng.random() < 0.5:
                key = rng.choice(sorted(TAG_POOL))
                params["tags"][key] = "changed-%d" % rng.randint(1, 9)
        params["purge_tags"] = rng.random() < 0.65
        scenario["plan"] = existing_plan(initial, params, scenario["changed"])


FAMILY = Tags()
