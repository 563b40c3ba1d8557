"""Checking an ad account and token with one test request before saving them."""

from __future__ import annotations

import hashlib
import time
import uuid

from pinupload.core.api import PinterestClient


def check_access(account_id: str, token: str) -> str:
    """Post one test event; return Pinterest's verdict in words.

    A test request is not recorded by Pinterest. Raises AuthError (401, 403) and
    ApiError (malformed id, no connection).
    """
    # TODO: the sender has no "check this token" call yet; this builds the one
    # test event itself.
    client = PinterestClient(account_id, token, test=True, attempts=2, backoff=0.5)
    event = {
        "event_name": "checkout",
        "action_source": "offline",
        "event_time": int(time.time()) - 60,
        "event_id": "pinupload-access-check-" + uuid.uuid4().hex[:12],
        "user_data": {"em": [hashlib.sha256(b"access-check@example.com").hexdigest()]},
    }
    answer = client.send([event])
    return (
        f"Pinterest accepted the token for ad account {account_id} "
        f"(test request, HTTP {answer.http_status}; nothing was recorded)."
    )
