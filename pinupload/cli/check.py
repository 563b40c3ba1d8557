"""`pinupload check`: what a send would do with a file, without sending anything."""

from __future__ import annotations

import argparse
import gc
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from pinupload.cli.common import add_engine_options, fail, options_from_args
from pinupload.core.model import ERROR, OptionError, SpreadsheetError
from pinupload.core.workbook import open_ahead

if TYPE_CHECKING:
    from pinupload.core.check import CheckResult

_SHOWN_PER_GROUP = 5


def add_arguments(sub: argparse._SubParsersAction) -> None:
    """Register `check`."""
    parser = sub.add_parser(
        "check",
        help="read a spreadsheet and report what would be sent",
        description="Read a spreadsheet, check every row and report what a send "
        "would do. Exit 0: every row is valid; 1: some are not; 2: the file can't "
        "be used.",
    )
    add_engine_options(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument(
        "--payload",
        type=Path,
        metavar="OUT",
        help="write the request bodies, one per line",
    )
    parser.add_argument(
        "--save-mapping",
        action="store_true",
        help="remember this mapping for files with the same columns",
    )
    # The workbook opens on a thread while the engine's modules load.
    parser.set_defaults(run=run, start=lambda args: open_ahead(args.file))


def run(args: argparse.Namespace) -> int:
    """Run `check`; return its exit status."""
    import orjson

    from pinupload.core.check import check_file, summary_dict
    from pinupload.core.profiles import save_profile

    # Each row makes a dozen short-lived containers; with the default threshold
    # the collector runs every few rows and walks every cache entry (a fifth of
    # the time, measured). Cycles are rare here, so collect seldom.
    gc.freeze()
    gc.set_threshold(200_000, 20, 100)
    try:
        options = options_from_args(args)
        if args.payload is not None:
            with args.payload.open("wb") as out:
                result = check_file(args.file, options, payload=out, keep_rows=False)
        else:
            result = check_file(args.file, options, keep_rows=False)
    except (SpreadsheetError, OptionError) as exc:
        fail(str(exc))
        return 2
    except OSError as exc:
        fail(f"{exc.filename or args.payload} cannot be written: {exc.strerror}")
        return 2
    if args.save_mapping:
        save_profile(result.table.headers, result.mapping)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(summary_dict(result)) + b"\n")
    else:
        print(render_text(result))
    return 0 if result.invalid == 0 else 1


def render_text(result: CheckResult) -> str:
    """Return the readable summary: counts, mapping, notes and grouped problems."""
    table = result.table
    sheet = f', sheet "{table.sheet}"' if table.sheet else ""
    lines = [f"{table.path.name}{sheet}"]
    valid = result.valid  # counted once: a million rows take 20 ms a count
    invalid = result.rows - valid
    counts = f"{valid} ready to send, {invalid} with errors"
    lines.append(f"{result.rows} rows: {counts}")
    used = ", ".join(f'{f} <- "{h}"' for f, h in result.mapping.items())
    lines.append(f"Columns used: {used}")
    for note in result.notes:
        lines.append(f"Note: {note}")
    groups: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for p in result.problems:
        groups[(p.severity, p.column)].append(p.message)
    for (severity, column), messages in sorted(
        groups.items(), key=lambda item: (item[0][0] != ERROR, item[0][1] or "")
    ):
        title = "Errors" if severity == ERROR else "Warnings"
        where = f'column "{column}"' if column else "whole rows"
        lines.append(f"\n{title} in {where} ({len(messages)}):")
        lines.extend(f"  {m}" for m in messages[:_SHOWN_PER_GROUP])
        if len(messages) > _SHOWN_PER_GROUP:
            lines.append(f"  ... and {len(messages) - _SHOWN_PER_GROUP} more")
    if invalid == 0:
        lines.append("\nEvery row is ready to send.")
    return "\n".join(lines)
