# Shared by packaging/windows/build.sh and smoke.sh (sourced, not run): Wine with a clean
# environment, the test-only stand-in DLLs, and the check that none of them reached the bundle.
#
# Gaps of Debian's Wine 8 that a *test* prefix fills (never the bundle; real Windows has them all):
# - icuuc.dll: Qt >= 6.10 imports ICU's converters from Windows' system icuuc.dll (Windows 10
#   1903+); a stand-in that knows no converter lets Qt use its own codecs.
# - mscms.dll: Wine's lacks WcsCreateIccProfile, which qwindows.dll imports; every window crashed.
# - _wmi.pyd: Python's platform module asks WMI through it, which calls propsys.VariantToString,
#   missing in Wine 8 (the process aborts). Disabled, platform falls back to the registry.

# shellcheck shell=bash
STANDIN_DLLS=(icuuc mscms)
WINE_OVERRIDES="mscoree,mshtml=;_wmi.pyd=;mscms=n,b"
WINE_ENV=()

# Run a Windows program under Wine with only the variables it needs (Wine passes the Unix
# environment through: REQUESTS_CA_BUNDLE=/etc/... would reach Python). All three streams are
# pipes: a Windows Python dies when they are files ("init_sys_streams ... Invalid handle"). Extra variables:
# WINE_ENV=(NAME=value ...); standard input: WINE_STDIN=file (default /dev/null).
wine_run() {
  cat "${WINE_STDIN:-/dev/null}" | env -i PATH=/usr/bin:/bin HOME="${HOME:-/root}" USER="${USER:-root}" LANG=C.UTF-8 \
    WINEPREFIX="$WINEPREFIX" WINEDEBUG=-all WINEDLLOVERRIDES="$WINE_OVERRIDES" \
    ${DISPLAY:+DISPLAY="$DISPLAY"} "${WINE_ENV[@]}" \
    wine "$@" 2>&1 | cat
  return "${PIPESTATUS[1]}"
}

# Start this prefix's wineserver with its streams on /dev/null: a wineserver (or one of Wine's
# helper processes) that inherits a caller's pipe keeps the pipe open and hangs `$(...)` and CI.
wine_server_start() {
  env -i PATH=/usr/bin:/bin HOME="${HOME:-/root}" WINEPREFIX="$WINEPREFIX" wineserver -p </dev/null >/dev/null 2>&1
}

wine_server_stop() {
  env -i PATH=/usr/bin:/bin HOME="${HOME:-/root}" WINEPREFIX="$WINEPREFIX" wineserver -k </dev/null >/dev/null 2>&1 || true
}

# A new prefix (64-bit only, no Mono or Gecko downloads). The wineserver and the helper services
# wineboot starts (services.exe, rpcss, plugplay, winedevice) run detached and stay up, so no later
# program starts them again holding its caller's pipe.
wine_new_prefix() {
  rm -rf "$WINEPREFIX"
  mkdir -p "$WINEPREFIX"
  wine_server_start
  env -i PATH=/usr/bin:/bin HOME="${HOME:-/root}" WINEPREFIX="$WINEPREFIX" WINEARCH=win64 WINEDEBUG=-all \
    WINEDLLOVERRIDES="$WINE_OVERRIDES" wineboot -i </dev/null >/dev/null 2>&1
}

# Build the stand-in DLLs (mingw-w64) into $1 and copy them into the prefix's system32.
standins_install() {
  local out="$1" here name
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  mkdir -p "$out"
  for name in "${STANDIN_DLLS[@]}"; do
    x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -s -o "$out/$name.dll" "$here/standins/$name.c"
    cp "$out/$name.dll" "$WINEPREFIX/drive_c/windows/system32/$name.dll"
  done
}

# Fail when a stand-in DLL (or any file built from standins/) is inside the folder $1.
standins_absent_from() {
  local folder="$1" found
  found="$(find "$folder" -type f \( -iname icuuc.dll -o -iname mscms.dll \) -print)"
  if [ -n "$found" ]; then
    echo "FAIL: test-only stand-in DLLs are in the bundle (real Windows has its own): $found" >&2
    return 1
  fi
}
