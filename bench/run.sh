#!/usr/bin/env bash
# All the benchmarks, one after the other (see bench/README.md): import, note
# (with the scikit-learn peer), and personal-data recall.
# usage: bench/run.sh [VOIX]   (default: a Release build in build-bench/)
set -eu
cd "$(dirname "$0")/.."
VOIX=${1:-}
bench/import/run.sh ${VOIX:+"$VOIX"}
bench/note/run.sh ${VOIX:+"$VOIX"}
python3 bench/note/service_purity.py
python3 bench/privacy/recall.py ${VOIX:+--voix "$VOIX"}
