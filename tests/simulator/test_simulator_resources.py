"""How resources plug into the simulator: routing, registration, per-notebook state and notebook events.

``Notes`` is a resource as a new module of modelarts_sim would add one: its own routes and control route, its
own per-notebook state, a setting, and a stop that may clear its state.
"""

import os
import re

import pytest
import requests
from modelarts_sim.base import Resource
from modelarts_sim.routing import Route, Router
from sim_client import call, error_code

from modelarts_simulator import Simulator


class Notes(Resource):
    name = "notes"
    settings = ("notes_survive_stop",)

    def __init__(self, sim):
        super().__init__(sim)
        self.notes_survive_stop = True
        self.events = []
        self.notes = sim.store.state(self.name)
        for event in ("started", "stopped", "deleted"):
            sim.store.subscribe(event, lambda nb, event=event: self.events.append((event, nb["id"])))
        sim.store.subscribe("stopped", self._stopped)

    def _stopped(self, nb):
        if not self.notes_survive_stop:
            self.notes.pop(nb["id"], None)

    def routes(self):
        base = "/v1/{project_id}/notebooks/{id}/notes"
        return [Route("POST", base, self.add, write=True, no_content=True), Route("GET", base, self.show)]

    def control_routes(self):
        return [Route("GET", "/_sim/notes/{id}", self.control_show)]

    def add(self, call):
        text = call.body()["text"]
        with self.sim.store.lock:
            self.sim.store.get(call.params["id"])
            self.notes.setdefault(call.params["id"], []).append(text)

    def show(self, call):
        with self.sim.store.lock:
            self.sim.store.get(call.params["id"])
            return {"notes": list(self.notes.get(call.params["id"], []))}

    def control_show(self, params, query, body):
        return 200, {"notes": self.notes.get(params["id"], [])}


@pytest.fixture
def noted():
    with Simulator() as sim:
        sim.add_resource(Notes)
        yield sim


def note(sim, nb_id, text):
    return call(sim, "POST", "/%s/notes" % nb_id, body={"text": text})


# ---- routing --------------------------------------------------------------------------------------------------
def test_the_most_specific_route_wins_whatever_the_order():
    for order in (1, -1):
        router = Router()
        routes = [
            Route("GET", "/v1/{project_id}/notebooks/{id}", lambda call: None, name="show"),
            Route("GET", "/v1/{project_id}/notebooks/flavors", lambda call: None, name="flavors"),
            Route("PUT", "/v1/{project_id}/notebooks/{id}", lambda call: None, name="update"),
        ]
        for route in routes[::order]:
            router.add(route)
        route, params = router.resolve("GET", "/v1/p/notebooks/flavors")
        assert (route.name, params) == ("flavors", {"project_id": "p"})
        route, params = router.resolve("GET", "/v1/p/notebooks/nb-1")
        assert (route.name, params) == ("show", {"project_id": "p", "id": "nb-1"})
        # The method comes first: no PUT is published for flavors, so the notebook route takes the segment.
        assert router.resolve("PUT", "/v1/p/notebooks/flavors")[0].name == "update"
        assert router.resolve("POST", "/v1/p/notebooks/nb-1") == (None, {})
        assert router.literal_segments(("v1", "{project_id}", "notebooks")) == {"flavors"}


def test_a_route_and_a_resource_are_registered_once():
    router = Router()
    router.add(Route("GET", "/v1/{project_id}/notebooks", lambda call: None))
    with pytest.raises(ValueError, match="already registered"):
        router.add(Route("GET", "/v1/{project_id}/notebooks", lambda call: None))
    sim = Simulator()
    with pytest.raises(ValueError, match="already registered"):
        sim.add_resource(type(sim.resources["tags"]))


def test_a_known_path_with_another_method_is_the_gateways_404_before_authentication(simulator):
    nb_id = simulator.add_notebook()["id"]
    base = "%s/v1/%s/notebooks/%s" % (simulator.url, simulator.project_id, nb_id)
    for method, url in (("PATCH", base), ("POST", base + "/lease"), ("PUT", base + "/stop"), ("HEAD", base)):
        answer = requests.request(method, url, timeout=10)  # unsigned: the gateway refuses it before authenticating
        assert answer.status_code == 404, (method, url)
        if method != "HEAD":
            assert answer.json() == {
                "error_code": "APIGW.0101",
                "error_msg": "The API does not exist or has not been published in the environment",
            }
    assert [(r.route, r.applied, r.notebook_id) for r in simulator.requests] == [(None, False, nb_id)] * 4
    # A path both a literal route and the notebook route match: each method finds its own.
    assert call(simulator, "GET", "/flavors").status_code == 200
    assert error_code(call(simulator, "PUT", "/flavors", body={"description": "x"})) == "ModelArts.6309"
    assert [r.notebook_id for r in simulator.requests[-2:]] == [None, None]


