"""The bar above the preview: the file, its sheet and header row, and activity."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)

from pinupload.core.model import Table


class FileBar(QWidget):
    """Open button, sheet picker, header row and a progress bar for reading.

    Signals: open_requested(), sheet_chosen(str), header_row_chosen(int),
    cancel_requested().
    """

    open_requested = Signal()
    sheet_chosen = Signal(str)
    header_row_chosen = Signal(int)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.open_button = QPushButton("&Open…")
        self.open_button.setToolTip("Open another spreadsheet (Ctrl+O)")
        self.open_button.clicked.connect(self.open_requested)
        self.file_label = QLabel()
        self.sheet_combo = QComboBox()
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.header_spin = QSpinBox(minimum=1, maximum=1000)
        self.header_spin.setKeyboardTracking(False)
        self.header_spin.setToolTip("The row that holds the column names")
        self.header_spin.valueChanged.connect(self._on_header_spin_changed)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton("Stop")
        self.cancel_button.clicked.connect(self.cancel_requested)
        sheet_label = QLabel("Sh&eet:")
        sheet_label.setBuddy(self.sheet_combo)
        self.sheet_label = sheet_label
        header_label = QLabel("Hea&der row:")
        header_label.setBuddy(self.header_spin)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.open_button)
        layout.addWidget(self.file_label, 1)
        layout.addWidget(sheet_label)
        layout.addWidget(self.sheet_combo)
        layout.addWidget(header_label)
        layout.addWidget(self.header_spin)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        self.set_idle()

    def show_table(self, table: Table) -> None:
        self.file_label.setText(f"<b>{table.path.name}</b>")
        self.file_label.setToolTip(str(table.path))
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(table.sheet_names)
        if table.sheet:
            self.sheet_combo.setCurrentText(table.sheet)
        self.sheet_combo.blockSignals(False)
        has_sheets = len(table.sheet_names) > 1
        self.sheet_combo.setVisible(has_sheets)
        self.sheet_label.setVisible(has_sheets)
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(table.header_row)
        self.header_spin.blockSignals(False)

    def set_busy(self, text: str) -> None:
        self.progress_label.setText(text)
        self.progress.setRange(0, 0)
        for widget in (self.progress, self.progress_label, self.cancel_button):
            widget.show()

    def set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"{done:,} of {total:,} rows")
        else:
            self.progress.setRange(0, 0)
            self.progress_label.setText(f"Reading… {done:,} rows so far")

    def set_idle(self) -> None:
        for widget in (self.progress, self.progress_label, self.cancel_button):
            widget.hide()

    @Slot(int)
    def _on_sheet_combo_activated(self, _index: int) -> None:
        self.sheet_chosen.emit(self.sheet_combo.currentText())

    @Slot(int)
    def _on_header_spin_changed(self, value: int) -> None:
        self.header_row_chosen.emit(value)
