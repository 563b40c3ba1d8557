"""A big file checked on several cores gives exactly what one process gives."""

from __future__ import annotations

import io
import os
import tempfile
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinupload.core import parallel
from pinupload.core.check import check_file
from pinupload.core.model import Options
from pinupload.core.scan import Part
from tests.schemas import validate_events_body
from tests.sheets import SALES_HEADER, recent, sales_rows, write_csv, write_xlsx


def _rows() -> list[tuple[object, ...]]:
    rows = [tuple(r) for r in sales_rows(600)]
    rows.insert(1, ("",) * 7)  # an empty line right after the header
    rows.insert(300, ("",) * 7)
    rows[450] = ("A-1450", "bad@", "", recent(1), "1", "USD", 1)
    rows.append(rows[10])  # a repeat far from its first row
    rows.append(("A-9999", "multi@example.com", "", recent(1), "2", "USD", 1))
    rows.append(("Total", "", "", "", "999", "", ""))
    return rows


def _check(path: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> tuple:
    monkeypatch.setattr(parallel, "MIN_ROWS_PER_WORKER", 50)
    monkeypatch.setattr(parallel, "worker_count", lambda sheet: workers)
    out = io.BytesIO()
    result = check_file(path, Options(), payload=out, keep_rows=False)
    bodies = [orjson.loads(line) for line in out.getvalue().splitlines()]
    for body in bodies:
        validate_events_body(body)
    events = [e for b in bodies for e in b["data"]]
    return result, events


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_parallel_equals_sequential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    rows = _rows()
    if kind == "xlsx":
        rows.insert(40, rows[12])  # a repeat inside the first piece
        path = write_xlsx(tmp_path / "big.xlsx", rows)
    else:
        # a quoted field holding a newline must not be cut between pieces
        rows[200] = ("A-1199", "quoted@example.com", "", recent(1), "1", "USD", 1)
        rows = [(*r[:6], "2") if i == 200 else r for i, r in enumerate(rows)]
        text = [list(r) for r in rows]
        text[150][0] = "A-1149\nsecond line"
        text.insert(40, text[12])
        path = write_csv(tmp_path / "big.csv", text)
    one, one_events = _check(path, 1, monkeypatch)
    many, many_events = _check(path, 3, monkeypatch)
    assert many.table.row_numbers == one.table.row_numbers
    assert many.event_ids == one.event_ids
    assert [p.message for p in many.problems] == [p.message for p in one.problems]
    assert many_events == one_events
    assert many.notes == one.notes
    assert any("totals line" in n for n in one.notes)
    assert len(one_events) == one.valid == 600
    messages = [p.message for p in one.problems]
    assert any("repeats the sale in row 11" in m for m in messages), messages
    assert any("repeats the sale in row 13" in m for m in messages), messages
    assert len({e["event_id"] for e in one_events}) == len(one_events)
    assert one.table.row_numbers[0] == 3  # the empty line is not a data row


def test_stray_quote_keeps_a_text_file_in_one_piece(tmp_path: Path) -> None:
    rows = [SALES_HEADER, *sales_rows(10)[1:]]
    path = write_csv(tmp_path / "q.csv", rows)
    path.write_text(path.read_text().replace("USD", 'US"D', 1))
    from pinupload.core.reader import Sheet

    assert Sheet(path).split(2) == [(0, None)]


def test_a_late_day_over_12_settles_the_whole_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    day = dt.date.today() - dt.timedelta(days=1)
    ambiguous = day.replace(day=min(day.day, 12))
    if ambiguous.month > 12 or ambiguous > day:  # pragma: no cover - calendar edge
        pytest.skip("no ambiguous recent date today")
    rows: list[tuple[object, ...]] = [("Email", "Date")]
    rows += [(f"c{i}@example.com", ambiguous.strftime("%d/%m/%Y")) for i in range(2500)]
    rows.append(("late@example.com", "13/01/2026"))
    path = write_csv(tmp_path / "late.csv", rows)
    result, events = _check(path, 2, monkeypatch)
    noon = dt.datetime.combine(ambiguous, dt.time(12, 0))
    assert events[0]["event_time"] == int(noon.timestamp())
    assert result.valid == len(events) == 2501


def test_text_pieces_read_the_same_records_as_one_pass(tmp_path: Path) -> None:
    from pinupload.core.csvfile import CsvFile

    rows = [("Email", "Note")]
    rows += [
        (f"c{i}@example.com", f'line\u2028sep {i}\r\n"quoted"') for i in range(3000)
    ]
    text = CsvFile(write_csv(tmp_path / "odd.csv", rows))
    points = text.split_points(3)
    assert len(points) == 3
    pieces = [
        list(text.records_between(start, points[k + 1] if k + 1 < 3 else None))
        for k, start in enumerate(points)
    ]
    assert [r for piece in pieces for r in piece] == list(text.rows())


def test_rows_already_read_check_the_same_on_several_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pinupload.core import check
    from pinupload.core.reader import Sheet

    table = Sheet(write_xlsx(tmp_path / "t.xlsx", _rows())).read()
    monkeypatch.setattr(check, "workers_for_rows", lambda rows: 1)
    one = check.check_table(table, Options())
    monkeypatch.setattr(check, "workers_for_rows", lambda rows: 3)
    many = check.check_table(table, Options())
    assert many.event_ids == one.event_ids
    assert [p.message for p in many.problems] == [p.message for p in one.problems]
    assert many.build_events(many.valid_indices) == one.build_events(one.valid_indices)
    assert any("repeats the sale" in p.message for p in many.problems)


def test_a_payload_into_a_pipe_gets_the_same_bodies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe can't be rewound; the payload is gathered aside, then passed on."""
    import os
    import threading

    path = write_csv(tmp_path / "big.csv", _rows())
    _, expected = _check(path, 2, monkeypatch)
    read_end, write_end = os.pipe()
    received = bytearray()

    def drain() -> None:
        with os.fdopen(read_end, "rb") as pipe:
            while chunk := pipe.read(65536):
                received.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    with os.fdopen(write_end, "wb") as pipe:
        assert not pipe.seekable()
        check_file(path, Options(), payload=pipe, keep_rows=False)
    reader.join(timeout=30)
    events = [e for line in received.splitlines() for e in orjson.loads(line)["data"]]
    assert events == expected and len(events) == 600


def test_a_payload_file_gets_its_parts_appended_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into a real file the workers' parts are appended by the kernel."""
    rows = _rows()
    del rows[-3]  # the repeat: with none, parts are appended whole
    path = write_csv(tmp_path / "big.csv", rows)
    _, expected = _check(path, 3, monkeypatch)
    target = tmp_path / "payload.jsonl"
    with target.open("wb") as out:
        check_file(path, Options(), payload=out, keep_rows=False)
    lines = target.read_bytes().splitlines()
    events = [e for line in lines for e in orjson.loads(line)["data"]]
    assert events == expected and len(events) == 600


def _job(result: Part | Exception, payload_bytes: bytes = b"") -> parallel.Job:
    def run(payload: parallel.Payload, progress: object) -> Part:
        if isinstance(payload, Path):
            payload.write_bytes(payload_bytes)
        if isinstance(result, Exception):
            raise result
        return result

    return run


def _slow(job: parallel.Job, seconds: float) -> parallel.Job:
    def run(payload: parallel.Payload, progress: object) -> Part:
        time.sleep(seconds)
        return job(payload, progress)  # type: ignore[arg-type]

    return run


def _who(k: int, seconds: float) -> parallel.Job:
    def run(payload: parallel.Payload, progress: object) -> Part:
        time.sleep(seconds)
        return Part(ids=[f"{k}:{os.getpid()}"])

    return run


def test_jobs_go_to_whichever_process_is_free() -> None:
    here = os.getpid()
    # This process is busy with the first job: the worker takes all the rest.
    jobs = [_who(0, 0.6)] + [_who(k, 0.0) for k in range(1, 6)]
    done = [p.ids[0].split(":") for p in parallel.run_forked(jobs, None, None, 2)]
    assert [int(k) for k, _ in done] == list(range(6))
    rest = {pid for _, pid in done[1:]}
    assert done[0][1] == str(here) and len(rest) == 1 and str(here) not in rest
    # Jobs of equal length are shared, each done once, and come back in order.
    jobs = [_who(k, 0.15) for k in range(8)]
    done = [p.ids[0].split(":") for p in parallel.run_forked(jobs, None, None, 2)]
    assert [int(k) for k, _ in done] == list(range(8))
    assert len({pid for _, pid in done}) == 2


def test_a_failed_worker_fails_the_run_and_leaves_no_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # The first job takes long enough for the worker to take the second.
    jobs = [_slow(_job(Part(ids=["a"])), 0.5), _job(ValueError("bad cell"), b"half")]
    with pytest.raises(RuntimeError, match="ValueError: bad cell"):
        parallel.run_forked(jobs, io.BytesIO(), None)
    assert list(tmp_path.iterdir()) == []
    good = [_job(Part(ids=["a"])), _job(Part(ids=["b"]), b"x\n")]
    parts = parallel.run_forked(good, io.BytesIO(), None)
    assert [p.ids for p in parts] == [["a"], ["b"]]


def test_a_failed_first_part_stops_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def slow(payload: parallel.Payload, progress: object) -> Part:
        time.sleep(30)
        return Part()

    def children() -> set[str]:
        found: set[str] = set()
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as handle:
                found.update(handle.read().split())
        return found

    before = children()
    started = time.monotonic()
    with pytest.raises(ValueError, match="damaged"):
        parallel.run_forked([_job(ValueError("damaged")), slow], io.BytesIO(), None)
    assert time.monotonic() - started < 10
    assert list(tmp_path.iterdir()) == []
    assert children() <= before  # no worker left behind, not even a zombie


def _stray_by_hand(data: bytes, delimiter: bytes) -> bool:
    """A quote with no field start before it and no field end after it."""
    edges = delimiter + b'"\r\n'  # what may stand before and after a field
    for at in range(len(data) - 1):  # the last byte has nothing after it to judge
        before = data[at - 1 : at] if at else b"\n"
        after = data[at + 1 : at + 2]
        if data[at : at + 1] == b'"' and before not in edges and after not in edges:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=40),
    st.text(alphabet='ab",;\n\r ', max_size=40).map(str.encode),
    st.sampled_from([b",", b";"]),
    st.integers(1, 9),
)
def test_the_stray_quote_scan_judges_every_quote_across_buffers(
    noise: bytes, text: bytes, delimiter: bytes, chunk: int
) -> None:
    from pinupload.core import csvfile

    data = b"a" + delimiter + b"b\n" + text + noise
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.csv"
        path.write_bytes(data)
        handle = csvfile.CsvFile.__new__(csvfile.CsvFile)
        handle.path, handle.delimiter = path, delimiter.decode()
        handle._quote_index = None
        saved = csvfile._CHUNK
        csvfile._CHUNK = chunk
        try:
            found = handle.has_stray_quotes()
        finally:
            csvfile._CHUNK = saved
    assert found == _stray_by_hand(data, delimiter)


