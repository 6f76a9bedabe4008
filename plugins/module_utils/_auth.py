# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The two ways to authenticate a request: AK/SK signing, or an IAM token."""

from __future__ import annotations

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _signer


class AkSkAuth:
    """Signs each request with an access key and secret key (and a temporary security token)."""

    name = "AK/SK"

    def __init__(self, access_key, secret_key, security_token=None):
        self.access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token

    def headers(self, method, host, path, params, headers, body):
        headers = dict(headers)
        if self._security_token:
            # Temporary credentials: the gateway wants the token sent and signed.
            headers["X-Security-Token"] = self._security_token
        return _signer.sign(method, host, path, params, headers, body, self.access_key, self._secret_key)


class TokenAuth:
    """Sends an IAM token, which the gateway checks instead of a signature."""

    name = "IAM token"

    def __init__(self, token):
        self._token = token

    def headers(self, method, host, path, params, headers, body):
        headers = dict(headers)
        headers["X-Auth-Token"] = self._token
        return headers
