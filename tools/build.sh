#!/usr/bin/env bash
# Builds the release wasm and its JavaScript glue into www/pkg/ (one thread), the Parquet reader
# for Spark models into www/pkg-spark/ and, where the standard library can be rebuilt with
# atomics, the threaded package into www/pkg-threads/ (the page loads it where it is cross-origin
# isolated); reports the sizes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
path_with_tools
set_wasm_cargo
cd "$ROOT"
target_dir="target/wasm-release$WASM_TARGET_SUFFIX"
log "cargo build --release (wasm32, $(wasm_route) route)"
"${WASM_CARGO[@]}" build --release --lib "${WASM_CARGO_FLAGS[@]}" --target-dir "$target_dir"
wasm="$target_dir/wasm32-unknown-unknown/release/mf_playground.wasm"
log "wasm-bindgen --target web"
# Without the name and producers sections: 11% smaller (function names only served stack traces;
# a panic's message is reported without them). opt-level "s" would save 14% more but costs about
# 4% of SGD throughput (bench/run.sh wasm_native, 2026-11-28), so the release profile stays at 3.
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir www/pkg "$wasm"
size=$(stat -c %s www/pkg/mf_playground_bg.wasm)
gz=$(gzip -9 -c www/pkg/mf_playground_bg.wasm | wc -c)
log "www/pkg/mf_playground_bg.wasm: $((size / 1024)) KiB ($((gz / 1024)) KiB gzipped)"

# The Parquet reader for Spark models (crates/spark-parquet): a package of its own that the
# worker fetches only when a Spark model is opened (it is about as large as the engine).
log "cargo build --release -p spark-parquet --features wasm (the page's Parquet reader)"
"${WASM_CARGO[@]}" build --release -p spark-parquet --features wasm "${WASM_CARGO_FLAGS[@]}" --target-dir "$target_dir"
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir www/pkg-spark \
  "$target_dir/wasm32-unknown-unknown/release/spark_parquet.wasm"
size=$(stat -c %s www/pkg-spark/spark_parquet_bg.wasm)
gz=$(gzip -9 -c www/pkg-spark/spark_parquet_bg.wasm | wc -c)
log "www/pkg-spark/spark_parquet_bg.wasm: $((size / 1024)) KiB ($((gz / 1024)) KiB gzipped), fetched only to open a Spark model"

# The threaded package: the same engine with feature `threads`, its standard library rebuilt
# with atomics (shared memory, up to 4 GiB). Debian's route already builds std from source; on
# the rustup route that takes a nightly-capable compiler with the rust-src component.
threads_dir="www/pkg-threads"
threads_flags=(--release --lib --features threads)
case "$(wasm_route)" in
  debian) threads_cargo=("${WASM_CARGO[@]}") ;;
  rustup)
    if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
      threads_cargo=(env RUSTC_BOOTSTRAP=1 cargo)
      threads_flags+=(-Zbuild-std=std,panic_abort)
    else
      threads_cargo=()
    fi
    ;;
esac
if [ ${#threads_cargo[@]} -eq 0 ]; then
  rm -rf "$threads_dir"
  log "no threaded package: this toolchain cannot rebuild the standard library with atomics (rustup component add rust-src); the page trains on one thread"
  exit 0
fi
log "cargo build --release --features threads (wasm32 with atomics)"
link="-C link-arg=--shared-memory -C link-arg=--import-memory -C link-arg=--max-memory=4294967296"
link="$link -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size"
link="$link -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base"
RUSTFLAGS="-C target-feature=+simd128,+atomics,+bulk-memory,+mutable-globals $link" \
  "${threads_cargo[@]}" build "${threads_flags[@]}" "${WASM_CARGO_FLAGS[@]}" --target-dir "target/wasm-threads$WASM_TARGET_SUFFIX"
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir "$threads_dir" \
  "target/wasm-threads$WASM_TARGET_SUFFIX/wasm32-unknown-unknown/release/mf_playground.wasm"
size=$(stat -c %s "$threads_dir/mf_playground_bg.wasm")
log "$threads_dir/mf_playground_bg.wasm: $((size / 1024)) KiB"
