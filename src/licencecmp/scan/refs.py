"""What a repository uses: models found in code, configuration, model cards, SBOMs and the policy.

Files come from ``git ls-files`` inside a git work tree (so ``.gitignore`` is respected), or from
a walk that honours every ``.gitignore`` with a real gitignore matcher (pathspec). Binary files,
files over the size limit and symlinks that leave the tree are skipped and *reported*. Every file
is read once as bytes; one compiled pattern of all registry repo ids is searched over the whole
contents, and line numbers are computed only for hits.

>>> IdMatcher(["meta-llama/Llama-3.1-8B"]).find(b'from_pretrained("Meta-Llama/Llama-3.1-8B")')
[(17, 'meta-llama/llama-3.1-8b')]
"""

from __future__ import annotations

import gc
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from licencecmp.errors import InputError
from licencecmp.scan.cards import scan_card
from licencecmp.scan.files import Listing
from licencecmp.scan.reading import ReadRefused, classify, could_hold_model, file_kind, read_capped
from licencecmp.scan.results import CatalogueFile, Found, ScanResult, Skipped
from licencecmp.scan.sboms import read_sbom, sbom_kind

if TYPE_CHECKING:
    from licencecmp.scan.shapes import Analysis, Ref

__all__ = [
    "CONFIG_SUFFIXES",
    "DOC_SUFFIXES",
    "IdMatcher",
    "id_pattern",
    "scan",
]

DOC_SUFFIXES = frozenset({".md", ".markdown", ".mdx", ".rst", ".txt", ".adoc", ".html", ".htm", ".tex", ".org",
                          ".qmd"})
"""Documentation: not searched for model references (a model named in prose is not a use), except the
scripts of an HTML page."""
CONFIG_SUFFIXES = frozenset({".yaml", ".yml", ".toml", ".json", ".jsonc", ".ini", ".cfg", ".conf", ".env",
                             ".properties", ".xml", ".hcl", ".tf"})
SKIP_SUFFIXES = frozenset({".sarif"})  # reports that licencecmp itself may have written


# -- the model-id pattern ---------------------------------------------------------------------

def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching exactly the given (lower-case) words, as a trie so that matching is fast
    and the longest word wins."""
    branches = _trie_branches(words)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")" if branches else ""


def _trie_branches(words: Iterable[str]) -> list[str]:
    """The alternatives of :func:`_trie_regex` (one per first character; no word may be empty)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    assert "" not in trie, "an empty word"
    return [re.escape(ch) + build(sub) for ch, sub in sorted(trie.items())]


def id_pattern(ids: Iterable[str]) -> re.Pattern[bytes]:
    """One compiled pattern of all repo ids, to be searched over *lower-cased* file contents."""
    words = sorted({i.lower() for i in ids if i})
    if not words:
        return re.compile(rb"(?!x)x")  # matches nothing
    return re.compile(_trie_regex(words).encode("utf-8"))


