"""Automatic mapping of real exports' headers to fields."""

from __future__ import annotations

import pytest

from pinupload.core.fields import FIELD_NAMES, auto_map, guess_field, header_key


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Email Address", "email"), ("E-mail", "email"), ("Customer Email", "email"),
        ("CUSTOMER_E-MAIL_ADDR", "email"), ("Order #", "order_id"),
        ("Transaction ID", "order_id"), ("Sale Date", "event_time"),
        ("Purchase Date", "event_time"), ("Order Total", "value"), ("Revenue", "value"),
        ("Amount", "value"), ("Qty", "num_items"), ("ZIP", "zip"), ("Postcode", "zip"),
        ("Phone Number", "phone"), ("Mobile", "phone"), ("First Name", "first_name"),
        ("surname", "last_name"), ("Country Code", "country"), ("SKU", "content_ids"),
        ("Client IP Address", "ip_address"), ("User-Agent", "user_agent"),
    ],
)  # fmt: skip
def test_synonyms(header: str, field: str) -> None:
    assert guess_field(header) == field


def test_each_field_and_header_used_once_exact_names_first() -> None:
    mapping = auto_map(["Email 2", "Email", "Phone", "Mobile", "Notes"])
    assert mapping == {"email": "Email", "phone": "Phone"}
    assert list(mapping) == [f for f in FIELD_NAMES if f in mapping]


def test_header_key_ignores_case_spaces_and_punctuation() -> None:
    assert header_key(" Order-#  No. ") == header_key("orderno")
    assert guess_field("Notes") is None and guess_field("") is None
