#!/usr/bin/env bash
# Builds dist/mf-playground.html: the playground in one self-contained file that works opened
# from the file system, with no server and no network (tools/offline.mjs says how).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
path_with_tools
set_wasm_cargo
cd "$ROOT"
"$ROOT/tools/build.sh"
wasm="target/wasm-release$WASM_TARGET_SUFFIX/wasm32-unknown-unknown/release/mf_playground.wasm"
out="target/offline-pkg"
log "wasm-bindgen --target no-modules"
wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section --out-dir "$out" "$wasm"
node tools/offline.mjs "$out/mf_playground.js" "$out/mf_playground_bg.wasm"
