# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""list_all(): every page of a list call, and when it stops."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._paging import list_all


class Pages:
    """A list call over ``total`` items answering pages of at most ``limit`` (all without a limit)."""

    def __init__(self, total, key="data", report_total=True, cap=None, by_pages=False, total_key="total"):
        self.items = [{"id": "i%03d" % n} for n in range(total)]
        self.key, self.report_total, self.cap = key, report_total, cap
        self.by_pages, self.total_key = by_pages, total_key
        self.queries = []

    def request(self, method, path, attempted, params=None):
        query = dict((k, v) for k, v in params if v is not None)
        self.queries.append(query)
        limit = query.get("limit") or self.cap or len(self.items)
        # The workspaces list counts its offset in pages: page n starts at record n * limit.
        start = query.get("offset", 0) * (limit if self.by_pages else 1)
        page = {self.key: self.items[start : start + limit]}
        if self.report_total:
            page[self.total_key] = len(self.items)
        return page


@pytest.mark.parametrize("total, requests", [(0, 1), (1, 1), (49, 1), (50, 2), (51, 2), (120, 3)])
def test_pages_of_the_given_size_until_a_short_page(total, requests):
    client = Pages(total, report_total=False)
    assert list_all(client, "/x", "Listing", page_size=50) == client.items
    assert len(client.queries) == requests
    assert [q["offset"] for q in client.queries] == [50 * n for n in range(requests)]


def test_total_ends_the_paging_without_an_empty_page():
    client = Pages(100)
    assert len(list_all(client, "/x", "Listing", page_size=50)) == 100 and len(client.queries) == 2


def test_without_a_page_size_one_request_unless_the_total_says_more():
    client = Pages(300, key="flavors")
    assert len(list_all(client, "/x", "Listing", [("category", "GPU")], item_keys=("flavors", "data"))) == 300
    assert client.queries == [{"category": "GPU"}]
    capped = Pages(300, key="data", cap=120)
    assert len(list_all(capped, "/x", "Listing", item_keys=("flavors", "data"))) == 300
    assert capped.queries == [{}, {"offset": 120}, {"offset": 240}]


def test_an_item_seen_twice_is_kept_once():
    client = Pages(60, report_total=False)
    client.items.insert(50, client.items[49])  # the list shifted under the paging
    found = list_all(client, "/x", "Listing", page_size=50)
    assert [i["id"] for i in found] == ["i%03d" % n for n in range(60)]


@pytest.mark.parametrize("total, requests", [(0, 1), (1, 1), (999, 1), (1000, 2), (1001, 2), (2500, 3)])
def test_an_offset_that_counts_pages_asks_for_page_numbers(total, requests):
    client = Pages(total, key="workspaces", report_total=False, by_pages=True)
    found = list_all(client, "/x", "Listing", page_size=1000, item_keys=("workspaces",), offset_counts_pages=True)
    assert found == client.items
    assert [q["offset"] for q in client.queries] == list(range(requests))


def test_a_total_under_another_key_ends_the_paging():
    client = Pages(2000, key="workspaces", by_pages=True, total_key="total_count")
    found = list_all(
        client,
        "/x",
        "Listing",
        page_size=1000,
        item_keys=("workspaces",),
        total_key="total_count",
        offset_counts_pages=True,
    )
    assert len(found) == 2000 and [q["offset"] for q in client.queries] == [0, 1]


def test_records_read_as_pages_would_skip_all_but_the_first_page():
    """The same list read with a record offset asks for page 1000 after page 0: what the pages offset prevents."""
    client = Pages(2500, key="workspaces", report_total=False, by_pages=True)
    found = list_all(client, "/x", "Listing", page_size=1000, item_keys=("workspaces",))
    assert len(found) == 1000 and [q["offset"] for q in client.queries] == [0, 1000]


def test_an_offset_in_pages_needs_a_page_size():
    with pytest.raises(ValueError):
        list_all(Pages(3), "/x", "Listing", offset_counts_pages=True)
