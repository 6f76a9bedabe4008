# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The layout that keeps resources apart: checked here, so that a shortcut shows up as a failing test."""

from __future__ import annotations

import ast
import os

import pytest

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULE_UTILS = os.path.join(COLLECTION, "plugins", "module_utils")
MODULES = os.path.join(COLLECTION, "plugins", "modules")
PREFIX = "ansible_collections.hwcloud.modelarts.plugins."
MAX_LINES = 600


def python_files(*parts):
    root = os.path.join(COLLECTION, *parts)
    for directory, dummy, names in os.walk(root):
        for name in sorted(names):
            if name.endswith(".py"):
                yield os.path.join(directory, name)


def imported(path):
    """The collection's modules that ``path`` imports (dotted names under plugins.)."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            base = node.module[len(PREFIX) :]
            if base == "module_utils":
                names.update("module_utils." + alias.name for alias in node.names)
            else:
                names.add(base)
        elif isinstance(node, ast.Import):
            names.update(alias.name[len(PREFIX) :] for alias in node.names if alias.name.startswith(PREFIX))
    return names


@pytest.mark.parametrize(
    "path", list(python_files("plugins")) + list(python_files("tests", "simulator")), ids=os.path.basename
)
def test_no_file_is_over_600_lines(path):
    with open(path, encoding="utf-8") as handle:
        assert sum(1 for dummy in handle) <= MAX_LINES


@pytest.mark.parametrize("path", list(python_files("plugins", "module_utils")), ids=os.path.basename)
def test_only_notebook_files_import_notebook_files(path):
    if os.path.basename(path).startswith("_notebook_"):
        return
    notebook_imports = sorted(name for name in imported(path) if name.startswith("module_utils._notebook_"))
    assert notebook_imports == [], "%s is not about notebooks but imports %s" % (
        os.path.basename(path),
        notebook_imports,
    )


@pytest.mark.parametrize("path", list(python_files("plugins")), ids=os.path.basename)
def test_no_plugin_imports_a_module(path):
    assert sorted(name for name in imported(path) if name.startswith("modules.")) == []
