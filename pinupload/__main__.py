"""Entry point: `pinupload` opens the window, `pinupload COMMAND ...` runs the CLI."""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

from pinupload.cli import COMMANDS, run_cli


def main(argv: list[str] | None = None) -> int:
    """Run pinupload with `argv` (default: the process's); return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if args and (args[0] in COMMANDS or args[0].startswith("-")):
        return run_cli(args)
    from pinupload.gui.app import run_app

    return run_app(args)


def run() -> NoReturn:
    """Run as the program itself (console script, bundle, `python -m`), then exit.

    A check of a million rows leaves millions of objects, and freeing them one
    by one at exit took 0.6 s of its 10; once its outputs are closed and the
    log flushed nothing is left to do, so it ends there.
    """
    code = main()
    if sys.argv[1:2] == ["check"]:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
