# Sphinx configuration of the HTML docsite (make docsite). It starts from what `antsibull-docs sphinx-init
# --use-current --squash-hierarchy hwcloud.modelarts` generates (the Ansible theme and sphinx_antsibull_ext for the
# pages antsibull-docs writes from the plugins' documentation), and adds the guides of docs/ as Markdown (MyST).
# No intersphinx: CI reaches no site but the package index; docsite_links.py resolves the few references to
# Ansible's own documentation instead.
import os
import sys

import yaml

DOCSITE_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, DOCSITE_DIR)

with open(os.path.join(DOCSITE_DIR, "..", "..", "galaxy.yml"), encoding="utf-8") as handle:
    GALAXY = yaml.safe_load(handle)

project = "%s.%s" % (GALAXY["namespace"], GALAXY["name"])
author = ", ".join(GALAXY["authors"])
copyright = author  # pylint: disable=redefined-builtin
release = version = GALAXY["version"]
title = html_short_title = html_title = "%s %s" % (project, release)

extensions = ["myst_parser", "sphinx_antsibull_ext", "docsite_links"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"

pygments_style = "ansible"
highlight_language = "YAML+Jinja"
html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = "any"
# Every reference must resolve: with -W, a broken one fails the build.
nitpicky = True

# GitHub's anchors for the headings, so that links like fleets.md#rolling-updates work on the site too.
myst_heading_anchors = 3

# Links from a guide to the repository's other files (examples, the credential type, tests) go to its web view.
docsite_repository_url = "%s/blob/main/" % GALAXY["repository"].rstrip("/")
docsite_repository_dir = os.path.normpath(os.path.join(DOCSITE_DIR, "..", ".."))