class IdMatcher:
    """Finds registry repo ids in file contents (bytes), case-insensitively.

    Every id is ``org/name``. Python's regex engine has no multi-literal search, but it searches
    fast for a pattern that starts with a literal: so the pattern, searched over the lower-cased
    contents, is ``/`` then a trie of every registry *name* (most slashes fail at the name's first
    character or two). A hit is confirmed in Python: the run of id characters before the slash must
    be a registry org (a word boundary), and the whole id must be in the registry (else the
    longest registry id of that org at that place is matched).
    """

    def __init__(self, ids: Iterable[str]) -> None:
        words = sorted({i.lower() for i in ids if i})
        self.ids = {w.encode("utf-8"): w for w in words}
        self._by_org: dict[bytes, tuple[tuple[int, frozenset[bytes]], ...]] | None = None  # built when first needed
        orgs: set[bytes] = set()
        names: set[str] = set()
        for w in words:
            org, sep, name = w.partition("/")
            if sep and org and name:
                orgs.add(org.encode("utf-8"))
                names.add(name)
        self.orgs = frozenset(orgs)
        self.longest_org = max(map(len, orgs), default=0)
        self.names = frozenset(n.encode("utf-8") for n in names)
        # "/" then a registry name; each slash is also tried against two gates of the decoded-Python pass
        # (``"org/"`` and ``f"org/{NAME}"``: find_python), alternatives of the same branch after the names (each
        # starts with one character: the engine skips it at once when that is not the next one). One pattern for
        # every file (a second one of the same size cost a compilation at each start).
        branches = [b.encode("utf-8") for b in _trie_branches(names)]
        self.pattern = re.compile(b"/(?:" + b"|".join([*branches, *_SLASH_GATES]) + b")", re.MULTILINE)

    def longest_at(self, low: bytes, start: int, slash: int) -> bytes | None:
        """The longest registry id that ``low`` (lower-cased) holds at ``start`` (its organisation runs to
        ``slash``), or None: the ids of that organisation, longest first (an index built on first use; a
        compiled pattern of every id cost a worker 60-80 ms whenever one file needed it)."""
        if self._by_org is None:
            by_org: dict[bytes, dict[int, set[bytes]]] = {}
            for w in self.ids:
                by_org.setdefault(w.partition(b"/")[0], {}).setdefault(len(w), set()).add(w)
            self._by_org = {o: tuple((n, frozenset(ws)) for n, ws in sorted(lengths.items(), reverse=True))
                            for o, lengths in by_org.items()}
        for n, same_length in self._by_org.get(low[start:slash], ()):  # one slice per distinct length
            if low[start:start + n] in same_length:
                return low[start:start + n]
        return None

    def find(self, data: bytes) -> list[tuple[int, str]]:
        """(start offset, registry id in lower case) of each id in ``data``."""
        return self._find(data)[0]

    def find_python(self, data: bytes) -> tuple[list[tuple[int, str]], bool]:
        """:meth:`find` on Python source, and whether one of the gates of the decoded pass (:func:`may_fold`)
        other than the two that :func:`licencecmp.scan.shapes.quoted_candidates_and_joins` answers is in it:
        those that start at a slash in the same pass over the slashes, those that start with a backslash
        (when there is one) after it."""
        hits, gate = self._find(data)
        return hits, gate or (_BACKSLASH in data and _BACKSLASH_GATE.search(data) is not None)

    def _find(self, data: bytes) -> tuple[list[tuple[int, str]], bool]:
        hits: list[tuple[int, str]] = []
        low = data.lower()  # ASCII only: offsets are unchanged
        n = len(low)
        orgs, ids, longest = self.orgs, self.ids, self.longest_org
        gate = False
        for m in self.pattern.finditer(low):
            slash, end = m.span()
            if low[slash + 1:end] not in self.names:  # a gate (the names, tried first, matched none here)
                gate = True
                continue
            # the run of id characters before the slash, walked back over at most one byte further
            # than the longest org: a longer run is no org (more id characters before it: another name)
            start, stop = slash, max(0, slash - longest - 1)
            while start > stop and low[start - 1] in _ID_CHARS:
                start -= 1
            if low[start:slash] not in orgs:
                continue
            key = ids.get(low[start:end])
            if key is None:  # a longer name of another org: the longest id of this org here
                whole = self.longest_at(low, start, slash)
                if whole is None:
                    continue
                end = start + len(whole)
                key = ids[whole]
            if end < n and low[end] in _ID_CHARS and not (
                    low[end] == 0x2E and (end + 1 >= n or low[end + 1] not in _ID_CHARS)):
                continue  # more id characters after it: another name (a final full stop is fine)
            hits.append((start, key))
        return hits, gate


_ID_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


# -- scanning ---------------------------------------------------------------------------------

ProgressFn = Callable[[int, int], None]


def _classify(rel: str) -> str:
    return "config" if os.path.splitext(rel)[1].lower() in CONFIG_SUFFIXES else "code"


