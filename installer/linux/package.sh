#!/usr/bin/env bash
# Packs a built bundle (DIST/pinupload) into DIST/pinupload-VERSION-linux-ARCH.tar.gz with
# the menu entry, the hicolor icons and install.sh.   Usage: package.sh VERSION [DIST]
set -euo pipefail
version="$1"
dist="$(cd "${2:-dist}" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
resources="$here/../../resources"
app_id="com.pinupload.Pinupload"
name="pinupload-$version-linux-$(uname -m)"

if [ ! -x "$dist/pinupload/pinupload" ]; then
  echo "package.sh: $dist/pinupload/pinupload not found; build the bundle first" >&2
  exit 1
fi
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root"
cp -a "$dist/pinupload" "$root/pinupload"
cp "$here/$app_id.desktop" "$here/install.sh" "$root/"
for png in "$resources"/icons/pinupload-*.png; do
  size="${png##*-}"
  size="${size%.png}"
  mkdir -p "$root/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$root/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
mkdir -p "$root/icons/hicolor/scalable/apps"
cp "$resources/pinupload.svg" "$root/icons/hicolor/scalable/apps/$app_id.svg"
tar -C "$stage" -czf "$dist/$name.tar.gz.part" "$name"
mv "$dist/$name.tar.gz.part" "$dist/$name.tar.gz"
echo "$dist/$name.tar.gz"
