#!/usr/bin/env bash
# Set up a fresh virtual environment, install licencecmp with its test extra, and run the tests,
# the compiled-catalogue check and the quick benchmarks. Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${LICENCECMP_CI_VENV:-.venv}"
PY="${PYTHON:-python3}"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[test]"
"$VENV/bin/python" -m licencecmp.compile --check
"$VENV/bin/python" -m pytest "$@"
if [ -f benchmarks/run.py ]; then
  "$VENV/bin/python" benchmarks/run.py --quick
fi
