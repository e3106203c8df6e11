# Installs the Debian packages Tidings needs to build, test and run, when any is missing.
# Sourced by scripts/run and scripts/test. Runs apt-get as root, or through sudo.

TIDINGS_BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libpoco-dev libboost-dev libboost-filesystem-dev libssl-dev libpq-dev libsqlite3-dev libcmark-gfm-dev libcmark-gfm-extensions-dev catch2
  postgresql-15 postgresql-client-15 sqlite3 curl python3 ca-certificates
)
TIDINGS_TEST_PACKAGES=(chromium dovecot-pop3d python3-aiosmtpd python3-requests wrk)

tidings_missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

tidings_install_packages() {
  local missing
  missing=$(tidings_missing_packages "$@")
  [ -z "$missing" ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> installing: $missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Node.js and npm, by command rather than by package: machines that have Node.js from another
# distribution channel (whose `nodejs` package bundles npm) must not get Debian's npm on top.
tidings_install_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    return 0
  fi
  tidings_install_packages nodejs npm
}
