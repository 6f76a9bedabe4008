"""What every resource module builds on: the Resource class, and the clock of the API's timestamps."""

import time


def now_ms():
    """Now in milliseconds since the epoch, as the API's ``create_at`` and ``update_at``."""
    return int(time.time() * 1000)


class Resource:
    """A part of the simulated API: its routes, its control routes, its state. resources.py lists them.

    A subclass sets ``name`` (``sim.resources[name]``), and overrides what it has:

    * ``routes()``: the API's ``routing.Route`` list (each naming its handler, whether it writes, whether it
      answers 204, and its SDK request model);
    * ``control_routes()``: the ``routing.Route`` list of its ``/_sim/...`` routes; a handler takes
      ``(params, query, body)`` and returns ``(status, payload)``; ValueError, TypeError and KeyError answer 400;
    * ``settings``: names of its attributes that ``PATCH /_sim/config`` reads and sets;
    * ``reset()``: forget its state (``Simulator.reset()``, ``POST /_sim/reset``).

    Per-notebook state and notebook events come from the notebooks resource (``sim.store``): ``state(name)``
    and ``subscribe(event, handler)``.
    """

    name = None
    settings = ()

    def __init__(self, sim):
        self.sim = sim

    def routes(self):
        return []

    def control_routes(self):
        return []

    def reset(self):
        """Forget this resource's state."""
