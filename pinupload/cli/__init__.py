"""The command-line face of pinupload: one module per command."""

from __future__ import annotations

import argparse
import importlib
import sys

from pinupload import __version__

# command name -> module under pinupload.cli that has add_arguments() and run()
COMMANDS = {
    "check": "check",
    "send": "send",
    "history": "history",
    "token": "token",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the parser of every command, or of `only` (a quicker start)."""
    parser = argparse.ArgumentParser(
        prog="pinupload",
        description="Send offline conversions from a spreadsheet to Pinterest.",
    )
    parser.add_argument(
        "--version", action="version", version=f"pinupload {__version__}"
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check this installation without opening a window, then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            continue
        module = importlib.import_module(f"pinupload.cli.{module_name}")
        module.add_arguments(sub)
    return parser


def run_cli(argv: list[str]) -> int:
    """Parse `argv`, run the command and return its exit status."""
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.selftest:
        from pinupload.selftest import run_selftest

        return run_selftest()
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    return int(args.run(args))
