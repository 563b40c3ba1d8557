"""The Pinterest Conversions API client: one batch per call, retried when safe."""

from __future__ import annotations

import ipaddress
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
from requests.adapters import HTTPAdapter

from pinupload import __version__
from pinupload.core.answers import (
    ApiError,
    AuthError,
    BatchAnswer,
    CancelledError,
    EventAnswer,
    parse_answer,
    retry_delay,
)
from pinupload.core.ratelimit import RateLimiter, shared_limiter

__all__ = [
    "ApiError",
    "AuthError",
    "BatchAnswer",
    "CancelledError",
    "EventAnswer",
    "PinterestClient",
    "api_base_url",
]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.pinterest.com/v5"
REAL_BATCH = 1000
TEST_BATCH = 20  # Pinterest answers only the first 20 events of a test call
CALLS_PER_MINUTE = 5000  # per ad account
TEST_CALLS_PER_SECOND = 10  # per app
# Most calls in flight. The sender keeps out only as many as the measured round
# trips need to fill the limit (about 20 at 200 ms); the rest covers slow lines.
CONCURRENCY = 48


def api_base_url() -> str:
    """Return the API's base URL, or PINUPLOAD_API_URL; raise ApiError if unsafe."""
    url = os.environ.get("PINUPLOAD_API_URL", "").strip() or DEFAULT_BASE_URL
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and _is_loopback(parts.hostname or ""):
        return url.rstrip("/")
    raise ApiError(
        f"PINUPLOAD_API_URL is set to {url!r}, which is not allowed: use an https "
        "address, or plain http only to this computer (127.0.0.1, ::1, localhost)."
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_account_id(account_id: str) -> str:
    """Return the ad account id if it looks like Pinterest's; raise ApiError if not."""
    if not (account_id.isascii() and account_id.isdigit() and len(account_id) <= 18):
        raise ApiError(
            f"{account_id!r} is not an ad account id: it is made of digits only "
            "(at most 18), as shown in Ads Manager."
        )
    return account_id


class PinterestClient:
    """Posts batches of events for one ad account; safe to use from many threads."""

    def __init__(
        self,
        account_id: str,
        token: str,
        *,
        test: bool,
        calls_per_minute: int = CALLS_PER_MINUTE,
        concurrency: int = CONCURRENCY,
        timeout: tuple[float, float] = (10.0, 60.0),
        attempts: int = 6,
        backoff: float = 1.0,
        max_wait: float = 120.0,
        batch_size: int | None = None,
        retry_uncertain: bool = True,
    ) -> None:
        self.account_id = check_account_id(account_id)
        self.test = test
        limit = TEST_BATCH if test else REAL_BATCH
        self.batch_size = min(batch_size or limit, limit)
        self.concurrency = concurrency
        self.url = f"{api_base_url()}/ad_accounts/{account_id}/events"
        if test:
            self.url += "?test=true"
        self._token = token
        self._timeout = timeout
        self._attempts = attempts
        self._backoff = backoff
        self._max_wait = max_wait
        self._retry_uncertain = retry_uncertain
        self._proxies = requests.utils.get_environ_proxies(self.url)
        # a CA bundle may be named; verification itself is never turned off
        self._verify: str | bool = (
            os.environ.get("REQUESTS_CA_BUNDLE")
            or os.environ.get("CURL_CA_BUNDLE")
            or True
        )
        self._local = threading.local()
        self.limiter: RateLimiter = (
            shared_limiter("test", TEST_CALLS_PER_SECOND, 1.0)
            if test
            else shared_limiter(account_id, calls_per_minute, 60.0)
        )

    def __repr__(self) -> str:
        return f"PinterestClient(account_id={self.account_id!r}, test={self.test})"

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # The environment (proxies, CA bundle) is read once, in __init__: reading
            # it per call cost more CPU than the rest of requests' work.
            session.trust_env = False
            session.proxies.update(self._proxies)
            session.verify = self._verify
            session.mount("https://", HTTPAdapter(pool_maxsize=2))
            session.mount("http://", HTTPAdapter(pool_maxsize=2))
            self._local.session = session
        return session

    def send(
        self,
        events: Sequence[dict[str, Any]],
        cancel: threading.Event | None = None,
        before_post: Callable[[], None] | None = None,
    ) -> BatchAnswer:
        """Post one batch; return Pinterest's answer for each event, in order.

        `before_post` is called once, when the first attempt's turn has come and
        just before it goes out (the ledger's write-ahead). Raises AuthError (401,
        403), CancelledError, or ApiError when no per-event answer came: a refused
        body (400), or trouble that outlasted every retry.
        """
        body = orjson.dumps({"data": list(events)})
        return self.send_body(body, len(events), cancel, before_post)

    def send_body(
        self,
        body: bytes,
        count: int,
        cancel: threading.Event | None = None,
        before_post: Callable[[], None] | None = None,
    ) -> BatchAnswer:
        """Post a body already serialized (`{"data": [...]}` of `count` events).

        The same as send otherwise.
        """
        if not 1 <= count <= self.batch_size:
            raise ValueError(f"a batch holds 1 to {self.batch_size} events")
        # Pinterest does not de-duplicate offline events, so a retry after a timeout
        # or a connection lost once the body was out can count a sale twice.
        # TODO: retrying those is the default as specified; retry_uncertain=False
        # makes them unconfirmed at once instead. Revisit with real-world figures.
        delivered = False  # whether an earlier attempt may have reached Pinterest
        attempt = 0
        problem = "no attempt was made"
        for attempt in range(self._attempts):
            if not self.limiter.acquire(cancel):
                raise CancelledError("Cancelled.", maybe_delivered=delivered)
            if attempt == 0 and before_post is not None:
                before_post()
            try:
                response = self._post(body)
            except (requests.Timeout, requests.ConnectionError) as exc:
                uncertain = _maybe_delivered(exc)
                delivered = delivered or uncertain
                problem = f"the connection failed ({type(exc).__name__})"
                if uncertain and not self._retry_uncertain:
                    break
                wait = self._wait(attempt, None)
            else:
                answer = self._read(response, count)
                if answer is not None:
                    return answer
                problem = f"Pinterest answered HTTP {response.status_code}"
                wait = self._wait(attempt, response)
            if attempt + 1 == self._attempts:
                break
            logger.warning("Retrying in %.1f s: %s", wait, problem)
            if _sleep(wait, cancel):
                raise CancelledError("Cancelled.", maybe_delivered=delivered)
        raise ApiError(
            f"Pinterest could not be reached: {problem}, after {attempt + 1} "
            "attempts. Check the internet connection and try again later.",
            maybe_delivered=delivered,
        )

    def _post(self, body: bytes) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Content-Type": "application/json",
            "User-Agent": f"pinupload/{__version__}",
        }
        return self._session().post(
            self.url, data=body, headers=headers, timeout=self._timeout
        )

    def _read(self, response: requests.Response, sent: int) -> BatchAnswer | None:
        """Return the answer, None to retry; raise for answers that end the batch."""
        status = response.status_code
        rid = response.headers.get("x-pinterest-rid")
        logger.info("Pinterest answered HTTP %s (x-pinterest-rid %s)", status, rid)
        if status == 429 or status >= 500:
            if status == 429:
                self.limiter.pause(retry_delay(response.headers) or self._backoff)
            return None
        if status in (401, 403):
            message = _auth_message(status, self.account_id)
            raise AuthError(message, status=status, request_id=rid)
        return parse_answer(response, sent)

    def _wait(self, attempt: int, response: requests.Response | None) -> float:
        hinted = retry_delay(response.headers) if response is not None else None
        if hinted is not None:
            return min(hinted, self._max_wait) + random.uniform(0, 0.1 * hinted)
        ceiling = min(self._max_wait, self._backoff * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


def _auth_message(status: int, account_id: str) -> str:
    if status == 401:
        return (
            "Pinterest refused the access token (HTTP 401): it is wrong or was "
            "revoked. Make a new conversion access token in Ads Manager (Conversions > "
            "Conversions API) and save it with 'pinupload token set'."
        )
    return (
        f"Pinterest refused access to ad account {account_id} (HTTP 403). Check the "
        "ad account id, and that the token's owner has a role on that account that "
        "may send conversions."
    )


def _maybe_delivered(exc: Exception) -> bool:
    """False only when the request surely never left (no connection was made)."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    reason = exc.args[0] if exc.args else None
    text = repr(reason) + repr(exc)
    return "NewConnectionError" not in text and "NameResolutionError" not in text


def _sleep(seconds: float, cancel: threading.Event | None) -> bool:
    """Sleep; return True if cancelled meanwhile."""
    if cancel is None:
        time.sleep(seconds)
        return False
    return cancel.wait(seconds)
