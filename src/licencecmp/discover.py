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

import os
import re
import stat
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DOC_SUFFIXES",
    "Found",
    "IdMatcher",
    "ScanProblem",
    "ScanResult",
    "Skipped",
    "id_pattern",
    "list_files",
    "scan",
]

DOC_SUFFIXES = frozenset({".md", ".markdown", ".mdx", ".rst", ".txt", ".adoc", ".html", ".htm", ".tex", ".org"})
"""Documentation: not searched for model references (a model named in prose is not a use)."""
CONFIG_SUFFIXES = frozenset({".yaml", ".yml", ".toml", ".json", ".jsonc", ".ini", ".cfg", ".conf", ".env",
                             ".properties", ".xml", ".hcl", ".tf"})
SKIP_SUFFIXES = frozenset({".sarif"})  # reports that licencecmp itself may have written
BINARY_SNIFF = 8192
MAX_FRONT_MATTER = 1024 * 1024
MAX_YAML_NODES = 100_000
MAX_YAML_DEPTH = 200
CARD_KEYS = frozenset({"license", "license_name", "license_link", "base_model"})


@dataclass(frozen=True)
class Found:
    """One place where a model is used or declared."""

    model: str
    source: str  # policy | model-card | sbom | code | config | space
    path: str  # relative to the scan root, POSIX separators
    line: int
    column: int | None = None
    licence: str | None = None  # the licence as the file declares it (id, alias or SPDX expression)
    licence_name: str | None = None  # model cards: license_name (with license: other)
    licence_link: str | None = None  # model cards: license_link
    base_models: tuple[str, ...] = ()
    registry: bool = False  # the model id was matched against the registry
    detail: str | None = None


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class ScanProblem:
    """A file that should have been understood but could not be (broken YAML, unreadable SBOM ...)."""

    path: str
    line: int | None
    message: str


@dataclass
class ScanResult:
    root: Path
    found: list[Found] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[ScanProblem] = field(default_factory=list)
    files_scanned: int = 0
    bytes_scanned: int = 0
    git: bool = False
    seconds: float = 0.0


# -- the model-id pattern ---------------------------------------------------------------------

def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching exactly the given (lower-case) words, as a trie so that matching is fast
    and the longest word wins."""
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

    return build(trie)


def id_pattern(ids: Iterable[str]) -> re.Pattern[bytes]:
    """One compiled pattern of all repo ids, to be searched over *lower-cased* file contents."""
    words = sorted({i.lower() for i in ids if i})
    if not words:
        return re.compile(rb"(?!x)x")  # matches nothing
    return re.compile(_trie_regex(words).encode("utf-8"))


class IdMatcher:
    """Finds registry repo ids in file contents (bytes), case-insensitively.

    Every id is ``org/name``. Python's regex engine has no multi-literal search, but it searches
    fast for a pattern that starts with a literal: so the pattern starts at the ``/`` and looks
    *back* for the org (orgs grouped by their last character, so most slashes fail after one
    test), then matches a trie of that org's names. A hit is confirmed in Python: the run of id
    characters before the slash must be exactly the org (a word boundary), and the whole id must
    be in the registry.
    """

    def __init__(self, ids: Iterable[str]) -> None:
        words = sorted({i.lower() for i in ids if i})
        self.ids = set(words)
        self.full = id_pattern(words)
        by_org: dict[str, list[str]] = {}
        for w in words:
            org, sep, name = w.partition("/")
            if sep and org and name:
                by_org.setdefault(org, []).append(name)
        self.orgs = frozenset(by_org)
        groups: dict[str, list[str]] = {}
        for org in by_org:
            groups.setdefault(org[-1], []).append(org)
        alts = []
        for last, orgs in sorted(groups.items()):
            inner = "|".join(f"(?<={re.escape(o)}/)(?:{_trie_regex(by_org[o])})" for o in sorted(orgs))
            alts.append(f"(?<={re.escape(last)}/)(?:{inner})")
        self.pattern = re.compile(("/(?:" + "|".join(alts) + ")").encode("utf-8") if alts else rb"(?!x)x",
                                  re.IGNORECASE)

    def find(self, data: bytes) -> list[tuple[int, str]]:
        """(start offset, registry id in lower case) of each id in ``data``."""
        hits: list[tuple[int, str]] = []
        n = len(data)
        for m in self.pattern.finditer(data):
            slash, end = m.span()
            start = slash
            while start > 0 and data[start - 1] in _ID_CHARS:
                start -= 1
            if data[start:slash].lower().decode("ascii", "replace") not in self.orgs:
                continue  # more id characters before the org: another name
            key = data[start:end].lower().decode("ascii", "replace")
            if key not in self.ids:  # the regex took another org's branch: match the whole id
                full = self.full.match(data[start:start + 512].lower())
                if full is None:
                    continue
                end = start + full.end()
                key = full.group().decode("ascii", "replace")
            if end < n and data[end] in _ID_CHARS and not (
                    data[end] == 0x2E and (end + 1 >= n or data[end + 1] not in _ID_CHARS)):
                continue  # more id characters after it: another name (a final full stop is fine)
            hits.append((start, key))
        return hits


_ID_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


# -- listing files ----------------------------------------------------------------------------


def _git_files(root: Path) -> list[str] | None:
    """Files git knows or would add (tracked + untracked not ignored), or None outside git."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def _gitignore_spec(lines: list[str], *, strict: bool = False) -> Any:
    """A gitignore matcher. A line that is not a valid pattern (a lone ``\\``, ``!``) is dropped,
    as git drops it; with ``strict`` (the policy's own ``exclude``) it is an InputError."""
    import warnings

    import pathspec

    def compile_lines(some: list[str]) -> Any:
        with warnings.catch_warnings():  # re's FutureWarning ("possible nested set") on odd patterns
            warnings.simplefilter("ignore")
            return pathspec.GitIgnoreSpec.from_lines(some)

    try:
        return compile_lines(lines)
    except (ValueError, re.error):  # re.error: a pattern that compiles to a bad regex ("[X-2]")
        pass
    good = []
    for line in lines:
        try:
            compile_lines([line])
        except (ValueError, re.error):
            if strict:
                from .errors import InputError

                raise InputError(f"exclude: {line!r} is not a valid .gitignore pattern") from None
            continue
        good.append(line)
    return compile_lines(good)


