#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets/) for a bounded time; fails on any crash.
#   tools/fuzz.sh            20 s a target (the test command's setting)
#   tools/fuzz.sh 600        10 minutes a target
# libFuzzer's seed is MFP_FUZZ_SEED (default 1), so the test command explores the same inputs on
# every run and a red CI means a real crash; MFP_FUZZ_SEED=0 draws a random seed (for long hunts).
# The readers start from the bad-input corpus and the test fixtures. A crash leaves its input
# in fuzz/artifacts/<target>/: make it a regression test beside the code it broke.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
path_with_tools
seconds="${1:-20}"
cd "$ROOT/fuzz"
command -v cargo-fuzz >/dev/null || die "cargo-fuzz not found: run tools/setup.sh --test"

seeds="$ROOT/target/fuzz-seeds"
rm -rf "$seeds"
mkdir -p "$seeds/read_ratings" "$seeds/read_titles" "$seeds/read_features" "$seeds/model_file" "$seeds/session_calls"
# The readers' target takes an options byte first: seed each file with one.
for f in "$ROOT"/tests/corpus/bad/* "$ROOT"/tests/e2e/fixtures/*.csv "$ROOT"/tests/e2e/fixtures/u.data; do
  { printf '\0'; head -c 4000 "$f"; } >"$seeds/read_ratings/$(basename "$f")"
done
head -c 8000 "$ROOT/tests/e2e/fixtures/u.item" >"$seeds/read_titles/u.item"
head -c 8000 "$ROOT/www/data/movietweetings/movies.dat" >"$seeds/read_titles/movies.dat"
# The features reader's first byte picks the side (even: items, odd: users).
{ printf '\0'; head -c 8000 "$ROOT/tests/e2e/fixtures/u.item"; } >"$seeds/read_features/u.item"
printf '\0item,genres\n1,Comedy|Drama\n2,Drama\n' >"$seeds/read_features/lists.csv"
printf '\1user,age,gender\n1,24,M\n2,53,F\n3,23,M\n' >"$seeds/read_features/columns.csv"
{ printf '\1'; printf '%s\n' '1|24|M|technician|85711' '2|53|F|other|94043'; } >"$seeds/read_features/u.user"
# A real model file to start the model reader from.
(cd "$ROOT" && cargo run --quiet --bin mfp -- train --train tests/e2e/fixtures/small.csv \
  --factors 3 --epochs 2 --save "$seeds/model_file/small.json" >/dev/null)

log "cargo fuzz build (sanitizer none: stable toolchain)"
cargo fuzz build -s none
for t in $(cargo fuzz list); do
  log "fuzz $t for $seconds s"
  # A scratch copy of the seeds: what libFuzzer adds to it is not kept.
  work="$ROOT/target/fuzz-corpus/$t"
  rm -rf "$work" && mkdir -p "$work"
  cp -r "$seeds/$t/." "$work/"
  rm -rf "$ROOT/fuzz/artifacts/$t"
  out="$ROOT/target/fuzz-$t.log"
  if ! cargo fuzz run -s none "$t" "$work" -- -max_total_time="$seconds" -max_len=8192 -seed="${MFP_FUZZ_SEED:-1}" >"$out" 2>&1; then
    grep -E 'panicked|ERROR|SUMMARY|artifact|^\s+[0-9]+: ' "$out" | head -40 >&2 || true
    die "fuzz target $t crashed: its input is in fuzz/artifacts/$t/ (full log: $out)"
  fi
  grep -E '^Done' "$out" >&2
done
log "fuzzing found no crash"
