# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading every item of a list call that pages by ``limit`` and ``offset``."""

from __future__ import annotations


def list_all(
    client, path, listing, params=(), page_size=None, item_keys=("data",), total_key="total", offset_counts_pages=False
):
    """Every item the list call at ``path`` answers for ``params``, reading pages until the end.

    ``page_size`` is the ``limit`` to ask for: the largest the call allows, for the fewest requests; None
    sends no limit, for calls that then answer everything at once (further pages are read only if the
    answer's ``total_key`` says there are more). The items are in the first of ``item_keys`` the answer holds.
    ``offset`` counts records (the notebooks and images lists), or pages from 0 with ``offset_counts_pages``
    (the workspaces list), which needs a ``page_size``.
    An item created or deleted while paging shifts the pages: one seen twice (same ``id``) is kept once.
    """
    if offset_counts_pages and not page_size:
        raise ValueError("a list whose offset counts pages needs a page size")
    found, seen, read, pages = [], set(), 0, 0
    while True:
        offset = pages if offset_counts_pages else read
        query = [("limit", page_size), ("offset", offset if page_size or offset else None)] + list(params)
        page = client.request("GET", path, "%s (offset %d)" % (listing, offset), params=query)
        items = next((page[key] for key in item_keys if isinstance(page.get(key), list)), [])
        for item in items:
            key = item.get("id") if isinstance(item, dict) else None
            if key is None or key not in seen:
                seen.add(key)
                found.append(item)
        read += len(items)
        pages += 1
        total = page.get(total_key)
        if not items:
            return found
        if page_size is None:
            if not (isinstance(total, int) and read < total):
                return found
        elif len(items) < page_size or (isinstance(total, int) and read >= total):
            return found
