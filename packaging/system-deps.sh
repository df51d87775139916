#!/bin/sh
# Install the Debian/Ubuntu packages movebreak needs, if any are missing.
#   system-deps.sh run    what the tray app needs (GTK for the menu, libnotify)
#   system-deps.sh test   that plus the virtual desktop the end-to-end tests drive
# Elsewhere (not apt, or no root/sudo) it prints what to install and carries on.
set -eu
RUN_PKGS="libx11-6 libxss1 libxi6 gir1.2-gtk-3.0 libgirepository1.0-dev libcairo2-dev pkg-config libnotify-bin libpulse0 python3-tk"
TEST_PKGS="xvfb xdotool x11-utils trayer dunst imagemagick dbus desktop-file-utils tesseract-ocr tesseract-ocr-eng pulseaudio pulseaudio-utils matchbox-window-manager libglib2.0-bin gsettings-desktop-schemas dconf-gsettings-backend dconf-service faketime"
case "${1:-run}" in
  run) want="$RUN_PKGS" ;;
  test) want="$RUN_PKGS $TEST_PKGS" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
command -v dpkg-query >/dev/null 2>&1 || {
  echo "movebreak: not a Debian-like system; install the equivalents of: $want" >&2; exit 0; }
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=""
elif command -v sudo >/dev/null 2>&1; then sudo="sudo"
else echo "movebreak: please install:$missing" >&2; exit 0; fi
echo "movebreak: installing system packages:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