def test_a_sale_in_two_pieces_written_here_reaches_the_payload_once(
    tmp_path: Path,
) -> None:
    """This process writes the pieces it takes straight into the payload."""
    from pinupload.core.check import resolve_mapping
    from pinupload.core.convert import Converter
    from pinupload.core.reader import Sheet
    from pinupload.core.scan import copy_payload, find_repeats

    rows = [tuple(r) for r in sales_rows(400)]
    rows.append(rows[5])  # in the last piece, repeating one of the first
    path = write_csv(tmp_path / "r.csv", rows)
    sheet = Sheet(path)
    mapping = resolve_mapping(sheet.headers, Options())
    converter = Converter(sheet.headers, mapping, Options())
    jobs = [job for job, _ in parallel.jobs_for(sheet, converter, 4)]
    assert len(jobs) == 4
    out = io.BytesIO()
    # One process: every piece is taken here, in order, into the payload.
    parts = parallel.run_forked(jobs, out, None, workers=1)
    assert all(p.payload is None for p in parts)
    repeated = find_repeats(parts, mapping)
    copy_payload(parts, out, repeated)
    events = [
        e for line in out.getvalue().splitlines() for e in orjson.loads(line)["data"]
    ]
    ids = [e["event_id"] for e in events]
    assert len(ids) == len(set(ids)) == 400
    assert repeated and sum(p.ids.count(None) for p in parts) == 1


def _points_by_hand(data: bytes, count: int) -> list[int]:
    """Each cut: the end of the first line read from the target on, once the
    quote marks before it are even."""
    points = [0]
    for k in range(1, count):
        position = max(len(data) * k // count, points[-1])
        while True:
            if position >= len(data):
                return points
            end = data.find(b"\n", position)
            position = len(data) if end < 0 else end + 1
            if data[:position].count(b'"') % 2 == 0:
                break
        points.append(position)
    return points


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="ab ", max_size=6),
            st.text(alphabet='ab\n"', max_size=12).map(
                lambda t: '"' + t.replace('"', '""') + '"'
            ),
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(2, 6),
    st.integers(1, 9),
)
def test_split_points_cut_between_records_across_buffers(
    records: list[tuple[str, str]], count: int, chunk: int
) -> None:
    from pinupload.core import csvfile

    data = ("a,b\n" + "".join(f"{x},{y}\n" for x, y in records)).encode()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.csv"
        path.write_bytes(data)
        saved = csvfile._CHUNK
        csvfile._CHUNK = chunk
        try:
            points = csvfile.CsvFile(path).split_points(count)
        finally:
            csvfile._CHUNK = saved
    assert points == _points_by_hand(data, count)
