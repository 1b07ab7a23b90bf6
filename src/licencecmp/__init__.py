"""licencecmp: what the licence of an open-weight AI model lets you do, with citations.

>>> import licencecmp
>>> licencecmp.can("llama-3.1", "commercial-use", mau=800_000_000).verdict
<Verdict.NEEDS_PERMISSION: 'needs-permission'>
>>> bool(licencecmp.can("mit", "use"))
True

The public names below are loaded on first use (PEP 562), so that ``import licencecmp`` and the
command line start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from licencecmp._version import __version__

if TYPE_CHECKING:  # pragma: no cover
    from licencecmp.api import (
        FACTS,
        Facts,
        Matrix,
        Resolution,
        Sbom,
        Table,
        can,
        check,
        combine,
        compare,
        compat,
        get,
        identify,
        matrix,
        openness,
        resolve,
        sbom,
        show,
    )
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.data.plain import SCHEMA_VERSION
    from licencecmp.data.records import Licence, ModelEntry
    from licencecmp.engine import Decision, evaluate
    from licencecmp.errors import (
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
    from licencecmp.scenario import Scenario, make_scenario
    from licencecmp.vocab import Action, Kind, Modality, ObligationKind, Verdict

_EXPORTS = {
    "can": "api", "get": "api", "show": "api", "resolve": "api", "compare": "api", "compat": "api",
    "matrix": "api", "combine": "api", "openness": "api", "identify": "api", "check": "api", "sbom": "api",
    "FACTS": "api", "Facts": "api", "Table": "api", "Matrix": "api", "Sbom": "api", "Resolution": "api",
    "make_scenario": "scenario", "Scenario": "scenario",
    "Catalogue": "data.catalogue",
    "Decision": "engine", "evaluate": "engine",
    "AmbiguousAliasError": "errors", "ExpressionError": "errors", "InputError": "errors",
    "LicencecmpError": "errors", "LicenceDataError": "errors", "ScenarioError": "errors",
    "UnknownActionError": "errors", "UnknownLicenceError": "errors", "UnknownModelError": "errors",
    "SCHEMA_VERSION": "data.plain", "Licence": "data.records", "ModelEntry": "data.records",
    "Action": "vocab", "Kind": "vocab", "Modality": "vocab", "ObligationKind": "vocab", "Verdict": "vocab",
}

# A literal list, so that type checkers treat every name as exported (a computed one they cannot read);
# tests/api/test_typed_users.py checks it equals the lazy table below plus catalogue and __version__.
__all__ = [
    "FACTS",
    "SCHEMA_VERSION",
    "Action",
    "AmbiguousAliasError",
    "Catalogue",
    "Decision",
    "ExpressionError",
    "Facts",
    "InputError",
    "Kind",
    "Licence",
    "LicenceDataError",
    "LicencecmpError",
    "Matrix",
    "Modality",
    "ModelEntry",
    "ObligationKind",
    "Resolution",
    "Sbom",
    "Scenario",
    "ScenarioError",
    "Table",
    "UnknownActionError",
    "UnknownLicenceError",
    "UnknownModelError",
    "Verdict",
    "__version__",
    "can",
    "catalogue",
    "check",
    "combine",
    "compare",
    "compat",
    "evaluate",
    "get",
    "identify",
    "make_scenario",
    "matrix",
    "openness",
    "resolve",
    "sbom",
    "show",
]


def catalogue() -> Catalogue:
    """The catalogue shipped with the package: iterate it for every `Licence`.

    Examples:
        >>> import licencecmp
        >>> "llama-3.1" in licencecmp.catalogue()
        True
    """
    from licencecmp.data.catalogue import default_catalogue

    return default_catalogue()


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'licencecmp' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
