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
# A second MCP client of another implementation for tests/mcp/test_protocol.py: the npm inspector's CLI mode,
# installed (pinned) before the tests when npm can reach its registry; the test skips with a reason otherwise.
if command -v npm >/dev/null 2>&1 && [ -z "${LICENCECMP_MCP_INSPECTOR:-}" ]; then
  NODE_TOOLS="$(cd "$(dirname "$VENV")" && pwd)/node-tools"
  if timeout 300 npm install --silent --no-audit --no-fund --prefix "$NODE_TOOLS" @modelcontextprotocol/inspector@0.15.0 \
      >/dev/null 2>&1; then
    export LICENCECMP_MCP_INSPECTOR="$NODE_TOOLS/node_modules/.bin/mcp-inspector"
  else
    echo "note: the MCP inspector could not be installed; its test will be skipped" >&2
  fi
fi
"$VENV/bin/python" -m pytest "$@"
if [ -f benchmarks/run.py ]; then
  "$VENV/bin/python" benchmarks/run.py --quick
fi
