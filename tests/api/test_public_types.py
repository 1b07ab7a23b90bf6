"""What the API returns is an instance of what it exports, and a user's script that uses every exported
name type-checks under mypy --strict (this file is that script: the project's mypy run covers tests/)."""

from __future__ import annotations

import ast
from pathlib import Path

import licencecmp
from licencecmp import (
    FACTS,
    SCHEMA_VERSION,
    Action,
    AmbiguousAliasError,
    Catalogue,
    Decision,
    ExpressionError,
    Facts,
    InputError,
    Kind,
    Licence,
    LicencecmpError,
    LicenceDataError,
    Matrix,
    Modality,
    ModelEntry,
    ObligationKind,
    Resolution,
    Sbom,
    Scenario,
    ScenarioError,
    Table,
    UnknownActionError,
    UnknownLicenceError,
    UnknownModelError,
    Verdict,
    __version__,
    can,
    catalogue,
    check,
    combine,
    compare,
    compat,
    evaluate,
    get,
    identify,
    make_scenario,
    matrix,
    openness,
    resolve,
    sbom,
    show,
)


def test_this_script_imports_every_exported_name() -> None:
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "licencecmp"
                for a in node.names}
    assert imported == set(licencecmp.__all__)


def test_the_api_returns_instances_of_its_exports(tmp_path: Path) -> None:
    mit: Licence = get("mit")
    assert isinstance(mit, Licence) and isinstance(show("mit"), Licence)
    cat: Catalogue = catalogue()
    assert isinstance(cat, Catalogue) and all(isinstance(m, ModelEntry) for m in cat.models())
    facts: Facts = {"mau": 1_000, "region": "DE"}
    scenario: Scenario = make_scenario(**facts)
    assert isinstance(scenario, Scenario) and set(facts) <= set(FACTS)
    decision: Decision = can("mit", Action.USE, **facts)
    assert isinstance(decision, Decision) and decision.verdict is Verdict.ALLOWED
    assert isinstance(evaluate(mit, Action.USE, scenario), Decision)
    assert isinstance(compare(["mit"], ["use"]), Table) and isinstance(matrix(["mit"]), Matrix)
    assert isinstance(resolve("meta-llama/Llama-3.1-8B"), Resolution)
    assert isinstance(sbom(tmp_path), Sbom)
    assert check(tmp_path).exit_code == 0
    assert compat("mit", "apache-2.0").verdict.permits
    assert combine(base=["mit"]).verdicts[Action.USE].permits
    assert not openness("llama-3.1").open_source
    assert identify("MIT License").closest in (None, "mit")
    assert mit.kind in Kind and Modality.TEXT.value == "text" and ObligationKind("give-credit")
    assert SCHEMA_VERSION and __version__
    errors: tuple[type[LicencecmpError], ...] = (AmbiguousAliasError, ExpressionError, InputError, LicenceDataError,
                                                 ScenarioError, UnknownActionError, UnknownLicenceError,
                                                 UnknownModelError)
    assert all(issubclass(e, LicencecmpError) for e in errors)
