"""Model references found by their shape, whether or not the registry knows the id.

A reference is a Hugging Face Hub id (``org/name``, the Hub's own character rules and lengths) in
a *model context*: the model argument of a call that loads a model (Python through :mod:`ast`,
with patterns as the fallback, and JavaScript/TypeScript transformers.js), a shell or Dockerfile
command that serves or downloads one, or the value of a configuration key that names a model.
Nothing else is reported: local paths, MIME types, dates, container images, GitHub Actions
``uses:``, URLs that are not Hugging Face model URLs and package names are not model contexts or
not Hub ids.

Everything here is linear in the size of the input: the patterns are searched with bounded
windows, Python is parsed only when the file holds a quoted string shaped like an id, and
notebooks are parsed as JSON with the size bound of the caller.

>>> [(r.model, r.line, r.column) for r in find_references("app.py", 'm = AutoModel.from_pretrained("acme/x-1")\\n')]
[('acme/x-1', 1, 32)]
>>> find_references("app.py", 'open("data/train.csv"); x = "text/plain"\\n')
[]
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, AnyStr

__all__ = [
    "IGNORE_MARK",
    "Analysis",
    "Ref",
    "analyse",
    "classify_id",
    "comment_start",
    "decoded_python_refs",
    "find_references",
    "hub_id",
    "is_model_key",
    "language_of",
    "legacy_hint",
    "line_and_column",
    "marked",
    "python_needs_reading",
    "quoted_candidates",
    "quoted_candidates_at",
]

IGNORE_MARK = "licencecmp: ignore"
"""An inline comment with this text on a line suppresses the references on it."""

# -- what a Hub id looks like -------------------------------------------------------------------

_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
_ID_RE = re.compile(rf"({_PART})/({_PART})")
_ID = r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}"

_MIME_TOPS = frozenset({"application", "text", "image", "audio", "video", "multipart", "font", "message",
                        "chemical", "x-conference"})
_LOCAL_DIRS = frozenset({
    "checkpoints", "checkpoint", "ckpt", "ckpts", "models", "model", "outputs", "output", "out", "data",
    "datasets", "dataset", "tmp", "temp", "src", "lib", "weights", "runs", "run", "artifacts", "artefacts",
    "local", "home", "usr", "var", "etc", "opt", "mnt", "srv", "cache", "logs", "results", "exports", "export",
    "saved_models", "saved", "pretrained", "build", "dist", "assets", "static", "config", "configs", "tests",
    "test", "scripts", "docs", "examples", "notebooks", "volumes", "volume", "app", "workspace", "content",
    "drive", "root", "users", "user", "bin", "node_modules", "site-packages", "files",
})
_FILE_SUFFIXES = frozenset({
    ".py", ".json", ".jsonl", ".yaml", ".yml", ".toml", ".txt", ".csv", ".tsv", ".md", ".bin", ".pt", ".pth",
    ".ckpt", ".safetensors", ".onnx", ".gguf", ".ggml", ".h5", ".pb", ".tflite", ".pkl", ".pickle", ".npz",
    ".npy", ".parquet", ".arrow", ".tar", ".gz", ".tgz", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".svg",
    ".html", ".htm", ".js", ".ts", ".sh", ".cfg", ".ini", ".log", ".xml", ".wav", ".mp3", ".mp4", ".model",
    ".tiktoken", ".msgpack", ".lock", ".env", ".ipynb", ".whl", ".so", ".dll", ".exe", ".c", ".h", ".rs",
    ".go", ".java", ".rb", ".php", ".css", ".pdf",
})
_HF_RESERVED = frozenset({"datasets", "spaces", "docs", "api", "blog", "papers", "settings", "organizations",
                          "models", "join", "login", "pricing", "collections", "learn", "posts", "tasks",
                          "inference-endpoints", "enterprise", "changelog", "chat", "new", "search"})
_HF_URL = re.compile(r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(.*)$", re.IGNORECASE)
_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def hub_id(text: str) -> str | None:
    """``text`` as a Hub model id if it is exactly one (also a ``huggingface.co``/``hf.co`` model
    URL, or ``hf.co/ORG/NAME:TAG``), else None.

    >>> hub_id("Qwen/Qwen3-8B"), hub_id("hf.co/bartowski/x-GGUF:Q4_K_M"), hub_id("application/json")
    ('Qwen/Qwen3-8B', 'bartowski/x-GGUF', None)
    """
    if len(text) > 400:
        return None
    text = text.strip()
    m = _HF_URL.match(text)
    if m:
        path = m.group(1).split("?", 1)[0].split("#", 1)[0]
        parts = path.split("/")
        if len(parts) < 2 or parts[0].lower() in _HF_RESERVED:
            return None
        name, _, tag = parts[1].partition(":")
        if tag and not _TAG.match(tag):
            return None
        if len(parts) > 2 and parts[2] not in ("", "tree", "blob", "resolve", "raw", "commit", "discussions"):
            return None
        return _plain_id(f"{parts[0]}/{name}")
    return _plain_id(text)


def _plain_id(text: str) -> str | None:
    m = _ID_RE.fullmatch(text)
    if m is None:
        return None
    org, name = m.group(1), m.group(2)
    if "--" in text or ".." in text:
        return None
    if org.isdigit() or name.isdigit() or org.lower() in _MIME_TOPS or org.lower() in _LOCAL_DIRS:
        return None
    if os.path.splitext(name)[1].lower() in _FILE_SUFFIXES:
        return None
    if re.fullmatch(r"[\d._-]+", name) or re.fullmatch(r"v?\d+(?:\.\d+)*", org):
        return None  # dates, versions, fractions
    return text


# -- what an id-shaped name is: a model, a placeholder, or no Hub model at all -------------------------


@dataclass(frozen=True)
class _Names:
    """The data of ``licencecmp/data/hub_names.toml`` (see its sources)."""

    legacy: dict[str, str]
    st_names: dict[str, str]
    st_callees: frozenset[str]
    routes: frozenset[str]
    wraps: frozenset[str]
    api_models: dict[str, tuple[str, ...]]
    not_models: frozenset[str]
    placeholder_orgs: frozenset[str]
    placeholder_prefixes: tuple[str, ...]
    placeholder_names: frozenset[str]


_NAMES: list[_Names] = []


def _names() -> _Names:
    if not _NAMES:
        from licencecmp.data.names import hub_names, legacy_names, st_names

        data = hub_names()
        st = data["sentence_transformers"]
        _NAMES.append(_Names(
            legacy=legacy_names(),
            st_names=st_names(),
            st_callees=frozenset(st["callees"]),
            routes=frozenset(p.lower() for p in data["routes"]["prefixes"]),
            wraps=frozenset(p.lower() for p in data["routes"]["wraps_hub"]),
            api_models={k.lower(): tuple(v) for k, v in data["api_models"]["names"].items()},
            not_models=frozenset(o.lower() for o in data["not_models"]["orgs"]),
            placeholder_orgs=frozenset(o.lower() for o in data["placeholders"]["orgs"]),
            placeholder_prefixes=tuple(data["placeholders"]["name_prefixes"]),
            placeholder_names=frozenset(n.lower() for n in data["placeholders"]["names"]),
        ))
    return _NAMES[0]


_ORGLESS = re.compile(r"[A-Za-z][A-Za-z0-9._-]{1,95}")
_LEGACY_STARTS = (r"""(?:all-|bert-|gpt2|t5-|xlnet-|xlm-|albert-|camembert-|ctrl["']|distil|roberta-|transfo-|"""
                  r"""openai-gpt|multi-qa-|msmarco-|stsb-|paraphrase-|nli-|clip-ViT|average_word|sentence-t5)""")
_LEGACY_QUOTED = (re.compile('"' + _LEGACY_STARTS), re.compile("'" + _LEGACY_STARTS))
"""A quoted string that starts like a legacy or sentence-transformers org-less name of the data: Python is
parsed for them only when one is in the text (or a SentenceTransformer). One pattern per quote, so that each
starts with a literal that the search skips ahead to (one pattern starting with ``["']`` was 3-4x slower)."""
_ST_CALLEES = re.compile("S(?:entenceTransformer|parseEncoder)")


_LEGACY_CONTEXTS = ("from_pretrained", "pipeline(")
"""An org-less name is looked for only in a file that loads a model by one of these (or a SentenceTransformer):
a name assigned in one file and loaded in another is not seen (a cost/recall trade: see benchmarks/realrepos)."""


def legacy_hint(text: str) -> bool:
    """Whether org-less names could be loaded here: a loader is called, and a quoted string starts like one."""
    return _legacy_hint(text, "S", _ST_CALLEES, _LEGACY_CONTEXTS, _LEGACY_QUOTED)


def _legacy_hint_ascii(data: bytes) -> bool:
    """:func:`legacy_hint` of ASCII text, read as bytes (the same patterns, compiled for bytes)."""
    probe = _ascii_probe()
    return _legacy_hint(data, b"S", probe.st_callees, probe.contexts, probe.legacy_quoted)


def _legacy_hint(text: AnyStr, s: AnyStr, st_callees: re.Pattern[AnyStr], contexts: tuple[AnyStr, ...],
                 legacy_quoted: tuple[re.Pattern[AnyStr], ...]) -> bool:
    """:func:`legacy_hint` with its patterns: those of ``str``, or the same compiled for bytes."""
    if s in text and st_callees.search(text) is not None:  # SentenceTransformer or SparseEncoder (memchr first)
        return True
    loads = contexts[0] in text or contexts[1] in text  # not a generator over them: it costs
    return loads and any(p.search(text) is not None for p in legacy_quoted)


def classify_id(text: str, callee: str = "") -> tuple[str, str] | None:
    """What a string in a model context names: ``("model", id)``, ``("placeholder", id)`` or None
    (not a Hub model: a route string of an API client, an API-only model, a kernel, a local name).
    ``callee``: the call it is an argument of, if any (org-less names are read as that library does).

    >>> classify_id("Qwen/Qwen3-8B"), classify_id("gpt2"), classify_id("anthropic/claude-3-5-sonnet")
    (('model', 'Qwen/Qwen3-8B'), ('model', 'openai-community/gpt2'), None)
    >>> classify_id("groq/openai/gpt-oss-120b"), classify_id("your-org/your-model")
    (('model', 'openai/gpt-oss-120b'), ('placeholder', 'your-org/your-model'))
    """
    if len(text) > 400:
        return None
    text = text.strip()
    names = _names()
    model = hub_id(text)
    if model is None:
        parts = text.split("/")
        if len(parts) == 3 and parts[0].lower() in names.wraps | names.routes:
            inner = hub_id(f"{parts[1]}/{parts[2]}")
            return _kind(inner, names) if inner else None
        if len(parts) == 1 and _ORGLESS.fullmatch(text):
            low = text.lower()
            canonical = names.legacy.get(low) or names.st_names.get(low)
            if canonical is None and callee in names.st_callees and any(c in text for c in "-_.0123456789"):
                canonical = f"sentence-transformers/{text}"
            return ("model", canonical) if canonical else None
        return None
    return _kind(model, names)


def _kind(model: str, names: _Names) -> tuple[str, str] | None:
    org, _, name = model.partition("/")
    low_org, low_name = org.lower(), name.lower()
    if low_org in names.routes or low_org in names.not_models:
        return None
    if any(low_name.startswith(p) for p in names.api_models.get(low_org, ())):
        return None
    if low_org in names.placeholder_orgs or name.startswith(names.placeholder_prefixes) or \
            low_name in names.placeholder_names or (
            len(name) == 1 and name.isupper()):
        return "placeholder", model
    return "model", model


# -- keys that name models ----------------------------------------------------------------------

MODEL_KEYS = frozenset({
    "model", "models", "model_id", "model_ids", "model_name", "model_names", "model_name_or_path",
    "model_path", "model_repo", "model_repo_id", "base_model", "base_models", "base_model_name_or_path",
    "pretrained_model_name_or_path", "pretrained_model", "pretrained", "teacher", "student",
    "teacher_model_name_or_path", "student_model_name_or_path", "embedding_model", "embedding_model_name",
    "embed_model", "embedding_model_id", "reranker", "reranker_model", "rerank_model", "repo_id", "hub_model_id",
    "tokenizer", "tokenizer_name", "tokenizer_name_or_path", "tokenizer_id", "_name_or_path", "adapter",
    "adapter_id", "adapter_name_or_path", "lora", "lora_id", "peft_model_id", "draft_model", "speculative_model",
    "model_checkpoint", "checkpoint", "hf_model", "hf_model_id", "hf_repo", "hf_repo_id", "llm", "llm_model",
    "llm_model_id", "model_card", "vision_model", "text_model", "encoder", "decoder", "vocoder", "vae", "controlnet",
    "text_encoder", "image_encoder", "motion_adapter", "vocoder_id", "model_identifier", "model_choices",
    "model_map", "models_map", "model_options",
    "model_zoo",
})
_KEY_ENDINGS = ("_model", "_model_id", "_model_name", "_model_name_or_path", "_model_path", "_model_repo",
                "_repo_id", "_model_ids", "_models", "_checkpoint", "_model_names", "_model_choices", "_model_map")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def is_model_key(key: str) -> bool:
    """Whether a configuration key, keyword argument or variable name names a model.

    >>> is_model_key("EMBEDDING_MODEL"), is_model_key("base-model"), is_model_key("served_model_name")
    (True, True, False)
    """
    k = key.strip().strip("\"'").rsplit(".", 1)[-1]
    k = _CAMEL.sub("_", k).lower().replace("-", "_")  # modelId, baseModel: camelCase keys
    if not k or "dataset" in k or "space" in k or k.startswith(("served_", "not_", "no_", "non_")):
        return False
    return k in MODEL_KEYS or k.endswith(_KEY_ENDINGS)


# -- languages ------------------------------------------------------------------------------------

_PY = frozenset({".py", ".pyi", ".pyw"})
_JS = frozenset({".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx", ".vue", ".svelte"})
_SHELL = frozenset({".sh", ".bash", ".zsh", ".ksh", ".fish", ".ps1", ".bat", ".cmd", ".mk", ".dockerfile",
                    ".containerfile", ".just"})
_CONFIG = frozenset({".yaml", ".yml", ".toml", ".json", ".jsonc", ".json5", ".ini", ".cfg", ".conf", ".env",
                     ".properties", ".hcl", ".tf", ".tfvars"})
_CLIKE = frozenset({".rs", ".go", ".java", ".kt", ".kts", ".scala", ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".cs",
                    ".swift", ".dart", ".groovy", ".gradle", ".zig"})
_HTML = frozenset({".html", ".htm"})
_SHELL_NAMES = ("dockerfile", "containerfile", "makefile", "gnumakefile", "modelfile", "procfile", "justfile",
                "vagrantfile")


def language_of(rel: str) -> str:
    """``python``, ``js``, ``shell``, ``yaml``, ``config``, ``notebook``, ``clike`` (``//`` comments:
    Rust, Go, Java, C ...), ``html`` (its scripts are read as JavaScript) or ``other``."""
    name = rel.rsplit("/", 1)[-1].lower()
    suffix = os.path.splitext(name)[1]
    if suffix in _PY:
        return "python"
    if suffix == ".ipynb":
        return "notebook"
    if suffix in _JS:
        return "js"
    if suffix in _HTML:
        return "html"
    if suffix in _CLIKE:
        return "clike"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if name.startswith(".env") or suffix in _CONFIG:
        return "config"
    if suffix in _SHELL or name.startswith(_SHELL_NAMES) or name.endswith((".dockerfile", ".modelfile")):
        return "shell"
    return "other"


# -- references -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """One reference: the id as written, where it is (1-based line and column, 0-based character
    offset), how it was found, and whether it is in a comment or suppressed."""

    model: str
    line: int
    column: int
    offset: int
    form: str
    comment: bool = False
    suppressed: bool = False
    written: str | None = None  # the name as written, when the model is its canonical id (gpt2)
    placeholder: bool = False  # a placeholder (your-org/your-model): counted, never judged


def marked(line: str, lang: str) -> bool:
    """Whether ``line`` carries the ``licencecmp: ignore`` mark in a real comment of its language (a
    string holding the words does not suppress anything)."""
    low = line.lower()
    if IGNORE_MARK not in low:
        return False
    cstart = comment_start(line, lang) if lang != "notebook" else None
    if cstart is None and lang in ("markdown", "prose", "html"):
        return "<!--" in low and IGNORE_MARK in low[low.find("<!--"):]
    return cstart is not None and IGNORE_MARK in low[cstart:]


def comment_start(line: str, lang: str) -> int | None:
    """Where a line comment starts on ``line`` (outside quotes), or None."""
    quote: str | None = None
    i, n = 0, len(line)
    hash_anywhere = lang == "python"
    slashes = lang in ("js", "config", "clike", "html")
    quotes = "\"`" if lang == "clike" else "\"'`"  # a lone ' is a Rust lifetime or a char
    if lang in ("clike", "js", "html") and (line.lstrip().startswith(("/*", "* ", "*/")) or line.strip() == "*"):
        return len(line) - len(line.lstrip())
    while i < n:
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in quotes:
            quote = ch
        elif ch == "#" and (hash_anywhere or i == 0 or line[i - 1] in " \t"):
            if lang not in ("js", "clike", "html"):
                return i
        elif (slashes and ch == "/" and line.startswith("//", i) and (i == 0 or line[i - 1] in " \t,;{}()[]")) or (
                lang == "config" and ch == ";" and not line[:i].strip()):
            return i
        i += 1
    return None


_ANCHORS = ("model", "teacher", "student", "rerank", "repo", "tokeniz", "adapter", "lora", "checkpoint",
            "pretrained", "llm", "coder", "name_or_path", "vllm", "download", "-hf", "hf.co", "huggingface.co",
            "ollama", "pipeline", "embedding", "flag", "transformer", "inferenceclient", "textual_inversion",
            "attn_procs")
"""Every model context holds one of these words (lower case): keys that name models, commands, calls."""
_CALL_AT = ("from_pretrained", "pipeline", "sentencetransformer", "crossencoder", "llm", "download", "model_info",
            "list_repo_files", "inferenceclient", "flag", "load_lora_weights", "load_adapter", "load_ip_adapter",
            "load_textual_inversion", "load_attn_procs")
_CALLS_BY_WORD: dict[str, tuple[tuple[str, int], ...]] = {
    w: tuple((c, c.index(w)) for c in _CALL_AT if w in c) for w in _ANCHORS}
"""For each anchor word, the call names that contain it and where: a call is recognised at an
occurrence of the word with one ``startswith``."""
_CALL_ANCHORS = tuple(w for w in _ANCHORS if _CALLS_BY_WORD[w])
"""The anchor words of calls: in a text without a slash, the only ones that can open a place to look (a window)."""


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


class _Text:
    """The text of one file with line starts, for positions, and the places worth a look: lines
    holding both a model-context word and a ``/`` (found with ``str.find``, fast), and windows
    after model-loading calls. The patterns are searched there only."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._spans: list[tuple[int, int]] | None = None
        self._windows: list[tuple[int, int]] = []

    def _look(self) -> None:
        text = self.text
        low = text.lower()
        n = len(text)
        spans: list[tuple[int, int]] = []
        windows: list[tuple[int, int]] = []
        for word in _ANCHORS if "/" in text else _CALL_ANCHORS:  # a line without a slash is no span
            i = low.find(word)
            calls = _CALLS_BY_WORD[word]
            while i >= 0:
                start = text.rfind("\n", 0, i) + 1
                end = text.find("\n", i)
                end = n if end < 0 else end
                if text.find("/", start, end) >= 0:
                    spans.append((start, end))
                if end < n:  # the value may be on the next line (`vllm serve \`, `- --model` then `- org/x`)
                    nxt = text.find("\n", end + 1)
                    nxt = n if nxt < 0 else nxt
                    if text.find("/", end + 1, nxt) >= 0:
                        spans.append((start, nxt))
                if calls and any(i >= at and low.startswith(c, i - at) for c, at in calls):
                    windows.append((start, min(n, i + _CALL_WINDOW + 100)))
                    i = low.find(word, i + len(word))
                else:
                    i = low.find(word, end + 1)
        self._spans, self._windows = _merge(spans), _merge(windows)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Lines with a model-context word and a slash (merged when they touch)."""
        if self._spans is None:
            self._look()
        assert self._spans is not None
        return self._spans

    def windows(self) -> list[tuple[int, int]]:
        """From the start of each line with a model-loading call to some characters on."""
        if self._spans is None:
            self._look()
        return self._windows

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        return self._starts

    def line_col(self, offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end]


def _make(t: _Text, model: str, offset: int, form: str, lang: str, written: str | None = None,
          placeholder: bool = False) -> Ref:
    line, col = t.line_col(offset)
    text = t.line_text(line)
    cstart = comment_start(text, lang) if lang != "notebook" else None
    comment = cstart is not None and cstart < col - 1
    suppressed = marked(text, lang)
    return Ref(model, line, col, offset, form, comment=comment, suppressed=suppressed, written=written,
               placeholder=placeholder)


def _ref_for(t: _Text, text: str, start: int, end: int, form: str, lang: str, callee: str = "") -> Ref | None:
    """The reference that the string ``text``, written at t.text[start:end], makes in a model context."""
    kind = classify_id(text, callee)
    if kind is None:
        return None
    model = kind[1]
    hit = hub_id(text) or text.strip()
    if hit.count("/") == 2:  # a route wrapping a Hub id: the id inside it
        hit = model
    off = t.text.find(hit, start, end) if hit else -1
    if off < 0:
        off = t.text.find(model, start, end)
        if off < 0:
            return None
    written = hit if hit.casefold() != model.casefold() else None
    return _make(t, model, off, form, lang, written, kind[0] == "placeholder")


def _locate(t: _Text, value: str, model: str, start: int, end: int) -> int | None:
    """The offset of ``model`` inside ``value`` written at text[start:end]."""
    i = t.text.find(model, start, end)
    if i >= 0:
        return i
    return None


# -- patterns (shell, configuration, fallback for code) ---------------------------------------------

_VAL = r"""(?P<vq>["'`]?)(?P<val>[^\s"'`,;}\]\[#()<>|&=]{3,400})(?P=vq)"""
# a value after options: never an option itself (so that options before the id are skipped)
_VALN = r"""(?P<vq>["'`]?)(?P<val>[^\s"'`,;}\]\[#()<>|&=\-][^\s"'`,;}\]\[#()<>|&=]{2,399})(?P=vq)"""
# between a flag and its value: `=`, blanks, a shell line continuation, the next item of an exec-form
# list (`"--model", "org/x"`) or of a YAML block list (`- --model` then `- org/x`)
_SEP = r"""(?:=|[ \t]*\\\r?\n[ \t]*|["']?[ \t]*,[ \t]*|["']?[ \t]*\r?\n[ \t]*-[ \t]+|[ \t]+)"""
# blanks or a line continuation, then options without a separate value (`--quiet`, `--port=8000`)
_GAP = r"""(?:[ \t]+|[ \t]*\\\r?\n[ \t]*)"""
_OPTIONS = rf"""(?:{_GAP}(?:--repo-type[ =]model|-{{1,2}}[A-Za-z][\w-]{{0,40}}(?:=[^\s"'`]{{0,200}})?))*"""
# a key starts a word (or follows a quote) and is matched atomically (lookahead + backreference),
# so that a failed match costs one attempt per word, not one per character of it
_KEY = r"""(?:(?<=["'])|(?<![\w.\-"']))(?=(?P<key>[A-Za-z_][\w.-]{0,80}))(?P=key)["']?"""
_KEY_VALUE = re.compile(rf"""{_KEY}[ \t]*(?::=|=>|\?=|[:=])[ \t]*(?:&[\w.-]{{1,80}}[ \t]+)?{_VAL}""")
_KEY_LIST = re.compile(rf"""{_KEY}[ \t]*[:=][ \t]*\[(?P<items>[^\]\n]{{0,4000}})\]""")
_MODEL_ARGS = re.compile(r"""(?<![\w-])-{0,2}model[_-]args["']?[ \t]*[:= \t][ \t]*["']?(?P<val>[^\s"'`]{3,400})""")
_QUOTED = re.compile(r"""(["'`])([^"'`\n]{3,400})\1""")
_ENV_SPACE = re.compile(rf"(?im)^[ \t]*(?:ENV|ARG)[ \t]+(?P<key>[A-Za-z_]\w{{0,80}})[ \t]+{_VAL}")
_ENV_DEFAULT = re.compile(r"\$\{(?P<key>[A-Za-z_]\w{0,80}):?-(?P<val>[^}\s]{3,400})\}")
_HF_RESOLVE = re.compile(r"""https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(?P<val>[\w.-]{1,96}/[\w.-]{1,96})/resolve/""")
_SHELL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("vllm serve", re.compile(rf"\bvllm[ \t]+serve{_OPTIONS}{_GAP}{_VALN}")),
    ("--model", re.compile(
        r"(?<![\w-])--(?:model|model[-_]id|model[-_]name[-_]or[-_]path|model[-_]path|base[-_]model|tokenizer|"
        r"hub[-_]model[-_]id|pretrained[-_]model[-_]name[-_]or[-_]path|draft[-_]model|speculative[-_]model|"
        r"embedding[-_]model|reranker|teacher|student|repo[-_]id|adapter|lora[-_]modules?)"
        rf"{_SEP}{_VAL}")),
    ("hf download", re.compile(rf"(?:\bhuggingface-cli|(?<![\w-])hf)[ \t]+download{_OPTIONS}{_GAP}{_VALN}")),
    ("llama.cpp -hf", re.compile(rf"(?<![\w-])(?:-hf|-hfr|--hf-repo){_SEP}{_VAL}")),
    ("ollama", re.compile(
        r"\bollama[ \t]+(?:pull|run)[ \t]+(?P<val>(?:https?://)?(?:hf\.co|huggingface\.co)/[^\s\"'`]{3,400})")),
    ("Modelfile FROM", re.compile(
        r"(?im)^[ \t]*FROM[ \t]+(?P<val>(?:https?://)?(?:hf\.co|huggingface\.co)/[^\s\"'`]{3,400})")),
    ("--model_args", _MODEL_ARGS),
)
_CALLS = re.compile(
    r"(?:\bfrom_pretrained|\bpipeline|\bSentenceTransformer|\bCrossEncoder|\bLLM|\bAsyncLLMEngine|"
    r"\bhf_hub_download|\bsnapshot_download|\bmodel_info|\blist_repo_files|\bInferenceClient|\bFlagModel|"
    r"\bBGEM3FlagModel|\bFlagReranker|\bStableDiffusion\w*Pipeline|\bDiffusionPipeline|\bload_lora_weights|"
    r"\bload_adapter|\bload_ip_adapter|\bload_textual_inversion|\bload_attn_procs)\s*\(")
_CALL_WINDOW = 600


def _from_value(t: _Text, val: str, start: int, form: str, lang: str) -> Ref | None:
    if "model_args" in form:  # "pretrained=org/name,dtype=float32"
        for sub, at in _model_args(val):
            ref = _ref_for(t, sub, start + at, start + at + len(sub), form, lang)
            if ref:
                return ref
        return None
    return _ref_for(t, val, start, start + len(val), form, lang)


def _model_args(value: str) -> list[tuple[str, int]]:
    """The model values of a ``model_args`` string (``pretrained=org/name,dtype=float32``) and where."""
    out: list[tuple[str, int]] = []
    pos = 0
    for part in value.split(","):
        key, eq, val = part.partition("=")
        if eq and is_model_key(key):
            out.append((val.strip(), pos + len(key) + 1 + (len(val) - len(val.lstrip()))))
        pos += len(part) + 1
    return out


def _on_lines(t: _Text, pat: re.Pattern[str]) -> Iterator[re.Match[str]]:
    for s, e in t.spans:
        yield from pat.finditer(t.text, s, e)


def _keyed(t: _Text, lang: str) -> Iterator[Ref]:
    for m in _on_lines(t, _KEY_VALUE):
        if is_model_key(m.group("key")):
            ref = _from_value(t, m.group("val"), m.start("val"), f"key {m.group('key')}", lang)
            if ref:
                yield ref
    for m in _on_lines(t, _KEY_LIST):
        if is_model_key(m.group("key")):
            base = m.start("items")
            for q in _QUOTED.finditer(m.group("items")):
                ref = _from_value(t, q.group(2), base + q.start(2), f"key {m.group('key')}", lang)
                if ref:
                    yield ref
    for pat in (_ENV_SPACE, _ENV_DEFAULT):
        for m in _on_lines(t, pat):
            if is_model_key(m.group("key")):
                ref = _from_value(t, m.group("val"), m.start("val"), f"key {m.group('key')}", lang)
                if ref:
                    yield ref


def _shell(t: _Text, lang: str) -> Iterator[Ref]:
    for form, pat in _SHELL_PATTERNS:
        for m in _on_lines(t, pat):
            val = m.group("val")
            if form == "llama.cpp -hf":
                val = val.split(":", 1)[0]
            line = t.line_text(t.line_col(m.start())[0])
            if form == "hf download" and re.search(r"--repo-type[ =]+(?:dataset|space)", line):
                continue
            ref = _from_value(t, val, m.start("val"), form, lang)
            if ref:
                yield ref


def _calls(t: _Text, lang: str) -> Iterator[Ref]:
    """String arguments of model-loading calls, within a bounded window after the call."""
    text = t.text
    for m in (m for s, e in t.windows() for m in _CALLS.finditer(text, s, e)):
        depth, i, end = 1, m.end(), min(len(text), m.end() + _CALL_WINDOW)
        while i < end and depth:
            ch = text[i]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            i += 1
        args = text[m.end():i]
        if re.search(r"repo_type\s*=\s*[\"'](?:dataset|space)", args):
            continue
        for q in _QUOTED.finditer(args):
            ref = _from_value(t, q.group(2), m.end() + q.start(2), m.group().rstrip("( \t\n").lstrip("."), lang)
            if ref:
                yield ref


_YAML_KEY_LINE = re.compile(
    r"""^(?P<indent>[^\S\n]*)["']?([A-Za-z_][\w.-]{0,80})["']?[^\S\n]*:[^\S\n]*(?:[|>][-+]?[^\S\n]*)?(?:#.*)?$""",
    re.M)
"""A line that is only ``key:`` (a comment, or a block scalar indicator ``|``/``>``, allowed): the head
of a YAML block sequence, or of a value on the next line."""
_YAML_ALIAS = re.compile(r""":[ \t]*\*(?P<name>[\w.-]{1,80})""")
_YAML_ANCHOR = re.compile(r"""&(?P<name>[\w.-]{1,80})[ \t]+(?P<vq>["']?)(?P<val>[^\s"'#,\]}]{3,400})(?P=vq)""")


def _yaml_lists(t: _Text) -> Iterator[Ref]:
    """``key:`` with the ids on the following ``- item`` lines (a YAML block sequence), or with its
    value on the next line (a plain or block scalar)."""
    text = t.text
    for head in _YAML_KEY_LINE.finditer(text):
        if not is_model_key(head.group(2)):
            continue
        indent = len(head.group("indent"))
        pos = head.end() + 1  # the lines after the head: items, and blank or comment lines between them
        first = True
        while pos <= len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            stripped = line.strip()
            if stripped.startswith("- "):
                item = stripped[2:].split(" #", 1)[0].strip().strip("\"'")
                ref = _ref_for(t, item, pos, end, "key list", "yaml")
                if ref:
                    yield ref
            elif stripped and not stripped.startswith("#"):
                if first and len(line) - len(line.lstrip()) > indent and ": " not in stripped:
                    value = stripped.split(" #", 1)[0].strip().strip("\"'")  # the value on the next line
                    ref = _ref_for(t, value, pos, end, f"key {head.group(2)}", "yaml")
                    if ref:
                        yield ref
                break
            if stripped and not stripped.startswith("#"):
                first = False
            pos = end + 1


def _yaml_aliases(t: _Text) -> Iterator[Ref]:
    """``model: *name``: the value of the anchor ``&name`` (reported where the anchor writes it)."""
    text = t.text
    if "*" not in text or "&" not in text:
        return
    aliases = []
    for m in _YAML_ALIAS.finditer(text):
        before = text[max(0, m.start() - 90):m.start()]  # the key just before the colon (bounded: linear)
        head = re.split(r"[\s{,\-\[]", before.rstrip().rstrip("\"'"))[-1].strip("\"'")
        if is_model_key(head):
            aliases.append(m)
    if not aliases:
        return
    anchors: dict[str, re.Match[str]] = {}
    for m in _YAML_ANCHOR.finditer(text):
        anchors.setdefault(m.group("name"), m)
    for alias in aliases:
        anchor = anchors.get(alias.group("name"))
        if anchor is not None:
            ref = _ref_for(t, anchor.group("val"), anchor.start("val"), anchor.end("val"), "yaml alias", "yaml")
            if ref:
                yield ref


def _hf_urls(t: _Text, lang: str) -> Iterator[Ref]:
    """Download URLs of Hub files (``https://huggingface.co/ORG/NAME/resolve/...``): references to ORG/NAME."""
    for m in _on_lines(t, _HF_RESOLVE):
        ref = _ref_for(t, m.group("val"), m.start("val"), m.end("val"), "hf url", lang)
        if ref:
            yield ref


# -- Python through ast ---------------------------------------------------------------------------

# A quoted id (or Hub URL) searched in the *reversed* text, so that the pattern starts with the
# literal "/" (which the regex engine finds fast) instead of a quote, of which code is full.
_REVERSED_QUOTED = re.compile(
    # The org is the whole run of id characters after the slash (what follows it, a quote or "/", is
    # none of them): matched possessively where Python has it (3.11+), so a failed slash costs no
    # backtracking; the same matches either way. ASCII, not \w (a third faster): an org holding another
    # letter is no Hub id, and the candidates that \w would give besides are refused by hub_id.
    # Two more alternatives (tried when the org's fails, each at one character): a "/name" literal after a
    # + (reversed: a quote, blanks, a +) and "}/name", two of the gates of the decoded-Python pass that start
    # at a slash (refs._FOLD_HINTS; the letter after the slash is checked for each match). That the org starts
    # with a letter or digit is checked for each match too (a lookbehind here cost a tenth of the pass). The
    # candidates are the same: the only other slash that a match so refused takes, the one of "hf.co/", would
    # have given none (the name after it is the refused org, which does not start with a letter or digit).
    # Quotes as literals, not a class: each is then refused at one comparison (a tenth of the pass).
    (r"""/(?:(?P<org>[A-Za-z0-9_.\-]{1,96}+)(?:"|'|`|/oc\.(?:ecafgniggu|f)h)"""
     if sys.version_info >= (3, 11) else
     r"""/(?:(?P<org>[A-Za-z0-9_.\-]{0,95}[A-Za-z0-9])(?:"|'|`|/oc\.(?:ecafgniggu|f)h)""")
    + r"""|"[ \t\n\r\f\v]*\+|'[ \t\n\r\f\v]*\+|\})""")
_NAME = re.compile(r"[A-Za-z0-9][\w.-]{0,95}")


def quoted_candidates(text: str) -> list[str]:
    """The quoted strings (and Hub URLs) of ``text`` that start like a Hub id, as ``org/name``."""
    return [c for _, c in quoted_candidates_at(text)]


def quoted_candidates_at(text: str) -> list[tuple[int, str]]:
    """:func:`quoted_candidates` with the offset of each (last in the text first)."""
    return quoted_candidates_and_joins(text)[0]


def quoted_candidates_and_joins(text: str) -> tuple[list[tuple[int, str]], bool]:
    """:func:`quoted_candidates_at`, and whether a ``"/name"`` literal follows a ``+`` (blanks between) or
    a ``}`` (``f"{ORG}/name"``) somewhere in ``text``: in Python, two of the ways of joining an id that the
    decoded pass reads (:data:`licencecmp.scan.refs._FOLD_HINTS`), found in the same pass.

    >>> quoted_candidates_and_joins('m = "org/x"'), quoted_candidates_and_joins('ORG + "/x"')[1]
    (([(5, 'org/x')], False), True)
    """
    return _candidates_and_joins(text, _REVERSED_QUOTED, _NAME)


def _candidates_and_joins(text: AnyStr, reversed_quoted: re.Pattern[AnyStr], name_pattern: re.Pattern[AnyStr],
                          ) -> tuple[list[tuple[int, AnyStr]], bool]:
    """:func:`quoted_candidates_and_joins` with its patterns: those of ``str``, or the same compiled for the
    bytes of ASCII text (:func:`_ascii_probe`)."""
    out: list[tuple[int, AnyStr]] = []
    joins = False
    n = len(text)
    for m in reversed_quoted.finditer(text[::-1]):
        slash = n - m.start() - 1
        org = m.group("org")
        if org is None:  # a + or a } before the slash: a join when a letter or digit follows the slash
            joins = joins or (slash + 1 < n and text[slash + 1:slash + 2].isalnum()
                              and text[slash + 1:slash + 2].isascii())
            continue
        if not org[-1:].isalnum():  # reversed: the org's first character
            continue
        name = name_pattern.match(text, slash + 1)
        if name is not None:
            org = org[::-1]
            out.append((slash - len(org), org + text[slash:slash + 1] + name.group()))
    return out, joins


class _AsciiProbe:
    """The patterns that decide whether Python source needs a closer look (:func:`python_needs_reading`),
    compiled for bytes: on ASCII text they match what the ``str`` ones match, at the same offsets. Made when
    first needed (a plain class: nothing is built at import)."""

    __slots__ = ("contexts", "legacy_quoted", "name", "reversed_quoted", "st_callees")

    def __init__(self) -> None:
        self.reversed_quoted = _as_bytes(_REVERSED_QUOTED)
        self.name = _as_bytes(_NAME)
        self.st_callees = _as_bytes(_ST_CALLEES)
        self.legacy_quoted = tuple(_as_bytes(p) for p in _LEGACY_QUOTED)
        self.contexts = tuple(c.encode("ascii") for c in _LEGACY_CONTEXTS)


_ASCII_PROBE: list[_AsciiProbe] = []


def _as_bytes(p: re.Pattern[str]) -> re.Pattern[bytes]:
    return re.compile(p.pattern.encode("ascii"), p.flags & ~re.UNICODE)


def _ascii_probe() -> _AsciiProbe:
    if not _ASCII_PROBE:  # compiled when first needed: start-up matters
        _ASCII_PROBE.append(_AsciiProbe())
    return _ASCII_PROBE[0]


def python_needs_reading(data: bytes) -> bool:
    """Whether :func:`analyse` could find anything in Python source ``data`` that holds no registry id and none of
    the decoded-Python gates that :meth:`licencecmp.scan.refs.IdMatcher.find_python` answers: a quoted string
    shaped like a Hub id, a join of one (:func:`quoted_candidates_and_joins`) or an org-less name
    (:func:`legacy_hint`). Asked of the bytes of ASCII text (most source), without decoding them: the patterns
    compiled for bytes match the same characters at the same offsets there; any other text is read (True)."""
    if not data.isascii():
        return True
    probe = _ascii_probe()
    candidates, joins = _candidates_and_joins(data, probe.reversed_quoted, probe.name)
    return joins or any(hub_id(c.decode("ascii")) for _, c in candidates) or _legacy_hint_ascii(data)


def line_and_column(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """1-based (line, column) of each offset of ``text``."""
    t = _Text(text)
    return [t.line_col(o) for o in offsets]


_CANDIDATE = re.compile(rf"""["']((?:https?://)?(?:www\.)?(?:huggingface\.co/|hf\.co/)?{_ID})""")
_POSITIONAL_CALLEES = frozenset({
    "load_lora_weights", "load_adapter", "load_ip_adapter", "load_textual_inversion", "load_attn_procs",
    "from_single_file", "snapshot_download_async", "InferenceClientModel", "HfApiModel", "TransformersModel",
    "VLLMModel", "MLXModel", "SparseEncoder", "from_pretrained", "pipeline", "SentenceTransformer", "CrossEncoder",
    "LLM", "AsyncLLMEngine",
    "hf_hub_download", "snapshot_download", "model_info", "list_repo_files", "InferenceClient", "FlagModel",
    "BGEM3FlagModel", "FlagReranker", "FlagLLMReranker", "load_checkpoint", "ChatHuggingFace",
    "HuggingFaceEmbeddings", "TextEmbedding", "SparseTextEmbedding", "Llama", "AutoPipelineForText2Image",
})
_POSITIONAL_SUFFIXES = ("Pipeline", "Model", "Encoder", "Embeddings", "Embedding", "Reranker",
                        "ForCausalLM", "ForSequenceClassification", "Tokenizer", "TokenizerFast", "Processor")


def _callee(node: object) -> str:
    import ast

    func = getattr(node, "func", None)
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _wanted_nodes(tree: object) -> list[object]:
    """The nodes of :data:`_WANTED` types in the order of :func:`ast.walk` (breadth first), without
    visiting the leaves that hold none (names, constants, contexts, operators)."""
    import ast
    from collections import deque

    wanted = {ast.Call, ast.Dict, ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef, ast.Expr,
              ast.For, ast.AsyncFor}
    leaves = (ast.Name, ast.Constant, ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
    node_type = ast.AST
    inner = _INNER_TYPES  # type -> whether a value of it is a node to visit (cached: one look-up, not two isinstance)
    fields = _NODE_FIELDS  # type -> the fields that may hold nodes
    out: list[object] = []
    todo = deque([tree])
    pop, push = todo.popleft, todo.append
    while todo:
        node = pop()
        kind = type(node)
        if kind in wanted:
            out.append(node)
        names = fields.get(kind)
        if names is None:
            names = fields[kind] = tuple(f for f in node._fields if f not in _SCALAR_FIELDS)  # type: ignore[attr-defined]
        for name in names:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    visit = inner.get(type(item))
                    if visit is None:
                        visit = inner[type(item)] = isinstance(item, node_type) and not isinstance(item, leaves)
                    if visit:
                        push(item)
            else:
                visit = inner.get(type(value))
                if visit is None:
                    visit = inner[type(value)] = isinstance(value, node_type) and not isinstance(value, leaves)
                if visit:
                    push(value)
    return out


_INNER_TYPES: dict[type, bool] = {}
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}
_SCALAR_FIELDS = frozenset({"name", "asname", "names", "module", "level", "attr", "id", "arg", "type_comment", "kind",
                            "conversion", "is_async", "simple", "rest", "kwd_attrs", "tag"})
"""Fields of the syntax tree that never hold a node a model context can be found in (names, flags; the aliases
of an import)."""


_FIELD_CALLEES = frozenset({"field", "Field", "attrib", "attr.ib"})
_DEFAULT_GETTERS = frozenset({"get", "getenv", "pop", "setdefault"})
_MAX_NESTING = 20


class _PythonRefs:
    """The references of one parsed Python source (the state :func:`_python` walks with): the
    constants bound to names, the names passed where a model goes, and what was found by offset."""

    def __init__(self, t: _Text, prose: set[int] | None) -> None:
        self.t = t
        self.prose = prose
        # line starts as Python counts lines (\r\n, \r or \n) -> offsets in t.text
        self.py_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", t.text)]
        self.lines_utf8: dict[int, bytes] = {}
        self.out: dict[int, Ref] = {}
        self.constants: dict[str, list[object]] = {}
        self.model_vars: set[str] = set()  # names passed where a model goes: a loop over a literal list of them
        self.loops: list[object] = []
        # (name, model_args form, sentence-transformers callee) -> the least depth its constants were emitted
        # at: emitting them again (another form, a deeper place) finds no id at a new offset, and a name bound
        # to a list holding itself (`x = [x, x, x]`) is not unfolded to the depth limit (exponential)
        self.emitted: dict[tuple[str, bool, bool], int] = {}

    def _char_at(self, ln: int, c: int) -> int:
        """The offset in the text of ast's (line, UTF-8 byte column)."""
        start = self.py_starts[ln - 1]
        if ln not in self.lines_utf8:
            stop = self.py_starts[ln] if ln < len(self.py_starts) else len(self.t.text)
            self.lines_utf8[ln] = self.t.text[start:stop].encode("utf-8", "surrogatepass")
        return start + len(self.lines_utf8[ln][:c].decode("utf-8", "replace"))

    def offset_of(self, node: object) -> tuple[int, int] | None:
        lineno, col = getattr(node, "lineno", None), getattr(node, "col_offset", None)
        end_lineno, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
        if lineno is None or col is None or lineno > len(self.py_starts):
            return None
        start = self._char_at(lineno, col)
        end = self._char_at(end_lineno, end_col) if end_lineno and end_col is not None and end_lineno <= len(
            self.py_starts) else start + 512
        return start, end

    def emit(self, node: object, form: str, callee: str = "", depth: int = 0) -> None:
        """Every model id ``node`` holds: a string, or the strings of a list, dict, ``field(default=)``,
        ``pytest.param`` or a name bound to constants."""
        import ast

        if node is None or depth > _MAX_NESTING:
            return
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):  # lists of models
            for elt in node.elts:
                self.emit(elt, form, callee, depth + 1)
        elif isinstance(node, ast.Dict):  # dicts of choices: {"small": "org/a", "large": "org/b"}
            for value in node.values:
                self.emit(value, form, callee, depth + 1)
        elif isinstance(node, ast.Call):  # field(default="org/x"), pytest.param("org/x")
            name = _callee(node)
            if name in _FIELD_CALLEES:
                default = next((kw.value for kw in node.keywords if kw.arg == "default"), None)
                self.emit(default if default is not None else (node.args[0] if node.args else None), form, callee,
                          depth + 1)
            elif name == "param" and node.args:
                self.emit(node.args[0], form, callee, depth + 1)
        elif isinstance(node, ast.Name):
            self.model_vars.add(node.id)
            consts = self.constants.get(node.id)
            if consts:
                key = (node.id, "model_args" in form, callee in _names().st_callees)
                if self.emitted.get(key, _MAX_NESTING + 1) <= depth:
                    return
                self.emitted[key] = depth
                for const in consts:
                    self.emit(const, form, callee, depth + 1)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            self._string(node, node.value, form, callee)

    def _string(self, node: object, value: str, form: str, callee: str) -> None:
        span = self.offset_of(node)
        if span is None:
            return
        values = _model_args(value) if "model_args" in form else [(value, 0)]
        for text_value, _ in values:
            ref = _ref_for(self.t, text_value, span[0], span[1], form, "python", callee)
            if ref is not None and ref.offset not in self.out:
                self.out[ref.offset] = ref

    def bind_constants(self, nodes: list[object]) -> None:
        """Constants bound to names, for ``MODEL_ID = "..."`` (or a list of ids) then passed."""
        import ast

        for node in nodes:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(
                    node.value, (ast.Constant, ast.List, ast.Tuple, ast.Set, ast.Dict)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.constants.setdefault(target.id, []).append(node.value)

    def call(self, node: Any) -> None:
        """A call: its positional ids, model keywords, getter defaults, argparse defaults, parametrize."""
        import ast

        name = _callee(node)
        kwargs = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        repo_type = kwargs.get("repo_type")
        if isinstance(repo_type, ast.Constant) and repo_type.value in ("dataset", "space"):
            return
        if name in _POSITIONAL_CALLEES or name.endswith(_POSITIONAL_SUFFIXES):
            for arg in node.args[:3]:
                self.emit(arg, name, name)
        for key, value in kwargs.items():
            if is_model_key(key):
                self.emit(value, f"{name}({key}=)", name)
            elif key == "model_args":
                self.emit(value, f"{name}(model_args)", name)
        first = node.args[0] if node.args else None
        if name in _DEFAULT_GETTERS and isinstance(first, ast.Constant) and isinstance(first.value, str) \
                and is_model_key(first.value):
            self.emit(node.args[1] if len(node.args) >= 2 else kwargs.get("default"), "default value")
        if name == "add_argument" and "default" in kwargs:
            self._argument_default(node, kwargs["default"])
        if name == "parametrize" and len(node.args) >= 2:
            _parametrize(node.args[0], node.args[1], self.emit)

    def _argument_default(self, node: Any, default: object) -> None:
        """``parser.add_argument("--model", default="org/x")`` (or ``--model_args``)."""
        import ast

        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if not any(f.startswith("-") and (is_model_key(f.lstrip("-")) or f.lstrip("-").replace("-", "_") ==
                                          "model_args") for f in flags):
            return
        form = "argument default (model_args)" if any("model_args" in f.replace("-", "_") for f in flags) \
            else "argument default"
        self.emit(default, form)

    def dict_(self, node: Any) -> None:
        """A dict literal's model keys: ``{"model": "org/x"}``."""
        import ast

        for k, v in zip(node.keys, node.values, strict=False):
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                if is_model_key(k.value):
                    self.emit(v, f"key {k.value}")
                elif k.value == "model_args":
                    self.emit(v, "key model_args")

    def assign(self, node: Any) -> None:
        """``model_id = ...``, ``self.model = ...``, ``cfg["model"] = ...``; a multi-line string is prose."""
        import ast

        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            tkey: str | None = (target.id if isinstance(target, ast.Name) else target.attr if isinstance(
                target, ast.Attribute) else target.slice.value if isinstance(target, ast.Subscript) and
                isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str) else None)
            if tkey and is_model_key(tkey):
                self.emit(node.value, f"{tkey} =")
        if self.prose is not None and _is_text(node.value):
            _mark(self.prose, node.value)

    def function(self, node: Any) -> None:
        """Parameter defaults of parameters that name a model."""
        fargs = node.args
        positional = [*fargs.posonlyargs, *fargs.args]
        with_defaults = positional[len(positional) - len(fargs.defaults):]
        for param, default in zip(with_defaults, fargs.defaults, strict=False):
            if is_model_key(param.arg):
                self.emit(default, f"{param.arg} default")
        for param, kw_default in zip(fargs.kwonlyargs, fargs.kw_defaults, strict=False):
            if kw_default is not None and is_model_key(param.arg):
                self.emit(kw_default, f"{param.arg} default")

    def expression(self, node: Any) -> None:
        """A docstring, or a bare string of words: prose (a bare id is not)."""
        import ast

        if self.prose is not None and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) \
                and (_is_text(node.value) or len(node.value.value.split()) > 1):
            _mark(self.prose, node.value)

    def walk(self, nodes: list[object]) -> list[Ref]:
        import ast

        self.bind_constants(nodes)
        handlers: dict[type, Callable[[Any], None]] = {
            ast.Call: self.call, ast.Dict: self.dict_, ast.Assign: self.assign, ast.AnnAssign: self.assign,
            ast.FunctionDef: self.function, ast.AsyncFunctionDef: self.function, ast.For: self.loops.append,
            ast.AsyncFor: self.loops.append, ast.Expr: self.expression}
        for node in nodes:
            handler = handlers.get(type(node))
            if handler is not None:
                handler(node)
        for loop in self.loops:  # `for name in ("org/a", "org/b"): load(model_name=name)`: a list of models used
            target = getattr(loop, "target", None)
            if isinstance(target, ast.Name) and target.id in self.model_vars:
                self.emit(getattr(loop, "iter", None), "loop over models")
        return list(self.out.values())


