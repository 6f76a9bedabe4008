"""Links of the docsite that plain Sphinx and MyST do not resolve by themselves.

- The home page (docs/README.md, staged as index.md) gets a hidden table of contents made of its own links to
  the guides, in their order, and the plugin reference: the site's navigation follows the page, and a guide that
  the page does not link is in no table of contents, which fails the build.
- A guide's relative link to a file of the repository outside docs/ (../examples/fleet.modelarts.yml) points to
  that file in the repository's web view; a link to a file that does not exist stays unresolved and fails the build.
- References to Ansible's own documentation that the generated pages make (common return values, configuration
  settings and their environment variables, plugins of other collections) point to docs.ansible.com.
"""

import os
import posixpath
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/latest/"
ANSIBLE_LABELS = {
    "common_return_values": "reference_appendices/common_return_values.html",
    "ansible_configuration_settings": "reference_appendices/config.html",
}
# ansible_collections.<namespace>.<name>.<plugin>_<type>, the label of a plugin's page.
PLUGIN_LABEL = re.compile(r"^ansible_collections\.(\w+)\.(\w+)\.(\w+)_(\w+)$")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)\s]*)?\)")
REFERENCE_INDEX = "reference/index"


def add_home_toctree(app, docname, source):
    if docname != app.config.root_doc:
        return
    guides = []
    for target in MARKDOWN_LINK.findall(source[0]):
        name = posixpath.normpath(target)[: -len(".md")]
        if not name.startswith("..") and name not in guides:
            guides.append(name)
    toctree = "\n\n```{toctree}\n:hidden:\n:caption: %s\n\n%s\n```\n"
    source[0] += toctree % ("Guides", "\n".join(guides)) + toctree % ("Reference", REFERENCE_INDEX)


class RepositoryLinks(SphinxTransform):
    """Relative links of the Markdown guides that leave docs/ become links to the repository's web view."""

    default_priority = 400

    def apply(self, **kwargs):
        repo_dir = self.config.docsite_repository_dir
        docs_dir = os.path.join(repo_dir, "docs", os.path.dirname(self.env.docname))
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "myst" or node.get("refdomain"):
                continue
            target = node["reftarget"].split("#", 1)[0]
            path = os.path.normpath(os.path.join(docs_dir, target))
            inside = os.path.relpath(path, repo_dir)
            if inside.startswith("..") or inside.split(os.sep)[0] == "docs" or not os.path.exists(path):
                continue
            link = nodes.reference("", "", internal=False, refuri=self.config.docsite_repository_url + inside)
            link += node.children
            node.replace_self(link)


def ansible_reference(app, env, node, contnode):
    """Resolves what intersphinx to Ansible's documentation would, for the references the generated pages make."""
    target = node.get("reftarget", "")
    page = None
    if node.get("reftype") == "ref":
        page = ANSIBLE_LABELS.get(target)
        match = PLUGIN_LABEL.match(target)
        if match and "%s.%s" % match.group(1, 2) != app.config.project:
            page = "collections/%s/%s/%s_%s.html" % match.groups()
    elif node.get("reftype") == "envvar" and target.startswith("ANSIBLE_"):
        page = "reference_appendices/config.html#envvar-%s" % target
    if page is None:
        return None
    link = nodes.reference("", "", internal=False, refuri=ANSIBLE_DOCS + page)
    link += contnode
    return link


def setup(app):
    app.add_config_value("docsite_repository_url", "", "env")
    app.add_config_value("docsite_repository_dir", "", "env")
    app.connect("source-read", add_home_toctree)
    app.add_transform(RepositoryLinks)
    app.connect("missing-reference", ansible_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
