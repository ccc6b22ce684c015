# Shared by tools/*.sh: sourced, not run. Finds the project's tools, choosing the ordinary
# route where it works and the Debian route (../shared/TOOLCHAIN.md) where it does not.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $* (install sudo or run as root)"
  fi
}

# True when a Debian package is installed (not merely known, or removed with its config kept).
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# The Spark checks' Python environment (tests/spark/), and what it pins.
PYSPARK_VERSION=4.3.0
NUMPY_VERSION=2.4.6
spark_venv() { echo "$ROOT/.venv-spark"; }

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

wasm_bindgen_dir() { echo "$HOME/.local/wasm-bindgen-$(wasm_bindgen_version)"; }

# "rustup" when rustup has (or can fetch) the wasm32 standard library, else "debian".
# MFP_WASM_ROUTE=debian forces the Debian route (to test it on a machine where both work).
wasm_route() {
  if [ -n "${MFP_WASM_ROUTE:-}" ]; then echo "$MFP_WASM_ROUTE"; return; fi
  if command -v rustup >/dev/null \
    && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo rustup
  else
    echo debian
  fi
}

# Cargo for the wasm32 target, as an array: WASM_CARGO=(...) and WASM_CARGO_FLAGS=(...).
set_wasm_cargo() {
  if [ "$(wasm_route)" = rustup ]; then
    WASM_CARGO=(cargo)
    WASM_CARGO_FLAGS=(--target wasm32-unknown-unknown)
    WASM_TARGET_SUFFIX=""
  else
    WASM_CARGO=(env RUSTC_BOOTSTRAP=1 cargo +debian-web)
    WASM_CARGO_FLAGS=(--target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
    WASM_TARGET_SUFFIX="-debian"
  fi
}

CARGO_FUZZ_VERSION=0.13.2
cargo_fuzz_dir() { echo "$HOME/.local/cargo-fuzz-$CARGO_FUZZ_VERSION"; }

path_with_tools() {
  export PATH="$(wasm_bindgen_dir)/bin:$(cargo_fuzz_dir)/bin:$ROOT/node_modules/.bin:$PATH"
}
