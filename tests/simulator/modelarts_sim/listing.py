"""Paging and sorting of the list calls that share the catalogue's rules (flavors, images)."""

import math

from .errors import ServiceError, bad_request


def paging(query, default_limit, max_limit):
    """(limit or None for no limit, offset) of a query; ModelArts.6400 when malformed."""
    limit = query.get("limit")
    if limit is None or limit == "":
        limit = default_limit
    elif not limit.isdigit() or int(limit) < 1 or (max_limit and int(limit) > max_limit):
        raise bad_request("limit must be a positive integer%s" % (" of at most %d" % max_limit if max_limit else ""))
    offset = query.get("offset") or "0"
    if not offset.isdigit():
        raise bad_request("offset must be a non-negative integer")
    return (int(limit) if limit is not None else None), int(offset)


def sorting(query, keys, default_key, default_dir):
    """[(key, descending)...] from sort_key (comma-separated) and sort_dir; ModelArts.6303 for an unknown key."""
    sort_dir = (query.get("sort_dir") or default_dir).upper()
    if sort_dir not in ("ASC", "DESC"):
        raise bad_request("sort_dir must be ASC or DESC")
    names = [k for k in (query.get("sort_key") or default_key or "").split(",") if k]
    if any(k not in keys for k in names):
        raise ServiceError(400, "ModelArts.6303", "The field does not support sorting.")
    return [(k, sort_dir == "DESC") for k in names]


def sorted_by(items, order):
    """Items sorted by several keys (stable: equal ones keep the catalogue's order)."""
    items = list(items)
    for key, descending in reversed(order):
        items.sort(key=lambda item, k=key: item[k], reverse=descending)
    return items


def page(items, limit, offset, field):
    """The paging envelope {current, pages, size, total, <field>} of the flavors and images calls."""
    total = len(items)
    chosen = items[offset : offset + limit] if limit else items[offset:]
    pages = math.ceil(total / limit) if limit else (1 if total else 0)
    return {
        "current": offset // limit if limit else 0,
        "pages": pages,
        "size": len(chosen),
        "total": total,
        field: chosen,
    }
