"""auto_stop: auto-stop turned on, changed or off on a running or stopped instance, with and without allow_restart."""

from ..constants import AUTO_STOPS
from ..existing import ExistingFamily, draw_existing, shape_params
from ..faults import SHARED_KINDS
from ..oracle import existing_plan


class AutoStop(ExistingFamily):
    name = "auto_stop"
    # Every shared kind, in their order (part of the draw).
    kinds = SHARED_KINDS

    def draw(self, rng, scenario):
        """Auto-stop turned on, changed or off on a running or stopped instance, with and without allow_restart."""
        initial = draw_existing(rng, scenario, ["RUNNING", "STOPPED"])
        params = shape_params(rng, scenario, initial)
        params["auto_stop"] = rng.choice(AUTO_STOPS)
        scenario["plan"] = existing_plan(initial, params, scenario["changed"])


FAMILY = AutoStop()
