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
from collections.abc import Iterator
from dataclasses import dataclass, replace

__all__ = [
    "IGNORE_MARK",
    "Ref",
    "comment_start",
    "find_references",
    "hub_id",
    "is_model_key",
    "language_of",
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
    "llm_model_id", "model_card", "vision_model", "text_model", "encoder", "decoder",
})
_KEY_ENDINGS = ("_model", "_model_id", "_model_name", "_model_name_or_path", "_model_path", "_model_repo",
                "_repo_id", "_model_ids", "_models")


def is_model_key(key: str) -> bool:
    """Whether a configuration key, keyword argument or variable name names a model.

    >>> is_model_key("EMBEDDING_MODEL"), is_model_key("base-model"), is_model_key("served_model_name")
    (True, True, False)
    """
    k = key.strip().strip("\"'").rsplit(".", 1)[-1].lower().replace("-", "_")
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
_SHELL_NAMES = ("dockerfile", "containerfile", "makefile", "gnumakefile", "modelfile", "procfile", "justfile",
                "vagrantfile")


def language_of(rel: str) -> str:
    """``python``, ``js``, ``shell``, ``yaml``, ``config``, ``notebook`` or ``other``."""
    name = rel.rsplit("/", 1)[-1].lower()
    suffix = os.path.splitext(name)[1]
    if suffix in _PY:
        return "python"
    if suffix == ".ipynb":
        return "notebook"
    if suffix in _JS:
        return "js"
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


def comment_start(line: str, lang: str) -> int | None:
    """Where a line comment starts on ``line`` (outside quotes), or None."""
    quote: str | None = None
    i, n = 0, len(line)
    hash_anywhere = lang == "python"
    slashes = lang in ("js", "config")
    while i < n:
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch == "#" and (hash_anywhere or i == 0 or line[i - 1] in " \t"):
            if lang != "js":
                return i
        elif (slashes and ch == "/" and line.startswith("//", i) and (i == 0 or line[i - 1] in " \t,;{}()[]")) or (
                lang == "config" and ch == ";" and not line[:i].strip()):
            return i
        i += 1
    return None


_ANCHORS = ("model", "teacher", "student", "rerank", "repo", "tokeniz", "adapter", "lora", "checkpoint",
            "pretrained", "llm", "coder", "name_or_path", "vllm", "download", "-hf", "hf.co", "huggingface.co",
            "ollama", "pipeline", "embedding", "flag", "transformer", "inferenceclient")
"""Every model context holds one of these words (lower case): keys that name models, commands, calls."""
_CALL_AT = ("from_pretrained", "pipeline", "sentencetransformer", "crossencoder", "llm", "download", "model_info",
            "list_repo_files", "inferenceclient", "flag")
_CALLS_BY_WORD: dict[str, tuple[tuple[str, int], ...]] = {
    w: tuple((c, c.index(w)) for c in _CALL_AT if w in c) for w in _ANCHORS}
"""For each anchor word, the call names that contain it and where: a call is recognised at an
occurrence of the word with one ``startswith``."""


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
        for word in _ANCHORS:
            i = low.find(word)
            calls = _CALLS_BY_WORD[word]
            while i >= 0:
                start = text.rfind("\n", 0, i) + 1
                end = text.find("\n", i)
                end = n if end < 0 else end
                if text.find("/", start, end) >= 0:
                    spans.append((start, end))
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


def _make(t: _Text, model: str, offset: int, form: str, lang: str) -> Ref:
    line, col = t.line_col(offset)
    text = t.line_text(line)
    cstart = comment_start(text, lang) if lang != "notebook" else None
    comment = cstart is not None and cstart < col - 1
    suppressed = IGNORE_MARK in text.lower()
    return Ref(model, line, col, offset, form, comment=comment, suppressed=suppressed)


def _locate(t: _Text, value: str, model: str, start: int, end: int) -> int | None:
    """The offset of ``model`` inside ``value`` written at text[start:end]."""
    i = t.text.find(model, start, end)
    if i >= 0:
        return i
    return None


# -- patterns (shell, configuration, fallback for code) ---------------------------------------------

