"""Phone numbers to E.164 digits (no '+') as Pinterest hashes them."""

from __future__ import annotations

import re

from pinupload.core.cells import CellDroppedError, cell_text, quote
from pinupload.core.normalize import is_hashed

_SCIENTIFIC = re.compile(r"[+-]?\d(?:[.,]\d+)?e[+-]?\d+", re.IGNORECASE)
_FORMATTING = str.maketrans("", "", " ()-./\u00a0\t")
NANP_REGIONS = frozenset({"us", "ca", "pr", "gu", "vi", "as", "mp"})


def phone(value: object, region: str) -> tuple[str, str | None]:
    """Return (E.164 digits without '+', repair note or None) for a phone cell.

    `region` (lowercase alpha-2) decides numbers written without a country code.
    Raises CellDroppedError when the cell cannot be a phone number.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel stores an unformatted phone as a number: digits are exact, the
        # formatting (and a trunk zero, which parsing does not need) is gone.
        text = cell_text(value)
        if not text.isdigit():
            raise CellDroppedError(
                f"{quote(value)} is not a phone number; it is left out"
            )
        digits = _to_e164(text, region, value)
        return digits, f"phone {quote(value)} was stored as a number: read as +{digits}"
    text = (value if type(value) is str else cell_text(value)).strip()
    if len(text) == 64 and is_hashed(text.lower()):
        return text.lower(), None
    if ("e" in text or "E" in text) and _SCIENTIFIC.fullmatch(text):
        raise CellDroppedError(
            f"phone {quote(value)} is in scientific notation and its digits are lost; "
            "format the column as text before exporting. It is left out"
        )
    return _to_e164(text, region, value), None


def _to_e164(text: str, region: str, value: object) -> str:
    compact = text.translate(_FORMATTING)
    if region in NANP_REGIONS:
        fast = _nanp_fast(compact)
        if fast is not None:
            return fast
    # Imported here: loading it is about 20 ms of `check`'s start-up, and
    # files of North American numbers never leave the shortcut.
    import phonenumbers

    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise CellDroppedError(f"{quote(value)} is not a phone number; it is left out")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


# (415) 555-0123, 415-555-0123, +1 415.555.0123, 14155550123 ...: a part of what
# _nanp_fast accepts, read in one match; tests hold the two to the same digits.
_NANP_WRITTEN = re.compile(
    r"(?:\+?1[ .\-]?)?\(?([2-9]\d\d)\)?[ .\-]?([2-9]\d\d)[ .\-]?(\d{4})"
)


def nanp_digits(text: str) -> str | None:
    """Return 1NXXNXXXXXX for a plainly written North American number, else None."""
    written = _NANP_WRITTEN.fullmatch(text)
    if written is None:
        return None
    return "1" + "".join(written.groups())


def _nanp_fast(compact: str) -> str | None:
    """Return 1NXXNXXXXXX for a North American number with its formatting gone."""
    if compact.startswith("+1"):
        compact = compact[2:]
    elif len(compact) == 11 and compact.startswith("1"):
        compact = compact[1:]
    plain = len(compact) == 10 and compact.isdigit() and compact.isascii()
    if plain and compact[0] in "23456789" and compact[3] in "23456789":
        return "1" + compact
    return None
