# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading every item of a list call that pages by ``limit`` and ``offset``."""

from __future__ import annotations


def list_all(client, path, listing, params=(), page_size=None, item_keys=("data",)):
    """Every item the list call at ``path`` answers for ``params``, reading pages until the end.

    ``page_size`` is the ``limit`` to ask for: the largest the call allows, for the fewest requests; None
    sends no limit, for calls that then answer everything at once (further pages are read only if the
    answer's ``total`` says there are more). The items are in the first of ``item_keys`` the answer holds.
    An item created or deleted while paging shifts the pages: one seen twice (same ``id``) is kept once.
    """
    found, seen, offset = [], set(), 0
    while True:
        query = [("limit", page_size), ("offset", offset if page_size or offset else None)] + list(params)
        page = client.request("GET", path, "%s (offset %d)" % (listing, offset), params=query)
        items = next((page[key] for key in item_keys if isinstance(page.get(key), list)), [])
        for item in items:
            key = item.get("id") if isinstance(item, dict) else None
            if key is None or key not in seen:
                seen.add(key)
                found.append(item)
        offset += len(items)
        total = page.get("total")
        if not items:
            return found
        if page_size is None:
            if not (isinstance(total, int) and offset < total):
                return found
        elif len(items) < page_size or (isinstance(total, int) and offset >= total):
            return found
