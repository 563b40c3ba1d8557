"""The preview: filter, search, the table of rows, a summary line and row details."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QModelIndex, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pinupload.gui.details_pane import DetailsPane
from pinupload.gui.rowfilter import ALL, FILTERS, View
from pinupload.gui.rowmodel import ANSWER_COLUMN, STATUS_COLUMN, RowTableModel
from pinupload.gui.rowstate import RowState, Summary

logger = logging.getLogger(__name__)

SEARCH_DELAY_MS = 300


class GilHeldTable(QTableView):
    """A table view whose repaint keeps the interpreter lock from start to end.

    Painting asks the model for every visible cell. When Qt starts the paint,
    each of those calls takes the lock anew and, while a worker thread is busy,
    waits for it each time; entering the paint from Python holds the lock across
    all of them, so a worker can only take it at its usual switch interval.
    """

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)


class GilHeldHeader(QHeaderView):
    """A header view painted the same way (the row numbers come from the model).

    Its width as the row-number column is worked out from the widest label alone.
    Qt's own size hint asks the model for four roles of the first and last 100
    sections, each call a trip into Python, and does so again after every reset:
    about 3,400 calls that, while a worker thread was busy, froze the window for
    up to 800 ms once a big file had been read.
    """

    def __init__(self, orientation: Qt.Orientation, parent: QWidget) -> None:
        super().__init__(orientation, parent)
        self._hint_key: tuple[str, str] | None = None
        self._hint = QSize()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)

    def sizeHint(self) -> QSize:
        model = self.model()
        if self.orientation() == Qt.Orientation.Horizontal or not isinstance(
            model, RowTableModel
        ):
            return super().sizeHint()
        label = model.widest_row_label()
        key = (label, self.font().key())
        if key != self._hint_key:
            self._hint_key, self._hint = key, self._label_size(label)
        return self._hint

    def _label_size(self, label: str) -> QSize:
        # What QHeaderView.sectionSizeFromContents measures: a bold label.
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        font = QFont(self.font())
        font.setBold(True)
        option.fontMetrics = QFontMetrics(font)
        option.text = label
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_HeaderSection, option, QSize(), self
        )


def summary_text(summary: Summary, checked: bool) -> str:
    """Return the summary line: counts, then match readiness."""
    if not checked:
        return f"{summary.rows:,} rows, not checked yet"
    text = (
        f"{summary.rows:,} rows · {summary.ready:,} ready · {summary.invalid:,} "
        f"not sendable · {summary.already_sent:,} already sent · "
        f"{summary.warnings:,} warnings"
    )
    if summary.match:
        shares = ", ".join(f"{k} {v:.0%}" for k, v in summary.match.items())
        text += f"<br>Match readiness (ready rows with): {shares}"
    return text


class PreviewPanel(QWidget):
    """The rows of the file as pinupload sees them.

    Signals: view_changed(View).
    """

    view_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RowTableModel()
        self.filter_combo = QComboBox()
        for kind, text in FILTERS:
            self.filter_combo.addItem(text, kind)
        self.filter_combo.activated.connect(self._on_filter_combo_activated)
        self.search_edit = QLineEdit(placeholderText="Search every column…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit_view)
        self.summary_label = QLabel(wordWrap=True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.table = self._make_table()
        self.details = DetailsPane()
        self._sort: tuple[int | None, bool] = (None, False)
        self._layout()

    def _make_table(self) -> QTableView:
        table = GilHeldTable()
        for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
            header_view = GilHeldHeader(orientation, table)
            header_view.setHighlightSections(True)
            if orientation == Qt.Orientation.Horizontal:
                table.setHorizontalHeader(header_view)
            else:
                table.setVerticalHeader(header_view)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self._on_header_section_clicked)
        header.setDefaultSectionSize(140)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        vertical = table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.selectionModel().selectionChanged.connect(
            self._on_table_selection_changed
        )
        return table

    def _layout(self) -> None:
        show = QLabel("Sho&w:")
        show.setBuddy(self.filter_combo)
        find = QLabel("Sea&rch:")
        find.setBuddy(self.search_edit)
        bar = QHBoxLayout()
        bar.addWidget(show)
        bar.addWidget(self.filter_combo)
        bar.addSpacing(12)
        bar.addWidget(find)
        bar.addWidget(self.search_edit, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary_label)

    # -- what the window drives ----------------------------------------------
    def view(self) -> View:
        column, descending = self._sort
        return View(
            self.filter_combo.currentData() or ALL,
            self.search_edit.text(),
            column,
            descending,
        )

    def set_state(
        self, state: RowState | None, order: Sequence[int] | None = None
    ) -> None:
        self.model.set_state(state, order)
        self.table.setColumnWidth(STATUS_COLUMN, 170)
        self.table.setColumnWidth(ANSWER_COLUMN, 240)
        self._show_answers()
        self.details.show_nothing()
        self.show_summary()

    def _show_answers(self) -> None:
        """Show Pinterest's answer column only once there are answers."""
        state = self.model.state
        has = state is not None and bool(state.results)
        self.table.setColumnHidden(ANSWER_COLUMN, not has)

    def set_order(self, order: Sequence[int]) -> None:
        self.model.set_order(order)
        self.details.show_nothing()

    def reset_view(self) -> None:
        self.filter_combo.setCurrentIndex(0)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._sort = (None, False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def set_filter(self, kind: str) -> None:
        self.filter_combo.setCurrentIndex(self.filter_combo.findData(kind))
        self._emit_view()

    def show_summary(self) -> None:
        state = self.model.state
        if state is None:
            self.summary_label.clear()
            return
        self.summary_label.setText(summary_text(state.summary, state.check is not None))

    def refresh_status(self) -> None:
        self._show_answers()
        self.model.refresh_status()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._show_details(rows[0])

    def _show_details(self, index: QModelIndex) -> None:
        state = self.model.state
        if state is not None and index.isValid():
            self.details.show_row(state, self.model.source_row(index.row()))

    # -- slots ---------------------------------------------------------------
    @Slot()
    def _emit_view(self) -> None:
        self.view_changed.emit(self.view())

    @Slot(int)
    def _on_filter_combo_activated(self, _index: int) -> None:
        self._emit_view()

    @Slot(str)
    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    @Slot(int)
    def _on_header_section_clicked(self, section: int) -> None:
        column, descending = self._sort
        descending = not descending if column == section else False
        self._sort = (section, descending)
        order = (
            Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        self.table.horizontalHeader().setSortIndicator(section, order)
        self._emit_view()

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(
        self, selected: QItemSelection, _old: QItemSelection
    ) -> None:
        indexes = selected.indexes()
        if indexes:
            self._show_details(indexes[0])
