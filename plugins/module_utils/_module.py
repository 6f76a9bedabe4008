# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of every module: connection options, a client, results prepared in one place, clean failures.

It knows nothing about notebooks: each module makes the API object it needs from ``connect()``.
"""

from __future__ import annotations

from typing import NoReturn

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.hwcloud.modelarts.plugins.module_utils._connection import (
    CONNECTION_ARGUMENT_SPEC,
    client_from_params,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._decision import Decision
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import HAS_REQUESTS, ModelArtsClient


class ModelArtsModule:
    """Subclasses set ``argument_spec`` (their own options) and optional ``module_kwargs``, and write ``run()``.

    ``run()`` fills ``self.result``; ``prepare_result()`` is the one place that shapes it, for success and
    failure alike. Every failure, expected or not, becomes ``fail_json`` with a message, never a traceback.
    A module that writes decides through ``self.decision`` (``decide()``, then ``did()`` for each write), which
    gives ``changed``, ``actions`` and ``diff`` the same in check mode and in a real run.
    """

    argument_spec: dict = {}
    module_kwargs: dict = {}
    # A module whose RETURN says ``actions`` is always returned: its result holds them also when it fails
    # before deciding (none, then).
    reports_actions: bool = False

    def __init__(self):
        spec = dict(CONNECTION_ARGUMENT_SPEC)
        spec.update(self.argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **self.module_kwargs)
        self.params = self.module.params
        self.result = {"changed": False}
        self.decision = self.new_decision()

    def new_decision(self) -> Decision:
        """A decision in this task's check and diff modes (one per resource a module brings to shape)."""
        # AnsibleModule has no public name for diff mode; it is read here and nowhere else.
        return Decision(self.module.check_mode, self.module._diff)

    def connect(self) -> ModelArtsClient:
        """The client the connection options describe; bad options fail here, before any request."""
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"))
        client = client_from_params(self.params)
        if not self.params["validate_certs"] and not self.params.get("ca_path"):
            self.module.warn("validate_certs is false: the certificate of %s is not verified" % client.endpoint)
        return client

    def mask(self, *secrets):
        """Mask these values in every output of the task from now on (warnings, messages, results)."""
        for secret in secrets:
            if secret:
                self.module.no_log_values.add(secret)

    def prepare_result(self) -> dict:
        """The result as the user sees it; subclasses add what they hold (never a secret)."""
        result = dict(self.result)
        if self.decision.planned is not None or self.reports_actions:
            result.update(self.decision.result())
        return result

    def fail(self, msg, **extra) -> NoReturn:
        result = self.prepare_result()
        result.update(extra)
        self.module.fail_json(msg=msg, **result)

    def run(self) -> None:
        raise NotImplementedError

    @classmethod
    def main(cls) -> None:
        self = cls()
        try:
            self.run()
        except ModuleError as error:
            self.mask(*error.secrets)
            self.fail(error.message, **error.result)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A bug must still end as a clear failure, never as a traceback that could carry request data.
            self.fail("Unexpected %s: %s" % (type(error).__name__, error))
        self.module.exit_json(**self.prepare_result())
