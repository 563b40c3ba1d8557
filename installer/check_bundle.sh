#!/usr/bin/env bash
# Builds the Linux bundle and tarball, unpacks the tarball as a user would, and fails
# unless the unpacked app prints its version and passes --selftest offscreen, against
# a real Secret Service (scripts/with-keyring.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-.venv/bin/python}"
version="$("$python" -c 'import pinupload; print(pinupload.__version__)')"
start=$SECONDS
bash installer/build.sh
built=$((SECONDS - start))

name="pinupload-$version-linux-$(uname -m)"
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
tar -C "$unpacked" -xzf "dist/$name.tar.gz"
app="$unpacked/$name/pinupload/pinupload"

printed="$("$app" --version)"
if [ "$printed" != "pinupload $version" ]; then
  echo "check_bundle.sh: the bundle says '$printed', not 'pinupload $version'" >&2
  exit 1
fi
# No screen even where the developer has one: this must work headless, as in CI.
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
  bash scripts/with-keyring.sh "$app" --selftest
echo "bundle ok: built in ${built} s, $(du -sh dist/pinupload | cut -f1)" \
  "($(du -h "dist/$name.tar.gz" | cut -f1) tarball)"
