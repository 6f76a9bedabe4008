# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection and authentication options of the collection's controller-side plugins (the
    # inventory plugin): the modules' options (the connection fragment), read through Ansible's
    # configuration system, so that each names its environment variable with env.
    DOCUMENTATION = r"""
options:
  region:
    description:
      - The Huawei Cloud region, for example V(cn-north-4). The endpoint is then C(https://modelarts.{region}.{cloud}).
      - Required unless O(endpoint) is given.
    type: str
    env:
      - name: HW_REGION_NAME
  project_id:
    description:
      - The ID of the project that holds the notebook instances. Required.
    type: str
    env:
      - name: HW_PROJECT_ID
  access_key:
    description:
      - The access key ID (AK) for AK/SK authentication, together with O(secret_key). It is not a secret.
    type: str
    env:
      - name: HW_ACCESS_KEY
  secret_key:
    description:
      - The secret access key (SK) that signs each request. It is never sent, shown or cached.
      - Prefer the environment variable (or an AWX credential) to writing it in the inventory file.
    type: str
    env:
      - name: HW_SECRET_KEY
  security_token:
    description:
      - The security token of temporary AK/SK credentials, sent as C(X-Security-Token). Needs O(access_key) and O(secret_key).
    type: str
    env:
      - name: HW_SECURITY_TOKEN
  auth_token:
    description:
      - An IAM user token, sent as C(X-Auth-Token) instead of signing with AK/SK. Use either O(auth_token),
        or O(access_key) with O(secret_key).
    type: str
    env:
      - name: HW_AUTH_TOKEN
  cloud:
    description:
      - The domain suffix of the endpoint, for example V(myhuaweicloud.eu) in Europe.
    type: str
    default: myhuaweicloud.com
    env:
      - name: HW_CLOUD
  endpoint:
    description:
      - The base URL of the ModelArts API; overrides O(region) and O(cloud).
    type: str
    env:
      - name: HW_MODELARTS_ENDPOINT
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the endpoint.
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
      - How many times a request that failed for a passing reason (connection error, timeout, HTTP 429, 500,
        502, 503, 504) is tried again, with exponential backoff or as long as C(Retry-After) asks (at most 60 seconds).
    type: int
    default: 5
notes:
  - Exactly one way to authenticate must be configured, by options or environment variables (AK and SK,
    optionally with a security token, or an IAM token); anything else fails before any request is sent.
  - An environment variable set to an empty string counts as unset, as an AWX credential leaves its empty inputs.
requirements:
  - requests (on the controller)
"""
