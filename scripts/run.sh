#!/usr/bin/env bash
# Set up a virtual environment with licencecmp installed and run the main job: the answer to
# "may a company with 800 million monthly active users use Llama 3.1 commercially?", then the
# catalogue. Usage: bash scripts/run.sh [licencecmp arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${LICENCECMP_VENV:-.venv}"
"${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e .
if [ "$#" -gt 0 ]; then
  exec "$VENV/bin/licencecmp" "$@"
fi
"$VENV/bin/licencecmp" can llama-3.1 commercial-use --mau 800000000 || true
"$VENV/bin/licencecmp" list
