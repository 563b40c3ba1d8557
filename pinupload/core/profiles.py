"""Saved mapping profiles: a file with the same headers gets the same mapping again."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from pinupload.core.fields import FIELD_NAMES, header_key
from pinupload.core.normalize import sha256_hex
from pinupload.paths import data_dir

logger = logging.getLogger(__name__)


def _store() -> Path:
    return data_dir() / "mappings.json"


def signature(headers: Iterable[str]) -> str:
    """Return a key for a set of headers, blind to order, case and punctuation."""
    return sha256_hex("\x1f".join(sorted(header_key(h) for h in headers)))


def _load() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("saved mappings unreadable, starting afresh: %s", exc)
        return {}
    return data if isinstance(data, dict) else {}


def find_profile(headers: Iterable[str]) -> dict[str, str] | None:
    """Return the saved field -> header mapping for these headers, or None."""
    headers = list(headers)
    entry = _load().get(signature(headers))
    if not isinstance(entry, dict) or not isinstance(entry.get("mapping"), dict):
        return None
    present = set(headers)
    mapping = entry["mapping"]
    assert isinstance(mapping, dict)
    return {
        str(f): str(h) for f, h in mapping.items() if f in FIELD_NAMES and h in present
    }


def save_profile(
    headers: Iterable[str], mapping: dict[str, str], name: str = ""
) -> None:
    """Remember `mapping` for files with these headers (atomically replaced)."""
    headers = list(headers)
    data = _load()
    data[signature(headers)] = {
        "name": name,
        "headers": headers,
        "mapping": dict(mapping),
        "saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    target = _store()
    temp = target.with_suffix(".tmp")
    temp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, target)
