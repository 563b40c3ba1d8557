"""Keyboard use: every mnemonic unique on its screen, labels tied to their fields."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QLabel, QTabWidget

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonics(window: Any) -> list[str]:
    letters = [MNEMONIC.search(window.menuBar().actions()[i].text()) for i in range(3)]
    found = [m.group(1).lower() for m in letters if m]
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisibleTo(window) and (m := MNEMONIC.search(widget.text())):
            found.append(m.group(1).lower())
    for tabs in window.findChildren(QTabWidget):
        for i in range(tabs.count()):
            if m := MNEMONIC.search(tabs.tabText(i)):
                found.append(m.group(1).lower())
    return found


def test_mnemonics_are_unique_and_labels_have_buddies(
    window: Any, open_file: Any, sales_file: Path
) -> None:
    open_file(sales_file)
    for tab in (0, 1):
        window.side_tabs.setCurrentIndex(tab)
        found = mnemonics(window)
        assert len(found) > 15
        assert len(found) == len(set(found)), " ".join(sorted(found))
    for label in window.findChildren(QLabel):
        if MNEMONIC.search(label.text()):
            assert label.buddy() is not None, label.text()


def test_tab_order_follows_the_screen(
    window: Any, open_file: Any, sales_file: Path
) -> None:
    open_file(sales_file)
    preview, panel = window.preview, window.send_panel
    assert preview.filter_combo.nextInFocusChain() is preview.search_edit
    assert preview.search_edit.nextInFocusChain() is preview.table
    widget = panel.account_combo
    seen = []
    for _ in range(20):
        widget = widget.nextInFocusChain()
        seen.append(widget)
        if widget is panel.send_button:
            break
    assert panel.send_button in seen and panel.test_check in seen
    shortcuts = {
        a.shortcut().toString() for a in window.findChildren(type(window.export_action))
    }
    assert {"Ctrl+O", "Ctrl+E", "Ctrl+Return"} <= shortcuts
