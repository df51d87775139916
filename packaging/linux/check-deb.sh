#!/usr/bin/env bash
# Check the .deb as a Debian user meets it: inspect it, install it with apt, run the
# installed /usr/bin/movebreak, start its tray on a virtual desktop and open the menu,
# then purge it again.
#
#   packaging/linux/check-deb.sh [DEB]     # default: the newest dist/movebreak_*.deb
#
# Needs root (apt-get install), the virtual desktop of the end-to-end tests (xvfb trayer
# dunst xdotool dbus), desktop-file-utils and appstream; lintian is used when installed.
# Purging leaves the dependencies apt pulled in (python3-xlib, ...): `apt-get autoremove`
# would also remove other packages nobody marked as wanted, on a machine others share.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need_tool dpkg-deb dpkg
need_tool apt-get apt
need_tool desktop-file-validate desktop-file-utils
need_tool appstreamcli appstream
for tool in Xvfb:xvfb trayer:trayer dunst:dunst xdotool:xdotool dbus-daemon:dbus; do
  need_tool "${tool%%:*}" "${tool#*:}"
done
if [ "$(id -u)" != 0 ]; then
  [ "${CI:-}" = true ] && fail "run as root: it installs the package with apt-get"
  echo "SKIPPED: check-deb.sh installs the package with apt-get: run it as root" >&2
  exit 3
fi

APP_ID=io.github.movebreak.movebreak
version=$(app_version)
deb=${1:-$(ls -t "$DIST"/movebreak_*_"$(dpkg --print-architecture)".deb 2>/dev/null | head -n 1)}
[ -n "$deb" ] && [ -f "$deb" ] || fail "no .deb in $DIST: run packaging/linux/build-deb.sh"
deb=$(realpath "$deb")
tmp=$(mktemp -d /tmp/movebreak-debcheck.XXXXXX)
installed=no
cleanup() {
  if [ "$installed" = yes ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq -o DPkg::Lock::Timeout=300 movebreak \
      >"$LOG_DIR/deb-purge.log" 2>&1 || echo "FAILED: apt-get purge movebreak (see $LOG_DIR/deb-purge.log)" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# 1. The package as a file: its fields, its files, its desktop integration files valid.
check_info() {
  dpkg-deb --info "$deb" | tee "$tmp/info"
  for want in "Package: movebreak" "Version: $version-1" "python3-gi" "gir1.2-gtk-3.0" \
    "python3-xlib" "gir1.2-ayatanaappindicator3-0.1" "libnotify-bin"; do
    grep -q -- "$want" "$tmp/info" || { echo "control lacks: $want"; return 1; }
  done
  dpkg-deb --contents "$deb" | awk '{print $6}' >"$tmp/contents"
  for want in ./usr/bin/movebreak ./usr/lib/movebreak/movebreak/cli/main.py \
    ./usr/lib/movebreak/movebreak/assets/movebreak.png \
    ./usr/lib/movebreak/movebreak/assets/tray-frames.png \
    ./usr/lib/movebreak/movebreak/locale/de/LC_MESSAGES/movebreak.mo \
    ./usr/lib/movebreak/movebreak/locale/fr/LC_MESSAGES/movebreak.mo \
    ./usr/lib/movebreak/movebreak/locale/es/LC_MESSAGES/movebreak.mo \
    "./usr/share/applications/$APP_ID.desktop" "./usr/share/metainfo/$APP_ID.metainfo.xml" \
    "./usr/share/icons/hicolor/48x48/apps/$APP_ID.png" \
    "./usr/share/icons/hicolor/512x512/apps/$APP_ID.png" \
    ./usr/share/doc/movebreak/copyright ./usr/share/doc/movebreak/third-party/THIRD-PARTY-LICENSES.md; do
    grep -qxF -- "$want" "$tmp/contents" || { echo "package lacks: $want"; return 1; }
  done
  if grep -q '__pycache__\|\.pyc$' "$tmp/contents"; then
    echo "package ships byte-code (postinst compiles it)"; return 1
  fi
  dpkg-deb -x "$deb" "$tmp/x"
  desktop-file-validate "$tmp/x/usr/share/applications/$APP_ID.desktop"
  appstreamcli validate --no-net "$tmp/x/usr/share/metainfo/$APP_ID.metainfo.xml"
}
step "deb: dpkg-deb --info and contents" check_info

lintian_note="lintian not installed (optional)"
if command -v lintian >/dev/null 2>&1; then
  step "deb: lintian" lintian --fail-on error --suppress-tags-from-file \
    "$REPO/packaging/linux/deb/lintian-suppressed" "$deb"
  lintian_note="lintian: no errors"
fi

# 2. Installed by apt, with its dependencies, as the README tells users to.
if dpkg-query -W -f='${Status}' movebreak 2>/dev/null | grep -q "install ok installed"; then
  echo "note: movebreak was already installed; it is reinstalled and purged" >&2
fi
installed=yes
step "deb: apt-get install ./movebreak.deb" env DEBIAN_FRONTEND=noninteractive apt-get install \
  -y -o DPkg::Lock::Timeout=300 "$deb"

run_installed() {
  local home="$tmp/home"
  mkdir -p "$home"
  cd "$home"
  export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state"
  out=$(/usr/bin/movebreak --version)
  [ "$out" = "movebreak $version" ] || { echo "--version said: $out"; return 1; }
  /usr/bin/movebreak config init
  /usr/bin/movebreak config check
  /usr/bin/movebreak next --days 7 --json | /usr/bin/python3 -c 'import json,sys; assert json.load(sys.stdin)'
  # Which copy of each library the launcher's path really loads.
  /usr/bin/python3 -s - <<'EOF'
import sys
from importlib.util import find_spec
sys.path.insert(0, "/usr/lib/movebreak")
import gi
gi.require_version("Gtk", "3.0")
# find_spec, not import: importing pystray or Xlib needs an X display.
where = {n: find_spec(n).origin for n in ("gi", "PIL", "pystray", "apscheduler", "Xlib", "movebreak")}
for name in ("PIL", "pystray", "apscheduler", "movebreak"):
    assert where[name].startswith("/usr/lib/movebreak/"), where
for name in ("gi", "Xlib"):
    assert where[name].startswith("/usr/lib/python3/dist-packages/"), where
print(where)
EOF
  ls /usr/lib/movebreak/movebreak/__pycache__/*.cpython-3*.pyc >/dev/null  # postinst ran
}
step "deb: run the installed /usr/bin/movebreak" run_installed

# 3. The tray on a desktop: icon docked, menu opens (GTK through Debian's python3-gi);
# then the command `autostart enable` wrote, exactly as written, docks too.
step "deb: tray icon and menu under Xvfb" "$PY" "$REPO/packaging/check_tray.py" --name deb --menu \
  --autostart -- /usr/bin/movebreak -v
tray=$(tail -n 1 "$LOG_DIR/deb-tray-icon-and-menu-under-Xvfb.log")

# 4. Purged without leftovers.
purge() {
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -o DPkg::Lock::Timeout=300 movebreak
  for gone in /usr/bin/movebreak /usr/lib/movebreak "/usr/share/applications/$APP_ID.desktop"; do
    [ ! -e "$gone" ] || { echo "left behind after purge: $gone"; return 1; }
  done
}
step "deb: apt-get purge" purge
installed=no

echo "deb: OK: $(basename "$deb") installs with apt, runs, ${tray#tray: }; purged;" \
  "desktop/metainfo valid; $lintian_note; $(elapsed)"
