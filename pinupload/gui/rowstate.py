"""What the window knows about each row: problems, ledger state, Pinterest's answer.

Plain Python, no Qt: the table model, the filters and the summary read it, and the
tests can check it without a widget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pinupload.core.cells import is_blank
from pinupload.core.check import CheckResult
from pinupload.core.model import ERROR, WARNING, Problem, Table
from pinupload.core.results import (
    FAILED,
    INVALID,
    PROCESSED,
    SKIPPED,
    UNCONFIRMED,
    RowResult,
)

OK = "ok"  # severity of a row that went through
MATCH_KEYS = (
    ("email", ("email",)),
    ("phone", ("phone",)),
    ("name", ("first_name", "last_name")),
    ("zip", ("zip",)),
    ("external id", ("external_id",)),
)
_RESULT_TEXT = {
    PROCESSED: "Processed",
    FAILED: "Failed",
    SKIPPED: "Already sent",
    UNCONFIRMED: "Unconfirmed",
    INVALID: "Not sendable",
}


@dataclass
class Summary:
    """The counts the summary line shows."""

    rows: int = 0
    ready: int = 0
    invalid: int = 0
    already_sent: int = 0
    warnings: int = 0
    match: dict[str, float] = field(default_factory=dict)  # key -> share of ready


class RowSet:
    """A set of data-row indices kept as one byte per row.

    At a million rows a set grows through hash tables of tens of megabytes, and
    each resize, fresh pages and all, held the interpreter lock for up to 100 ms.
    """

    def __init__(self, rows: int = 0) -> None:
        self._flags = bytearray(rows)
        self._count = 0

    def add(self, index: int) -> None:
        if index >= len(self._flags):
            self._flags.extend(bytes(index + 1 - len(self._flags)))
        if not self._flags[index]:
            self._flags[index] = 1
            self._count += 1

    def __contains__(self, index: object) -> bool:
        flags = self._flags
        return isinstance(index, int) and 0 <= index < len(flags) and flags[index] == 1

    def __len__(self) -> int:
        return self._count


class RowResults:
    """Pinterest's answer per data row, in a list as long as the file.

    A dict of a million answers grew on the GUI thread as they arrived, and its
    last resize froze the window for over 100 ms; a list made up front does not
    grow.
    """

    def __init__(self, rows: int = 0) -> None:
        self._items: list[RowResult | None] = [None] * rows
        self._count = 0

    def get(self, index: int) -> RowResult | None:
        return self._items[index] if index < len(self._items) else None

    def add(self, result: RowResult) -> None:
        items, index = self._items, result.index
        if index >= len(items):
            items.extend([None] * (index + 1 - len(items)))
        if items[index] is None:
            self._count += 1
        items[index] = result

    def clear(self) -> list[RowResult | None]:
        """Forget every answer; return the old list, for the caller to let go of.

        The list grows back as answers come (a list, unlike a dict, grows in
        place without a long pause).
        """
        old, self._items, self._count = self._items, [], 0
        return old

    def __len__(self) -> int:
        return self._count


@dataclass
class RowState:
    """Everything per row beyond its cells; indices are data-row indices."""

    table: Table
    check: CheckResult | None
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    already_sent: RowSet = field(default_factory=RowSet)
    unconfirmed: RowSet = field(default_factory=RowSet)
    results: RowResults = field(default_factory=RowResults)
    test_results: bool = False  # the results came from a test run
    pending: bool = False  # the first rows of a file still being read and checked
    summary: Summary = field(default_factory=Summary)

    @property
    def rows(self) -> int:
        return len(self.table.rows)

    def ready(self, index: int) -> bool:
        return self.check is not None and self.check.event_ids[index] is not None

    def status(self, index: int) -> tuple[str, str]:
        """Return (status text, severity: ERROR, WARNING, OK or "")."""
        result = self.results.get(index)
        if result is not None:
            return _result_status(result)
        if self.check is None:
            return ("Checking…" if self.pending else "Not checked"), ""
        if self.check.event_ids[index] is None:
            return "Not sendable", ERROR
        if index in self.already_sent:
            return "Already sent", OK
        if index in self.unconfirmed:
            return "Unconfirmed", WARNING
        if any(p.severity == WARNING for p in self.problems.get(index, ())):
            return "Ready, with a warning", WARNING
        return "Ready", ""

    def answer(self, index: int) -> str:
        """Return Pinterest's words about the row, once it has been sent."""
        result = self.results.get(index)
        if result is None or result.status == INVALID:
            return ""
        return result.error_message or result.warning_message or "OK"

    def cell_marks(self, index: int) -> dict[str, tuple[str, str]]:
        """Return header -> (worst severity, messages) for the row's problem cells."""
        marks: dict[str, tuple[str, str]] = {}
        for p in self.problems.get(index, ()):
            if p.column is None:
                continue
            old = marks.get(p.column)
            if old is None:
                marks[p.column] = (p.severity, p.message)
            else:
                worst = ERROR if ERROR in (old[0], p.severity) else WARNING
                marks[p.column] = (worst, old[1] + "\n" + p.message)
        return marks

    def row_messages(self, index: int) -> list[str]:
        """Return every message about the row: problems, then Pinterest's answer."""
        messages = [p.message for p in self.problems.get(index, ())]
        result = self.results.get(index)
        if result is not None and result.status != INVALID:
            messages += [m for m in (result.error_message, result.warning_message) if m]
        return messages

    def add_results(self, results: Iterable[RowResult], test: bool) -> None:
        self.test_results = test
        add = self.results.add
        for result in results:
            add(result)

    def has_problem(self, index: int) -> bool:
        result = self.results.get(index)
        return bool(self.problems.get(index)) or (
            result is not None and result.status in (FAILED, UNCONFIRMED)
        )

    def is_sent(self, index: int) -> bool:
        if index in self.already_sent:
            return True
        result = self.results.get(index)
        return result is not None and (
            result.status == SKIPPED
            or (result.status == PROCESSED and not self.test_results)
        )

    def is_failed(self, index: int) -> bool:
        result = self.results.get(index)
        return result is not None and result.status == FAILED


