"""Reading Pinterest's answers: per-event results, errors, and how long to wait."""

from __future__ import annotations

import email.utils
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import requests


class ApiError(Exception):
    """A call that did not get per-event answers; str() is a sentence for the user.

    `maybe_delivered` is True when Pinterest may have recorded the events anyway (the
    connection broke after the body went out), so they must not be sent again blindly.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        request_id: str | None = None,
        maybe_delivered: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.request_id = request_id
        self.maybe_delivered = maybe_delivered


class AuthError(ApiError):
    """Pinterest refused the token or the ad account (401, 403): the run must stop."""


class CancelledError(ApiError):
    """The caller cancelled before the batch got an answer."""


@dataclass(frozen=True, slots=True)
class EventAnswer:
    """Pinterest's verdict on one event."""

    status: str  # "processed" or "failed"
    error_message: str | None
    warning_message: str | None


@dataclass(frozen=True, slots=True)
class BatchAnswer:
    """Pinterest's answer to one call, one EventAnswer per event sent, in order."""

    http_status: int
    request_id: str | None
    events: list[EventAnswer]
    counts: dict[EventAnswer, int] | None = None  # events per distinct answer

    def tally(self) -> dict[EventAnswer, int]:
        """Return how many events got each distinct answer."""
        return self.counts if self.counts is not None else dict(Counter(self.events))


def parse_answer(response: requests.Response, sent: int) -> BatchAnswer:
    """Return the per-event answers of a 200 or 422; raise ApiError otherwise."""
    status = response.status_code
    rid = response.headers.get("x-pinterest-rid")
    body = _json(response)
    if status in (200, 422):
        results = body.get("details") if status == 422 else body
        events = _events(results, sent)
        if events is not None:
            return BatchAnswer(status, rid, *events)
        # Pinterest took the call but its answer names no event: some may be recorded.
        raise ApiError(
            "Pinterest's answer could not be read, so whether these rows arrived is "
            f"unknown {_said(status, body)}.",
            status=status,
            request_id=rid,
            maybe_delivered=True,
        )
    raise ApiError(
        f"Pinterest refused the batch {_said(status, body)}.",
        status=status,
        request_id=rid,
    )


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return {}
    return body if isinstance(body, dict) else {}


def _said(status: int, body: Mapping[str, Any]) -> str:
    """Return "(HTTP 400, code 4196): message" from what Pinterest said."""
    message, code = body.get("message"), body.get("code")
    said = (
        f"(HTTP {status}, code {code})" if isinstance(code, int) else f"(HTTP {status})"
    )
    if isinstance(message, str) and message:
        said += f": {message.rstrip('.')}"
    return said


def _events(
    results: Any, sent: int
) -> tuple[list[EventAnswer], dict[EventAnswer, int]] | None:
    """Return the per-event answers and their tally, if well formed, one per event."""
    if not isinstance(results, dict):
        return None
    events = results.get("events")
    if not isinstance(events, list) or len(events) != sent:
        return None
    # Most events of a batch get the same answer: one object per distinct answer
    # keeps a 1000-event answer cheap to read, count and store.
    if len(events) > 1 and events.count(events[0]) == len(events):
        alike = _events({"events": events[:1]}, 1)
        if alike is None:
            return None
        return alike[0] * len(events), {alike[0][0]: len(events)}
    seen: dict[tuple[Any, Any, Any], EventAnswer] = {}
    counts: dict[EventAnswer, int] = {}
    answers = []
    for item in events:
        if not isinstance(item, dict):
            return None
        key = (
            item.get("status"),
            item.get("error_message"),
            item.get("warning_message"),
        )
        try:
            answer = seen.get(key)
        except TypeError:  # a message that is not text
            return None
        if answer is None:
            if key[0] not in ("processed", "failed"):
                return None
            answer = seen[key] = EventAnswer(key[0], _text(key[1]), _text(key[2]))
        counts[answer] = counts.get(answer, 0) + 1
        answers.append(answer)
    return answers, counts


def _text(value: Any) -> str | None:
    """Pinterest leaves a message out, sends null or sends "": all mean none."""
    return value if isinstance(value, str) and value else None


def retry_delay(headers: Mapping[str, str]) -> float | None:
    """Return the seconds Pinterest asked to wait (Retry-After, X-RateLimit-Reset)."""
    after = headers.get("Retry-After")
    if after:
        seconds = _seconds(after)
        if seconds is not None:
            return seconds
    if headers.get("X-RateLimit-Remaining") == "0":
        reset = headers.get("X-RateLimit-Reset")
        if reset:
            return _seconds(reset)
    return None


def _seconds(value: str) -> float | None:
    """Seconds from now of a delay, a Unix time or an HTTP date."""
    try:
        number = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())
    if number > 1e9:  # a Unix time, not a delay
        return max(0.0, number - time.time())
    return max(0.0, number)
