"""Licence-text identification from data the catalogue already has.

Two measures, both indifferent to Markdown versus plain text, rewrapped lines, curly versus
straight quotes and case:

- what of the licence is in the file: its fingerprints (short verbatim lines that tell versions
  apart) and evidence quotes, per text part (licence, acceptable use policy, ...), found as word
  sequences;
- what of the file is in the licence: the file's chunks (``licencecmp.data.chunks``) compared with
  the chunk hashes of the licence's official text, compiled into ``identify.json``. Text the licence
  does not have (an added paragraph, a changed name or number) is reported passage by passage.

The score is the first share times the second, so a licence whose every line is in the file but
which lacks the file's added paragraph (MIT against a "modified MIT") is not a full match.

Verdicts: ``match`` (the licence, whole: no missing quote, no added or changed passage, most of its
text present, clearly ahead of the runner-up), ``modified`` (the closest licence is substantially in
the file, but something was added, changed or left out, or two versions tie: ``licence`` is then
null and ``closest`` names it), ``different`` (no catalogue licence is substantially in the file).
The official texts themselves are not needed at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from licencecmp.data.catalogue import (
    Catalogue,
    default_catalogue,
    read_identify_data,
    read_identify_pieces,
    shipped_catalogue_wanted,
)
from licencecmp.data.chunks import Piece, Profile, Words, heading_words, identify_entry, profile, unpack, words_of
from licencecmp.errors import InputError
from licencecmp.reasoning.plainresult import PlainResult

__all__ = ["IDENTIFY_SCHEMA_VERSION", "LICENCE_FILE_PATTERNS", "Identification", "IdentifyVerdict", "Nearest",
           "Passage", "identify_file", "identify_paths", "identify_text", "licence_files"]

IDENTIFY_SCHEMA_VERSION = "2"
"""2: adds verdict, closest, coverage, added_words, added; ``licence`` is set only for a match."""
MAX_BYTES = 2 * 1024 * 1024
CONFIDENT = 0.6  # score (share of the licence found x share of the file explained) for a licence to be named
PRESENT = 0.5  # share of the closest licence's text found for "modified" rather than "different"
COVERED = 0.8  # share of the closest part's text a match must have (a fragment is not the licence)
MARGIN = 0.02  # how far ahead of the runner-up the best match must be, unless it is more specific
_T = TypeVar("_T")
CANDIDATES = 6  # licences (by fingerprint and quote share) whose chunks are compared with the file


class IdentifyVerdict(str, Enum):
    match = "match"
    modified = "modified"
    different = "different"


@dataclass(frozen=True, slots=True, kw_only=True)
class Nearest(PlainResult):
    id: str
    part: str
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Passage(PlainResult):
    """Text of the file that the closest licence does not have (added, or changed from the original)."""

    text: str
    words: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Identification(PlainResult):
    schema_version: str = IDENTIFY_SCHEMA_VERSION
    licence: str | None  # set only when verdict is match
    part: str | None = None
    score: float
    nearest: tuple[Nearest, ...]
    differences: tuple[str, ...]
    verdict: IdentifyVerdict = IdentifyVerdict.different
    closest: str | None = None  # the nearest licence, for match and modified
    coverage: float = 0.0  # share of the closest part's text found in the file
    added_words: int = 0  # words of the file in passages the closest licence does not have
    added: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class _Entry:
    """One licence as identify knows it: what it looks for of each text part, in the licence's order
    (each piece a JSON list: label, words, is a fingerprint)."""

    id: str
    title: str
    superseded_by: str | None
    parts: dict[str, list[Piece]]


class _Index:
    """What identify compares a text with: every licence's pieces (by id, in id order), the chunk
    hashes of the official texts, and the chunk sets unpacked so far."""

    def __init__(self, entries: list[dict[str, Any]], data: dict[str, Any]) -> None:
        self.entries = {e["id"]: _Entry(e["id"], e["title"], e["superseded_by"], dict(e["parts"])) for e in entries}
        self.data = data
        self.memo: dict[object, Any] = {}

    def cached(self, key: object, build: Callable[[], _T]) -> _T:
        try:
            value: _T = self.memo[key]
        except KeyError:
            value = self.memo[key] = build()
        return value


def _index_of(cat: Catalogue) -> _Index:
    """The index of a catalogue (kept on it): the precompiled pieces of the shipped catalogue, else
    built from its licences (the same, as a test proves)."""
    def build() -> _Index:
        raw = cat.identify_pieces()
        return _Index(raw if raw is not None else [identify_entry(lic) for lic in cat], cat.identify_data())

    return cat.memo("identify-index", build)


@cache
def _shipped_index() -> _Index | None:
    """The shipped catalogue's index, read without loading the catalogue itself (the compiled files are
    made together; ``compile --check`` proves them fresh); None without identify_pieces.json."""
    entries = read_identify_pieces()
    return None if entries is None else _Index(entries, read_identify_data())


def _index(cat: Catalogue | None) -> _Index:
    if cat is None and shipped_catalogue_wanted():
        shipped = _shipped_index()
        if shipped is not None:
            return shipped
    return _index_of(cat or default_catalogue())


@dataclass
class _Candidate:
    id: str
    part: str
    share: float  # of the part's fingerprints and quotes found
    found: int  # characters of them found
    missing: list[str]
    quotes_missing: int
    explained: float | None = None  # share of the file's words the licence has (None: no data)
    coverage: float = 0.0
    foreign: tuple[tuple[int, int], ...] = ()  # (first, last) word runs the licence does not have
    foreign_words: int = 0
    prof: Profile | None = None

    @property
    def score(self) -> float:
        return self.share * (1.0 if self.explained is None else self.explained)


def _share(tokens: str, vocab: frozenset[str], pieces: list[Piece]) -> tuple[float, int, list[str], int]:
    total = sum(len(t) for _, t, _ in pieces) or 1
    found = fp_found = fp_total = quotes_missing = 0
    missing: list[str] = []
    for label, piece, is_fp in pieces:
        fp_total += is_fp
        if vocab.issuperset(piece.split()) and piece in tokens:
            found += len(piece)
            fp_found += is_fp
        else:
            missing.append(label)
            quotes_missing += not is_fp
    share = found / total
    if fp_total:  # fingerprints tell versions apart: weigh them as half of the score
        share = 0.5 * share + 0.5 * (fp_found / fp_total)
    return share, found, missing, quotes_missing


def _compare_chunks(cand: _Candidate, lic: _Entry, data: dict[str, object] | None, text: str,
                    prepared: Words, base: Profile, index: _Index) -> None:
    if not data:
        return
    parts = data["parts"]
    assert isinstance(parts, dict)
    sets: dict[str, frozenset[int]] = index.cached(
        ("identify-chunks", lic.id), lambda: {p: unpack(v["chunks"]) for p, v in parts.items()})
    layouts: frozenset[int] = index.cached(("identify-layouts", lic.id), lambda: frozenset().union(
        *(unpack(v.get("layouts", "")) for v in parts.values())))
    title = data.get("title_words")
    words = frozenset(title) if isinstance(title, list) else heading_words([lic.title, lic.id])
    prof = profile(text, words, prepared, base=base)
    known = frozenset().union(layouts, *sets.values())
    file_hashes = {c.hash for c in prof.chunks}
    runs: list[tuple[int, int]] = []
    for c in prof.chunks:
        if c.hash in known:
            continue
        if runs and runs[-1][1] == c.first - 1:
            runs[-1] = (runs[-1][0], c.last)
        else:
            runs.append((c.first, c.last))
    cand.foreign = tuple(runs)
    cand.foreign_words = sum(b - a + 1 for a, b in runs)
    cand.explained = 1.0 - cand.foreign_words / len(prof.spans) if prof.spans else 0.0
    best_part, best_cov = cand.part, -1.0
    for part, hashes in sets.items():
        cov = len(hashes & file_hashes) / len(hashes) if hashes else 0.0
        if cov > best_cov + 1e-9 or (abs(cov - best_cov) <= 1e-9 and part == cand.part):
            best_part, best_cov = part, cov
    cand.coverage = best_cov
    cand.prof = prof
    if best_part != cand.part and best_cov > 0:  # the file is mostly another part of this licence
        cand.part = best_part


def _best_part(lic: _Entry, tokens: str, vocab: frozenset[str]) -> _Candidate:
    """The part of a licence's texts (the licence, its policy ...) whose quotes the text has most of."""
    best: _Candidate | None = None
    for part, pieces in lic.parts.items():
        share, found, missing, qmiss = _share(tokens, vocab, pieces)
        if best is None or (share, found) > (best.share, best.found):
            best = _Candidate(lic.id, part, share, found, missing, qmiss)
    assert best is not None
    return best