def scan(
    root: Path,
    cat: Any = None,
    *,
    max_file_size: int = 5 * 1024 * 1024,
    exclude: Sequence[str] = (),
    skip: Iterable[str] = (),
    progress: ProgressFn | None = None,
    workers: int | None = None,
    mentions: bool = True,
) -> ScanResult:
    """Scan a directory tree for models. ``skip``: relative paths not to search for references
    (the policy file, whose models are read from the policy itself). ``workers``: processes to scan
    with (default: every CPU for a large tree, see :mod:`licencecmp.scan.parallel`); the result is
    the same whatever their number. ``mentions``: keep the references in comments and prose
    (``ScanResult.mentions``); without it they are dropped as each chunk of files is scanned (a
    large repository's prose names many models, and a check that does not list them need not hold them)."""
    from licencecmp.data.catalogue import default_catalogue

    t0 = time.perf_counter()
    cat = cat or default_catalogue()
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{str(root)!r} is not a directory")
    res = ScanResult(root=root)
    # The files are listed as they are scanned (the list of a large tree is never held: issue 26); a
    # progress counter needs their number first, which costs a walk of its own.
    files = Listing(root, exclude, res.notices)
    res.git = files.git
    ids = {m.id.lower(): m.id for m in cat.models()}
    pattern = IdMatcher(ids)
    skip_refs = {s.replace(os.sep, "/") for s in skip}
    root_real = os.path.realpath(root)
    total = None
    if progress is not None:
        total = files.count()
        progress(0, total)
    import licencecmp.scan.shapes  # noqa: F401  (imported once here, before any worker process starts)
    from licencecmp.scan.parallel import map_chunks

    state = _ChunkState(root, root_real, pattern, ids, max_file_size, frozenset(skip_refs), mentions)
    for part in map_chunks(_scan_chunk, files, state, workers=workers, progress=progress, total=total):
        _absorb(res, part)  # chunks come back in file order: the same lists as one pass over the files
    res.skipped[:0] = files.skipped  # what the listing skipped comes first, as when the files were listed first
    res.seconds = time.perf_counter() - t0
    return res


def _skip(res: ScanResult, rel: str, reason: str) -> None:
    res.skipped.append(Skipped(rel, reason, could_hold_model(rel)))


@dataclass(frozen=True)
class _ChunkState:
    """What scanning a file needs besides its path: built once, given to each worker process once."""

    root: Path
    root_real: str
    pattern: IdMatcher
    ids: dict[str, str]
    max_size: int
    skip_refs: frozenset[str]
    mentions: bool = True


def _scan_chunk(state: _ChunkState, rels: Sequence[str]) -> ScanResult:
    part = ScanResult(root=state.root)
    collect = gc.isenabled()
    for rel in rels:
        # The cycle collector is off while one file is read: parsing Python makes objects by the hundred
        # thousand, none of them in a cycle (freed as soon as the file is done), and the collector would
        # walk them again and again (a fifth of the scan). Back on between files, for what cycles there are.
        gc.disable()
        try:
            _scan_file(state.root, state.root_real, rel, part, state.pattern, state.ids, state.max_size,
                       rel in state.skip_refs)
        finally:
            if collect:
                gc.enable()
        if not state.mentions:
            part.mentions.clear()
    return part


def _absorb(res: ScanResult, part: ScanResult) -> None:
    """Add what one chunk found to ``res``: every list in order, and the counts."""
    for f in fields(ScanResult):
        mine = getattr(res, f.name)
        if isinstance(mine, list):
            mine.extend(getattr(part, f.name))
    res.files_scanned += part.files_scanned
    res.bytes_scanned += part.bytes_scanned


