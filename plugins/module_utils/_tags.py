# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tags: the ``tags`` option's rules and what the tags calls must add and remove. Pure functions."""

from __future__ import annotations

from collections import namedtuple

KEY_MAX, VALUE_MAX = 128, 255
RESERVED_PREFIX = "_sys_"

# ``add``: [{key, value}] to add or overwrite; ``remove``: [{key, value}] to remove (the key decides).
TagChanges = namedtuple("TagChanges", "add remove")


def check(tags):
    """The problems of a ``tags`` option (empty: none)."""
    problems = []
    for key, value in sorted((tags or {}).items()):
        where = "tags key %r" % key
        if not 1 <= len(key) <= KEY_MAX:
            problems.append("%s must be 1 to %d characters" % (where, KEY_MAX))
        elif key != key.strip():
            problems.append("%s must not start or end with a space" % where)
        elif key.startswith(RESERVED_PREFIX):
            problems.append("%s must not start with %s (reserved by the system)" % (where, RESERVED_PREFIX))
        if value is not None and len(value) > VALUE_MAX:
            problems.append("tags value of %r must be at most %d characters (got %d)" % (key, VALUE_MAX, len(value)))
    return problems


def live(instance):
    """The instance's tags as a dict (the answer holds ``[{key, value}]``; ``value`` may be absent)."""
    found = {}
    for tag in instance.get("tags") or []:
        if isinstance(tag, dict) and tag.get("key") is not None:
            found[tag["key"]] = "" if tag.get("value") is None else str(tag["value"])
    return found


def changes(instance, wanted, purge):
    """What the tags calls must do so that the instance has ``wanted`` (and, with ``purge``, nothing else)."""
    current = live(instance)
    wanted = {key: "" if value is None else value for key, value in wanted.items()}
    add = [{"key": key, "value": value} for key, value in sorted(wanted.items()) if current.get(key) != value]
    remove = [{"key": key, "value": value} for key, value in sorted(current.items()) if purge and key not in wanted]
    return TagChanges(add, remove)


def after(instance, wanted, purge):
    """The instance's tags once the changes are made, for --diff."""
    result = {} if purge else live(instance)
    result.update({key: "" if value is None else value for key, value in wanted.items()})
    return result
