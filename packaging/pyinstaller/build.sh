#!/usr/bin/env bash
# Build the frozen one-folder app for Linux with PyInstaller and smoke-run it:
# --version, config init + check, next --json, the tray icon docking under Xvfb, and a
# patched copy of an LGPL package (pystray) really being the one loaded.
#
#   packaging/pyinstaller/build.sh [WHEEL]   # leaves dist/pyinstaller/movebreak/
#
# The build runs in a fresh venv holding only the wheel and PyInstaller, so the app
# carries exactly the wheel's dependencies (not the dev venv's extras, not an editable
# checkout). Linux's frozen app has no GTK inside and so no tray menu (see
# frozen_options.py); it proves the spec that macOS and Windows builds use.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need_module build "build>=1.2"
for tool in Xvfb:xvfb trayer:trayer dunst:dunst xdotool:xdotool dbus-daemon:dbus; do
  need_tool "${tool%%:*}" "${tool#*:}"
done
PYINSTALLER_REQ=${PYINSTALLER_REQ:-"pyinstaller>=6.10,<7"}
HERE="$REPO/packaging/pyinstaller"
version=$(app_version)
tmp=$(mktemp -d /tmp/movebreak-frozen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

wheel=${1:-}
if [ -z "$wheel" ]; then
  step "frozen: build the wheel" "$PY" -m build --wheel --outdir "$tmp/wheel" "$REPO"
  wheel="$tmp/wheel/movebreak-$version-py3-none-any.whl"
fi
[ -f "$wheel" ] || fail "no wheel at $wheel"

step "frozen: build venv" "$PY" -m venv "$tmp/venv"
step "frozen: install the wheel and PyInstaller" "$tmp/venv/bin/python" -m pip install \
  "$wheel" "$PYINSTALLER_REQ"
rm -rf "$DIST/pyinstaller/movebreak"
t0=$SECONDS
step "frozen: pyinstaller movebreak.spec" "$tmp/venv/bin/pyinstaller" --noconfirm --clean \
  --distpath "$DIST/pyinstaller" --workpath "$tmp/work" "$HERE/movebreak.spec"
build_s=$((SECONDS - t0))
app="$DIST/pyinstaller/movebreak"
step "frozen: LGPL outside the PYZ, licences and data inside" "$tmp/venv/bin/python" \
  "$HERE/inspect_build.py" "$app"

smoke() {
  local home="$tmp/home"
  mkdir -p "$home"
  cd "$home"
  export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state"
  out=$("$app/movebreak" --version)
  [ "$out" = "movebreak $version" ] || { echo "--version said: $out"; return 1; }
  "$app/movebreak" config init
  "$app/movebreak" config check
  "$app/movebreak" next --days 7 --json | "$PY" -c 'import json,sys; assert json.load(sys.stdin)'
}
step "frozen: --version, config check, next --json" smoke

step "frozen: tray icon under Xvfb" "$PY" "$REPO/packaging/check_tray.py" --name frozen \
  --autostart -- "$app/movebreak" -v
tray=$(tail -n 1 "$LOG_DIR/frozen-tray-icon-under-Xvfb.log")

# Replaceable means replaced: a copy whose lgpl/pystray says where it was loaded from.
probe() {
  cp -a "$app" "$tmp/probe-app"
  cat >>"$tmp/probe-app/_internal/lgpl/pystray/__init__.py" <<'EOF'

import os as _probe_os  # added by packaging/pyinstaller/build.sh's replaceability check
if _probe_os.environ.get("MOVEBREAK_LGPL_PROBE"):
    with open(_probe_os.environ["MOVEBREAK_LGPL_PROBE"], "w") as _probe:
        _probe.write(__file__)
EOF
  MOVEBREAK_LGPL_PROBE="$tmp/probe.txt" "$PY" "$REPO/packaging/check_tray.py" \
    --name frozen-lgpl-probe -- "$tmp/probe-app/movebreak" -v
  grep -q "_internal/lgpl/pystray/__init__.py" "$tmp/probe.txt" \
    || { echo "the patched pystray was not loaded: $(cat "$tmp/probe.txt" 2>/dev/null)"; return 1; }
}
step "frozen: a replaced LGPL file is the one loaded" probe

echo "frozen: OK: PyInstaller one-folder $app ($(du -sm "$app" | cut -f1) MB, built in" \
  "${build_s} s); --version, config check, next --json; ${tray#tray: }; LGPL packages" \
  "are plain files in _internal/lgpl and a patched one is loaded; $(elapsed)"
