#!/usr/bin/env bash
# Build and check every movebreak artifact that can be built on Linux, quietly: one
# summary line per artifact, the failing step's log tail when one fails.
#
#   packaging/check-all.sh        # CI calls this; exit 1 if any artifact failed
#
#   wheel+sdist  packaging/check-wheel.sh          fresh venvs and pipx, outside the checkout
#   deb          packaging/linux/build-deb.sh       dpkg-deb, Debian's python3 and python3-gi
#                packaging/linux/check-deb.sh       apt-get install, run, tray + menu, purge
#   frozen       packaging/pyinstaller/build.sh     PyInstaller one-folder, smoke + tray
# Not built here: the macOS .app and the Windows .exe (same spec; see the README).
# Logs: build/packaging/logs/. Screenshots: test-artifacts/packaging/.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
failed=0

# run NAME CMD...: one artifact's script; its last line is the summary (exit 3: skipped).
run() {
  local name=$1; shift
  local out rc
  out=$("$@" 2>&1); rc=$?
  case $rc in
    0) printf '%s\n' "$out" | tail -n 1 ;;
    3) printf '%s: SKIPPED: %s\n' "$name" "$(printf '%s\n' "$out" | tail -n 1)" ;;
    *) printf '%s: FAILED\n%s\n' "$name" "$out" | sed '2,$s/^/  /'; failed=1 ;;
  esac
  return "$rc"
}

version=$(app_version)
wheel="$DIST/movebreak-$version-py3-none-any.whl"
rm -f "$wheel"
if run wheel+sdist "$HERE/check-wheel.sh"; then
  run deb "$HERE/linux/build-deb.sh" "$wheel" && run deb "$HERE/linux/check-deb.sh"
  run frozen "$HERE/pyinstaller/build.sh" "$wheel"
else
  echo "deb, frozen: not built: they are made from the wheel"
fi
echo "packaging: $([ $failed = 0 ] && echo OK || echo FAILED) in ${SECONDS} s"
exit $failed