_VAL = r"""(?P<vq>["'`]?)(?P<val>[^\s"'`,;}\]\[#()<>|&=]{3,400})(?P=vq)"""
# a key starts a word (or follows a quote) and is matched atomically (lookahead + backreference),
# so that a failed match costs one attempt per word, not one per character of it
_KEY = r"""(?:(?<=["'])|(?<![\w.\-"']))(?=(?P<key>[A-Za-z_][\w.-]{0,80}))(?P=key)["']?"""
_KEY_VALUE = re.compile(rf"""{_KEY}[ \t]*(?::=|=>|\?=|[:=])[ \t]*{_VAL}""")
_KEY_LIST = re.compile(rf"""{_KEY}[ \t]*[:=][ \t]*\[(?P<items>[^\]\n]{{0,4000}})\]""")
_QUOTED = re.compile(r"""(["'`])([^"'`\n]{3,400})\1""")
_ENV_SPACE = re.compile(rf"(?im)^[ \t]*(?:ENV|ARG)[ \t]+(?P<key>[A-Za-z_]\w{{0,80}})[ \t]+{_VAL}")
_ENV_DEFAULT = re.compile(r"\$\{(?P<key>[A-Za-z_]\w{0,80}):?-(?P<val>[^}\s]{3,400})\}")
_SHELL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("vllm serve", re.compile(rf"\bvllm[ \t]+serve[ \t]+{_VAL}")),
    ("--model", re.compile(
        r"(?<![\w-])--(?:model|model[-_]id|model[-_]name[-_]or[-_]path|model[-_]path|base[-_]model|tokenizer|"
        r"hub[-_]model[-_]id|pretrained[-_]model[-_]name[-_]or[-_]path|draft[-_]model|speculative[-_]model|"
        r"embedding[-_]model|reranker|teacher|student|repo[-_]id|adapter|lora[-_]modules?)"
        rf"(?:=|[ \t]+){_VAL}")),
    ("hf download", re.compile(rf"(?:\bhuggingface-cli|(?<![\w-])hf)[ \t]+download[ \t]+{_VAL}")),
    ("llama.cpp -hf", re.compile(rf"(?<![\w-])(?:-hf|-hfr|--hf-repo)(?:=|[ \t]+){_VAL}")),
    ("ollama", re.compile(
        r"\bollama[ \t]+(?:pull|run)[ \t]+(?P<val>(?:https?://)?(?:hf\.co|huggingface\.co)/[^\s\"'`]{3,400})")),
    ("Modelfile FROM", re.compile(
        r"(?im)^[ \t]*FROM[ \t]+(?P<val>(?:https?://)?(?:hf\.co|huggingface\.co)/[^\s\"'`]{3,400})")),
)
_CALLS = re.compile(
    r"(?:\bfrom_pretrained|\bpipeline|\bSentenceTransformer|\bCrossEncoder|\bLLM|\bAsyncLLMEngine|"
    r"\bhf_hub_download|\bsnapshot_download|\bmodel_info|\blist_repo_files|\bInferenceClient|\bFlagModel|"
    r"\bBGEM3FlagModel|\bFlagReranker|\bStableDiffusion\w*Pipeline|\bDiffusionPipeline)\s*\(")
_CALL_WINDOW = 600


def _from_value(t: _Text, val: str, start: int, form: str, lang: str) -> Ref | None:
    model = hub_id(val)
    if model is None:
        return None
    off = _locate(t, val, model, start, start + len(val))
    return None if off is None else _make(t, model, off, form, lang)


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


_YAML_KEY_LINE = re.compile(r"""^[^\S\n]*["']?([A-Za-z_][\w.-]{0,80})["']?[^\S\n]*:[^\S\n]*(?:#.*)?$""", re.M)
"""A line that is only ``key:`` (a comment allowed): the head of a YAML block sequence, perhaps."""


def _yaml_lists(t: _Text) -> Iterator[Ref]:
    """``key:`` with the ids on the following ``- item`` lines (a YAML block sequence)."""
    text = t.text
    for head in _YAML_KEY_LINE.finditer(text):
        if not is_model_key(head.group(1)):
            continue
        pos = head.end() + 1  # the lines after the head: items, and blank or comment lines between them
        while pos <= len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            stripped = line.strip()
            if stripped.startswith("- "):
                item = stripped[2:].split(" #", 1)[0].strip().strip("\"'")
                model = hub_id(item)
                if model:
                    off = text.find(model, pos, end)
                    if off >= 0:
                        yield _make(t, model, off, "key list", "yaml")
            elif stripped and not stripped.startswith("#"):
                break
            pos = end + 1


# -- Python through ast ---------------------------------------------------------------------------

