#!/usr/bin/env bash
# Sets up, builds everything and runs every test layer:
#   1. native: rustfmt check, clippy, cargo test (unit, integration, doc tests), the checks
#      against Spark itself (tests/spark/), then every cargo-fuzz target for a bounded time
#      (MFP_FUZZ_SECONDS, default 20)
#   2. the release wasm build and the offline single file, then JavaScript types: tsc --checkJs
#   3. bindings: wasm-bindgen tests in Node, then in headless Chromium
#   4. browser: end-to-end tests in headless Chromium against a local static server
# Exits non-zero if any layer fails.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
"$ROOT/tools/setup.sh" --test
path_with_tools
set_wasm_cargo
cd "$ROOT"

start=$(date +%s)
step() { log "$1 ($(( $(date +%s) - start )) s)"; }

step "native: cargo fmt --check"
cargo fmt --all --check
step "native: cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "native: cargo test"
cargo test --workspace

step "Spark: mfp's models in Spark and Spark's in mfp, the job mfp writes run (tests/spark/)"
spark_python="$(spark_venv)/bin/python"
[ -x "$spark_python" ] || spark_python=python3 # without pyspark the checks say they were skipped
mkdir -p target
"$spark_python" tests/spark/roundtrip.py "$ROOT/target/debug/mfp" "$ROOT/target/spark-checks" 2>target/spark-checks.log \
  || { tail -40 target/spark-checks.log; exit 1; }

step "native: bounded fuzzing, ${MFP_FUZZ_SECONDS:-20} s a target (tools/fuzz.sh)"
"$ROOT/tools/fuzz.sh" "${MFP_FUZZ_SECONDS:-20}"

step "wasm release build, and the single-file offline build (dist/mf-playground.html)"
"$ROOT/tools/build-offline.sh"

step "JavaScript: tsc --checkJs (after the build: the worker imports the generated package)"
tsc -p jsconfig.json

wasm_test() {
  "${WASM_CARGO[@]}" test "${WASM_CARGO_FLAGS[@]}" --target-dir "target/wasm-test$WASM_TARGET_SUFFIX" --test wasm_session
}
step "bindings: wasm-bindgen tests in Node"
wasm_test
step "bindings: wasm-bindgen tests in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)" wasm_test

step "browser: end-to-end tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

step "all test layers passed"
