#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked, throw-away
# gnome-keyring, so tests use a real Secret Service and never the user's own.
set -euo pipefail
if [ "${PINUPLOAD_IN_KEYRING_SESSION:-}" = "1" ]; then
  exec "$@"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
export PINUPLOAD_IN_KEYRING_SESSION=1
export PINUPLOAD_KEYRING_PASSWORD="$(head -c 24 /dev/urandom | base64)"
dbus-run-session -- bash -c '
  set -euo pipefail
  # Unlock first: any call to the secrets name before this would start it locked.
  printf %s "$PINUPLOAD_KEYRING_PASSWORD" \
    | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  unset PINUPLOAD_KEYRING_PASSWORD
  for _ in $(seq 1 100); do
    # NameHasOwner starts nothing, unlike a call to the service itself.
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
        string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
      exec "$@"
    fi
    sleep 0.1
  done
  echo "gnome-keyring did not start" >&2
  exit 1
' bash "$@"
