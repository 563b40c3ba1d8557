"""Which rows the preview shows, in which order: filtered and sorted in Python.

Runs on a pool thread: at a million rows a proxy model was far too slow, and one
long sort of a million keys would hold the interpreter lock for about a second,
so keys are sorted in slices and merged.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from pinupload.core.cells import cell_text, is_blank
from pinupload.gui.rowstate import RowState

ALL, PROBLEMS, READY, SENT, FAILED = "all", "problems", "ready", "sent", "failed"
FILTERS = (
    (ALL, "All rows"),
    (PROBLEMS, "Problems"),
    (READY, "Ready to send"),
    (SENT, "Already sent"),
    (FAILED, "Failed"),
)
SLICE = 20_000  # keys sorted at once: a few milliseconds each
FREE = 1_000  # keys freed at once


@dataclass(frozen=True)
class View:
    """What the user asked to see."""

    kind: str = ALL
    search: str = ""
    sort_column: int | None = None  # a column of the preview (0 Status, 1 answer,
    # then the file's); None: file order
    descending: bool = False


def select_rows(
    state: RowState, view: View, tick: Callable[[], None] | None = None
) -> list[int]:
    """Return the data-row indices to show for `view`, in order.

    `tick` is called every few thousand rows (it may raise to stop the work).
    """
    keep = _predicate(state, view.kind)
    needle = view.search.casefold().strip()
    rows = state.table.rows
    out: list[int] = []
    for index in range(state.rows):
        if tick is not None and index % 5000 == 0:
            tick()
        if keep is not None and not keep(index):
            continue
        if needle and not _matches(rows[index], needle, state, index):
            continue
        out.append(index)
    if view.sort_column is not None:
        out = _sorted(state, out, view.sort_column, view.descending, tick)
    return out


def _predicate(state: RowState, kind: str) -> Callable[[int], bool] | None:
    if kind == PROBLEMS:
        return state.has_problem
    if kind == READY:
        return lambda i: state.ready(i) and not state.is_sent(i)
    if kind == SENT:
        return state.is_sent
    if kind == FAILED:
        return state.is_failed
    return None


def _matches(cells: Any, needle: str, state: RowState, index: int) -> bool:
    for cell in cells:
        if not is_blank(cell) and needle in cell_text(cell).casefold():
            return True
    return needle in state.status(index)[0].casefold()


def sort_key(value: object) -> tuple[int, Any]:
    """Return a key that orders numbers, then dates, then text, then blanks."""
    if is_blank(value):
        return (3, 0)
    if isinstance(value, bool):
        return (2, str(value))
    if isinstance(value, int | float):
        return (0, float(value))
    if isinstance(value, dt.datetime):
        return (1, value.isoformat())
    if isinstance(value, dt.date):
        return (1, value.isoformat())
    text = cell_text(value).strip()
    try:
        return (0, float(text.replace(",", "")))
    except ValueError:
        return (2, text.casefold())


# TODO: sorting a million rows by a text column takes 15-20 s of Python (keys
# made per cell); keeping per-column keys after the first sort would cut it.
def _sorted(
    state: RowState,
    indices: list[int],
    column: int,
    descending: bool,
    tick: Callable[[], None] | None,
) -> list[int]:
    rows = state.table.rows
    cell = column - 2  # the preview shows Status and the answer first

    def key(i: int) -> tuple[int, Any]:
        if column == 0:
            return (2, state.status(i)[0])
        if column == 1:
            return (2, state.answer(i))
        cells = rows[i]
        return sort_key(cells[cell] if cell < len(cells) else None)

    runs: list[list[tuple[tuple[int, Any], int]]] = []
    for start in range(0, len(indices), SLICE):
        if tick is not None:
            tick()
        part = [(key(i), i) for i in indices[start : start + SLICE]]
        part.sort(reverse=descending)
        runs.append(part)
    merged: Iterator[tuple[tuple[int, Any], int]] = heapq.merge(
        *runs, reverse=descending
    )
    out: list[int] = []
    while True:
        chunk = list(islice(merged, SLICE))
        if not chunk:
            break
        if tick is not None:
            tick()
        out.extend(i for _k, i in chunk)
    # Freed all at once, a million keys are one long stretch of C that holds the
    # interpreter lock. Even a run of SLICE keys took 3 ms, and a repaint that
    # calls into Python a few thousand times waits that long each time (a 240 ms
    # stall at a million rows); FREE keys at a time is a tenth of a millisecond.
    for run in runs:
        while run:
            del run[-FREE:]
    return out
