# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import email.utils
import json
import time

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import (
    RETRY_AFTER_MAX,
    ModelArtsClient,
    ModelArtsError,
)


class Answer:
    def __init__(self, status, headers, content=b'{"error_code": "APIGW.0308", "error_msg": "throttled"}'):
        self.status_code = status
        self.headers = headers
        self.content = content
        self.text = content.decode()
        self.reason = "Too Many Requests"

    def json(self):
        return json.loads(self.content)


def error_of(headers):
    with pytest.raises(ModelArtsError) as info:
        ModelArtsClient._decode(Answer(429, headers), "Updating notebook instance nb-1 (flavor)")
    return info.value


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({}, None),
        ({"Retry-After": "3"}, 3.0),
        # Not RFC 9110 delay-seconds: ignored, as the transport ignores them when it retries a read.
        ({"Retry-After": "0.5"}, None),
        ({"Retry-After": "-4"}, None),
        ({"Retry-After": "86400"}, RETRY_AFTER_MAX),
        ({"Retry-After": "soon"}, None),
    ],
)
def test_a_failed_answer_carries_the_retry_after_it_asked_for(headers, expected):
    error = error_of(headers)
    assert error.transient and error.retry_after == expected


def test_retry_after_as_an_http_date():
    error = error_of({"Retry-After": email.utils.formatdate(time.time() + 10, usegmt=True)})
    assert 8 <= error.retry_after <= 10