def _scan_file(root: Path, root_real: str, rel: str, res: ScanResult, pattern: IdMatcher,
               ids: dict[str, str], max_size: int, no_refs: bool) -> None:
    path = os.path.join(root, rel)
    try:  # lstat first: a device or FIFO is never opened (opening some devices has effects)
        st = os.lstat(path)
    except OSError as exc:
        _skip(res, rel, f"listed but cannot be opened: {exc.strerror or exc}")
        return
    if stat.S_ISLNK(st.st_mode):
        _skip_link(path, rel, root_real, res)
        return
    if stat.S_ISDIR(st.st_mode):
        res.skipped.append(Skipped(rel, "a directory listed as a file (a git submodule?); not scanned"))
        return
    if not stat.S_ISREG(st.st_mode):
        _skip(res, rel, f"not a regular file ({file_kind(st.st_mode)}); not read")
        return
    try:
        data = read_capped(path, max_size)
    except ReadRefused as exc:
        _skip(res, rel, exc.reason)
        return
    encoding = classify(data, rel)
    if encoding == "utf-16":
        data = data.decode("utf-16", "replace").encode("utf-8")
    elif encoding == "binary":
        _skip(res, rel, "binary file")
        return
    res.files_scanned += 1
    res.bytes_scanned += len(data)
    name = rel.rsplit("/", 1)[-1]
    suffix = os.path.splitext(name)[1].lower()
    data = one_line_ending(data)
    if suffix in _PY_SUFFIXES:
        decoded = python_source(data)
        if decoded is None:
            _skip(res, rel, "a Python file whose declared coding cannot be read")
            return
        data = decoded
    if suffix in _JSON_SUFFIXES and b"\\" in data:
        data = unescape_json_strings(data)
    if suffix in (".md", ".markdown", ".mdx"):
        if data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
            scan_card(data.decode("utf-8", "replace"), rel, root, name.lower() == "readme.md", res)
        return
    kind = sbom_kind(name, data) if suffix in (".json", ".yaml", ".yml", ".spdx", ".tag", ".tv", ".xml") else None
    declared: set[str] = set()
    if kind is not None:  # read as an SBOM, and searched for references like any file
        before = len(res.found)
        read_sbom(Path(path), rel, kind, data, ids, res)
        declared = {f.model.casefold() for f in res.found[before:]}
    if no_refs:
        if name != PYPROJECT:
            return  # the policy file itself: its models are read from the policy
        data = blank_policy_table(data)  # pyproject.toml: only [tool.licencecmp] is the policy
    if (suffix in DOC_SUFFIXES and suffix not in (".html", ".htm")) or suffix in SKIP_SUFFIXES:
        return  # prose; a page's scripts (transformers.js) are read
    before = len(res.found)
    _references(rel, data, res, pattern, ids)
    if declared:  # a model the SBOM itself declares is reported once, where the SBOM names it
        res.found[before:] = [f for f in res.found[before:] if f.model.casefold() not in declared]



_PY_SUFFIXES = frozenset({".py", ".pyi", ".pyw"})
_JSON_SUFFIXES = frozenset({".json", ".ipynb", ".jsonl", ".jsonc", ".json5", ".geojson", ".har"})


def one_line_ending(data: bytes) -> bytes:
    r"""``\r\n`` and a lone ``\r`` made ``\n``, as Python, YAML and most tools split lines (a file whose
    lines end in a lone CR would otherwise be one line, its first comment hiding every later id)."""
    if b"\r" not in data:
        return data
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


_CODING = re.compile(rb"^[ \t\f]*#[^\n]{0,200}?coding[:=][ \t]*([-\w.]{1,40})")


def python_source(data: bytes) -> bytes | None:
    """A Python file as UTF-8, decoded with the coding its first two lines declare (PEP 263), as Python
    reads it; None when the declared coding is unknown or the bytes do not decode."""
    import codecs

    for line in data.split(b"\n", 2)[:2]:
        m = _CODING.match(line)
        if m is None:
            continue
        try:
            codec = codecs.lookup(m.group(1).decode("ascii", "replace"))
        except LookupError:
            return None
        if codec.name in ("utf-8", "ascii"):
            return data
        try:
            return data.decode(codec.name).encode("utf-8", "surrogatepass")
        except (UnicodeError, ValueError):
            return None
    return data


_JSON_STRING = re.compile(rb'"((?:[^"\\\n]|\\[^\n]){0,8192})"')
_JSON_REWRITTEN = re.compile(rb"\\[/u]")
"""The escapes a rewritten literal holds: every other escape decodes to a quote, a backslash or a control
character (the literal is then kept as written) or is no JSON escape (it does not decode)."""
_CONTROL_CHAR = re.compile("[\x00-\x1f]")


def unescape_json_strings(data: bytes) -> bytes:
    r"""JSON with each string literal that holds an escape written decoded (``meta-llama\/x``,
    ``\u002d``), where the decoded value needs no escape itself: the same document, every line where it
    was, ids found as JSON readers see them. Linear: one pass, each literal decoded once; only the lines
    with a ``\/`` or ``\u`` are searched for literals (a literal never spans lines)."""
    import json

    def one(m: re.Match[bytes]) -> bytes:
        raw = m.group(0)
        if _JSON_REWRITTEN.search(raw) is None:
            return raw
        try:
            value = json.loads(raw)
        except ValueError:
            return raw
        if not isinstance(value, str) or '"' in value or "\\" in value or _CONTROL_CHAR.search(value):
            return raw
        return b'"' + value.encode("utf-8", "surrogatepass") + b'"'

    hint = _JSON_REWRITTEN.search(data)
    if hint is None:
        return data
    out: list[bytes] = []
    pos = 0
    while hint is not None:
        start = data.rfind(b"\n", pos, hint.start()) + 1 or pos
        end = data.find(b"\n", hint.end())
        end = len(data) if end < 0 else end
        out.append(data[pos:start])
        out.append(_JSON_STRING.sub(one, data[start:end]))
        pos = end
        hint = _JSON_REWRITTEN.search(data, end)
    out.append(data[pos:])
    return b"".join(out)


