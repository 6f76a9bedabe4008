# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One resource by exact name: none, one, or several, whatever its kind."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError, NotFound
from ansible_collections.hwcloud.modelarts.plugins.module_utils._lookup import at_most_one, exactly_one, looks_like_uuid
from ansible_collections.hwcloud.modelarts.plugins.module_utils._resource import Kind

WORKSPACE = Kind("workspace", "workspace")


def test_exactly_one_returns_the_match():
    assert exactly_one(WORKSPACE, [{"id": "w1", "name": "team"}], "team") == {"id": "w1", "name": "team"}


def test_none_says_what_the_fuzzy_filter_matched():
    with pytest.raises(NotFound) as caught:
        exactly_one(WORKSPACE, [], "team", ["team-a", "team-b", "team-a"])
    assert caught.value.message == "no workspace is named 'team' (the list's name filter matched: team-a, team-b)"
    with pytest.raises(NotFound, match=r"matched: none\)$"):
        exactly_one(WORKSPACE, [], "team")


def test_several_name_their_ids():
    with pytest.raises(ModuleError) as caught:
        exactly_one(WORKSPACE, [{"id": "w2"}, {"id": "w1"}], "team")
    assert not isinstance(caught.value, NotFound)
    assert caught.value.message == "2 workspaces are named 'team' (ids: w1, w2): give id to choose one"


def test_at_most_one_says_when_several_were_found():
    assert at_most_one(WORKSPACE, [], "team", "after a create") is None
    with pytest.raises(ModuleError, match=r"^after a create, 2 workspaces are named 'team' \(ids: a, b\)"):
        at_most_one(WORKSPACE, [{"id": "b"}, {"id": "a"}], "team", "after a create")


@pytest.mark.parametrize(
    "reference, expected",
    [("6b3b6f14-9e2a-4b7e-8f5e-3c8f0d2a1b4c", True), ("team-a-dev", False), ("6b3b6f14-9e2a", False), (None, False)],
)
def test_what_looks_like_an_id(reference, expected):
    assert looks_like_uuid(reference) is expected
