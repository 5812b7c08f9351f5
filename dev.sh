#!/usr/bin/env bash
# One entry point that sets up a fresh machine (only python3 needed; root for the
# system packages the tests use) and then runs what was asked:
#   ./dev.sh serve   build the sample site and serve it at http://127.0.0.1:8000
#   ./dev.sh test    run the whole test suite (lint, types, unit, end-to-end, browser, deploy)
#   ./dev.sh lock    regenerate the hashed lock files from pyproject.toml (after changing dependencies)
#   PELICAN_VERSION=4.9.1 ./dev.sh test   the same tests with another Pelican (own .venv-pelican-*)
#   ./dev.sh <invoke task> [args]   any other task of tasks.py, e.g. ./dev.sh check
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
# The lowest and newest Pelican of pyproject.toml's range are tested in their own environments.
if [ -n "${PELICAN_VERSION:-}" ]; then
  VENV=".venv-pelican-$PELICAN_VERSION"
fi
# Each environment's lock (with hashes), made by `./dev.sh lock` from pyproject.toml's groups:
#   requirements.lock          development and tests: everything (dev.sh installs it)
#   requirements-nightly.lock  the nightly rebuild service: build, slide images, `invoke publish`
LOCK_EXTRAS=(
  "requirements.lock:display,tasks,preview,test"
  "requirements-nightly.lock:display,tasks"
)
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
    pip_quietly install --require-hashes -r requirements.lock
    if [ -n "${PELICAN_VERSION:-}" ]; then
      pip_quietly install "pelican==$PELICAN_VERSION"
    fi
    pip_quietly install --no-deps -e .
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}

# System packages the tests need: a browser, real SSH/FTP/rsync peers, Java for the HTML checker,
# systemd-analyze and cron for the scheduling files, openssl for the test SMTP server's certificate,
# and the web and FTP servers a host runs (the tests start their own instances on free ports).
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
  "systemd:/usr/bin/systemd-analyze"
  "cron:/usr/bin/crontab"
  "apache2:/usr/sbin/apache2"
  "nginx-light:/usr/sbin/nginx"
  "pure-ftpd:/usr/sbin/pure-ftpd"
  "openssl:/usr/bin/openssl"
)

# Every lock file again from pyproject.toml, with hashes. Versions already locked are kept
# (uv prefers the output file's pins), so adding a package changes only what it needs;
# `./dev.sh lock --upgrade` moves everything to the newest allowed versions.
lock_all() {
  [ -x "$VENV/bin/uv" ] || pip_quietly install "uv>=0.9"
  for entry in "${LOCK_EXTRAS[@]}"; do
    local file="${entry%%:*}" extras="${entry#*:}" args=()
    [ -f "$file" ] || cp requirements.lock "$file"
    IFS=, read -ra names <<<"$extras"
    for name in "${names[@]}"; do args+=(--extra "$name"); done
    "$VENV/bin/uv" pip compile pyproject.toml "${args[@]}" --generate-hashes --python-version 3.11 \
      --custom-compile-command "./dev.sh lock" --quiet -o "$file" "$@"
    echo "$file"
  done
}

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
    "$VENV/bin/mypy"
    exec "$VENV/bin/pytest" -n 2 "$@"
    ;;
  lock)
    # No locked install first: the lock may hold new lines without hashes until this has run.
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    lock_all "$@"
    ;;
  build|livereload|publish|nightly|editor)
    ensure_python_env
    ensure_web_editor
    exec "$VENV/bin/invoke" "$command" "$@"
    ;;
  *)
    ensure_python_env
    exec "$VENV/bin/invoke" "$command" "$@"
    ;;
esac
