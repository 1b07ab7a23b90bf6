"""Reading files nobody vetted: the one place that opens what a scan reads.

Every file is opened non-blocking and without following a final symlink (``O_NONBLOCK |
O_NOFOLLOW``), checked on the open descriptor to be a regular file (a FIFO, socket, device or
directory is refused before a single byte is read, so a ``.gitignore`` that is a FIFO cannot hang
and a link to ``/dev/zero`` cannot fill memory), and read up to a size cap. Text is told from
binary by the share of control bytes, so a few NUL bytes do not hide a file, nor control bytes in a
comment; a file that is skipped but whose name says it could name a model (code, configuration, a
card, an SBOM) is flagged by :func:`could_hold_model`, and a script (``#!``, or an executable bit)
by :func:`is_script`, so the check can warn (or fail, under ``strict``).

>>> classify(b"model = 'org/name'\\0")
'text'
>>> classify(bytes(4096))
'binary'
>>> could_hold_model("src/app.py"), could_hold_model("weights/model.safetensors")
(True, False)
"""

from __future__ import annotations

import errno
import os
import stat

from licencecmp.errors import InputError

__all__ = [
    "BINARY_EXTENSIONS",
    "SNIFF",
    "TEXT_EXTENSIONS",
    "NotRegularFile",
    "ReadRefused",
    "TooLarge",
    "classify",
    "could_hold_model",
    "could_hold_model_at",
    "file_kind",
    "is_script",
    "read_capped",
    "read_text_capped",
]

SNIFF = 8192
"""Bytes looked at to tell text from binary."""
BINARY_SHARE = 0.10
"""A file whose first SNIFF bytes are more than this share of control bytes (NUL included) is binary."""

TEXT_EXTENSIONS = frozenset({
    # code
    ".py", ".pyi", ".ipynb", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".rs", ".java", ".kt", ".kts",
    ".scala", ".rb", ".php", ".cs", ".c", ".h", ".cc", ".cpp", ".hpp", ".cxx", ".swift", ".m", ".mm", ".r",
    ".jl", ".lua", ".pl", ".sh", ".bash", ".zsh", ".fish", ".ps1", ".bat", ".cmd", ".sql", ".dart", ".ex",
    ".exs", ".erl", ".hs", ".ml", ".clj", ".groovy", ".gradle", ".nix", ".dockerfile", ".mk", ".cmake",
    # configuration and SBOMs
    ".yaml", ".yml", ".toml", ".json", ".jsonc", ".json5", ".ini", ".cfg", ".conf", ".env", ".properties",
    ".xml", ".hcl", ".tf", ".spdx", ".tag", ".tv", ".cdx", ".bom",
    # model cards
    ".md", ".markdown", ".mdx",
})
"""Extensions of files that could name or declare a model."""
TEXT_NAMES = frozenset({"dockerfile", "makefile", "modelfile", "containerfile", "procfile", "justfile"})
BINARY_EXTENSIONS = frozenset({".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".gguf", ".pb", ".h5",
                               ".tflite", ".npy", ".npz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico",
                               ".pdf", ".zip", ".gz", ".tgz", ".xz", ".bz2", ".zst", ".7z", ".tar", ".whl",
                               ".so", ".dylib", ".dll", ".exe", ".o", ".a", ".pyc", ".class", ".jar", ".wasm",
                               ".mp3", ".mp4", ".wav", ".woff", ".woff2", ".ttf", ".otf", ".parquet", ".arrow"})


