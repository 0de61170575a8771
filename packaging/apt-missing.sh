# Sourced by tests/run.sh and packaging/windows/{build,smoke}.sh: `apt_missing LABEL PKG...`
# installs the Debian packages of the list that are not installed yet (as root, where apt-get
# exists; elsewhere it says so and returns, and the tests that need them skip).
apt_missing() {
  local label="$1"
  shift
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "== $label: not root or no apt-get: skipping system packages ($*)"
    return 0
  fi
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "== $label: apt: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}
