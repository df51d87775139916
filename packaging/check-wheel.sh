#!/usr/bin/env bash
# Build movebreak's sdist and wheel, install each into a fresh venv outside the checkout
# and with pipx, and run the installed app the way a user would.
#
# Built with `python -m build` (not `pip wheel`): it builds the sdist first and then the
# wheel *from the unpacked sdist*, in an isolated environment with the build backend our
# pyproject asks for. So a file missing from the sdist, or a build requirement we forgot,
# fails here instead of on a user's machine; `pip wheel .` builds from the checkout and
# would hide both.
#
#   packaging/check-wheel.sh        # leaves dist/movebreak-VERSION{.tar.gz,-py3-none-any.whl}
#
# Needs: the build interpreter ($PYTHON, default .venv/bin/python) with `build`
# (pip install build); the network to PyPI (or a pip cache) for the dependencies.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_module build "build>=1.2"
for tool in Xvfb:xvfb trayer:trayer dunst:dunst xdotool:xdotool dbus-daemon:dbus; do
  need_tool "${tool%%:*}" "${tool#*:}"
done

version=$(app_version)
tmp=$(mktemp -d /tmp/movebreak-wheel.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
SRC=${MOVEBREAK_SRC:-$REPO}

step "wheel: build sdist and wheel" "$PY" -m build --outdir "$tmp/dist" "$SRC"
wheel="$tmp/dist/movebreak-$version-py3-none-any.whl"
sdist="$tmp/dist/movebreak-$version.tar.gz"
[ -f "$wheel" ] && [ -f "$sdist" ] || fail "python -m build made no $wheel / $sdist"

# What must be inside: the data files and the icons, next to the code that loads them.
step "wheel: list its contents" "$PY" - "$wheel" "$sdist" <<'EOF'
import sys, tarfile, zipfile
wheel, sdist = sys.argv[1:3]
names = set(zipfile.ZipFile(wheel).namelist())
need = {"movebreak/data/config.toml", "movebreak/data/routines.toml",
        "movebreak/assets/movebreak.png", "movebreak/assets/movebreak.ico",
        "movebreak/assets/tray-frames.png", "movebreak/assets/sounds/step.wav",
        "movebreak/assets/sounds/countdown.wav",
        *(f"movebreak/locale/{lang}/LC_MESSAGES/movebreak.mo" for lang in ("de", "es", "fr"))}
missing = sorted(need - names)
assert not missing, f"the wheel lacks {missing} (pyproject package-data)"
assert not any(n.startswith(("tests/", "packaging/", "assets/")) for n in names), \
    "the wheel carries files that are not the app's"
root = tarfile.open(sdist).getnames()[0].split("/")[0]
in_sdist = set(tarfile.open(sdist).getnames())
missing = sorted(f"{root}/{n}" for n in need if f"{root}/{n}" not in in_sdist)
assert not missing, f"the sdist lacks {missing}"
print("ok", len(names), "files in the wheel")
EOF

# smoke VENV_BIN LABEL: the installed app, run from outside the checkout with its own
# HOME and XDG folders, so neither the checkout nor the developer's config can leak in.
smoke() {
  local bin=$1 label=$2 home="$tmp/home-$2"
  mkdir -p "$home"
  (
    cd "$home"
    export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
      XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state"
    out=$("$bin/movebreak" --version)
    [ "$out" = "movebreak $version" ] || { echo "--version said: $out"; exit 1; }
    "$bin/movebreak" config init
    [ -f "$XDG_CONFIG_HOME/movebreak/config.toml" ] || { echo "config init wrote nothing"; exit 1; }
    "$bin/movebreak" config check
    "$bin/movebreak" next --days 7 --json >"$home/next.json"
    "$bin/python" - "$home/next.json" "$REPO" <<'EOF'
import json, sys
from importlib import resources
from pathlib import Path
import movebreak
prompts = json.loads(Path(sys.argv[1]).read_text())
assert isinstance(prompts, list) and prompts, "next --json: no prompts in 7 days"
assert {"at", "routine", "title", "reason"} <= set(prompts[0]), prompts[0]
where = Path(movebreak.__file__).resolve()
assert Path(sys.argv[2]).resolve() not in where.parents, f"imported from the checkout: {where}"
from PIL import Image
png = resources.files("movebreak").joinpath("assets/movebreak.png")
with resources.as_file(png) as path, Image.open(path) as image:
    assert image.size == (256, 256), image.size
assert "[reset]" in resources.files("movebreak.data").joinpath("config.toml").read_text()
print("ok", len(prompts), "prompts; package at", where.parent)
EOF
  ) || return 1
}

step "wheel: fresh venv" "$PY" -m venv "$tmp/venv-wheel"
step "wheel: pip install the wheel" "$tmp/venv-wheel/bin/python" -m pip install "$wheel"
step "wheel: run the installed app" smoke "$tmp/venv-wheel/bin" wheel

# What "Start at login" writes for a venv install: its own console script, started
# exactly as the entry says on a virtual desktop, must dock its icon.
step "wheel: autostart entry starts and docks" "$PY" "$REPO/packaging/check_tray.py" \
  --name wheel --autostart -- "$tmp/venv-wheel/bin/movebreak" -v

step "sdist: fresh venv" "$PY" -m venv "$tmp/venv-sdist"
step "sdist: pip install the sdist" "$tmp/venv-sdist/bin/python" -m pip install "$sdist"
step "sdist: run the installed app" smoke "$tmp/venv-sdist/bin" sdist

# pipx, as the README tells Linux users: Debian's python3 with its system site-packages,
# so the tray gets python3-gi (and its menu) without building PyGObject.
step "pipx: install pipx in a throwaway venv" "$PY" -m venv "$tmp/pipx-tool"
step "pipx: pip install pipx" "$tmp/pipx-tool/bin/python" -m pip install pipx
pipx_python=$PY
pipx_flags=()
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import gi' 2>/dev/null; then
  pipx_python=/usr/bin/python3
  pipx_flags=(--system-site-packages)
fi
export PIPX_HOME="$tmp/pipx" PIPX_BIN_DIR="$tmp/pipx/bin" PIPX_MAN_DIR="$tmp/pipx/man"
step "pipx: pipx install the wheel" \
  "$tmp/pipx-tool/bin/pipx" install --python "$pipx_python" "${pipx_flags[@]}" "$wheel"
step "pipx: run the installed app" smoke "$tmp/pipx/venvs/movebreak/bin" pipx
step "pipx: autostart entry starts and docks" "$PY" "$REPO/packaging/check_tray.py" \
  --name pipx --autostart -- "$tmp/pipx/venvs/movebreak/bin/movebreak" -v
if [ ${#pipx_flags[@]} -gt 0 ]; then
  step "pipx: the tray's GTK is reachable" "$tmp/pipx/venvs/movebreak/bin/python" -c \
    "import gi; gi.require_version('Gtk', '3.0'); print(gi.__file__)"
fi

cp "$wheel" "$sdist" "$DIST/"
size=$(du -k "$wheel" | cut -f1)
echo "wheel+sdist: OK: $(basename "$wheel") (${size} KB) and $(basename "$sdist") install and" \
  "run in fresh venvs and with pipx (${pipx_python}); the autostart entries of the venv" \
  "and pipx installs start and dock; $(elapsed)"
