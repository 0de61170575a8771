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
  APT_PACKAGES=(xvfb xauth trayer imagemagick x11-utils xdotool util-linux iproute2 fonts-wine fonts-dejavu-core)
  # shellcheck source=packaging/apt-missing.sh
  . "$HERE/../apt-missing.sh"
  apt_missing "windows/smoke.sh" "${APT_PACKAGES[@]}"
  # Everything below runs in a network namespace of its own with only loopback: no route at all.
  exec unshare --net env TRAYWATCH_SMOKE_NETNS=1 bash "$0" "$@"
fi
ip link set lo up

# shellcheck source=packaging/windows/wine-lib.sh
. "$HERE/wine-lib.sh"
export WINEPREFIX="$WORK/prefix"
# Also a Wine 8 gap, for this test prefix only: Qt's Network List Manager plugin (reachability
# hints) spins at 100 % CPU on Wine's half-done COM objects and the tray never appears. Disabled,
# Qt simply has no reachability backend; the checks themselves do not need one.
WINE_OVERRIDES="$WINE_OVERRIDES;qnetworklistmanager="
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
# Font folders only, as drives (Qt opens font files by their DOS path; without a drive for them it
# draws boxes): Wine's own fonts (Tahoma, the dialog font) and the system's (DejaVu).
ln -s /usr/share/wine/fonts "$WINEPREFIX/dosdevices/x:"
ln -s /usr/share/fonts "$WINEPREFIX/dosdevices/y:"
standins_install "$WORK/standins"
cd "$WINEPREFIX/drive_c"  # Wine starts programs in the Windows folder of the Unix working directory
WIN_USER="$(ls "$WINEPREFIX/drive_c/users" | grep -v -x -e Public | head -1)"
USERDIR="$WINEPREFIX/drive_c/users/$WIN_USER"
APPDIR_WIN="C:\\users\\$WIN_USER\\AppData\\Local\\Programs\\traywatch"
APPDIR="$USERDIR/AppData/Local/Programs/traywatch"
CLI="$APPDIR_WIN\\traywatch-cli.exe"
GUI="$APPDIR_WIN\\traywatch.exe"
RUN_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'

step "Xvfb (a free display number) with trayer as the tray host"
Xvfb -displayfd 3 -screen 0 1024x640x24 -nolisten tcp 3>"$WORK/display" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$WORK/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$WORK/display")"
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
echo "$out" | grep -qE "login command: *C:.users.$WIN_USER.AppData.Local.Programs.traywatch.traywatch\.exe$" \
  || fail "Start at login would not start the windowed traywatch.exe"
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
english_summary="$(printf '%s' "$out" | python3 -c 'import json, sys; print(json.loads(sys.stdin.buffer.read().decode("utf-8", "replace"))["summary"])')"

# The bundled catalogues: `--lang es`, and Windows' own display language, each say the summary in
# Spanish; the verdict stays English. Wine answers GetUserPreferredUILanguages with es-ES when LC_ALL
# says so (LANG alone does not reach it on a host without that glibc locale); traywatch does not
# read the POSIX variables on Windows, so only the Windows call can make this Spanish.
spanish_summary() { # $1: what the step is; the rest: the command's arguments
  local what="$1" said rc
  shift
  set +e
  said="$(wine_run "$CLI" "$@" check --json | tr -d '\r')"
  rc=$?
  set -e
  [ "$rc" = 3 ] || fail "$what: check --json exited $rc (want 3): $said"
  printf '%s' "$said" | ENGLISH="$english_summary" python3 -c '
import json, os, sys
d = json.loads(sys.stdin.buffer.read().decode("utf-8"))
assert d["verdict"] == "internet_down", d["verdict"]
assert d["summary"] and d["summary"] != os.environ["ENGLISH"], d["summary"]
print(d["summary"])' || fail "$what: the summary is not in Spanish: $said"
}
step "traywatch-cli --lang es check --json (the bundled Spanish catalogue)"
said="$(spanish_summary "--lang es" --lang es)" # a failure inside exits here (set -e)
ok "$said"
step "traywatch-cli check --json with Windows' display language Spanish (LC_ALL=es_ES.UTF-8 for Wine)"
WINE_ENV=(LC_ALL=es_ES.UTF-8)
said="$(spanish_summary "system language")"
WINE_ENV=()
ok "$said"

step "the tray app"
wine_run "$GUI" --interval 5 >"$WORK/tray.out" &
PIDS+=($!)
log="$USERDIR/AppData/Local/traywatch/Logs/traywatch.log"
# Docked: trayer's panel window has grown a child (the icon's XEmbed window) wider than 1 pixel.
docked() { xwininfo -root -tree 2>/dev/null | grep -A4 '"panel"' | tail -n +2 | grep -qE ' [2-9][0-9]*x[0-9]+\+'; }
for _ in $(seq 120); do
  grep -q "starting" "$log" 2>/dev/null && docked && break
  sleep 0.5
