#!/usr/bin/env bash
# Builds the release wasm and its JavaScript glue into www/pkg/, and reports the wasm's size.
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
wasm-bindgen --target web --out-dir www/pkg "$wasm"
size=$(stat -c %s www/pkg/mf_playground_bg.wasm)
gz=$(gzip -9 -c www/pkg/mf_playground_bg.wasm | wc -c)
log "www/pkg/mf_playground_bg.wasm: $((size / 1024)) KiB ($((gz / 1024)) KiB gzipped)"
