# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules of storage mounts (OBS buckets, parallel file systems, SFS Turbo) declared with a notebook: validate
the requested mounts, compare them with the notebook's storage list, and plan the attaches and detaches.

Pure functions on dicts, no I/O, so every rule is unit-tested directly. A mount is identified by its
``mount_path``; paths and URIs compare with or without a trailing slash, and OBS compares equal to OBSFS
(the service reports OBSFS for a parallel file system asked as OBS).
"""

from __future__ import annotations

import re
from collections import namedtuple

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import RuleError

CATEGORIES = ("OBS", "OBSFS", "EFS")
MOUNT_ROOT = "/data/"
PATH_MAX = URI_MAX = 256
MOUNTS_MAX = 10
# obs://bucket/path/: a bucket name is 3 to 63 lowercase letters, digits, '-' and '.'.
OBS_URI = re.compile(r"obs://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?\Z")

# Mount statuses: in progress, settled, failed.
MOUNTING, MOUNTED, MOUNT_FAILED = "MOUNTING", "MOUNTED", "MOUNT_FAILED"
UNMOUNTING, UNMOUNTED, UNMOUNT_FAILED = "UNMOUNTING", "UNMOUNTED", "UNMOUNT_FAILED"
# A mount in one of these is on its way out (or out): its path is free once it has gone.
LEAVING = frozenset((UNMOUNTING, UNMOUNTED))
# Made at creation: cannot be detached.
STATIC = "STATIC"

# One write of a plan: ``action`` "attach" or "detach"; ``mount`` the requested mount (attach) or the live one (detach).
Step = namedtuple("Step", "action mount")


def path_key(path):
    """A mount path as compared: without a trailing slash."""
    return (path or "").rstrip("/") or "/"


def _uri_key(uri):
    return (uri or "").rstrip("/")


def _category_key(category):
    return "OBS" if category in ("OBS", "OBSFS") else category


def validate(mounts):
    """Check every requested mount; raise RuleError naming each option and its rule."""
    problems = []
    if len(mounts) > MOUNTS_MAX:
        problems.append("mounts takes at most %d mounts (got %d)" % (MOUNTS_MAX, len(mounts)))
    seen = {}
    for index, mount in enumerate(mounts):
        where = "mounts[%d]" % index
        path, uri, category = mount.get("mount_path") or "", mount.get("uri") or "", mount.get("category") or "OBS"
        if not path.startswith(MOUNT_ROOT) or path_key(path) == path_key(MOUNT_ROOT):
            problems.append("%s.mount_path must be an absolute path under %s (got %r)" % (where, MOUNT_ROOT, path))
        if len(path) > PATH_MAX:
            problems.append("%s.mount_path must be at most %d characters (got %d)" % (where, PATH_MAX, len(path)))
        if path_key(path) in seen:
            problems.append(
                "%s.mount_path %s is also mounts[%d].mount_path: give each path once"
                % (where, path, seen[path_key(path)])
            )
        seen.setdefault(path_key(path), index)
        if not uri:
            problems.append("%s.uri must not be empty" % where)
        elif len(uri) > URI_MAX:
            problems.append("%s.uri must be at most %d characters (got %d)" % (where, URI_MAX, len(uri)))
        elif category in ("OBS", "OBSFS") and not OBS_URI.match(uri):
            problems.append(
                "%s.uri of an %s mount must look like obs://bucket/path/ (a bucket of 3 to 63 lowercase letters, "
                "digits, '-' and '.', got %r)" % (where, category, uri)
            )
        if category == "EFS" and not mount.get("efs_id"):
            problems.append("%s.efs_id is required with category EFS (the SFS Turbo file system's ID)" % where)
        if category != "EFS" and mount.get("efs_id"):
            problems.append("%s.efs_id is only for category EFS (got category %s)" % (where, category))
    if problems:
        raise RuleError("; ".join(problems))


def view(mount):
    """A mount as compared and shown in a diff: ``{mount_path, uri, category}``."""
    return {"mount_path": mount.get("mount_path"), "uri": mount.get("uri"), "category": mount.get("category")}


def _same_target(live, wanted):
    return _uri_key(live.get("uri")) == _uri_key(wanted.get("uri")) and _category_key(
        live.get("category")
    ) == _category_key(wanted.get("category") or "OBS")


def present(storage):
    """The live mounts that hold their path: every one but those leaving (unmounting or unmounted)."""
    return [mount for mount in storage if mount.get("status") not in LEAVING]


def plan(storage, wanted, purge):
    """The steps that bring the notebook's ``storage`` list to ``wanted``, in order.

    Purged mounts are detached first (freeing their place among the ten), then each requested mount in turn:
    missing, attach; on another URI or category, or failed, detach then attach; in place, nothing. A STATIC
    mount (made at creation) is never detached: one on a requested path with another URI is refused.
    """
    live = {path_key(mount.get("mount_path")): mount for mount in present(storage)}
    requested = {path_key(mount["mount_path"]) for mount in wanted}
    steps = []
    if purge:
        for key, mount in sorted(live.items()):
            if key not in requested and mount.get("mount_type") != STATIC:
                steps.append(Step("detach", mount))
    refused = []
    for mount in wanted:
        current = live.get(path_key(mount["mount_path"]))
        if current is None:
            steps.append(Step("attach", mount))
            continue
        fine = _same_target(current, mount) and current.get("status") != MOUNT_FAILED
        if current.get("mount_type") == STATIC:
            if not _same_target(current, mount):
                refused.append(
                    "%s is a mount made at the notebook's creation (%s), which cannot be detached"
                    % (mount["mount_path"], current.get("uri"))
                )
            continue
        if not fine:
            steps.extend((Step("detach", current), Step("attach", mount)))
    if refused:
        raise RuleError("mounts: " + "; ".join(refused))
    return steps


def after(storage, wanted, purge):
    """The storage list (as views) once ``plan`` is carried out, for the diff."""
    kept = {
        path_key(mount.get("mount_path")): view(mount)
        for mount in present(storage)
        if not purge or mount.get("mount_type") == STATIC
    }
    live = {path_key(mount.get("mount_path")): mount for mount in present(storage)}
    for mount in wanted:
        current = live.get(path_key(mount["mount_path"]))
        in_place = current is not None and _same_target(current, mount) and current.get("status") != MOUNT_FAILED
        kept[path_key(mount["mount_path"])] = view(current) if in_place else view(mount)
    return sorted(kept.values(), key=lambda entry: path_key(entry["mount_path"]))


def before(storage):
    """The storage list as views, for the diff."""
    return sorted((view(mount) for mount in present(storage)), key=lambda entry: path_key(entry["mount_path"]))


def attach_body(mount):
    """The attach call's body (DataVolumesReq)."""
    body = {"category": mount.get("category") or "OBS", "mount_path": mount["mount_path"], "uri": mount["uri"]}
    if mount.get("efs_id"):
        body["efs_id"] = mount["efs_id"]
    return body


def holds(mount, wanted):
    """Whether a live mount is the requested one, attached or on its way (a lost attach that was applied)."""
    return (
        mount is not None
        and path_key(mount.get("mount_path")) == path_key(wanted["mount_path"])
        and mount.get("status") not in LEAVING
        and _same_target(mount, wanted)
    )


def find(storage, mount_path):
    """The live mount on ``mount_path`` that holds it, or None."""
    return next(
        (mount for mount in present(storage) if path_key(mount.get("mount_path")) == path_key(mount_path)), None
    )
