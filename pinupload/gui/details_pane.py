"""The details of the selected row: each mapped value raw, normalized and hashed."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from pinupload.core.fields import FIELDS_BY_NAME
from pinupload.gui.rowstate import RowState


def _esc(text: object) -> str:
    return html.escape(str(text))


def details_html(state: RowState, index: int) -> str:
    """Return the details of one data row as simple HTML."""
    number = state.table.row_numbers[index]
    status, _severity = state.status(index)
    parts = [f"<h3>Row {number}: {_esc(status)}</h3>"]
    messages = state.row_messages(index)
    if messages:
        parts.append(
            "<ul>" + "".join(f"<li>{_esc(m)}</li>" for m in messages) + "</ul>"
        )
    check = state.check
    if check is not None:
        explained = check.converter.explain(state.table.rows[index])
        if explained:
            parts.append(
                "<table cellspacing='0' cellpadding='3' border='1'>"
                "<tr><th>Field</th><th>In the file</th><th>Normalized</th>"
                "<th>Sent</th></tr>"
            )
            for item in explained:
                label = FIELDS_BY_NAME[item.field].label
                parts.append(
                    f"<tr><td>{_esc(label)}</td><td>{_esc(item.raw)}</td>"
                    f"<td>{_esc(item.normalized)}</td>"
                    f"<td><tt>{_esc(item.sent)}</tt></td></tr>"
                )
            parts.append("</table>")
        event_id = check.event_ids[index]
        if event_id:
            parts.append(f"<p>Event id: <tt>{_esc(event_id)}</tt></p>")
    result = state.results.get(index)
    if result is not None:
        parts.append(f"<p>Pinterest: <b>{_esc(result.status)}</b>")
        if result.request_id:
            parts.append(f"<br>Request id: <tt>{_esc(result.request_id)}</tt>")
        parts.append("</p>")
    return "".join(parts)


class DetailsPane(QTextBrowser):
    """Read-only text about one row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.show_nothing()

    def show_nothing(self) -> None:
        self.setHtml("<p>Select a row to see what pinupload makes of it.</p>")

    def show_row(self, state: RowState, index: int) -> None:
        self.setHtml(details_html(state, index))
