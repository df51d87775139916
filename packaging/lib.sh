# Shared by the packaging scripts (bash; source it). Keeps them quiet: each step's output
# goes to a log file, and only a failing step prints its log's tail and the log's path.
#
#   . "$(dirname "$0")/lib.sh"      # sets REPO, PY, DIST, LOG_DIR; then:
#   step "build the wheel" "$PY" -m build ...
#   need_tool desktop-file-validate desktop-file-utils
#
# PY is the interpreter that builds (the project's .venv unless PYTHON says otherwise);
# DIST is where finished artifacts land (dist/ unless DIST_DIR says otherwise).

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-$REPO/.venv/bin/python}
DIST=${DIST_DIR:-$REPO/dist}
LOG_DIR=${LOG_DIR:-$REPO/build/packaging/logs}
mkdir -p "$DIST" "$LOG_DIR"

# The app's version, from the one place it is written.
app_version() {
  sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$REPO/movebreak/__init__.py"
}

# step TITLE CMD...: run CMD with its output in a log; on failure show the tail and exit 1.
step() {
  local title=$1; shift
  local log
  log="$LOG_DIR/$(printf '%s' "$title" | tr -c 'A-Za-z0-9' '-' | tr -s '-').log"
  # Not `if ! cmd`: that context switches errexit off inside functions such as smoke().
  local rc
  set +e
  (set -e; "$@") >"$log" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    echo "FAILED: $title (full log: $log)" >&2
    tail -n 25 "$log" | sed 's/^/  | /' >&2
    exit 1
  fi
}

# fail MESSAGE: stop the script with a one-line reason.
fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# need_tool PROGRAM DEBIAN_PACKAGE: a missing tool fails under CI=true, else says what to
# install and makes the caller skip (exit 3), so a developer sees why nothing was checked.
need_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "${CI:-}" = true ]; then
    fail "$1 is missing: apt-get install $2"
  fi
  echo "SKIPPED: $1 is missing: apt-get install $2" >&2
  exit 3
}

# need_module MODULE PIP_SPEC: the same for a Python module of the build interpreter.
need_module() {
  "$PY" -c "import $1" >/dev/null 2>&1 && return 0
  if [ "${CI:-}" = true ]; then
    fail "Python module $1 is missing: $PY -m pip install '$2'"
  fi
  echo "SKIPPED: Python module $1 is missing: $PY -m pip install '$2'" >&2
  exit 3
}

# Seconds since the script started, for the summary lines.
elapsed() {
  echo "$SECONDS s"
}