# Python that may spell an id so that only Python sees it (the gate of the decoded pass, which parses the
# file): a literal "org/" followed by another literal or a `+`, or assigned to a name; a "/name" literal
# after a `+`; an f-string joining a name and a slash; an escaped slash or hyphen; a backslash-newline
# inside an id-like literal.
_FOLD_HINTS = tuple(re.compile(p, re.MULTILINE) for p in (
    rb"""/(?<=[A-Za-z0-9._-]/)["'](?:\s*[+"']|[ \t]*$)""",  # "org/" followed by a literal or +, or assigned
    rb"""\+\s*["']/[A-Za-z0-9]""",  # + "/name"
    rb"""\}/[A-Za-z0-9]""",  # f"{ORG}/name"
    rb"""/\{(?<=[A-Za-z0-9]/\{)""",  # f"org/{NAME}"
    rb"""\\(?:x2[fdFD]|u00(?:2[fdFD])|0?5[57]|N\{)""",  # an escaped slash or hyphen
    rb"""\\\n(?<=[\w./-]\\\n)""",  # a backslash-newline after an id-like character
))
"""The definition of the gate (:func:`may_fold`). Each pattern starts with a literal, so that the search skips ahead
(one alternation of them was 15x slower)."""

# The same gates, searched faster (the scan of a large tree spent a fifth of its time in the six passes): each
# is tried at one character in a pass that is made anyway. "org/" and f"org/{NAME}" at each slash of the lower-
# cased source, in the pass that finds registry ids (IdMatcher.find_python; lower case changes none of their
# classes); + "/name" and f"{ORG}/name" at each slash of the reversed text, in the pass over quoted strings
# (shapes.quoted_candidates_and_joins, whose blanks are the ASCII ones that \s means in bytes); the two that
# start with a backslash only when the source holds one (memchr).
_SLASH_GATES = (  # each starts with the character after the slash: most slashes fail at its test (a literal: a
    # class, ["'], costs twice as much as two literals)
    rb""""(?<=[a-z0-9._-]/")(?:\s*[+"']|[ \t]*$)""",  # "org/" followed by a literal or +, or assigned
    rb"""'(?<=[a-z0-9._-]/')(?:\s*[+"']|[ \t]*$)""",  # the same in single quotes
    rb"""\{(?<=[a-z0-9]/\{)""",  # f"org/{NAME}"
)
_BACKSLASH = b"\\"
_BACKSLASH_GATE = re.compile(rb"""\\(?:x2[fdFD]|u00(?:2[fdFD])|0?5[57]|N\{|\n(?<=[\w./-]\\\n))""")


def may_fold(data: bytes) -> bool:
    """Whether Python source may spell an id that only Python sees (the gate of the decoded pass): one of
    :data:`_FOLD_HINTS` is in it. :meth:`IdMatcher.find_python` answers the same in its own pass.

    >>> may_fold(b'ORG = "meta-llama/"'), may_fold(b'path = "/srv/data"')
    (True, False)
    """
    return any(p.search(data) for p in _FOLD_HINTS)

CATALOGUE_MIN_IDS = 40
"""A file that names at least this many different models ..."""
CATALOGUE_DENSITY = 0.25
"""... with an id on at least this share of its lines, in data (keys, lists, tables: not calls), is a catalogue."""
_DATA_FORMS = frozenset({"registry id", "key list", "yaml alias", "parametrize", "loop over models", "default value",
                         "argument default"})


def _data_form(form: str | None) -> bool:
    """Whether a reference was found in data (a key, a list, an assignment) rather than in a call or command."""
    return form is None or form in _DATA_FORMS or form.startswith("key ") or form.endswith((" =", " default"))


