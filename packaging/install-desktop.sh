#!/usr/bin/env bash
# Install (or remove) traywatch's menu entry and icons for the current user, the XDG way:
#   $XDG_DATA_HOME/applications/traywatch.desktop
#   $XDG_DATA_HOME/icons/hicolor/<size>x<size>/apps/traywatch.png and scalable/apps/traywatch.svg
# ($XDG_DATA_HOME defaults to ~/.local/share). No root needed.
#
#   ./install-desktop.sh [--exec PROGRAM] [--resources DIR] [--uninstall]
#
# Run from an unpacked bundle (next to the traywatch executable) the entry starts that executable;
# run from the source tree it starts `traywatch` from PATH (a pip install). --exec overrides.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
EXEC=""
RESOURCES=""
UNINSTALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --exec) EXEC="$2"; shift ;;
    --resources) RESOURCES="$2"; shift ;;
    --uninstall) UNINSTALL=1 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ -z "$RESOURCES" ]; then
  if [ -d "$HERE/_internal/resources" ]; then      # one-folder bundle
    RESOURCES="$HERE/_internal/resources"
    [ -n "$EXEC" ] || EXEC="$HERE/traywatch"
  elif [ -d "$HERE/../resources" ]; then           # source tree
    RESOURCES="$(cd "$HERE/../resources" && pwd)"
  else
    echo "install-desktop.sh: cannot find traywatch's resources folder (use --resources DIR)" >&2
    exit 2
  fi
fi
[ -n "$EXEC" ] || EXEC="traywatch"

DATA="${XDG_DATA_HOME:-}"
case "$DATA" in /*) ;; *) DATA="$HOME/.local/share" ;; esac   # the spec ignores relative values
APPS="$DATA/applications"
HICOLOR="$DATA/icons/hicolor"
SIZES=()
for png in "$RESOURCES"/app/traywatch-*.png; do
  size="${png##*-}"; SIZES+=("${size%.png}")
done
if [ "${#SIZES[@]}" = 0 ]; then
  echo "install-desktop.sh: no icons in $RESOURCES/app" >&2
  exit 2
fi

refresh_caches() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$APPS" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$HICOLOR/index.theme" ]; then
    gtk-update-icon-cache -q -t "$HICOLOR" 2>/dev/null || true
  fi
}

if [ "$UNINSTALL" = 1 ]; then
  rm -f "$APPS/traywatch.desktop" "$HICOLOR/scalable/apps/traywatch.svg"
  for size in "${SIZES[@]}"; do rm -f "$HICOLOR/${size}x${size}/apps/traywatch.png"; done
  refresh_caches
  echo "traywatch: menu entry and icons removed from $DATA"
  exit 0
fi

# The Exec value (Desktop Entry spec): quote an argument with reserved characters, escape " ` $ \
# inside the quotes, double %, then escape backslashes once more for the string value.
desktop_exec() {
  local arg="$1" quoted
  arg="${arg//%/%%}"
  if [[ "$arg" =~ [[:space:]\"\'\\\>\<~\|\&\;\$\*\?#\(\)\`] ]]; then
    quoted="${arg//\\/\\\\}"; quoted="${quoted//\"/\\\"}"
    quoted="${quoted//\`/\\\`}"; quoted="${quoted//\$/\\\$}"
    arg="\"$quoted\""
  fi
  printf '%s' "${arg//\\/\\\\}"
}

mkdir -p "$APPS" "$HICOLOR/scalable/apps"
exec_value="$(desktop_exec "$EXEC")"
tryexec_value="${EXEC//\\/\\\\}"
tmp="$(mktemp "$APPS/.traywatch.desktop.XXXXXX")"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    Exec=*) printf 'Exec=%s\n' "$exec_value" ;;
    TryExec=*) printf 'TryExec=%s\n' "$tryexec_value" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$RESOURCES/traywatch.desktop" > "$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$APPS/traywatch.desktop"

install -m 0644 "$RESOURCES/app/traywatch.svg" "$HICOLOR/scalable/apps/traywatch.svg"
for size in "${SIZES[@]}"; do
  install -D -m 0644 "$RESOURCES/app/traywatch-$size.png" "$HICOLOR/${size}x${size}/apps/traywatch.png"
done
refresh_caches
echo "traywatch: menu entry $APPS/traywatch.desktop (Exec=$exec_value) and ${#SIZES[@]} icon sizes in $HICOLOR"
