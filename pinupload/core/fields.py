"""The fields a user maps columns to, and automatic mapping from header text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Field:
    """One thing pinupload can read from a column."""

    name: str  # as the user types it in --map and sees it in the window
    label: str
    group: str  # "identity", "event" or "purchase"
    hint: str
    synonyms: tuple[str, ...]  # header texts, compared by header_key()


def _f(name: str, label: str, group: str, hint: str, *synonyms: str) -> Field:
    return Field(name, label, group, hint, (name, *synonyms))


FIELDS: tuple[Field, ...] = (
    _f("email", "Email", "identity", "hashed; the best match key",
       "email address", "e-mail", "e-mail address", "customer email", "mail",
       "email id", "buyer email", "contact email", "user email", "em",
       "hashed email", "customer e-mail"),
    _f("phone", "Phone", "identity", "hashed, with country code",
       "phone number", "mobile", "mobile phone", "mobile number", "cell",
       "cell phone", "telephone", "tel", "phone no", "customer phone",
       "contact number", "ph", "billing phone"),
    _f("first_name", "First name", "identity", "hashed", "firstname", "first",
       "given name", "fname", "fn", "forename", "customer first name",
       "billing first name"),
    _f("last_name", "Last name", "identity", "hashed", "lastname", "last",
       "surname", "family name", "lname", "ln", "customer last name",
       "billing last name"),
    _f("gender", "Gender", "identity", "hashed: f, m or n", "sex", "ge"),
    _f("date_of_birth", "Date of birth", "identity", "hashed as YYYYMMDD", "dob",
       "birth date", "birthdate", "birthday", "db"),
    _f("city", "City", "identity", "hashed", "town", "ct", "billing city",
       "shipping city", "customer city"),
    _f("state", "State", "identity", "hashed two-letter code", "province",
       "region", "state province", "state/province", "st", "billing state",
       "shipping state", "state code"),
    _f("zip", "ZIP / postcode", "identity", "hashed", "zip code", "zipcode",
       "postcode", "post code", "postal code", "postal", "zp", "zip/postal code",
       "billing zip", "shipping zip", "billing postcode"),
    _f("country", "Country", "identity", "hashed ISO code", "country code", "nation",
       "billing country", "shipping country", "country/region"),
    _f("external_id", "External id", "identity", "hashed customer number",
       "customer id", "customer number", "client id", "loyalty id", "member id",
       "user id", "crm id", "customer no", "loyalty number"),
    _f("mobile_ad_id", "Mobile ad id", "identity", "hashed IDFA or GAID", "maid",
       "idfa", "gaid", "advertising id", "ad id", "device id", "hashed maids"),
    _f("ip_address", "IP address", "identity", "sent as is, with the user agent",
       "ip", "client ip", "client ip address"),
    _f("user_agent", "User agent", "identity", "sent as is, with the IP address",
       "ua", "browser", "client user agent"),
    _f("event_time", "Event time", "event", "when the sale happened", "time",
       "date", "timestamp", "sale date", "purchase date", "order date",
       "transaction date", "date time", "datetime", "created", "created at",
       "conversion time", "conversion date", "event date", "sale time",
       "order time", "purchase time", "transaction time", "when", "date/time"),
    _f("event_name", "Event name", "event", "checkout, lead, signup, ...",
       "event", "event type", "conversion type", "conversion event"),
    _f("event_id", "Event id", "event", "your own de-duplication id",
       "dedup id", "deduplication id", "conversion id"),
    _f("order_id", "Order id", "purchase", "makes each sale unique", "order",
       "order #", "order no", "order number", "transaction id", "transaction",
       "transaction #", "receipt", "receipt number", "receipt #", "invoice",
       "invoice number", "invoice #", "sale id", "order code", "order ref",
       "order reference"),
    _f("value", "Value", "purchase", "total before tax and shipping",
       "order total", "total", "revenue", "amount", "sale amount", "order value",
       "total amount", "sales", "sale total", "grand total", "net sales",
       "price", "order amount", "purchase amount", "sale value"),
    _f("currency", "Currency", "purchase", "ISO code such as USD",
       "currency code", "cur", "ccy"),
    _f("num_items", "Items", "purchase", "how many items", "qty", "quantity",
       "items", "item count", "units", "number of items", "num items", "pieces"),
    _f("content_ids", "Product ids", "purchase", "comma-separated",
       "product ids", "product id", "sku", "skus", "item ids", "item id",
       "content ids"),
    _f("content_name", "Product name", "purchase", "", "product name",
       "item name", "product", "content name"),
    _f("content_category", "Product category", "purchase", "", "category",
       "product category", "content category"),
    _f("content_brand", "Brand", "purchase", "", "brand", "product brand",
       "content brand"),
)  # fmt: skip

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def header_key(text: str) -> str:
    """Return `text` folded for comparison: lowercase, no spaces or punctuation."""
    return _NON_ALNUM.sub("", str(text).casefold())


_SYNONYMS: dict[str, str] = {}
for _field in FIELDS:
    for _syn in _field.synonyms:
        _SYNONYMS.setdefault(header_key(_syn), _field.name)

# Words that identify a field even inside a longer header ("Customer E-mail Addr.").
_CONTAINS: tuple[tuple[str, str], ...] = (
    ("email", "email"),
    ("phone", "phone"),
    ("mobile", "phone"),
    ("postcode", "zip"),
    ("postalcode", "zip"),
    ("zip", "zip"),
    ("firstname", "first_name"),
    ("lastname", "last_name"),
    ("surname", "last_name"),
    ("birth", "date_of_birth"),
    ("country", "country"),
    ("currency", "currency"),
    ("orderid", "order_id"),
    ("ordernumber", "order_id"),
    ("transactionid", "order_id"),
    ("useragent", "user_agent"),
    ("ipaddress", "ip_address"),
)


def guess_field(header: str) -> str | None:
    """Return the field a header most likely holds, or None."""
    key = header_key(header)
    if not key:
        return None
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    for word, name in _CONTAINS:
        if word in key:
            return name
    return None


def auto_map(headers: Iterable[str]) -> dict[str, str]:
    """Return field -> header for the headers that can be recognised.

    An exact synonym beats a partial match, and each field takes the first header
    that claims it, so "Email" wins over a later "Email 2".
    """
    mapping: dict[str, str] = {}
    headers = list(headers)
    for exact in (True, False):
        for header in headers:
            if header in mapping.values():
                continue
            key = header_key(header)
            name = _SYNONYMS.get(key) if exact else guess_field(header)
            if name and name not in mapping:
                mapping[name] = header
    return {name: mapping[name] for name in FIELD_NAMES if name in mapping}
