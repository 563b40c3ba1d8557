"""Normalizing and hashing identity fields as Pinterest's table says."""

from __future__ import annotations

import hashlib

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinupload.core import normalize as nz
from pinupload.core.cells import CellDroppedError, CellError
from pinupload.core.phones import phone


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_email_trimmed_lowercased_and_checked() -> None:
    assert nz.email(" John.Doe@Example.COM ") == "john.doe@example.com"
    assert nz.email("mailto:A@B.co") == "a@b.co"
    for bad in ("john.doe@", "no-at-sign.com", "a@b", "a b@c.com"):
        with pytest.raises(CellError, match="not an email address"):
            nz.email(bad)


def test_prehashed_values_are_kept() -> None:
    digest = sha("someone@example.com").upper()
    assert nz.email(digest) == digest.lower()
    assert nz.is_hashed(digest)
    assert not nz.is_hashed(digest[:-1])


@given(st.emails())
@settings(max_examples=200)
def test_any_email_normalizes_to_its_lowercase(address: str) -> None:
    assert nz.email(f"  {address} ") == address.strip().lower()


def test_names_gender_city() -> None:
    assert nz.lower("  Zoë ") == "zoë"
    assert [nz.gender(g) for g in ("Female", "M", "non-binary", "w")] == [
        "f",
        "m",
        "n",
        "f",
    ]
    with pytest.raises(CellDroppedError):
        nz.gender("maybe")
    assert nz.city(" San Francisco, CA ") == "sanfranciscoca"
    assert nz.city("Saint-Étienne") == "saintétienne"


@given(st.text())
def test_city_has_no_spaces_or_punctuation(text: str) -> None:
    out = nz.city(text)
    assert all(ch.isalnum() for ch in out)
    assert out == out.lower()


def test_countries_from_codes_and_names() -> None:
    got = [
        nz.country(c) for c in ("US", "usa", "Germany", "United Kingdom", "UK", "fr")
    ]
    assert got == ["us", "us", "de", "gb", "gb", "fr"]
    with pytest.raises(CellDroppedError, match="not a country"):
        nz.country("Atlantis")


def test_states_from_codes_and_names() -> None:
    assert nz.state("California", "us") == "ca"
    assert nz.state(" NY ", "us") == "ny"
    assert nz.state("new york", None) == "ny"
    with pytest.raises(CellDroppedError):
        nz.state("Nowhere Land", "us")


def test_zip_codes_and_the_excel_repair() -> None:
    assert nz.zip_code("94103-1234", "us") == ("94103", None)
    fixed, note = nz.zip_code(2134.0, "us")
    assert fixed == "02134" and note and "leading zero" in note
    assert nz.zip_code("02134", None) == ("02134", None)
    assert nz.zip_code("SW1A 1AA", "gb") == ("sw1a1aa", None)
    assert nz.zip_code("75-001", "pl") == ("75001", None)


def test_ip_and_ids() -> None:
    assert nz.ip_address(" 192.168.0.1 ") == "192.168.0.1"
    assert nz.ip_address("2001:DB8::1") == "2001:db8::1"
    with pytest.raises(CellDroppedError):
        nz.ip_address("999.1.1.1")
    assert nz.external_id(12345.0) == "12345"
    assert nz.mobile_ad_id(" AB-CD ") == "ab-cd"


def test_phones_e164_without_plus() -> None:
    assert phone("(415) 555-0132", "us") == ("14155550132", None)
    assert phone("+44 20 7946 0958", "us") == ("442079460958", None)
    assert phone("020 7946 0958", "gb") == ("442079460958", None)
    assert phone("0049 30 1234567", "de")[0] == "49301234567"


def test_phone_stored_as_number_is_repaired_with_a_note() -> None:
    digits, note = phone(4155550132.0, "us")
    assert digits == "14155550132"
    assert note and "stored as a number" in note


def test_phone_in_scientific_notation_is_flagged() -> None:
    with pytest.raises(CellDroppedError, match="scientific notation"):
        phone("4.15555E+09", "us")
    with pytest.raises(CellDroppedError, match="not a phone number"):
        phone("call me", "us")


@given(
    st.integers(2, 9), st.integers(0, 99), st.integers(2, 9), st.integers(0, 9_999_999)
)
@settings(max_examples=500)
def test_fast_north_american_path_agrees_with_phonenumbers(
    a: int, b: int, c: int, rest: int
) -> None:
    national = f"{a}{b:02d}{c}{rest:06d}"[:10]
    for written in (national, f"({national[:3]}) {national[3:6]}-{national[6:]}",
                    f"+1 {national}", f"1-{national}"):  # fmt: skip
        fast = phone(written, "us")[0]
        slow = phonenumbers.format_number(
            phonenumbers.parse(written, "US"), phonenumbers.PhoneNumberFormat.E164
        )[1:]
        assert fast == slow


def test_sha256_hex() -> None:
    assert nz.sha256_hex("a") == sha("a")
