# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection options shared by every module: their argument spec, their checks, and the client they make.

The matching documentation is the ``hwcloud.modelarts.connection`` doc fragment.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.hwcloud.modelarts.plugins.module_utils._auth import AkSkAuth, TokenAuth
from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsClient

DEFAULT_CLOUD = "myhuaweicloud.com"

# option -> environment variable read when the option is not set
ENV_VARS = {
    "region": "HW_REGION_NAME",
    "project_id": "HW_PROJECT_ID",
    "access_key": "HW_ACCESS_KEY",
    "secret_key": "HW_SECRET_KEY",
    "security_token": "HW_SECURITY_TOKEN",
    "auth_token": "HW_AUTH_TOKEN",
    "cloud": "HW_CLOUD",
    "endpoint": "HW_MODELARTS_ENDPOINT",
}


def _from_env(option, **spec):
    spec["fallback"] = (env_fallback, [ENV_VARS[option]])
    return spec


CONNECTION_ARGUMENT_SPEC = {
    "region": _from_env("region", type="str"),
    "project_id": _from_env("project_id", type="str"),
    "access_key": _from_env("access_key", type="str", no_log=False),
    "secret_key": _from_env("secret_key", type="str", no_log=True),
    "security_token": _from_env("security_token", type="str", no_log=True),
    "auth_token": _from_env("auth_token", type="str", no_log=True),
    "cloud": _from_env("cloud", type="str", default=DEFAULT_CLOUD),
    "endpoint": _from_env("endpoint", type="str"),
    "validate_certs": {"type": "bool", "default": True},
    "ca_path": {"type": "path"},
    "timeout": {"type": "float", "default": 30.0},
    "max_retries": {"type": "int", "default": 5},
}


class ConnectionOptionError(ModuleError, ValueError):
    """A connection option is missing or wrong; raised before any request."""


def _named(option):
    return "%s (or %s)" % (option, ENV_VARS[option]) if option in ENV_VARS else option


def endpoint_url(params):
    """The base URL: ``endpoint`` when given, else ``https://modelarts.{region}.{cloud}``."""
    if params.get("endpoint"):
        parts = urlsplit(params["endpoint"])
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ConnectionOptionError(
                "%s must be an http:// or https:// base URL without query, got %r"
                % (_named("endpoint"), params["endpoint"])
            )
        return params["endpoint"].rstrip("/")
    if not params.get("region"):
        raise ConnectionOptionError("%s is required unless %s is given" % (_named("region"), _named("endpoint")))
    return "https://modelarts.%s.%s" % (params["region"], params.get("cloud") or DEFAULT_CLOUD)


def select_auth(params):
    """Exactly one way to authenticate: AK + SK (with an optional security token), or an IAM token."""
    ak, sk, token, iam = (params.get(name) for name in ("access_key", "secret_key", "security_token", "auth_token"))
    both_keys = "%s and %s" % (_named("access_key"), _named("secret_key"))
    if iam and (ak or sk or token):
        given = ", ".join(_named(name) for name in ("access_key", "secret_key", "security_token") if params.get(name))
        raise ConnectionOptionError(
            "choose one way to authenticate: %s is set together with %s; use either %s, or %s alone"
            % (_named("auth_token"), given, both_keys, _named("auth_token"))
        )
    if iam:
        return TokenAuth(iam)
    if ak and sk:
        return AkSkAuth(ak, sk, token)
    if ak or sk or token:
        missing = [name for name in ("access_key", "secret_key") if not params.get(name)]
        raise ConnectionOptionError(
            "AK/SK authentication needs both %s: %s is missing"
            % (both_keys, " and ".join(_named(name) for name in missing))
        )
    raise ConnectionOptionError(
        "no credentials: set %s (optionally with %s), or %s"
        % (both_keys, _named("security_token"), _named("auth_token"))
    )


def check_timeout_and_retries(params):
    if params.get("timeout") is not None and params["timeout"] <= 0:
        raise ConnectionOptionError("timeout must be a number of seconds greater than 0, got %s" % params["timeout"])
    if params.get("max_retries") is not None and params["max_retries"] < 0:
        raise ConnectionOptionError("max_retries must be 0 or more, got %s" % params["max_retries"])


def client_from_params(params):
    """Check the connection options and build the client; raise ConnectionOptionError before any request."""
    if not params.get("project_id"):
        raise ConnectionOptionError("%s is required" % _named("project_id"))
    check_timeout_and_retries(params)
    endpoint = endpoint_url(params)
    auth = select_auth(params)
    return ModelArtsClient(
        endpoint,
        params["project_id"],
        auth,
        validate_certs=params["validate_certs"],
        ca_path=params.get("ca_path"),
        timeout=params["timeout"],
        max_retries=params["max_retries"],
    )
