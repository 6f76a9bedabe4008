# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Tag rules: the option's checks and what the tags calls must add and remove."""

from __future__ import annotations

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._tags import after, changes, check, live

INSTANCE = {"tags": [{"key": "team", "value": "b"}, {"key": "old", "value": "1"}, {"key": "bare"}]}


def test_live_tags_as_a_dict():
    assert live(INSTANCE) == {"team": "b", "old": "1", "bare": ""}
    assert live({}) == {} and live({"tags": None}) == {}


def test_changes_with_purge():
    found = changes(INSTANCE, {"team": "a", "new": "x", "bare": ""}, purge=True)
    assert found.add == [{"key": "new", "value": "x"}, {"key": "team", "value": "a"}]
    assert found.remove == [{"key": "old", "value": "1"}]
    assert after(INSTANCE, {"team": "a", "new": "x", "bare": ""}, purge=True) == {"team": "a", "new": "x", "bare": ""}


def test_changes_without_purge_and_empty_tags():
    assert changes(INSTANCE, {"new": "x"}, purge=False) == ([{"key": "new", "value": "x"}], [])
    assert changes(INSTANCE, {}, purge=False) == ([], [])
    assert changes(INSTANCE, {}, purge=True).remove == [
        {"key": "bare", "value": ""},
        {"key": "old", "value": "1"},
        {"key": "team", "value": "b"},
    ]
    assert changes(INSTANCE, dict(live(INSTANCE)), purge=True) == ([], [])


@pytest.mark.parametrize(
    "tags, problem",
    [
        ({"": "v"}, "must be 1 to 128 characters"),
        ({"k" * 129: "v"}, "must be 1 to 128 characters"),
        ({"team ": "v"}, "must not start or end with a space"),
        ({"_sys_enterprise_project_id": "v"}, "must not start with _sys_"),
        ({"k": "v" * 256}, "must be at most 255 characters (got 256)"),
    ],
)
def test_bad_tags_are_named(tags, problem):
    assert any(problem in found for found in check(tags))


def test_good_tags_have_no_problem():
    assert check({"k" * 128: "v" * 255, "team": "", "团队": "数据"}) == []