def _parsed(text: str) -> Any:
    """The syntax tree of Python source (an ``ast.Module``), or None when it does not parse."""
    import ast

    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def _python(t: _Text, prose: set[int] | None = None, tree: Any = None) -> list[Ref] | None:
    """References in Python source through ast, or None when it does not parse. ``prose``, when
    given, receives the lines of docstrings and other multi-line strings (prose, not code). ``tree``:
    the source already parsed."""
    if tree is None:
        tree = _parsed(t.text)
        if tree is None:
            return None
    return _PythonRefs(t, prose).walk(_wanted_nodes(tree))


def _is_text(node: object) -> bool:
    import ast

    return isinstance(node, ast.Constant) and isinstance(node.value, str) and \
        (getattr(node, "end_lineno", None) or 0) > (getattr(node, "lineno", None) or 0)


def _mark(prose: set[int], node: object) -> None:
    first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    if first is not None and last is not None and last - first < 100_000:
        prose.update(range(first, last + 1))


def _parametrize(names_node: object, values_node: object, emit: Callable[..., None]) -> None:
    """``@pytest.mark.parametrize("model_id", [...])``: the values of the arguments that name models."""
    import ast

    if isinstance(names_node, ast.Constant) and isinstance(names_node.value, str):
        names = [n.strip() for n in names_node.value.split(",")]
    elif isinstance(names_node, (ast.List, ast.Tuple)):
        names = [n.value.strip() if isinstance(n, ast.Constant) and isinstance(n.value, str) else ""
                 for n in names_node.elts]
    else:
        return
    wanted = [i for i, n in enumerate(names) if is_model_key(n)]
    if not wanted or not isinstance(values_node, (ast.List, ast.Tuple)):
        return
    for value in values_node.elts:
        if isinstance(value, ast.Call) and _callee(value) == "param":
            items: list[ast.expr] = list(value.args)
        elif len(names) > 1 and isinstance(value, (ast.Tuple, ast.List)):
            items = list(value.elts)
        else:
            items = [value]
        for i in wanted:
            if i < len(items):
                emit(items[i], "parametrize")


