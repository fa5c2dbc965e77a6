#!/usr/bin/env bash
# Reproduces RESULTS.md "More than one machine": one IMDB LSTM epoch on the real training archive
# with 1 rank × 1 thread, 1 rank × 2 threads (the default) and 2 ranks × 1 thread (mpirun), each
# REPEATS times interleaved, plus the step time at smaller per-rank batches (the scaling model's
# compute term) and the allreduce traffic rank 0 logs.
#   bash scripts/mpi_scaling.sh [OUT_DIR]        (BIN=.build/release/pipeline, REPEATS=3)
# Prints one line per run: config, epoch seconds (history.json), samples/s; the MPI lines as logged.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/mpi-scaling}
BIN=${BIN:-.build/release/pipeline}
REPEATS=${REPEATS:-3}
ARCHIVE=../shared/data/aclImdb-train.tar.gz
[ -f "$ARCHIVE" ] || { echo "skipped: $ARCHIVE is absent" >&2; exit 0; }
[ -x "$BIN" ] || swift build -c release --product pipeline
MPIRUN=(mpirun --oversubscribe -np 2)
[ "$(id -u)" = 0 ] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe -np 2)
mkdir -p "$OUT"
COMMON=(pipelines/imdb-lstm.yaml --source "$ARCHIVE" --set train.epochs=1 --set train.validation_split=0.2 --overwrite)
"$BIN" prepare pipelines/imdb-lstm.yaml --source "$ARCHIVE" --output "$OUT/prepared" --overwrite --quiet >/dev/null   # warm the download/prepared caches
"$BIN" run "${COMMON[@]}" --output "$OUT/warm" --quiet >/dev/null
epoch() { python3 -c "import json,sys; h=json.load(open(sys.argv[1]+'/history.json')); print('%.2f' % h['epoch_seconds'][0])" "$1"; }
for r in $(seq 1 "$REPEATS"); do
  "$BIN" run "${COMMON[@]}" --set train.threads=1 --output "$OUT/1x1" --quiet >/dev/null
  echo "1 rank x 1 thread   epoch $(epoch "$OUT/1x1") s"
  "$BIN" run "${COMMON[@]}" --set train.threads=2 --output "$OUT/1x2" --quiet >/dev/null
  echo "1 rank x 2 threads  epoch $(epoch "$OUT/1x2") s"
  "${MPIRUN[@]}" "$BIN" run "${COMMON[@]}" --output "$OUT/2x1" 2>&1 >/dev/null | grep '^MPI:' || true
  echo "2 ranks x 1 thread  epoch $(epoch "$OUT/2x1") s"
done
# The compute term of the scaling model: one process, one thread, the per-rank batch of N ranks
# for a global batch of 128 (N = 8: 16 samples, N = 64: 2), 20 steps each.
for b in 128 16 2; do
  "$BIN" run "${COMMON[@]}" --set train.threads=1 --set train.batch_size=$b --set train.steps_per_epoch=20 \
    --set train.validation_split=null --output "$OUT/b$b" --quiet >/dev/null
  echo "batch $b, 1 thread: $(python3 -c "import json,sys; h=json.load(open(sys.argv[1]+'/history.json')); print('%.2f ms/step' % (h['epoch_seconds'][0]/20*1e3))" "$OUT/b$b")"
done
