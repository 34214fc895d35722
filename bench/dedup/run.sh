#!/usr/bin/env bash
# Near-duplicate pairs, word rules alone against all three rules, on the
# shared corpora; the pairs only the new rule finds go to bench/out/dedup/
# (ids only) for reading. usage: bench/dedup/run.sh [BUILD] (default build/,
# a Release build). Results: stdout; bench/dedup/RESULTS.md is written by hand
# from them.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DATA="$REPO/../shared/data"
BUILD=${1:-$REPO/build}
OUT="$REPO/bench/out/dedup"
if [ ! -d "$DATA" ]; then
	echo "bench/dedup: skipped: $DATA is absent (the shared data sits beside the repository)" >&2
	exit 0
fi
mkdir -p "$OUT"
LIBS=""
for stage in model reading text util; do
	LIBS="$LIBS $BUILD/libvx_$stage.a"
done
# shellcheck disable=SC2046,SC2086
cc -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -I"$REPO/include" -I"$REPO/src" "$HERE/pairs.c" $LIBS \
	$(pkg-config --libs jansson libpcre2-8 libutf8proc libcrypto) -lstemmer -lxxhash -lm -lpthread -o "$OUT/pairs"
run() { # name file [map]
	echo "== $1"
	"$OUT/pairs" "$2" ${3:+"$3"} > "$OUT/$1.tsv"
	head -3 "$OUT/$1.tsv"
}
run spplus "$DATA/sp-plus-2023-sample/experiences.csv"
run pole-emploi "$DATA/google-reviews-pole-emploi/reviews.csv"
run gdn "$DATA/gdn-reunions-locales/reunions.csv" "text=Quelles sont les propositions qui ont emerge des discussions"
run allocine "$DATA/allocine-reviews-sample/train_data_allocine.csv" "text=text"
