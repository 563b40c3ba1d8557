"""Opening workbooks: .xlsx/.xlsm streamed row by row, other formats read whole.

python-calamine parses a whole sheet before handing over its first row (1.4 GB
for a million rows of fifteen columns). Its fork python-calamine-plus streams
.xlsx/.xlsm rows straight from the compressed file in flat memory, and can start
at any row, so several processes can each read their own part of one sheet.
Formats it cannot stream (.xls, .xlsb, .ods) are read whole by python-calamine.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import python_calamine as calamine
import python_calamine_plus as streaming

from pinupload.core.cells import is_blank
from pinupload.core.model import SpreadsheetError

logger = logging.getLogger(__name__)

STREAMED_TYPES = (".xlsx", ".xlsm")
READ_ERRORS: tuple[type[Exception], ...] = (
    calamine.CalamineError,
    streaming.CalamineError,
)
_HEAD_BYTES = 256 * 1024  # enough of a sheet's XML to count its rows' size
_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')
_DECLARED_START = re.compile(rb'<dimension\s+ref="([A-Z]+)\d+')
_HEADER_ROWS = 30  # rows that vouch for a declared first column
_SHEET_DATA = b"<sheetData"

Row = Sequence[object]


class Book(Protocol):
    """One sheet of a workbook, chosen when the book is opened."""

    sheet_names: list[str]
    sheet: str
    first_column: int  # the sheet's column of each row's first cell (0: A)
    skip_cost: float  # passing over a row before `start`, against reading it

    def rows(self, start: int = 1, stop: int | None = None) -> Iterator[Row]:
        """Yield rows numbered start, start + 1, ... to the end or to `stop` included.

        A row missing from the file comes back empty, so numbering stays true.
        """

    def row_estimate(self) -> int:
        """Return roughly how many rows the sheet has, without reading them."""


class _Opening(threading.Thread):
    """A workbook being opened on a thread of its own, for open_book to take."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="pinupload-open", daemon=True)
        self.path = path
        self.book: Any = None
        self.version = _version(path)

    def run(self) -> None:
        try:
            with self.path.open("rb") as handle:
                self.book = streaming.CalamineWorkbook.from_filelike(handle)
        except Exception as exc:  # open_book opens it again and says why
            logger.debug("opening %s ahead failed: %s", self.path.name, exc)


_openings: dict[Path, _Opening] = {}


def open_ahead(path: Path) -> None:
    """Start opening the workbook at `path` on a thread; open_book takes it over.

    The library parses the shared strings without holding the interpreter lock,
    so a command line that calls this before loading the rest of the engine gets
    both done at once (about a tenth of a second at 100,000 rows). Only a
    workbook that can be streamed is opened ahead; the thread is joined when the
    book is taken, so no thread is left for a fork to copy.
    """
    if path.suffix.lower() not in STREAMED_TYPES or path in _openings:
        return
    opening = _Opening(path)
    _openings[path] = opening
    opening.start()


def finish_openings() -> None:
    """Wait for every workbook still being opened ahead, and drop it.

    A fork must copy no thread of ours; a book nobody took is not needed.
    """
    while _openings:
        _openings.popitem()[1].join()


def _opened_ahead(path: Path) -> Any:
    """Return the book open_ahead opened for `path`, or None."""
    opening = _openings.pop(path, None)
    if opening is None:
        return None
    opening.join()
    # A file changed since (or a book never taken, found by a later open) is
    # opened afresh.
    return opening.book if opening.version == _version(path) else None


