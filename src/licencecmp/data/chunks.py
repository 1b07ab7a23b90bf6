"""Layout-free profiles of licence texts, for telling a licence from a near copy (``identify``).

A text is reduced to its words (case-folded; punctuation, Markdown, quotes and line breaks do not
count), copyright notices are set aside (they differ in every copy), and the word stream is cut into
content-defined chunks: a chunk ends after a word whose hash picks it as a boundary. Two copies of
the same words therefore give the same chunks however they are wrapped, and a changed or added
passage changes only the chunks it falls in. The compiled catalogue keeps, per licence text part,
the hashes of its chunks (computed from the official text at compile time); at run time a LICENSE
file's chunks that the licence does not have are the text the licence does not have.

Everything here is linear in the size of the text.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FORMAT", "GENERIC_HEADING_WORDS", "Chunk", "Piece", "Profile", "Words", "heading_words",
           "identify_entry", "official_hashes", "pack", "pieces", "profile", "tokens", "unpack", "words_of"]

FORMAT = 1
"""Changes whenever the way chunks are cut or hashed changes (the compiled data must be rebuilt)."""

MIN_WORDS = 4
MAX_WORDS = 32
BOUNDARY_ONE_IN = 8

_WORD = re.compile(r"\w+|©")  # "©" is a word, read as "c" (like "(c)")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")  # [^<>]: linear on "<a<a<a..."
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")  # [label](target) -> label
# A copyright notice line: "Copyright (c) 2025 X", "Copyright 2024 X", "Copyright [yyyy] [name]", "(c) 2024 X",
# "© X", "All rights reserved." Definitions that begin with the word "Copyright" are not notices.
# ([^\w\n] and [^\S\n] keep every scan within one line: linear time.)
_NOTICE_START = r"(?:copyright[^\S\n]*(?:\(c\)|©|\d{4}|\[|<|\{)|\(c\)[^\S\n]*\d|©|all rights reserved[^\w\n]*$)"
_NOTICE = re.compile(r"^[^\w\n]*" + _NOTICE_START + r"[^\n]*", re.IGNORECASE | re.MULTILINE)
_NOTICE_ANYWHERE = re.compile("(?=" + _NOTICE_START + ")", re.IGNORECASE | re.MULTILINE)  # overlapping starts
TITLE_MAX_WORDS = 64
_NOTICE_MAX_WORDS = 24
# A line with one of these words says more than who holds the copyright: it is not left out.
_NORMATIVE = frozenset([
    "may", "must", "shall", "not", "no", "only", "use", "used", "using", "commercial", "commercially",
    "prohibited", "permitted", "permission", "except", "without", "restricted", "restriction", "restrictions",
    "non", "noncommercial", "licensed", "license", "licence", "granted", "grant",
])
# Words a title line may use besides the licence's own names.
GENERIC_HEADING_WORDS = frozenset([
    "the", "a", "license", "licence", "licensed", "licenses", "agreement", "terms", "of", "use", "version",
    "v", "text", "spdx", "identifier", "and", "for", "full", "this",
])


@dataclass(frozen=True)
class Chunk:
    hash: int
    first: int  # index of its first word in Profile.spans
    last: int  # index of its last word


@dataclass(frozen=True)
class Profile:
    text: str  # the text the spans point into (HTML tags and link targets blanked)
    spans: tuple[tuple[int, int], ...]  # (start, end) of each counted word in ``text``
    chunks: tuple[Chunk, ...]
    skipped_words: int  # words in copyright notices and the leading title
    words: tuple[str, ...] = ()  # the words the spans are of

    def passage(self, first: int, last: int, limit: int = 600) -> str:
        start, end = self.spans[first][0], self.spans[last][1]
        text = " ".join(self.text[start:end].split())
        return text if len(text) <= limit else text[: limit - 1] + "…"


def heading_words(names: Iterable[str]) -> frozenset[str]:
    """The words a title line of a licence may consist of: its names (title, id, SPDX id, aliases)."""
    out = set(GENERIC_HEADING_WORDS)
    for name in names:
        out.update(_WORD.findall(name.casefold().replace("_", " ")))
    return frozenset(out)


def _hash(data: str) -> int:
    return int.from_bytes(hashlib.blake2b(data.encode("utf-8"), digest_size=4).digest(), "big")


def _is_boundary(word: str) -> bool:
    return _hash(word) % BOUNDARY_ONE_IN == 0


Words = tuple[str, list[str], list[tuple[int, int]], list[bool]]
"""(cleaned text, words, their spans in it, whether each is in a copyright-notice line)."""


# HTML attributes whose values are never shown as text: blanked with their tag. Every other value
# (title, alt, aria-label, content, ...) is text a reader may see, so it is kept and compared.
_STRUCTURAL_ATTRS = frozenset({
    "href", "src", "class", "id", "style", "rel", "target", "width", "height", "type", "name", "lang", "dir",
    "align", "valign", "colspan", "rowspan", "border", "cellpadding", "cellspacing", "role", "tabindex",
    "xmlns", "charset", "http-equiv", "start", "srcset", "loading", "decoding", "referrerpolicy",
})
_ATTR = re.compile(r"""([A-Za-z_:][-\w:.]{0,63})[^\S\n]*=[^\S\n]*("[^"<>]*"|'[^'<>]*')""")


