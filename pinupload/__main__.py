"""Entry point: `pinupload` opens the window, `pinupload COMMAND ...` runs the CLI."""

from __future__ import annotations

import sys

from pinupload.cli import COMMANDS, run_cli


def main(argv: list[str] | None = None) -> int:
    """Run pinupload with `argv` (default: the process's); return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if args and (args[0] in COMMANDS or args[0].startswith("-")):
        return run_cli(args)
    from pinupload.gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
