# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules of a workspace, pure: what the input may hold, how a workspace compares with it, the request bodies."""

from __future__ import annotations

import re
from collections import namedtuple

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import RuleError

NAME_PATTERN = re.compile("[A-Za-z0-9_\\-\u4e00-\u9fa5]{4,64}\\Z")
# The default workspace: every project has it, and it is never renamed or deleted.
DEFAULT_ID = "0"
DEFAULT_NAME = "default"
DESCRIPTION_MAX = 256
GRANTS_MAX = 500
AUTH_TYPES = ("PUBLIC", "PRIVATE", "INTERNAL")
# What the service assumes when a workspace or a grant does not say.
DEFAULT_AUTH_TYPE = "PUBLIC"
USER_TYPES = ("IAM", "FEDERATE", "AGENCY")
DEFAULT_USER_TYPE = "IAM"
DEFAULT_ENTERPRISE_PROJECT = "0"
# Statuses: NORMAL is the only one a workspace can be changed in; the delete ends with the workspace gone.
STATUSES = ("NORMAL", "CREATE_FAILED", "DELETING", "DELETE_FAILED")
FAILED = frozenset(("CREATE_FAILED", "DELETE_FAILED"))
# The fields an update can change, in the order they are compared, reported and sent.
FIELDS = ("name", "description", "auth_type", "grants")

Comparison = namedtuple("Comparison", "changed before after")


def _check_name(name, workspace_id):
    if name == DEFAULT_NAME and workspace_id != DEFAULT_ID:
        return "name %r is reserved for the default workspace (id %r), which is never created or deleted" % (
            name,
            DEFAULT_ID,
        )
    if workspace_id == DEFAULT_ID and name != DEFAULT_NAME:
        return "the default workspace (id %r) cannot be renamed (got name %r)" % (DEFAULT_ID, name)
    if name != DEFAULT_NAME and not NAME_PATTERN.match(name):
        return "name must be 4 to 64 characters, each a letter, digit, '-', '_' or Chinese character (got %r)" % name
    return None


def _check_grants(grants, auth_type):
    problems = []
    if len(grants) > GRANTS_MAX:
        problems.append("grants must hold at most %d users (got %d)" % (GRANTS_MAX, len(grants)))
    for index, grant in enumerate(grants):
        if not grant.get("user_id") and not grant.get("user_name"):
            problems.append("grants[%d] must give user_id or user_name" % index)
    if grants and auth_type is not None and auth_type.upper() != "INTERNAL":
        problems.append("grants apply only with auth_type INTERNAL (got auth_type %s)" % auth_type)
    return problems


def validate(params):
    """Check the input against the service's rules before any request; raise RuleError naming each broken one."""
    problems = []
    workspace_id = params.get("id")
    if workspace_id == DEFAULT_ID and params.get("state") == "absent":
        problems.append("the default workspace (id %r) cannot be deleted" % DEFAULT_ID)
    if params.get("name") is not None:
        problems.append(_check_name(params["name"], workspace_id))
    description = params.get("description")
    if description is not None and len(description) > DESCRIPTION_MAX:
        problems.append("description must be at most %d characters (got %d)" % (DESCRIPTION_MAX, len(description)))
    if params.get("grants") is not None:
        problems.extend(_check_grants(params["grants"], params.get("auth_type")))
    if params.get("wait_timeout") is not None and params["wait_timeout"] < 0:
        problems.append("wait_timeout must be 0 or more seconds, got %d" % params["wait_timeout"])
    problems = [problem for problem in problems if problem]
    if problems:
        raise RuleError("; ".join(problems))


# ---- grants ------------------------------------------------------------------------------------------------
def _user_type(grant):
    return (grant.get("user_type") or DEFAULT_USER_TYPE).upper()


def grant_key(grant):
    """What identifies a requested grant: its user_id when given, else its user_name (with the user type)."""
    if grant.get("user_id"):
        return (_user_type(grant), "user_id", grant["user_id"])
    return (_user_type(grant), "user_name", grant.get("user_name"))


def _answers_to(grant):
    """The keys a granted user of a workspace answers to: its id and its name (the service reports both)."""
    return {(_user_type(grant), key, grant[key]) for key in ("user_id", "user_name") if grant.get(key)}


