"""The compiled row function: caches, shortcuts and the general path agree."""

from __future__ import annotations

import datetime as dt
import traceback
from typing import Any

import pytest

from pinupload.core.convert import Converter
from pinupload.core.model import ERROR, Options, Problem

HEADERS = ["Order", "Email", "Phone", "Country", "State", "ZIP", "When", "Total",
           "Currency", "Qty", "Products", "City"]  # fmt: skip
MAPPING = {
    "order_id": "Order", "email": "Email", "phone": "Phone", "country": "Country",
    "state": "State", "zip": "ZIP", "event_time": "When", "value": "Total",
    "currency": "Currency", "num_items": "Qty", "content_ids": "Products",
    "city": "City",
}  # fmt: skip
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC).timestamp()
WHEN = dt.datetime(2026, 12, 2, 9, 30)


def _rows() -> list[tuple[object, ...]]:
    """Plain rows, repeated values and every kind of trouble a cell can bring."""
    plain = [
        (f"A-{i}", f" Jo.{i}@Example.com ", f"(415) 555-{i:04d}", "US", "California",
         "2134" if i % 4 == 0 else "94103", WHEN, 10.5 + i, "USD", 1 + i % 3,
         "SKU-1,SKU-2", "San Francisco")
        for i in range(12)
    ]  # fmt: skip
    odd = [
        ("B-1", "not an email", "555", "Germany", "", 10115, WHEN, "1.234,56 EUR",
         "EUR", "two", "SKU-9; SKU-8", "Berlin"),
        ("B-2", "", "+49 30 1234567", "DE", None, "10115", "02.12.2026 09:30",
         "$12", "XYZ", 2, "", "Berlin"),
        ("B-3", "x@y.org", 4155550123.0, "Atlantis", "TX", "7", "never", "-5",
         "usd", 1.5, "A|B", None),
        ("B-4", "x@y.org", "(415) 555-0199", "US", "Texas", "75001", None, "",
         "USD", "", None, "Dallas"),
        ("B-5", "x@y.org", "(415) 555-0199", "CA", "Ontario", "M5V 2T6", WHEN, 0,
         "CAD", 3, "P1", "Toronto"),
        # A state that is clean in Canada and unknown in the United States.
        ("B-6", "x@y.org", "", "US", "Ontario", "75001", WHEN, 1, "USD", 1, "P2", ""),
        ("B-7", "x@y.org"),  # a short row
    ]  # fmt: skip
    return plain + odd + odd  # the second time, cells come from the caches


def _distinct_sample() -> list[tuple[object, ...]]:
    """A sample whose every column is distinct, so no column keeps a cache."""
    return [tuple(f"{h}{i}" for h in HEADERS) for i in range(200)]


def _run(converter: Converter) -> list[tuple[dict[str, Any] | None, list[Problem]]]:
    return [converter.convert(n, row) for n, row in enumerate(_rows(), 2)]


def test_cached_and_uncached_columns_give_the_same_events_and_problems() -> None:
    options = Options(timezone="America/New_York", date_order="DMY")
    cached = Converter(HEADERS, MAPPING, options, now=NOW)
    uncached = Converter(HEADERS, MAPPING, options, now=NOW, sample=_distinct_sample())
    kept = {c.rule.name for c in cached._columns if c.clean is not None}
    assert {"state", "zip", "currency", "num_items", "value", "city"} <= kept
    assert all(c.clean is None for c in uncached._columns)
    first, again, plain = _run(cached), _run(cached), _run(uncached)
    assert first == again == plain
    events = [event for event, _ in first]
    assert sum(e is not None for e in events) >= 12
    assert any(p.severity == ERROR for _, found in first for p in found)


def test_a_repeated_cell_with_a_problem_is_told_on_every_row() -> None:
    converter = Converter(HEADERS, MAPPING, Options(), now=NOW)
    row = ("A-1", "a@b.com", "", "US", "", "", WHEN, 5, "XYZ", 1, "", "")
    for number in (2, 3, 4):
        event, problems = converter.convert(number, row)
        assert event is None
        assert [(p.row, p.field) for p in problems] == [(number, "currency")]
        assert problems[0].message.startswith(f'Row {number}, column "Currency"')


def test_a_failure_inside_the_row_function_shows_its_source() -> None:
    converter = Converter(HEADERS, MAPPING, Options(), now=NOW)

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    converter._general = broken  # type: ignore[method-assign]
    converter.convert = converter._compile()
    with pytest.raises(RuntimeError) as failure:
        converter.convert(2, _rows()[-3])  # its email takes the general path
    text = "".join(traceback.format_exception(failure.value))
    assert "row converter" in text and "if general(column_" in text


def test_times_at_the_edges_of_the_week_and_of_now() -> None:
    from pinupload.core.convert import FUTURE_SLACK_SECONDS, OLD_AFTER_SECONDS

    converter = Converter(["Email", "When"], {"email": "Email", "event_time": "When"},
                          Options(timezone="UTC"), now=NOW)  # fmt: skip
    old, soon = int(NOW) - OLD_AFTER_SECONDS, int(NOW) + FUTURE_SLACK_SECONDS
    expected = {old - 1: "warning", old: None, old + 1: None,
                soon - 1: None, soon: None, soon + 1: "error"}  # fmt: skip
    for when, severity in expected.items():
        moment = dt.datetime.fromtimestamp(when, dt.UTC).replace(tzinfo=None)
        event, problems = converter.convert(2, ("a@b.com", moment))
        assert [p.severity for p in problems] == ([severity] if severity else []), when
        assert (event is None) == (severity == "error")
        assert event is None or event["event_time"] == when


def test_converters_of_one_mapping_share_their_compiled_source() -> None:
    import linecache

    first = Converter(HEADERS, MAPPING, Options(), now=NOW)
    names = {k for k in linecache.cache if "row converter" in k}
    for _ in range(20):
        Converter(HEADERS, MAPPING, Options(), now=NOW)
    assert {k for k in linecache.cache if "row converter" in k} == names
    other = Converter(HEADERS, {"email": "Email", "event_time": "When"}, Options())
    assert first.convert.__code__.co_filename in linecache.cache
    assert other.convert.__code__.co_filename != first.convert.__code__.co_filename
    # A cleared linecache gets the source back with the next converter.
    linecache.clearcache()
    again = Converter(HEADERS, MAPPING, Options(), now=NOW)
    assert linecache.getline(again.convert.__code__.co_filename, 1).startswith(
        "def convert(row, cells):"
    )