done
grep -q "starting" "$log" 2>/dev/null || { cat "$WORK/tray.out"; fail "the tray app did not start (no 'starting' in its log)"; }
xwininfo -root -tree >"$WORK/windows.txt" 2>&1
docked || fail "the tray icon did not dock in trayer (windows: $WORK/windows.txt)"
sleep 3
import -window root "$SHOTS/tray.png"
ok "started (log: $(grep -m1 starting "$log" | cut -c1-100)); screenshot $SHOTS/tray.png"

# Windows of the running Wine programs by title (xdotool sees Wine's X11 windows).
window_named() { xdotool search --onlyvisible --name "$1" 2>/dev/null | head -1; }
wait_window() {
  local id=""
  for _ in $(seq 60); do id="$(window_named "$1")"; [ -n "$id" ] && break; sleep 0.5; done
  echo "$id"
}

step "the start-up notification (Qt's tray balloon)"
for _ in $(seq 60); do grep -q "notification: " "$log" && break; sleep 0.5; done
grep -q "notification: " "$log" || fail "no notification was shown (log: $log)"
# Wine draws the balloon 2 s after Shell_NotifyIcon(NIF_INFO), as a window of explorer.exe.
balloon=""
for _ in $(seq 20); do
  balloon="$(xwininfo -root -children 2>/dev/null | grep '"explorer.exe"' \
    | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+\+/) { split($i, g, /[x+]/); if (g[1] > 100) { print $1; exit } } }')"
  [ -n "$balloon" ] && break
  sleep 0.5
done
[ -n "$balloon" ] || fail "no balloon window on the screen (log says: $(grep -m1 'notification: ' "$log"))"
sleep 0.5
import -window root "$SHOTS/notification.png"
ok "$(grep -m1 'notification: ' "$log" | sed 's/.*notification: //' | cut -c1-90); screenshot $SHOTS/notification.png"
# A click on the balloon cannot be tested here: Wine's tray never sends NIN_BALLOONUSERCLICK, so
# Qt's messageClicked (which opens the history) does not fire under Wine. The history window
# itself, and the single-instance hand-over through a Windows named pipe, can:
step "a second traywatch.exe --show history hands over to the running one"
wine_run "$GUI" --show history >/dev/null
history="$(wait_window 'traywatch — history')"
[ -n "$history" ] || fail "traywatch --show history opened no history window in the running app"
sleep 2
import -window root "$SHOTS/history.png"
ok "the running app opened its history window; screenshot $SHOTS/history.png"
xdotool windowclose "$history" 2>/dev/null || true

# Settings > "Start traywatch when I log in" (Alt+L) and OK (Enter), as a person would use it.
toggle_start_at_login() {
  wine_run "$GUI" --show settings >/dev/null
  local dialog
  dialog="$(wait_window 'traywatch — settings')"
  [ -n "$dialog" ] || fail "traywatch --show settings opened no settings dialog"
  sleep 1
  xdotool windowfocus --sync "$dialog"
  xdotool key --delay 200 alt+g  # the General page
  [ -n "${1:-}" ] && import -window root "$1"
  xdotool key --delay 200 alt+l Return
  for _ in $(seq 20); do [ -z "$(window_named 'traywatch — settings')" ] && break; sleep 0.5; done
}
step "Settings: Start traywatch when I log in (HKCU Run value)"
toggle_start_at_login "$SHOTS/settings.png"
value="$(wine_run reg query "$RUN_KEY" /v traywatch | tr -d '\r' | grep -i 'REG_SZ')" \
  || fail "ticking Start at login wrote no Run value"
echo "$value" | grep -qF "$APPDIR_WIN\traywatch.exe" || fail "the Run value starts something else: $value"
ok "ticked: Run value written:$(echo "$value" | sed 's/ \{2,\}/ /g')"
toggle_start_at_login
wine_run reg query "$RUN_KEY" /v traywatch >/dev/null && fail "unticking Start at login left the Run value"
ok "unticked: Run value removed"

step "account set-token: stored in the Credential Manager, nowhere in plain text"
token="EAAtraywatchSmoke$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$token" >"$WORK/token.txt"
out="$(WINE_STDIN="$WORK/token.txt" wine_run "$CLI" account set-token --no-test | tr -d '\r')" \
  || fail "account set-token failed: $out"
rm -f "$WORK/token.txt"
status="$(wine_run "$CLI" account status --json | tr -d '\r')" || true
printf '%s' "$status" | python3 -c 'import json, sys; d = json.loads(sys.stdin.buffer.read().decode("utf-8", "replace")); assert d["token"] and "Windows" in d["keyring"]["backend"], d' \
  || fail "account status does not show the token in the Windows keyring: $status"
# Every file under the prefix (registry hives included), as UTF-8 and as UTF-16 (Windows' own).
TOKEN="$token" python3 - "$WINEPREFIX" <<'PY' || fail "the token is in plain text under the prefix"
import os, sys
token = os.environ["TOKEN"]
needles = [token.encode("utf-8"), token.encode("utf-16-le")]
found = []
for folder, _, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(folder, name)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        if any(n in data for n in needles):
            found.append(path)
