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
# The frozen engine must read the bundled sample exactly as the source tree does.
sample="$unpacked/$name/pinupload/_internal/resources/sample.xlsx"
if [ -f resources/sample.xlsx ]; then
  export PINUPLOAD_HOME="$unpacked/home"
  "$app" check --json "$sample" > "$unpacked/frozen.json" || [ $? -eq 1 ]
  "$python" -m pinupload check --json resources/sample.xlsx > "$unpacked/source.json" \
    || [ $? -eq 1 ]
  "$python" - "$unpacked/frozen.json" "$unpacked/source.json" <<'PY'
import json, sys
frozen, source = (json.load(open(path)) for path in sys.argv[1:])
for report in (frozen, source):
    for key in ("file", "checked_at"):
        report.pop(key, None)
if frozen != source or not frozen.get("rows"):
    sys.exit(f"check_bundle.sh: the bundle checks the sample differently:\n{frozen}")
print(f"frozen engine ok: {frozen['rows']} sample rows, as from source")
PY
fi
# No screen even where the developer has one: this must work headless, as in CI.
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 \
  bash scripts/with-keyring.sh "$app" --selftest
echo "bundle ok: built in ${built} s, $(du -sh dist/pinupload | cut -f1)" \
  "($(du -h "dist/$name.tar.gz" | cut -f1) tarball)"
