"""The API client against the stand-in server: answers, errors, retries and limits."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pinupload.core import api
from pinupload.core.ratelimit import RateLimiter
from tests.pinterest_server import PinterestServer
from tests.schemas import validate_events_body
from tests.test_pinterest_server import event

TOKEN = "good-token"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[PinterestServer]:
    with PinterestServer() as srv:
        monkeypatch.setenv("PINUPLOAD_API_URL", srv.url)
        yield srv


def client(test: bool = False, token: str = TOKEN, **kw: Any) -> api.PinterestClient:
    kw.setdefault("backoff", 0.01)
    kw.setdefault("attempts", 3)
    return api.PinterestClient("123456", token, test=test, **kw)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://api.example.com/v5/", True),
        ("http://127.0.0.7:8080/v5", True),
        ("http://[::1]:8080/v5", True),
        ("http://localhost/v5", True),
        ("http://10.0.0.1/v5", False),
        ("http://api.pinterest.com/v5", False),
        ("ftp://127.0.0.1/v5", False),
    ],
)
def test_api_url_override(monkeypatch: pytest.MonkeyPatch, url: str, ok: bool) -> None:
    monkeypatch.setenv("PINUPLOAD_API_URL", url)
    if ok:
        assert api.api_base_url() == url.rstrip("/")
    else:
        with pytest.raises(api.ApiError, match="PINUPLOAD_API_URL"):
            api.api_base_url()


def test_default_url_and_account_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PINUPLOAD_API_URL", raising=False)
    assert api.api_base_url() == "https://api.pinterest.com/v5"
    for bad in ("12a4", "1" * 19, "", "١٢٣"):
        with pytest.raises(api.ApiError, match="digits only"):
            api.PinterestClient(bad, TOKEN, test=False)


def test_batch_is_answered_per_event(server: PinterestServer) -> None:
    events = [event("a"), event("b", age=30 * 86400), event("c")]
    validate_events_body({"data": events})
    answer = client().send(events)
    assert answer.http_status == 422
    assert [e.status for e in answer.events] == ["processed", "failed", "processed"]
    assert answer.events[1].error_message == "Given timestamp is in the past"
    assert answer.events[0].warning_message == "external_id is missing"
    assert answer.request_id == server.calls()[0].rid
    assert server.processed() == {"a": 1, "c": 1}


def test_failures_inside_a_200_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    with PinterestServer(partial_status=200) as srv:
        monkeypatch.setenv("PINUPLOAD_API_URL", srv.url)
        answer = client().send([event("a", age=30 * 86400), event("b")])
    assert answer.http_status == 200
    assert [e.status for e in answer.events] == ["failed", "processed"]


def test_auth_errors_stop_and_never_show_the_token(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "pina_SECRET_token_value"
    with PinterestServer({secret: {"999"}}) as srv:
        monkeypatch.setenv("PINUPLOAD_API_URL", srv.url)
        with pytest.raises(api.AuthError) as denied:
            client(token=secret).send([event("a")])
        with pytest.raises(api.AuthError) as wrong:
            client(token="other").send([event("a")])
        assert len(srv.calls()) == 2  # no retries
    assert "HTTP 403" in str(denied.value) and "role" in str(denied.value)
    assert "HTTP 401" in str(wrong.value) and "new" in str(wrong.value)
    shown = caplog.text + repr(client(token=secret)) + repr(denied.value.args)
    assert secret not in shown


def test_retries_429_honouring_retry_after(server: PinterestServer) -> None:
    server.inject("429", retry_after=0.4)
    started = time.monotonic()
    answer = client().send([event("a")])
    assert time.monotonic() - started >= 0.4
    assert [c.status for c in server.calls()] == [429, 200]
    assert answer.events[0].status == "processed"


@pytest.mark.parametrize("kind", ["503", "500", "drop", "slow"])
def test_retries_server_trouble(server: PinterestServer, kind: str) -> None:
    server.inject(kind, count=2, seconds=1.0)
    answer = client(timeout=(2.0, 0.3)).send([event("a")])
    assert answer.events[0].status == "processed"
    if kind == "slow":
        time.sleep(1.0)  # the slow answers are still on their way
    assert len(server.calls()) == 3


def test_gives_up_after_the_last_attempt(server: PinterestServer) -> None:
    server.inject("503", count=3)
    with pytest.raises(api.ApiError, match="after 3 attempts") as clean:
        client().send([event("a")])
    assert not clean.value.maybe_delivered
    server.inject("drop_after", count=3)
    with pytest.raises(api.ApiError) as unknown:
        client().send([event("b")])
    assert unknown.value.maybe_delivered


@pytest.mark.parametrize("kind", ["400", "422"])
def test_no_retry_for_refusals(server: PinterestServer, kind: str) -> None:
    if kind == "400":
        with pytest.raises(api.ApiError, match="HTTP 400, code 4196") as refused:
            client().send([{**event("a"), "colour": "red"}])
        assert not refused.value.maybe_delivered
    else:
        server.inject("422")
        answer = client().send([event("a")])
        assert answer.events[0].error_message == "Forced failure."
    assert len(server.calls()) == 1


def test_test_runs_keep_pinterest_test_limits(server: PinterestServer) -> None:
    test_client = client(test=True)
    assert test_client.batch_size == 20
    with pytest.raises(ValueError):
        test_client.send([event(str(i)) for i in range(21)])
    threads = [
        threading.Thread(target=test_client.send, args=([event(f"t{i}")],))
        for i in range(14)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert server.peak_calls(window=1.0, test=True) <= 10
    assert server.violations() == []
    assert len(server.processed(test=True)) == 14
    assert server.processed() == {}


def test_rate_limiter_never_exceeds_its_window() -> None:
    limiter = RateLimiter(5, 0.5)
    starts: list[float] = []

    def work() -> None:
        for _ in range(3):
            limiter.acquire()
            starts.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    starts.sort()
    assert len(starts) == 12
    assert all(later - starts[i] >= 0.5 for i, later in enumerate(starts[5:]))
    assert starts[-1] - starts[0] < 1.6  # paced, not stalled


def test_rate_limiter_pause_and_cancel() -> None:
    limiter = RateLimiter(100, 1.0)
    limiter.pause(0.3)
    started = time.monotonic()
    assert limiter.acquire()
    assert time.monotonic() - started >= 0.3
    limiter.pause(30)
    cancel = threading.Event()
    threading.Timer(0.1, cancel.set).start()
    assert limiter.acquire(cancel) is False
