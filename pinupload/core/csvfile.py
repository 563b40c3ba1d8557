"""Delimited text files: finding the encoding and the delimiter, then the rows."""

from __future__ import annotations

import codecs
import csv
import io
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

    def _open(self) -> io.TextIOWrapper:
        return self.path.open("r", encoding=self.encoding, newline="")

    def rows(self) -> Iterator[list[str]]:
        """Yield every record as a list of strings, from the first line on."""
        with self._open() as handle:
            yield from csv.reader(handle, delimiter=self.delimiter)