# -- notebooks -------------------------------------------------------------------------------------


_NB_UNBOUNDED_MISSES = 16


def _locate_pieces(t: _Text, pieces: list[str], pos: int, misses: list[int]) -> tuple[list[int], list[tuple[int, int]],
                                                                                    int]:
    """Where each piece of a cell's source is written in the notebook's text: the line of the file of
    each piece, its (offset, length) (-1 when not found), and the position to search on from."""
    from bisect import bisect_right
    from json.encoder import encode_basestring, encode_basestring_ascii  # json.dumps of a str, without its checks

    raw: list[int] = []
    spans: list[tuple[int, int]] = []
    text, starts = t.text, t.starts
    for piece in pieces:
        found, size = -1, 0
        ascii_enc = encode_basestring_ascii(piece)
        encs = (ascii_enc,) if piece.isascii() else (ascii_enc, encode_basestring(piece))
        for enc in encs:
            if enc is not ascii_enc and enc == ascii_enc:
                break
            # a piece written otherwise (escapes) is searched for in a bounded window once the budget of
            # unbounded searches is spent, and never past a match already found: linear
            stop = len(text) if misses[0] < _NB_UNBOUNDED_MISSES else pos + 4 * len(enc) + 256
            i = text.find(enc, pos, stop if found < 0 else min(stop, found))
            if i >= 0 and (found < 0 or i < found):
                found, size = i, len(enc)
        if found < 0:
            misses[0] += 1
        else:
            pos = found + size
        raw.append(bisect_right(starts, found) if found >= 0 else (raw[-1] if raw else 1))
        spans.append((found, size))
    return raw, spans, pos