def _catalogue(text: str, listed: list[Found], source: str, rel: str, ids: dict[str, str]) -> list[Found] | None:
    """Every model a file names, when it is a catalogue (many different ids on a good share of its lines, in
    data: a table of models, the same shape repeated), else None."""
    from licencecmp.scan.shapes import classify_id, line_and_column, quoted_candidates_at

    if text.count("/") < CATALOGUE_MIN_IDS:  # fewer slashes than ids: not a catalogue, and nothing more to read
        return None
    lines = text.count("\n") + 1
    quoted = [(o, c) for o, c in quoted_candidates_at(text) if (k := classify_id(c)) is not None and k[0] == "model"]
    distinct = {c.casefold() for _, c in quoted} | {f.model.casefold() for f in listed}
    if len(distinct) < CATALOGUE_MIN_IDS or max(len(quoted), len(listed)) < CATALOGUE_DENSITY * lines:
        return None
    out = list(listed)
    seen = {(f.line, f.column) for f in listed}
    quoted.reverse()
    for (line, column), (_, name) in zip(line_and_column(text, [o for o, _ in quoted]), quoted, strict=True):
        if (line, column) not in seen:
            seen.add((line, column))
            out.append(Found(ids.get(name.lower(), name), source, rel, line, column, registry=name.lower() in ids,
                             form="catalogue"))
    return out


def _in_triple_quotes(data: bytes, offsets: list[int]) -> bool:
    """Whether one of ``offsets`` may be inside a triple-quoted string (a docstring): the file is then parsed
    for its prose lines. A linear over-approximation (quotes inside comments count too)."""
    if not offsets or (b'"""' not in data and b"'''" not in data):
        return False
    marks: list[tuple[int, bytes]] = []
    for delim in (b'"""', b"'''"):
        i = data.find(delim)
        while i >= 0:
            marks.append((i, delim))
            i = data.find(delim, i + 3)
    marks.sort()
    regions: list[tuple[int, int]] = []
    opener: tuple[int, bytes] | None = None
    for pos, delim in marks:
        if opener is None:
            opener = (pos, delim)
        elif delim == opener[1]:
            regions.append((opener[0], pos))
            opener = None
    if opener is not None:
        regions.append((opener[0], len(data)))
    from bisect import bisect_right

    starts = [r[0] for r in regions]
    for off in offsets:
        k = bisect_right(starts, off) - 1
        if k >= 0 and off < regions[k][1]:
            return True
    return False


def _registry_hits(data: bytes, hits: list[tuple[int, str]], lang: str, an: Analysis, found_at: Callable[..., Found],
                   res: ScanResult, uses: list[Found], seen: set[tuple[int, int]]) -> None:
    """Registry ids matched anywhere in the data, each sorted as suppressed, a mention or a use."""
    from licencecmp.scan.shapes import comment_start, marked

    shaped = {(r.line, r.column): r for r in an.refs}
    # Hits come in order: line, column and the line's text are computed in one pass over the data,
    # each line decoded once however many ids it holds (linear in the file, whatever its shape).
    line, prev, line_start = 1, 0, 0
    cur_line, col_pos, column = 0, 0, 1
    cstart, ignored = None, False
    comment_lang = "js" if lang == "html" else lang
    for start, key in hits:
        nl = data.rfind(b"\n", prev, start)
        if nl >= 0:
            line += data.count(b"\n", prev, start)
            line_start = nl + 1
        prev = start
        if line != cur_line:
            cur_line, col_pos, column = line, line_start, 1
            line_end = data.find(b"\n", start)
            text = data[line_start:line_end if line_end >= 0 else len(data)].decode("utf-8", "replace")
            cstart = comment_start(text, comment_lang) if lang != "notebook" else None
            ignored = lang != "notebook" and marked(text, comment_lang)
        column += len(data[col_pos:start].decode("utf-8", "replace"))
        col_pos = start
        seen.add((line, column))
        ref = shaped.get((line, column))
        found = found_at(key, line, column, ref.form if ref is not None else "registry id")
        if ignored or (ref is not None and ref.suppressed):
            res.suppressed.append(found)
        elif (cstart is not None and cstart < column - 1) or an.is_prose(line) or (ref is not None and ref.comment):
            res.mentions.append(found)
        else:
            uses.append(found)


def _shaped_refs(refs: Iterable[Ref], found_of: Callable[[Ref], Found], res: ScanResult, uses: list[Found],
                 seen: set[tuple[int, int]]) -> None:
    """References found by their shape and not already sorted as registry hits."""
    for ref in refs:
        if (ref.line, ref.column) in seen:
            continue
        seen.add((ref.line, ref.column))
        found = found_of(ref)
        if ref.suppressed:
            res.suppressed.append(found)
        elif ref.comment:
            res.mentions.append(found)
        elif ref.placeholder:
            res.placeholders.append(found)
        else:
            uses.append(found)


