"""The simulator under many concurrent clients: every request answered and recorded once, no lost update,
and the status machine's rules held when clients race on one instance.

The role applies up to modelarts_concurrency definitions at once and the fault sweep and benchmarks run
many clients: these tests show that the threaded server holds under that load.
"""

import http.client
import json
import os
import sys
import threading
from collections import Counter
from urllib.parse import urlencode, urlsplit

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from modelarts_simulator import DEFAULT_AUTH_TOKEN, Simulator  # noqa: E402  pylint: disable=wrong-import-position

CLIENTS = 40


class Client:
    """One keep-alive connection, authenticated with the IAM token, as one module process would hold."""

    def __init__(self, sim):
        self.sim = sim
        self.connection = http.client.HTTPConnection(urlsplit(sim.url).hostname, urlsplit(sim.url).port, timeout=30)

    def call(self, method, tail="", query=None, body=None):
        path = "/v1/%s/notebooks%s" % (self.sim.project_id, tail)
        if query:
            path += "?" + urlencode(query)
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"X-Auth-Token": DEFAULT_AUTH_TOKEN, "Content-Type": "application/json"}
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read() or b"null")

    def close(self):
        self.connection.close()


def run_together(count, work):
    """Run work(index) in ``count`` threads released at the same moment; re-raise the first error."""
    barrier = threading.Barrier(count)
    errors, results = [], [None] * count

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # pylint: disable=broad-exception-caught
            errors.append(error)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a client never got its answers"
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def sim():
    with Simulator() as simulator:
        yield simulator


def test_many_clients_each_updating_its_own_notebook(sim):
    """Forty clients, each reading, updating (ten times) and listing at once: every answer right, nothing lost."""
    notebooks = [sim.add_notebook(name="client-%02d" % i, status="STOPPED") for i in range(CLIENTS)]
    sim.bulk_add(110, prefix="other-")
    rounds = 10

    def work(index):
        client, nb_id = Client(sim), notebooks[index]["id"]
        try:
            statuses = []
            for step in range(rounds):
                statuses.append(client.call("GET", "/" + nb_id)[0])
                status, body = client.call(
                    "PUT", "/" + nb_id, body={"description": "client %d step %d" % (index, step)}
                )
                statuses.append(status)
                assert body["description"] == "client %d step %d" % (index, step)
            listed, offset = [], 0
            while True:
                status, page = client.call("GET", query={"limit": 50, "offset": offset})
                statuses.append(status)
                listed += [nb["id"] for nb in page["data"]]
                offset += len(page["data"])
                if len(page["data"]) < 50:
                    break
            return statuses, listed
        finally:
            client.close()

    results = run_together(CLIENTS, work)
    assert all(status == 200 for statuses, dummy in results for status in statuses)
    for dummy, listed in results:
        assert len(listed) == len(set(listed)) == CLIENTS + 110
    for index, nb in enumerate(notebooks):
        assert sim.notebook(nb["id"])["description"] == "client %d step %d" % (index, rounds - 1)
    recorded = sim.requests
    assert len(recorded) == CLIENTS * (2 * rounds + 4)
    assert len({r.request_id for r in recorded}) == len(recorded)
    assert Counter(r.method for r in recorded)["PUT"] == CLIENTS * rounds
    assert len(sim.writes) == CLIENTS * rounds
    # Each client's updates were applied in its own order.
    for index, nb in enumerate(notebooks):
        mine = [r.body["description"] for r in recorded if r.method == "PUT" and r.notebook_id == nb["id"]]
        assert mine == ["client %d step %d" % (index, step) for step in range(rounds)]


def test_clients_racing_to_start_one_notebook(sim):
    """Twenty starts of one stopped notebook at the same moment: exactly one is accepted, the others are told it is starting."""
    nb = sim.add_notebook(name="raced", status="STOPPED", transition_seconds=30)

    def work(dummy):
        client = Client(sim)
        try:
            return client.call("POST", "/%s/start" % nb["id"])
        finally:
            client.close()

    answers = run_together(20, work)
    assert sorted(status for status, dummy in answers) == [200] + [400] * 19
    assert {body["error_code"] for status, body in answers if status == 400} == {"ModelArts.6306"}
    assert sim.notebook(nb["id"])["status"] == "STARTING"
    assert len(sim.writes) == 1


def test_clients_racing_to_update_one_notebook_are_all_applied(sim):
    """Concurrent updates of one instance are serialized: each applied whole, the last one applied wins."""
    nb = sim.add_notebook(name="shared", status="STOPPED", capacity=5)

    def work(index):
        client = Client(sim)
        try:
            return client.call(
                "PUT", "/" + nb["id"], body={"description": "writer %d" % index, "storage_new_size": 10 + index}
            )
        finally:
            client.close()

    answers = run_together(CLIENTS, work)
    # A disk only grows: a writer whose size is smaller than one already applied is refused, whole.
    accepted = [body for status, body in answers if status == 200]
    refused = [body for status, body in answers if status != 200]
    assert accepted and all(body["error_code"] == "ModelArts.6331" for body in refused)
    assert len(accepted) + len(refused) == CLIENTS
    applied = [r for r in sim.writes if r.notebook_id == nb["id"]]
    assert len(applied) == len(accepted)
    # Applied one at a time, each larger than the one before: the last applied is the largest, with its own description.
    largest = max(applied, key=lambda r: r.body["storage_new_size"])
    live = sim.notebook(nb["id"])
    assert (live["description"], live["volume"]["capacity"]) == (
        largest.body["description"],
        largest.body["storage_new_size"],
    )
    for body in accepted:
        assert body["description"] == "writer %d" % (body["volume"]["capacity"] - 10)
