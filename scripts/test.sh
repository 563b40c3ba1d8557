#!/usr/bin/env bash
# Installs what the tests need, checks format, lint and types, runs the suite, and
# (with no arguments, on Linux) builds the app and runs its selftest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
ruff format --check .
ruff check .
mypy
bash scripts/with-keyring.sh python -m pytest "$@"
# The whole suite also proves the shipped app: build the Linux bundle and fail unless the
# unpacked tarball passes its own --selftest. Skipped when only some tests were asked for.
if [ "$#" -eq 0 ] && [ "$(uname -s)" = "Linux" ]; then
  bash installer/check_bundle.sh
fi
