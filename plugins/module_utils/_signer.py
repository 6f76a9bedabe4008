# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AK/SK request signing (SDK-HMAC-SHA256), as Huawei Cloud's API gateway verifies it.

Only the standard library is used: the official SDK is never a runtime dependency.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _encode(value):
    # The gateway keeps RFC 3986 unreserved characters, '~' included, and encodes the rest.
    return quote(str(value), safe="~")


def canonical_uri(path):
    """Percent-decode the path, re-encode each segment, and end it with '/'."""
    uri = "/".join(_encode(segment) for segment in unquote(path or "/").split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(params):
    """Encode (key, value) pairs, sorted by raw key then value, joined by '&'.

    The same string is used as the query of the URL sent, so what is signed is what is sent.
    """
    return "&".join(
        "%s=%s" % (_encode(key), _encode(value)) for key, value in sorted((str(k), str(v)) for k, v in params)
    )


def format_date(now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.strftime(DATE_FORMAT)


def sign(method, host, path, params, headers, body, access_key, secret_key, date=None):
    """Return a copy of ``headers`` with ``Host``, ``X-Sdk-Date`` and ``Authorization`` added.

    ``params`` is a list of (key, value) query pairs; ``body`` is the exact bytes sent (or None).
    Every header given is signed, so callers pass only the headers the gateway should check.
    """
    signed = dict(headers)
    if not any(name.lower() == "host" for name in signed):
        signed["Host"] = host
    if not any(name.lower() == DATE_HEADER.lower() for name in signed):
        signed[DATE_HEADER] = date or format_date()
    sdk_date = next(value for name, value in signed.items() if name.lower() == DATE_HEADER.lower())

    values = dict((name.lower(), str(value).strip()) for name, value in signed.items())
    names = sorted(values)
    canonical_request = "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(params or []),
            "".join("%s:%s\n" % (name, values[name]) for name in names),
            ";".join(names),
            hashlib.sha256(body or b"").hexdigest(),
        ]
    )
    string_to_sign = "\n".join([ALGORITHM, sdk_date, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
    signature = hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    signed["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM,
        access_key,
        ";".join(names),
        signature,
    )
    return signed
