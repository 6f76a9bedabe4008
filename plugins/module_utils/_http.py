# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The HTTP client: one requests session, the retry policy, and one error type."""

from __future__ import annotations

import json
import random
import time
from urllib.parse import quote, urlsplit

from ansible_collections.hwcloud.modelarts.plugins.module_utils._errors import ModuleError
from ansible_collections.hwcloud.modelarts.plugins.module_utils._signer import canonical_query
from ansible_collections.hwcloud.modelarts.plugins.module_utils._version import COLLECTION_VERSION

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import InvalidHeader, NewConnectionError
    from urllib3.util.retry import Retry

    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False
    Retry = object

# Statuses that say "try again": throttling and the gateway's or service's passing failures.
TRANSIENT_STATUSES = frozenset((429, 500, 502, 503, 504))
BACKOFF_FACTOR = 0.5
BACKOFF_MAX = 20.0
# A Retry-After longer than this is cut: a task should fail in bounded time, not sleep for an hour.
RETRY_AFTER_MAX = 60.0


def backoff_delay(attempt, factor=BACKOFF_FACTOR, maximum=BACKOFF_MAX):
    """Delay before retry number ``attempt`` (1-based): exponential, capped, with equal jitter."""
    delay = min(maximum, factor * (2 ** (attempt - 1)))
    return random.uniform(delay / 2, delay)


class RetryPolicy(Retry):
    """urllib3's Retry with jittered backoff and a bounded Retry-After.

    Only GET is retried on a status or after the request was sent: a write that failed may have been
    applied, so the caller reads the instance again instead. Connection failures are retried for every
    method because nothing reached the service.
    """

    def get_backoff_time(self):
        return backoff_delay(len(self.history)) if self.history else 0

    def get_retry_after(self, response):
        retry_after = super().get_retry_after(response)
        return None if retry_after is None else min(retry_after, RETRY_AFTER_MAX)

    @classmethod
    def build(cls, max_retries):
        return cls(
            total=max_retries,
            connect=max_retries,
            read=max_retries,
            status=max_retries,
            other=0,
            redirect=0,
            allowed_methods=frozenset(("GET",)),
            status_forcelist=TRANSIENT_STATUSES,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
        )


class ModelArtsError(ModuleError):
    """A failed call, with what was attempted and everything the service said about it."""

    def __init__(
        self,
        attempted,
        reason=None,
        status=None,
        error_code=None,
        error_msg=None,
        request_id=None,
        transient=False,
        retry_after=None,
        in_doubt=False,
    ):
        self.attempted = attempted
        self.reason = reason
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.transient = transient
        # Seconds the service asked to wait before trying again (Retry-After), for callers that retry themselves.
        self.retry_after = retry_after
        # No answer came to a request that may have reached the service (a read timeout, a connection lost
        # after sending): the service may still be carrying it out.
        self.in_doubt = in_doubt
        super().__init__(self._describe(), error=self.as_dict())

    def _describe(self):
        if self.status is None:
            return "%s failed: %s" % (self.attempted, self.reason)
        detail = ", ".join(str(part) for part in (self.error_code, self.error_msg) if part)
        text = "%s failed: HTTP %s" % (self.attempted, self.status)
        if detail:
            text += " %s" % detail
        if self.reason:
            text += " (%s)" % self.reason
        return text + " (request id %s)" % (self.request_id or "not given")

    def as_dict(self):
        # "action" is the documented result key for what was attempted.
        return {
            "action": self.attempted,
            "status": self.status,
            "error_code": self.error_code,
            "error_msg": self.error_msg,
            "request_id": self.request_id,
            "reason": self.reason,
        }


class _NoNetrc:
    """An auth hook that does nothing, so requests never replaces our headers with ~/.netrc credentials."""

    def __call__(self, request):
        return request