def _differences(top: _Candidate, has_data: bool) -> tuple[list[str], list[Passage]]:
    """What the nearest licence has that the text lacks, and the passages the text adds."""
    differences = [f"not found: {m}" for m in top.missing]
    added: list[Passage] = []
    if top.prof is not None:
        added = [Passage(text=top.prof.passage(first, last), words=last - first + 1) for first, last in top.foreign]
        differences += [f"added or changed ({p.words} words): “{p.text}”" for p in added]
    elif not has_data:
        differences.append(f"no compiled text data for {top.id}: text the licence does not have cannot be "
                           "found (rebuild with python -m licencecmp.data.compile and the official texts)")
    return differences, added


def _ahead_of(top: _Candidate, runner: _Candidate, entries: dict[str, _Entry]) -> bool:
    """Whether the nearest licence is clearly nearer than the next (or the next is superseded by it)."""
    return (top.score - runner.score >= MARGIN or top.found > runner.found
            or entries[runner.id].superseded_by == top.id)


def identify_text(text: str, cat: Catalogue | None = None) -> Identification:
    index = _index(cat)
    prepared = words_of(text)
    tokens = " " + " ".join(prepared[1]) + " "
    vocab = frozenset(prepared[1])
    entries = index.entries
    cands = [_best_part(lic, tokens, vocab) for lic in entries.values()]

    def rank(c: _Candidate) -> tuple[float, int, bool, str]:
        return (-round(c.score, 6), -c.found, entries[c.id].superseded_by is not None, c.id)

    cands.sort(key=rank)
    data = index.data
    compared = [c for c in cands[:CANDIDATES] if c.share > 0]  # nothing of a licence found: not near it
    base = profile(text, frozenset(), prepared) if compared else None
    for cand in compared:
        assert base is not None
        lic = entries[cand.id]
        _compare_chunks(cand, lic, data.get(cand.id), text, prepared, base, index)
        # the quotes of the part the chunks chose
        share, found, missing, qmiss = _share(tokens, vocab, lic.parts[cand.part])
        cand.share, cand.found, cand.missing, cand.quotes_missing = share, found, missing, qmiss
    cands[:CANDIDATES] = sorted(cands[:CANDIDATES], key=rank)
    top = cands[0]
    nearest = tuple(Nearest(id=c.id, part=c.part, score=round(c.score, 3)) for c in cands[:5])
    differences, added = _differences(top, bool(data.get(top.id)))
    ahead = len(cands) < 2 or _ahead_of(top, cands[1], entries)
    present = top.share >= CONFIDENT or top.coverage >= PRESENT
    whole = (top.score >= CONFIDENT and ahead and top.explained is not None and top.foreign_words == 0
             and top.quotes_missing == 0 and top.coverage >= COVERED)
    verdict = (IdentifyVerdict.match if whole else
               IdentifyVerdict.modified if present else IdentifyVerdict.different)
    if verdict is not IdentifyVerdict.different and not ahead:
        differences.append(f"as near to {cands[1].id}: cannot tell which one this is")
    close = verdict is not IdentifyVerdict.different
    return Identification(
        licence=top.id if whole else None, part=top.part if close else None, score=round(top.score, 3),
        nearest=nearest, differences=tuple(differences), verdict=verdict, closest=top.id if close else None,
        coverage=round(top.coverage, 3), added_words=top.foreign_words if close else 0,
        added=tuple(added) if close else ())


