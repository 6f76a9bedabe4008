"""The Markdown documentation: links that lead somewhere, excerpts that match their files, a README for users that
names every plugin, and the markers that make bench and make faults write their figures between."""

import glob
import os
import re

import pytest
import yaml

from ansible_e2e import REPO_DIR

PAGES = ["README.md", "CONTRIBUTING.md"] + sorted(
    os.path.relpath(p, REPO_DIR) for p in glob.glob(os.path.join(REPO_DIR, "docs", "*.md"))
)
FENCE = re.compile(r"^(```+|~~~+)")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXCERPT = re.compile(r"^<!-- excerpt: (\S+) -->$")
README_MAX_LINES = 160


def read(path):
    with open(os.path.join(REPO_DIR, path), encoding="utf-8") as handle:
        return handle.read()


def prose_lines(text):
    """(number, line) of each line outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        match = FENCE.match(line)
        if match and (fence is None or line.startswith(fence)):
            fence = None if fence else match.group(1)
            continue
        if fence is None:
            yield number, line


def slug(heading):
    """The anchor GitHub (and the docsite, myst_heading_anchors) gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path):
    return {slug(line.lstrip("#")) for _number, line in prose_lines(read(path)) if line.startswith("#")}


def links(path):
    for number, line in prose_lines(read(path)):
        for target in LINK.findall(line):
            if not re.match(r"^[a-z]+:", target):
                yield number, target


@pytest.mark.parametrize("page", PAGES)
def test_relative_links_lead_to_files_and_headings(page):
    broken = []
    for number, target in links(page):
        path, anchor = (target.split("#", 1) + [""])[:2]
        resolved = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        if not os.path.exists(os.path.join(REPO_DIR, resolved)):
            broken.append("%s:%d: %s (no such file)" % (page, number, target))
        elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
            broken.append("%s:%d: %s (no such heading)" % (page, number, target))
    assert not broken, "\n".join(broken)


def excerpts(page):
    """(file, block lines, line number) of each fenced block that a <!-- excerpt: file --> comment announces."""
    lines = read(page).splitlines()
    for index, line in enumerate(lines):
        match = EXCERPT.match(line)
        if match:
            assert FENCE.match(lines[index + 1]), "%s:%d: an excerpt comment not followed by a block" % (
                page,
                index + 1,
            )
            end = index + 2
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            yield match.group(1), lines[index + 2 : end], index + 2


def is_excerpt(block, lines):
    """``block`` is a run of consecutive ``lines``, all indented alike (the block may drop a common indent)."""
    first = block[0]
    for start, line in enumerate(lines):
        indent = line[: len(line) - len(first)]
        if line.endswith(first) and not indent.strip() and start + len(block) <= len(lines):
            if all(
                (text == "" and not lines[start + k].strip()) or lines[start + k] == indent + text
                for k, text in enumerate(block)
            ):
                return True
    return False


@pytest.mark.parametrize("page", [p for p in PAGES if "<!-- excerpt:" in read(p)])
def test_excerpts_match_their_files(page):
    for path, block, number in excerpts(page):
        assert block, "%s:%d: empty excerpt" % (page, number)
        assert is_excerpt(block, read(path).splitlines()), "%s:%d: not an excerpt of %s" % (page, number, path)


def test_awx_guide_shows_what_the_runner_tests_run():
    """docs/awx.md quotes the credential type's injectors, every object of examples/awx_setup.yml but the
    inventory, and both surveys, so that the excerpt check above covers what tests/e2e/test_awx_runner.py runs."""
    quoted = "\n".join("\n".join(excerpt[1]) for excerpt in excerpts("docs/awx.md"))
    assert "HW_SECRET_KEY:" in quoted
    setup = yaml.safe_load(read("examples/awx_setup.yml"))[0]["tasks"]
    for task in setup:
        if "awx.awx.inventory" not in task:
            assert task["name"] in quoted, task["name"]
    for survey in ("name: Team notebooks", "name: Rolling update"):
        assert survey in quoted


def test_readme_is_a_short_page_for_users():
    text = read("README.md")
    assert len(text.splitlines()) <= README_MAX_LINES
    for command in ("make demo", "make test"):
        assert "`%s`" % command in text


def test_readme_contents_table_names_every_plugin_and_role():
    """A new module, inventory plugin or role is named in the README's table (the docsite finds it by itself)."""
    text = read("README.md")
    contents = set(re.findall(r"^\| `hwcloud\.modelarts\.(\w+)` \| (module|inventory plugin|role) \|", text, re.M))
    found = {
        (os.path.basename(p)[:-3], "module") for p in glob.glob(os.path.join(REPO_DIR, "plugins", "modules", "*.py"))
    }
    found |= {
        (os.path.basename(p)[:-3], "inventory plugin")
        for p in glob.glob(os.path.join(REPO_DIR, "plugins", "inventory", "*.py"))
        if not p.endswith("__init__.py")
    }
    found |= {(name, "role") for name in os.listdir(os.path.join(REPO_DIR, "roles"))}
    found.discard(("__init__", "module"))
    assert contents == found


@pytest.mark.parametrize(
    "page, target", [("docs/performance.md", "make bench"), ("docs/reliability.md", "make faults")]
)
def test_generated_figures_have_their_markers(page, target):
    """make bench and make faults replace the text between these lines."""
    lines = read(page).splitlines()
    begin, end = lines.index("<!-- BEGIN %s -->" % target), lines.index("<!-- END %s -->" % target)
    assert begin < end - 1 and lines.count("<!-- BEGIN %s -->" % target) == 1
    assert any(line.startswith("| ") for line in lines[begin:end])
