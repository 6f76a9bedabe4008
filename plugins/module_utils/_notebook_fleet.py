# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Many notebook definitions applied side by side: each checked, then run as a NotebookTask in a thread of its own.

Threads, not processes: a definition spends its time waiting for the service (transitions of minutes), and one
process holds a fleet's worth of them for the cost of starting one module. A failure stays with its definition.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.hwcloud.modelarts.plugins.module_utils._decision import Decision
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_task import (
    ARGUMENT_SPEC,
    REQUIRED_ONE_OF,
    NotebookTask,
    check,
)


class Definition:
    """One item of the list: as given, its checked options (None when bad), its task, and how it failed."""

    def __init__(self, index, item):
        self.index = index
        self.item = item
        self.params = None
        self.task = None
        self.failure = None
        self.secrets = set()

    @property
    def label(self):
        """The id, else the name, else the position: how the summary names this definition."""
        for key in ("id", "name"):
            if isinstance(self.item, dict) and self.item.get(key) not in (None, ""):
                return str(self.item[key])
        return "notebooks[%d]" % self.index

    def fail(self, message, fields=None, secrets=()):
        self.failure = dict(fields or {}, failed=True, msg=message)
        self.secrets.update(secret for secret in secrets if secret)

    @property
    def all_secrets(self):
        return self.secrets.union(self.task.secrets if self.task is not None else ())

    def result(self):
        result = {"item": self.item, "changed": False}
        if self.task is not None:
            result.update(self.task.result())
        result.update(self.failure or {})
        return result


def _validation_messages(validation):
    messages = []
    for error in validation.errors:
        # The validator's own wording leaves out what an unsupported parameter's message is about.
        messages.append("unsupported option %s" % error.msg if isinstance(error, UnsupportedError) else error.msg)
    return messages


def _address(params):
    """What a definition addresses before any request: its id, else its name within its workspace."""
    if params.get("id"):
        return "id %s" % params["id"]
    if params.get("workspace_id"):
        return "name %s in workspace %s" % (params["name"], params["workspace_id"])
    return "name %s" % params["name"]


class Fleet:
    """``items`` checked at once (bad ones fail without a request), then run by ``run(concurrency)``.

    ``make_client()`` gives each definition its own client and ``make_decision()`` its own Decision (in the task's
    check and diff modes); ``warn(text)`` reports a warning, prefixed here with the definition's label.
    """

    def __init__(self, items, make_client, make_decision=Decision, warn=None):
        self.make_client = make_client
        self.make_decision = make_decision
        self.diff = make_decision().diff
        self.warn = warn or (lambda text: None)
        self.definitions = [Definition(index, item) for index, item in enumerate(items)]
        validator = ArgumentSpecValidator(ARGUMENT_SPEC, required_one_of=REQUIRED_ONE_OF)
        for definition in self.definitions:
            self._check(definition, validator)
        self._refuse_duplicates()

    @staticmethod
    def _check(definition, validator):
        validation = validator.validate(definition.item)
        if validation.error_messages:
            definition.fail("; ".join(_validation_messages(validation)))
            return
        try:
            check(validation.validated_parameters)
        except ModuleError as error:
            definition.fail(error.message, error.result, error.secrets)
            return
        definition.params = validation.validated_parameters

    def _refuse_duplicates(self):
        seen = {}
        for definition in self.definitions:
            if definition.params is not None:
                seen.setdefault(_address(definition.params), []).append(definition)
        for address, same in seen.items():
            if len(same) < 2:
                continue
            positions = " and ".join("notebooks[%d]" % definition.index for definition in same)
            for definition in same:
                definition.fail(
                    "%s address the same notebook instance (%s): give each instance once, since two changes of one "
                    "instance at once would race" % (positions, address)
                )
                definition.params = None

    def run(self, concurrency):
        ready = [definition for definition in self.definitions if definition.params is not None]
        if not ready:
            return
        with ThreadPoolExecutor(max_workers=min(concurrency, len(ready))) as pool:
            # list(): wait for every definition; _run_one never raises.
            list(pool.map(self._run_one, ready))

    def _run_one(self, definition):
        try:
            definition.task = NotebookTask(
                definition.params,
                self.make_client(),
                self.make_decision(),
                warn=lambda text: self.warn("%s: %s" % (definition.label, text)),
            )
            definition.task.run()
        except ModuleError as error:
            definition.fail(error.message, error.result, error.secrets)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A bug in one definition must still end as that definition's clear failure.
            definition.fail("Unexpected %s: %s" % (type(error).__name__, error))

    @property
    def failed(self):
        return [definition for definition in self.definitions if definition.failure is not None]

    @property
    def secrets(self):
        return set().union(*(definition.all_secrets for definition in self.definitions))

    def failure_message(self):
        failed = self.failed
        return "%d of %d notebook definitions failed: %s" % (
            len(failed),
            len(self.definitions),
            "; ".join("%s: %s" % (definition.label, definition.failure["msg"]) for definition in failed),
        )

    def result(self):
        """changed (any definition), results (one per definition, in order) and, in diff mode, the diffs."""
        results = [definition.result() for definition in self.definitions]
        result = {"changed": any(entry["changed"] for entry in results), "results": results}
        if self.diff:
            diffs = [
                dict(entry["diff"], before_header=definition.label, after_header=definition.label)
                for definition, entry in zip(self.definitions, results)
                if entry.get("changed") and entry.get("diff")
            ]
            if diffs:
                result["diff"] = diffs
        return result
