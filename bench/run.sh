#!/usr/bin/env bash
# All the benchmarks, one after the other (see bench/README.md): voix against
# the alternatives (speed, memory, quality: bench/RESULTS.md), then the import
# details, the personal-data recall and the agreement with the analyst
# references (bench/quality/RESULTS.md).
# usage: bench/run.sh [VOIX]   (default: a Release build in build-bench/)
set -eu
cd "$(dirname "$0")/.."
VOIX=${1:-}
bench/compare/run.sh ${VOIX:+"$VOIX"}
bench/import/run.sh ${VOIX:+"$VOIX"}
python3 bench/privacy/recall.py ${VOIX:+--voix "$VOIX"}
python3 bench/quality/agreement.py "${VOIX:-build-bench/voix}" --peer
bench/feeling/run.sh "${VOIX:-build-bench/voix}"
