# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Custom images: the input rules, the identity of an image, the request bodies and the plan. Pure functions.

An image is immutable: it is made once (saved from a notebook or registered from SWR), then used or deleted,
never rewritten. Its identity is its SWR ``namespace``, ``name`` and ``tag`` (or its ``swr_path``, or its id).
"""

from __future__ import annotations

import re
from collections import namedtuple

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import RuleError

# Statuses (ImageResponse): INIT and CREATING lead to ACTIVE, or to CREATE_FAILED or ERROR (with status_message).
# DELETED is the answer of a delete, and what the image shows until it is gone.
READY = "ACTIVE"
FAILED = frozenset(("CREATE_FAILED", "ERROR"))
DELETED = "DELETED"
# A notebook is saved only while RUNNING; it is SNAPSHOTTING while the image is saved, then RUNNING again.
SAVABLE = "RUNNING"
SNAPSHOTTING = "SNAPSHOTTING"

# The name rules of ImageCreateReq (the save call); SWR applies the same to a registered image's path.
NAME_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?")
NAMESPACE_PATTERN = re.compile(r"[a-z][A-Za-z0-9._-]{0,63}")
TAG_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
DESCRIPTION_MAX = 512
# ImageRegRequest: swr_path is 16 to 2048 characters, [registry[:port]]/namespace/name:tag.
SWR_PATH_MIN, SWR_PATH_MAX = 16, 2048

# The options that describe a registered image, and the body fields they are sent as.
REGISTER_FIELDS = {
    "arch": "arch",
    "resource_categories": "resource_category",
    "services": "services",
    "service_type": "service_type",
    "visibility": "visibility",
}
DEFAULT_ARCH = "X86_64"

# ``swr_path`` when the image was given by its path (for messages and the lookup), else None.
Identity = namedtuple("Identity", "namespace name tag swr_path")
SwrPath = namedtuple("SwrPath", "registry namespace name tag")
# ``actions``: the writes (save, register or delete); ``wait_first``: what to wait for before them (or instead of
# them): ``ready`` (an image being made, to use it) or ``settled`` (an image being made, to delete it).
Plan = namedtuple("Plan", "actions wait_first")
# The request cannot be carried out; ``message`` says why and what to do.
Refusal = namedtuple("Refusal", "message")


def parse_swr_path(path):
    """The parts of ``registry/namespace/name:tag`` (the name may hold further ``/``), or None for another shape."""
    if not path or any(char.isspace() for char in path):
        return None
    parts = path.split("/")
    if len(parts) < 3 or not all(parts) or ":" not in parts[-1]:
        return None
    last, tag = parts[-1].rsplit(":", 1)
    if not last or not tag:
        return None
    return SwrPath(parts[0], parts[1], "/".join(parts[2:-1] + [last]), tag)


def _name_problems(where, value):
    if value is None:
        return []
    problems = []
    if not NAME_PATTERN.fullmatch(value):
        problems.append(
            "%s must be 1 to 128 lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or "
            "digit (got %r)" % (where, value)
        )
    return problems


def _namespace_problems(where, value):
    if value is None or NAMESPACE_PATTERN.fullmatch(value):
        return []
    return [
        "%s must be 1 to 64 letters, digits, '-', '_' or '.', starting with a lowercase letter (got %r)"
        % (where, value)
    ]


def _tag_problems(where, value):
    if value is None or TAG_PATTERN.fullmatch(value):
        return []
    return ["%s must be 1 to 64 letters, digits, '-', '_' or '.' (got %r)" % (where, value)]


def _swr_path_problems(path):
    if path is None:
        return []
    parsed = parse_swr_path(path)
    if not SWR_PATH_MIN <= len(path) <= SWR_PATH_MAX or parsed is None:
        return [
            "swr_path must be registry/namespace/name:tag, %d to %d characters without spaces (got %r)"
            % (SWR_PATH_MIN, SWR_PATH_MAX, path)
        ]
    problems = _namespace_problems("the namespace of swr_path", parsed.namespace)
    for segment in parsed.name.split("/"):
        problems += _name_problems("the name of swr_path", segment)
    return problems + _tag_problems("the tag of swr_path", parsed.tag)


def validate(params):
    """Every input rule, before any request; one RuleError naming each option that breaks one."""
    problems = _name_problems("name", params.get("name"))
    problems += _namespace_problems("namespace", params.get("namespace"))
    problems += _tag_problems("tag", params.get("tag"))
    problems += _swr_path_problems(params.get("swr_path"))
    description = params.get("description")
    if description is not None and len(description) > DESCRIPTION_MAX:
        problems.append("description must be at most %d characters (got %d)" % (DESCRIPTION_MAX, len(description)))
    if params.get("wait_timeout", 0) < 0:
        problems.append("wait_timeout must be 0 or more seconds (got %d)" % params["wait_timeout"])
    if params.get("state") != "absent" and params.get("notebook"):
        misplaced = sorted(option for option in REGISTER_FIELDS if params.get(option) is not None)
        if misplaced:
            problems.append(
                "%s describe%s a registered image (swr_path); a saved image takes them from the notebook"
                % (", ".join(misplaced), "s" if len(misplaced) == 1 else "")
            )
    if problems:
        raise RuleError("; ".join(problems))


def identity(params):
    """The identity the options give (from ``swr_path``, or ``namespace``, ``name`` and ``tag``), or None (``id``)."""
    if params.get("swr_path"):
        parsed = parse_swr_path(params["swr_path"])
        return Identity(parsed.namespace, parsed.name, parsed.tag, params["swr_path"])
    if params.get("name"):
        return Identity(params["namespace"], params["name"], params["tag"], None)
    return None


def label(ident):
    """``namespace/name:tag``, or the SWR path, for messages."""
    return ident.swr_path or "%s/%s:%s" % (ident.namespace, ident.name, ident.tag)


def matches(image, ident):
    """Whether ``image`` has this identity: the same SWR path, or the same namespace, name and tag."""
    if ident.swr_path and image.get("swr_path") == ident.swr_path:
        return True
    return (image.get("namespace"), image.get("name"), image.get("tag")) == (ident.namespace, ident.name, ident.tag)


def current(images):
    """Of the images with one identity, those that count: an image being deleted only when there is no other."""
    alive = [image for image in images if image.get("status") != DELETED]
    return alive or list(images)


def save_body(params):
    """The body of the save call (ImageCreateReq)."""
    body = {"name": params["name"], "namespace": params["namespace"], "tag": params["tag"]}
    for option in ("description", "workspace_id"):
        if params.get(option) is not None:
            body[option] = params[option]
    return body


def register_body(params):
    """The body of the register call (ImageRegRequest: the categories are its singular ``resource_category``)."""
    body = {"swr_path": params["swr_path"], "arch": params.get("arch") or DEFAULT_ARCH}
    for option, field in REGISTER_FIELDS.items():
        if params.get(option) is not None:
            body[field] = params[option]
    for option in ("description", "workspace_id"):
        if params.get(option) is not None:
            body[option] = params[option]
    return body


def requested(params, ident):
    """What a save or register asks for, as the image will show it (the ``after`` of --diff)."""
    wanted = {"namespace": ident.namespace, "name": ident.name, "tag": ident.tag}
    if params.get("swr_path"):
        wanted["swr_path"] = params["swr_path"]
        wanted["arch"] = params.get("arch") or DEFAULT_ARCH
        for option in ("resource_categories", "services", "service_type", "visibility"):
            if params.get(option) is not None:
                # The image reports its services as dev_services.
                wanted["dev_services" if option == "services" else option] = params[option]
    for option in ("description", "workspace_id"):
        if params.get(option) is not None:
            wanted[option] = params[option]
    return wanted


def summary(image):
    """What identifies an image, for the ``before`` of a delete's --diff."""
    return {key: image.get(key) for key in ("id", "namespace", "name", "tag", "swr_path", "status")}