class ReadRefused(InputError):
    """A file that was not read: ``reason`` says why, in words for the report."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


class NotRegularFile(ReadRefused):
    """A FIFO, socket, device, directory or symlink where a file was expected."""


class TooLarge(ReadRefused):
    """Larger than the cap."""


def file_kind(mode: int) -> str:
    """What a file is, in words (for a skip reason)."""
    for test, word in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return word
    return "a special file"


_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))


def read_capped(path: str | os.PathLike[str], max_size: int, *, follow: bool = False) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes. Raises :class:`ReadRefused`
    (never blocks: FIFOs and devices are refused on the open descriptor). ``follow``: follow a
    final symlink (the target must still be a regular file)."""
    name = os.fspath(path)
    flags = _FLAGS & ~getattr(os, "O_NOFOLLOW", 0) if follow else _FLAGS
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW on a symlink (EMLINK on BSD)
            raise NotRegularFile(name, "a symbolic link (not followed)") from None
        raise ReadRefused(name, f"cannot be opened: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(name, f"not a regular file ({file_kind(st.st_mode)})")
        if st.st_size > max_size:
            raise TooLarge(name, f"larger than the size limit ({st.st_size:,} > {max_size:,} bytes)")
        # One read of the size fstat gave (plus one byte, to see growth) is the whole file when it
        # returns less than asked: a regular file gives short reads only at its end.
        want = min(st.st_size + 1, max_size + 1)
        first = os.read(fd, want)
        if len(first) < want:
            return first
        chunks: list[bytes] = [first]
        total = len(first)
        while total <= max_size:
            chunk = os.read(fd, min(1 << 20, max_size + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_size:  # the file grew since fstat()
            raise TooLarge(name, f"larger than the size limit (> {max_size:,} bytes)")
        return b"".join(chunks)
    except OSError as exc:
        raise ReadRefused(name, f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_text_capped(path: str | os.PathLike[str], max_size: int, *, follow: bool = True) -> str:
    """A UTF-8 text file (a BOM is dropped) of at most ``max_size`` bytes; raises :class:`ReadRefused`."""
    data = read_capped(path, max_size, follow=follow)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadRefused(os.fspath(path), f"not UTF-8 text (byte {exc.start})") from None


_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\b\x1b")
BINARY_MAGIC: tuple[bytes, ...] = (
    b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05",  # pickle, protocols 2-5
    b"\x93NUMPY",  # .npy
    b"GGUF", b"PK\x03\x04", b"\x89HDF\r\n", b"\x89PNG", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"(\xb5/\xfd",
    b"IxFI", b"IxF2", b"IxFl", b"IxHF", b"IwFl", b"IwFd", b"IxMp", b"IBxF",  # FAISS index headers
    b"\x7fELF", b"MZ", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\x00asm", b"%PDF", b"ARROW1", b"PAR1",
    b"SQLite format 3\x00",
)
"""File signatures of binary formats (model weights, pickles, indexes, archives, executables): such a
file is binary whatever its extension, however few control bytes its head has."""


def _safetensors(data: bytes) -> bool:
    """A safetensors file: an 8-byte little-endian header length, then a JSON header."""
    if len(data) < 10 or data[8:10] not in (b'{"', b"{'"):
        return False
    size = int.from_bytes(data[:8], "little")
    return 2 <= size <= len(data)


_COMMENT_LEADS = (b"#", b"//", b"--", b";", b"%", b"rem ", b"REM ", b"::", b"'")


def _odd(data: bytes) -> int:
    return len(data) - len(data.translate(None, _CONTROL))


def _share_outside_comments(data: bytes) -> float:
    """The share of control bytes in ``data`` (all of it), not counting comments: a line that
    starts with a comment mark of a common language, and what follows ``#`` or ``//`` on a line.
    Linear: one pass over the lines (split as Python splits them: CR, LF or CRLF)."""
    odd = total = 0
    for line in data.splitlines():
        code = line.lstrip()
        if code.startswith(_COMMENT_LEADS):
            continue
        for mark in (b"#", b"//"):
            cut = code.find(mark)
            if cut >= 0:
                code = code[:cut]
        odd += _odd(code)
        total += len(code)
    return odd / total if total else 0.0


def classify(data: bytes, rel: str = "") -> str:
    """``text``, ``utf-16`` (with a byte-order mark) or ``binary``. Text may hold a few NUL bytes:
    a file whose first :data:`SNIFF` bytes are at most :data:`BINARY_SHARE` control bytes is
    text; otherwise the whole file is judged, not counting comments (control bytes in a comment
    of a script do not hide the code after them), and it is binary when more than
    :data:`BINARY_SHARE` of the rest is control bytes. A file with a binary extension, such as
    ``.bin``, is binary with one NUL byte in its head."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:SNIFF]
    if not head:
        return "text"
    if ((head.startswith(BINARY_MAGIC) and not head.startswith(b"MZ")) or (head.startswith(b"MZ") and b"\0" in
            head[:64])) or _safetensors(head):
        return "binary"
    if b"\0" in head and os.path.splitext(rel)[1].lower() in BINARY_EXTENSIONS:
        return "binary"
    if _odd(head) <= BINARY_SHARE * len(head):
        return "text"
    return "binary" if _share_outside_comments(data) > BINARY_SHARE else "text"


_COMPILED = (b"\x7fELF", b"MZ", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
             b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\0asm")
"""Magic numbers of compiled executables (ELF, PE, Mach-O, fat Mach-O, WebAssembly): never scripts."""


def could_hold_model_at(path: str | os.PathLike[str], rel: str) -> bool:
    """Whether a skipped file could name or declare a model: by its name (:func:`could_hold_model`),
    because it is a script (:func:`is_script`), or because it is a folder listed as a file (a git
    submodule that is not checked out)."""
    if could_hold_model(rel) or is_script(path):
        return True
    try:
        return stat.S_ISDIR(os.lstat(os.fspath(path)).st_mode)
    except OSError:
        return False


def is_script(path: str | os.PathLike[str]) -> bool:
    """Whether a regular file is a script: it starts with ``#!``, or it has an executable bit and is
    not a compiled executable. Such a file, when skipped, could name a model whatever its name.
    A link, a FIFO or a device is not opened (lstat first, then the open descriptor is checked)."""
    name = os.fspath(path)
    try:
        st = os.lstat(name)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or os.path.splitext(name)[1].lower() in BINARY_EXTENSIONS:
        return False
    try:
        fd = os.open(name, _FLAGS)
    except OSError:
        return bool(st.st_mode & 0o111)  # executable but unreadable: it may still be a script
    try:
        head = os.read(fd, 4) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
    except OSError:
        head = b""
    finally:
        os.close(fd)
    return head.startswith(b"#!") or (bool(st.st_mode & 0o111) and not head.startswith(_COMPILED))


def could_hold_model(rel: str) -> bool:
    """Whether a file's name says it could name or declare a model (code, configuration, a model
    card, an SBOM): such a file, when skipped, may hide a model."""
    name = rel.rsplit("/", 1)[-1].lower()
    stem, ext = os.path.splitext(name)
    if ext in BINARY_EXTENSIONS:
        return False
    if ext in TEXT_EXTENSIONS or name in TEXT_NAMES or stem in TEXT_NAMES:
        return True
    return "spdx" in name or "sbom" in name or "bom" in stem or "cyclonedx" in name or "model" in name



def toml_written(path: object, raw: bytes, *, what: str, version: int, rerun: str, array: str) -> list[object]:
    """The ``[[array]]`` tables of a TOML file licencecmp writes (the lock, the baseline), read back:
    UTF-8, valid TOML, the expected ``version`` and an array of tables, else an :class:`InputError`
    naming the file (``rerun``: the command that writes it again)."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: invalid TOML: nested too deeply") from None
    found = data.get("version", version)
    if found != version:
        raise InputError(f"{path}: {what} version {found!r} is not supported (expected {version}); "
                         f"run `{rerun}` again")
    items = data.get(array, [])
    if not isinstance(items, list):
        raise InputError(f"{path}: {array} must be an array of tables ([[{array}]])")
    return items
