"""licencecmp: what the licence of an open-weight AI model lets you do, with citations.

>>> import licencecmp
>>> licencecmp.can("llama-3.1", "commercial-use", mau=800_000_000).verdict
<Verdict.NEEDS_PERMISSION: 'needs-permission'>

The public names below are loaded on first use (PEP 562), so that ``import licencecmp`` and the
command line start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import catalogue as _catalogue_module  # loaded first: the function below takes its name
from ._version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .api import can, get, make_scenario, resolve
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

_EXPORTS = {
    "can": "api", "get": "api", "make_scenario": "api", "resolve": "api",
    "Catalogue": "catalogue",
    "Decision": "engine", "Scenario": "engine", "evaluate": "engine",
    "AmbiguousAliasError": "errors", "ExpressionError": "errors", "InputError": "errors",
    "LicencecmpError": "errors", "LicenceDataError": "errors", "ScenarioError": "errors",
    "UnknownActionError": "errors", "UnknownLicenceError": "errors", "UnknownModelError": "errors",
    "SCHEMA_VERSION": "model", "Licence": "model", "ModelEntry": "model",
    "Action": "vocab", "Kind": "vocab", "Modality": "vocab", "ObligationKind": "vocab", "Verdict": "vocab",
}

__all__ = sorted([*_EXPORTS, "__version__", "catalogue"])


def catalogue() -> Catalogue:
    """The catalogue shipped with the package: iterate it for every :class:`Licence`."""
    return _catalogue_module.default_catalogue()


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'licencecmp' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
