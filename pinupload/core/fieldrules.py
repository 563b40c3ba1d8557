"""How each field's cell becomes its value in the event: the rule table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from pinupload.core import normalize as nz
from pinupload.core.cells import CellDroppedError, CellError, cell_text, quote
from pinupload.core.phones import phone
from pinupload.core.times import parse_datetime

# A rule takes (cell, row's country) and returns (normalized text, repair note).
Rule = Callable[[object, str], tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class UserDataRule:
    """A field that goes into `user_data`."""

    key: str  # Pinterest's key
    hashed: bool  # hashed, as a one-item list, or sent as is
    rule: Rule
    needs_country: bool = False


def _plain(fn: Callable[[object], str]) -> Rule:
    def rule(value: object, country: str) -> tuple[str, str | None]:
        return fn(value), None

    return rule


def _state(value: object, country: str) -> tuple[str, str | None]:
    return nz.state(value, country), None


def _maid(value: object, country: str) -> tuple[str, str | None]:
    text = nz.mobile_ad_id(value)
    if not text:
        raise CellDroppedError(f"{quote(value)} is not a mobile ad id; it is left out")
    return text, None


def _phone(value: object, country: str) -> tuple[str, str | None]:
    return phone(value, country)


def _zip(value: object, country: str) -> tuple[str, str | None]:
    return nz.zip_code(value, country)


def _user_agent(value: object, country: str) -> tuple[str, str | None]:
    return cell_text(value).strip(), None


def birth_date_rule(order: str) -> Rule:
    """Return the rule for dates of birth written in the column's day-month order."""

    def rule(value: object, country: str) -> tuple[str, str | None]:
        try:
            moment, _ = parse_datetime(value, order)
        except CellError:
            raise CellDroppedError(
                f"{quote(value)} is not a date of birth pinupload can read; it is "
                "left out"
            ) from None
        return moment.strftime("%Y%m%d"), None

    return rule


USER_DATA_RULES: dict[str, UserDataRule] = {
    "email": UserDataRule("em", True, _plain(nz.email)),
    "phone": UserDataRule("ph", True, _phone, needs_country=True),
    "first_name": UserDataRule("fn", True, _plain(nz.lower)),
    "last_name": UserDataRule("ln", True, _plain(nz.lower)),
    "gender": UserDataRule("ge", True, _plain(nz.gender)),
    "date_of_birth": UserDataRule("db", True, birth_date_rule("MDY")),
    "city": UserDataRule("ct", True, _plain(nz.city)),
    "state": UserDataRule("st", True, _state, needs_country=True),
    "zip": UserDataRule("zp", True, _zip, needs_country=True),
    "country": UserDataRule("country", True, _plain(nz.country)),
    "external_id": UserDataRule("external_id", True, _plain(nz.external_id)),
    "mobile_ad_id": UserDataRule("hashed_maids", True, _maid),
    "ip_address": UserDataRule("client_ip_address", False, _plain(nz.ip_address)),
    "user_agent": UserDataRule("client_user_agent", False, _user_agent),
}


def rules_for(orders: dict[str, str]) -> dict[str, UserDataRule]:
    """Return the user-data rules with date columns read in their decided order."""
    rules = dict(USER_DATA_RULES)
    order = orders.get("date_of_birth")
    if order:
        rules["date_of_birth"] = replace(
            rules["date_of_birth"], rule=birth_date_rule(order)
        )
    return rules


KNOWN_EVENT_NAMES = frozenset(
    {
        "add_payment_info", "add_to_cart", "add_to_wishlist", "app_install",
        "app_open", "checkout", "contact", "custom", "customize_product", "donate",
        "find_location", "initiate_checkout", "lead", "page_visit", "schedule",
        "search", "signup", "start_trial", "submit_application", "subscribe",
        "view_category", "view_content", "watch_video",
    }
)  # fmt: skip
