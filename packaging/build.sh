#!/usr/bin/env bash
# Build the PyInstaller bundles: dist/traywatch/ (one folder) and dist/traywatch-<version>-<os>-<arch>
# (one file), then print their sizes and the build time.
#
#   bash packaging/build.sh [--onedir-only] [--no-trim] [--dist DIR] [--work DIR]
#
# --onedir-only  skip the one-file executable (what CI runs)
# --no-trim      keep every Qt module, plugin and library PyInstaller collects (to measure trimming)
# --dist, --work output and scratch folders (default: dist/ and build/ in the repository)
# Uses $PYTHON (default python3); installs PyInstaller, and traywatch's dependencies, when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
DIST="$ROOT/dist"
WORK="$ROOT/build"
SPEC_ARGS=()
ONEDIR_ONLY=0

while [ $# -gt 0 ]; do
  case "$1" in
    --onedir-only) SPEC_ARGS+=(--onedir-only); ONEDIR_ONLY=1 ;;
    --no-trim) SPEC_ARGS+=(--no-trim) ;;
    --dist) DIST="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    --work) WORK="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

pip_install() {
  "$PYTHON" -m pip install -q --disable-pip-version-check "$@" 2>&1 \
    | grep -v -e '^WARNING: Running pip as' || true
}

if ! "$PYTHON" -c 'import PyInstaller' 2>/dev/null; then
  echo "== build.sh: installing PyInstaller"
  pip_install 'pyinstaller>=6.10'
fi
if ! "$PYTHON" -c 'import PySide6, requests, platformdirs, keyring, truststore, dns, tomlkit' 2>/dev/null; then
  echo "== build.sh: installing traywatch's dependencies"
  pip_install "$ROOT"
fi

VERSION="$(cd "$ROOT" && "$PYTHON" -c 'import traywatch; print(traywatch.__version__)')"
echo "== build.sh: traywatch $VERSION with $("$PYTHON" -m PyInstaller --version 2>/dev/null | tail -1) -> $DIST"
start=$(date +%s.%N)
"$PYTHON" -m PyInstaller --noconfirm --log-level "${LOG_LEVEL:-WARN}" \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/traywatch.spec" -- "${SPEC_ARGS[@]}"
end=$(date +%s.%N)

# Installing the desktop entry from an unpacked bundle: ./install-desktop.sh
if [ -d "$DIST/traywatch" ]; then
  install -m 0755 "$ROOT/packaging/install-desktop.sh" "$DIST/traywatch/install-desktop.sh"
fi

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000000 }'; }
onedir_bytes=$(du -sb "$DIST/traywatch" | cut -f1)
summary="onedir $(mb "$onedir_bytes") MB ($DIST/traywatch)"
if [ "$ONEDIR_ONLY" = 0 ]; then
  onefile=$(ls -t "$DIST"/traywatch-"$VERSION"-* 2>/dev/null | grep -v '\.spec$' | head -1)
  summary="$summary, onefile $(mb "$(stat -c %s "$onefile")") MB ($onefile)"
fi
seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", e - s }')
echo "== build.sh: $summary; build time ${seconds} s on $(nproc) cores"
