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
# Without the name and producers sections: 11% smaller (function names only served stack traces;
# a panic's message is reported without them). opt-level "s" would save 14% more but costs about
# 4% of SGD throughput (bench/run.sh wasm_native, 2026-11-28), so the release profile stays at 3.
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir www/pkg "$wasm"
size=$(stat -c %s www/pkg/mf_playground_bg.wasm)
gz=$(gzip -9 -c www/pkg/mf_playground_bg.wasm | wc -c)
log "www/pkg/mf_playground_bg.wasm: $((size / 1024)) KiB ($((gz / 1024)) KiB gzipped)"
