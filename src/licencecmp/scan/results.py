"""What a scan finds: places where models are used or declared, files skipped, files not understood."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CatalogueFile", "Found", "ScanProblem", "ScanResult", "Skipped"]


@dataclass(frozen=True, slots=True)
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
    relation: str | None = None  # model cards: base_model_relation (finetune, adapter, quantized, merge)
    registry: bool = False  # the model id was matched against the registry
    form: str | None = None  # how a reference was found (from_pretrained, key model, vllm serve, ...)
    written: str | None = None  # the name as written when it is not the id reported (gpt2 -> openai-community/gpt2)


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str
    could_hold_model: bool = False  # its name says it could name or declare a model (see scan.reading)


@dataclass(frozen=True, slots=True)
class ScanProblem:
    """A file that should have been understood but could not be (broken YAML, unreadable SBOM ...)."""

    path: str
    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class CatalogueFile:
    """A file that lists many models (a framework's table of supported models): its references are
    listed as one entry, and judged only when the policy says ``catalogues = "judge"``."""

    path: str
    found: tuple[Found, ...]


@dataclass
class ScanResult:
    root: Path
    found: list[Found] = field(default_factory=list)
    mentions: list[Found] = field(default_factory=list)  # references in comments: listed, never judged
    suppressed: list[Found] = field(default_factory=list)  # references on a `licencecmp: ignore` line
    placeholders: list[Found] = field(default_factory=list)  # your-org/your-model: counted, never judged
    catalogues: list[CatalogueFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[ScanProblem] = field(default_factory=list)
    files_scanned: int = 0
    bytes_scanned: int = 0
    git: bool = False
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)  # the scan is incomplete (git failed): say so loudly
