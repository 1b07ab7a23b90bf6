"""Errors. One base class; each error is also the builtin it resembles."""

from __future__ import annotations

import enum

__all__ = [
    "AmbiguousAliasError",
    "AmbiguousLicenceNameError",
    "CombinationError",
    "ExitCode",
    "ExpressionError",
    "FormatError",
    "InputError",
    "LicenceDataError",
    "LicenceNotInCatalogueError",
    "LicencecmpError",
    "ScenarioError",
    "UnknownActionError",
    "UnknownFactError",
    "UnknownLicenceError",
    "UnknownModelError",
]


class ExitCode(enum.IntEnum):
    """The command line's exit codes: a contract that CI jobs and scripts rely on."""

    OK = 0  # allowed or conditional; a check with no violation
    REFUSED = 1  # needs-permission, prohibited or unclear; a check with a violation
    USAGE = 2  # a usage or input error, reported in one line on stderr
    INTERNAL = 3  # a bug in licencecmp (reported in one line; LICENCECMP_DEBUG=1 for a traceback)
    INTERRUPTED = 130  # SIGINT
    TERMINATED = 143  # SIGTERM


class LicencecmpError(Exception):
    """Base class of every error licencecmp raises on purpose. The CLI maps it to exit 2."""

    def __str__(self) -> str:  # KeyError would repr() its argument
        return str(self.args[0]) if self.args else self.__class__.__name__


class UnknownLicenceError(LicencecmpError, KeyError):
    """A name that is neither a licence id, an alias, nor a model in the registry."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = list(suggestions or [])
        msg = f"unknown licence or model {name!r}"
        if self.suggestions:
            msg += f"; did you mean {', '.join(self.suggestions)}?"
        super().__init__(msg)


class UnknownModelError(UnknownLicenceError):
    """A model repo id that no source of the resolution chain knows. The message names the nearest
    known ids (when close) and the ways forward.

    >>> print(UnknownModelError("acme/x", reason="not in the registry"))  # doctest: +NORMALIZE_WHITESPACE
    unknown model 'acme/x' (not in the registry). To resolve it: look it up on the Hugging Face Hub with
    --online (or `licencecmp resolve acme/x --online`), or name the licence its card states (its licence
    id) instead of the model, or pin it in the repository with `licencecmp lock` (or the policy's models =
    [{ id, licence }])
    """

    def __init__(self, name: str, suggestions: list[str] | None = None, reason: str | None = None) -> None:
        super().__init__(name, suggestions)
        self.reason = reason
        msg = f"unknown model {name!r}" + (f" ({reason})" if reason else "")
        if self.suggestions:
            msg += f"; did you mean {', '.join(self.suggestions)}?"
        msg += "" if self.suggestions else "."
        msg += (f" To resolve it: look it up on the Hugging Face Hub with --online (or `licencecmp resolve {name} "
                "--online`), or name the licence its card states (its licence id) instead of the model, or pin it "
                "in the repository with `licencecmp lock` (or the policy's models = [{ id, licence }])")
        self.args = (msg,)


class AmbiguousAliasError(LicencecmpError, KeyError):
    """An alias that two licences claim."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} could mean {' or '.join(candidates)}; name one of them")


class AmbiguousLicenceNameError(AmbiguousAliasError):
    """A name that stands for no one licence: a family id (``gpl``, ``cc``), a name several makers use
    for different texts (``modified-mit``), or none at all (``other``). Resolve it through the model
    id or the licence text (``identify``); ``candidates`` are the catalogue licences it may mean."""

    def __init__(self, name: str, candidates: list[str], reason: str) -> None:
        self.reason = reason
        super().__init__(name, candidates)
        could = f"; it may mean {', '.join(candidates)}" if candidates else ""
        self.args = (f"{name!r} does not name one licence: {reason}{could}. Name the model (repo id) "
                     "or identify the licence text (licencecmp identify FILE)",)


class UnknownActionError(LicencecmpError, ValueError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown action {name!r}; known actions: {', '.join(known)}")


class ScenarioError(LicencecmpError, ValueError):
    """A bad fact in a scenario: an unknown country code, a negative number."""


class ExpressionError(LicencecmpError, ValueError):
    """An invalid SPDX licence expression."""


class InputError(LicencecmpError, ValueError):
    """A file the user named cannot be read or parsed."""


class LicenceDataError(LicencecmpError, ValueError):
    """A licence data file is invalid. Names the file."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class CombinationError(LicencecmpError, ValueError):
    """A combination that cannot be formed: no inputs, or an unknown role."""


class LicenceNotInCatalogueError(LicencecmpError, KeyError):
    """A licence that models use but the catalogue cannot encode (no official text is available).
    A model under it is reported by name, never passed."""

    def __init__(self, name: str, title: str, reason: str, model: str | None = None) -> None:
        self.name = name
        self.title = title
        self.reason = reason
        self.model = model
        of = f" of model {model!r}" if model else ""
        super().__init__(f"licence {name!r}{of} ({title}) is not in the catalogue: {reason}")


class FormatError(LicencecmpError, ValueError):
    """An output format that the renderer does not know."""


class UnknownFactError(LicencecmpError, ValueError):
    """A fact column of the comparison table that does not exist."""