def _cell_lines(pieces: list[str], raw: list[int]) -> tuple[list[int], list[int]]:
    """For each line of a cell (0-based): the line of the file it is written on and the piece it starts in."""
    line_raw = [raw[0]]
    line_piece = [0]
    for k, piece in enumerate(pieces):
        i = piece.find("\n")
        while i >= 0:
            nxt = k if i < len(piece) - 1 else min(k + 1, len(raw) - 1)
            line_raw.append(raw[nxt])
            line_piece.append(nxt)
            i = piece.find("\n", i + 1)
    return line_raw, line_piece


def _split_magics(lines: list[str], line_raw: list[int], code_lines: set[int]) -> tuple[str, list[str]]:
    """A code cell as Python (shell magics blanked) and as shell (the magics only), line for line;
    ``code_lines`` receives the lines of the file that hold code."""
    shell_cell = bool(lines) and lines[0].strip().startswith(("%%bash", "%%sh", "%%script"))
    py_lines: list[str] = []
    sh_lines: list[str] = []
    continued = False  # a shell magic ending in a backslash goes on on the next line
    for n, ln in enumerate(lines):
        stripped = ln.lstrip()
        magic = shell_cell or continued or stripped.startswith(("!", "%"))
        continued = magic and ln.rstrip().endswith("\\")
        py_lines.append("" if magic else ln)
        sh_lines.append(stripped.lstrip("!%") if magic else "")
        if stripped and not stripped.startswith("#") and n < len(line_raw):
            code_lines.add(line_raw[n])
    return "\n".join(py_lines), sh_lines


