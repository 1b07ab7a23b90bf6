"""The plain result classes (``reasoning/plainresult.py``) dump what their former pydantic models
dumped: the same models are declared here, filled from a plain result, and both dumps compared
(``model_dump(mode="json")`` and, for identify's one-file output, ``model_dump_json(indent=2)``
byte for byte)."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ConfigDict, Field, computed_field

import licencecmp
from licencecmp.data.records import Citation, Provenance
from licencecmp.reasoning.identify import IdentifyVerdict, identify_text
from licencecmp.reasoning.openness import openness
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, Verdict

from ..conftest import need_shared


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Nearest(_Out):
    id: str
    part: str
    score: float


class Passage(_Out):
    text: str
    words: int


class Identification(_Out):
    schema_version: str
    licence: str | None
    part: str | None = None
    score: float
    nearest: tuple[Nearest, ...]
    differences: tuple[str, ...]
    verdict: IdentifyVerdict = IdentifyVerdict.different
    closest: str | None = None
    coverage: float = 0.0
    added_words: int = 0
    added: tuple[Passage, ...] = ()


class Cell(_Out):
    verdict: Verdict | None = None
    text: str
    notes: tuple[str, ...] = ()
    evidence: tuple[Citation, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        if self.verdict is None:
            return self.text
        head = f"{self.verdict.symbol} {self.verdict.value}"
        return f"{head}: {self.text}" if self.text else head


class Row(_Out):
    name: str
    licence: str
    model: str | None = None
    upstream: tuple[str, ...] = ()
    title: str
    cells: dict[Action, Cell]
    facts: dict[str, Cell]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        if self.model is None:
            return self.licence
        ups = f" + {', '.join(self.upstream)}" if self.upstream else ""
        return f"{self.model} ({self.licence}{ups})"


class Comparison(_Out):
    schema_version: str
    scenario: Scenario
    scenario_text: str
    actions: tuple[Action, ...]
    facts: tuple[str, ...]
    rows: tuple[Row, ...]
    resolved: tuple[Provenance, ...] = Field(default=())


class Criterion(_Out):
    criterion: str
    text: str
    licence: str
    section: str
    quote: str


class OpennessReport(_Out):
    schema_version: str
    licence: str
    open_source: bool
    osi_approved: bool
    reasons: tuple[Criterion, ...]
    freedoms: dict[str, bool]
    unsettled: tuple[Criterion, ...] = ()
    training_data: str = "unknown"
    resolved: tuple[Provenance, ...] = ()


def _texts() -> list[str]:
    texts = need_shared()
    names = ["mit.txt", "apache-2.0.txt", "llama3.2.txt", "gemma.txt"]
    found = [(texts / n).read_text(encoding="utf-8") for n in names if (texts / n).is_file()]
    return [*found, found[0] + "\nYou must also dance on Tuesdays; “quoted” — ünïcödé, \t\x7f.\n",
            "just some words", ""]


@pytest.mark.parametrize("index", range(6))
def test_identification_json_is_pydantics(index: int) -> None:
    text = _texts()[index]
    plain = identify_text(text)
    model = Identification.model_validate(plain.model_dump(mode="json"))
    assert plain.model_dump_json(indent=2) == model.model_dump_json(indent=2)
    assert json.loads(plain.model_dump_json()) == json.loads(model.model_dump_json())
    assert set(plain.model_fields) == set(Identification.model_fields)


@pytest.mark.parametrize("names", [["deepseek-ai/DeepSeek-R1", "llama-3.1", "gemma", "qwen", "hunyuan"],
                                   ["mit", "cc-by-nc-4.0", "llama-3.2"]])
def test_comparison_json_is_pydantics(names: list[str]) -> None:
    for facts in ({}, {"mau": 800_000_000, "used_in": ["DE"], "annual_revenue": 1.5e9}):
        plain = licencecmp.compare(names, **facts)  # type: ignore[arg-type]
        data = plain.model_dump(mode="json")
        for row in data["rows"]:  # the computed labels are output, not input
            row.pop("label")
            for cell in [*row["cells"].values(), *row["facts"].values()]:
                cell.pop("label")
        model = Comparison.model_validate(data)
        assert plain.model_dump(mode="json") == model.model_dump(mode="json")
        assert json.loads(plain.model_dump_json()) == json.loads(model.model_dump_json())
        assert dict(plain).keys() == dict(model).keys()


@pytest.mark.parametrize("licence", ["mit", "llama-3.1", "gemma", "cc-by-nc-4.0", "apache-2.0"])
def test_openness_json_is_pydantics(licence: str) -> None:
    plain = openness(licencecmp.catalogue().licence(licence))
    model = OpennessReport.model_validate(plain.model_dump(mode="json"))
    assert plain.model_dump(mode="json") == model.model_dump(mode="json")
    assert plain.model_copy(update={"licence": "x"}).licence == "x" and plain.licence == licence
