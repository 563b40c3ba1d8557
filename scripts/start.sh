#!/usr/bin/env bash
# Installs what pinupload needs, then starts it; arguments go to `pinupload`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  # No screen: run on a virtual one so the app still starts.
  exec xvfb-run -a pinupload "$@"
fi
exec pinupload "$@"