def _cell_refs(py_source: str, sh_lines: list[str]) -> list[Ref]:
    """The references of one code cell, at the cell's own lines: through ast when the cell parses,
    else through the patterns (this cell only); shell magics through the shell patterns."""
    py_text = _Text(py_source)
    refs: list[Ref] | None = []
    if any(hub_id(c) for c in quoted_candidates(py_source)) or legacy_hint(py_source):  # else nothing to find
        refs = _python(py_text)
        if refs is None:  # this cell only: the patterns
            refs = _generic(py_text, "python")
        elif "#" in py_source or "/resolve/" in py_source:  # comment mentions, download URLs
            seen = {r.offset for r in refs}
            refs += [r for r in _generic(py_text, "python") if r.offset not in seen and (
                r.comment or r.form == "hf url")]
    elif "/" in py_source and "#" in py_source:  # ids in comments only
        refs = [r for r in _generic(py_text, "python") if r.comment]
    assert refs is not None
    if any(sh_lines):
        sh_text = _Text("\n".join(sh_lines))
        refs += list(_shell(sh_text, "shell")) + list(_hf_urls(sh_text, "shell"))
    return refs


def _notebook(t: _Text, code_lines: set[int]) -> list[Ref]:
    """References in the code cells of a notebook, cell by cell (a cell that does not parse as Python
    falls back to the patterns, alone), each at the line of the file where its cell line is written.
    ``code_lines`` receives the lines of the file that hold code (not Markdown, outputs or comments)."""
    import json

    try:
        nb = json.loads(t.text)
    except (ValueError, RecursionError):
        return _generic(t, "other")
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return []
    out: list[Ref] = []
    pos = 0
    misses = [0]
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        src = cell.get("source")
        pieces = [p for p in src if isinstance(p, str)] if isinstance(src, list) else (
            [src] if isinstance(src, str) else [])
        raw, spans, pos = _locate_pieces(t, pieces, pos, misses)
        if cell.get("cell_type", "code") != "code" or not pieces:
            continue
        line_raw, line_piece = _cell_lines(pieces, raw)
        py_source, sh_lines = _split_magics("".join(pieces).split("\n"), line_raw, code_lines)
        for ref in sorted(_cell_refs(py_source, sh_lines), key=lambda r: (r.line, r.column)):
            k = line_piece[ref.line - 1] if ref.line - 1 < len(line_piece) else len(spans) - 1
            start, size = spans[k]
            if start < 0:  # the piece was not found as written: the line of the piece before it
                line = line_raw[ref.line - 1] if ref.line - 1 < len(line_raw) else raw[-1]
                off = t.starts[line - 1]
            else:  # the id inside the piece (searched there only: a one-line notebook stays linear)
                off = t.text.find(ref.written or ref.model, start, start + size)
                off = start if off < 0 else off
            line, col = t.line_col(off)
            # Suppressed only by a comment in the cell's own line (ref.suppressed): the notebook's raw line
            # may hold every cell of a minified notebook, a Markdown cell's text among them.
            out.append(replace(ref, line=line, column=col, offset=off))
    return out


