"""Order values from numbers or text, and ISO 4217 currencies."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pycountry

from pinupload.core.cells import CellError, cell_text, quote

_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "$": "USD"}
_CODE = re.compile(r"[A-Za-z]{3}")
_GROUPING = str.maketrans("", "", " \u00a0\u202f'’_")


@lru_cache(maxsize=512)
def known_currency(code: str) -> bool:
    """Return True when `code` is an ISO 4217 currency code."""
    return len(code) == 3 and pycountry.currencies.get(alpha_3=code.upper()) is not None


def currency(value: object) -> str:
    """Return the ISO 4217 code (uppercase); raise CellError when unknown."""
    text = cell_text(value).strip()
    code = _SYMBOLS.get(text, text).upper()
    if not known_currency(code):
        raise CellError(
            f"{quote(value)} is not an ISO 4217 currency code; use one such as USD, "
            "EUR or GBP"
        )
    return code


def parse_value(value: object) -> tuple[str, str | None]:
    """Return (decimal string, currency written in the cell or None).

    Accepts numbers and text such as "$1,234.56", "1.234,56" or "1 234,56 EUR".
    Raises CellError for anything that is not one non-negative amount.
    """
    kind = type(value)
    if kind is float or kind is int:
        # 15 significant digits undo binary noise such as 85.51000000000001.
        text = format(value, ".15g")
        if is_plain(text):
            return trimmed(text), None
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise _not_a_number(value)
        return _checked(Decimal(text), value), None
    text = cell_text(value).strip()
    if is_plain(text):
        return trimmed(text), None
    found: str | None = None
    for symbol, code in _SYMBOLS.items():
        if symbol in text:
            found = code
            text = text.replace(symbol, "")
    for word in _CODE.findall(text):
        if not known_currency(word):
            raise _not_a_number(value)
        found = word.upper()
        text = text.replace(word, "")
    negative = text.startswith("(") and text.endswith(")")
    number = _to_decimal(text.strip("() ").translate(_GROUPING), value)
    return _checked(-number if negative else number, value), found


def is_plain(text: str) -> bool:
    """Return True for an amount written plainly: 1 to 15 digits, maybe a dot and
    1 to 15 more ("186.02"). Digits are any the language counts as decimal.
    """
    whole, dot, fraction = text.partition(".")
    if not (0 < len(whole) <= 15 and whole.isdecimal()):
        return False
    return not dot or (0 < len(fraction) <= 15 and fraction.isdecimal())


def trimmed(text: str) -> str:
    """Return a plain decimal without leading or trailing zeros ("007.50" -> "7.5")."""
    whole, _dot, fraction = text.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def _to_decimal(text: str, value: object) -> Decimal:
    if "," in text and "." in text:
        # The separator that comes last is the decimal one.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        head, _, tail = text.rpartition(",")
        if text.count(",") == 1 and len(tail) != 3:
            text = head + "." + tail
        else:
            text = text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _not_a_number(value) from None
    if not number.is_finite():
        raise _not_a_number(value)
    return number


def _checked(number: Decimal, value: object) -> str:
    if number < 0:
        raise CellError(
            f"{quote(value)} is negative; a refund or return cannot be sent as a "
            "conversion. Remove the row or correct the value"
        )
    text = format(number.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".") or "0"


def _not_a_number(value: object) -> CellError:
    return CellError(
        f"{quote(value)} is not an amount; write a number such as 1234.56 "
        "(currency signs and thousands separators are fine)"
    )
