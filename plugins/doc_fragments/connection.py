# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection and authentication options shared by every module (module_utils/_connection.py).
    DOCUMENTATION = r"""
options:
  region:
    description:
      - The Huawei Cloud region, for example V(cn-north-4), V(cn-east-3) or V(ap-southeast-1).
      - The endpoint is then C(https://modelarts.{region}.{cloud}).
      - Required unless O(endpoint) is given.
      - If not set, the value of the E(HW_REGION_NAME) environment variable is used.
    type: str
  project_id:
    description:
      - The ID of the project that holds the notebook instances (see "My Credentials" in the console).
      - Required. If not set, the value of the E(HW_PROJECT_ID) environment variable is used.
    type: str
  access_key:
    description:
      - The access key ID (AK) for AK/SK authentication. It is not a secret; the secret key is.
      - Give it together with O(secret_key), or give O(auth_token) instead of both.
      - If not set, the value of the E(HW_ACCESS_KEY) environment variable is used.
    type: str
  secret_key:
    description:
      - The secret access key (SK) that signs each request (C(SDK-HMAC-SHA256)). It is never sent.
      - If not set, the value of the E(HW_SECRET_KEY) environment variable is used.
    type: str
  security_token:
    description:
      - The security token of temporary AK/SK credentials (from IAM's temporary access keys or an agency).
      - Sent as the C(X-Security-Token) header and signed with the request. Needs O(access_key) and O(secret_key).
      - If not set, the value of the E(HW_SECURITY_TOKEN) environment variable is used.
    type: str
  auth_token:
    description:
      - An IAM user token, sent as the C(X-Auth-Token) header instead of signing with AK/SK.
      - Use either O(auth_token), or O(access_key) with O(secret_key); giving both is an error.
      - IAM tokens expire after 24 hours; the service then answers HTTP 401.
      - If not set, the value of the E(HW_AUTH_TOKEN) environment variable is used.
    type: str
  cloud:
    description:
      - The domain suffix of the endpoint, for example V(myhuaweicloud.eu) in Europe.
      - If not set, the value of the E(HW_CLOUD) environment variable is used, else V(myhuaweicloud.com).
    type: str
    default: myhuaweicloud.com
  endpoint:
    description:
      - The base URL of the ModelArts API, for example V(https://modelarts.cn-north-4.myhuaweicloud.com).
      - Overrides O(region) and O(cloud); use it for a private endpoint or a proxy.
      - If not set, the value of the E(HW_MODELARTS_ENDPOINT) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the endpoint.
      - Set to V(false) only for a test endpoint; the module then warns on every run.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM bundle of CA certificates to verify the endpoint's certificate with, instead of the system's.
    type: path
  timeout:
    description:
      - Seconds to wait for one HTTP request to connect and to answer.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request that failed for a passing reason is tried again.
      - Passing reasons are connection errors, timeouts and the HTTP statuses 429, 500, 502, 503 and 504.
        Retries wait with exponential backoff and jitter, or as long as the C(Retry-After) header asks
        (at most 60 seconds).
      - A read (GET) is simply sent again. A write (update, start, stop) that failed this way may have been
        applied, so it is never sent again blindly; the module reads the instance again and sends only what
        still differs.
      - V(0) disables retries.
    type: int
    default: 5
notes:
  - Exactly one way to authenticate must be configured, by options or environment variables; anything
    else fails before any request is sent.
  - The modules run where the task runs (usually C(localhost)), which needs the Python library C(requests).
  - All modules of this collection are in the action group C(hwcloud.modelarts.all), so
    C(module_defaults) can set the connection options once for a play.
requirements:
  - requests
"""
