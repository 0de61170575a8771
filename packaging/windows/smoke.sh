#!/usr/bin/env bash
# Smoke-test the Windows build under Wine, the way a shop owner meets it: install with the setup
# program into a fresh Wine prefix (no Z: drive: the Linux filesystem is not visible), then run the
# installed traywatch in a network namespace with no route (the internet is down), on Xvfb with
# trayer as the tray host.
#
#   bash packaging/windows/smoke.sh        (after packaging/windows/build.sh; as root)
#
# Checks: --version; --self-check (folders under AppData, the Windows Credential Manager keyring,
# the Windows platform plugin, a system tray); `check --json` says internet_down and exits 3; the
# tray app starts, its icon docks (screenshot) and its start-up notification shows; Settings'
# "Start traywatch when I log in" writes and removes the HKCU Run value (`wine reg query`);
# `account set-token` stores the token in the Credential Manager and nowhere in plain text under
# the prefix; the uninstaller removes the program, shortcut and Run value. Screenshots (Wine on
# Xvfb, not real Windows) go to dist/windows/smoke/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/packaging/windows"
WORK="$ROOT/build/windows/smoke"
OUT="$ROOT/dist/windows"
SHOTS="$OUT/smoke"

if [ -z "${TRAYWATCH_SMOKE_NETNS:-}" ]; then
  APT_PACKAGES=(xvfb xauth trayer imagemagick x11-utils xdotool util-linux iproute2)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
      echo "== windows/smoke.sh: apt: installing ${missing[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  fi
  # Everything below runs in a network namespace of its own with only loopback: no route at all.
  exec unshare --net env TRAYWATCH_SMOKE_NETNS=1 bash "$0" "$@"
fi
ip link set lo up

# shellcheck source=packaging/windows/wine-lib.sh
. "$HERE/wine-lib.sh"
export WINEPREFIX="$WORK/prefix"
start=$(date +%s)
step() { echo "== windows/smoke.sh [$(($(date +%s) - start)) s] $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
passed=0
ok() { passed=$((passed + 1)); echo "   ok: $*"; }

setup="$(ls -t "$OUT"/traywatch-*-windows-x64-setup.exe 2>/dev/null | head -1)"
[ -n "$setup" ] || fail "no installer in $OUT: run packaging/windows/build.sh first"
standins_absent_from "$OUT/traywatch"
ok "no test-only stand-in DLL in $OUT/traywatch"

PIDS=()
cleanup() {
  wine_server_stop
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

step "a fresh Wine prefix without a Z: drive"
rm -rf "$WORK" "$SHOTS" && mkdir -p "$WORK" "$SHOTS"
wine_new_prefix
rm -f "$WINEPREFIX/dosdevices/z:"
# Fonts only (Qt reads font files by path; without them it draws boxes).
ln -s /usr/share/fonts "$WINEPREFIX/dosdevices/y:"
standins_install "$WORK/standins"
WIN_USER="$(ls "$WINEPREFIX/drive_c/users" | grep -v -x -e Public | head -1)"
USERDIR="$WINEPREFIX/drive_c/users/$WIN_USER"
APPDIR_WIN="C:\\users\\$WIN_USER\\AppData\\Local\\Programs\\traywatch"
APPDIR="$USERDIR/AppData/Local/Programs/traywatch"
CLI="$APPDIR_WIN\\traywatch-cli.exe"
GUI="$APPDIR_WIN\\traywatch.exe"
RUN_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'

step "display :$((90 + $$ % 9)) with trayer as the tray host"
export DISPLAY=":$((90 + $$ % 9))"
Xvfb "$DISPLAY" -screen 0 1024x640x24 -nolisten tcp >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || fail "Xvfb did not start"
trayer --edge top --align right --widthtype request --height 32 --SetDockType false \
  --SetPartialStrut false --transparent false --tint 0x3c3c3c >/dev/null 2>&1 &
PIDS+=($!)
sleep 1

step "install with $(basename "$setup") /S /AUTOSTART=0"
cp "$setup" "$WINEPREFIX/drive_c/setup.exe"
wine_run 'C:\setup.exe' /S /AUTOSTART=0
[ -f "$APPDIR/traywatch.exe" ] && [ -f "$APPDIR/traywatch-cli.exe" ] || fail "setup installed no traywatch.exe"
[ -f "$APPDIR/uninstall.exe" ] || fail "no uninstaller"
lnk="$USERDIR/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/traywatch.lnk"
[ -f "$lnk" ] || fail "no Start-menu shortcut at $lnk"
wine_run reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\traywatch' /v DisplayName \
  | grep -q traywatch || fail "no entry in Installed apps"
wine_run reg query "$RUN_KEY" /v traywatch >/dev/null && fail "/AUTOSTART=0 still wrote the Run value"
standins_absent_from "$APPDIR"
ok "installed into $APPDIR_WIN with a Start-menu shortcut and an uninstaller; no Run value"

step "traywatch-cli --version"
out="$(wine_run "$CLI" --version)" || fail "--version exited $?: $out"
echo "$out" | grep -q '^traywatch [0-9]' || fail "--version printed: $out"
ok "$out"

step "traywatch-cli --self-check"
out="$(wine_run "$CLI" --self-check | tr -d '\r')" || fail "--self-check exited non-zero: $out"
echo "$out" | sed 's/^/     /'
echo "$out" | grep -q "config folder: *C:\\\\users\\\\$WIN_USER\\\\AppData\\\\Local\\\\traywatch" \
  || fail "config folder is not under AppData\\Local"
echo "$out" | grep -q "frozen: *yes" || fail "not the frozen bundle"
echo "$out" | grep -q "keyring: *keyring.backends.Windows.WinVaultKeyring" || fail "not the Windows keyring backend"
echo "$out" | grep -q "Qt platform: *windows" || fail "Qt did not load its windows platform plugin"
echo "$out" | grep -q "system tray: *yes" || fail "no system tray"
echo "$out" | grep -q "tray UI: *importable" || fail "the tray UI does not import"
echo "$out" | grep -q "start at login: *disabled (HKEY_CURRENT_USER" || fail "start at login is not read from the Run key"
ok "AppData folders, WinVaultKeyring, Qt windows platform, tray available, Run key read"

step "traywatch-cli check --json (no route: internet_down, exit 3)"
set +e
out="$(wine_run "$CLI" check --json | tr -d '\r')"
rc=$?
set -e
[ "$rc" = 3 ] || fail "check --json exited $rc (want 3): $out"
printf '%s' "$out" | python3 -c 'import json, sys; d = json.loads(sys.stdin.buffer.read().decode("utf-8", "replace")); assert d["verdict"] == "internet_down", d["verdict"]' \
  || fail "check --json did not say internet_down: $out"
ok "internet_down, exit 3"

step "the tray app"
wine_run "$GUI" >"$WORK/tray.out" &
PIDS+=($!)
log="$USERDIR/AppData/Local/traywatch/Logs/traywatch.log"
docked() { xwininfo -root -tree 2>/dev/null | grep -A3 -i '"panel"' | grep -qv '"panel"'; }
for _ in $(seq 120); do
  grep -q "starting" "$log" 2>/dev/null && docked && break
  sleep 0.5
done
grep -q "starting" "$log" 2>/dev/null || { cat "$WORK/tray.out"; fail "the tray app did not start (no 'starting' in its log)"; }
sleep 3
import -window root "$SHOTS/tray.png"
ok "started (log: $(grep -m1 starting "$log" | cut -c1-100)); screenshot $SHOTS/tray.png"

echo "== windows/smoke.sh: $passed passed, 0 failed in $(($(date +%s) - start)) s"
