#!/usr/bin/env bash
# CI: the README's run command on fresh, minimal Debian roots, and its tray menu.
#
#   ./dev ci-fresh [SUITE...]     # default: bookworm trixie (Debian 12 and 13); needs root
#
# For each suite, in parallel:
#   1. debootstrap --variant=minbase with only git, ca-certificates and python3 (what a
#      newcomer has) into $MOVEBREAK_ROOTS/SUITE (default /var/tmp/movebreak-roots);
#      copied in: this machine's apt sources (its suite renamed) and pip settings, nothing
#      else;
#   2. git clone of this checkout's HEAD into /root/movebreak, and, inside the root as
#      root, the README's run command with --version: `./dev run --version` installs
#      what is missing, makes the venv and prints the version.
#   3. in the suites of $MOVEBREAK_FRESH_DEB (default trixie: this machine's own release
#      gets its .deb from check-all.sh), `./dev setup desktop packaging` and
#      packaging/linux/build-deb.sh: the .deb for that release, built on it.
# Then, one root at a time, the tray: packaging/check_tray.py brings up the virtual
# desktop of the end-to-end tests on this machine (private bus, Xvfb, trayer, dunst)
# and starts `./dev run` inside the root (chroot; this machine's /tmp is bind-mounted
# there, so the X and bus sockets reach it). The icon must dock, its menu open and read
# "Quit", and the app's log name the GTK backend (pystray._gtk). Last, in the roots of
# step 3, packaging/linux/check-deb.sh: apt installs the .deb, its icon docks with a menu.
#
# The full suite is not run here (it runs on the host); the roots are made afresh on
# every run and removed at the end unless MOVEBREAK_KEEP_ROOTS=1. Logs:
# build/packaging/logs/fresh-SUITE-*.log; screenshots: test-artifacts/packaging/fresh-SUITE/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || fail "debootstrap and chroot need root"
need_tool debootstrap debootstrap
need_tool chroot coreutils
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(bookworm trixie)
ROOTS=${MOVEBREAK_ROOTS:-/var/tmp/movebreak-roots}
# The machine's own Debian mirror (its apt sources), else Debian's.
MIRROR=${DEBOOTSTRAP_MIRROR:-}
[ -n "$MIRROR" ] || MIRROR=$( { awk '/^URIs:/ && $2 !~ /security/ { print $2 }' \
  /etc/apt/sources.list.d/*.sources; awk '$1 == "deb" && $2 !~ /security/ { print $2 }' \
  /etc/apt/sources.list; } 2>/dev/null | grep debian | head -n 1 || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
DEB_SUITES=" ${MOVEBREAK_FRESH_DEB-trixie} "
HOST_SUITE=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# pip's settings name a certificate bundle (here it also trusts the machine's HTTPS
# proxy): that file comes along, beside the root's own bundle, which apt regenerates.
MACHINE_CERT=${PIP_CERT:-$(sed -n 's/^ *cert *= *//p' /etc/pip.conf /etc/xdg/pip/pip.conf \
  2>/dev/null | head -n 1)}
ROOT_CERT=/etc/pip/machine-ca.pem
mkdir -p "$ROOTS"

mounts_under() { awk -v r="$1/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r; }
unmount_all() {
  local m
  for m in $(mounts_under "$1"); do umount -l "$m" || true; done
}
# Remove a root; never while anything is still mounted inside it (that would be /tmp or
# /dev of this machine).
remove_root() {
  unmount_all "$1"
  [ -z "$(mounts_under "$1")" ] || fail "still mounted under $1; not removing it"
  rm -rf --one-file-system "$1"
}
cleanup() {
  local suite
  for suite in "${SUITES[@]}"; do
    if [ "${MOVEBREAK_KEEP_ROOTS:-}" = 1 ]; then unmount_all "$ROOTS/$suite"
    else remove_root "$ROOTS/$suite"; rm -f "$ROOTS/run-in-$suite"
    fi
  done
}
trap cleanup EXIT

# in_root SUITE CMD...: run CMD inside the root as a newcomer's root shell would.
in_root() {
  local root=$ROOTS/$1; shift
  env -i HOME=/root PATH="$CLEAN_PATH" LANG=C.UTF-8 TERM=dumb \
    $(env | grep '^PIP_' || true) $(pip_cert_env "$root") chroot "$root" "$@"
}

pip_cert_env() { [ -f "$1$ROOT_CERT" ] && echo "PIP_CERT=$ROOT_CERT" || true; }

# bootstrap SUITE: steps 1 and 2; its own log; prints "SUITE: ... s" lines.
bootstrap() {
  local suite=$1 root=$ROOTS/$1 t0=$SECONDS
  remove_root "$root"
  debootstrap --variant=minbase --include=git,ca-certificates,python3 "$suite" "$root" "$MIRROR"
  local t_boot=$((SECONDS - t0))
  # The machine's apt sources, for this suite; debootstrap's own list goes.
  rm -f "$root/etc/apt/sources.list"
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    mkdir -p "$root/$(dirname "$f")"
    if [ -n "$HOST_SUITE" ]; then
      sed "s/\b$HOST_SUITE\b/$suite/g" "$f" >"$root/$f"
    else
      cp "$f" "$root/$f"
    fi
  done
  # The machine's pip settings.
  for f in /etc/pip.conf /etc/xdg/pip/*; do
    [ -f "$f" ] && install -D -m 644 "$f" "$root/$f"
  done
  [ -z "$MACHINE_CERT" ] || install -D -m 644 "$MACHINE_CERT" "$root$ROOT_CERT"
  mount --rbind /dev "$root/dev"
  mount --make-rslave "$root/dev"   # unmounting it later must not reach /dev/pts here
  mount -t proc proc "$root/proc"
  mount --bind /tmp "$root/tmp"
  git clone --quiet --no-local "$REPO" "$root/root/movebreak"
  local t1=$SECONDS
  in_root "$suite" sh -c 'cd /root/movebreak && ./dev run --version'
  local note=""
  if [[ $DEB_SUITES == *" $suite "* ]]; then
    local t2=$SECONDS
    in_root "$suite" sh -c 'cd /root/movebreak && ./dev setup desktop packaging &&
      packaging/linux/build-deb.sh'
    note="; .deb built $((SECONDS - t2)) s"
  fi
  echo "$suite: debootstrap ${t_boot} s; README setup ($(cd "$root/root/movebreak" &&
    git log -1 --format=%h)) $((SECONDS - t1)) s$note"
}

pids=()
for suite in "${SUITES[@]}"; do
  (step "fresh-$suite: debootstrap and the README's setup" bootstrap "$suite") &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
for suite in "${SUITES[@]}"; do
  log="$LOG_DIR/fresh-$suite-debootstrap-and-the-README-s-setup.log"
  [ -f "$log" ] && grep -h "^$suite: " "$log" || true
done
[ $failed = 0 ] || fail "a root could not be set up (see above)"

for suite in "${SUITES[@]}"; do
  runner="$ROOTS/run-in-$suite"
  printf '#!/bin/sh\nexec chroot %s /usr/bin/env PATH=%s %s sh -c "cd /root/movebreak && exec ./dev run"\n' \
    "$ROOTS/$suite" "$CLEAN_PATH" "$(pip_cert_env "$ROOTS/$suite")" >"$runner"
  chmod +x "$runner"
  out="$REPO/test-artifacts/packaging/fresh-$suite"
  rm -rf "$out"
  step "fresh-$suite: tray and menu under Xvfb" "$PY" "$REPO/packaging/check_tray.py" \
    --name "fresh-$suite" --menu -- "$runner"
  grep -rqs "tray backend: pystray._gtk\|tray backend: pystray._appindicator" "$out" \
    || fail "fresh-$suite: the app's log does not name a GTK or AppIndicator tray backend ($out)"
  echo "$suite: $(tail -n 1 "$LOG_DIR/fresh-$suite-tray-and-menu-under-Xvfb.log")"
done
for suite in "${SUITES[@]}"; do
  [[ $DEB_SUITES == *" $suite "* ]] || continue
  step "fresh-$suite: check-deb.sh" in_root "$suite" env CI=true \
    bash -c 'cd /root/movebreak && packaging/linux/check-deb.sh'
  echo "$suite: $(tail -n 1 "$LOG_DIR/fresh-$suite-check-deb-sh.log")"
done
echo "fresh roots: OK (${SUITES[*]}) in $SECONDS s"
