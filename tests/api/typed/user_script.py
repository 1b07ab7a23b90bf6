"""A user's script, as a typed project would write it: every exported function of licencecmp.

tests/api/test_typed_users.py runs ``mypy --strict`` on this file with no configuration of ours
(what a user gets), and runs it."""

from __future__ import annotations

import pathlib
import tempfile

import licencecmp
from licencecmp import (
    SCHEMA_VERSION,
    Action,
    Catalogue,
    Decision,
    Facts,
    LicencecmpError,
    Matrix,
    Resolution,
    Sbom,
    Scenario,
    Table,
    UnknownLicenceError,
    Verdict,
)

decision: Decision = licencecmp.can("llama-3.1", "commercial-use", mau=800_000_000, region="DE")
assert decision.verdict == Verdict.NEEDS_PERMISSION and not bool(decision)
assert licencecmp.can("mit", Action.USE, used_in=["FR", "DE"], purpose="research").permits
facts: Facts = {"mau": 1_000, "commercial": True}
assert licencecmp.can("gemma", "serve", **facts).verdict.value in {"allowed", "conditional"}

assert licencecmp.get("llama3.1").id == licencecmp.show("llama-3.1").id
table: Table = licencecmp.compare(["llama-3.1", "mit"], ["serve"], facts=[], mau=10)
assert "| mit " in table.render("github")
assert licencecmp.compat("mit", "gpl-3.0").verdict.value == "conditional"
grid: Matrix = licencecmp.matrix(["mit", "gpl-3.0"])
assert grid.cell("gpl-3.0", "mit").verdict.value == "incompatible"
combined = licencecmp.combine(base="llama-3.1", data=["cc-by-nc-4.0"], mau=10)
assert combined.verdicts["commercial-use"] == "needs-permission"
assert licencecmp.openness("apache-2.0").open_source
assert licencecmp.identify("just some words").licence is None
where: Resolution = licencecmp.resolve("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
assert where.licence == "mit"

repo = pathlib.Path(tempfile.mkdtemp())
(repo / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B"\n', encoding="utf-8")
assert int(licencecmp.check(repo).exit_code) in (0, 1)
bom: Sbom = licencecmp.sbom(repo)
assert [m.model for m in bom.models] == ["meta-llama/Llama-3.1-8B"]

cat: Catalogue = licencecmp.catalogue()
scenario: Scenario = licencecmp.make_scenario(mau=5, domicile="DE")
assert licencecmp.evaluate(cat.licence("mit"), "use", scenario).verdict == "allowed"
assert SCHEMA_VERSION and licencecmp.__version__ and licencecmp.FACTS
assert isinstance(licencecmp.Licence, type) and isinstance(licencecmp.ModelEntry, type)
assert {k.value for k in licencecmp.Kind} and {m.value for m in licencecmp.Modality}
assert {o.value for o in licencecmp.ObligationKind}

try:
    licencecmp.get("llama-9")
except UnknownLicenceError as err:
    assert isinstance(err, LicencecmpError) and isinstance(err, KeyError)
for error in (licencecmp.AmbiguousAliasError, licencecmp.ExpressionError, licencecmp.InputError,
              licencecmp.LicenceDataError, licencecmp.ScenarioError, licencecmp.UnknownActionError,
              licencecmp.UnknownModelError):
    assert issubclass(error, LicencecmpError)
