"""licencecmp: what the licence of an open-weight AI model lets you do, with citations.

>>> import licencecmp
>>> licencecmp.can("llama-3.1", "commercial-use", mau=800_000_000).verdict
<Verdict.NEEDS_PERMISSION: 'needs-permission'>
"""

from __future__ import annotations

from .api import can, catalogue, get, make_scenario, resolve
from .catalogue import Catalogue
from .engine import Decision, Scenario, evaluate
from .errors import (
    AmbiguousAliasError,
    ExpressionError,
    InputError,
    LicencecmpError,
    LicenceDataError,
    ScenarioError,
    UnknownActionError,
    UnknownLicenceError,
    UnknownModelError,
)
from .model import SCHEMA_VERSION, Licence, ModelEntry
from .vocab import Action, Kind, Modality, ObligationKind, Verdict

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Action",
    "AmbiguousAliasError",
    "Catalogue",
    "Decision",
    "ExpressionError",
    "InputError",
    "Kind",
    "Licence",
    "LicenceDataError",
    "LicencecmpError",
    "Modality",
    "ModelEntry",
    "ObligationKind",
    "Scenario",
    "ScenarioError",
    "UnknownActionError",
    "UnknownLicenceError",
    "UnknownModelError",
    "Verdict",
    "__version__",
    "can",
    "catalogue",
    "evaluate",
    "get",
    "make_scenario",
    "resolve",
]
