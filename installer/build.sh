#!/usr/bin/env bash
# Builds pinupload's one-folder bundle for the OS this runs on, into dist/:
#   Linux: dist/pinupload/ and dist/pinupload-VERSION-linux-ARCH.tar.gz
#   macOS: dist/pinupload.app (then installer/macos/make_dmg.sh for the dmg)
# Uses .venv (see scripts/setup.sh) unless PYTHON names another interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-.venv/bin/python}"
version="$("$python" -c 'import pinupload; print(pinupload.__version__)')"

start=$SECONDS
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/pinupload.spec
echo "bundle built in $((SECONDS - start)) s: $(du -sh dist/pinupload | cut -f1)"

case "$(uname -s)" in
  Linux)
    bash installer/linux/package.sh "$version" dist
    ;;
  Darwin)
    echo "dist/pinupload.app built; make the dmg with: bash installer/macos/make_dmg.sh"
    ;;
esac
