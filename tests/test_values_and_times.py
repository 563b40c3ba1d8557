"""Order values, currencies and times as marketers' files write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pinupload.core import money, times
from pinupload.core.cells import CellError


@pytest.mark.parametrize(
    ("cell", "value", "currency"),
    [
        ("$1,234.56", "1234.56", "USD"),
        ("1.234,56", "1234.56", None),
        ("1 234,56 EUR", "1234.56", "EUR"),
        ("€9,99", "9.99", "EUR"),
        ("GBP 12", "12", "GBP"),
        (85.51000000000001, "85.51", None),
        (7.0, "7", None),
        (12, "12", None),
        ("1'234.50", "1234.5", None),
        ("0.10", "0.1", None),
    ],
)
def test_values(cell: object, value: str, currency: str | None) -> None:
    assert money.parse_value(cell) == (value, currency)


@pytest.mark.parametrize("cell", ["abc", "12 apples", "1.2.3,4,5", "--"])
def test_values_that_are_not_numbers(cell: str) -> None:
    with pytest.raises(CellError, match="not an amount"):
        money.parse_value(cell)


def test_negative_value_is_an_error() -> None:
    with pytest.raises(CellError, match="negative"):
        money.parse_value("-12.00")


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_value_text_round_trips(number: Decimal) -> None:
    text, _ = money.parse_value(f"{number:,.2f}")
    assert Decimal(text) == number


def test_currencies_checked_against_iso_4217() -> None:
    assert money.currency("eur") == "EUR"
    assert money.currency("€") == "EUR"
    with pytest.raises(CellError, match="ISO 4217"):
        money.currency("XYZ")


def test_day_month_order_is_settled_per_column() -> None:
    assert times.decide_order(["01/02/2026", "13/02/2026"], None) == ("DMY", None)
    assert times.decide_order(["01/02/2026", "02/13/2026"], None) == ("MDY", None)
    order, note = times.decide_order(["01/02/2026"], None)
    assert order == "MDY" and note and "DMY" in note
    assert times.decide_order(["01.02.2026"], None)[0] == "DMY"
    assert times.decide_order(["01/02/2026"], "DMY") == ("DMY", None)


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        ("2026-11-30 14:05", "MDY", dt.datetime(2026, 11, 30, 14, 5)),
        ("11/30/2026 2:05 PM", "MDY", dt.datetime(2026, 11, 30, 14, 5)),
        ("30.11.2026 14:05:09", "DMY", dt.datetime(2026, 11, 30, 14, 5, 9)),
        ("01/02/2026", "DMY", dt.datetime(2026, 2, 1, 12, 0)),
        ("2026-11-30", "MDY", dt.datetime(2026, 11, 30, 12, 0)),
        (dt.date(2026, 11, 30), "MDY", dt.datetime(2026, 11, 30, 12, 0)),
    ],
)
def test_naive_times(cell: object, order: str, expected: dt.datetime) -> None:
    assert times.parse_datetime(cell, order)[0] == expected


def test_aware_and_unix_times() -> None:
    utc = dt.datetime(2026, 11, 30, 14, 5, tzinfo=dt.UTC)
    stamp = int(utc.timestamp())
    for cell in ("2026-11-30T14:05:00Z", "2026-11-30T15:05:00+01:00", str(stamp),
                 stamp * 1000, float(stamp)):  # fmt: skip
        moment, _ = times.parse_datetime(cell, "MDY")
        assert times.to_unix(moment, None) == stamp


def test_naive_times_are_in_the_chosen_zone() -> None:
    moment, _ = times.parse_datetime("2026-07-01 12:00", "MDY")
    ny = times.to_unix(moment, ZoneInfo("America/New_York"))
    assert ny == int(dt.datetime(2026, 7, 1, 16, 0, tzinfo=dt.UTC).timestamp())
    with pytest.raises(times.TimezoneError):
        times.zone("Mars/Olympus")


@pytest.mark.parametrize("cell", ["yesterday", "31/31/2026", "2026-13-45", "12345"])
def test_unreadable_times(cell: str) -> None:
    with pytest.raises(CellError, match="not a date or time"):
        times.parse_datetime(cell, "DMY")


@pytest.mark.parametrize(
    ("cell", "value"),
    [("00.50", "0.5"), ("007.50", "7.5"), ("0", "0"), ("100", "100"), (0.0, "0")],
)
def test_plain_values_lose_only_meaningless_zeros(cell: object, value: str) -> None:
    assert money.parse_value(cell) == (value, None)


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False))
def test_text_and_number_cells_give_the_same_value(number: Decimal) -> None:
    as_text, _ = money.parse_value(str(number))
    as_float, _ = money.parse_value(float(number))
    assert Decimal(as_text) == number
    assert as_text == as_float


@given(
    st.one_of(
        st.text(alphabet="0123456789.", max_size=34),
        st.text(alphabet="0123456789.\u0660\u0661\u00b2\u2155 -", max_size=20),
        st.integers(0, 10**17).map(str),
        st.floats(0, 10**16).map(repr),
    )
)
def test_a_plain_amount_is_digits_a_dot_and_digits(text: str) -> None:
    """The same as the pattern \\d{1,15}(\\.\\d{1,15})? for any text."""
    import re

    pattern = re.compile(r"\d{1,15}(?:\.\d{1,15})?")
    assert money.is_plain(text) == (pattern.fullmatch(text) is not None)
