"""Huawei's API gateway authentication: an IAM token, or an SDK-HMAC-SHA256 signature of the request."""

import datetime
import hashlib
import hmac
import re
import time
from urllib.parse import parse_qsl, quote, unquote

from .errors import ServiceError

SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


class SignatureVerifier:
    """Authenticates a request as Huawei's API gateway does: an IAM token, or an SDK-HMAC-SHA256 signature.

    Written from the published algorithm, independently of any client code, so that a client bug
    cannot be mirrored here.
    """

    ALGORITHM = "SDK-HMAC-SHA256"
    MAX_SKEW_SECONDS = 15 * 60
    _AUTH_RE = re.compile(
        r"^\s*(?P<alg>\S+)\s+Access=(?P<ak>[^,\s]+)\s*,\s*SignedHeaders=(?P<sh>[^,\s]+)\s*,\s*Signature=(?P<sig>[0-9A-Fa-f]+)\s*$"
    )

    def __init__(self, access_key, secret_key, security_token=None, auth_tokens=(), clock=time.time):
        self.access_key = access_key
        self.secret_key = secret_key
        self.security_token = security_token
        self.auth_tokens = tuple(auth_tokens or ())
        self.clock = clock

    @staticmethod
    def _reject(reason):
        return ServiceError(401, "APIGW.0301", "Incorrect IAM authentication information: " + reason)

    @staticmethod
    def canonical_uri(path):
        segments = unquote(path).split("/")
        uri = "/".join(quote(seg, safe="~") for seg in segments)
        return uri if uri.endswith("/") else uri + "/"

    @staticmethod
    def canonical_query(raw_query):
        pairs = sorted(parse_qsl(raw_query, keep_blank_values=True))
        return "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in pairs)

    @classmethod
    def canonical_request(cls, method, path, raw_query, headers, signed_headers, body):
        canonical_headers = "".join("%s:%s\n" % (name, headers.get(name, "").strip()) for name in signed_headers)
        return "\n".join(
            (
                method.upper(),
                cls.canonical_uri(path),
                cls.canonical_query(raw_query),
                canonical_headers,
                ";".join(signed_headers),
                hashlib.sha256(body or b"").hexdigest(),
            )
        )

    @classmethod
    def string_to_sign(cls, sdk_date, canonical_request):
        return "\n".join((cls.ALGORITHM, sdk_date, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()))

    @staticmethod
    def signature(secret_key, string_to_sign):
        return hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()

    def check(self, method, path, raw_query, headers, body):
        """Return how the request authenticated ("aksk" or "token"); raise a 401 ServiceError otherwise."""
        authorization = headers.get("authorization")
        if authorization:
            self._check_signature(method, path, raw_query, headers, body, authorization)
            return "aksk"
        token = headers.get("x-auth-token")
        if token:
            if any(hmac.compare_digest(token.encode("utf-8"), t.encode("utf-8")) for t in self.auth_tokens):
                return "token"
            raise self._reject("the token is invalid or expired")
        raise self._reject("no Authorization or X-Auth-Token header")

    def _check_signature(self, method, path, raw_query, headers, body, authorization):
        match = self._AUTH_RE.match(authorization)
        if not match or match.group("alg") != self.ALGORITHM:
            raise self._reject("malformed Authorization header")
        if not hmac.compare_digest(match.group("ak").encode("utf-8"), self.access_key.encode("utf-8")):
            raise self._reject("unknown access key")
        signed = match.group("sh").split(";")
        if "host" not in signed or "x-sdk-date" not in signed:
            raise self._reject("host and x-sdk-date must be signed")
        if signed != [name.lower() for name in signed] or any(name not in headers for name in signed):
            raise self._reject("a signed header is missing from the request")
        try:
            sent = datetime.datetime.strptime(headers["x-sdk-date"], SDK_DATE_FORMAT).replace(
                tzinfo=datetime.timezone.utc
            )
        except ValueError:
            raise self._reject("X-Sdk-Date is not YYYYMMDDTHHMMSSZ") from None
        if abs(self.clock() - sent.timestamp()) > self.MAX_SKEW_SECONDS:
            raise self._reject("X-Sdk-Date is more than 15 minutes off")
        self._check_security_token(headers, signed)
        canonical = self.canonical_request(method, path, raw_query, headers, signed, body)
        expected = self.signature(self.secret_key, self.string_to_sign(headers["x-sdk-date"], canonical))
        if not hmac.compare_digest(expected.encode("ascii"), match.group("sig").lower().encode("ascii")):
            raise self._reject("verify aksk signature fail")

    def _check_security_token(self, headers, signed):
        sent = headers.get("x-security-token")
        if self.security_token is None:
            if sent is not None:
                raise self._reject("a security token was sent for a permanent access key")
            return
        if sent is None:
            raise self._reject("the temporary access key needs X-Security-Token")
        if "x-security-token" not in signed:
            raise self._reject("X-Security-Token must be signed")
        if not hmac.compare_digest(sent.encode("utf-8"), self.security_token.encode("utf-8")):
            raise self._reject("the security token is invalid or expired")