class ModelArtsClient:
    """Calls the ModelArts API: builds, authenticates and sends requests, and maps errors."""

    def __init__(
        self,
        endpoint,
        project_id,
        auth,
        validate_certs=True,
        ca_path=None,
        timeout=30.0,
        max_retries=5,
        user_agent=None,
    ):
        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self.auth = auth
        self.timeout = timeout
        self.max_retries = max_retries
        self._host = urlsplit(self.endpoint).netloc
        self._base_path = urlsplit(self.endpoint).path
        self._user_agent = user_agent or "hwcloud.modelarts/%s" % COLLECTION_VERSION
        self.session = requests.Session()
        self.session.auth = _NoNetrc()
        self.session.verify = self.verify = ca_path or validate_certs
        adapter = HTTPAdapter(max_retries=RetryPolicy.build(max_retries))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def project_path(self, *segments):
        """``/v1/{project_id}/...`` with each segment quoted, so an id can never change the path."""
        return "/".join(["", "v1", quote(self.project_id, safe="")] + [quote(str(s), safe="") for s in segments])

    def request(self, method, path, attempted, params=None, body=None):
        """Send one call and return its decoded JSON answer; raise ModelArtsError on any failure.

        A GET whose answer is not JSON is read again (within max_retries); every other retry is the
        transport's (RetryPolicy).
        """
        attempt = 0
        while True:
            try:
                return self._send(method, path, attempted, params, body)
            except ModelArtsError as error:
                if (
                    method != "GET"
                    or not error.transient
                    or error.status is None
                    or error.status >= 300
                    or attempt >= self.max_retries
                ):
                    raise
                attempt += 1
                time.sleep(backoff_delay(attempt))

    def _send(self, method, path, attempted, params, body):
        params = [(k, v) for k, v in (params or []) if v is not None]
        data = None if body is None else json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8")
        full_path = self._base_path + path
        headers = {"Content-Type": "application/json;charset=UTF-8", "X-Project-Id": self.project_id}
        headers = self.auth.headers(method, self._host, full_path, params, headers, data)
        headers["User-Agent"] = self._user_agent
        url = self.endpoint + path
        if params:
            url += "?" + canonical_query(params)
        try:
            # verify per request: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override the session's, and so ca_path.
            response = self.session.request(
                method, url, data=data, headers=headers, timeout=self.timeout, allow_redirects=False, verify=self.verify
            )
        except requests.exceptions.SSLError as error:
            raise ModelArtsError(attempted, reason="TLS error talking to %s: %s" % (self.endpoint, _root_cause(error)))
        except requests.exceptions.ConnectTimeout as error:
            raise ModelArtsError(
                attempted, reason="could not connect to %s: %s" % (self.endpoint, _root_cause(error)), transient=True
            )
        except requests.exceptions.Timeout as error:
            raise ModelArtsError(
                attempted,
                reason="no answer within %s seconds from %s (%s)" % (self.timeout, self.endpoint, _root_cause(error)),
                transient=True,
                in_doubt=True,
            )
        except requests.exceptions.RequestException as error:
            raise ModelArtsError(
                attempted,
                reason="could not reach %s: %s" % (self.endpoint, _root_cause(error)),
                transient=True,
                in_doubt=not _never_connected(error),
            )
        return self._decode(response, attempted)

    def pause_before_retry(self, attempt, retry_after=None):
        """Sleep before retry number ``attempt`` of a caller's own retry: the backoff, or longer if the service asked."""
        time.sleep(max(backoff_delay(attempt), retry_after or 0))

    @staticmethod
    def _decode(response, attempted):
        request_id = response.headers.get("X-Request-Id")
        if response.status_code == 204:
            # The tags calls answer no content.
            return {}
        try:
            payload = response.json() if response.content else None
        except ValueError:
            payload = None
            malformed = True
        else:
            malformed = False
        if response.status_code >= 300:
            fields = payload if isinstance(payload, dict) else {}
            error_msg = fields.get("error_msg")
            if not fields:
                error_msg = (response.text or response.reason or "").strip()[:200] or None
            raise ModelArtsError(
                attempted,
                status=response.status_code,
                error_code=fields.get("error_code"),
                error_msg=error_msg,
                request_id=request_id or fields.get("request_id"),
                transient=response.status_code in TRANSIENT_STATUSES,
                retry_after=_retry_after(response),
            )
        if malformed or not isinstance(payload, dict):
            raise ModelArtsError(
                attempted,
                status=response.status_code,
                reason="the answer is not a JSON object",
                request_id=request_id,
                transient=True,
            )
        return payload


def _retry_after(response):
    """The wait a Retry-After header asks for (seconds or an HTTP date), read as the transport reads it for
    GET, and bounded by RETRY_AFTER_MAX; None when absent or unreadable."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return min(RetryPolicy().parse_retry_after(value), RETRY_AFTER_MAX)
    except InvalidHeader:
        return None


def _never_connected(error):
    """Whether a failed request never had a connection (refused, name not resolved): then it never reached the
    service. Anything else (a connection reset or closed after sending) leaves its outcome unknown."""
    seen = error
    while isinstance(seen, BaseException):
        if isinstance(seen, NewConnectionError):
            return True
        inner = getattr(seen, "reason", None)
        if not isinstance(inner, BaseException):
            inner = seen.args[0] if getattr(seen, "args", None) and isinstance(seen.args[0], BaseException) else None
        if inner is seen:
            return False
        seen = inner
    return False


def _root_cause(error):
    """The innermost reason of a requests/urllib3 error, without the URL-laden wrapper text."""
    seen = error
    while True:
        inner = getattr(seen, "reason", None)
        if not isinstance(inner, BaseException):
            # ssl errors keep a bare code in .reason (CERTIFICATE_VERIFY_FAILED): their text says why, so stop there.
            inner = seen.args[0] if getattr(seen, "args", None) and isinstance(seen.args[0], BaseException) else None
        if inner is None or inner is seen:
            return str(seen)
        seen = inner
