"""Generate realistic store-sales files (15 columns) for the benchmarks.

    python bench/make_files.py ROWS [--out bench/out]

Writes sales-ROWS.xlsx and sales-ROWS.csv; existing files are kept. The workbook
keeps its text in a shared-strings table, as Excel and Google Sheets write it
(openpyxl alone writes every string inline, which readers parse differently).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

HEADER = ("Order ID", "Sale Date", "Customer Email", "Phone Number", "First Name",
          "Last Name", "City", "State", "ZIP", "Country", "Order Total", "Currency",
          "Qty", "Product IDs", "Store")  # fmt: skip
FIRST = ("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael",
         "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan",
         "Joseph", "Jessica", "Thomas", "Sarah", "Chris", "Karen")  # fmt: skip
LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson",
        "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Lee")  # fmt: skip
PLACES = [
    ("New York", "NY", "100"),
    ("Los Angeles", "CA", "900"),
    ("Chicago", "IL", "606"),
    ("Houston", "TX", "770"),
    ("Phoenix", "AZ", "850"),
    ("Philadelphia", "PA", "191"),
    ("San Antonio", "TX", "782"),
    ("San Diego", "CA", "921"),
    ("Dallas", "TX", "752"),
    ("Boston", "MA", "021"),
]
STORES = [f"Store {i:03d}" for i in range(1, 41)]


def phone(rnd: random.Random) -> str:
    """Return a North American number written the usual way."""
    area, exchange, line = (
        rnd.randrange(201, 990),
        rnd.randrange(200, 999),
        rnd.randrange(10000),
    )
    return f"({area}) {exchange}-{line:04d}"


def rows(count: int, seed: int = 7) -> Iterator[tuple[object, ...]]:
    """Yield `count` sales from the last six days, reproducibly."""
    rnd = random.Random(seed)
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=6)
    for i in range(count):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        city, state, zip3 = rnd.choice(PLACES)
        when = start + dt.timedelta(seconds=rnd.randrange(5 * 86400))
        yield (
            f"ORD-{1_000_000 + i}",
            when,
            f"{first}.{last}{i}@example.com".lower()
            if i % 7
            else f" {first}.{last}{i}@Example.com ",
            phone(rnd),
            first,
            last,
            city,
            state,
            f"{zip3}{rnd.randrange(100):02d}",
            "US",
            round(rnd.uniform(5, 500), 2),
            "USD",
            rnd.randrange(1, 6),
            ",".join(
                f"SKU-{rnd.randrange(1, 5000)}" for _ in range(rnd.randrange(1, 4))
            ),
            rnd.choice(STORES),
        )


def write_xlsx(path: Path, count: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sales")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    book.save(path)
    share_strings(path)


_INLINE = re.compile(
    rb'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>'
)
_SST = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
_SST_PART = "sharedStrings.xml"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def share_strings(path: Path) -> None:
    """Move the workbook's inline strings into xl/sharedStrings.xml, as Excel does."""
    table: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = table.setdefault(match[3], len(table))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match[1], match[2] or b"", index)

    temp = path.with_suffix(".tmp")
    with (
        zipfile.ZipFile(path) as old,
        zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = _INLINE.sub(shared, data)
            elif item.filename == "[Content_Types].xml":
                part = (
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}"/>'
                )
                data = data.replace(b"</Types>", part.encode() + b"</Types>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rSst" Type="{_REL}" Target="{_SST_PART}"/>'
                data = data.replace(
                    b"</Relationships>", rel.encode() + b"</Relationships>"
                )
            new.writestr(item, data)
        # Inline text is already XML-escaped, so it goes into the table as it is.
        body = b"".join(b"<si>%s</si>" % text for text in table)
        head = f'<sst xmlns="{_SST}" count="{len(table)}" uniqueCount="{len(table)}">'
        new.writestr("xl/sharedStrings.xml", head.encode() + body + b"</sst>")
    temp.replace(path)


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows(count):
            writer.writerow(
                [c.strftime("%Y-%m-%d %H:%M:%S") if isinstance(c, dt.datetime) else c
                 for c in row]
            )  # fmt: skip


def ensure(count: int, out: Path) -> tuple[Path, Path]:
    """Return the xlsx and csv of `count` rows, writing them if missing."""
    out.mkdir(parents=True, exist_ok=True)
    xlsx, text = out / f"sales-{count}.xlsx", out / f"sales-{count}.csv"
    if not text.exists():
        write_csv(text, count)
    if not xlsx.exists():
        write_xlsx(xlsx, count)
    return xlsx, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    for path in ensure(args.rows, args.out):
        print(path, f"{path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
