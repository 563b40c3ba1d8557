"""Delimited text files: finding the encoding and the delimiter, then the rows."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE = 64 * 1024
_CHUNK = 1024 * 1024


class BinaryFileError(ValueError):
    """The file is not text."""


def detect_encoding(path: Path) -> str:
    """Return the codec name of a text file: UTF-8 (BOM or not), UTF-16 or cp1252."""
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        if head and head[1::2].count(0) > len(head) // 4:
            return "utf-16-le"
        if head and head[0::2].count(0) > len(head) // 4:
            return "utf-16-be"
        if b"\x00" in head:
            raise BinaryFileError(f"{path.name} holds binary data")
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        try:
            while chunk:
                # ASCII is UTF-8 as it stands, when no character is left open.
                if not chunk.isascii() or decoder.getstate()[0]:
                    decoder.decode(chunk)
                chunk = handle.read(_CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def detect_delimiter(sample: str, preferred: str | None = None) -> str:
    """Return the delimiter that splits the sample's lines most consistently."""
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may have cut the last line
    best, best_score = preferred or ",", -1.0
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim) if row]
        if not counts:
            continue
        widest = max(set(counts), key=counts.count)
        if widest < 2:
            continue
        score = counts.count(widest) / len(counts) + widest / 1000
        if delim == preferred:
            score += 0.01
        if score > best_score:
            best, best_score = delim, score
    return best


class CsvFile:
    """A delimited text file whose rows can be read as often as needed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.encoding = detect_encoding(path)
        with self._open() as handle:
            sample = handle.read(_SAMPLE)
        preferred = "\t" if path.suffix.lower() == ".tsv" else None
        self.delimiter = detect_delimiter(sample, preferred)
        self._quote_index: tuple[bool, int, list[int]] | None = None

    def _open(self) -> io.TextIOWrapper:
        return self.path.open("r", encoding=self.encoding, newline="")

    def rows(self) -> Iterator[list[str]]:
        """Yield every record as a list of strings, from the first line on."""
        with self._open() as handle:
            yield from csv.reader(handle, delimiter=self.delimiter)

    def has_stray_quotes(self) -> bool:
        """Return True when a quote mark stands inside an unquoted field (5" screen).

        Such a quote breaks the even-count rule split_points relies on. Quotes
        followed by text are either a field's opening quote, right after a
        delimiter or a line break, or a stray one.
        """
        return self._quotes()[0]

    def _quotes(self) -> tuple[bool, int, list[int]]:
        """Return (a stray quote found, buffer size, quotes before each buffer).

        One pass over the file serves has_stray_quotes and split_points:
        item k of the list counts the quote marks in the first k buffers.
        """
        if self._quote_index is not None:
            return self._quote_index
        d = re.escape(self.delimiter.encode())
        edges = d + rb'"\r\n'  # what may stand before and after a field
        # The whole test in one pattern, so the scan stays in C: a quote (looked
        # for first, which the engine does fastest) with no field start before
        # it and no field end after it. Three times faster than testing each
        # quote in Python on a file of quoted product lists.
        stray = re.compile(rb'"(?<=[^' + edges + rb']")(?![' + edges + rb"])")
        size, counts = _CHUNK, [0]
        with self.path.open("rb") as handle:
            # Each buffer starts with the previous one's last two bytes: the last
            # byte is only judged once the byte after it has been read.
            tail = b"\n"
            while chunk := handle.read(size):
                data = tail + chunk
                found = stray.search(data, 1)
                if found is not None and found.start() < len(data) - 1:
                    self._quote_index = (True, size, [])
                    return self._quote_index
                counts.append(counts[-1] + chunk.count(b'"'))
                tail = data[-2:]
        self._quote_index = (False, size, counts)
        return self._quote_index

    @property
    def splittable(self) -> bool:
        """Return True when records can be found from a byte offset on."""
        return self.encoding in ("utf-8", "utf-8-sig", "cp1252")

    def split_points(self, count: int) -> list[int]:
        """Return byte offsets that cut the file into `count` runs of whole records.

        An offset is right after a newline with an even number of quote marks
        before it, so no quoted field (which may hold newlines) is cut.
        """
        _stray, buffer, counts = self._quotes()
        size = self.path.stat().st_size
        points = [0]
        with self.path.open("rb") as handle:
            for k in range(1, count):
                # A record longer than a piece may reach past the next target.
                position = max(size * k // count, points[-1])
                whole = min(position // buffer, len(counts) - 1)
                quotes = counts[whole] + _count_quotes(handle, whole * buffer, position)
                handle.seek(position)
                while True:
                    line = handle.readline()
                    if not line:
                        return points
                    position += len(line)
                    quotes += line.count(b'"')
                    if quotes % 2 == 0:
                        break
                points.append(position)
        return points

    def records_between(self, start: int, stop: int | None) -> Iterator[list[str]]:
        """Yield the records in bytes start..stop (offsets from split_points)."""
        encoding = "utf-8" if self.encoding == "utf-8-sig" and start else self.encoding

        def lines() -> Iterator[str]:
            # Whole blocks decoded at once, cut after their last newline: far
            # cheaper than decoding line by line.
            with self.path.open("rb") as handle:
                handle.seek(start)
                left = None if stop is None else stop - start
                carry = b""
                while left is None or left > 0:
                    block = handle.read(_CHUNK if left is None else min(_CHUNK, left))
                    if not block:
                        break
                    if left is not None:
                        left -= len(block)
                    block = carry + block
                    cut = block.rfind(b"\n") + 1
                    carry = block[cut:]
                    # newline="" splits as csv wants, and as rows() reads.
                    yield from io.StringIO(block[:cut].decode(encoding), newline="")
                if carry:
                    yield carry.decode(encoding)

        yield from csv.reader(lines(), delimiter=self.delimiter)


def _count_quotes(handle: io.BufferedReader, start: int, stop: int) -> int:
    handle.seek(start)
    count = 0
    remaining = stop - start
    while remaining > 0:
        chunk = handle.read(min(_CHUNK, remaining))
        if not chunk:
            break
        count += chunk.count(b'"')
        remaining -= len(chunk)
    return count
