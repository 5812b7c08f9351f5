#!/usr/bin/env bash
# One entry point that sets up a fresh machine (only python3 needed; root for the
# system packages the tests use) and then runs what was asked:
#   ./dev.sh serve   build the sample site and serve it at http://127.0.0.1:8000
#   ./dev.sh test    run the whole test suite (lint, unit, end-to-end, browser, deploy)
#   ./dev.sh <invoke task> [args]   any other task of tasks.py, e.g. ./dev.sh check
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
# Bulgarian text everywhere: never let a bare POSIX locale decode it as ASCII.
export PYTHONUTF8=1 LC_ALL=C.UTF-8

# pip, without the notes some machines print about their local package mirrors.
pip_quietly() {
  "$VENV/bin/python" -m pip -q "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }
}

ensure_python_env() {
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  local stamp
  stamp="$VENV/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "Installing the locked Python packages into $VENV ..."
    pip_quietly install --upgrade pip
    pip_quietly install -r requirements.lock
    pip_quietly install --no-deps -e .
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}

# System packages the tests need: a browser, real SSH/FTP/rsync peers, Java for the HTML checker.
SYSTEM_PACKAGES=(
  "chromium:/usr/bin/chromium"
  "openssh-server:/usr/sbin/sshd"
  "openssh-client:/usr/bin/ssh"
  "lftp:/usr/bin/lftp"
  "rsync:/usr/bin/rsync"
  "default-jre-headless:/usr/bin/java"
  "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
  "nodejs:/usr/bin/node"
  "npm:/usr/bin/npm"
)

# The Nu HTML Checker (npm vnu-jar), pinned by tests/theme/package-lock.json.
ensure_node_tools() {
  if [ ! -d tests/theme/node_modules ]; then
    npm ci --prefix tests/theme --no-audit --no-fund --loglevel=error
  fi
}

# The web editor at /admin/ (npm decap-cms and decap-server), pinned by admin/package-lock.json.
# Every build copies its bundle into the site, so every task that builds installs it first.
ensure_web_editor() {
  if [ ! -f admin/node_modules/decap-cms/dist/decap-cms.js ] || [ admin/package-lock.json -nt admin/node_modules/.package-lock.json ]; then
    command -v npm >/dev/null || { echo "The web editor needs Node.js and npm: sudo apt-get install nodejs npm" >&2; exit 1; }
    echo "Installing the web editor (admin/package-lock.json) ..."
    npm ci --prefix admin --no-audit --no-fund --loglevel=error
  fi
}

ensure_system_packages() {
  local missing=()
  for entry in "${SYSTEM_PACKAGES[@]}"; do
    [ -e "${entry#*:}" ] || missing+=("${entry%%:*}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

command="${1:-serve}"
shift || true
case "$command" in
  serve)
    ensure_python_env
    ensure_web_editor
    exec "$VENV/bin/invoke" serve "$@"
    ;;
  test)
    ensure_python_env
    ensure_system_packages
    ensure_node_tools
    ensure_web_editor
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    exec "$VENV/bin/pytest" -n 2 "$@"
    ;;
  build|livereload|publish|editor)
    ensure_python_env
    ensure_web_editor
    exec "$VENV/bin/invoke" "$command" "$@"
    ;;
  *)
    ensure_python_env
    exec "$VENV/bin/invoke" "$command" "$@"
    ;;
esac
