"""Escaping untrusted text (file names, card fields, SBOM names) for each output format: one
function per format, so a scanned repository cannot inject workflow commands, terminal escapes,
Markdown, XML or SPDX lines into a report.

File names that are not valid UTF-8 reach here as lone surrogates (``surrogateescape``); every
function shows such a byte as ``\\xNN``, so no report fails to encode.

>>> text("ok.py\\n::error::pwned\\x1b[32m")
'ok.py\\\\n::error::pwned\\\\x1b[32m'
>>> github_data("a%b\\nc")
'a%25b%0Ac'
>>> markdown("<!-- x --> [a](b) @me: see (1) snake_case _x_")
'&lt;!-- x --&gt; &#91;a&#93;(b) &#64;me: see (1) snake_case &#95;x&#95;'
>>> markdown_code("org/model-1.5"), markdown_code("a`b|c")
('`org/model-1.5`', 'a&#96;b&#124;c')
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["github_data", "github_prop", "json_text", "json_value", "junit", "markdown", "markdown_code", "scrub",
           "scrub_json", "spdx_tv", "text", "uri_path"]

# C0 and C1 controls, DEL, lone surrogates, bidi overrides and other invisible format characters.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ufeff\ufff9-\ufffb]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def text(value: str) -> str:
    """Plain text and terminals: control characters (newlines, ANSI escapes), invisible and
    bidirectional format characters and undecodable bytes are shown as backslash escapes."""
    return _UNSAFE.sub(_show, value)


def scrub(value: str) -> str:
    """Only what cannot be encoded: undecodable bytes (lone surrogates) as ``\\xNN`` (JSON, SARIF)."""
    if value.isascii() or _SURROGATE.search(value) is None:
        return value
    return _SURROGATE.sub(_show, value)


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_value(obj: Any) -> Any:
    """A JSON-ready value with every string scrubbed (see :func:`scrub`)."""
    if isinstance(obj, str):
        return scrub(obj)
    if isinstance(obj, dict):
        return {scrub(k) if isinstance(k, str) else k: json_value(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_value(v) for v in obj]
    return obj


def json_text(obj: Any, *, indent: int | None = None) -> str:
    """``obj`` as JSON text, every string scrubbed (see :func:`scrub`), without walking ``obj`` in Python:
    without ``indent`` it is the C encoder's compact output (``json.dumps`` with an ``indent`` runs the
    pure-Python encoder)."""
    import json

    return scrub_json(json.dumps(obj, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":")))


def scrub_json(text: str) -> str:
    """JSON text with its lone surrogates scrubbed: one can only stand inside a JSON string, so it is
    written as :func:`scrub` writes it, JSON-escaped."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    import json

    return _SURROGATE.sub(lambda m: json.dumps(_show(m))[1:-1], text)


def uri_path(path: str) -> str:
    """A relative path as a URI reference: its original bytes percent-encoded."""
    from urllib.parse import quote

    return quote(path.encode("utf-8", "surrogateescape"), safe="/-_.~")


def github_data(value: str) -> str:
    """The message of a GitHub workflow command: line breaks cannot start a new command."""
    return text(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_prop(value: str) -> str:
    """A property (``file=``, ``title=``) of a GitHub workflow command."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


# What GitHub Markdown and HTML need escaped in prose that is never at the start of a line: HTML
# (< > &), links and images ([ ]), code spans (`), emphasis and strikethrough (* ~, and _ at a
# word's edge: GitHub ignores it inside a word), backslash escapes (\\), tables (|), @mentions
# and $math$. Not : ( ) # ' " = and the like, which start nothing mid-line: the raw Markdown stays
# readable (an address in a message may be autolinked, which is harmless: it is shown as it is).
_MD_SPECIAL = re.compile(r"[\\`*\[\]<>|~@&$]|(?<!\w)_|_(?!\w)")


def markdown(value: str) -> str:
    """Markdown prose (GitHub), never at the start of a line: each character that could start
    markup (HTML and comments, links, images, code spans, emphasis, @mentions, tables, math) as an
    HTML entity, and nothing else."""
    def entity(m: re.Match[str]) -> str:
        ch = m.group()
        return {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(ch) or f"&#{ord(ch)};"

    return _MD_SPECIAL.sub(entity, text(value))


_PLAIN = re.compile(r"[\w.,:;@+=%/ -]*")


def markdown_code(value: str) -> str:
    """Untrusted text shown as code: a code span when it holds only plain characters (letters,
    digits, ``. , : ; @ + = % / -``, spaces), else :func:`markdown` prose with every special
    character as an entity (a code span would show entities literally)."""
    if _PLAIN.fullmatch(value):
        return f"`{value}`"
    return markdown(value)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def junit(value: str) -> str:
    """Text for JUnit XML (XML 1.0 allows no other control characters); ElementTree escapes the rest."""
    return _XML_BAD.sub(_show, value)


def spdx_tv(value: str) -> str:
    """One-line SPDX value (a package name, a comment): no line breaks or controls, and no
    ``</text>`` that would close a multi-line text value."""
    return re.sub("(?i)</text>", "&lt;/text&gt;", text(value))
