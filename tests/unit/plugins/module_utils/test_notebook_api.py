# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._auth import TokenAuth
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import WaitError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsClient
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NotebookAPI

from modelarts_simulator import DEFAULT_AUTH_TOKEN  # pylint: disable=wrong-import-order


@pytest.fixture
def api(simulator):
    return NotebookAPI(ModelArtsClient(simulator.url, simulator.project_id, TokenAuth(DEFAULT_AUTH_TOKEN)))


def test_list_pages_with_the_largest_page_until_the_end(simulator, api):
    simulator.bulk_add(100)
    assert len(api.list()) == 100
    assert [r.query["offset"] for r in simulator.requests] == ["0", "50"]


def test_an_instance_shifted_into_the_next_page_is_listed_once(simulator, api):
    # The list is newest first: a notebook created between two pages pushes the first page's last entry
    # onto the second page, where it is read again.
    simulator.bulk_add(70)
    send = api.client.request

    def request_then_create(*args, **kwargs):
        answer = send(*args, **kwargs)
        if len(simulator.requests) == 1:
            simulator.add_notebook(name="newcomer")
        return answer

    api.client.request = request_then_create
    ids = [nb["id"] for nb in api.list()]
    assert len(ids) == len(set(ids)) == 70


def test_wait_polls_until_the_target_and_fails_on_a_failed_status(simulator, api):
    nb = simulator.add_notebook(name="nb", status="RUNNING", transition_seconds=0.3)
    api.client.request("POST", api.client.project_path("notebooks", nb["id"], "stop"), "Stopping")
    assert api.wait(api.show(nb["id"]), {"STOPPED"}, 10, "Waiting")["status"] == "STOPPED"
    simulator.set_status(nb["id"], "ERROR", fail_reason="disk lost")
    with pytest.raises(WaitError, match="is ERROR .fail_reason: disk lost"):
        api.wait(api.show(nb["id"]), {"RUNNING"}, 10, "Waiting")
