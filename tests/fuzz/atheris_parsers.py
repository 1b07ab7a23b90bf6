"""Coverage-guided fuzzing of every licencecmp parser with atheris (libFuzzer). Not collected by
pytest (the name does not start with ``test_``); the hypothesis suite beside it is what CI runs.

    pip install atheris
    python tests/fuzz/atheris_parsers.py -atheris_runs=200000 -timeout=10 -max_len=65536 [CORPUS_DIR]
    python tests/fuzz/atheris_parsers.py -only_target=policy ...   # one parser (see TARGETS)

The first byte of each input picks a parser; the rest is the input. The contract is the one the
hypothesis suite checks: a result or a LicencecmpError. Any other exception is a crash that
libFuzzer saves as ``crash-<sha1>``; an input that runs past ``-timeout`` seconds is a hang.
Replay a saved input with ``python tests/fuzz/atheris_parsers.py crash-<sha1>``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

with atheris.instrument_imports():
    from licencecmp import cli
    from licencecmp.data.catalogue import Catalogue, default_catalogue
    from licencecmp.errors import LicencecmpError
    from licencecmp.reasoning import expression, identify
    from licencecmp.render import escape
    from licencecmp.scan import cards, policy, reading, results
    from licencecmp.scan import files as scan_files
    from licencecmp.scan import sboms as sbom
    from licencecmp.scenario import Scenario
    from licencecmp.vocab import Action

CAT = default_catalogue()
IDS = {m.id.lower(): m.id for m in CAT.models()}
ROOT = Path(__file__).resolve().parents[2]
LICENCES = ROOT / "licences"
WORK = Path(tempfile.mkdtemp(prefix="licencecmp-atheris-"))


def _write(name: str, data: bytes) -> Path:
    path = WORK / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def t_policy(data: bytes) -> None:
    policy.load_policy(_write("licencecmp.toml", data))


def t_pyproject(data: bytes) -> None:
    path = _write("pyproject.toml", b"[tool.licencecmp]\n" + data)
    policy.find_policy(WORK)
    policy.load_policy(path)


def t_card(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    with contextlib.suppress(ValueError):
        cards.load_yaml_bounded(text)
    res = results.ScanResult(root=WORK)
    cards.scan_card(text, "README.md", WORK, True, res)


def _sbom(name: str, kind: str) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        res = results.ScanResult(root=WORK)
        sbom.read_sbom(_write(name, data), name, kind, data, IDS, res)

    return run


def t_expression(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    expression.decide_name(text, Action.USE, Scenario(), CAT)


def t_licence(data: bytes) -> None:
    folder = WORK / "licences"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.toml"):
        old.unlink()
    (folder / "x.toml").write_bytes(data)
    (folder / "_territories.toml").write_bytes((LICENCES / "_territories.toml").read_bytes())
    list(Catalogue.from_sources(folder))


def t_identify(data: bytes) -> None:
    identify.identify_file(_write("LICENSE", data), CAT)


def t_argv(data: bytes) -> None:
    args = [a for a in data.decode("utf-8", "replace").split("\0") if "/" not in a and a.strip(".")][:12]
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(WORK)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main(args)
    except SystemExit as exc:
        if exc.code not in (0, 1, 2, None):
            raise RuntimeError(f"licencecmp {args!r} exited {exc.code}: {err.getvalue()}") from None
        if exc.code == 2 and len(err.getvalue().splitlines()) != 1:
            raise RuntimeError(f"exit 2 without exactly one line: {err.getvalue()!r}") from None
    finally:
        os.chdir(cwd)


def t_gitignore(data: bytes) -> None:
    """The gitignore matcher: patterns, then paths; strict mode raises only LicencecmpError."""
    text = data.decode("utf-8", "replace")
    patterns, _, paths = text.partition("\0")
    rules = scan_files.gitignore_spec(patterns.splitlines())
    for path in paths.splitlines()[:100] or ["a/b.py"]:
        rules.match_file(path[:4096])
    scan_files.gitignore_spec(patterns.splitlines(), strict=True)


def t_reader(data: bytes) -> None:
    """The file reader and classifier, and every escaper on the decoded text."""
    path = _write("reader/file.py", data)
    got = reading.read_capped(path, 1 << 20)
    reading.classify(got, "file.py")
    text = got.decode("utf-8", "surrogateescape")
    for fn in (escape.text, escape.github_data, escape.github_prop, escape.markdown, escape.markdown_code,
               escape.junit, escape.spdx_tv, escape.scrub):
        fn(text).encode("utf-8")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "policy": t_policy, "pyproject": t_pyproject, "card": t_card,
    "spdx-json": _sbom("bom.spdx.json", "spdx"), "spdx-yaml": _sbom("bom.spdx.yaml", "spdx"),
    "spdx-tv": _sbom("bom.spdx", "spdx"), "cyclonedx": _sbom("bom.cdx.json", "cyclonedx"),
    "expression": t_expression, "licence": t_licence, "identify": t_identify, "argv": t_argv,
    "gitignore": t_gitignore, "reader": t_reader,
}
NAMES = sorted(TARGETS)
ONLY = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("-only_target=")), None)


def one_input(data: bytes) -> None:
    if ONLY:
        name, body = ONLY, data
    else:
        if not data:
            return
        name, body = NAMES[data[0] % len(NAMES)], data[1:]
    with contextlib.suppress(LicencecmpError):
        TARGETS[name](body)


def main() -> None:
    if ONLY and ONLY not in TARGETS:
        raise SystemExit(f"unknown target {ONLY!r}; one of {', '.join(NAMES)}")
    argv = [a for a in sys.argv if not a.startswith("-only_target=")]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
