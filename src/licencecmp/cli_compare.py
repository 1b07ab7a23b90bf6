"""`licencecmp` commands for compare (registered on the shared typer app)."""

from __future__ import annotations

from .cli import app  # noqa: F401
