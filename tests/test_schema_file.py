"""docs/schema.json is generated from the pydantic schema (`licencecmp schema > docs/schema.json`)."""

from __future__ import annotations

import json

from licencecmp.schemas import json_schema
from tests.conftest import ROOT


def test_docs_schema_json_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema("licence"), "docs/schema.json is stale: run licencecmp schema > docs/schema.json"


def test_decision_schema_names_the_contract_fields() -> None:
    props = json_schema("decision")["properties"]
    assert {"licence", "action", "verdict", "obligations", "evidence", "reasons", "schema_version"} <= set(props)
