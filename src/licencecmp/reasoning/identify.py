"""Licence-text identification from data the catalogue already has.

A LICENSE file is compared with each licence's fingerprints (short verbatim lines that tell
versions apart) and evidence quotes, per text part (licence, acceptable use policy, ...), after
a loose normalisation that survives Markdown versus plain text, rewrapped lines, curly versus
straight quotes and case. The official texts themselves are not needed.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from licencecmp.data.catalogue import Catalogue, default_catalogue
from licencecmp.data.schema import SCHEMA_VERSION, Licence
from licencecmp.errors import InputError
from licencecmp.text import normalise_loose

__all__ = ["Identification", "Nearest", "identify_file", "identify_text"]

MAX_BYTES = 2 * 1024 * 1024
CONFIDENT = 0.6  # share of a licence's fingerprint and quote text that must be found
MARGIN = 0.02  # how far ahead of the runner-up the best match must be, unless it is more specific


class Nearest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    part: str
    score: float


class Identification(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: str = SCHEMA_VERSION
    licence: str | None
    part: str | None = None
    score: float
    nearest: tuple[Nearest, ...]
    differences: tuple[str, ...]


def _pieces(lic: Licence, part: str) -> list[tuple[str, str]]:
    """(label, loose text) of the fingerprints (main text only) and the quotes of one part."""
    seen: dict[str, str] = {}
    main = "licence" if "licence" in lic.texts else min(lic.texts)
    for fp in lic.fingerprints if part == main else ():
        seen.setdefault(normalise_loose(fp), f"fingerprint “{fp}”")
    for ev in lic.all_evidence():
        if ev.text == part:
            short = ev.quote[:70] + ("…" if len(ev.quote) > 70 else "")
            seen.setdefault(normalise_loose(ev.quote), f"§{ev.section} “{short}”")
    return [(label, text) for text, label in seen.items()]


def _score(text: str, lic: Licence, part: str) -> tuple[float, int, list[str]]:
    pieces = _pieces(lic, part)
    total = sum(len(t) for _, t in pieces) or 1
    found = 0
    missing: list[str] = []
    fp_found = fp_total = 0
    for label, piece in pieces:
        is_fp = label.startswith("fingerprint")
        fp_total += is_fp
        if piece in text:
            found += len(piece)
            fp_found += is_fp
        else:
            missing.append(label)
    share = found / total
    if fp_total:  # fingerprints tell versions apart: weigh them as half of the score
        share = 0.5 * share + 0.5 * (fp_found / fp_total)
    return share, found, missing


def identify_text(text: str, cat: Catalogue | None = None) -> Identification:
    cat = cat or default_catalogue()
    loose = normalise_loose(text)
    scored: list[tuple[float, int, str, str, list[str]]] = []
    for lic in cat:
        best: tuple[float, int, str, list[str]] | None = None
        for part in lic.texts:
            share, found, missing = _score(loose, lic, part)
            if best is None or (share, found) > (best[0], best[1]):
                best = (share, found, part, missing)
        assert best is not None
        scored.append((best[0], best[1], lic.id, best[2], best[3]))
    # Highest score first; among equals the more specific match (more text found), then the current version.
    scored.sort(key=lambda s: (-round(s[0], 6), -s[1], cat.licence(s[2]).superseded_by is not None, s[2]))
    nearest = tuple(Nearest(id=s[2], part=s[3], score=round(s[0], 3)) for s in scored[:5])
    top = scored[0]
    confident = top[0] >= CONFIDENT
    if confident and len(scored) > 1:
        runner = scored[1]
        confident = (top[0] - runner[0] >= MARGIN or top[1] > runner[1]
                     or cat.licence(runner[2]).superseded_by == top[2])
    differences = tuple(f"not found: {m}" for m in top[4])
    if not confident:
        return Identification(licence=None, score=round(top[0], 3), nearest=nearest, differences=differences)
    return Identification(licence=top[2], part=top[3], score=round(top[0], 3), nearest=nearest,
                          differences=differences)


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