def read_text_file(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing directories, binary data, other encodings and huge files."""
    if path.is_dir():
        raise InputError(f"{str(path)!r} is a directory, not a licence file")
    import os
    import stat

    try:  # non-blocking and regular files only: a FIFO or a device is refused, never waited on
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InputError(f"{str(path)!r} is not a regular file (a FIFO, socket or device)")
            chunks, total = [], 0
            while total <= max_bytes and (chunk := os.read(fd, max_bytes + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"{str(path)!r} is larger than {max_bytes // 1024} KiB; not a licence text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{str(path)!r} starts like UTF-16 but does not decode as UTF-16") from None
    if b"\0" in data:
        raise InputError(f"{str(path)!r} is a binary file, not a licence text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{str(path)!r} is not UTF-8 text (byte {exc.start})") from None


def identify_file(path: Path, cat: Catalogue | None = None) -> Identification:
    return identify_text(read_text_file(path), cat)


LICENCE_FILE_PATTERNS = ("LICENSE*", "LICENCE*", "COPYING*", "NOTICE*", "*.license")
"""The names (any case) of the files ``identify DIR`` reads, at any depth."""
MAX_FILES = 1000  # licence files one call reads from a directory
MAX_ENTRIES = 200_000  # directory entries one call looks at, whatever their names
MAX_DEPTH = 64


def _licence_like(name: str) -> bool:
    upper = name.upper()
    return upper.startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE")) or upper.endswith(".LICENSE")


def licence_files(directory: Path) -> list[Path]:
    """The licence-like files (:data:`LICENCE_FILE_PATTERNS`) under ``directory`` at any depth, sorted;
    links are not followed (a symlinked file or directory is left out). Bounded: more than
    :data:`MAX_FILES` such files, :data:`MAX_ENTRIES` entries or :data:`MAX_DEPTH` levels is an
    :class:`InputError`, never an endless walk."""
    import os

    found: list[Path] = []
    seen = 0
    stack: list[tuple[str, int]] = [(os.fspath(directory), 0)]
    while stack:
        current, depth = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            raise InputError(f"cannot read the directory {current!r}: {exc.strerror or exc}") from None
        seen += len(entries)
        if seen > MAX_ENTRIES:
            raise InputError(f"more than {MAX_ENTRIES} entries under {str(directory)!r}: name the licence files")
        subdirs = []
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(entry.path)
            elif _licence_like(entry.name) and entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
                if len(found) > MAX_FILES:
                    raise InputError(f"more than {MAX_FILES} licence files under {str(directory)!r}")
        if subdirs and depth + 1 > MAX_DEPTH:
            raise InputError(f"directories nested deeper than {MAX_DEPTH} levels under {str(directory)!r}")
        stack.extend((d, depth + 1) for d in reversed(subdirs))
    return sorted(found, key=lambda p: p.parts)


def identify_paths(paths: list[Path], cat: Catalogue | None = None) -> list[tuple[Path, Identification | InputError]]:
    """Each file named, and each licence-like file under each directory named, with its
    identification or why it could not be read. A directory with no such file is an InputError.
    What is named is read even through a link; links found inside a directory are not followed."""
    out: list[tuple[Path, Identification | InputError]] = []
    for path in paths:
        if path.is_dir():
            files = licence_files(path)
            if not files:
                patterns = ", ".join(LICENCE_FILE_PATTERNS)
                raise InputError(f"{str(path)!r} is a directory with no licence files ({patterns})")
        else:
            files = [path]
        for file in files:
            try:
                out.append((file, identify_file(file, cat)))
            except InputError as exc:
                out.append((file, exc))
    return out
