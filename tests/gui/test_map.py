"""Mapping columns to fields, remembering the mapping, and remembered settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pinupload.core.profiles import find_profile
from pinupload.gui import settings
from tests.gui.conftest import WAIT_MS
from tests.sheets import recent, write_xlsx


def odd_file(tmp_path: Path) -> Path:
    rows = [
        ["Ref", "Buyer", "When it happened", "Amount"],
        ["R1", " John.Doe@Example.COM ", recent(1), 12.5],
        ["R2", "jane@example.com", recent(2), 20],
    ]
    return write_xlsx(tmp_path / "odd.xlsx", rows)


def test_missing_column_is_chosen_in_the_panel(
    window: Any, qtbot: Any, open_file: Any, tmp_path: Path
) -> None:
    loaded = open_file(odd_file(tmp_path))
    assert loaded.state.check is None
    panel = window.mapping
    assert panel.message_label.isVisibleTo(window)
    assert "time of the sale" in panel.message_label.text()
    assert "Event time *" in panel.message_label.text()
    assert window.side_tabs.currentWidget() is panel
    assert window.preview.model.data(window.preview.model.index(0, 0)) == "Not checked"
    panel.select("event_time", "When it happened")
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS):
        panel.select("email", "Buyer")
    loaded = window.loaded()
    assert loaded.state.check is not None
    assert loaded.state.check.mapping["email"] == "Buyer"
    sample = panel.samples["email"].text()
    assert '"John.Doe@Example.COM" → john.doe@example.com → ' in sample
    assert "…" in sample  # the hash, shortened
    assert not panel.message_label.isVisibleTo(window)
    assert "2 ready" in window.preview.summary_label.text()


def test_remembered_mapping_is_used_next_time(
    window: Any, qtbot: Any, open_file: Any, tmp_path: Path
) -> None:
    path = odd_file(tmp_path)
    open_file(path)
    window.mapping.select("event_time", "When it happened")
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS):
        window.mapping.select("email", "Buyer")
    window.mapping.remember_button.click()
    headers = window.loaded().table.headers
    assert find_profile(headers)["event_time"] == "When it happened"
    loaded = open_file(path)
    assert loaded.state.check is not None
    assert loaded.state.summary.ready == 2


def test_settings_are_remembered(
    window: Any, qtbot: Any, open_file: Any, sales_file: Path
) -> None:
    from pinupload.gui.main_window import MainWindow

    open_file(sales_file)
    panel = window.options_panel
    combo = panel.timezone_combo
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findData("Europe/Berlin"))
        combo.activated.emit(combo.currentIndex())
    assert window.loaded().options.timezone == "Europe/Berlin"
    currency = panel.currency_combo
    with qtbot.waitSignal(window.file_shown, timeout=WAIT_MS):
        currency.setCurrentIndex(currency.findData("EUR"))
        currency.activated.emit(currency.currentIndex())
    assert settings.load_options().timezone == "Europe/Berlin"
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.options_panel.timezone_combo.currentData() == "Europe/Berlin"
    assert again.options_panel.currency_combo.currentData() == "EUR"
