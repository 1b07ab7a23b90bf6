"""Compatibility, combination and openness on the catalogue."""

from __future__ import annotations

import json

import pytest

import licencecmp
from licencecmp.reasoning.combination import Role, combine
from licencecmp.reasoning.compatibility import CompatVerdict, compat, matrix
from licencecmp.reasoning.openness import openness
from tests.conftest import Cli

CAT = licencecmp.catalogue()


def need(*ids: str) -> None:
    missing = [i for i in ids if i not in CAT]
    if missing:
        pytest.skip(f"licences not in the catalogue yet: {missing}")


def test_llama_to_mit_is_incompatible_with_the_travelling_clauses() -> None:
    r = compat(CAT.get("llama-3.1"), CAT.get("mit"))
    assert r.verdict is CompatVerdict.INCOMPATIBLE
    sections = {x.section for x in r.reasons if x.effect is CompatVerdict.INCOMPATIBLE}
    assert {"1.b.i", "2"} <= sections
    assert all(x.quote for x in r.reasons)


def test_mit_to_apache_keeps_the_notice() -> None:
    need("apache-2.0")
    r = compat(CAT.get("mit"), CAT.get("apache-2.0"))
    assert r.verdict in (CompatVerdict.CONDITIONAL, CompatVerdict.COMPATIBLE)
    assert any("notice" in x.text.lower() for x in r.reasons)


def test_every_licence_is_compatible_with_itself() -> None:
    for lic in CAT:
        assert compat(lic, lic).verdict is CompatVerdict.COMPATIBLE


def test_matrix_covers_every_pair() -> None:
    lics = list(CAT)
    cells = matrix(lics)
    assert len(cells) == len(lics) ** 2


def test_compat_cli_json_and_exit_codes(cli: Cli) -> None:
    code, out, _ = cli("compat", "llama-3.1", "mit", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "incompatible"
    assert {"upstream", "outbound", "verdict", "reasons", "schema_version"} <= set(data)
    assert {"licence", "section", "quote"} <= set(data["reasons"][0])
    code, _, _ = cli("compat", "mit", "mit")
    assert code == 0
    code, _, err = cli("compat", "mit", "nope")
    assert code == 2 and "unknown licence" in err


def test_matrix_cli(cli: Cli) -> None:
    code, out, _ = cli("matrix", "mit", "llama-3.1")
    assert code == 0 and "Legend" in out and "✗" in out
    code, out, _ = cli("matrix", "--format", "json")
    assert len(json.loads(out)["cells"]) == len([lic for lic in CAT if not lic.deprecated]) ** 2


def test_combination_lists_obligations_with_their_licence() -> None:
    c = combine([("base", "llama-3.1"), ("teacher", "mit")])
    obs = {(o.licence, o.id) for d in c.decisions.values() for o in d.obligations}
    assert ("llama-3.1", "name-prefix") in obs and ("llama-3.1", "display-attribution") in obs
    assert c.thresholds and c.thresholds[0].max == 700_000_000


def test_combine_llama_with_gemma_teacher() -> None:
    need("gemma")
    c = combine([("base", "llama-3.1"), ("teacher", "gemma")])
    obs = {(o.licence, o.id) for d in c.decisions.values() for o in d.obligations}
    assert ("llama-3.1", "name-prefix") in obs and ("llama-3.1", "display-attribution") in obs
    assert any(lic == "gemma" and kind == "pass-on-restrictions" for lic, kind in obs)
    assert any(lic == "gemma" and kind in ("notice-text", "include-licence") for lic, kind in obs)


def test_combine_cli(cli: Cli) -> None:
    code, out, _ = cli("combine", "--base", "llama-3.1", "--teacher", "mit")
    assert "Built with Llama" in out and "[llama-3.1]" in out
    code, out, _ = cli("combine", "--base", "llama-3.1", "--format", "json")
    data = json.loads(out)
    assert data["decisions"]["use"]["verdict"] == "conditional"
    code, _, err = cli("combine")
    assert code == 2 and "at least one input" in err


def test_openness() -> None:
    assert openness(CAT.get("mit")).open_source
    report = openness(CAT.get("llama-3.1"))
    assert not report.open_source and not report.freedoms["use"]
    crits = {r.criterion for r in report.reasons}
    assert "no-discrimination-against-persons-or-groups" in crits
    assert "no-discrimination-against-fields-of-endeavor" in crits


def test_openness_cli(cli: Cli) -> None:
    code, out, _ = cli("openness", "mit", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["open_source"] is True and data["osi_approved"] is True
    code, out, _ = cli("openness", "llama-3.1")
    assert code == 1 and "not open source" in out


def test_spdx_expressions() -> None:
    need("apache-2.0")
    licencecmp.catalogue()  # the catalogue is loaded
    from licencecmp.reasoning.expression import decide_name
    from licencecmp.scenario import make_scenario

    s = make_scenario()
    either = decide_name("Apache-2.0 OR LicenseRef-scancode-llama-3.1-license-2024", licencecmp.Action.USE, s)
    assert either.licence == "apache-2.0" and "OR" in either.reasons[0]
    both = decide_name("LicenseRef-scancode-llama-3.1-license-2024 AND Apache-2.0", licencecmp.Action.USE, s)
    assert set(both.upstream) | {both.licence} >= {"apache-2.0", "llama-3.1"} or "llama-3.1" in both.licence


def test_invalid_expression_names_the_token(cli: Cli) -> None:
    code, _, err = cli("can", "MIT AND Frobnicate-9", "use")
    assert code == 2 and "Frobnicate-9" in err
    code, _, err = cli("can", "MIT AND (", "use")
    assert code == 2 and "expression" in err


def test_roles_are_a_closed_set() -> None:
    assert {r.value for r in Role} == {"base", "teacher", "merge", "data"}
