"""Opening a spreadsheet: the sheet, the header row below any titles, the data rows."""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pinupload.core.cells import cell_text, is_blank
from pinupload.core.csvfile import BinaryFileError, CsvFile
from pinupload.core.fields import guess_field
from pinupload.core.model import SpreadsheetError, Table
from pinupload.core.workbook import Book, open_book

logger = logging.getLogger(__name__)

WORKBOOK_TYPES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_TYPES = (".csv", ".tsv", ".txt")
SUPPORTED = WORKBOOK_TYPES + TEXT_TYPES
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_HEADER_SCAN = 30
_TOTALS = re.compile(
    r"(grand\s*|sub\s*)?totals?\b.*|sum|summe|gesamt\w*|totale?|total general",
    re.IGNORECASE,
)
csv.field_size_limit(64 * 1024 * 1024)


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 -> A)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Sheet:
    """One sheet of a file, with its header found; its rows can be read again."""

    def __init__(
        self, path: Path, sheet: str | None = None, header_row: int | None = None
    ) -> None:
        self.path = Path(path)
        self.sheet_names: list[str] = []
        self.sheet: str | None = None
        self._text: CsvFile | None = None
        self._book: Book | None = None
        self._raw_rows = self._open(sheet)
        self.header_row, self.headers = self._find_header(header_row)
        self.width = len(self.headers)
        self.notes: list[str] = []

    # -- opening -------------------------------------------------------------
    def _open(self, sheet: str | None) -> Callable[[], Iterator[Sequence[object]]]:
        path = self.path
        if not path.exists():
            raise SpreadsheetError(f"{path} does not exist; check the name and folder.")
        if path.is_dir():
            raise SpreadsheetError(f"{path} is a folder, not a spreadsheet.")
        try:
            with path.open("rb") as handle:
                magic = handle.read(4)
        except OSError as exc:
            raise SpreadsheetError(
                f"{path.name} cannot be opened: {exc.strerror}."
            ) from None
        suffix = path.suffix.lower()
        if magic in (_ZIP_MAGIC, _OLE_MAGIC) or suffix in WORKBOOK_TYPES:
            return self._open_workbook(sheet, magic)
        if suffix in TEXT_TYPES or not suffix:
            return self._open_text(sheet)
        raise SpreadsheetError(
            f"{path.name} is not a spreadsheet pinupload can read; use "
            + ", ".join(s.lstrip(".") for s in SUPPORTED)
            + "."
        )

    def _open_workbook(
        self, sheet: str | None, magic: bytes
    ) -> Callable[[], Iterator[Sequence[object]]]:
        if magic == _OLE_MAGIC and self.path.suffix.lower() in (".xlsx", ".xlsm"):
            raise SpreadsheetError(
                f"{self.path.name} is protected with a password; open it in Excel, "
                "remove the password and save it again."
            )
        book = open_book(self.path, sheet)
        self._book = book
        self.sheet_names = book.sheet_names
        self.sheet = book.sheet
        return book.rows

    def _open_text(self, sheet: str | None) -> Callable[[], Iterator[Sequence[object]]]:
        if sheet is not None:
            raise SpreadsheetError(
                f"{self.path.name} is a text file and has no sheets; leave out the "
                "sheet."
            )
        try:
            text_file = CsvFile(self.path)
        except OSError as exc:
            raise SpreadsheetError(
                f"{self.path.name} cannot be read: {exc.strerror}."
            ) from None
        except BinaryFileError:
            raise SpreadsheetError(
                f"{self.path.name} is not a readable text spreadsheet; save it again "
                "from your spreadsheet program as CSV (UTF-8)."
            ) from None
        self._text = text_file
        return text_file.rows

    # -- the header ------------------------------------------------------------
    def _raw(self) -> Iterator[Sequence[object]]:
        try:
            yield from self._raw_rows()
        except (csv.Error, UnicodeDecodeError) as exc:
            logger.info("text file unreadable: %s", exc)
            raise SpreadsheetError(
                f"{self.path.name} is not a readable text spreadsheet; save it again "
                "from your spreadsheet program as CSV (UTF-8)."
            ) from None

    def _find_header(self, forced: int | None) -> tuple[int, list[str]]:
        scanned: list[tuple[int, Sequence[object]]] = []
        for number, row in enumerate(self._raw(), start=1):
            if forced is not None and number == forced:
                return number, self._header_texts(row, self._first_column)
            if forced is None and any(not is_blank(c) for c in row):
                scanned.append((number, row))
                if len(scanned) >= _HEADER_SCAN:
                    break
            if forced is not None and number > forced:
                break
        if forced is not None:
            raise SpreadsheetError(
                f"{self.path.name} has no row {forced}; choose a header row that "
                "exists."
            )
        best = max(scanned, key=lambda item: _header_score(item[1]), default=None)
        if best is None or _header_score(best[1]) < 2:
            raise SpreadsheetError(
                f"{self.path.name} has no header row (a row naming the columns, such "
                "as Email, Date, Total); add one above the data."
            )
        return best[0], self._header_texts(best[1], self._first_column)

    @property
    def _first_column(self) -> int:
        return self._book.first_column if self._book is not None else 0

    @staticmethod
    def _header_texts(row: Sequence[object], first_column: int = 0) -> list[str]:
        texts = [cell_text(c).strip() for c in row]
        while texts and not texts[-1]:
            texts.pop()
        seen: dict[str, int] = {}
        headers = []
        for i, text in enumerate(texts):
            text = text or f"Column {column_letter(first_column + i)}"
            if text in seen:
                seen[text] += 1
                text = f"{text} ({seen[text]})"
            else:
                seen[text] = 1
            headers.append(text)
        return headers

    # -- the data ------------------------------------------------------------
    def data_rows(
        self, start: int = 0, stop: int | None = None
    ) -> Iterator[tuple[int, Sequence[object]]]:
        """Yield (spreadsheet row number, cells) for every data row under the header.

        With `start`/`stop`, only rows numbered start <= n < stop. Empty rows are
        skipped and a totals line at the bottom is left out; `notes` tells both
        once the iteration ends.
        """
        self.notes = []
        scan = DataScan()
        rows = enumerate(self._raw(), start=1)
        yield from scan.rows(rows, max(start, self.header_row + 1), stop)
        self.notes = scan.notes()

    # -- splitting the work ------------------------------------------------------
    @property
    def is_text(self) -> bool:
        """Return True for a delimited text file."""
        return self._text is not None

    def row_estimate(self, bytes_per_row: int) -> int:
        """Return roughly how many rows the sheet has, without reading them."""
        if self._text is not None:
            return self.path.stat().st_size // bytes_per_row
        assert self._book is not None
        return self._book.row_estimate()

    def split(self, count: int) -> list[tuple[int, int | None]]:
        """Return `count` or fewer (start, stop) pieces that cover every data row.

        Workbook pieces are row numbers; text pieces are byte offsets.
        """
        if count <= 1:
            return [(0, None)]
        if self._text is not None:
            if not self._text.splittable or self._text.has_stray_quotes():
                return [(0, None)]
            points = self._text.split_points(count)
        else:
            assert self._book is not None
            points = _row_points(
                self.header_row + 1,
                self._book.row_estimate(),
                count,
                self._book.skip_cost,
            )
        return [
            (start, points[k + 1] if k + 1 < len(points) else None)
            for k, start in enumerate(points)
        ]

    def scan_piece(
        self, data: DataScan, piece: tuple[int, int | None]
    ) -> Iterator[tuple[int, Sequence[object]]]:
        """Yield the data rows of one piece from split().

        Text pieces after the first number their rows from 1: the caller shifts
        them once the rows before are counted.
        """
        start, stop = piece
        if self._book is not None:
            first = max(start, self.header_row + 1)
            return data.rows(
                enumerate(self._book.rows(first, stop), first), first, stop
            )
        assert self._text is not None
        records = enumerate(self._text.records_between(start, stop), 1)
        first = self.header_row + 1 if start == 0 else 1
        return data.rows(records, first, None, ends_sheet=stop is None)

    def read(self, progress: Callable[[int], None] | None = None) -> Table:
        """Return the whole sheet as a Table (rows kept as tuples)."""
        rows: list[tuple[object, ...]] = []
        numbers: list[int] = []
        for number, row in self.data_rows():
            rows.append(tuple(row))
            numbers.append(number)
            if progress is not None and len(rows) % 10000 == 0:
                progress(len(rows))
        return Table(
            path=self.path,
            sheet=self.sheet,
            sheet_names=self.sheet_names,
            header_row=self.header_row,
            headers=self.headers,
            rows=rows,
            row_numbers=numbers,
            notes=list(self.notes),
        )


