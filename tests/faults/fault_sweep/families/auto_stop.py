"""auto_stop: auto-stop turned on, changed or off on a running or stopped instance, with and without allow_restart."""

from ..constants import AUTO_STOPS
from ..existing import ExistingFamily, draw_existing, shape_params
from ..oracle import existing_plan


class AutoStop(ExistingFamily):
    name = "auto_stop"
    kinds = (
        "5xx",
        "429",
        "timeout",
        "drop",
        "malformed",
        "transition_failed",
        "race",
        "refused_6357",
        "deleted_by_other",
    )

    def draw(self, rng, scenario):
        """Auto-stop turned on, changed or off on a running or stopped instance, with and without allow_restart."""
        initial = draw_existing(rng, scenario, ["RUNNING", "STOPPED"])
        params = shape_params(rng, scenario, initial)
        params["auto_stop"] = rng.choice(AUTO_STOPS)
        scenario["plan"] = existing_plan(initial, params, scenario["changed"])


FAMILY = AutoStop()
