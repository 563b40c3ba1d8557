"""Checking whole files: events as Pinterest's schema says, stable ids, problems."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from pinupload.core.check import MAX_BATCH, check_file
from pinupload.core.model import OptionError, Options
from pinupload.core.profiles import save_profile
from tests.schemas import validate_events_body
from tests.sheets import SALES_HEADER, recent, sales_rows, write_csv, write_xlsx


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def events_of(path: Path, options: Options | None = None) -> list[dict[str, Any]]:
    out = io.BytesIO()
    check_file(path, options or Options(), payload=out, keep_rows=False)
    bodies = [orjson.loads(line) for line in out.getvalue().splitlines()]
    for body in bodies:
        validate_events_body(body)
    return [e for body in bodies for e in body["data"]]


def test_events_follow_the_schema_and_hash_rules(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", sales_rows(3))
    result = check_file(path, Options())
    assert (result.rows, result.valid, result.invalid) == (3, 3, 0)
    events = events_of(path)
    first = events[0]
    assert first["event_name"] == "checkout"
    assert first["action_source"] == "offline"
    assert first["user_data"]["em"] == [sha("customer.1001@example.com")]
    assert first["user_data"]["ph"] == [sha("14155551000")]
    assert first["custom_data"] == {
        "value": "10.5", "currency": "USD", "order_id": "A-1001", "num_items": 1,
    }  # fmt: skip
    assert first["event_time"] == int(recent(1).timestamp())
    assert "partner_name" not in first
    # build_events rebuilds the same events from the kept rows
    assert result.build_events(result.valid_indices) == events


def test_every_field_maps_into_a_valid_event(tmp_path: Path) -> None:
    header = ["Email", "Phone", "First Name", "Last Name", "Gender", "DOB", "City",
              "State", "ZIP", "Country", "Customer ID", "MAID", "IP", "User Agent",
              "Date", "Event", "Event ID", "Order ID", "Revenue", "Currency", "Qty",
              "SKU", "Product Name", "Category", "Brand"]  # fmt: skip
    row = ["a@b.com", "030 1234567", "Zoë", "Doe", "F", "1990-04-02", "Berlin",
           "BE", "10115", "Germany", "C-9", "AAAA-BBBB", "10.0.0.1", "Mozilla/5.0",
           recent(2), "Lead", "my-id-1", "O-1", "1.234,50", "EUR", 2,
           "p1; p2", "Shirt", "Tops", "Acme"]  # fmt: skip
    path = write_xlsx(tmp_path / "all.xlsx", [header, row])
    result = check_file(path, Options())
    assert len(result.mapping) == 25, result.mapping
    [event] = events_of(path)
    ud, cd = event["user_data"], event["custom_data"]
    assert ud["ph"] == [sha("49301234567")]
    assert ud["db"] == [sha("19900402")] and ud["ge"] == [sha("f")]
    assert ud["country"] == [sha("de")] and ud["st"] == [sha("be")]
    assert ud["client_ip_address"] == "10.0.0.1"
    assert ud["client_user_agent"] == "Mozilla/5.0"
    assert ud["hashed_maids"] == [sha("aaaa-bbbb")]
    assert event["event_name"] == "lead" and event["event_id"] == "my-id-1"
    assert cd["content_ids"] == ["p1", "p2"] and cd["value"] == "1234.5"
    assert cd["content_brand"] == "Acme"


def test_event_id_is_stable_across_files_sheets_order_and_columns(
    tmp_path: Path,
) -> None:
    rows = sales_rows(4)
    a = events_of(write_xlsx(tmp_path / "a.xlsx", rows))
    header, *data = rows
    order = [3, 0, 6, 1, 2, 5, 4]
    shuffled = [[r[i] for i in order] for r in [header, *reversed(data)]]
    b = events_of(write_xlsx(tmp_path / "other name.xlsx", [("Export",), *shuffled],
                             title="Cover", Sales=[]))  # fmt: skip
    as_text = [[*r[:3], r[3].strftime("%m/%d/%Y %H:%M"), *r[4:]] for r in data]
    c = events_of(write_csv(tmp_path / "c.csv", [header, *as_text]))
    ids = {e["custom_data"]["order_id"]: e["event_id"] for e in a}
    assert ids == {e["custom_data"]["order_id"]: e["event_id"] for e in b}
    assert ids == {e["custom_data"]["order_id"]: e["event_id"] for e in c}
    assert len(set(ids.values())) == 4


def test_without_order_id_the_id_comes_from_identity_time_and_value(
    tmp_path: Path,
) -> None:
    rows = [
        ("Email", "Date", "Total"),
        ("a@b.com", recent(1), 5),
        ("a@b.com", recent(2), 5),
    ]
    first = events_of(write_xlsx(tmp_path / "a.xlsx", rows))
    again = events_of(write_xlsx(tmp_path / "b.xlsx", [rows[0], rows[2], rows[1]]))
    assert {e["event_id"] for e in first} == {e["event_id"] for e in again}
    assert first[0]["event_id"] != first[1]["event_id"]


def test_the_same_sale_twice_in_a_file_is_an_error(tmp_path: Path) -> None:
    rows = sales_rows(3)
    rows.append(rows[3])
    result = check_file(write_xlsx(tmp_path / "s.xlsx", rows), Options())
    assert (result.valid, result.invalid) == (3, 1)
    [dup] = [p for p in result.problems if p.severity == "error"]
    assert dup.row == 5 and dup.column == "Order #"
    assert "repeats the sale in row 4" in dup.message


def test_errors_and_warnings_name_row_column_and_cell(tmp_path: Path) -> None:
    now = dt.datetime.now()
    rows = [SALES_HEADER,
            ("A-1", "bad@", "", recent(1), "10", "USD", 1),
            ("A-2", "", "", recent(1), "10", "USD", 1),
            ("A-3", "c@d.com", "", "", "10", "USD", 1),
            ("A-4", "c@d.com", "", "sometime", "10", "USD", 1),
            ("A-5", "c@d.com", "", now + dt.timedelta(days=2), "10", "USD", 1),
            ("A-6", "c@d.com", "", recent(1), "ten", "USD", 1),
            ("A-7", "c@d.com", "", recent(1), "10", "QQQ", 1),
            ("A-8", "c@d.com", "", recent(12), "10", "USD", 1),
            ("A-9", "c@d.com", "4.15E+09", recent(1), "10", "USD", 1)]  # fmt: skip
    result = check_file(write_xlsx(tmp_path / "s.xlsx", rows), Options())
    errors = {p.row: p for p in result.problems if p.severity == "error"}
    warnings = {p.row: p for p in result.problems if p.severity == "warning"}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8]
    assert errors[2].column == "Customer Email" and '"bad@"' in errors[2].message
    assert errors[2].message.startswith('Row 2, column "Customer Email": ')
    assert errors[3].column is None and "no email" in errors[3].message
    assert "missing" in errors[4].message and '"sometime"' in errors[5].message
    assert "future" in errors[6].message
    assert errors[7].column == "Order Total" and '"ten"' in errors[7].message
    assert errors[8].column == "Currency" and "ISO 4217" in errors[8].message
    days_old = int((dt.datetime.now() - recent(12)).total_seconds() // 86400)
    assert f"{days_old} days old" in warnings[9].message
    assert (
        warnings[10].column == "Phone Number" and "scientific" in warnings[10].message
    )
    assert result.valid == 2


def test_day_month_order_from_the_column(tmp_path: Path) -> None:
    day = dt.date.today() - dt.timedelta(days=1)
    rows = [("Email", "Date"), ("a@b.com", day.strftime("%d/%m/%Y")),
            ("b@b.com", "13/01/2026")]  # fmt: skip
    result = check_file(write_csv(tmp_path / "s.csv", rows), Options())
    moment = dt.datetime.combine(day, dt.time(12, 0))
    [event] = result.build_events([0])
    assert event["event_time"] == int(moment.timestamp())


def test_batches_hold_at_most_1000_events(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", sales_rows(2100))
    out = io.BytesIO()
    check_file(path, Options(), payload=out, keep_rows=False)
    sizes = [len(orjson.loads(line)["data"]) for line in out.getvalue().splitlines()]
    assert sizes == [MAX_BATCH, MAX_BATCH, 100]


def test_options_and_overrides(tmp_path: Path) -> None:
    rows = [("Contact", "When", "Amount"), ("a@b.com", recent(1), "5")]
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    with pytest.raises(OptionError, match="no column holds an email"):
        check_file(path, Options())
    options = Options(mapping={"email": "contact"}, currency="eur", event_name="lead")
    [event] = events_of(path, options)
    assert event["custom_data"]["currency"] == "EUR" and event["event_name"] == "lead"
    for bad in (Options(mapping={"emale": "Contact"}), Options(mapping={"email": "X"}),
                Options(mapping={"email": "Contact"}, timezone="Nowhere/City"),
                Options(mapping={"email": "Contact"}, currency="QQQ")):  # fmt: skip
        with pytest.raises(OptionError):
            check_file(path, bad)


def test_saved_profile_is_reused_for_the_same_headers(tmp_path: Path) -> None:
    rows = [("Contact", "When", "Amount"), ("a@b.com", recent(1), "5")]
    save_profile(rows[0], {"email": "Contact", "event_time": "When", "value": "Amount"})
    result = check_file(write_xlsx(tmp_path / "s.xlsx", rows), Options())
    assert result.mapping == {
        "email": "Contact",
        "event_time": "When",
        "value": "Amount",
    }


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pinupload", *map(str, args)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_cli_check_json_and_payload(tmp_path: Path) -> None:
    rows = sales_rows(3)
    rows.append(("A-9", "nope", "", recent(1), "1", "USD", 1))
    path = write_xlsx(tmp_path / "s.xlsx", rows)
    out = run_cli("check", path, "--json", "--payload", tmp_path / "p.jsonl")
    assert out.returncode == 1, out.stderr
    summary = json.loads(out.stdout)
    assert {"file", "sheet", "rows", "valid", "invalid", "mapping", "problems"} <= set(
        summary
    )
    assert (summary["rows"], summary["valid"], summary["invalid"]) == (4, 3, 1)
    assert (
        summary["sheet"] == "Sales" and summary["mapping"]["email"] == "Customer Email"
    )
    [problem] = summary["problems"]
    assert problem == {
        "row": 5, "column": "Customer Email", "field": "email", "severity": "error",
        "message": problem["message"],
    }  # fmt: skip
    lines = (tmp_path / "p.jsonl").read_bytes().splitlines()
    assert len(lines) == 1
    body = orjson.loads(lines[0])
    validate_events_body(body)
    assert len(body["data"]) == 3


def test_cli_exit_codes_and_messages(tmp_path: Path) -> None:
    good = run_cli("check", write_xlsx(tmp_path / "s.xlsx", sales_rows(2)))
    assert good.returncode == 0 and "2 rows: 2 ready to send" in good.stdout
    missing = run_cli("check", tmp_path / "nope.xlsx")
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    bad_map = run_cli("check", tmp_path / "s.xlsx", "--map", "email")
    assert bad_map.returncode == 2 and "FIELD=HEADER" in bad_map.stderr


def test_cli_text_output_groups_problems(tmp_path: Path) -> None:
    rows = [SALES_HEADER] + [(f"A-{i}", "bad@", "", recent(1), "1", "USD", 1)
                             for i in range(8)]  # fmt: skip
    out = run_cli("check", write_xlsx(tmp_path / "s.xlsx", rows))
    assert out.returncode == 1
    assert 'Errors in column "Customer Email" (8):' in out.stdout
    assert "... and 3 more" in out.stdout


def test_problems_by_index_finds_each_problem_row(tmp_path: Path) -> None:
    rows = list(sales_rows(6))  # the header and six sales
    rows.insert(2, ("",) * 7)  # an empty line: row numbers and indices part ways
    rows[4] = ("A-4", "bad@", "", recent(1), "10", "USD", 1)
    rows[6] = ("A-6", "", "", "", "10", "USD", 1)
    result = check_file(write_xlsx(tmp_path / "s.xlsx", rows), Options())
    by_index = result.problems_by_index
    assert sorted(by_index) == [2, 4]
    assert {p.row for p in by_index[2]} == {5} and {p.row for p in by_index[4]} == {7}
    assert sum(len(found) for found in by_index.values()) == len(result.problems)
    # Row numbers given out of order are still found.
    result.table.row_numbers.reverse()
    reversed_numbers = result.table.row_numbers
    by_index = result.problems_by_index
    assert {reversed_numbers[i] for i in by_index} == {5, 7}
