#!/usr/bin/env bash
# The test command: installs everything the tests need on a fresh Debian machine (apt as root,
# pip), then runs lint, type checks and the whole test suite. Usage: bash tests/run.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1
  libfontconfig1 libdbus-1-3 trayer dbus dbus-bin gnome-keyring imagemagick x11-utils xdotool
  iproute2 nftables desktop-file-utils binutils gcc python3-venv
)

# shellcheck source=packaging/apt-missing.sh
. packaging/apt-missing.sh
apt_missing "tests/run.sh" "${APT_PACKAGES[@]}"

PY=python3
# Distributions that mark the system Python as externally managed (PEP 668) get a venv.
if "$PY" -c 'import sys, sysconfig, os; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")) else 1)'; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  PY=.venv/bin/python
fi
echo "== pip: installing traywatch with its test extras"
"$PY" -m pip install -q --disable-pip-version-check -e '.[test,package]' 2>&1 | grep -v -e '^WARNING: Running pip as' -e 'is ignored: it is neither' || true
echo "== pip: installing the linters (pyproject's [dependency-groups] lint)"
# Read from pyproject.toml, so any pip works (pip >= 25.1 could say `--group lint`).
mapfile -t LINT < <("$PY" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]["lint"]))')
"$PY" -m pip install -q --disable-pip-version-check "${LINT[@]}" 2>&1 | grep -v -e '^WARNING: Running pip as' -e 'is ignored: it is neither' || true
"$PY" -c 'import traywatch, PySide6, trustme, pytestqt' # fail loudly if the install did not work
"$PY" -m ruff --version >/dev/null && "$PY" -m mypy --version >/dev/null && "$PY" -c 'import importlinter'

echo "== ruff"
"$PY" -m ruff check traywatch tests benchmarks packaging
"$PY" -m ruff format --check traywatch tests benchmarks packaging
echo "== mypy"
"$PY" -m mypy traywatch
echo "== import-linter (the layering contracts in pyproject.toml)"
"$PY" -c 'import sys; from importlinter.cli import lint_imports_command; sys.argv[0] = "lint-imports"; sys.exit(lint_imports_command())' --no-cache
echo "== pytest"
export PYTHONDONTWRITEBYTECODE=1
exec "$PY" -m pytest -p no:cacheprovider -q "$@"
