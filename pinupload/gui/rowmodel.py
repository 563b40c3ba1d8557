"""The preview's table model: the file's columns, then Status and Pinterest's answer.

The view asks for every role of every visible cell; answering them all in one
multiData call instead of one data call per role cuts a repaint's Python calls
about sevenfold, which keeps the window smooth while a worker thread is busy.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from pinupload.core.cells import cell_text
from pinupload.core.model import ERROR, WARNING
from pinupload.gui.rowstate import OK, RowState

AnyIndex = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible parent of every row
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
STATUS_COLUMN, ANSWER_COLUMN = 0, 1
FIRST_FILE_COLUMN = 2  # the file's own columns follow Status and the answer
SOURCE_ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # the data-row index
SEVERITY_ROLE = int(Qt.ItemDataRole.UserRole) + 2
ERROR_BRUSH = QBrush(QColor("#f8c9c4"))
WARNING_BRUSH = QBrush(QColor("#fbe3a6"))
OK_BRUSH = QBrush(QColor("#cdebd3"))
TEXT_BRUSH = QBrush(QColor("#1b1b1b"))  # dark on the light marks in any theme
_BRUSHES = {ERROR: ERROR_BRUSH, WARNING: WARNING_BRUSH, OK: OK_BRUSH}

# WORKAROUND(no upstream report found; seen with PySide6 6.12 on Python 3.11):
# QModelRoleData.setData drops one reference to None on every call, which
# crashes the interpreter once None's count runs out. Each call is balanced
# with one reference taken here (harmless where None is immortal, 3.12+).
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_NONE = ctypes.py_object(None)


class RowTableModel(QAbstractTableModel):
    """Shows the rows of a RowState in the order of a list of data-row indices.

    Status and Pinterest's answer come first, where they show without scrolling.
    """

    def __init__(self) -> None:
        super().__init__()
        self._state: RowState | None = None
        self._order: Sequence[int] = range(0)
        self._headers: list[str] = []

    # -- changes -------------------------------------------------------------
    def set_state(
        self, state: RowState | None, order: Sequence[int] | None = None
    ) -> None:
        self.beginResetModel()
        self._state = state
        self._headers = list(state.table.headers) if state else []
        # File order is a range: a list of a million numbers took 30 ms to
        # build on the GUI thread, and a range finds a row's place at once.
        self._order = order if order is not None else range(state.rows if state else 0)
        self.endResetModel()

    def set_order(self, order: Sequence[int]) -> None:
        self.beginResetModel()
        self._order = order
        self.endResetModel()

    def refresh_status(self) -> None:
        """Tell the view that Status and answers changed (it repaints what shows)."""
        if self._order:
            last = len(self._order) - 1
            self.dataChanged.emit(
                self.index(0, STATUS_COLUMN), self.index(last, ANSWER_COLUMN)
            )

    @property
    def state(self) -> RowState | None:
        return self._state

    @property
    def status_column(self) -> int:
        return STATUS_COLUMN

    def source_row(self, row: int) -> int:
        return self._order[row]

    def widest_row_label(self) -> str:
        """Return the longest row number the vertical header can show."""
        if self._state is None or not self._state.table.row_numbers:
            return ""
        # Row numbers grow down the sheet, so the last is the longest.
        return str(self._state.table.row_numbers[-1])

    def view_row(self, source: int) -> int | None:
        """Return where a data row shows, or None (filtered out).

        Linear time once sorted or filtered; at once in file order.
        """
        try:
            return self._order.index(source)
        except ValueError:
            return None

    # -- Qt's model interface --------------------------------------------------
    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        if parent.isValid() or self._state is None:
            return 0
        return len(self._headers) + FIRST_FILE_COLUMN

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Vertical:
            if self._state is None or section >= len(self._order):
                return None
            return str(self._state.table.row_numbers[self._order[section]])
        if section == STATUS_COLUMN:
            return "Status"
        if section == ANSWER_COLUMN:
            return "Pinterest's answer"
        return self._headers[section - FIRST_FILE_COLUMN]

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or self._state is None:
            return None
        return self._value(index.row(), index.column(), int(role))

    def multiData(
        self, index: AnyIndex, span: QModelRoleDataSpan | QModelRoleData
    ) -> None:
        if not index.isValid() or self._state is None:
            return
        row, column = index.row(), index.column()
        for item in span:  # type: ignore[union-attr]
            value = self._value(row, column, item.role())
            # Every role is written: the view may hand over data left from
            # another cell, which showed as colours bleeding across a row.
            if value is None:
                item.clearData()
            else:
                item.setData(value)
            _incref(_NONE)

    def _value(self, row: int, column: int, role: int) -> Any:
        state = self._state
        if state is None or row >= len(self._order):
            return None
        source = self._order[row]
        if role == SOURCE_ROW_ROLE:
            return source
        if column < FIRST_FILE_COLUMN:
            return self._extra_value(state, source, column, role)
        column -= FIRST_FILE_COLUMN
        if role == DISPLAY:
            cells = state.table.rows[source]
            return cell_text(cells[column]) if column < len(cells) else ""
        if role in (BACKGROUND, TOOLTIP, FOREGROUND, SEVERITY_ROLE) and state.problems:
            mark = state.cell_marks(source).get(self._headers[column])
            if mark is None:
                return None
            if role == BACKGROUND:
                return _BRUSHES[mark[0]]
            if role == FOREGROUND:
                return TEXT_BRUSH
            return mark[1] if role == TOOLTIP else mark[0]
        return None

    def _extra_value(self, state: RowState, source: int, which: int, role: int) -> Any:
        if which == ANSWER_COLUMN:
            text = state.answer(source)
            if role in (DISPLAY, TOOLTIP):
                return text or None
            return None
        text, severity = state.status(source)
        if role == DISPLAY:
            return text
        if role == SEVERITY_ROLE:
            return severity
        if role == BACKGROUND:
            return _BRUSHES.get(severity)
        if role == FOREGROUND and severity:
            return TEXT_BRUSH
        if role == TOOLTIP:
            return "\n".join(state.row_messages(source)) or None
        return None
