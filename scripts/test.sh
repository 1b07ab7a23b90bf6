#!/usr/bin/env bash
# Set up a fresh virtual environment, install licencecmp with its test and docs extras, and run the
# compiled-catalogue and generated-docs checks, the docs build (strict), the tests and the quick
# benchmarks. Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${LICENCECMP_CI_VENV:-.venv}"
PY="${PYTHON:-python3}"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[test,docs,lint]"
# Lint and type-check (ruff, mypy --strict on the package and the tests).
"$VENV/bin/python" -m ruff check src tests scripts benchmarks
"$VENV/bin/python" -m mypy
"$VENV/bin/python" -m mypy --strict benchmarks
# The layers and the forbidden imports of [tool.importlinter] (pyproject.toml), lazy imports included.
"$VENV/bin/lint-imports" --no-cache
# Nothing generated is stale: the compiled catalogue, identify index and records, docs/schema.json and
# the docs pages (python scripts/regenerate.py rewrites them all).
"$VENV/bin/python" scripts/regenerate.py --check
# The documentation site, warnings as errors (built into a temporary folder).
NO_MKDOCS_2_WARNING=1 "$VENV/bin/python" -m mkdocs build --strict --quiet --site-dir "$(mktemp -d)/site"
"$VENV/bin/python" -m pytest "$@"
if [ -f benchmarks/run.py ]; then
  "$VENV/bin/python" benchmarks/run.py --quick
fi
