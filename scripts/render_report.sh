#!/bin/sh
# Renders a run's report.html and plots, and a `pipeline compare` overlay, in headless Chromium
# and writes PNG screenshots to look at (issue 17: check the plots in a real browser).
#
#   scripts/render_report.sh [OUT_DIR]          # default /tmp/pipeline-render
#
# Needs the debug binary (swift build) and Debian's chromium (apt-get install -y chromium).
# Trains two fixture pipelines (seconds each) into OUT_DIR/runs, then writes:
#   OUT_DIR/report.png          report.html of the IMDB LSTM fixture (full page, 1200 px wide)
#   OUT_DIR/loss.png, acc.png   its SVG plots alone
#   OUT_DIR/jena-loss.png       the weather GRU fixture's loss plot (baseline reference line)
#   OUT_DIR/compare.png         compare of an IMDB and a weather run: one panel per metric,
#                               val_loss split by loss (cross-entropy vs MAE)
# Not part of the test suite: CI has no browser. Exit status non-zero if a step fails.
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/pipeline-render}
BIN=.build/debug/pipeline
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -x "$BIN" ] || { echo "build first: swift build" >&2; exit 1; }
[ -n "$CHROME" ] || { echo "no chromium: apt-get install -y chromium" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT/runs"

"$BIN" run pipelines/fixtures/imdb-lstm.yaml --output "$OUT/runs/imdb" --set train.epochs=12 --quiet
"$BIN" run pipelines/fixtures/jena-gru.yaml --output "$OUT/runs/jena" --quiet
"$BIN" compare "$OUT/runs/imdb" "$OUT/runs/jena" --svg "$OUT/compare.svg" > "$OUT/compare.txt"

shot() {   # shot PNG WIDTHxHEIGHT FILE
    "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$1" \
        --window-size="$2" "file://$(realpath "$3")" > /dev/null 2>&1
    echo "$1"
}
shot "$OUT/report.png" 1200,2600 "$OUT/runs/imdb/report.html"
shot "$OUT/loss.png" 900,420 "$OUT/runs/imdb/loss.svg"
shot "$OUT/acc.png" 900,420 "$OUT/runs/imdb/acc.svg"
shot "$OUT/jena-loss.png" 900,420 "$OUT/runs/jena/loss.svg"
shot "$OUT/compare.png" 1000,1300 "$OUT/compare.svg"
cat "$OUT/compare.txt"
