#!/usr/bin/env bash
# Builds mfp (release), prepares bench/.venv with the peers from PyPI, runs a benchmark.
#   bench/run.sh vs_surprise [--ratings N --factors K --epochs E --seeds S]
#   bench/run.sh sweep_browser [--ratings 10000 --repeats 3]   (needs tools/setup.sh --test)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin mfp
if [ "${1:-}" = sweep_browser ]; then
  shift
  tools/build.sh >/dev/null
  exec node bench/sweep_browser.mjs "$@"
fi
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/python -c 'import surprise' 2>/dev/null || bench/.venv/bin/pip install --quiet scikit-surprise
which="${1:-vs_surprise}"
shift || true
exec bench/.venv/bin/python "bench/$which.py" "$@"
