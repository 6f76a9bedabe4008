# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one error type a module reports as it is: bad input, a failed call, a wait that ended badly."""

from __future__ import annotations


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
