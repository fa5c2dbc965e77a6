#!/usr/bin/env bash
# Reproduces RESULTS.md: every pipeline of the chapter on the real data in ../shared/data.
#   bash scripts/real_runs.sh [OUT_DIR] [pipeline-name ...]      (default OUT_DIR: runs/real)
# IMDB: the real 25,000-review training archive, validation_split 0.2 (the last 20 % before shuffling).
# Weather: the raw 2024 station export (19,132 rows), the book's windows (lookback 1440, step 6,
# delay 144) and chronological train/validation/test shares scaled from the book's
# 200,000/100,000/rest of 420,551 rows; steps_per_epoch 60 ≈ one pass over its train windows.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/real}; shift || true
BIN=${BIN:-.build/release/pipeline}
[ -x "$BIN" ] || swift build -c release --product pipeline
DATA=../shared/data
mkdir -p "$OUT"
all=(imdb-simplernn imdb-lstm imdb-gru imdb-bilstm imdb-stacked-simplernn
     jena-baseline jena-dense jena-gru jena-gru-dropout jena-stacked-gru jena-bigru jena-conv1d-gru)
names=("${@:-${all[@]}}")
WEATHER=(--source "$DATA/mpi-roof-2024.csv" --set 'timeseries.ranges=null'
         --set 'timeseries.fractions={train: 0.4756, validation: 0.2378}')
for name in "${names[@]}"; do
  case "$name" in
    imdb-*) args=(--source "$DATA/aclImdb-train.tar.gz") ;;
    jena-baseline) args=("${WEATHER[@]}") ;;
    jena-*) args=("${WEATHER[@]}" --set train.steps_per_epoch=60 --set train.validation_steps=null) ;;
  esac
  echo "== $name: $BIN run pipelines/$name.yaml ${args[*]} ${EXTRA:-}"
  "$BIN" run "pipelines/$name.yaml" "${args[@]}" ${EXTRA:-} --output "$OUT/$name" --overwrite
done
