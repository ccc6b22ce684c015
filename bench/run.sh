#!/usr/bin/env bash
# Builds mfp (release) and the peers, prepares bench/.venv with the PyPI peers, runs a benchmark.
#   bench/run.sh explicit_peers [--ratings N --factors K --epochs E --seeds S]   mfp vs Surprise, LIBMF
#   bench/run.sh implicit_peers [--ratings N --factors K --iterations I]       ALS vs implicit
#   bench/run.sh wasm_native [--ratings N --factors K --epochs E]               wasm in Node, Chromium
#   bench/run.sh sweep_browser [--ratings 10000 --repeats 3]
#   bench/run.sh first_render [--repeats 5]
#   bench/run.sh pool_browser [--rounds 5]                                      the page's worker pool vs one worker
#   bench/run.sh threads_browser [--rounds 5 --algo sgd|als --factors K]         the page on every core vs one thread
#   bench/run.sh code_snippets [--ratings N --seeds S]                         the Code box scripts for implicit, Surprise vs mfp
#   bench/run.sh lightfm_peers [--data movietweetings|generated --rounds R]     the hybrid model vs LightFM, warm and new items
#   bench/run.sh ranx_check [--k K --seed S]                                   mfp's ranking metrics against ranx's, to 1e-6
#   bench/run.sh map_peers [--points 1000,5000 --rounds 3 --methods M]                   t-SNE vs scikit-learn, UMAP vs umap-learn
#   bench/run.sh map_wasm [--points 1000,5000 --rounds 3 --methods M]                    the map's layouts as wasm (the page's) vs native
#   bench/run.sh ncf_peers [--family gmf|neumf --epochs E --backends cpu,webgl,wasm]  vs TF.js
# The browser benchmarks need tools/setup.sh --test (Chromium, playwright-core).
set -euo pipefail
# One thread for the peers' numerical libraries too (implicit warns otherwise).
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin mfp
which="${1:-explicit_peers}"
shift || true
case "$which" in
  sweep_browser | wasm_native | first_render | pool_browser | threads_browser | map_wasm)
    tools/build.sh >/dev/null
    exec node "bench/$which.mjs" "$@"
    ;;
  ncf_peers)
    tools/build.sh >/dev/null
    [ -d bench/js/node_modules/@tensorflow/tfjs ] || (cd bench/js && npm install --no-audit --no-fund --silent)
    # PyTorch (gigabytes of CUDA packages from PyPI) only when asked for.
    if [[ " $* " == *" --torch "* ]]; then
      [ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
      bench/.venv/bin/python -c 'import torch' 2>/dev/null || bench/.venv/bin/pip install --quiet torch==2.15.0 numpy
    fi
    exec node "bench/$which.mjs" "$@"
    ;;
esac
(cd bench/peers && cargo build --release --quiet)
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/python -c 'import surprise' 2>/dev/null || bench/.venv/bin/pip install --quiet scikit-surprise==1.1.5
bench/.venv/bin/python -c 'import implicit' 2>/dev/null || bench/.venv/bin/pip install --quiet implicit==0.7.3
if [ "$which" = lightfm_peers ]; then
  # LightFM 1.17's setup.py fails in an isolated build (lyst/lightfm#687): built against the
  # environment's own setuptools, numpy and scipy instead.
  bench/.venv/bin/python -c 'import lightfm' 2>/dev/null || {
    bench/.venv/bin/pip install --quiet setuptools wheel scipy
    bench/.venv/bin/pip install --quiet --no-build-isolation lightfm==1.17
  }
fi
if [ "$which" = map_peers ]; then
  bench/.venv/bin/python -c 'import sklearn, umap' 2>/dev/null || bench/.venv/bin/pip install --quiet scikit-learn==1.9.1 umap-learn==0.5.12
fi
if [ "$which" = ranx_check ]; then
  bench/.venv/bin/python -c 'import ranx' 2>/dev/null || bench/.venv/bin/pip install --quiet ranx==0.3.21
fi
exec bench/.venv/bin/python "bench/$which.py" "$@"
