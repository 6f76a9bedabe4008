# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Finding one resource by exact name among what a list call answered: none, one, or several named alike.

List calls filter names fuzzily; each resource's API lists with the filter, keeps the exact matches, and asks
here what they mean. An id, where the user gave one, is read directly instead.
"""

from __future__ import annotations

import re

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, NotFound

# Ids of notebooks, mounts and images are UUIDs; a name may look like one too, so a reference that looks like
# an id and is unknown is then looked up as a name.
UUID_PATTERN = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


def looks_like_uuid(reference):
    return bool(UUID_PATTERN.match(reference or ""))


def _ids(kind, matches):
    return ", ".join(sorted(str(kind.ident(match) or "?") for match in matches))


def exactly_one(kind, matches, label, listed=None):
    """The one resource of ``matches`` (those named exactly ``label``); NotFound when there is none (saying what
    the list's fuzzy filter matched, ``listed``), a ModuleError naming their ids when there are several."""
    if len(matches) == 1:
        return matches[0]
    if not matches:
        seen = ", ".join(sorted(set(listed))) if listed else "none"
        raise NotFound("no %s is named %r (the list's name filter matched: %s)" % (kind.name, label, seen))
    raise ModuleError(
        "%d %s are named %r (ids: %s): give id to choose one" % (len(matches), kind.plural, label, _ids(kind, matches))
    )


def at_most_one(kind, matches, label, context):
    """The one resource of ``matches``, or None; several fail, naming their ids (``context`` says when)."""
    if len(matches) > 1:
        raise ModuleError(
            "%s, %d %s are named %r (ids: %s): give id to choose one"
            % (context, len(matches), kind.plural, label, _ids(kind, matches))
        )
    return matches[0] if matches else None
