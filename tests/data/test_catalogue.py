"""The compiled catalogue equals the validated sources; every licence round-trips; the data
ships in a built wheel and an installed, non-editable package finds it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from licencecmp.data.catalogue import Catalogue, compiled_path, load_sources
from licencecmp.data.compile import compile_sources, render
from licencecmp.data.records import Licence
from licencecmp.vocab import Action
from tests.conftest import LICENCES, ROOT


def test_compiled_catalogue_is_current() -> None:
    assert compiled_path().read_text(encoding="utf-8") == render(compile_sources(LICENCES)), (
        "src/licencecmp/data/catalogue.json is stale: run python -m licencecmp.compile"
    )


def test_every_licence_round_trips_and_covers_every_action() -> None:
    licences, _, _ = load_sources(LICENCES)
    for lic in licences:
        again = Licence.model_validate_json(lic.model_dump_json())
        assert again == lic
        assert set(lic.actions) == set(Action)


def test_compiled_equals_sources() -> None:
    data = json.loads(compiled_path().read_text(encoding="utf-8"))
    compiled = Catalogue.from_compiled(data)
    source = Catalogue.from_sources(LICENCES)
    assert compiled.ids() == source.ids()
    for lid in source.ids():
        assert compiled.licence(lid) == source.licence(lid)
    assert compiled.models() == source.models()


def _freeze_counts(code: str) -> list[int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("LICENCECMP_DATA", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    counts: list[int] = json.loads(out.stdout.splitlines()[-1])
    return counts


def test_a_program_that_imports_the_library_keeps_its_collector() -> None:
    """Loading the catalogue freezes nothing in a program that imports licencecmp (``gc.freeze`` is a
    process-wide effect): only a process licencecmp owns asks for it."""
    assert _freeze_counts(
        "import gc, json; import licencecmp; from licencecmp.data.catalogue import default_catalogue; "
        "default_catalogue(); licencecmp.can('mit', 'use'); print(json.dumps([gc.get_freeze_count()]))") == [0]


def test_an_owned_process_freezes_the_loaded_catalogue() -> None:
    """Asked before the catalogue loads, the freeze comes once it is loaded (not before: nothing is
    frozen at the ask); asked after, at once. The CLI's entry point asks."""
    before, at_load = _freeze_counts(
        "import gc, json; from licencecmp.data.catalogue import default_catalogue, freeze_once_loaded; "
        "freeze_once_loaded(); n = gc.get_freeze_count(); default_catalogue(); "
        "print(json.dumps([n, gc.get_freeze_count()]))")
    assert before == 0 and at_load > 0
    (after,) = _freeze_counts(
        "import gc, json; from licencecmp.data.catalogue import default_catalogue, freeze_once_loaded; "
        "default_catalogue(); freeze_once_loaded(); print(json.dumps([gc.get_freeze_count()]))")
    assert after > 0
    (cli,) = _freeze_counts(
        "import gc, json, contextlib, io\nfrom licencecmp.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['can', 'mit', 'use'])\nprint(json.dumps([gc.get_freeze_count()]))")
    assert cli > 0


def test_licence_ids_follow_the_shared_list(texts_dir: Path) -> None:
    """Every id is well formed, and an id the shared list names is spelled exactly as there. A licence
    newer than the list passes without an edit outside the repository, unless its id is a near spelling
    of a listed one (``llama3.1`` for ``llama-3.1``): that is the mistake the list guards against."""
    import re

    ids_md = (texts_dir.parent / "licence-ids.md").read_text(encoding="utf-8")
    # The id column (the second) of each table row; a row may name more than one id ("`dots-ocr`, `dots-mocr`").
    canonical = {lid for row in ids_md.splitlines() if row.startswith("|") and row.count("|") >= 4
                 for lid in re.findall(r"`([a-z0-9.\-]+)`", row.split("|")[2])}
    ours = {p.stem for p in LICENCES.glob("*.toml") if not p.name.startswith("_")}
    malformed = sorted(i for i in ours if not re.fullmatch(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", i))
    assert malformed == [], f"ids must be lower case, digits, dots and hyphens: {malformed}"

    def squash(lid: str) -> str:
        return re.sub(r"[^a-z0-9]", "", lid)

    listed = {squash(c): c for c in canonical}
    near = sorted(f"{i} (listed: {listed[squash(i)]})" for i in ours - canonical if squash(i) in listed)
    assert near == [], f"ids spelled unlike licence-ids.md: {near}"


@pytest.mark.slow
def test_installed_wheel_finds_its_data(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir),
         str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheel_dir.glob("licencecmp-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "licencecmp/data/catalogue.json" in names and "licencecmp/py.typed" in names
    assert "licencecmp/data/licences/mit.toml" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("LICENCECMP_DATA", None)
    res = subprocess.run(
        [sys.executable, "-c", "import licencecmp, sys; print(licencecmp.__file__); "
         "print(licencecmp.can('llama-3.1', 'commercial-use', mau=800_000_000).verdict.value)"],
        capture_output=True, text=True, env=env, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    where, verdict = res.stdout.split()
    assert where.startswith(str(target)) and verdict == "needs-permission"