def _row_points(first: int, height: int, count: int, skip_cost: float) -> list[int]:
    """Return where each of `count` pieces of rows first..height starts.

    Every piece reads the sheet from its top, passing over the rows before its
    own at `skip_cost` of a row's full cost, so later pieces are made shorter
    to end at the same time.
    """
    rows = max(count, height - first + 1)
    keep = 1.0 - skip_cost
    # Piece k costs skip_cost * p(k) + p(k+1) - p(k), the same for every k:
    # p(k+1) = share + keep * p(k), from p(0) = 0 to p(count) = rows.
    share = rows / sum(keep**k for k in range(count))
    points, reach = [0], 0.0
    for _ in range(1, count):
        reach = share + keep * reach
        points.append(first + max(1, round(reach)))
    return points


_VALUE_LIKE = re.compile(r"[\d\s.,:/\-+$€£%()]+|.*@.*")


class DataScan:
    """Picks data rows out of numbered raw rows, counting what it leaves out."""

    def __init__(self) -> None:
        self.empty = 0
        self.totals_row: int | None = None
        self.last_number = 0

    def rows(
        self,
        numbered: Iterator[tuple[int, Sequence[object]]],
        start: int,
        stop: int | None,
        ends_sheet: bool = True,
    ) -> Iterator[tuple[int, Sequence[object]]]:
        """Yield the data rows numbered start <= n < stop (stop None: to the end).

        `ends_sheet`: the rows run to the sheet's end, where a totals line may be.
        """
        pending: tuple[int, Sequence[object]] | None = None
        for number, row in numbered:
            self.last_number = number
            if number < start:
                continue
            if stop is not None and number >= stop:
                break
            first = row[0] if row else None
            if not any(row) or (
                (first is None or (type(first) is str and not first.strip()))
                and all(is_blank(c) for c in row)
            ):
                self.empty += 1
                continue
            if pending is not None:
                yield pending
            pending = (number, row)
        else:
            # Only the true end of the sheet can hold its totals line.
            if ends_sheet and pending is not None and _is_totals(pending[1]):
                self.totals_row, pending = pending[0], None
        if pending is not None:
            yield pending

    def notes(self) -> list[str]:
        """Return what was left out, in words."""
        out = []
        if self.totals_row is not None:
            out.append(
                f"Row {self.totals_row} looks like a totals line and was left out."
            )
        if self.empty:
            out.append(f"{self.empty} empty row{'s' * (self.empty != 1)} skipped.")
        return out


def _header_score(row: Sequence[object]) -> float:
    texts = [
        c
        for c in row
        if isinstance(c, str) and c.strip() and not _VALUE_LIKE.fullmatch(c)
    ]
    known = sum(1 for c in texts if guess_field(c))
    numbers = sum(1 for c in row if not isinstance(c, str) and not is_blank(c))
    return len(texts) + 3 * known - 2 * numbers


def _is_totals(row: Sequence[object]) -> bool:
    texts = [cell_text(c).strip() for c in row if not is_blank(c)]
    if any("@" in t for t in texts):
        return False
    return any(_TOTALS.fullmatch(t) for t in texts if not t[:1].isdigit())
