"""The shortcuts for common cells give exactly what the general path gives."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pinupload.core import times
from pinupload.core.fieldrules import FieldRule, evaluate, rules_for

RULES = rules_for(
    {},
    zoneinfo.ZoneInfo("America/New_York"),
    {"event_time": times.OrderEvidence(), "date_of_birth": times.OrderEvidence()},
)
COUNTRIES = st.sampled_from(["us", "ca", "de", "gb", "fr"])
SPACE = st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\n"])


def _same(rule: FieldRule, raw: object, country: str) -> bool:
    assert rule.fast is not None
    quick = rule.fast(raw, country)
    if quick is None:
        return True
    value, _normalized, message, _severity = evaluate(rule, raw, country)
    return not message and quick == value


def _padded(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(SPACE, inner, SPACE).map("".join)


@settings(max_examples=400)
@given(
    _padded(
        st.one_of(
            st.emails(),
            st.emails().map(str.upper),
            st.text(alphabet="aB@.:-_ mailto", max_size=30),
            st.just("mailto:a@b.com"),
            st.just("a" * 64),
        )
    ),
    COUNTRIES,
)
def test_email_shortcut(raw: str, country: str) -> None:
    assert _same(RULES["email"], raw, country)


PHONE_TEXT = st.text(alphabet="0123456789+()-. \u00a0eE", min_size=0, max_size=18)
NANP = st.builds(
    "{}({}) {}-{:04d}".format,
    st.sampled_from(["", "+1 ", "1 ", "+1"]),
    st.integers(100, 999),
    st.integers(100, 999),
    st.integers(0, 9999),
)


@settings(max_examples=400)
@given(_padded(st.one_of(PHONE_TEXT, NANP)), COUNTRIES)
def test_phone_shortcut(raw: str, country: str) -> None:
    assert _same(RULES["phone"], raw, country)


@settings(max_examples=300)
@given(
    st.one_of(
        _padded(st.text(alphabet="0123456789.,$€ EURusd-", max_size=14)),
        st.floats(allow_nan=True, allow_infinity=True),
        # Amounts as workbooks hold them, some with binary noise (0.1 + 0.2).
        st.floats(0, 10**7).map(lambda x: round(x, 2)),
        st.floats(0, 10**4).map(lambda x: round(x, 2) + 1e-13),
        st.integers(-(10**17), 10**17),
        st.text(alphabet="\u0660\u0661\u0662.5\u00b2", max_size=8),  # other digits
        st.booleans(),
    )
)
def test_value_shortcut(raw: object) -> None:
    assert _same(RULES["value"], raw, "us")


@settings(max_examples=300)
@given(_padded(st.text(alphabet="SKU-0123456789,;| ", max_size=30)))
def test_content_ids_shortcut(raw: str) -> None:
    assert _same(RULES["content_ids"], raw, "us")


@settings(max_examples=300)
@given(_padded(st.text(max_size=20)))
def test_order_id_shortcut(raw: str) -> None:
    assert _same(RULES["order_id"], raw, "us")
    assert _same(RULES["event_id"], raw, "us")


@settings(max_examples=300)
@given(
    st.one_of(
        st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2090, 1, 1)).map(
            lambda d: d.replace(microsecond=0)
        ),
        st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2090, 1, 1)).map(
            lambda d: d.strftime("%Y-%m-%d %H:%M:%S")
        ),
        st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2090, 1, 1)).map(
            lambda d: d.strftime("%Y-%m-%dT%H:%M:%S")
        ),
        st.text(alphabet="0123456789-: T+Z", min_size=19, max_size=19),
    )
)
def test_event_time_shortcut(raw: object) -> None:
    assert _same(RULES["event_time"], raw, "us")


def test_shortcuts_take_the_common_cells() -> None:
    """The shortcuts must answer for the cells real exports are made of."""
    common = {
        "email": " Jane.Doe@Example.com ",
        "phone": "(415) 555-0123",
        "value": "1234.50",
        "content_ids": "SKU-1,SKU-2",
        "order_id": "A-100",
        "event_time": "2026-11-30 14:05:09",
    }
    for name, raw in common.items():
        rule = RULES[name]
        assert rule.fast is not None and rule.fast(raw, "us") is not None, name
    assert RULES["event_time"].fast is not None
    assert (
        RULES["event_time"].fast(dt.datetime(2026, 11, 30, 14, 5), "us")
        == (evaluate(RULES["event_time"], "2026-11-30 14:05:00", "us")[0])
    )
    # Blank cells are never a shortcut's to answer.
    for name, rule in RULES.items():
        for blank in (None, "", "  ", "\u00a0"):
            assert rule.fast is None or rule.fast(blank, "us") is None, (name, blank)


# The days the zones below change their clocks in 2026.
CLOCK_CHANGES = [
    dt.date(2026, m, d)
    for m, d in ((3, 8), (11, 1), (3, 29), (10, 25), (4, 5), (10, 4))
]


@settings(max_examples=400)
@given(
    st.one_of(
        st.datetimes(dt.datetime(1980, 1, 1), dt.datetime(2100, 1, 1)),
        st.builds(
            dt.datetime.combine,
            st.sampled_from(CLOCK_CHANGES),
            st.times(),
        ),
    ),
    st.sampled_from(
        ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC", None]
    ),
)
# Lord Howe Island moves its clocks by half an hour: 02:00-02:30 is skipped.
@example(dt.datetime(2026, 10, 4, 2, 45), "Australia/Lord_Howe")
def test_the_hourly_clock_agrees_with_the_zone(moment: dt.datetime, zone: str) -> None:
    # Cells never say which of a repeated hour they mean: the first is taken.
    moment = moment.replace(fold=0)
    tz = zoneinfo.ZoneInfo(zone) if zone else None
    clock = times.UnixClock(tz)
    start = moment.replace(minute=0, second=0, microsecond=0)
    # The hour's start first, then the moment: the second answer is the cache's.
    assert clock.unix(start) == times.to_unix(start, tz)
    assert clock.unix(moment) == times.to_unix(moment, tz)


def test_the_sale_time_shortcut_knows_lord_howes_half_hour() -> None:
    """Its clock skips 02:00-02:30 on 4 October 2026: 02:45 is 30 minutes in."""
    rules = rules_for(
        {},
        zoneinfo.ZoneInfo("Australia/Lord_Howe"),
        {"event_time": times.OrderEvidence(), "date_of_birth": times.OrderEvidence()},
    )
    rule = rules["event_time"]
    assert rule.fast is not None
    for text in ("2026-10-04 02:00:00", "2026-10-04 02:45:00", "2026-10-04 03:10:00"):
        assert rule.fast(text, "us") == evaluate(rule, text, "us")[0], text
        assert (
            rule.fast(dt.datetime.fromisoformat(text), "us")
            == (evaluate(rule, text, "us")[0])
        ), text
