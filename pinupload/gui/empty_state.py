"""What an empty window shows: what to do, and a template to start from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from pinupload import paths

INTRO = (
    "<h1>Send your store sales to Pinterest</h1>"
    "<p>Open a spreadsheet (Excel, OpenOffice or CSV) with one row per sale: when "
    "it happened, and the customer's email (a phone number helps matching but is "
    "not enough alone). pinupload checks every row, shows what it will send, and "
    "sends it to your Pinterest ad account.</p>"
    "<p>Drop a file anywhere on this window, or use the button below.</p>"
)


class EmptyState(QWidget):
    """The first screen.

    Signals: open_requested(), template_requested(), recent_chosen(Path).
    """

    open_requested = Signal()
    template_requested = Signal()
    recent_chosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(INTRO, wordWrap=True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setFixedWidth(640)
        # A wrapped rich-text label does not grow to its text on its own.
        intro.setMinimumHeight(intro.heightForWidth(640) + 24)
        logo = QLabel()
        png = paths.resource("icons/pinupload-128.png")
        if png.exists():
            logo.setPixmap(QPixmap(str(png)))
        self.open_button = QPushButton("&Open a spreadsheet…")
        self.open_button.setDefault(True)
        self.template_button = QPushButton("Save a &template spreadsheet…")
        self.template_button.setToolTip(
            "An example file with the columns pinupload reads best, to fill in."
        )
        self.open_button.clicked.connect(self.open_requested)
        self.template_button.clicked.connect(self.template_requested)
        self.recent_label = QLabel("<b>Recent files</b>")
        self.recent_box = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (
            logo,
            intro,
            self.open_button,
            self.template_button,
            self.recent_label,
        ):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(self.recent_box)
        layout.addStretch(2)
        self.open_button.setMinimumWidth(320)
        self.template_button.setMinimumWidth(320)

    def set_recent(self, paths: list[Path]) -> None:
        while self.recent_box.count():
            item = self.recent_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        shown = [p for p in paths if p.exists()][:5]
        self.recent_label.setVisible(bool(shown))
        for path in shown:
            button = QPushButton(path.name)
            button.setFlat(True)
            button.setToolTip(str(path))
            button.clicked.connect(lambda _=False, p=path: self.recent_chosen.emit(p))
            self.recent_box.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