def _blank_tag(m: re.Match[str]) -> str:
    """A tag blanked to spaces, except the values of attributes that are shown as text."""
    tag = m.group(0)
    out = [" "] * len(tag)
    for a in _ATTR.finditer(tag):
        if a.group(1).casefold() not in _STRUCTURAL_ATTRS and not a.group(1).casefold().startswith("data-"):
            start = a.start(2) + 1
            out[start:a.end(2) - 1] = tag[start:a.end(2) - 1]
    return "".join(out)


# A copyright notice is set aside only while it provably says nothing but who holds the copyright:
# its first sentence (the holder), and "All rights reserved"; any later sentence on the line is
# compared, and a notice whose holder has words a name does not have is not set aside at all.
_SENTENCE_END = re.compile(r"(\w*)[.!?;:](?=[^\S\n]+[^\s])")
_ABBREVIATIONS = frozenset({"inc", "ltd", "llc", "plc", "corp", "co", "jr", "sr", "st", "no", "bv", "nv", "ag",
                            "sa", "c"})
_RESERVED = re.compile(r"[^\S\n]*all[^\S\n]+rights[^\S\n]+reserved[^\w\n]*", re.IGNORECASE)
_HOLDER_WORDS = frozenset({
    "and", "the", "of", "by", "its", "their", "for", "at", "in", "de", "von", "van", "contributors",
    "contributor", "authors", "author", "affiliates", "affiliate", "holders", "holder", "copyright", "c",
    "present", "all", "rights", "reserved", "inc", "ltd", "llc", "plc", "corp", "co", "gmbh", "sa", "bv",
    "year", "yyyy", "name", "owner", "org", "com", "www", "http", "https", "project", "team", "developers",
    "foundation", "university", "limited", "corporation", "company", "group", "technologies", "technology",
    "original", "or", "other", "respective", "individual", "see", "file", "listed", "mentioned", "as", "to",
    "e", "mail", "email", "github", "a", "an", "on", "behalf", "members", "maintainers", "owners",
})


def _notice_end(text: str, start: int, end: int) -> int | None:
    """Where the notice that starts at ``start`` (its line ends at ``end``) ends, or None when the
    line says more than who holds the copyright (a lower-case word a name does not have)."""
    line = text[start:end]
    stop = len(line)
    for cut in _SENTENCE_END.finditer(line):  # the first full stop not after an abbreviation or initial
        before = cut.group(1)
        if before.casefold() not in _ABBREVIATIONS and not (len(before) == 1 and before.isupper()):
            stop = cut.end()
            break
    while True:  # "All rights reserved." after the holder is part of the notice
        tail = _RESERVED.match(line, stop)
        if tail is None:
            break
        stop = tail.end()
    for w in _WORD.findall(line[:stop]):
        if w[:1].islower() and w.casefold() not in _HOLDER_WORDS and not w.isdigit():
            return None
    return start + stop


