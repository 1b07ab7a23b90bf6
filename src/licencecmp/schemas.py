"""JSON Schemas of the data licencecmp reads and writes."""

from __future__ import annotations

from typing import Any

from licencecmp.errors import LicencecmpError

__all__ = ["json_schema"]


def json_schema(name: str) -> dict[str, Any]:
    if name == "licence":
        from licencecmp.data.schema import Licence

        return Licence.model_json_schema()
    if name == "decision":
        from licencecmp.data.results import Decision

        return Decision.model_json_schema()
    if name == "policy":
        try:
            from licencecmp.scan.policy_model import Policy
        except ImportError:
            raise LicencecmpError("the policy schema is not available in this version") from None
        return Policy.model_json_schema()
    raise LicencecmpError(f"unknown schema {name!r}; known: licence, decision, policy")