def _result_status(result: RowResult) -> tuple[str, str]:
    text = _RESULT_TEXT.get(result.status, result.status)
    if result.status == PROCESSED:
        if result.warning_message:
            return "Processed, with a warning", WARNING
        return text, OK
    if result.status in (FAILED, INVALID):
        return text, ERROR
    if result.status == UNCONFIRMED:
        return text, WARNING
    return text, OK


def build_state(table: Table, check: CheckResult | None) -> RowState:
    """Return the rows' state right after a check (run it off the GUI thread)."""
    state = RowState(table, check, results=RowResults(len(table.rows)))
    if check is not None:
        state.problems = check.problems_by_index
    state.summary = summarize(state)
    return state


def summarize(state: RowState) -> Summary:
    """Return the summary line's counts, match readiness included."""
    summary = Summary(rows=state.rows)
    check = state.check
    if check is None:
        return summary
    summary.ready = check.valid - len(state.already_sent)
    summary.invalid = check.invalid
    summary.already_sent = len(state.already_sent)
    summary.warnings = sum(1 for p in check.problems if p.severity == WARNING)
    summary.match = _match_readiness(state, check)
    return summary


def _match_readiness(state: RowState, check: CheckResult) -> dict[str, float]:
    headers = state.table.headers
    columns = {
        key: [headers.index(check.mapping[f]) for f in names if f in check.mapping]
        for key, names in MATCH_KEYS
    }
    counts = dict.fromkeys(columns, 0)
    ready = 0
    rows = state.table.rows
    for index, event_id in enumerate(check.event_ids):
        if event_id is None or index in state.already_sent:
            continue
        ready += 1
        cells = rows[index]
        width = len(cells)
        for key, cols in columns.items():
            if any(c < width and not is_blank(cells[c]) for c in cols):
                counts[key] += 1
    return {key: (n / ready if ready else 0.0) for key, n in counts.items()}
