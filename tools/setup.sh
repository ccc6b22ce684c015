#!/usr/bin/env bash
# Installs what the project needs and is missing; a second run takes seconds.
#   tools/setup.sh          what serving the playground needs (wasm toolchain, wasm-bindgen)
#   tools/setup.sh --test   that, plus Chromium, ChromeDriver and the npm dev packages
set -euo pipefail
source "$(dirname "$0")/lib.sh"

want_test=""
[ "${1:-}" = "--test" ] && want_test=1

command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"

# 1. The wasm32 standard library: rustup where it can fetch it, else Debian's rustc-web.
if [ -z "${MFP_WASM_ROUTE:-}" ] && command -v rustup >/dev/null \
  && ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  timeout 300 rustup target add wasm32-unknown-unknown \
    || log "rustup cannot install the wasm32 standard library here; using Debian's rustc-web"
fi
if [ "$(wasm_route)" = debian ]; then
  missing=()
  for p in rustc-web cargo-web rust-web-src rust-web-llvm lld-22; do
    have_pkg "$p" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  if ! rustup toolchain list | grep -q '^debian-web'; then
    log "rustup toolchain link debian-web /usr"
    rustup toolchain link debian-web /usr
  fi
fi
if [ "$(wasm_route)" = rustup ] && [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  # The threaded package rebuilds the standard library with atomics from its sources.
  log "rustup component add rust-src (for the threaded package)"
  timeout 300 rustup component add rust-src \
    || log "rustup cannot fetch rust-src here: the page will train on one thread"
fi
log "wasm route: $(wasm_route)"

# 2. wasm-bindgen-cli at exactly the version in Cargo.lock.
version="$(wasm_bindgen_version)"
[ -n "$version" ] || die "no wasm-bindgen in Cargo.lock"
bindir="$(wasm_bindgen_dir)/bin"
if ! "$bindir/wasm-bindgen" --version 2>/dev/null | grep -q " $version\$"; then
  log "cargo install wasm-bindgen-cli $version (a few minutes, once)"
  # Not --locked: its lock file pins a crate version the registry does not offer.
  (cd "$HOME" && cargo install wasm-bindgen-cli --version "$version" --root "$(wasm_bindgen_dir)" --quiet)
fi

if [ -n "$want_test" ]; then
  # 3. Debian's Chromium and ChromeDriver, for wasm-bindgen tests and browser tests.
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  # A CJK font, so screenshots of Chinese text show glyphs rather than boxes.
  have_pkg fonts-wqy-zenhei || missing+=(fonts-wqy-zenhei)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

  # 4. npm dev packages from the committed lock file (playwright-core drives Debian's Chromium;
  #    it never downloads a browser).
  stamp="$ROOT/node_modules/.package-lock.sha"
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "npm ci"
    (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi

  # 5. Spark, for the checks against Spark itself (tests/spark/): PyPI's pyspark in local mode,
  #    in its own environment, on the machine's Java (Debian's, installed where there is none).
  command -v java >/dev/null || apt_install default-jre-headless \
    || log "no Java could be installed: the Spark checks will say they were skipped"
  if ! "$(spark_venv)/bin/python" -c 'import pyspark, numpy' 2>/dev/null; then
    log "pip install pyspark $PYSPARK_VERSION (about 320 MB, once)"
    python3 -m venv "$(spark_venv)"
    "$(spark_venv)/bin/pip" install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION" "numpy==$NUMPY_VERSION" \
      || log "pyspark could not be installed: the Spark checks will say they were skipped"
  fi

  # 6. cargo-fuzz, pinned, for the bounded fuzzing runs (tools/fuzz.sh). With --sanitizer none
  #    it works on the stable toolchain.
  if ! "$(cargo_fuzz_dir)/bin/cargo-fuzz" --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
    log "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (about a minute, once)"
    (cd "$HOME" && cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$(cargo_fuzz_dir)" --quiet)
  fi
fi
log "setup done"
