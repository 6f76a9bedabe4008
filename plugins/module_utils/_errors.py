# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The error types every module shares, and the service's answers for something it does not know.

Every failure a module reports is a ModuleError: bad input (RuleError), nothing found (NotFound), a wait that
ended badly (WaitError), a failed call (ModelArtsError, in _http.py).
"""

from __future__ import annotations

# The service's "not found" answers, per kind of resource (HTTP 400 mostly, 404 on some paths). Huawei's
# Terraform provider also takes 6404 as "gone" after a delete, for notebooks, mounts and images alike.
NOTEBOOK_NOT_FOUND = frozenset(("ModelArts.6309", "ModelArts.6404"))
IMAGE_NOT_FOUND = frozenset(("ModelArts.6797", "ModelArts.6404"))
WORKSPACE_NOT_FOUND = frozenset(("ModelArts.7005",))
# After a detach ends, reading the mount answers one of these (6357: the notebook has no such mount any more).
MOUNT_NOT_FOUND = frozenset(("ModelArts.6309", "ModelArts.6404", "ModelArts.6357"))


class ModuleError(Exception):
    """A failure with a message for the user.

    ``result`` holds fields to add to the task's result (e.g. the API's ``error``, the last ``notebook``
    seen); ``secrets`` are values that must be masked in every output from then on.
    """

    def __init__(self, message, secrets=(), **result):
        super().__init__(message)
        self.result = result
        self.secrets = tuple(secret for secret in secrets if secret)

    @property
    def message(self):
        return str(self)


class RuleError(ModuleError, ValueError):
    """The request breaks a rule; the message names each option and its rule. Raised before any request."""


class NotFound(ModuleError):
    """Nothing has the id or exact name asked for."""


class WaitError(ModuleError):
    """A wait ended badly: a failed status, or the timeout (with the last status seen).

    ``resource`` is the object as last seen, reported under the result key its kind chooses.
    """

    def __init__(self, message, kind, resource):
        failure = kind.failure(message, resource)
        super().__init__(message, secrets=failure.secrets, **failure.result)
        self.resource = resource


def is_not_found(error, codes=NOTEBOOK_NOT_FOUND):
    """Whether a failed call (ModelArtsError) says the resource does not exist."""
    return getattr(error, "status", None) == 404 or getattr(error, "error_code", None) in codes
