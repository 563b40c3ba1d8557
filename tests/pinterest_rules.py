"""What the stand-in server checks in a body, as Pinterest does."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

DAY = 86400
SCHEMA_PATH = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "pinterest-openapi"
    / "conversion_events.schema.json"
)
REQUIRED = ("event_name", "action_source", "event_time", "event_id", "user_data")
EVENT_KEYS = {
    *REQUIRED,
    "app_id",
    "app_info",
    "app_name",
    "app_version",
    "custom_data",
    "device_brand",
    "device_carrier",
    "device_info",
    "device_model",
    "device_type",
    "event_source_url",
    "language",
    "opt_out",
    "os_version",
    "partner_name",
    "wifi",
}
HEX64 = re.compile(r"[0-9a-f]{64}")
EVENT_ID = re.compile(rb'"event_id":"((?:[^"\\]|\\.)*)"')


def load_schema(use_schema: bool) -> Any:
    if not use_schema or not SCHEMA_PATH.exists():
        return None
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def check_body(body: Any, schema: Any) -> list[dict[str, Any]]:
    """Return the events of a well-formed body; raise ValueError as Pinterest's 400."""
    if not isinstance(body, dict) or set(body) != {"data"}:
        raise ValueError("the body must be an object with only 'data'")
    events = body["data"]
    if not isinstance(events, list) or not 1 <= len(events) <= 1000:
        raise ValueError("'data' must hold 1 to 1000 events")
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            raise ValueError(f"data[{i}] is not an object")
        missing = [k for k in REQUIRED if k not in event]
        unknown = sorted(set(event) - EVENT_KEYS)
        if missing or unknown:
            raise ValueError(f"data[{i}]: missing {missing}, unknown {unknown}")
    if schema is not None:
        error = next(iter(schema.iter_errors(body)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path)
            raise ValueError(f"{where}: {error.message}")
    return events


def event_result(
    event: dict[str, Any], max_age_days: float
) -> tuple[str, str | None, str | None]:
    emails = event["user_data"].get("em") or []
    if any(not isinstance(e, str) or not HEX64.fullmatch(e) for e in emails):
        return "failed", "em must be SHA-256 hashed.", None
    when = event["event_time"]
    now = time.time()
    if not isinstance(when, int) or when > now + 60:
        return "failed", "Given timestamp is in the future", None
    if when < now - max_age_days * DAY:
        return "failed", "Given timestamp is in the past", None
    warning = None if "external_id" in event["user_data"] else "external_id is missing"
    return "processed", None, warning
