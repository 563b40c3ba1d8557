"""`pinupload token`: keep, list and forget access tokens in the OS keyring."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

import orjson

from pinupload.cli.common import fail
from pinupload.core.credentials import (
    ENV_TOKEN,
    KeyringUnavailable,
    delete_token,
    list_accounts,
    set_token,
)


def add_arguments(sub: argparse._SubParsersAction) -> None:
    """Register `token` and its actions."""
    parser = sub.add_parser(
        "token",
        help="save, list or delete access tokens (kept in the OS keyring)",
        description="Conversion access tokens live in the OS keyring, one per ad "
        f"account. {ENV_TOKEN}, when set, is used instead.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    save = actions.add_parser(
        "set", help="save a token (read from stdin, or asked for without echo)"
    )
    save.add_argument("--ad-account", required=True, metavar="ID")
    save.add_argument("--label", help="a name for the account, shown in lists")
    save.set_defaults(run=run_set)
    delete = actions.add_parser("delete", help="forget an account's token")
    delete.add_argument("--ad-account", required=True, metavar="ID")
    delete.set_defaults(run=run_delete)
    listing = actions.add_parser("list", help="list accounts with a token (not tokens)")
    listing.add_argument("--json", action="store_true", help="JSON on stdout")
    listing.set_defaults(run=run_list)


def _read_token(account_id: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(f"Access token for ad account {account_id}: ")
    return sys.stdin.readline()


def run_set(args: argparse.Namespace) -> int:
    """Save a token; return the exit status."""
    try:
        token = _read_token(args.ad_account)
        set_token(args.ad_account, token, args.label)
    except (ValueError, KeyringUnavailable) as exc:
        fail(str(exc))
        return 2
    except (EOFError, KeyboardInterrupt):
        fail("no token was saved")
        return 2
    print(f"Token saved in the keyring for ad account {args.ad_account.strip()}.")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Forget a token; return the exit status."""
    try:
        delete_token(args.ad_account)
    except (ValueError, KeyringUnavailable) as exc:
        fail(str(exc))
        return 2
    print(f"Token deleted for ad account {args.ad_account.strip()}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List the accounts that have a token; return the exit status."""
    accounts = list_accounts()
    override = bool(os.environ.get(ENV_TOKEN, "").strip())
    if args.json:
        body = {
            "accounts": [{"id": a.id, "label": a.label} for a in accounts],
            "env_token": override,
        }
        sys.stdout.buffer.write(orjson.dumps(body) + b"\n")
        return 0
    if not accounts:
        print("No tokens saved. Save one with 'pinupload token set --ad-account ID'.")
    for account in accounts:
        print(f"{account.id}  {account.label or ''}".rstrip())
    if override:
        print(f"{ENV_TOKEN} is set and is used instead of saved tokens.")
    return 0
