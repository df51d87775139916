#!/usr/bin/env bash
# Build dist/movebreak_VERSION-1_ARCH.deb with plain dpkg-deb (no debhelper: one binary
# package of files laid out by this script needs none of its machinery).
#
#   packaging/linux/build-deb.sh [WHEEL]     # WHEEL: a built wheel (else one is built)
#
# Layout, and why:
#   /usr/bin/movebreak                 a launcher run by Debian's /usr/bin/python3
#   /usr/lib/movebreak/                the app and the Python libraries it bundles
#   /usr/share/applications, metainfo, icons/hicolor, doc/movebreak (licences)
# The app runs on Debian's own python3 and its python3-gi (the tray menu) and
# python3-xlib. Every other library it needs is older in Debian 12 than our pins
# (python3-apscheduler 3.9 < 3.11.2, python3-pil 9.4 < 11, python3-platformdirs 2.6 < 4,
# python3-tzlocal 4.2 < 5, python3-jeepney 0.8 < 0.9, python3-httpx 0.23 < 0.28,
# python3-icalendar 4.0 < 7.3, python3-pystray 0.19.4 != 0.19.5,
# python3-plyer 2.0 != 2.1, python3-recurring-ical-events 2.0 < 3.8), so those are
# bundled in a private folder instead of /usr/lib/python3/dist-packages, where they would
# clash with Debian's packages of the same names. Not /opt: Debian policy keeps packages
# out of it. Pillow is compiled for the CPython of the Debian release that builds the
# package (3.11 on Debian 12, 3.13 on Debian 13), hence "Architecture: amd64" and
# "python3 (>= 3.N), python3 (<< 3.N+1)": build the .deb on the release it is for.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need_tool dpkg-deb dpkg
need_module build "build>=1.2"

DEB_PYTHON=${DEB_PYTHON:-/usr/bin/python3}
[ -x "$DEB_PYTHON" ] || fail "Debian's $DEB_PYTHON is missing (apt-get install python3)"
read -r py_min py_next < <("$DEB_PYTHON" -c \
  'import sys; v = sys.version_info; print(f"{v[0]}.{v[1]} {v[0]}.{v[1] + 1}")')
# Already in Debian at a version our pins accept; not bundled (see the Depends line).
FROM_DEBIAN="python-xlib six"
APP_ID=io.github.movebreak.movebreak
HERE="$REPO/packaging/linux"
version=$(app_version)
deb_version="$version-1"
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-"movebreak developers <movebreak@users.noreply.github.com>"}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || date +%s)}