# A quoted id (or Hub URL) searched in the *reversed* text, so that the pattern starts with the
# literal "/" (which the regex engine finds fast) instead of a quote, of which code is full.
_REVERSED_QUOTED = re.compile(
    # The org is the whole run of id characters after the slash (what follows it, a quote or "/", is
    # none of them): matched possessively where Python has it (3.11+), so a failed slash costs no
    # backtracking; the same matches either way.
    r"""/(?P<org>[\w.\-]{1,96}+)(?<=[A-Za-z0-9])(?:["'`]|/oc\.(?:ecafgniggu|f)h)""" if sys.version_info >= (3, 11)
    else r"""/(?P<org>[\w.\-]{0,95}[A-Za-z0-9])(?:["'`]|/oc\.(?:ecafgniggu|f)h)""")
_NAME = re.compile(r"[A-Za-z0-9][\w.-]{0,95}")


def quoted_candidates(text: str) -> list[str]:
    """The quoted strings (and Hub URLs) of ``text`` that start like a Hub id, as ``org/name``."""
    out: list[str] = []
    n = len(text)
    for m in _REVERSED_QUOTED.finditer(text[::-1]):
        slash = n - m.start() - 1
        name = _NAME.match(text, slash + 1)
        if name is not None:
            out.append(f"{m.group('org')[::-1]}/{name.group()}")
    return out


_CANDIDATE = re.compile(rf"""["']((?:https?://)?(?:www\.)?(?:huggingface\.co/|hf\.co/)?{_ID})""")
_POSITIONAL_CALLEES = frozenset({
    "from_pretrained", "pipeline", "SentenceTransformer", "CrossEncoder", "LLM", "AsyncLLMEngine",
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

    wanted = {ast.Call, ast.Dict, ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef}
    leaves = (ast.Name, ast.Constant, ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)
    node_type = ast.AST
    out: list[object] = []
    todo = deque([tree])
    pop, push = todo.popleft, todo.append
    while todo:
        node = pop()
        if type(node) in wanted:
            out.append(node)
        for name in node._fields:  # type: ignore[attr-defined]
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type) and not isinstance(item, leaves):
                        push(item)
            elif isinstance(value, node_type) and not isinstance(value, leaves):
                push(value)
    return out


def _python(t: _Text) -> list[Ref] | None:
    """References in Python source through ast, or None when it does not parse."""
    import ast

    try:
        tree = ast.parse(t.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None
    # line starts as Python counts lines (\r\n, \r or \n) -> offsets in t.text
    py_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", t.text)]
    lines_utf8: dict[int, bytes] = {}

    def offset_of(node: ast.AST) -> tuple[int, int] | None:
        lineno, col = getattr(node, "lineno", None), getattr(node, "col_offset", None)
        end_lineno, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
        if lineno is None or col is None or lineno > len(py_starts):
            return None

        def char_at(ln: int, c: int) -> int:
            start = py_starts[ln - 1]
            if ln not in lines_utf8:
                stop = py_starts[ln] if ln < len(py_starts) else len(t.text)
                lines_utf8[ln] = t.text[start:stop].encode("utf-8", "surrogatepass")
            return start + len(lines_utf8[ln][:c].decode("utf-8", "replace"))

        start = char_at(lineno, col)
        end = char_at(end_lineno, end_col) if end_lineno and end_col is not None and end_lineno <= len(
            py_starts) else start + 512
        return start, end

    out: dict[int, Ref] = {}
    constants: dict[str, list[ast.Constant]] = {}

    def emit(node: ast.AST | None, form: str) -> None:
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            if isinstance(node, ast.Name):
                for const in constants.get(node.id, ()):
                    emit(const, form)
            return
        model = hub_id(node.value)
        if model is None:
            return
        span = offset_of(node)
        if span is None:
            return
        off = t.text.find(model, span[0], span[1])
        if off >= 0 and off not in out:
            out[off] = _make(t, model, off, form, "python")

    nodes = _wanted_nodes(tree)
    for node in nodes:  # string constants bound to names, for `MODEL_ID = "..."` then passed
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Constant) and \
                isinstance(node.value.value, str):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    constants.setdefault(target.id, []).append(node.value)
    for node in nodes:
        if isinstance(node, ast.Call):
            name = _callee(node)
            kwargs = {kw.arg: kw.value for kw in node.keywords if kw.arg}
            repo_type = kwargs.get("repo_type")
            if isinstance(repo_type, ast.Constant) and repo_type.value in ("dataset", "space"):
                continue
            if name in _POSITIONAL_CALLEES or name.endswith(_POSITIONAL_SUFFIXES):
                for arg in node.args[:3]:
                    emit(arg, name)
            for key, value in kwargs.items():
                if is_model_key(key):
                    emit(value, f"{name}({key}=)")
            if name in ("get", "getenv") and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and is_model_key(node.args[0].value):
                emit(node.args[1], "environment default")
            if name == "add_argument" and "default" in kwargs and any(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("-")
                    and is_model_key(a.value.lstrip("-")) for a in node.args):
                emit(kwargs["default"], "argument default")
        elif isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=False):
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and is_model_key(k.value):
                    emit(v, f"key {k.value}")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                tkey: str | None = (target.id if isinstance(target, ast.Name) else target.attr if isinstance(
                    target, ast.Attribute) else target.slice.value if isinstance(target, ast.Subscript) and
                    isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str) else None)
                if tkey and is_model_key(tkey):
                    emit(node.value, f"{tkey} =")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            fargs = node.args
            positional = [*fargs.posonlyargs, *fargs.args]
            with_defaults = positional[len(positional) - len(fargs.defaults):]
            for param, default in zip(with_defaults, fargs.defaults, strict=False):
                if is_model_key(param.arg):
                    emit(default, f"{param.arg} default")
            for param, kw_default in zip(fargs.kwonlyargs, fargs.kw_defaults, strict=False):
                if kw_default is not None and is_model_key(param.arg):
                    emit(kw_default, f"{param.arg} default")
    return list(out.values())


