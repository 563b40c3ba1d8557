#!/usr/bin/env bash
# Installs what the tests need, then checks format, lint and types and runs the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
ruff format --check .
ruff check .
mypy
bash scripts/with-keyring.sh python -m pytest "$@"
