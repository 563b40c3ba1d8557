"""The command-line face of pinupload: one module per command."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from pinupload import __version__

logger = logging.getLogger(__name__)

# command name -> module under pinupload.cli that has add_arguments() and run()
COMMANDS = {
    "check": "check",
    "send": "send",
    "history": "history",
    "token": "token",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the parser of every command, or of `only` ("" for none).

    Loading one command's module only keeps start-up quick, and keeps --version
    and --selftest working whatever state a command's module is in.
    """
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
    """Parse `argv`, run the command and return its exit status.

    An unexpected failure is logged with its traceback and told in one sentence
    that says where the log is; the user never sees a traceback.
    """
    command = argv[0] if argv and argv[0] in COMMANDS else None
    wants_help = not argv or "-h" in argv or "--help" in argv
    parser = build_parser(command or (None if wants_help else ""))
    args = parser.parse_args(argv)
    if args.selftest:
        from pinupload.selftest import run_selftest

        return run_selftest()
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    start = getattr(args, "start", None)
    if start is not None:
        # Work a command can begin before the rest of pinupload loads.
        start(args)
    from pinupload.logsetup import setup_logging

    log = setup_logging(console=False)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("pinupload: stopped.", file=sys.stderr)
        return 130
    except Exception:
        logger.exception("pinupload %s failed", args.command)
        print(
            f"pinupload: something went wrong inside pinupload; the details are in "
            f"{log}. Please send that file to support.",
            file=sys.stderr,
        )
        return 2