def grants_equal(live, wanted):
    """Whether the live grants are the wanted ones, as sets: each wanted user is granted (by user_id, else by
    user_name) and no other user is."""
    wanted_keys = {grant_key(grant) for grant in wanted}
    live_keys = [_answers_to(grant) for grant in live]
    every_wanted_granted = all(any(key in keys for keys in live_keys) for key in wanted_keys)
    no_other_granted = all(keys & wanted_keys for keys in live_keys)
    return every_wanted_granted and no_other_granted


def grants_body(grants):
    """The grants as the API takes them: each once, with the fields given (user_type always)."""
    body, seen = [], set()
    for grant in grants:
        key = grant_key(grant)
        if key in seen:
            continue
        seen.add(key)
        item = {field: grant[field] for field in ("user_id", "user_name") if grant.get(field)}
        item["user_type"] = _user_type(grant)
        body.append(item)
    return body


def _grants_view(grants):
    """Grants for --diff: sorted, with only the fields that identify each user."""
    return sorted(
        (grants_body(grants) if grants else []),
        key=lambda grant: (grant.get("user_id") or "", grant.get("user_name") or "", grant["user_type"]),
    )


# ---- comparing and bodies -----------------------------------------------------------------------------------
def live_value(workspace, field):
    """A field of the live workspace in the form the input uses (auth_type upper case, grants as a list)."""
    if field == "auth_type":
        return (workspace.get("auth_type") or DEFAULT_AUTH_TYPE).upper()
    if field == "grants":
        return list(workspace.get("grants") or [])
    if field == "description":
        return workspace.get("description") or ""
    return workspace.get(field)


def _differs(workspace, params, field):
    wanted = params.get(field)
    if wanted is None:
        return False
    live = live_value(workspace, field)
    if field == "auth_type":
        return live != wanted.upper()
    if field == "grants":
        return not grants_equal(live, wanted)
    return live != wanted


def compare(workspace, params):
    """The given fields that differ from ``workspace``, with their before and after values for --diff."""
    changed = [field for field in FIELDS if _differs(workspace, params, field)]
    before, after = {}, {}
    for field in changed:
        if field == "grants":
            before[field], after[field] = _grants_view(live_value(workspace, field)), _grants_view(params[field])
        elif field == "auth_type":
            before[field], after[field] = live_value(workspace, field), params[field].upper()
        else:
            before[field], after[field] = live_value(workspace, field), params[field]
    return Comparison(changed, before, after)


def check_create_only(workspace, params):
    """``enterprise_project_id`` is set at creation only: where given, it must be the workspace's."""
    wanted = params.get("enterprise_project_id")
    live = workspace.get("enterprise_project_id") or DEFAULT_ENTERPRISE_PROJECT
    if wanted is not None and wanted != live:
        raise RuleError(
            "enterprise_project_id cannot be changed after creation: workspace %s has %r, enterprise_project_id "
            "asks for %r" % (workspace.get("id"), live, wanted)
        )


def check_grants_apply(workspace, params):
    """Grants apply only to an INTERNAL workspace: the auth_type asked for, else the workspace's (PUBLIC when
    it is still to be created)."""
    if not params.get("grants"):
        return
    auth_type = (params.get("auth_type") or live_value(workspace or {}, "auth_type")).upper()
    if auth_type != "INTERNAL":
        where = "workspace %s is %s" % (workspace.get("id"), auth_type) if workspace else "a new one is PUBLIC"
        raise RuleError("grants apply only with auth_type INTERNAL: %s; give auth_type INTERNAL" % where)


def update_body(params, fields):
    """The PUT body: only ``fields``, as requested (auth_type upper case, grants each once)."""
    body = {}
    for field in fields:
        if field == "grants":
            body[field] = grants_body(params[field])
        elif field == "auth_type":
            body[field] = params[field].upper()
        else:
            body[field] = params[field]
    return body


def create_body(params):
    """The POST body: the name and whatever else was given."""
    body = update_body(params, [field for field in FIELDS if params.get(field) is not None])
    if params.get("enterprise_project_id") is not None:
        body["enterprise_project_id"] = params["enterprise_project_id"]
    return body


def requested(params):
    """Every requested field, for the ``after`` of a create's --diff."""
    after = create_body(params)
    if "grants" in after:
        after["grants"] = _grants_view(params["grants"])
    return after
