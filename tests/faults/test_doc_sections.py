"""Tests of tools/doc_sections.py, which make bench and make faults write their figures into the docs with."""

import os
import stat
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "tools"))

import doc_sections  # noqa: E402
from doc_sections import replace_section  # noqa: E402

PAGE = """# Reliability

Written by hand.

<!-- BEGIN make faults -->
old figures
<!-- END make faults -->

## After

Also by hand.
"""


def page(tmp_path, text=PAGE, newline=None):
    path = tmp_path / "reliability.md"
    with open(path, "w", encoding="utf-8", newline=newline) as handle:
        handle.write(text)
    return str(path)


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def test_the_text_between_the_markers_is_replaced_and_the_rest_kept(tmp_path):
    path = page(tmp_path)
    written, message = replace_section(path, "make faults", "| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert written
    assert message == "%s: the figures of make faults replaced" % path
    assert read(path) == PAGE.replace("old figures\n", "\n| a | b |\n|---|---|\n| 1 | 2 |\n\n")


def test_a_second_run_gives_the_same_page(tmp_path):
    path = page(tmp_path)
    replace_section(path, "make faults", "figures\n")
    once = read(path)
    replace_section(path, "make faults", "figures\n")
    assert read(path) == once


def test_another_tools_markers_are_left_alone(tmp_path):
    text = PAGE + "<!-- BEGIN make bench -->\nbench\n<!-- END make bench -->\n"
    path = page(tmp_path, text)
    assert replace_section(path, "make bench", "new bench")[0]
    assert read(path) == PAGE + "<!-- BEGIN make bench -->\n\nnew bench\n\n<!-- END make bench -->\n"


def test_a_missing_page_is_said_in_one_line_and_not_created(tmp_path):
    path = str(tmp_path / "performance.md")
    written, message = replace_section(path, "make bench", "figures")
    assert not written
    assert message == "%s is missing: the figures of make bench are not written there" % path
    assert "\n" not in message
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    "text",
    [
        "# Reliability\n\nno markers\n",
        "<!-- BEGIN make faults -->\nonly the beginning\n",
        "only the end\n<!-- END make faults -->\n",
        "<!-- END make faults -->\nreversed\n<!-- BEGIN make faults -->\n",
        PAGE + PAGE,
        "<!-- BEGIN make bench -->\nanother tool's\n<!-- END make bench -->\n",
    ],
    ids=["none", "no end", "no beginning", "reversed", "twice", "another tool's"],
)
def test_a_page_without_one_pair_of_markers_is_left_as_it_was(tmp_path, text):
    path = page(tmp_path, text)
    written, message = replace_section(path, "make faults", "figures")
    assert not written
    assert message == (
        "%s has no single <!-- BEGIN make faults --> ... <!-- END make faults --> pair of lines: "
        "the figures are not written there" % path
    )
    assert read(path) == text


def test_markers_are_whole_lines(tmp_path):
    text = "See `<!-- BEGIN make faults -->` and `<!-- END make faults -->` in the source.\n"
    path = page(tmp_path, text)
    assert not replace_section(path, "make faults", "figures")[0]
    assert read(path) == text


def test_a_marker_quoted_in_a_line_of_text_is_not_one(tmp_path):
    text = "The figures go between `<!-- BEGIN make faults -->` and its end.\n\n" + PAGE
    path = page(tmp_path, text)
    assert replace_section(path, "make faults", "figures")[0]
    assert read(path) == text.replace("old figures\n", "\nfigures\n\n")


def test_line_endings_and_mode_are_kept(tmp_path):
    path = page(tmp_path, PAGE, newline="\r\n")
    os.chmod(path, 0o640)
    assert replace_section(path, "make faults", "line 1\nline 2\n")[0]
    assert read(path) == PAGE.replace("old figures\n", "\nline 1\nline 2\n\n").replace("\n", "\r\n")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["reliability.md"]


def test_a_page_that_cannot_be_written_is_said_in_one_line_and_left_whole(tmp_path, monkeypatch):
    path = page(tmp_path)

    def refuse(source, destination):
        raise PermissionError(13, "Permission denied", destination)

    monkeypatch.setattr(doc_sections.os, "replace", refuse)
    written, message = replace_section(path, "make faults", "figures")
    assert not written
    assert message.startswith("%s cannot be written ([Errno 13] Permission denied" % path)
    assert "\n" not in message
    assert read(path) == PAGE
    assert sorted(os.listdir(tmp_path)) == ["reliability.md"]  # no temporary file left behind
