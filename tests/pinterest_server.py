"""A stand-in for Pinterest's Conversions API: a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from tests.pinterest_rules import EVENT_ID, check_body, event_result, load_schema

PATH = re.compile(r"/v5/ad_accounts/(\d{1,18})/events")


@dataclass
class Call:
    """One request as the server saw it."""

    at: float
    account: str | None
    test: bool
    status: int
    events: int
    rid: str


@dataclass
class Fault:
    """A failure to answer the next request with, instead of the real answer."""

    kind: str  # "429", "503", "500", "drop", "slow", "422", "drop_after"
    retry_after: float | None = None
    seconds: float = 0.0


@dataclass
class State:
    """What the server knows and has seen; guarded by `lock`."""

    accounts: dict[str, set[str]]  # token -> ad account ids it may use
    calls_per_minute: int
    test_per_second: int
    latency: float
    max_age_days: float
    partial_status: int
    schema: Any
    fast: bool = False  # trust bodies, only count and record them (bench)
    lock: threading.Lock = field(default_factory=threading.Lock)
    faults: deque[Fault] = field(default_factory=deque)
    calls: list[Call] = field(default_factory=list)
    windows: dict[tuple[str, bool], deque[float]] = field(default_factory=dict)
    processed: dict[bool, Counter[str]] = field(
        default_factory=lambda: {True: Counter(), False: Counter()}
    )
    received: dict[bool, Counter[str]] = field(
        default_factory=lambda: {True: Counter(), False: Counter()}
    )
    violations: list[str] = field(default_factory=list)


class PinterestServer:
    """Answers POST /v5/ad_accounts/{id}/events like Pinterest, and records what came.

    `accounts` maps each accepted token to the ad accounts it may use. Faults queued
    with `inject` are used up one per request, in order.
    """

    def __init__(
        self,
        accounts: dict[str, set[str]] | None = None,
        *,
        calls_per_minute: int = 5000,
        test_per_second: int = 10,
        latency: float = 0.0,
        max_age_days: float = 7,
        partial_status: int = 422,
        use_schema: bool = True,
        fast: bool = False,
    ) -> None:
        self.state = State(
            accounts=accounts or {"good-token": {"123456"}},
            calls_per_minute=calls_per_minute,
            test_per_second=test_per_second,
            latency=latency,
            max_age_days=max_age_days,
            partial_status=partial_status,
            schema=load_schema(use_schema),
            fast=fast,
        )
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to give PINUPLOAD_API_URL."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v5"

    def start(self) -> PinterestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> PinterestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def inject(self, kind: str, count: int = 1, **kwargs: Any) -> None:
        """Answer the next `count` requests with the fault `kind` (see Fault)."""
        with self.state.lock:
            self.state.faults.extend(Fault(kind, **kwargs) for _ in range(count))

    def processed(self, test: bool = False) -> Counter[str]:
        """Event ids Pinterest would have counted, with how often each came."""
        with self.state.lock:
            return Counter(self.state.processed[test])

    def received(self, test: bool = False) -> Counter[str]:
        """Every event id that reached the server, valid or not."""
        with self.state.lock:
            return Counter(self.state.received[test])

    def duplicates(self, test: bool = False) -> list[str]:
        """Event ids processed more than once (what pinupload must never cause)."""
        return sorted(k for k, n in self.processed(test).items() if n > 1)

    def calls(self) -> list[Call]:
        with self.state.lock:
            return list(self.state.calls)

    def violations(self) -> list[str]:
        """Pinterest's rules the client broke (too many test events in a batch...)."""
        with self.state.lock:
            return list(self.state.violations)

    def peak_calls(self, window: float = 60.0, test: bool = False) -> int:
        """The most calls that arrived within any `window` seconds."""
        times = sorted(c.at for c in self.calls() if c.test == test)
        best, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best


