"""Finding repeated sales across the parts of a check."""

from __future__ import annotations

import threading

import pytest

from pinupload.core import scan
from pinupload.core.scan import Part, find_repeats

MAPPING = {"order_id": "Order #", "email": "Email"}


def _on(thread: bool, parts: list[Part]) -> set[str]:
    """Run find_repeats here (the main thread) or, as a window does, on another."""
    if not thread:
        return find_repeats(parts, MAPPING)
    found: list[set[str]] = []
    worker = threading.Thread(target=lambda: found.append(find_repeats(parts, MAPPING)))
    worker.start()
    worker.join(timeout=30)
    return found[0]


def _part(first: int, ids: list[str | None]) -> Part:
    numbers = list(range(first, first + len(ids)))
    return Part(numbers=numbers, ids=list(ids), orders=[f"o-{i}" for i in ids])


@pytest.mark.parametrize("thread", [False, True])
@pytest.mark.parametrize("slice_size", [2, 3, 200_000])
def test_a_repeat_is_found_wherever_the_slices_fall(
    monkeypatch: pytest.MonkeyPatch, slice_size: int, thread: bool
) -> None:
    monkeypatch.setattr(scan, "_SLICE", slice_size)
    parts = [_part(2, ["a", "b", None, "c"]), _part(6, ["d", "e", "b", "f", "d"])]
    assert _on(thread, parts) == {"b", "d"}
    assert parts[1].ids == ["d", "e", None, "f", None]
    assert parts[0].ids == ["a", "b", None, "c"]
    messages = [p.message for p in parts[1].problems]
    assert messages[0].startswith('Row 8, column "Order #": repeats the sale in row 3')
    assert "row 6" in messages[1]


@pytest.mark.parametrize("thread", [False, True])
@pytest.mark.parametrize("slice_size", [1, 2, 200_000])
def test_no_repeat_leaves_every_id(
    monkeypatch: pytest.MonkeyPatch, slice_size: int, thread: bool
) -> None:
    monkeypatch.setattr(scan, "_SLICE", slice_size)
    parts = [_part(2, ["a", None, "b"]), _part(5, [None, "c", "d"])]
    assert _on(thread, parts) == set()
    assert [p.ids for p in parts] == [["a", None, "b"], [None, "c", "d"]]
    assert not any(p.problems for p in parts)