def words_of(text: str) -> Words:
    """The words of a text, case-folded, each with its span and whether it belongs to a
    copyright-notice line ("©" and "(c)" count as the word "c")."""
    clean = _HTML_TAG.sub(_blank_tag, text.replace("\r", "\n"))
    clean = _LINK.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), clean)
    spans = [m.span() for m in _WORD.finditer(clean)]
    words = ["c" if w == "©" else w.casefold() for w in _WORD.findall(clean)]
    notice = [False] * len(words)
    starts = [a for a, _ in spans]
    for m in _NOTICE.finditer(clean):
        end = _notice_end(clean, m.start(), m.end())
        if end is None:
            continue
        first, last = bisect.bisect_left(starts, m.start()), bisect.bisect_left(starts, end)
        if 0 < last - first <= _NOTICE_MAX_WORDS and not any(w in _NORMATIVE for w in words[first:last]):
            notice[first:last] = [True] * (last - first)
    return clean, words, spans, notice


def _chunk(words: Sequence[str], stop_at: frozenset[int] = frozenset(), offset: int = 0) -> list[tuple[int, int, int]]:
    """(hash, first, last) of each chunk of a word stream. With ``stop_at``, stops after the first
    chunk whose last word (its index plus ``offset``) is in it: the chunking is in step from there."""
    out: list[tuple[int, int, int]] = []
    start = 0
    boundary: dict[str, bool] = {}
    for i, word in enumerate(words):
        size = i - start + 1
        cut = boundary.get(word)
        if cut is None:
            cut = boundary[word] = _is_boundary(word)
        if (size >= MIN_WORDS and cut) or size >= MAX_WORDS or i == len(words) - 1:
            out.append((_hash(" ".join(words[start:i + 1])), start, i))
            start = i + 1
            if i + offset in stop_at:
                break
    return out


def _strip_title(words: Sequence[str], title_words: frozenset[str]) -> int:
    lead = 0
    while lead < min(len(words), TITLE_MAX_WORDS) and words[lead] in title_words:
        lead += 1
    return lead


def profile(text: str, title_words: frozenset[str] = GENERIC_HEADING_WORDS, prepared: Words | None = None,
            keep_notices: bool = False, base: Profile | None = None) -> Profile:
    """The chunks of a text. Words of copyright-notice lines are left out (unless ``keep_notices``),
    and so are the leading words that only repeat the licence's names (a title line, however it is
    spelled or wrapped). ``base``, the profile of the same ``prepared`` words with no title words,
    saves chunking the text again: only the start differs."""
    clean, all_words, all_spans, notice = prepared or words_of(text)
    if base is not None and not keep_notices:  # the same words, notices left out
        words: Sequence[str] = base.words
        spans: Sequence[tuple[int, int]] = base.spans
    else:
        words = [w for w, n in zip(all_words, notice, strict=True) if keep_notices or not n]
        spans = [s for s, n in zip(all_spans, notice, strict=True) if keep_notices or not n]
    lead = _strip_title(words, title_words)
    skipped = len(all_words) - len(words) + lead
    words, spans = words[lead:], spans[lead:]
    if base is None or keep_notices:
        raw = _chunk(words)
    elif lead == 0:
        return Profile(clean, base.spans, base.chunks, skipped, base.words)
    else:  # chunk the start afresh until a cut falls where the base has one, then reuse the base
        cuts = frozenset(c.last for c in base.chunks)
        raw = _chunk(words, cuts, lead)
        if raw:
            last = raw[-1][2] + lead
            raw += [(c.hash, c.first - lead, c.last - lead) for c in base.chunks if c.first > last]
    chunks = tuple(Chunk(h, a, b) for h, a, b in raw)
    return Profile(clean, tuple(spans), chunks, skipped, tuple(words))