def _hf_hub_client(t: _Text) -> Iterator[Ref]:
    """A file that uses the hf-hub client (``hf_hub::api``): every quoted Hub id in its code is a repository
    it downloads (``api.model(repo)``, ``Repo::with_revision(repo, ...)``), unless its line says dataset or space."""
    text = t.text
    for q in _QUOTED.finditer(text):
        if q.group(1) != '"' or "/" not in q.group(2):
            continue
        line = t.line_text(t.line_col(q.start())[0])
        if "Dataset" in line or "dataset" in line or "Space" in line:
            continue
        ref = _ref_for(t, q.group(2), q.start(2), q.end(2), "hf_hub client", "clike")
        if ref is not None:
            yield ref


# -- HTML ------------------------------------------------------------------------------------------


def _html_scripts(text: str, code_lines: set[int]) -> str:
    """``text`` with everything outside ``<script>`` elements blanked (lines and columns kept):
    transformers.js in a page is read as JavaScript, the page's prose is not."""
    low = text.lower()
    out: list[str] = []
    pos = 0
    line, counted = 1, 0  # the line at offset `counted` (counted on, never from the start again)
    blank = re.compile(r"[^\n]")
    while True:
        start = low.find("<script", pos)
        if start < 0:
            break
        body = low.find(">", start)
        end = low.find("</script", body + 1) if body >= 0 else -1
        if body < 0 or end < 0:
            break
        out.append(blank.sub(" ", text[pos:body + 1]))
        out.append(text[body + 1:end])
        line += text.count("\n", counted, body + 1)
        last = line + text.count("\n", body + 1, end)
        code_lines.update(range(line, last + 1))
        line, counted = last, end
        pos = end
    out.append(blank.sub(" ", text[pos:]))
    return "".join(out)


