#!/usr/bin/env bash
# The accuracy table of docs/features.md ("Bigger models"): NCF's leave-one-out protocol (each
# user's latest interaction by the file's timestamps, ranked among 99 unseen items) for MF, GMF,
# MLP and NeuMF against popularity, on MovieTweetings (every rating an interaction) and on the
# page's MovieTweetings subset. One thread, release build; prints one line per model.
#
# usage: bench/loo_table.sh [MOVIETWEETINGS_RATINGS_DAT]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FULL="${1:-$ROOT/../shared/data/movietweetings-100k/ratings.dat}"
SUBSET="$ROOT/www/data/movietweetings/ratings.dat"
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin mfp
MFP="$ROOT/target/release/mfp"

row() {
  local data="$1" name="$2"
  shift 2
  "$MFP" train --train "$data" --implicit-threshold 0 --protocol loo --epochs 20 --json "$@" |
    tail -n 1 |
    NAME="$name" python3 -c "import json,os,sys; f=json.load(sys.stdin); print('| {} | {:,} | {:.1f} | {:.3f} | {:.3f} | popularity {:.3f} {:.3f} | held out: {}'.format(os.environ['NAME'], f['parameters'], f['seconds'], f['hr_at_10'], f['ndcg_at_10'], f['popularity_hr_at_10'], f['popularity_ndcg_at_10'], f['held_out']))"
}

for data in "$FULL" "$SUBSET"; do
  echo "== $data"
  row "$data" "MF, Adam, k = 8, λ = 0.01, 4 negatives" --algo adam --factors 8 --reg 0.01 --negatives 4
  row "$data" "MF, Adam, k = 32, λ = 0.01" --algo adam --factors 32 --reg 0.01 --negatives 4
  row "$data" "GMF, He et al.'s defaults" --family gmf
  row "$data" "MLP 64,32,16,8" --family mlp
  row "$data" "NeuMF 8 + 64,32,16,8" --family neumf
done