def _read_ignore(path: Path) -> list[str] | None:
    try:
        return path.read_text("utf-8", "replace").splitlines()
    except OSError:
        return None


def _walk_files(root: Path, skipped: list[Skipped]) -> list[str]:
    """Walk the tree without following symlinks to directories, honouring nested .gitignore files."""
    out: list[str] = []
    # Each entry: (directory relative to root with trailing '/', spec)
    stack: list[tuple[str, list[tuple[str, Any]]]] = [("", [])]
    while stack:
        rel_dir, specs = stack.pop()
        here = root / rel_dir if rel_dir else root
        ignore = _read_ignore(here / ".gitignore")
        if ignore:
            specs = [*specs, (rel_dir, _gitignore_spec(ignore))]
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(rel_dir.rstrip("/") or ".", f"cannot list the directory: {exc.strerror}"))
            continue
        subdirs = []
        for entry in entries:
            rel = rel_dir + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir and entry.name == ".git":
                continue
            if _ignored(specs, rel, is_dir):
                continue
            if is_dir:
                subdirs.append(rel + "/")
            else:
                out.append(rel)  # files and symlinks (a symlink is reported, never followed, when scanned)
        stack.extend((d, specs) for d in reversed(subdirs))
    return sorted(out)


def _ignored(specs: list[tuple[str, Any]], rel: str, is_dir: bool) -> bool:
    """Last match wins across the .gitignore files from the root down, as git does."""
    verdict = False
    for base, spec in specs:
        sub = rel[len(base):]
        if is_dir:
            sub += "/"
        res = spec.check_file(sub)
        if res.include is not None:
            verdict = bool(res.include)
    return verdict


def list_files(root: Path, exclude: Sequence[str] = ()) -> tuple[list[str], list[Skipped], bool]:
    """The files to scan (relative POSIX paths), what was skipped while listing, and whether git was used."""
    skipped: list[Skipped] = []
    files = _git_files(root)
    used_git = files is not None
    if files is None:
        files = _walk_files(root, skipped)
    if exclude:
        spec = _gitignore_spec(list(exclude), strict=True)
        files = [f for f in files if not spec.match_file(f)]
    return files, skipped, used_git