def official_hashes(text: str, title_words: frozenset[str]) -> tuple[int, set[int], set[int]]:
    """(words, chunk hashes, extra hashes) of an official text. The extra hashes are those of the
    layouts a copy may have that differ only in where its copyright notices start and end (a
    rewrapped copy runs a notice into the next line, or the next line into it): the notice kept,
    or left out from its first word up to any of the next words."""
    prepared = words_of(text)
    main = profile(text, title_words, prepared)
    chunks = {c.hash for c in main.chunks}
    extra = {c.hash for c in profile(text, title_words, prepared, keep_notices=True).chunks}
    clean, words, spans, notice = prepared
    starts = [i for i, n in enumerate(notice) if n and (i == 0 or not notice[i - 1])]
    for i in starts:  # a notice line: left out from its first word to any word near its end
        j = i
        while j < len(words) and notice[j]:
            j += 1
        others = [n and not (i <= k < j) for k, n in enumerate(notice)]
        for end in range(i + 1, min(len(words), j + MAX_WORDS) + 1):
            stream = [w for k, w in enumerate(words) if not others[k] and not (i <= k < end)]
            lead = _strip_title(stream, title_words)
            extra.update(h for h, _, _ in _chunk(stream[lead:]))
    # a notice that a rewrapped copy sets at the start of a line: left out up to any of the next words
    word_starts = [a for a, _ in spans]
    for m in _NOTICE_ANYWHERE.finditer(clean):
        i = bisect.bisect_left(word_starts, m.start())
        if i >= len(words) or i in starts:
            continue
        for end in range(i + 1, min(len(words), i + _NOTICE_MAX_WORDS) + 1):
            stream = [w for k, w in enumerate(words) if not notice[k] and not (i <= k < end)]
            lead = _strip_title(stream, title_words)
            extra.update(h for h, _, _ in _chunk(stream[lead:]))
    return len(main.spans), chunks, extra - chunks


def pack(hashes: Iterable[int]) -> str:
    """A set of chunk hashes as compact text (sorted, 4 bytes each, base64)."""
    return base64.b64encode(b"".join(h.to_bytes(4, "big") for h in sorted(set(hashes)))).decode("ascii")


def unpack(data: str) -> frozenset[int]:
    raw = base64.b64decode(data.encode("ascii"))
    return frozenset(int.from_bytes(raw[i:i + 4], "big") for i in range(0, len(raw) - 3, 4))


# -- what identify looks for of each licence (compiled into identify_pieces.json) -------------------

Piece = tuple[str, str, bool] | list[Any]
"""(label, words, is a fingerprint): a fingerprint or evidence quote of a licence as identify finds it
(a list when read from identify_pieces.json)."""


def tokens(text: str) -> str:
    """Words joined by single spaces, with a space at each end (so matches fall on word edges)."""
    return " " + " ".join(words_of(text)[1]) + " "


def pieces(lic: Any, part: str) -> list[Piece]:
    """The fingerprints (main text only) and the evidence quotes of one text part of a licence."""
    seen: dict[str, tuple[str, bool]] = {}
    main = "licence" if "licence" in lic.texts else min(lic.texts)
    for fp in lic.fingerprints if part == main else ():
        seen.setdefault(tokens(fp), (f"fingerprint “{fp}”", True))
    for ev in lic.all_evidence():
        if ev.text == part:
            short = ev.quote[:70] + ("…" if len(ev.quote) > 70 else "")
            seen.setdefault(tokens(ev.quote), (f"§{ev.section} “{short}”", False))
    return [(label, text, fp) for text, (label, fp) in seen.items() if text.strip()]


def identify_entry(lic: Any) -> dict[str, Any]:
    """What ``identify`` needs of one licence, as JSON: its id, title, successor and, per text part
    (in the licence's order), its pieces."""
    return {"id": lic.id, "title": lic.title, "superseded_by": lic.superseded_by,
            "parts": [[part, [list(p) for p in pieces(lic, part)]] for part in lic.texts]}
