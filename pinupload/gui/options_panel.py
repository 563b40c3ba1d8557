"""Time zone, default country, currency, event name and date order: chosen once."""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import replace

import pycountry
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QGroupBox, QWidget

from pinupload.core.fieldrules import KNOWN_EVENT_NAMES
from pinupload.core.model import Options

logger = logging.getLogger(__name__)

COMMON_EVENTS = ("checkout", "lead", "signup", "add_to_cart", "custom")
DATE_ORDERS = (
    (None, "Decide from the file"),
    ("DMY", "Day first (31/12/2025)"),
    ("MDY", "Month first (12/31/2025)"),
    ("YMD", "Year first (2025-12-31)"),
)


def _combo(items: list[tuple[str | None, str]], current: str | None) -> QComboBox:
    combo = QComboBox()
    for data, text in items:
        combo.addItem(text, data)
    found = combo.findData(current)
    combo.setCurrentIndex(found if found >= 0 else 0)
    return combo


class OptionsPanel(QGroupBox):
    """The settings that apply to every row of every file.

    Signals: options_changed(Options).
    """

    options_changed = Signal(object)

    def __init__(self, options: Options, parent: QWidget | None = None) -> None:
        super().__init__("Settings for every file", parent)
        self._options = options
        zones = sorted(zoneinfo.available_timezones())
        self.timezone_combo = _combo(
            [(None, "This computer's time zone")] + [(z, z) for z in zones],
            options.timezone,
        )
        countries = sorted(pycountry.countries, key=lambda c: c.name)
        self.country_combo = _combo(
            [(None, "United States (US)")]
            + [(c.alpha_2, f"{c.name} ({c.alpha_2})") for c in countries],
            options.default_country,
        )
        currencies = sorted(pycountry.currencies, key=lambda c: c.alpha_3)
        self.currency_combo = _combo(
            [(None, "From the file")]
            + [(c.alpha_3, f"{c.alpha_3}, {c.name}") for c in currencies],
            options.currency,
        )
        events = list(COMMON_EVENTS) + sorted(KNOWN_EVENT_NAMES - set(COMMON_EVENTS))
        self.event_combo = _combo([(e, e) for e in events], options.event_name)
        self.dates_combo = _combo(list(DATE_ORDERS), options.date_order)
        for combo in self._combos():
            # Long names (countries, zones) must not widen the whole side panel.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(18)
            combo.setEditable(combo is not self.dates_combo)
            completer = combo.completer()
            if completer is not None:
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            combo.activated.connect(self._on_combo_activated)
        form = QFormLayout(self)
        form.addRow("Time &zone of the sales:", self.timezone_combo)
        form.addRow("Phone countr&y when none is given:", self.country_combo)
        form.addRow("C&urrency when none is given:", self.currency_combo)
        form.addRow("E&vent name when none is given:", self.event_combo)
        form.addRow("Dates li&ke 03/04/2025:", self.dates_combo)

    def _combos(self) -> list[QComboBox]:
        return [
            self.timezone_combo,
            self.country_combo,
            self.currency_combo,
            self.event_combo,
            self.dates_combo,
        ]

    def options(self) -> Options:
        return self._options

    @Slot(int)
    def _on_combo_activated(self, _index: int) -> None:
        options = replace(
            self._options,
            timezone=self.timezone_combo.currentData(),
            default_country=self.country_combo.currentData(),
            currency=self.currency_combo.currentData(),
            event_name=self.event_combo.currentData() or "checkout",
            date_order=self.dates_combo.currentData(),
        )
        if options != self._options:
            self._options = options
            logger.debug("Options changed")
            self.options_changed.emit(options)