# -- model cards ------------------------------------------------------------------------------


def _front_matter(text: str) -> tuple[str, int] | None:
    """The YAML front matter of a Markdown file and the line it starts on, or None."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return None
    m = re.search(r"^(?:---|\.\.\.)[ \t]*\r?$", text[first_nl + 1:], re.MULTILINE)
    if m is None:
        return None
    return text[first_nl + 1:first_nl + 1 + m.start()], 2


class _TooBig(Exception):
    pass


def _count_nodes(obj: Any, budget: list[int]) -> None:
    """Walk a loaded YAML value, counting nodes with aliases expanded ("billion laughs" guard)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig
    if isinstance(obj, dict):
        for k, v in obj.items():
            _count_nodes(k, budget)
            _count_nodes(v, budget)
    elif isinstance(obj, list):
        for v in obj:
            _count_nodes(v, budget)


def load_yaml_bounded(text: str) -> Any:
    """``yaml.safe_load`` with a size bound and a bound on alias expansion. Raises ValueError."""
    import yaml

    if len(text) > MAX_FRONT_MATTER:
        raise ValueError(f"YAML larger than {MAX_FRONT_MATTER // 1024} KiB")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_depth(yaml, text, loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _YamlError(str(problem), line) from None
    try:
        _count_nodes(data, [MAX_YAML_NODES])
    except (_TooBig, RecursionError):
        raise ValueError(f"YAML expands to more than {MAX_YAML_NODES} nodes (alias bomb?)") from None
    return data


def _check_depth(yaml: Any, text: str, loader: Any) -> None:
    """Refuse YAML nested deeper than MAX_YAML_DEPTH, from the parser's events (an iterative
    parse): composing very deep YAML recurses in C and can overflow the stack (a segfault)."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise ValueError(f"YAML nested deeper than {MAX_YAML_DEPTH} levels")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


class _YamlError(ValueError):
    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.line = line


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _key_line(front: str, key: str, offset: int) -> int:
    m = re.search(rf"^{re.escape(key)}\s*:", front, re.MULTILINE)
    return offset + front.count("\n", 0, m.start()) if m else offset - 1


def _card_name(meta: dict[str, Any], rel: str, root: Path) -> str:
    index = meta.get("model-index")
    if isinstance(index, list) and index and isinstance(index[0], dict) and isinstance(index[0].get("name"), str):
        return str(index[0]["name"])
    if isinstance(meta.get("model_name"), str):
        return str(meta["model_name"])
    parent = str(Path(rel).parent.as_posix())
    return root.resolve().name if parent == "." else parent


def _scan_card(text: str, rel: str, root: Path, readme: bool, res: ScanResult) -> None:
    fm = _front_matter(text)
    if fm is None:
        return
    front, offset = fm
    try:
        meta = load_yaml_bounded(front)
    except _YamlError as exc:
        line = offset + exc.line - 1 if exc.line else 1
        if readme:
            res.problems.append(ScanProblem(rel, line, f"invalid YAML front matter: {exc}"))
        else:
            res.skipped.append(Skipped(rel, f"front matter is not valid YAML (line {line}); not a model card"))
        return
    except ValueError as exc:
        if readme:
            res.problems.append(ScanProblem(rel, 1, f"front matter rejected: {exc}"))
        else:
            res.skipped.append(Skipped(rel, f"front matter rejected: {exc}"))
        return
    if not isinstance(meta, dict):
        return
    # A Hugging Face Space: its licence is the app's; the models it uses are listed in `models`.
    if "sdk" in meta:
        line = _key_line(front, "models", offset)
        for mid in _str_list(meta.get("models")):
            res.found.append(Found(mid, "space", rel, line, detail="models: in a Space card"))
        return
    if not CARD_KEYS & meta.keys():
        return
    licence = _str_list(meta.get("license"))
    name = _str_list(meta.get("license_name"))
    link = _str_list(meta.get("license_link"))
    bases = _str_list(meta.get("base_model"))
    key = "license" if "license" in meta else ("base_model" if bases else next(iter(CARD_KEYS & meta.keys())))
    res.found.append(Found(
        model=_card_name(meta, rel, root), source="model-card", path=rel, line=_key_line(front, key, offset),
        licence=" AND ".join(licence) if licence else None,
        licence_name=name[0] if name else None, licence_link=link[0] if link else None,
        base_models=tuple(bases), detail="model card",
    ))


# -- SBOMs ------------------------------------------------------------------------------------

_SPDX_NAME = re.compile(r"\.spdx(\.(json|ya?ml|tv|tag|rdf|xml))?$", re.IGNORECASE)


def sbom_kind(name: str, data: bytes) -> str | None:
    """``spdx`` or ``cyclonedx`` when the file is an SBOM, else None."""
    lower = name.lower()
    if _SPDX_NAME.search(lower):
        return "spdx"
    suffix = os.path.splitext(lower)[1]
    if suffix == ".json":
        head = data[:65536]
        if b'"bomFormat"' in head and b"CycloneDX" in head:
            return "cyclonedx"
        if b'"spdxVersion"' in data:
            return "spdx"
    elif suffix in (".yaml", ".yml"):
        if re.search(rb"^\s*spdxVersion\s*:", data[:65536], re.MULTILINE):
            return "spdx"
    elif suffix in (".tag",) and b"SPDXVersion:" in data[:65536]:
        return "spdx"
    return None


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
) -> ScanResult:
    """Scan a directory tree for models. ``skip``: relative paths not to search for references
    (the policy file, whose models are read from the policy itself)."""
    from .catalogue import default_catalogue

    t0 = time.perf_counter()
    cat = cat or default_catalogue()
    root = Path(root)
    if not root.is_dir():
        from .errors import InputError

        raise InputError(f"{str(root)!r} is not a directory")
    res = ScanResult(root=root)
    files, res.skipped, res.git = list_files(root, exclude)
    ids = {m.id.lower(): m.id for m in cat.models()}
    pattern = IdMatcher(ids)
    skip_refs = {s.replace(os.sep, "/") for s in skip}
    root_real = os.path.realpath(root)
    total = len(files)
    for n, rel in enumerate(files):
        if progress is not None:
            progress(n, total)
        _scan_file(root, root_real, rel, res, pattern, ids, max_file_size, rel in skip_refs)
    if progress is not None:
        progress(total, total)
    res.seconds = time.perf_counter() - t0
    return res


def _scan_file(root: Path, root_real: str, rel: str, res: ScanResult, pattern: IdMatcher,
               ids: dict[str, str], max_size: int, no_refs: bool) -> None:
    path = os.path.join(root, rel)
    try:
        st = os.lstat(path)
    except OSError:
        return  # listed by git but deleted in the work tree
    if stat.S_ISLNK(st.st_mode):
        _skip_link(path, rel, root_real, res)
        return
    if not stat.S_ISREG(st.st_mode):
        return  # a submodule (directory) or a special file
    if st.st_size > max_size:
        res.skipped.append(Skipped(rel, f"larger than the size limit ({st.st_size:,} > {max_size:,} bytes)"))
        return
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0))
        try:
            data = _read_all(fd, st.st_size)
        finally:
            os.close(fd)
    except OSError as exc:
        res.skipped.append(Skipped(rel, f"cannot be read: {exc.strerror}"))
        return
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark
        data = data.decode("utf-16", "replace").encode("utf-8")
    elif b"\0" in data[:BINARY_SNIFF]:
        res.skipped.append(Skipped(rel, "binary file"))
        return
    res.files_scanned += 1
    res.bytes_scanned += len(data)
    name = rel.rsplit("/", 1)[-1]
    suffix = os.path.splitext(name)[1].lower()
    if suffix in (".md", ".markdown", ".mdx"):
        if data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
            _scan_card(data.decode("utf-8", "replace"), rel, root, name.lower() == "readme.md", res)
        return
    kind = sbom_kind(name, data) if suffix in (".json", ".yaml", ".yml", ".spdx", ".tag", ".tv") else None
    if kind is not None:
        from .sbom import read_sbom

        read_sbom(Path(path), rel, kind, data, ids, res)
        return
    if no_refs or suffix in DOC_SUFFIXES or suffix in SKIP_SUFFIXES:
        return
    source = None
    for start, key in pattern.find(data):
        source = source or _classify(rel)
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        res.found.append(Found(ids[key], source, rel, line, column, registry=True))


def _read_all(fd: int, size: int) -> bytes:
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data
    chunks = [data]  # the file grew since stat(): read the rest
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


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
