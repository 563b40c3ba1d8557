#!/usr/bin/env bash
# Installs pinupload for this user only (no root): the app under ~/.local/opt, a
# `pinupload` command in ~/.local/bin, and a menu entry that opens spreadsheets.
#   ./install.sh              install, or update over an older copy
#   ./install.sh --uninstall  remove it again (your data and tokens stay)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_id="com.pinupload.Pinupload"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
app_dir="$HOME/.local/opt/pinupload"
bin_link="$HOME/.local/bin/pinupload"
desktop="$data_home/applications/$app_id.desktop"
icons="$data_home/icons/hicolor"

refresh_menus() {
  # Optional helpers: menus pick the change up without them, only later.
  command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database -q "$data_home/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 \
    && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$app_dir"
  rm -f "$desktop"
  [ -L "$bin_link" ] && rm -f "$bin_link"
  find "$icons" -name "$app_id.*" -delete 2>/dev/null || true
  refresh_menus
  echo "pinupload removed. Your data and saved tokens were left in place."
  exit 0
fi
if [ ! -x "$here/pinupload/pinupload" ]; then
  echo "install.sh: no pinupload/pinupload next to this script; unpack the whole tarball" >&2
  exit 1
fi

mkdir -p "$(dirname "$app_dir")" "$(dirname "$bin_link")" "$(dirname "$desktop")"
# Copy beside, then swap, so a failed copy never leaves half an app behind.
rm -rf "$app_dir.new"
cp -a "$here/pinupload" "$app_dir.new"
rm -rf "$app_dir"
mv "$app_dir.new" "$app_dir"
ln -sfn "$app_dir/pinupload" "$bin_link"

(cd "$here/icons/hicolor" && find . -type f) | while read -r icon; do
  mkdir -p "$icons/$(dirname "$icon")"
  cp "$here/icons/hicolor/$icon" "$icons/$icon"
done
# The menu may not search ~/.local/bin: point Exec and TryExec at the app itself.
sed -e "s|^Exec=pinupload |Exec=\"$app_dir/pinupload\" |" \
    -e "s|^TryExec=pinupload\$|TryExec=$app_dir/pinupload|" \
    "$here/$app_id.desktop" > "$desktop"
refresh_menus
echo "pinupload installed in $app_dir"
echo "Start it from the applications menu, with 'Open with' on a spreadsheet,"
echo "or as $bin_link."
