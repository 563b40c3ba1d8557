"""Past runs per ad account, with their counts; open one to see its rows."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pinupload.core.credentials import Account
from pinupload.core.ledger import Ledger
from pinupload.core.results import RowResult, RunInfo
from pinupload.gui.workers import Job

logger = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible parent of every row
DISPLAY = Qt.ItemDataRole.DisplayRole
RUN_COLUMNS = (
    "Started", "Account", "Mode", "File", "Rows", "Sent", "Processed", "Failed",
    "Skipped", "Unconfirmed", "Outcome",
)  # fmt: skip
ROW_COLUMNS = ("Row", "Status", "Pinterest's message", "Request id")


def _when(stamp: float | None) -> str:
    if not stamp:
        return ""
    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def run_cells(run: RunInfo) -> list[str]:
    s = run.summary
    if s.fatal:
        outcome = s.fatal
    elif s.cancelled:
        outcome = "Cancelled"
    else:
        outcome = "Finished" if run.finished else "Running"
    counts = (s.rows, s.sent, s.processed, s.failed, s.skipped, s.unconfirmed)
    return [
        _when(run.started), run.account_id, "Test" if run.test else "Real",
        run.file or "", *(f"{n:,}" for n in counts), outcome,
    ]  # fmt: skip


class ListModel(QAbstractTableModel):
    """A read-only table of rows of text."""

    def __init__(self, columns: Sequence[str]) -> None:
        super().__init__()
        self._columns = list(columns)
        self._rows: list[list[str]] = []
        self.items: list[Any] = []

    def set_rows(self, items: list[Any], rows: list[list[str]]) -> None:
        self.beginResetModel()
        self.items, self._rows = items, rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if role in (DISPLAY, Qt.ItemDataRole.ToolTipRole) and index.isValid():
            return self._rows[index.row()][index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self._columns[section]
        return None


def _table(model: ListModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view


class HistoryDialog(QDialog):
    """The runs kept in the ledger."""

    def __init__(
        self,
        accounts: list[Account],
        current: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("History of runs")
        self.job: Job | None = None
        self.account_combo = QComboBox()
        self.account_combo.addItem("All accounts", None)
        for account in accounts:
            self.account_combo.addItem(account.label or account.id, account.id)
        self.account_combo.setCurrentIndex(max(self.account_combo.findData(current), 0))
        self.account_combo.activated.connect(self._on_account_combo_activated)
        self.runs = ListModel(RUN_COLUMNS)
        self.rows = ListModel(ROW_COLUMNS)
        self.runs_view = _table(self.runs)
        self.rows_view = _table(self.rows)
        self.runs_view.selectionModel().currentRowChanged.connect(self._on_run_changed)
        self.runs_view.activated.connect(self._on_run_changed)
        self.rows_view.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        self.rows_view.horizontalHeader().setStretchLastSection(False)
        self.rows_view.setColumnWidth(1, 120)
        self.rows_label = QLabel("Choose a run to see its rows.")
        self._layout()
        self.reload()

    def _layout(self) -> None:
        top = QHBoxLayout()
        label = QLabel("&Ad account:")
        label.setBuddy(self.account_combo)
        top.addWidget(label)
        top.addWidget(self.account_combo)
        top.addStretch(1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.rows_label)
        lower_layout.addWidget(self.rows_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.runs_view)
        split.addWidget(lower)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(close)
        self.resize(1100, 640)

    def reload(self) -> None:
        with Ledger.open() as ledger:
            runs = ledger.runs(self.account_combo.currentData())
        self.runs.set_rows(runs, [run_cells(r) for r in runs])
        self.rows.set_rows([], [])

    def open_run(self, run: RunInfo) -> None:
        """Show the rows of one run (read on the thread pool)."""
        self.rows_label.setText(f"Reading the rows of the run of {_when(run.started)}…")

        def body(_job: Job) -> list[RowResult]:
            with Ledger.open() as ledger:
                return ledger.run_rows(run.run_id)

        job = Job("history rows", body)
        job.job_finished.connect(lambda rows: self._on_rows(run, rows))
        job.job_failed.connect(self.rows_label.setText)
        self.job = job
        job.start()

    def _on_rows(self, run: RunInfo, results: list[RowResult]) -> None:
        cells = [
            [
                str(r.row),
                r.status,
                r.error_message or r.warning_message or "",
                r.request_id or "",
            ]
            for r in results
        ]
        self.rows.set_rows(results, cells)
        self.rows_label.setText(
            f"{len(results):,} rows of the run of {_when(run.started)}:"
        )
        self.job = None

    @Slot(int)
    def _on_account_combo_activated(self, _index: int) -> None:
        self.reload()

    def _on_run_changed(self, index: QModelIndex, _old: object = None) -> None:
        if index.isValid():
            self.open_run(self.runs.items[index.row()])
