"""The mapping panel: which column holds each Pinterest field, with a sample of each."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pinupload.core.cells import cell_text, is_blank
from pinupload.core.convert import Converter, Explained
from pinupload.core.fields import FIELDS, Field
from pinupload.core.model import OptionError, Options
from pinupload.core.profiles import save_profile

logger = logging.getLogger(__name__)

NOT_USED = "(not used)"
REMEMBER = "Remem&ber this mapping"
REQUIRED = ("event_time", "email")
SAMPLE_ROWS = 200
DEBOUNCE_MS = 400  # let a user move through a combo before re-checking the file


def short_hash(text: str) -> str:
    return text[:12] + "…" if len(text) == 64 else text


def sample_text(item: Explained) -> str:
    """Return "raw → normalized → sent" for the panel, short enough for a line."""
    parts = [f'"{item.raw.strip()}"' if item.raw else ""]
    if item.normalized and item.normalized != item.raw:
        parts.append(item.normalized)
    if item.sent and item.sent != item.normalized:
        parts.append(short_hash(item.sent))
    text = " → ".join(p for p in parts if p)
    return f"{text}  ({item.note})" if item.note else text


class MappingPanel(QWidget):
    """Pinterest's fields, each with a drop-down of the file's columns.

    Signals: mapping_changed(dict field -> header).
    """

    mapping_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: Sequence[Sequence[object]] = []
        self._options = Options()
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, QLabel] = {}
        self.message_label = QLabel(wordWrap=True)
        self.message_label.setObjectName("mappingMessage")
        self.message_label.hide()
        self.remember_button = QPushButton(REMEMBER)
        self.remember_button.setToolTip(
            "Files with the same columns will be mapped this way from now on."
        )
        self.remember_button.clicked.connect(self._on_remember_clicked)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self._remembered = QTimer(self, singleShot=True, interval=2000)
        self._remembered.timeout.connect(self._on_remembered_timeout)
        self._build()

    def _build(self) -> None:
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        groups = {"event": "The sale", "identity": "Who bought", "purchase": "What"}
        row = 0
        for group, title in groups.items():
            heading = QLabel(f"<b>{title}</b>")
            grid.addWidget(heading, row, 0, 1, 3)
            row += 1
            for f in (f for f in FIELDS if f.group == group):
                self._add_field(grid, row, f)
                row += 1
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.scroll_area = scroll
        note = QLabel(
            "* needed: the time of the sale, and an email (or a mobile ad id, or an "
            "IP address with a user agent). Emails, phones and names are hashed on "
            "this computer before anything is sent.",
            wordWrap=True,
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remember_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(note)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def _add_field(self, grid: QGridLayout, row: int, f: Field) -> None:
        star = " *" if f.name in REQUIRED else ""
        combo = QComboBox()
        combo.setObjectName(f"map_{f.name}")
        combo.setToolTip(f.hint)
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        combo.setMinimumContentsLength(14)
        combo.activated.connect(self._on_combo_activated)
        label = QLabel(f"{f.label}{star}")
        label.setBuddy(combo)
        label.setToolTip(f.hint)
        sample = QLabel()
        sample.setMaximumWidth(250)  # long samples are cut; the tooltip has it all
        sample.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sample.setObjectName(f"sample_{f.name}")
        grid.addWidget(label, row, 0)
        grid.addWidget(combo, row, 1)
        grid.addWidget(sample, row, 2)
        self.combos[f.name] = combo
        self.samples[f.name] = sample

    # -- filling in ----------------------------------------------------------
    def set_columns(
        self,
        headers: Sequence[str],
        mapping: dict[str, str],
        rows: Sequence[Sequence[object]],
        options: Options,
    ) -> None:
        """Show the file's columns, the mapping in use and samples from `rows`."""
        self._headers = list(headers)
        self._rows = rows[:SAMPLE_ROWS]
        self._options = options
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_USED, "")
            for header in self._headers:
                combo.addItem(header, header)
            found = combo.findData(mapping.get(name, ""))
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        self._show_samples()

    def set_options(self, options: Options) -> None:
        self._options = options
        self._show_samples()

    def set_message(self, text: str | None) -> None:
        self.message_label.setText(text or "")
        self.message_label.setVisible(bool(text))

    def focus_field(self, field_name: str) -> None:
        """Bring a field's drop-down into view and give it the keyboard focus."""
        combo = self.combos[field_name]
        self.scroll_area.ensureWidgetVisible(combo)
        combo.setFocus()

    def mapping(self) -> dict[str, str]:
        """Return field -> header for every field (empty string: not used)."""
        return {name: combo.currentData() or "" for name, combo in self.combos.items()}

    def select(self, field_name: str, header: str) -> None:
        """Map a field to a column as if the user picked it."""
        combo = self.combos[field_name]
        combo.setCurrentIndex(max(combo.findData(header), 0))
        self._on_combo_activated(combo.currentIndex())

    def _show_samples(self) -> None:
        mapping = {f: h for f, h in self.mapping().items() if h}
        explained = self._explain(mapping)
        for name, label in self.samples.items():
            header = mapping.get(name)
            if header is None:
                label.setText("")
            elif name in explained:
                label.setText(sample_text(explained[name]))
            else:
                label.setText(self._raw_sample(header))
            label.setToolTip(label.text())

    def _explain(self, mapping: dict[str, str]) -> dict[str, Explained]:
        try:
            converter = Converter(self._headers, mapping, self._options)
        except OptionError as exc:
            self.set_message(str(exc))
            return {}
        found: dict[str, Explained] = {}
        for cells in self._rows:
            for item in converter.explain(cells):
                found.setdefault(item.field, item)
            if len(found) == len(converter.mapping):
                break
        return found

    def _raw_sample(self, header: str) -> str:
        column = self._headers.index(header)
        for cells in self._rows:
            if column < len(cells) and not is_blank(cells[column]):
                return f'"{cell_text(cells[column])}"'
        return "(empty in the first rows)"

    # -- slots ---------------------------------------------------------------
    @Slot(int)
    def _on_combo_activated(self, _index: int) -> None:
        self._show_samples()
        self._debounce.start()

    @Slot()
    def _on_debounce_timeout(self) -> None:
        self.mapping_changed.emit(self.mapping())

    @Slot()
    def _on_remember_clicked(self) -> None:
        mapping = {f: h for f, h in self.mapping().items() if h}
        try:
            save_profile(self._headers, mapping)
        except OSError as exc:
            self.set_message(f"The mapping could not be saved: {exc.strerror}.")
            return
        self.remember_button.setText("Remembered")
        self._remembered.start()

    @Slot()
    def _on_remembered_timeout(self) -> None:
        self.remember_button.setText(REMEMBER)
