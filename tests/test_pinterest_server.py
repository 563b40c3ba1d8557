"""The stand-in server answers like Pinterest, so the client's tests mean something."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.pinterest_server import PinterestServer
from tests.schemas import (
    validate_detailed_error,
    validate_events_body,
    validate_response,
)

AUTH = {"Authorization": "Bearer good-token"}


def event(event_id: str, age: float = 3600, **extra: Any) -> dict[str, Any]:
    email = hashlib.sha256(b"someone@example.com").hexdigest()
    return {
        "event_name": "checkout",
        "action_source": "offline",
        "event_time": int(time.time() - age),
        "event_id": event_id,
        "user_data": {"em": [email]},
        **extra,
    }


@pytest.fixture
def server() -> Iterator[PinterestServer]:
    with PinterestServer(calls_per_minute=5, test_per_second=3) as srv:
        yield srv


def post(
    server: PinterestServer, body: Any, test: bool = False, **kw: Any
) -> requests.Response:
    url = f"{server.url}/ad_accounts/123456/events" + ("?test=true" if test else "")
    kw.setdefault("headers", AUTH)
    kw.setdefault("timeout", 5)
    return requests.post(url, json=body, **kw)


def test_valid_batch_is_processed_and_recorded(server: PinterestServer) -> None:
    body = {"data": [event("a"), event("b")]}
    validate_events_body(body)
    answer = post(server, body)
    assert answer.status_code == 200
    validate_response(answer.json())
    assert [e["status"] for e in answer.json()["events"]] == ["processed"] * 2
    assert len(answer.headers["x-pinterest-rid"]) == 16
    assert answer.headers["X-RateLimit-Limit"] == "5"
    assert answer.headers["X-RateLimit-Remaining"] == "4"
    assert server.processed() == {"a": 1, "b": 1}
    assert server.processed(test=True) == {}


def test_auth_errors_have_pinterest_codes(server: PinterestServer) -> None:
    wrong = post(server, {"data": [event("a")]}, headers={"Authorization": "Bearer x"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, 2)
    url = f"{server.url}/ad_accounts/999/events"
    other = requests.post(url, json={"data": [event("a")]}, headers=AUTH, timeout=5)
    assert (other.status_code, other.json()["code"]) == (403, 29)
    assert server.received() == {}


@pytest.mark.parametrize(
    "body",
    [
        {"data": []},
        {"data": [event("a")], "extra": 1},
        {"data": [event("a", colour="red")]},
        {"data": [{k: v for k, v in event("a").items() if k != "event_id"}]},
        {"data": [event(str(i)) for i in range(1001)]},
    ],
)
def test_malformed_bodies_get_400(server: PinterestServer, body: Any) -> None:
    answer = post(server, body)
    assert (answer.status_code, answer.json()["code"]) == (400, 4196)
    assert server.received() == {}


def test_old_and_unhashed_events_fail_with_422(server: PinterestServer) -> None:
    unhashed = event("c")
    unhashed["user_data"]["em"] = ["someone@example.com"]
    answer = post(server, {"data": [event("a"), event("b", age=30 * 86400), unhashed]})
    assert answer.status_code == 422
    body = answer.json()
    validate_detailed_error(body)
    assert (body["code"], body["message"]) == (953, "Given timestamp is in the past")
    statuses = [e["status"] for e in body["details"]["events"]]
    assert statuses == ["processed", "failed", "failed"]
    assert server.processed() == {"a": 1}


def test_test_mode_limits(server: PinterestServer) -> None:
    answer = post(server, {"data": [event(str(i)) for i in range(25)]}, test=True)
    assert len(answer.json()["events"]) == 20
    assert server.violations() == ["test batch of 25 events"]
    codes = [
        post(server, {"data": [event("x")]}, test=True).status_code for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert server.processed() == {}
    assert server.processed(test=True)["x"] == 2


def test_calls_per_minute_limit(server: PinterestServer) -> None:
    codes = [post(server, {"data": [event(str(i))]}).status_code for i in range(6)]
    assert codes == [200] * 5 + [429]
    assert server.peak_calls() == 6


def test_injected_faults(server: PinterestServer) -> None:
    server.inject("429", retry_after=2)
    server.inject("503")
    server.inject("drop")
    limited = post(server, {"data": [event("a")]})
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "2")
    assert post(server, {"data": [event("a")]}).status_code == 503
    with pytest.raises(requests.ConnectionError):
        post(server, {"data": [event("a")]})
    assert server.received() == {}
    server.inject("slow", seconds=0.5)
    with pytest.raises(requests.Timeout):
        post(server, {"data": [event("a")]}, timeout=0.2)