def _version(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def open_book(path: Path, sheet: str | None) -> Book:
    """Open the workbook at `path` on `sheet` (None: the first with data).

    Raises SpreadsheetError when the file can't be used.
    """
    name = path.name
    try:
        if path.suffix.lower() in STREAMED_TYPES:
            try:
                return StreamedBook(path, sheet)
            except streaming.StreamingNotSupported:
                logger.info("%s cannot be streamed; reading it whole", name)
        return LoadedBook(path, sheet)
    except (calamine.PasswordError, streaming.PasswordError):
        raise SpreadsheetError(
            f"{name} is protected with a password; open it in Excel, remove the "
            "password and save it again."
        ) from None
    except READ_ERRORS as exc:
        logger.info("calamine could not read %s: %s", name, exc)
        raise damaged(path) from None
    except OSError as exc:
        raise SpreadsheetError(f"{name} cannot be opened: {exc.strerror}.") from None


def damaged(path: Path) -> SpreadsheetError:
    """Return the error for a workbook whose content can't be parsed."""
    return SpreadsheetError(
        f"{path.name} is damaged or not really a spreadsheet; open it in your "
        "spreadsheet program and save it again as .xlsx or .csv."
    )


def _choose(path: Path, names: list[str], wanted: str | None) -> None:
    if not names:
        raise SpreadsheetError(f"{path.name} has no sheets.")
    if wanted is not None and wanted not in names:
        raise SpreadsheetError(
            f'{path.name} has no sheet named "{wanted}"; its sheets are '
            + ", ".join(f'"{s}"' for s in names)
            + "."
        )


def _worksheets(metas: Sequence[Any], library: Any) -> tuple[list[str], list[str]]:
    """Return the names of all worksheets and of the visible ones."""
    sheets = [m for m in metas if m.typ == library.SheetTypeEnum.WorkSheet]
    names = [m.name for m in sheets]
    shown = library.SheetVisibleEnum.Visible
    visible = [m.name for m in sheets if m.visible == shown]
    return names, visible


class StreamedBook:
    """An .xlsx/.xlsm sheet read row by row, one pass after another.

    The library reads the whole compressed file into memory when the book is
    opened from a file object (and keeps no file handle), so a forked worker
    streams its part from the memory it shares with its parent, shared
    strings included, instead of opening the book again.
    """

    # Processor time on the 15-column bench sheet: passing over a row costs
    # about a quarter of streaming and checking it (measured from 0.11 to 0.34
    # from run to run on a shared virtual machine).
    skip_cost = 0.25

    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path = path
        self._book = _opened_ahead(path)
        if self._book is None:
            with path.open("rb") as handle:
                self._book = streaming.CalamineWorkbook.from_filelike(handle)
        self.sheet_names, visible = _worksheets(self._book.sheets_metadata, streaming)
        _choose(path, self.sheet_names, sheet)
        if sheet is None:
            sheet = next(
                (s for s in visible if _has_data(self._book, s)), self.sheet_names[0]
            )
        self.sheet = sheet
        self._head: tuple[bytes, int] | None = None
        self.first_column = 0
        self.first_column = self._first_used_column()

    def rows(self, start: int = 1, stop: int | None = None) -> Iterator[Row]:
        # One row past `stop`, so a reader that stops at `stop` knows the sheet
        # goes on (a last row is treated differently: it may be a totals line).
        # A new pass ends the one before: the library keeps one stream a book.
        last = None if stop is None else stop - 1
        try:
            yield from self._book.stream_sheet_by_name(
                self.sheet, min_row=start - 1, max_row=last, min_col=self.first_column
            )
        except READ_ERRORS as exc:
            logger.info("calamine stopped reading %s: %s", self.path.name, exc)
            raise damaged(self.path) from None

    def row_estimate(self) -> int:
        head = self._sheet_head()
        return _xml_row_estimate(*head) if head else 0

    def _sheet_head(self) -> tuple[bytes, int] | None:
        """Return the start of the sheet's XML and its whole size, or None."""
        if self._head is None:
            try:
                self._head = _sheet_head(self.path, self.sheet)
            except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
                logger.info("sheet XML of %s not read: %s", self.path.name, exc)
                self._head = (b"", 0)
        return self._head if self._head[1] else None

    def _first_used_column(self) -> int:
        """Return the first column the sheet uses, as its writer declared it.

        Columns to the left of it are left out, as python-calamine leaves out
        empty ones, but only when the first rows agree they are empty: a wrong
        declaration must not hide cells.
        """
        head = self._sheet_head()
        declared = _DECLARED_START.search(head[0]) if head else None
        if declared is None or declared[1] == "A":
            return 0
        first = column_index(declared[1].decode())
        for row in itertools.islice(self.rows(), _HEADER_ROWS):
            if any(not is_blank(c) for c in row[:first]):
                return 0
        return first


def _has_data(book: Any, sheet: str) -> bool:
    """Return whether the sheet has a cell with something in it."""
    for row in book.stream_sheet_by_name(sheet):
        if any(not is_blank(c) for c in row):
            return True
    return False


def _sheet_head(path: Path, sheet: str) -> tuple[bytes, int]:
    """Return the first bytes of the named sheet's XML and its whole size."""
    with zipfile.ZipFile(path) as archive:
        member = _sheet_member(archive, sheet)
        size = archive.getinfo(member).file_size
        with archive.open(member) as handle:
            return handle.read(_HEAD_BYTES), size


def _xml_row_estimate(head: bytes, size: int) -> int:
    """Return the sheet's row count from its XML: declared, else from its size."""
    declared = _DIMENSION.search(head)
    if declared and int(declared[1]) > 1:
        return int(declared[1])
    start = head.find(_SHEET_DATA)
    body = head[start:] if start >= 0 else b""
    rows = body.count(b"<row ")
    if rows < 2:
        return 0
    # Every row writes its number in its tag and in each cell's reference, so
    # rows further down take more bytes; a plain ratio runs a tenth high on a
    # sheet of 100,000 rows.
    numbers = (rows + body.count(b"<c ")) / rows
    fixed = (len(body) - numbers * sum(len(str(n)) for n in range(1, rows + 1))) / rows
    if fixed <= 0:
        return int(rows * (size - start) / len(body))
    left, count, digits = size - start, 0, 1
    while True:
        per_row = fixed + numbers * digits
        band = 9 * 10 ** (digits - 1)  # rows whose number has `digits` digits
        if per_row * band >= left:
            return count + int(left / per_row)
        left -= per_row * band
        count += band
        digits += 1


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str:
    """Return the archive member holding the named sheet's cells."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    for tag in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', tag[0]))
        if _unescape(attrs.get("name", "")) != sheet:
            continue
        rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
            rel_attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel[0]))
            if rel_attrs.get("Id") == rel_id:
                target = rel_attrs["Target"]
                if target.startswith("/"):
                    return target.lstrip("/")
                return str(PurePosixPath("xl") / target)
    raise KeyError(sheet)


def column_index(letters: str) -> int:
    """Return the 0-based index of a column's letters (A -> 0, AA -> 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


class LoadedBook:
    """A sheet parsed whole by python-calamine (.xls, .xlsb, .ods)."""

    skip_cost = 0.0  # a forked worker inherits the parsed sheet

    def __init__(self, path: Path, sheet: str | None) -> None:
        book = calamine.CalamineWorkbook.from_path(str(path))
        self.sheet_names, visible = _worksheets(book.sheets_metadata, calamine)
        _choose(path, self.sheet_names, sheet)
        if sheet is None:
            chosen = None
            for name in visible:
                candidate = book.get_sheet_by_name(name)
                if candidate.height > 0:
                    chosen = candidate
                    break
            if chosen is None:
                chosen = book.get_sheet_by_name(self.sheet_names[0])
        else:
            chosen = book.get_sheet_by_name(sheet)
        self.sheet = chosen.name
        self._sheet = chosen
        top, left = chosen.start or (0, 0)
        # python-calamine leaves out empty columns on the left.
        self.first_column = int(left)
        self._height = int(chosen.height) + int(top)

    def rows(self, start: int = 1, stop: int | None = None) -> Iterator[Row]:
        for number, row in enumerate(self._sheet.iter_rows(), 1):
            if number >= start:
                yield row
                if stop is not None and number >= stop:
                    return

    def row_estimate(self) -> int:
        return self._height
