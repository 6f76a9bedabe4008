# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of every module: connection options, the API, results prepared in one place, clean failures."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.hwcloud.modelarts.plugins.module_utils._connection import (
    CONNECTION_ARGUMENT_SPEC,
    ConnectionOptionError,
    client_from_params,
)
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import HAS_REQUESTS, ModelArtsError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_api import NotebookAPI, WaitError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._notebook_rules import RuleError, without_token


class ModelArtsModule:
    """Subclasses set ``argument_spec`` (their own options), optional ``module_kwargs``, and write ``run()``.

    ``run()`` fills ``self.result``; every failure, expected or not, becomes ``fail_json`` with a message
    and never a traceback.
    """

    argument_spec = {}
    module_kwargs = {}

    def __init__(self):
        spec = dict(CONNECTION_ARGUMENT_SPEC)
        spec.update(self.argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **self.module_kwargs)
        self.params = self.module.params
        self.result = {"changed": False}
        self.api = None

    def connect(self):
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"))
        client = client_from_params(self.params)
        if not self.params["validate_certs"] and not self.params.get("ca_path"):
            self.module.warn("validate_certs is false: the certificate of %s is not verified" % client.endpoint)
        self.api = NotebookAPI(client)
        return self.api

    def public(self, instance):
        """The instance for results: its token is removed here and masked everywhere else from now on."""
        if isinstance(instance, dict) and instance.get("token"):
            self.module.no_log_values.add(instance["token"])
        return without_token(instance)

    def fail(self, msg, **extra):
        result = dict(self.result)
        result.update(extra)
        self.module.fail_json(msg=msg, **result)

    def run(self):
        raise NotImplementedError

    @classmethod
    def main(cls):
        self = cls()
        try:
            self.run()
        except (ConnectionOptionError, RuleError) as error:
            self.fail(str(error))
        except ModelArtsError as error:
            self.fail(error.message, error=error.as_dict())
        except WaitError as error:
            self.fail(str(error), notebook=self.public(error.instance))
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A bug must still end as a clear failure, never as a traceback that could carry request data.
            self.fail("Unexpected %s: %s" % (type(error).__name__, error))
        self.module.exit_json(**self.result)
