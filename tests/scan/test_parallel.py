"""The scan on several processes gives what one process gives: the same report, in the same order."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from licencecmp.scan.parallel import MIN_PARALLEL, WORKERS_ENV, map_chunks, plan
from licencecmp.scan.refs import scan
from licencecmp.scan.results import ScanResult
from tests.conftest import Cli
from tests.scan.repos import APP_FILES, SECOND_FILES

COPIES = 12  # each copy of the two repositories in its own folder: several chunks of files


def _tree(root: Path) -> Path:
    """Every kind of outcome, many times: references (found, comment mentions, suppressed), model
    cards (one broken: a problem), binary, oversized and symlinked files (skipped)."""
    for n in range(COPIES):
        for files in (APP_FILES, SECOND_FILES):
            for rel, text in files.items():
                path = root / f"part{n:02d}" / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        part = root / f"part{n:02d}"
        (part / "blob.bin").write_bytes(b"\0" * 64 + os.urandom(64))
        (part / "big.py").write_text('m = from_pretrained("acme/too-big")\n' + "#" * 3000 + "\n")
        (part / "broken" / "README.md").parent.mkdir(exist_ok=True)
        (part / "broken" / "README.md").write_text("---\nlicense: [unclosed\n---\n# x\n")
        (part / "outside.py").symlink_to("/etc/hostname")
        for i in range(20):  # plain files between the interesting ones
            (part / f"plain_{i}.py").write_text(f"x_{i} = {i}  # nothing here\n")
    (root / "licencecmp.toml").write_text('actions = ["use"]\nallow_unknown = true\nmax_file_size = 2000\n')
    return root


def _plain(res: ScanResult) -> ScanResult:
    res.seconds = 0.0
    return res


def test_parallel_scan_equals_the_sequential_scan(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    one = _plain(scan(root, max_file_size=2000, workers=1))
    calls: list[tuple[int, int]] = []
    many = _plain(scan(root, max_file_size=2000, workers=3, progress=lambda d, t: calls.append((d, t))))
    assert one.found and one.mentions and one.suppressed and one.skipped and one.problems
    assert {s.reason.split(" (")[0] for s in one.skipped} >= {"binary file", "larger than the size limit"}
    assert many == one  # every list in the same order, with the same lines and columns; the same counts
    total = calls[0][1]
    assert calls[0] == (0, total) and calls[-1] == (total, total) and len(calls) > 2
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def _no_time(out: str) -> str:
    """The JSON report without the time it took (the only figure that may differ)."""
    report = json.loads(out)
    report["summary"].pop("seconds", None)
    return json.dumps(report)


def test_parallel_check_report_equals_the_sequential_one(tmp_path: Path, cli: Cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path / "repo")

    def both() -> list[tuple[int, str, str]]:
        runs = []
        for workers in ("1", "2"):
            monkeypatch.setenv(WORKERS_ENV, workers)
            code, out, err = cli("check", str(root), "--format", "json", "--no-progress")
            runs.append((code, _no_time(out), err))
        return runs

    failed = both()  # broken model cards: exit 2, the first problem on stderr
    assert failed[0][0] == 2 and failed[0] == failed[1]
    for n in range(COPIES):
        (root / f"part{n:02d}" / "broken" / "README.md").unlink()
    reports = []
    for code, out, err in both():
        assert code in (0, 1), err
        reports.append(out)
    assert reports[0] == reports[1]
    assert json.loads(reports[0])["summary"]["files_skipped"] > 0


def test_how_many_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    assert plan(MIN_PARALLEL - 1) == 1  # a small tree: no pool
    assert plan(MIN_PARALLEL) >= 1
    assert plan(10, workers=4) == 4 and plan(3, workers=4) == 3
    monkeypatch.setenv(WORKERS_ENV, "1")
    assert plan(10 * MIN_PARALLEL) == 1
    monkeypatch.setenv(WORKERS_ENV, "nonsense")
    assert plan(5) == 1


def _add(state: int, chunk: Sequence[int]) -> list[int]:
    return [state + x for x in chunk]


def test_chunks_come_back_in_order() -> None:
    items = list(range(1000))
    out = [x for part in map_chunks(_add, items, 7, workers=2) for x in part]
    assert out == [7 + x for x in items]


def test_a_scan_without_mentions_drops_only_them(tmp_path: Path) -> None:
    """``check`` without --include-comments does not hold the references in comments and prose (memory):
    the scan drops them in each chunk, and everything else is the same."""
    root = _tree(tmp_path / "repo")
    full = _plain(scan(root, max_file_size=2000, workers=2))
    lean = _plain(scan(root, max_file_size=2000, workers=2, mentions=False))
    assert full.mentions and not lean.mentions
    full.mentions.clear()
    assert lean == full


def _recorder(calls: list[tuple[int, int]]) -> Callable[[int, int], None]:
    return lambda done, total: calls.append((done, total))


def test_an_iterator_is_worked_as_it_is_read_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 26: the files of a tree come from a walk, read as the chunks are worked: the results are those of
    the list, in order, on one process or several, and the iterator is never read more than a few chunks
    ahead of the results given back."""
    from licencecmp.scan.parallel import IN_FLIGHT_PER_WORKER, MAX_CHUNK

    monkeypatch.delenv(WORKERS_ENV, raising=False)
    n = 5 * MIN_PARALLEL + 17
    for workers in (1, 2):
        read = 0

        def items() -> Iterator[int]:
            nonlocal read
            for x in range(n):
                read = x + 1
                yield x

        calls: list[tuple[int, int]] = []
        out: list[int] = []
        for part in map_chunks(_add, items(), 7, workers=workers, progress=_recorder(calls)):
            out += part
            assert read - len(out) <= MIN_PARALLEL + workers * IN_FLIGHT_PER_WORKER * MAX_CHUNK
        assert out == [7 + x for x in range(n)]
        assert calls[-1] == (n, n) and [d for d, _ in calls] == sorted(d for d, _ in calls)
        assert all(d <= t for d, t in calls)
    short = [x for part in map_chunks(_add, iter(range(10)), 1, workers=2) for x in part]
    assert short == list(range(1, 11))  # fewer items than MIN_PARALLEL: worked as a list


def test_a_streamed_scan_of_a_large_tree_equals_the_sequential_scan(tmp_path: Path) -> None:
    """A tree of more than MIN_PARALLEL files is scanned as it is walked, on several processes: the same
    result as one process, and the progress counter counts the files first."""
    root = _tree(tmp_path / "repo")
    for d in range(MIN_PARALLEL // 200 + 1):
        folder = root / f"zz_many_{d:02d}"
        folder.mkdir()
        for i in range(200):
            (folder / f"f{i:03d}.py").write_text(f"v = {i}\n")
    one = _plain(scan(root, max_file_size=2000, workers=1))
    calls: list[tuple[int, int]] = []
    many = _plain(scan(root, max_file_size=2000, workers=2, progress=lambda d, t: calls.append((d, t))))
    assert one.files_scanned > MIN_PARALLEL and one.found and one.skipped and one.problems
    assert many == one
    total = calls[0][1]
    assert calls[0] == (0, total) and calls[-1] == (total, total) and total > MIN_PARALLEL