class _Server(ThreadingHTTPServer):
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up (timeout, kill) is expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: State

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet

    def do_GET(self) -> None:
        if self.path != "/_stats":
            return self._send(404, {"code": 404, "message": "Not found"}, {})
        with self.state.lock:
            stats = {
                "calls": [[c.at, c.test, c.status, c.events] for c in self.state.calls],
                "processed": sum(self.state.processed[False].values()),
                "duplicates": sum(
                    1 for n in self.state.processed[False].values() if n > 1
                ),
                "violations": self.state.violations[-20:],
            }
        self._send(200, stats, {})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        rid = uuid.uuid4().hex[:16]
        parts = urlsplit(self.path)
        test = parse_qs(parts.query).get("test") == ["true"]
        match = PATH.fullmatch(parts.path)
        account = match.group(1) if match else None
        fault = self._next_fault()
        if self.state.latency:
            time.sleep(self.state.latency)
        if fault and fault.kind == "slow":
            time.sleep(fault.seconds)
        if fault and fault.kind == "drop":
            self._record(account, test, 0, 0, rid)
            return self._drop()
        status, payload, headers = self._answer(account, test, body, fault)
        answered = payload.get("details", payload).get("events", [])
        self._record(account, test, status, len(answered), rid)
        if fault and fault.kind == "drop_after":
            return self._drop()  # processed, but the answer never leaves
        self._send(status, payload, {"x-pinterest-rid": rid, **headers})

    def _next_fault(self) -> Fault | None:
        with self.state.lock:
            return self.state.faults.popleft() if self.state.faults else None

    def _record(
        self, account: str | None, test: bool, status: int, n: int, rid: str
    ) -> None:
        with self.state.lock:
            self.state.calls.append(Call(time.time(), account, test, status, n, rid))

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(
        self, status: int, payload: dict[str, Any], headers: dict[str, str]
    ) -> None:
        data = orjson.dumps(payload)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _answer(
        self, account: str | None, test: bool, body: bytes, fault: Fault | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        if account is None:
            return 404, {"code": 404, "message": "Not found"}, {}
        auth_error = self._check_auth(account)
        if auth_error:
            return auth_error[0], auth_error[1], {}
        limited, headers = self._rate(account, test)
        if limited:
            return 429, {"code": 8, "message": "Rate limit exceeded"}, headers
        if fault and fault.kind == "429":
            wait = fault.retry_after if fault.retry_after is not None else 1
            headers["Retry-After"] = f"{wait:g}"
            return 429, {"code": 8, "message": "Rate limit exceeded"}, headers
        if fault and fault.kind in ("503", "500"):
            return (
                int(fault.kind),
                {"code": 4197, "message": "Try again later"},
                headers,
            )
        if self.state.fast:
            return self._trusted(body, test, headers)
        try:
            events = check_body(orjson.loads(body), self.state.schema)
        except (ValueError, orjson.JSONDecodeError) as exc:
            return 400, {"code": 4196, "message": f"Invalid request: {exc}"}, headers
        status, payload = self._process(events, test, fault)
        return status, payload, headers

    def _trusted(
        self, body: bytes, test: bool, headers: dict[str, str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Count and record without reading events: enough to measure throughput."""
        ids = [m.decode() for m in EVENT_ID.findall(body)]
        if not 1 <= len(ids) <= 1000:
            return 400, {"code": 4196, "message": "'data' must hold 1 to 1000"}, headers
        with self.state.lock:
            self.state.received[test].update(ids)
            self.state.processed[test].update(ids)
        answer = {"status": "processed", "error_message": None, "warning_message": None}
        details = {
            "num_events_received": len(ids),
            "num_events_processed": len(ids),
            "events": [answer] * len(ids),
        }
        return 200, details, headers

    def _check_auth(self, account: str) -> tuple[int, dict[str, Any]] | None:
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        allowed = self.state.accounts.get(token or "")
        if allowed is None:
            return 401, {"code": 2, "message": "Authentication failed."}
        if account not in allowed:
            message = f"Ad account {account} not found or not accessible."
            return 403, {"code": 29, "message": message}
        return None

    def _rate(self, account: str, test: bool) -> tuple[bool, dict[str, str]]:
        """Sliding windows: calls per minute per account, test calls per second."""
        limit, span = self.state.calls_per_minute, 60.0
        if test:
            limit, span = self.state.test_per_second, 1.0
        now = time.monotonic()
        with self.state.lock:
            window = self.state.windows.setdefault((account, test), deque())
            while window and now - window[0] >= span:
                window.popleft()
            limited = len(window) >= limit
            if not limited:
                window.append(now)
            reset = span - (now - window[0]) if window else 0.0
            remaining = max(0, limit - len(window))
            if limited:
                self.state.violations.append(f"rate limit exceeded (test={test})")
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(max(1, round(reset))),
        }
        return limited, headers

    def _process(
        self, events: list[dict[str, Any]], test: bool, fault: Fault | None
    ) -> tuple[int, dict[str, Any]]:
        if test and len(events) > 20:
            with self.state.lock:
                self.state.violations.append(f"test batch of {len(events)} events")
            events = events[:20]  # Pinterest processes only the first 20 of a test
        results = [event_result(e, self.state.max_age_days) for e in events]
        if fault and fault.kind == "422":
            results = [("failed", "Forced failure.", None) for _ in events]
        ok = [
            e["event_id"]
            for e, r in zip(events, results, strict=True)
            if r[0] == "processed"
        ]
        with self.state.lock:
            self.state.received[test].update(e["event_id"] for e in events)
            self.state.processed[test].update(ok)
        details = {
            "num_events_received": len(events),
            "num_events_processed": len(ok),
            "events": [
                {"status": s, "error_message": err, "warning_message": warn}
                for s, err, warn in results
            ],
        }
        if len(ok) == len(events) or self.state.partial_status == 200:
            return 200, details
        first = next(r[1] for r in results if r[0] == "failed")
        code = 953 if first == "Given timestamp is in the past" else 4196
        return 422, {"code": code, "message": first, "details": details}


def main() -> None:
    """Serve in a process of its own (bench/): print the URL, serve until killed."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--calls-per-minute", type=int, default=5000)
    parser.add_argument("--token", default="bench-token")
    parser.add_argument("--account", default="123456")
    parser.add_argument("--schema", action="store_true", help="check bodies fully")
    parser.add_argument("--fast", action="store_true", help="count, do not check")
    args = parser.parse_args()
    server = PinterestServer(
        {args.token: {args.account}},
        calls_per_minute=args.calls_per_minute,
        latency=args.latency,
        use_schema=args.schema,
        fast=args.fast,
    )
    print(server.url, flush=True)
    server._httpd.serve_forever(0.05)


if __name__ == "__main__":
    main()