# -- the entry point -------------------------------------------------------------------------------


def _generic_refs(t: _Text, lang: str) -> Iterator[Ref]:
    yield from _calls(t, lang)
    yield from _keyed(t, lang)
    yield from _hf_urls(t, lang)
    if lang in ("shell", "yaml", "config", "other"):
        yield from _shell(t, lang)
    if lang == "yaml":
        yield from _yaml_lists(t)
        yield from _yaml_aliases(t)


def _generic(t: _Text, lang: str) -> list[Ref]:
    out: dict[int, Ref] = {}
    for ref in _generic_refs(t, lang):
        out.setdefault(ref.offset, ref)
    return list(out.values())


@dataclass
class Analysis:
    """The references of one file, and which of its lines are prose rather than code: ``prose``
    (docstrings and other multi-line strings of Python) and, for notebooks and HTML, ``code`` (the
    lines of code cells and scripts; every other line is prose)."""

    refs: list[Ref]
    prose: set[int]
    code: set[int] | None = None
    tree: Any = field(default=None, repr=False, compare=False)
    """Python: the file's syntax tree when it was parsed (for :func:`decoded_python_refs`), else None."""
    joins: bool = field(default=False, compare=False)
    """Python: a ``"/name"`` literal after a ``+`` or a ``}`` (:func:`quoted_candidates_and_joins`)."""

    def is_prose(self, line: int) -> bool:
        return line in self.prose or (self.code is not None and line not in self.code)


