"""How each field's cell becomes its value in the event: the rule table."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pinupload.core import money, times
from pinupload.core import normalize as nz
from pinupload.core.cells import CellDroppedError, CellError, cell_text, quote
from pinupload.core.model import ERROR, WARNING
from pinupload.core.phones import NANP_REGIONS, nanp_digits, phone

# A converter takes (cell, the row's country) and returns (value, repair note);
# it raises CellError (the row can't be sent) or CellDroppedError (left out).
Convert = Callable[[object, str], tuple[Any, str | None]]
# What one cell becomes: (value or None, normalized text, message, severity).
Outcome = tuple[Any, str, str, str]
# A shortcut for the commonest cells: the value `evaluate` would give with no
# message, or None for "ask evaluate" (always None for a blank cell).
Fast = Callable[[object, str], Any]

USER_DATA, CUSTOM_DATA, EVENT = 0, 1, 2
_BLANK: Outcome = (None, "", "", WARNING)
_sha256 = hashlib.sha256


@dataclass(frozen=True, slots=True)
class FieldRule:
    """Where one field goes in the event, and how its cell is read."""

    name: str
    target: int  # USER_DATA, CUSTOM_DATA or EVENT
    key: str  # Pinterest's key inside the target
    convert: Convert
    hashed: bool = False
    needs_country: bool = False
    cached: bool = True  # columns of mostly distinct values gain nothing from it
    # Columns of distinct values pay for every cell, so their plainest cells skip
    # the general path's layers; tests hold both paths to the same answers.
    fast: Fast | None = None


def evaluate(rule: FieldRule, raw: object, country: str) -> Outcome:
    """Return what one cell becomes under `rule`."""
    if isinstance(raw, str) and not raw.strip():
        return _BLANK
    try:
        value, note = rule.convert(raw, country)
    except CellError as exc:
        return (None, "", str(exc), ERROR)
    except CellDroppedError as exc:
        return (None, "", str(exc), WARNING)
    if not rule.hashed:
        return (value, value if type(value) is str else "", note or "", WARNING)
    if not value:
        unusable = f"{quote(raw)} holds nothing usable; it is left out"
        return (None, "", unusable, WARNING)
    hashed = value if len(value) == 64 and nz.is_hashed(value) else nz.sha256_hex(value)
    return ([hashed], value, note or "", WARNING)


def _fast_email(raw: object, country: str) -> list[str] | None:
    if type(raw) is str:
        text = raw.strip().lower()
        if len(text) != 64 and nz.EMAIL.fullmatch(text) and text[:7] != "mailto:":
            return [_sha256(text.encode()).hexdigest()]
    return None


def _fast_phone(raw: object, country: str) -> list[str] | None:
    if type(raw) is str and country in NANP_REGIONS:
        digits = nanp_digits(raw)
        if digits is not None:
            return [_sha256(digits.encode()).hexdigest()]
    return None


def _fast_text(raw: object, country: str) -> str | None:
    if type(raw) is str:
        text = raw.strip()
        if text:
            return text
    return None


def _fast_value(raw: object, country: str) -> tuple[str, None] | None:
    kind = type(raw)
    if kind is str:
        text = raw.strip()  # type: ignore[attr-defined]
    elif kind is float:
        # The shortest repr, unless binary noise (85.51000000000001) made it
        # longer than the 15 digits the general path rounds to.
        text = repr(raw)
        if len(text) > 16:
            text = format(raw, ".15g")
    elif kind is int:
        text = str(raw)
    else:
        return None
    if not money.is_plain(text):
        return None
    # Most amounts are written plainly already: "186.02", not "0186.020".
    if (text[-1] == "0" and "." in text) or (text[0] == "0" and text[1:2] != "."):
        text = money.trimmed(text)
    return (text, None)


_PLAIN_IDS = re.compile(r"[^,;|\s]+(?:,[^,;|\s]+)*")


def _fast_ids(raw: object, country: str) -> list[str] | None:
    if type(raw) is str and _PLAIN_IDS.fullmatch(raw):
        return raw.split(",")
    return None


def _plain(fn: Callable[[object], str]) -> Convert:
    def convert(value: object, country: str) -> tuple[str, str | None]:
        return fn(value), None

    return convert


def _state(value: object, country: str) -> tuple[str, str | None]:
    return nz.state(value, country), None


def _zip(value: object, country: str) -> tuple[str, str | None]:
    return nz.zip_code(value, country)


def _user_agent(value: object, country: str) -> tuple[str, str | None]:
    return cell_text(value).strip(), None


def _birth_date(order: str, evidence: times.OrderEvidence) -> Convert:
    def convert(value: object, country: str) -> tuple[str, str | None]:
        try:
            moment, _ = times.parse_datetime(value, order, evidence)
        except CellError:
            raise CellDroppedError(
                f"{quote(value)} is not a date of birth pinupload can read; it is "
                "left out"
            ) from None
        return moment.strftime("%Y%m%d"), None

    return convert


def _event_time(
    order: str, tz: dt.tzinfo | None, evidence: times.OrderEvidence
) -> tuple[Convert, Fast]:
    clock = times.UnixClock(tz)
    unix = clock.unix
    parse_iso = dt.datetime.fromisoformat
    datetime = dt.datetime

    def convert(value: object, country: str) -> tuple[int, str | None]:
        moment, _ = times.parse_datetime(value, order, evidence)
        try:
            return unix(moment), None
        except (OverflowError, OSError, ValueError):
            raise times.unreadable(value) from None

    def fast(raw: object, country: str) -> int | None:
        # "2026-11-30 14:05:09" from text files, date-time cells from workbooks;
        # the clock looks each hour's offset up once.
        try:
            if type(raw) is str and len(raw) == 19 and raw[10] in " T":
                moment = parse_iso(raw)
                if moment.tzinfo is not None:
                    return None
                return unix(moment)
            if type(raw) is datetime:
                return unix(raw)
        except (OverflowError, OSError, ValueError):
            pass
        return None

    return convert, fast


def _event_name(value: object, country: str) -> tuple[str, str | None]:
    name = cell_text(value).strip().lower().replace(" ", "_")
    return name, unknown_event_name(name)


def unknown_event_name(name: str) -> str | None:
    """Return a warning when Pinterest does not know the event name, else None."""
    if name in KNOWN_EVENT_NAMES:
        return None
    return (
        f'"{name}" is not an event name Pinterest knows; it may be labelled '
        '"Unknown". Use checkout, lead, signup, add_to_cart or custom'
    )


def _currency(value: object, country: str) -> tuple[str, str | None]:
    return money.currency(value), None


def _value(value: object, country: str) -> tuple[tuple[str, str | None], str | None]:
    return money.parse_value(value), None


def _items(value: object, country: str) -> tuple[int, str | None]:
    try:
        number = float(cell_text(value).replace(",", "").strip())
    except ValueError:
        number = -1.0
    if not number.is_integer() or number < 0:
        raise CellDroppedError(
            f"{quote(value)} is not a whole number of items; it is left out"
        )
    return int(number), None


def _ids(value: object, country: str) -> tuple[list[str], str | None]:
    text = nz.text_of(value).replace(";", ",").replace("|", ",")
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise CellDroppedError(f"{quote(value)} holds no product ids; it is left out")
    return ids, None


_TEXT = _plain(nz.text_of)


def rules_for(
    orders: dict[str, str],
    tz: dt.tzinfo | None,
    evidence: dict[str, times.OrderEvidence],
) -> dict[str, FieldRule]:
    """Return every field's rule, dates read in their column's decided order.

    Date rules add what their texts show about the day-month order to
    `evidence`, so a guess can be checked once every row has been read.
    """
    ud, cd, ev = USER_DATA, CUSTOM_DATA, EVENT
    order = orders.get("event_time", "MDY")
    when, fast_when = _event_time(order, tz, evidence["event_time"])
    rules = [
        FieldRule("country", ud, "country", _plain(nz.country), hashed=True),
        FieldRule("email", ud, "em", _plain(nz.email), hashed=True, cached=False,
                  fast=_fast_email),
        FieldRule("phone", ud, "ph", phone, True, needs_country=True, cached=False,
                  fast=_fast_phone),
        FieldRule("first_name", ud, "fn", _plain(nz.lower), hashed=True),
        FieldRule("last_name", ud, "ln", _plain(nz.lower), hashed=True),
        FieldRule("gender", ud, "ge", _plain(nz.gender), hashed=True),
        FieldRule("date_of_birth", ud, "db",
                  _birth_date(orders.get("date_of_birth", "MDY"),
                              evidence["date_of_birth"]), hashed=True),
        FieldRule("city", ud, "ct", _plain(nz.city), hashed=True),
        FieldRule("state", ud, "st", _state, hashed=True, needs_country=True),
        FieldRule("zip", ud, "zp", _zip, hashed=True, needs_country=True),
        FieldRule("external_id", ud, "external_id", _plain(nz.external_id),
                  hashed=True, cached=False),
        FieldRule("mobile_ad_id", ud, "hashed_maids", _plain(nz.mobile_ad_id),
                  hashed=True, cached=False),
        FieldRule("ip_address", ud, "client_ip_address", _plain(nz.ip_address),
                  cached=False),
        FieldRule("user_agent", ud, "client_user_agent", _user_agent),
        FieldRule("event_time", ev, "event_time", when, fast=fast_when),
        FieldRule("event_name", ev, "event_name", _event_name),
        FieldRule("event_id", ev, "event_id", _TEXT, cached=False, fast=_fast_text),
        FieldRule("order_id", cd, "order_id", _TEXT, cached=False, fast=_fast_text),
        FieldRule("value", cd, "value", _value, fast=_fast_value),
        FieldRule("currency", cd, "currency", _currency),
        FieldRule("num_items", cd, "num_items", _items),
        FieldRule("content_ids", cd, "content_ids", _ids, fast=_fast_ids),
        FieldRule("content_name", cd, "content_name", _TEXT),
        FieldRule("content_category", cd, "content_category", _TEXT),
        FieldRule("content_brand", cd, "content_brand", _TEXT),
    ]  # fmt: skip
    return {rule.name: rule for rule in rules}


KNOWN_EVENT_NAMES = frozenset(
    {
        "add_payment_info", "add_to_cart", "add_to_wishlist", "app_install",
        "app_open", "checkout", "contact", "custom", "customize_product", "donate",
        "find_location", "initiate_checkout", "lead", "page_visit", "schedule",
        "search", "signup", "start_trial", "submit_application", "subscribe",
        "view_category", "view_content", "watch_video",
    }
)  # fmt: skip
