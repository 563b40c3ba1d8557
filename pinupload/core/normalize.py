"""Normalizing identity fields as Pinterest's hashing rules require, then hashing."""

from __future__ import annotations

import hashlib
import ipaddress
import re
from functools import lru_cache

import pycountry

from pinupload.core.cells import CellDroppedError, CellError, cell_text, quote

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def sha256_hex(text: str) -> str:
    """Return the lowercase hex SHA-256 of `text` in UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_hashed(text: str) -> bool:
    """Return True when `text` already is a SHA-256 hex digest."""
    return len(text) == 64 and _HEX64.fullmatch(text) is not None


def text_of(value: object) -> str:
    """Return the trimmed text of a cell (whole-number floats without '.0')."""
    return cell_text(value).strip()


def email(value: object) -> str:
    """Return the email lowercased; raise CellError when it is not an address."""
    text = (value if type(value) is str else cell_text(value)).strip().lower()
    if text.startswith("mailto:"):
        text = text[7:].strip()
    if len(text) == 64 and is_hashed(text):
        return text
    if not EMAIL.fullmatch(text):
        raise CellError(
            f"{quote(value)} is not an email address: correct it or clear the cell"
        )
    return text


def lower(value: object) -> str:
    """Return the text trimmed and lowercased (first and last names)."""
    return text_of(value).lower()


_GENDERS = {
    "f": "f", "female": "f", "woman": "f", "w": "f", "femme": "f",
    "m": "m", "male": "m", "man": "m", "homme": "m",
    "n": "n", "nonbinary": "n", "x": "n", "other": "n", "diverse": "n", "d": "n",
}  # fmt: skip


def gender(value: object) -> str:
    """Return f, m or n; raise CellDroppedError for anything else."""
    key = _NOT_ALNUM.sub("", text_of(value).lower())
    if is_hashed(text_of(value).lower()):
        return text_of(value).lower()
    try:
        return _GENDERS[key]
    except KeyError:
        raise CellDroppedError(
            f"{quote(value)} is not a gender pinupload knows (use f, m or n); "
            "it is left out"
        ) from None


def city(value: object) -> str:
    """Return the city lowercased without spaces or punctuation."""
    text = text_of(value).lower()
    return text if is_hashed(text) else _NOT_ALNUM.sub("", text)


_COUNTRY_ALIASES = {
    "uk": "gb", "unitedkingdom": "gb", "greatbritain": "gb", "england": "gb",
    "scotland": "gb", "wales": "gb", "northernireland": "gb", "usa": "us",
    "us": "us", "unitedstates": "us", "america": "us", "unitedstatesofamerica": "us",
    "holland": "nl", "southkorea": "kr", "northkorea": "kp", "russia": "ru",
    "vietnam": "vn", "czechia": "cz", "turkey": "tr", "ivorycoast": "ci",
}  # fmt: skip


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code (lowercase) of a code or English name."""
    key = _NOT_ALNUM.sub("", text.lower())
    if not key:
        return None
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    try:
        found = pycountry.countries.lookup(text.strip())
    except LookupError:
        return None
    return str(found.alpha_2).lower()


def country(value: object) -> str:
    """Return the country as lowercase alpha-2; raise CellDroppedError when unknown."""
    text = text_of(value)
    if is_hashed(text.lower()):
        return text.lower()
    code = country_code(text)
    if code is None:
        raise CellDroppedError(
            f"{quote(value)} is not a country pinupload knows; use a two-letter code "
            "such as US or DE. It is left out"
        )
    return code


@lru_cache(maxsize=8)
def _subdivision_names(country: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country.upper()) or ():
        code = str(sub.code).split("-", 1)[1].lower()
        if len(code) == 2 and code.isalpha():
            names[_NOT_ALNUM.sub("", str(sub.name).lower())] = code
    return names


def state(value: object, country: str | None) -> str:
    """Return a two-letter state or region code; names are looked up per country."""
    text = text_of(value).lower()
    if is_hashed(text):
        return text
    key = _NOT_ALNUM.sub("", text)
    if len(key) == 2 and key.isalpha():
        return key
    code = _subdivision_names(country or "us").get(key)
    if code is None:
        raise CellDroppedError(
            f"{quote(value)} is not a state or region pinupload knows; use its "
            "two-letter code (such as CA or NY). It is left out"
        )
    return code


def zip_code(value: object, country: str | None) -> tuple[str, str | None]:
    """Return (normalized ZIP, repair note or None).

    US ZIPs keep their first five digits; Excel turns 02134 into the number 2134,
    and a four-digit US ZIP can only have lost its leading zero.
    """
    text = text_of(value).lower()
    if is_hashed(text):
        return text, None
    if country in (None, "us"):
        digits = text.split("-", 1)[0].replace(" ", "")
        if digits.isdigit():
            if len(digits) in (3, 4) and not isinstance(value, str):
                fixed = digits.zfill(5)
                return (
                    fixed,
                    f"ZIP {quote(value)} had lost its leading zero: read as {fixed}",
                )
            if len(digits) >= 5:
                return digits[:5], None
        if country == "us":
            raise CellDroppedError(
                f"{quote(value)} is not a US ZIP code; it is left out"
            )
    return text.replace(" ", "").replace("-", ""), None


def external_id(value: object) -> str:
    """Return the external id trimmed (whole-number floats without '.0')."""
    return text_of(value)


def mobile_ad_id(value: object) -> str:
    """Return the GAID or IDFA lowercased."""
    return text_of(value).lower()


def ip_address(value: object) -> str:
    """Return the IP address as written; raise CellDroppedError when it is not one."""
    text = text_of(value)
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise CellDroppedError(
            f"{quote(value)} is not an IP address; it is left out"
        ) from None