tmp=$(mktemp -d /tmp/movebreak-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
lib="$root/usr/lib/movebreak"
doc="$root/usr/share/doc/movebreak"

wheel=${1:-}
if [ -z "$wheel" ]; then
  step "deb: build the wheel" "$PY" -m build --wheel --outdir "$tmp/wheel" "$REPO"
  wheel="$tmp/wheel/movebreak-$version-py3-none-any.whl"
fi
[ -f "$wheel" ] || fail "no wheel at $wheel"

# Resolve the dependencies with Debian's interpreter (its pip, its markers), then install
# exactly those, minus what Debian provides, into the private folder.
step "deb: venv of Debian's python3" "$DEB_PYTHON" -m venv "$tmp/resolver"
step "deb: resolve the dependencies" "$tmp/resolver/bin/python" -m pip install --dry-run \
  --ignore-installed --report "$tmp/report.json" "$wheel"
"$PY" - "$tmp/report.json" "$FROM_DEBIAN" >"$tmp/requirements.txt" <<'EOF'
import json, re, sys
report, skip = json.load(open(sys.argv[1])), set(sys.argv[2].split())
for item in report["install"]:
    meta = item["metadata"]
    name = re.sub(r"[-_.]+", "-", meta["name"]).lower()
    if name != "movebreak" and name not in skip:
        print(f"{meta['name']}=={meta['version']}")
EOF
step "deb: install app and libraries into /usr/lib/movebreak" "$tmp/resolver/bin/python" -m pip \
  install --no-deps --no-compile --target "$lib" "$wheel" -r "$tmp/requirements.txt"
rm -rf "$lib/bin"   # console scripts made for the resolver venv; the launcher replaces them
find "$lib" \( -name .gitignore -o -name .gitattributes \) -delete   # lintian: VCS files
# The libraries' own test suites (icalendar's alone is 2 MB, with shell scripts) never run here.
find "$lib" -mindepth 2 -maxdepth 2 -type d -name tests ! -path "$lib/movebreak/*" -exec rm -rf {} +
for name in Xlib six gi; do
  [ ! -e "$lib/$name" ] && [ ! -e "$lib/$name.py" ] || fail "$name was bundled; Debian ships it"
done

# The launcher, the desktop integration files, and the icons from the one design.
install -D -m 755 "$HERE/deb/movebreak" "$root/usr/bin/movebreak"
install -D -m 644 "$HERE/$APP_ID.desktop" "$root/usr/share/applications/$APP_ID.desktop"
install -D -m 644 "$HERE/$APP_ID.metainfo.xml" "$root/usr/share/metainfo/$APP_ID.metainfo.xml"
step "deb: draw the icons" "$PY" "$REPO/assets/make_icons.py" "$tmp/icons"
for png in "$tmp"/icons/movebreak-*.png; do
  size=$(basename "$png" .png); size=${size#movebreak-}
  install -D -m 644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done

# Licences: ours, and every bundled library's, read from their installed metadata.
step "deb: collect the bundled libraries' licences" "$PY" "$REPO/packaging/licenses/collect.py" \
  "$doc/third-party" --path "$lib" --title "Python libraries bundled in /usr/lib/movebreak"
{
  cat <<EOF
movebreak $version

Copyright 2026 movebreak developers
License: GPL-3.0-or-later
 On Debian systems the full text of the GNU General Public License version 3
 is in /usr/share/common-licenses/GPL-3.

The following Python libraries are bundled, unmodified, in /usr/lib/movebreak, each
under its own licence. Their licence texts, as their authors ship them, are in
/usr/share/doc/movebreak/third-party/ (one folder per library):

EOF
  sed -n '/^| package/,/^$/p' "$doc/third-party/THIRD-PARTY-LICENSES.md"
} >"$doc/copyright"
printf 'movebreak (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
  "$deb_version" "$version" "$maintainer" "$(date -R -u -d "@$SOURCE_DATE_EPOCH")" \
  | gzip -9n >"$doc/changelog.Debian.gz"

# Control files. Bundled compiled wheels need the glibc of their manylinux tag: the lowest
# tag of each wheel, the highest of those over all wheels.
libc=$("$PY" - "$lib" <<'EOF'
import re, sys
from pathlib import Path
needs = [min((int(a), int(b)) for a, b in tags)
         for wheel in Path(sys.argv[1]).glob("*.dist-info/WHEEL")
         if (tags := re.findall(r"^Tag: .*manylinux_(\d+)_(\d+)_", wheel.read_text(), re.M))]
print(f"libc6 (>= {max(needs)[0]}.{max(needs)[1]}), " if needs else "")
EOF
)
mkdir -p "$root/DEBIAN"
install -m 755 "$HERE/deb/postinst" "$HERE/deb/prerm" "$root/DEBIAN/"
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  -e "s/@MAINTAINER@/$maintainer/" -e "s/@LIBC@/$libc/" \
  -e "s/@PYTHON_MIN@/$py_min/" -e "s/@PYTHON_NEXT@/$py_next/" "$HERE/deb/control.in" >"$root/DEBIAN/control"
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"

# Plain permissions (only the launcher is run directly; shared objects need no x bit) and
# one timestamp, so two builds of one commit are the same bytes.
find "$root" -type d -exec chmod 755 {} +
find "$root/usr" -type f -exec chmod 644 {} +
chmod 755 "$root/usr/bin/movebreak"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

deb="$DIST/movebreak_${deb_version}_${arch}.deb"
step "deb: dpkg-deb --build" dpkg-deb --root-owner-group -Zxz --build "$root" "$deb"
bundled=$(wc -l <"$tmp/requirements.txt")
echo "deb: OK: built $(basename "$deb") ($(du -k "$deb" | cut -f1) KB, $bundled bundled" \
  "libraries, installed size ${installed_size} KB); $(elapsed)"