# -- notebooks -------------------------------------------------------------------------------------


def _notebook(t: _Text) -> list[Ref]:
    import json

    try:
        nb = json.loads(t.text)
    except (ValueError, RecursionError):
        return _generic(t, "other")
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return []
    out: list[Ref] = []
    cursor = 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source")
        source = "".join(s for s in src if isinstance(s, str)) if isinstance(src, list) else (
            src if isinstance(src, str) else "")
        lines = [ln for ln in source.split("\n") if not ln.lstrip().startswith(("!", "%"))]
        magics = [ln.lstrip()[1:] for ln in source.split("\n") if ln.lstrip().startswith(("!", "%"))]
        cell_text = _Text("\n".join(lines))
        refs = _python(cell_text)
        if refs is None:
            refs = list(_generic_refs(cell_text, "python"))
        refs += list(_shell(_Text("\n".join(magics)), "shell"))
        for ref in sorted(refs, key=lambda r: r.offset):
            off = t.text.find(ref.model, cursor)
            if off < 0:
                off = t.text.find(ref.model)
                if off < 0:
                    continue
            else:
                cursor = off + len(ref.model)
            line, col = t.line_col(off)
            out.append(replace(ref, line=line, column=col, offset=off,
                               suppressed=ref.suppressed or IGNORE_MARK in t.line_text(line).lower()))
    return out


# -- the entry point -------------------------------------------------------------------------------


def _generic_refs(t: _Text, lang: str) -> Iterator[Ref]:
    yield from _calls(t, lang)
    yield from _keyed(t, lang)
    if lang in ("shell", "yaml", "config", "other"):
        yield from _shell(t, lang)
    if lang == "yaml":
        yield from _yaml_lists(t)


def _generic(t: _Text, lang: str) -> list[Ref]:
    out: dict[int, Ref] = {}
    for ref in _generic_refs(t, lang):
        out.setdefault(ref.offset, ref)
    return list(out.values())


def find_references(rel: str, text: str) -> list[Ref]:
    """Every model reference in one file (by its path relative to the root and its text), in
    order of position. Comment mentions are included with ``comment=True``."""
    lang = language_of(rel)
    t = _Text(text)
    if lang == "python":
        refs: list[Ref] | None = None
        # every reference in Python is a string constant: parse only when one looks like an id
        has_candidate = any(hub_id(c) for c in quoted_candidates(text))
        if has_candidate:
            refs = _python(t)
        if refs is None:
            refs = _generic(t, "python") if has_candidate else []
        else:  # comments are not in the tree: mentions from the patterns, kept only when in a comment
            seen = {r.offset for r in refs}
            refs += [r for r in _generic(t, "python") if r.comment and r.offset not in seen]
    elif lang == "notebook":
        refs = _notebook(t)
    elif lang == "js":  # transformers.js: string arguments only
        refs = _generic(t, lang) if any(hub_id(c) for c in quoted_candidates(text)) else []
    else:
        refs = _generic(t, lang)
    return sorted(refs, key=lambda r: r.offset)
