#!/usr/bin/env bash
# Makes dist/pinupload-VERSION-macos.dmg from dist/pinupload.app (build it first with
# installer/build.sh): a window with the app and a link to /Applications to drag it to.
# Sign the app before this and the dmg after it: see "Build the installers" in README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-.venv/bin/python}"
version="$("$python" -c 'import pinupload; print(pinupload.__version__)')"
app="dist/pinupload.app"
dmg="dist/pinupload-$version-macos.dmg"

if [ ! -d "$app" ]; then
  echo "make_dmg.sh: $app not found; run: bash installer/build.sh" >&2
  exit 1
fi
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
# ditto keeps the signatures, extended attributes and symlinks inside the bundle.
ditto "$app" "$stage/pinupload.app"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -quiet -volname "pinupload $version" -srcfolder "$stage" \
  -fs HFS+ -format UDZO -imagekey zlib-level=9 -ov "$dmg"
hdiutil verify -quiet "$dmg"
echo "$dmg"