def unsavable(notebook):
    """Why ``notebook`` cannot be saved now (None when it can), before any write."""
    status = notebook.get("status")
    if status == SAVABLE:
        return None
    return (
        "notebook instance %s (%s) is %s: only a RUNNING notebook can be saved as an image; start it "
        "(hwcloud.modelarts.notebook_instance with state=running) and run the task again"
        % (notebook.get("id"), notebook.get("name"), status)
    )


def plan(state, image, source, wait, what):
    """What to do about ``image`` (None: no image has the identity; ``what`` names it in messages).

    ``source`` is how a missing image is made: ``notebook`` (save), ``swr_path`` (register) or None (it cannot be).
    """
    status = None if image is None else image.get("status")
    if state == "absent":
        if image is None or status == DELETED:
            return Plan((), None)
        if status in FAILED or status == READY or not wait:
            return Plan(("delete",), None)
        return Plan(("delete",), "settled")
    if status in FAILED:
        return Refusal(
            "image %s (%s) is %s%s: an image is never saved or registered again; remove it with state=absent, then "
            "run the task again" % (image.get("id"), what, status, _status_message(image))
        )
    if image is None or status == DELETED:
        # An image being deleted is gone for this module; the service may refuse its identity until it is.
        make = {"notebook": ("save",), "swr_path": ("register",)}.get(source)
        if make is None:
            return Refusal(
                "no image %s exists: give notebook to save one from a notebook, or swr_path to register one" % what
            )
        return Plan(make, None)
    if status == READY:
        return Plan((), None)
    # INIT, CREATING (or a status this module does not know): being made, by this task's earlier run or another.
    return Plan((), "ready" if wait else None)


def _status_message(image):
    message = image.get("status_message")
    return " (status_message: %s)" % message if message else ""
