#!/usr/bin/env bash
# Sets up, builds the wasm (release) and serves the playground at http://127.0.0.1:8000/.
# PORT=8080 tools/serve.sh serves on another port.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
"$ROOT/tools/setup.sh"
"$ROOT/tools/build.sh"
port="${PORT:-8000}"
log "open http://127.0.0.1:$port/ (Ctrl-C stops the server)"
exec python3 "$ROOT/tools/serve.py" --port "$port" --root "$ROOT"