def _references(rel: str, data: bytes, res: ScanResult, pattern: IdMatcher, ids: dict[str, str]) -> None:
    """Registry ids anywhere outside comments and prose, and references of any id by their shape
    (:mod:`licencecmp.scan.shapes`); comment mentions, placeholders, suppressed lines and catalogues
    are kept apart."""
    from licencecmp.scan.shapes import analyse, decoded_python_refs, language_of, python_needs_reading

    lang = language_of(rel)
    hits, fold = pattern.find_python(data) if lang == "python" else (pattern.find(data), False)
    if lang == "python" and not hits and not fold and not python_needs_reading(data):
        return  # nothing to find (most source): the file is never decoded, nor analysed
    source = _classify(rel)
    text_all = data.decode("utf-8", "replace")
    an = analyse(rel, text_all, need_prose=lang == "python" and _in_triple_quotes(data, [h[0] for h in hits]),
                 lang=lang)
    uses: list[Found] = []
    seen: set[tuple[int, int]] = set()

    def found_at(key: str, line: int, column: int, form: str) -> Found:
        return Found(ids[key], source, rel, line, column, registry=True, form=form)

    def found_of(ref: Ref) -> Found:
        return Found(ids.get(ref.model.lower(), ref.model), source, rel, ref.line, ref.column,
                     registry=ref.model.lower() in ids, form=ref.form, written=ref.written)

    if hits:
        _registry_hits(data, hits, lang, an, found_at, res, uses, seen)
    if an.refs:
        _shaped_refs(an.refs, found_of, res, uses, seen)
    if fold or an.joins:  # one of the gates of the decoded pass (may_fold), found by find_python or by analyse
        for ref in decoded_python_refs(text_all, an.tree):
            if (ref.line, ref.column) in seen:
                continue
            seen.add((ref.line, ref.column))
            found = found_of(ref)
            (res.suppressed if ref.suppressed else res.placeholders if ref.placeholder else uses).append(found)
    if not uses:
        return
    listed = [f for f in uses if _data_form(f.form)]
    catalogue = _catalogue(text_all, listed, source, rel, ids) if listed else None
    if catalogue is not None:
        res.catalogues.append(CatalogueFile(rel, tuple(catalogue)))
        uses = [f for f in uses if not _data_form(f.form)]  # a call in a catalogue file is still a use
    res.found.extend(uses)


PYPROJECT = "pyproject.toml"
_POLICY_TABLE = ("tool", "licencecmp")


def _header_path(line: bytes) -> tuple[str, ...] | None:
    """The key path of a TOML table header line (``[a.b]``, ``[[a.b]]``, quotes allowed), else None."""
    s = line.strip()
    if not s.startswith(b"["):
        return None
    s = s.lstrip(b"[")
    end = s.find(b"]")
    if end < 0:
        return None
    body = s[:end].decode("utf-8", "replace")
    return tuple(p.strip().strip("\"'").strip() for p in body.split("."))


def blank_policy_table(data: bytes) -> bytes:
    """``pyproject.toml`` with the ``[tool.licencecmp]`` table (and its sub-tables) blanked out
    (line breaks kept, so line numbers stay), in one pass."""
    out: list[bytes] = []
    inside = False
    for line in data.splitlines(keepends=True):
        path = _header_path(line)
        if path is not None:
            inside = path[:2] == _POLICY_TABLE
        if inside:
            out.append(b"\n" if line.endswith(b"\n") else b"")
        else:
            out.append(line)
    return b"".join(out)


def _skip_link(path: str, rel: str, root_real: str, res: ScanResult) -> None:
    try:
        target = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        res.skipped.append(Skipped(rel, "broken symlink or symlink loop (not followed)"))
        return
    if target != root_real and not target.startswith(root_real.rstrip(os.sep) + os.sep):
        res.skipped.append(Skipped(rel, "symlink out of the tree (not followed)"))
    elif os.path.isdir(target):
        res.skipped.append(Skipped(rel, "symlink to a directory in the tree (not followed)"))
    else:
        res.skipped.append(Skipped(rel, "symlink within the tree (its target is scanned in its own place)"))
