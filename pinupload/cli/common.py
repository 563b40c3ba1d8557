"""Options and helpers shared by the commands that read a spreadsheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pinupload.core.fields import FIELD_NAMES
from pinupload.core.model import OptionError, Options, SpreadsheetError
from pinupload.core.times import ORDERS

if TYPE_CHECKING:
    from pinupload.core.check import CheckResult


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """Add the reading and mapping options of `check` and `send` to `parser`."""
    parser.add_argument("file", type=Path, help="the spreadsheet (xlsx, xls, ods, csv)")
    group = parser.add_argument_group("reading and mapping")
    group.add_argument(
        "--sheet", metavar="NAME", help="sheet to read (default: first with data)"
    )
    group.add_argument(
        "--header-row", type=int, metavar="N", help="row that holds the column names"
    )
    group.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="read FIELD from the column HEADER (FIELD= unmaps); fields: "
        + ", ".join(FIELD_NAMES),
    )
    group.add_argument(
        "--timezone",
        metavar="TZ",
        help="zone of times without one (default: this computer's)",
    )
    group.add_argument(
        "--default-country",
        metavar="CC",
        help="country of phones without one (default: US)",
    )
    group.add_argument("--currency", metavar="CUR", help="currency of rows without one")
    group.add_argument(
        "--event-name",
        default="checkout",
        metavar="NAME",
        help="event name (default: checkout)",
    )
    group.add_argument(
        "--date-order",
        choices=ORDERS,
        help="order of day, month and year in text dates",
    )


def options_from_args(args: argparse.Namespace) -> Options:
    """Return the engine options the command line asked for.

    Raises OptionError for a malformed --map.
    """
    mapping: dict[str, str] = {}
    for item in args.map:
        name, sep, header = item.partition("=")
        if not sep:
            raise OptionError(
                f'--map "{item}" needs the form FIELD=HEADER, e.g. email=E-mail'
            )
        mapping[name.strip()] = header.strip()
    return Options(
        sheet=args.sheet,
        header_row=args.header_row,
        mapping=mapping,
        timezone=args.timezone,
        default_country=args.default_country,
        currency=args.currency,
        event_name=args.event_name,
        date_order=args.date_order,
    )


def fail(message: str) -> None:
    """Print a one-sentence error on stderr."""
    text = message.rstrip()
    if not text.endswith("."):
        text += "."
    print(f"pinupload: {text}", file=sys.stderr)


def load_checked(
    args: argparse.Namespace, keep_rows: bool = True
) -> CheckResult | None:
    """Check the file the command line names; print why and return None if unusable."""
    from pinupload.core.check import check_file

    try:
        return check_file(args.file, options_from_args(args), keep_rows=keep_rows)
    except (SpreadsheetError, OptionError) as exc:
        fail(str(exc))
        return None
