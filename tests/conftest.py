"""Shared fixtures. The official licence texts live beside the project in ../shared/licence-texts;
tests that need them skip when it is absent (a user's clone) unless LICENCECMP_REQUIRE_SHARED=1
(set by .ci/run), which turns the skip into a failure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pytest

if TYPE_CHECKING:
    from licencecmp.data.records import Licence, ModelEntry

ROOT = Path(__file__).resolve().parents[1]
LICENCES = ROOT / "licences"
SHARED = Path(os.environ.get("LICENCECMP_SHARED", ROOT.parent / "shared"))
TEXTS = SHARED / "licence-texts"
REQUIRE_SHARED = os.environ.get("LICENCECMP_REQUIRE_SHARED") == "1"


def need_shared() -> Path:
    """Return the licence-texts folder, or skip (fail under CI) when it is absent."""
    if TEXTS.is_dir():
        return TEXTS
    reason = f"official licence texts not found at {TEXTS} (set LICENCECMP_SHARED to the shared/ folder)"
    if REQUIRE_SHARED:
        pytest.fail(reason + "; LICENCECMP_REQUIRE_SHARED=1 makes this a failure")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _no_network_no_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every command may resolve a model id through the chain: no test reads the user's Hugging
    Face cache or goes online unless it says so (the loopback Hub stand-in, a cache it writes)."""
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path_factory.getbasetemp() / "no-hf-cache"))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    for var in ("LICENCECMP_ONLINE", "HF_HUB_OFFLINE", "HF_TOKEN"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def texts_dir() -> Path:
    return need_shared()


@pytest.fixture(scope="session")
def sources() -> tuple[list[Licence], list[ModelEntry], dict[str, Any]]:
    from licencecmp.data.catalogue import load_sources

    return load_sources(LICENCES)


class CliResult(NamedTuple):
    """What one in-process run of the command line produced (unpack as ``code, out, err``)."""

    code: int
    out: str
    err: str


class Cli:
    """Runs ``licencecmp ARGS...`` in process and captures its exit code, stdout and stderr."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *args: str) -> CliResult:
        from licencecmp.cli import main

        self.capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = self.capsys.readouterr()
        return CliResult(code, captured.out, captured.err)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """The one CLI fixture: ``code, out, err = cli("can", "mit", "use")``."""
    return Cli(capsys)
