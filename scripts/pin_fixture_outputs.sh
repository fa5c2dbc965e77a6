#!/usr/bin/env bash
# Records what every fixture pipeline (pipelines/fixtures/*.yaml) produces into
# Tests/PipelineCLITests/Pins/fixture-pins.json: SHA-256 of the prepared files and of each trained
# tensor, plus this machine's signature (CPU, AVX2/FMA, OpenBLAS core). FixturePinsTests compares
# later runs against it (weights only on a machine with the same signature).
#
# Run it only when a change of output is intended, and say why in the commit. Each spec runs twice;
# a spec whose two runs differ is reported and nothing is written.
# Usage: scripts/pin_fixture_outputs.sh          (builds the debug binary and tests first)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
PIPELINE_WRITE_PINS=1 swift test --skip-build --filter 'FixturePinsTests/writePins'
git --no-pager diff --stat -- Tests/PipelineCLITests/Pins/ || true