# ---- a resource of its own -------------------------------------------------------------------------------------
def test_a_resource_registers_its_routes_and_its_writes_derive_from_them(noted):
    nb_id = noted.add_notebook()["id"]
    with Simulator() as plain:
        assert error_code(note(plain, plain.add_notebook()["id"], "x")) == "APIGW.0101"
    added = note(noted, nb_id, "first")
    assert (added.status_code, added.content) == (204, b"")
    assert error_code(note(noted, "00000000-0000-0000-0000-000000000000", "lost")) == "ModelArts.6309"
    assert call(noted, "GET", "/%s/notes" % nb_id).json() == {"notes": ["first"]}
    assert requests.get(noted.url + "/_sim/notes/" + nb_id, timeout=10).json() == {"notes": ["first"]}
    assert [(w.method, w.path.rsplit("/", 2)[1]) for w in noted.writes] == [("POST", nb_id)]
    assert [r.notebook_id for r in noted.requests] == [nb_id, "00000000-0000-0000-0000-000000000000", nb_id]


def test_per_notebook_state_goes_with_the_notebook(noted):
    kept, deleted, removed = (noted.add_notebook(name=n)["id"] for n in ("kept", "deleted", "removed"))
    for nb_id in (kept, deleted, removed):
        assert note(noted, nb_id, "n-" + nb_id).status_code == 204
    notes = noted.resources["notes"]
    assert call(noted, "DELETE", "/" + deleted).json()["status"] == "DELETING"
    assert deleted in notes.notes  # until the deletion ends
    assert call(noted, "GET", "/" + deleted).status_code == 400
    noted.remove_notebook(removed)
    assert sorted(notes.notes) == [kept]
    assert [e for e in notes.events if e[0] == "deleted"] == [("deleted", deleted), ("deleted", removed)]
    noted.reset()
    assert notes.notes == {} and noted.store.state("notes") is notes.notes


def test_stop_and_start_events_and_a_setting_of_the_resource(noted):
    nb_id = noted.add_notebook(status="RUNNING")["id"]
    notes = noted.resources["notes"]
    note(noted, nb_id, "kept over a stop")
    assert call(noted, "POST", "/%s/stop" % nb_id).json()["status"] == "STOPPING"
    assert notes.events == []  # the transition ends when the notebook is next read
    call(noted, "GET", "/%s/notes" % nb_id)
    assert notes.events == [("stopped", nb_id)] and notes.notes[nb_id] == ["kept over a stop"]

    config = requests.patch(noted.url + "/_sim/config", json={"notes_survive_stop": False}, timeout=10)
    answered = config.json()
    assert {k: answered[k] for k in ("endpoint_spelling", "transition_seconds", "notes_survive_stop")} == {
        "endpoint_spelling": "both",
        "transition_seconds": 0.0,
        "notes_survive_stop": False,
    }
    call(noted, "POST", "/%s/start" % nb_id)
    assert noted.notebook(nb_id)["status"] == "RUNNING" and notes.events[-1] == ("started", nb_id)
    noted.set_status(nb_id, "STOPPED")
    noted.set_status(nb_id, "STOPPED")  # no change, no event
    assert notes.events == [("stopped", nb_id), ("started", nb_id), ("stopped", nb_id)]
    assert nb_id not in notes.notes
    with pytest.raises(ValueError, match="event must be one of"):
        noted.store.subscribe("paused", print)


def test_the_readme_lists_every_route():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    rows = {
        tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        for line in readme.splitlines()
        if re.match(r"^\| (GET|PUT|POST|PATCH|DELETE) \| `/v1/", line)
    }
    sim = Simulator()
    routes = {
        (
            route.method,
            "`%s`" % route.pattern,
            "`%s.%s`" % (route.handler.__module__.rsplit(".", 1)[-1], route.handler.__qualname__),
            "write" if route.write else "",
            "204" if route.no_content else "200",
            "`%s`" % route.sdk,
        )
        for route in sim.router.routes
    }
    assert rows == routes
    assert [r for r in sim.control.router.routes if "`%s %s`" % (r.method, r.pattern) not in readme] == []
