"""The main window: an empty state, then the file bar, mapping, preview and sending."""

from __future__ import annotations

import itertools
import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pinupload import paths
from pinupload.core.model import Table
from pinupload.core.reader import SUPPORTED
from pinupload.core.template import write_template
from pinupload.gui import settings
from pinupload.gui.empty_state import EmptyState
from pinupload.gui.file_bar import FileBar
from pinupload.gui.loading import Loaded
from pinupload.gui.mapping_panel import MappingPanel
from pinupload.gui.menus import build_menus, mapping_advice
from pinupload.gui.options_panel import OptionsPanel
from pinupload.gui.preview_panel import PreviewPanel
from pinupload.gui.rowfilter import ALL, View
from pinupload.gui.rowstate import RowState
from pinupload.gui.send_flow import SendFlow
from pinupload.gui.send_panel import SendPanel
from pinupload.gui.session import FileSession

logger = logging.getLogger(__name__)

FILE_FILTER = (
    "Spreadsheets (" + " ".join(f"*{s}" for s in SUPPORTED) + ");;All files (*)"
)
ERROR_STYLE = "background: #f8c9c4; color: #1b1b1b; padding: 6px;"
NOTE_STYLE = "background: #e8eef7; color: #1b1b1b; padding: 6px;"


class MainWindow(QMainWindow):
    """pinupload's window.

    Signals: file_shown(Loaded), view_updated(), message_shown(str).
    """

    file_shown = Signal(object)
    view_updated = Signal()
    message_shown = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("pinupload")
        self.setAcceptDrops(True)
        self.session = FileSession(self)
        self.empty = EmptyState()
        self.file_bar = FileBar()
        self.mapping = MappingPanel()
        self.options_panel = OptionsPanel(settings.load_options())
        self.preview = PreviewPanel()
        self.send_panel = SendPanel()
        self.message_bar = QLabel(wordWrap=True)
        self.message_bar.setObjectName("messageBar")
        self.message_bar.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.message_bar.hide()
        self.side_tabs = QTabWidget()
        self.stack = QStackedWidget()
        self._build()
        self.sending = SendFlow(self)
        self.session.in_use = lambda _old: self.sending.uses_file()
        self._build_menus()
        self._connect()
        self.empty.set_recent(settings.recent_files())
        self.resize(1280, 800)

    # -- building --------------------------------------------------------------
    def _build(self) -> None:
        self.side_tabs.addTab(self.mapping, "Colu&mns")
        self.side_tabs.addTab(self.options_panel, "Setti&ngs")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.side_tabs)
        split.addWidget(self.preview)
        split.setStretchFactor(1, 1)
        split.setSizes([380, 900])
        work = QWidget()
        layout = QVBoxLayout(work)
        layout.addWidget(self.file_bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.send_panel)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(work)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addWidget(self.message_bar)
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        f, p, s = self.file_bar, self.preview, self.send_panel
        chain = [
            f.open_button, f.sheet_combo, f.header_spin, self.side_tabs,
            p.filter_combo, p.search_edit, p.table, p.details, s.account_combo,
            s.accounts_button, s.test_check, s.history_button, s.export_button,
            s.send_button, s.cancel_button,
        ]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)

    def _build_menus(self) -> None:
        self.recent_menu, self.export_action = build_menus(self)
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = settings.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        self.recent_menu.setEnabled(bool(recent))
        self.empty.set_recent(recent)

    def _connect(self) -> None:
        self.empty.open_requested.connect(self.choose_file)
        self.empty.template_requested.connect(self.save_template)
        self.empty.recent_chosen.connect(self.open_file)
        s = self.session
        s.preview_ready.connect(self._on_session_preview_ready)
        s.file_loaded.connect(self._on_session_file_loaded)
        s.file_failed.connect(self._on_session_file_failed)
        s.order_ready.connect(self._on_session_order_ready)
        s.marks_ready.connect(self._on_session_marks_ready)
        s.busy_changed.connect(self.file_bar.set_busy)
        s.progress_changed.connect(self.file_bar.set_progress)
        s.idle.connect(self.file_bar.set_idle)
        self.file_bar.cancel_requested.connect(s.cancel)
        self.file_bar.open_requested.connect(self.choose_file)
        self.file_bar.sheet_chosen.connect(self._on_file_bar_sheet_chosen)
        self.file_bar.header_row_chosen.connect(self._on_file_bar_header_row_chosen)
        self.mapping.mapping_changed.connect(self._on_mapping_changed)
        self.options_panel.options_changed.connect(self._on_options_changed)
        self.preview.view_changed.connect(self._on_preview_view_changed)

    # -- messages --------------------------------------------------------------
    def show_message(self, text: str | None, error: bool = True) -> None:
        """Show a sentence above everything (None hides it)."""
        self.message_bar.setText(text or "")
        self.message_bar.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
        self.message_bar.setVisible(bool(text))
        if text:
            self.message_shown.emit(text)

    def ask(self, box: QMessageBox) -> object:
        """Show a question and return the button clicked (tests answer it instead)."""
        box.exec()
        return box.clickedButton()

    # -- files ---------------------------------------------------------------
    @Slot()
    def choose_file(self) -> None:
        start = (
            str(settings.recent_files()[0].parent) if settings.recent_files() else ""
        )
        name, _ = QFileDialog.getOpenFileName(
            self, "Open a spreadsheet", start, FILE_FILTER
        )
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> None:
        """Read and check a file (its first rows show before it is all read)."""
        self.show_message(None)
        options = replace(
            self.options_panel.options(), mapping={}, sheet=None, header_row=None
        )
        self.sending.forget_results()
        self.preview.reset_view()
        self.session.open(Path(path), options)

    @Slot()
    def save_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save a template spreadsheet", "pinupload-template.xlsx",
            "Excel workbook (*.xlsx)",
        )  # fmt: skip
        if name:
            self.write_template(Path(name))

    def write_template(self, path: Path) -> None:
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            write_template(path)
        except OSError as exc:
            self.show_message(
                f"The template could not be saved in {path}: {exc.strerror}."
            )
            return
        self.show_message(
            f"Template saved as {path}. Fill it in, then open it here.", False
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_file(Path(files[0]))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.sending.running():
            box = QMessageBox(
                QMessageBox.Icon.Warning, "Sending is not finished",
                "Events are still being sent. Stop sending and close pinupload?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self,
            )  # fmt: skip
            if self.ask(box) != box.button(QMessageBox.StandardButton.Yes):
                event.ignore()
                return
            self.sending.cancel()
        self.session.cancel()
        event.accept()

    def loaded(self) -> Loaded | None:
        return self.session.loaded

    # -- session answers -------------------------------------------------------
    @Slot(object)
    def _on_session_preview_ready(self, table: Table) -> None:
        self.stack.setCurrentIndex(1)
        self.file_bar.show_table(table)
        self.preview.set_state(RowState(table, None, pending=True))

    @Slot(object)
    def _on_session_file_loaded(self, loaded: Loaded) -> None:
        self.stack.setCurrentIndex(1)
        self.file_bar.show_table(loaded.table)
        check = loaded.state.check
        mapping = check.mapping if check is not None else loaded.guess
        self.mapping.set_columns(
            loaded.table.headers, mapping, loaded.table.rows, loaded.options
        )
        if loaded.mapping_error:
            self.mapping.set_message(mapping_advice(loaded))
            missing = "event_time" if "event_time" not in loaded.guess else "email"
            self.mapping.focus_field(missing)
            self.side_tabs.setCurrentWidget(self.mapping)
            self.show_message(
                "Choose the missing column under Columns on the left; the rows are "
                "checked again as soon as you do."
            )
        else:
            self.mapping.set_message(None)
            notes = " ".join(loaded.notes)
            self.show_message(notes or None, error=False)
        self.preview.set_state(loaded.state)
        self.send_panel.set_ready_count(loaded.state.summary.ready)
        settings.add_recent(loaded.table.path)
        self._fill_recent_menu()
        view = self.preview.view()
        if view != View(ALL):
            self.session.select(view)
        self.sending.file_changed()
        self.file_shown.emit(loaded)

    @Slot(str)
    def _on_session_file_failed(self, message: str) -> None:
        self.show_message(message)
        if self.session.loaded is None:
            self.stack.setCurrentIndex(0)

    @Slot(object)
    def _on_session_order_ready(self, order: list[int]) -> None:
        self.preview.set_order(order)
        self.view_updated.emit()

    @Slot()
    def _on_session_marks_ready(self) -> None:
        loaded = self.session.loaded
        if loaded is None:
            return
        self.preview.show_summary()
        self.preview.refresh_status()
        self.send_panel.set_ready_count(loaded.state.summary.ready)
        unsure = len(loaded.state.unconfirmed)
        if unsure:
            self.show_message(
                f"{unsure:,} rows of this file were on their way to Pinterest when an "
                "earlier run stopped: they may or may not have arrived. When you send, "
                "you can choose to resend them or leave them out.",
                error=False,
            )

    # -- user changes ----------------------------------------------------------
    @Slot(str)
    def _on_file_bar_sheet_chosen(self, sheet: str) -> None:
        if self.session.path is not None:
            options = replace(
                self.session.options(), sheet=sheet, header_row=None, mapping={}
            )
            self.session.open(self.session.path, options)

    @Slot(int)
    def _on_file_bar_header_row_chosen(self, row: int) -> None:
        if self.session.path is not None:
            options = replace(self.session.options(), header_row=row, mapping={})
            self.session.open(self.session.path, options)

    @Slot(object)
    def _on_mapping_changed(self, mapping: dict[str, str]) -> None:
        self.sending.forget_results()
        self.session.recheck(replace(self.session.options(), mapping=mapping))

    @Slot(object)
    def _on_options_changed(self, options: object) -> None:
        settings.save_options(self.options_panel.options())
        self.mapping.set_options(self.options_panel.options())
        if self.session.loaded is not None:
            o = self.options_panel.options()
            self.sending.forget_results()
            self.session.recheck(
                replace(
                    self.session.options(), timezone=o.timezone,
                    default_country=o.default_country, currency=o.currency,
                    event_name=o.event_name, date_order=o.date_order,
                )
            )  # fmt: skip

    @Slot(object)
    def _on_preview_view_changed(self, view: View) -> None:
        self.session.select(view)

    @Slot()
    def show_log_folder(self) -> None:
        QMessageBox.information(
            self, "The log", f"pinupload writes its log in {paths.log_dir()}."
        )
