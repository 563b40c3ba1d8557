"""`pinupload --selftest`: prove an installation works, without opening a window."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import ssl
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from pinupload import APP_ID, __version__
from pinupload.paths import resource

logger = logging.getLogger(__name__)

ALLOW_NO_KEYRING = "PINUPLOAD_SELFTEST_ALLOW_NO_KEYRING"
KEYRING_TIMEOUT = 20.0
# Backends that keep nothing, or keep secrets unencrypted on disk.
NOT_REAL_KEYRINGS = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class CheckFailedError(Exception):
    """A check found a fault; str() says what is wrong."""


def check_spreadsheet() -> str:
    """Write an xlsx with openpyxl, read it back both ways calamine can; return a note.

    The stream (python-calamine-plus) reads .xlsx; python-calamine reads the
    other formats whole.
    """
    import openpyxl

    from pinupload.core.workbook import LoadedBook, StreamedBook

    written = [["email", "value", "event_time"], ["a@example.com", 12.5, 3]]
    with tempfile.TemporaryDirectory(prefix="pinupload-selftest-") as tmp:
        path = Path(tmp) / "selftest.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in written:
            sheet.append(row)
        sheet.append(["b@example.com", 7, dt.datetime(2026, 1, 2, 3, 4, 5)])
        book.save(path)
        for kind in (StreamedBook, LoadedBook):
            read = [list(row) for row in kind(path, None).rows()]
            if read[:2] != written or read[2][2] != dt.datetime(2026, 1, 2, 3, 4, 5):
                raise CheckFailedError(f"read back {read!r}, not what was written")
    return (
        f"xlsx written by openpyxl {openpyxl.__version__}, streamed by "
        "python-calamine-plus and read whole by python-calamine"
    )


def check_certificates() -> str:
    """Load the CA bundle requests uses into an SSL context; return a note."""
    import requests.utils

    path = requests.utils.DEFAULT_CA_BUNDLE_PATH
    if not Path(path).is_file():
        raise CheckFailedError(f"no CA bundle at {path}")
    context = ssl.create_default_context(cafile=path)
    count = len(context.get_ca_certs())
    if count < 10:
        raise CheckFailedError(f"only {count} CA certificates in {path}")
    return f"{count} CA certificates from {path}"


def check_data() -> str:
    """Use the data of phonenumbers, pycountry and the time zones; return a note."""
    import zoneinfo

    import phonenumbers
    import pycountry

    number = phonenumbers.parse("01 23 45 67 89", "FR")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164 != "+33123456789":
        raise CheckFailedError(f"phone number metadata gave {e164}")
    country = pycountry.countries.get(alpha_2="DE")
    if country is None or pycountry.currencies.get(alpha_3="EUR") is None:
        raise CheckFailedError("pycountry has no data for DE or EUR")
    zone = zoneinfo.ZoneInfo("America/New_York")
    offset = dt.datetime(2026, 7, 1, tzinfo=zone).utcoffset()
    if offset != dt.timedelta(hours=-4):
        raise CheckFailedError(f"time zone data gave {offset} for New York in July")
    return "phone numbers, countries, currencies and time zones"


def _backend_name(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def check_keyring() -> str:
    """Name the keyring backend, and round-trip a throw-away secret; return a note."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    backend = keyring.get_keyring()
    found = backend.backends if isinstance(backend, ChainerBackend) else [backend]
    names = [_backend_name(item) for item in found]
    label = ", ".join(names) or _backend_name(backend)
    real = [n for n in names if not n.startswith(NOT_REAL_KEYRINGS)]
    if not real:
        if os.environ.get(ALLOW_NO_KEYRING) == "1":
            return f"{label}: no secure keyring, allowed by {ALLOW_NO_KEYRING}=1"
        raise CheckFailedError(f"{label}: no secure keyring, tokens cannot be stored")
    _round_trip(keyring)
    return f"{label}: a secret was stored, read and deleted"


def _round_trip(keyring: object) -> None:
    service, user = f"{APP_ID}.selftest", "selftest"
    value = secrets.token_hex(8)
    outcome: list[object] = []

    def work() -> None:
        try:
            keyring.set_password(service, user, value)  # type: ignore[attr-defined]
            outcome.append(keyring.get_password(service, user))  # type: ignore[attr-defined]
            keyring.delete_password(service, user)  # type: ignore[attr-defined]
        except Exception as exc:  # the caller reports any backend failure
            outcome.append(exc)

    # A locked keyring may wait on a password prompt: never hang the selftest on it.
    thread = threading.Thread(target=work, name="selftest-keyring", daemon=True)
    thread.start()
    thread.join(KEYRING_TIMEOUT)
    if thread.is_alive():
        raise CheckFailedError(f"no answer in {KEYRING_TIMEOUT:.0f} s (is it locked?)")
    if isinstance(outcome[0], Exception):
        raise CheckFailedError(f"{type(outcome[0]).__name__}: {outcome[0]}")
    if outcome[0] != value:
        raise CheckFailedError("the secret read back differs from the one stored")


def check_qt() -> str:
    """Start Qt without a window (offscreen if there is no screen), load the icon."""
    no_screen = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_screen:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else ""])
    icon = QIcon()
    for size in (16, 32, 48, 256):
        path = resource(f"icons/pinupload-{size}.png")
        if not path.is_file():
            raise CheckFailedError(f"icon missing: {path}")
        icon.addFile(str(path))
    if icon.pixmap(48, 48).isNull():
        raise CheckFailedError("the app icon does not load (image plugins missing?)")
    platform = app.platformName() if isinstance(app, QApplication) else "?"
    return f"PySide6 {PySide6.__version__}, platform {platform}, icon loaded"


def check_window() -> str:
    """Import the window's module (Qt widgets and all) without showing it."""
    import importlib

    try:
        module = importlib.import_module("pinupload.gui.app")
    except ImportError as exc:
        raise CheckFailedError(f"the window does not load: {exc}") from exc
    if not callable(getattr(module, "run_app", None)):
        raise CheckFailedError("pinupload.gui.app has no run_app()")
    return "pinupload.gui.app loads"


CHECKS: dict[str, Callable[[], str]] = {
    "spreadsheet": check_spreadsheet,
    "certificates": check_certificates,
    "data": check_data,
    "keyring": check_keyring,
    "qt": check_qt,
    "window": check_window,
}


def run_selftest(only: Sequence[str] | None = None) -> int:
    """Run the checks (all, or those named in `only`), print one line each.

    Returns 0 when every check passed, else 1.
    """
    names = list(CHECKS) if only is None else list(only)
    print(f"pinupload {__version__} selftest ({sys.platform}, frozen: {_frozen()})")
    sys.stdout.flush()
    failed = 0
    for name in names:
        try:
            note = CHECKS[name]()
        except Exception as exc:
            failed += 1
            logger.debug("selftest check %s failed", name, exc_info=True)
            detail = str(exc) if isinstance(exc, CheckFailedError) else repr(exc)
            print(f"FAIL {name}: {detail}", flush=True)
        else:
            # Flushed line by line: Qt aborts the process when it finds no platform.
            print(f"ok   {name}: {note}", flush=True)
    print("selftest passed" if not failed else f"selftest failed: {failed} check(s)")
    sys.stdout.flush()
    return 1 if failed else 0


def _frozen() -> str:
    return "yes" if getattr(sys, "frozen", False) else "no"