def find_references(rel: str, text: str) -> list[Ref]:
    """Every model reference in one file (by its path relative to the root and its text), in
    order of position. Comment mentions (and mentions in docstrings, Markdown cells and other prose)
    are included with ``comment=True``."""
    return analyse(rel, text).refs


def analyse(rel: str, text: str, *, need_prose: bool = False, lang: str | None = None) -> Analysis:
    """:func:`find_references` with the prose lines of the file (``need_prose``: also when no
    reference looks likely, for the registry's ids found elsewhere). ``lang``: ``language_of(rel)``,
    when the caller has it."""
    lang = lang or language_of(rel)
    joins = False
    t = _Text(text)
    prose: set[int] = set()
    code: set[int] | None = None
    tree = None
    if lang == "python":
        refs: list[Ref] | None = None
        # every reference in Python is a string constant: parse only when one looks like an id (or
        # like an org-less legacy name)
        candidates, joins = quoted_candidates_and_joins(text)
        has_candidate = any(hub_id(c) for _, c in candidates) or legacy_hint(text)
        if has_candidate or need_prose:
            tree = _parsed(text)
            refs = None if tree is None else _python(t, prose, tree)
        if refs is None:
            refs = _generic(t, "python") if has_candidate else []
        else:  # comments are not in the tree: mentions from the patterns, kept only when in a comment
            seen = {r.offset for r in refs}
            refs += [r for r in _generic(t, "python") if r.offset not in seen and (
                r.comment or r.form == "hf url" or r.line in prose)]
        if prose:
            refs = [replace(r, comment=True) if r.line in prose else r for r in refs]
    elif lang == "notebook":
        code = set()
        refs = _notebook(t, code)
        refs = [replace(r, comment=True) if r.line not in code else r for r in refs]
    elif lang == "html":
        code = set()
        masked = _html_scripts(text, code)
        refs = _generic(_Text(masked), "js") if any(hub_id(c) for c in quoted_candidates(masked)) else []
    elif lang == "clike" and "hf_hub" in text:  # Rust (or C) with the hf-hub client: its quoted repo ids
        refs = _generic(t, lang) + list(_hf_hub_client(t))
    elif lang == "js":  # transformers.js: string arguments only
        refs = _generic(t, lang) if any(hub_id(c) for c in quoted_candidates(text)) else []
    else:
        refs = _generic(t, lang)
    return Analysis(sorted(refs, key=lambda r: r.offset), prose, code, tree, joins)


# -- ids only Python sees --------------------------------------------------------------------------

_FOLD_DEPTH = 64


def decoded_python_refs(text: str, tree: Any = None) -> list[Ref]:
    """Model ids that Python sees but the source does not show as written: literals split across lines
    (implicit concatenation, a backslash-newline), escapes (``\\x2f``, ``\\u002d``, ``\\N{SOLIDUS}``),
    f-strings and ``+`` over module-level string constants. Each is the value ``ast`` gives at the
    node's position, reported there when the source text of the node does not hold the id verbatim
    (what is written plainly is found by the other shapes). Docstrings are prose, not uses. ``tree``:
    ``text`` already parsed (:attr:`Analysis.tree`)."""
    import ast

    if tree is None:
        tree = _parsed(text)
        if tree is None:
            return []
    consts: dict[str, str] = {}

    def fold(node: ast.AST, depth: int = 0) -> str | None:
        if depth > _FOLD_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.Name):
            return consts.get(node.id)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = fold(node.left, depth + 1), fold(node.right, depth + 1)
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.JoinedStr):
            parts: list[str] = []
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    if value.format_spec is not None or value.conversion not in (-1, 115):
                        return None
                    piece = fold(value.value, depth + 1)
                else:
                    piece = fold(value, depth + 1)
                if piece is None:
                    return None
                parts.append(piece)
            return "".join(parts)
        return None

    for stmt in tree.body:  # module-level NAME = "...", in order
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = fold(stmt.value)
            if value is not None and len(value) <= 400:
                consts[stmt.targets[0].id] = value
    lines = text.split("\n")
    out: list[Ref] = []
    # depth first, children in the order of ast.iter_child_nodes; leaves that hold no string are not visited
    leaves = (ast.Name, ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
    node_type, folded, expr, constant = ast.AST, (ast.Constant, ast.JoinedStr, ast.BinOp), ast.Expr, ast.Constant
    todo: list[ast.AST] = [tree]
    pop, push = todo.pop, todo.append
    while todo:
        node = pop()
        kind = type(node)
        if kind is expr and isinstance(node.value, constant):  # type: ignore[attr-defined]
            continue  # a docstring or a bare string: prose, not a use
        if kind in folded:
            value = fold(node)
            if value is not None:
                ref = _decoded_ref(node, value, lines)
                if ref is not None:
                    out.append(ref)
                continue
        for name in node._fields:
            child = getattr(node, name, None)
            if isinstance(child, list):
                for item in child:
                    if isinstance(item, node_type) and not isinstance(item, leaves):
                        push(item)
            elif isinstance(child, node_type) and not isinstance(child, leaves):
                push(child)
    return sorted(out, key=lambda r: (r.line, r.column))


def _decoded_ref(node: object, value: str, lines: list[str]) -> Ref | None:
    kind = classify_id(value) if "/" in value else None
    if kind is None:
        return None
    first, last = getattr(node, "lineno", 0), getattr(node, "end_lineno", None) or 0
    if not 0 < first <= last <= len(lines):
        return None
    head = lines[first - 1].encode("utf-8", "surrogatepass")
    column = len(head[: getattr(node, "col_offset", 0)].decode("utf-8", "replace")) + 1
    tail = lines[last - 1].encode("utf-8", "surrogatepass")[: getattr(node, "end_col_offset", 0) or 0]
    if first == last:
        written = tail[getattr(node, "col_offset", 0):].decode("utf-8", "replace")
    else:
        written = "\n".join([head[getattr(node, "col_offset", 0):].decode("utf-8", "replace"), *lines[first:last - 1],
                             tail.decode("utf-8", "replace")])
    if value.strip() in written:
        return None  # written plainly: the other shapes find it
    line_text = lines[first - 1]
    return Ref(kind[1], first, column, 0, "python string (decoded)", suppressed=marked(line_text, "python"),
               written=value, placeholder=kind[0] == "placeholder")