if found:
    print("\n".join(found))
sys.exit(1 if found else 0)
PY
wine_run reg query 'HKCU\Software\Wine\Credential Manager' /s | tr -d '\r' | grep -q 'traywatch' \
  || fail "no traywatch credential in Wine's Credential Manager"
ok "token stored (Credential Manager holds a traywatch credential; not in any file as UTF-8 or UTF-16)"

step "Quit traywatch from the tray menu"
tray_pid="${PIDS[-1]}"
icon="$(xwininfo -root -tree | grep -A4 '"panel"' | grep '"explorer.exe"' | awk '{print $1}' | head -1)"
eval "$(xdotool getwindowgeometry --shell "$icon")"
xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT / 2))
sleep 2.5  # the tooltip (Windows' 127-character short form), drawn by Wine
import -window root "$SHOTS/tooltip.png"
menu=""
for _ in 1 2 3; do
  xdotool click 3
  for _ in $(seq 10); do
    menu="$(xdotool search --onlyvisible --class traywatch.exe 2>/dev/null | head -1)"
    [ -n "$menu" ] && break
    sleep 0.3
  done
  [ -n "$menu" ] && break
done
[ -n "$menu" ] || fail "a right click on the tray icon opened no menu"
sleep 0.5
import -window root "$SHOTS/menu.png"
xdotool key Up Return
for _ in $(seq 40); do kill -0 "$tray_pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$tray_pid" 2>/dev/null && fail "the tray app did not quit from its menu"
ok "quit from the menu; screenshot of the menu $SHOTS/menu.png"

step "uninstall"
wine_run "$APPDIR_WIN\uninstall.exe" /S
for _ in $(seq 60); do [ ! -e "$APPDIR/traywatch.exe" ] && break; sleep 0.5; done
[ ! -e "$APPDIR/traywatch.exe" ] || fail "the uninstaller left traywatch.exe (the tray app was still running?)"
[ ! -e "$lnk" ] || fail "the uninstaller left the Start-menu shortcut"
wine_run reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\traywatch' >/dev/null \
  && fail "the uninstaller left the Installed apps entry"
ok "program, shortcut and Installed apps entry removed"

step "install with the defaults (start at login ticked), then uninstall again"
wine_run 'C:\setup.exe' /S
value="$(wine_run reg query "$RUN_KEY" /v traywatch | tr -d '\r' | grep -i 'REG_SZ')" \
  || fail "the installer's Start at login wrote no Run value"
echo "$value" | grep -qF "\"$APPDIR_WIN\traywatch.exe\"" || fail "the installer's Run value starts something else: $value"

# Setup and uninstaller first close a running traywatch with `traywatch.exe --quit` (Windows keeps
# a running program's files locked; Wine does not, so here the test is that the app was asked and
# ended, not that a locked file would have failed).
start_tray_again() { # $1: how many starts the log holds once this one is up
  wine_run "$GUI" --interval 5 >>"$WORK/tray.out" &
  tray_pid=$!
  for _ in $(seq 120); do [ "$(grep -c ' starting: ' "$log")" -ge "$1" ] && break; sleep 0.5; done
  [ "$(grep -c ' starting: ' "$log")" -ge "$1" ] || fail "the tray app did not start again"
}
closed_by() { # $1: what closed it; $2: how many asked-to-quit lines the log holds by now
  for _ in $(seq 60); do kill -0 "$tray_pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$tray_pid" 2>/dev/null && fail "$1 left traywatch running"
  [ "$(grep -c 'another start asked for quit' "$log")" -ge "$2" ] \
    || fail "$1 did not ask traywatch to quit (ended by force?)"
  ok "$1 asked the running traywatch to quit; it stopped ($(grep -c 'traywatch stopped' "$log") clean stops logged)"
}
starts="$(grep -c ' starting: ' "$log")"
start_tray_again $((starts + 1))
wine_run 'C:\setup.exe' /S
closed_by "setup over a running traywatch (an upgrade)" 1
[ -f "$APPDIR/traywatch.exe" ] || fail "setup over a running traywatch installed no traywatch.exe"
start_tray_again $((starts + 2))
wine_run "$APPDIR_WIN\uninstall.exe" /S
closed_by "the uninstaller" 2
for _ in $(seq 60); do [ ! -e "$APPDIR/traywatch.exe" ] && break; sleep 0.5; done
[ ! -e "$APPDIR/traywatch.exe" ] || fail "the second uninstall left traywatch.exe"
wine_run reg query "$RUN_KEY" /v traywatch >/dev/null && fail "the uninstaller left the Run value"
ok "setup's start at login wrote the Run value:$(echo "$value" | sed 's/ \{2,\}/ /g'); the uninstaller removed it"

echo "== windows/smoke.sh: $passed passed, 0 failed in $(($(date +%s) - start)) s"
