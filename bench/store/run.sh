#!/usr/bin/env bash
# The two stores side by side: `voix import` of a make-corpus file into a
# fresh database, then `voix note --db` from it, for SQLite and for
# PostgreSQL (a throwaway local cluster, Unix socket, fsync on), with the
# wall time and the peak memory (maximum resident set size) of the voix
# process from GNU time. The PostgreSQL server's own memory is not in the
# voix figures: it is a separate process (its shared_buffers, 128 MB by
# default, are what it keeps).
#
# usage: bench/store/run.sh [VOIX]
#   VOIX   the voix binary to measure; default: a Release build in build-bench/
# environment:
#   SIZES  rows per input (default "100000"; "100000 1000000" for both)
#   RUNS   runs per size and store (default 3); the table gives each run
#
# Inputs are written into bench/out/ (gitignored) by ../shared/tools/make-corpus.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHARED="$REPO/../shared"
OUT="$REPO/bench/out"
SIZES=${SIZES:-100000}
RUNS=${RUNS:-3}
GNU_TIME=/usr/bin/time
[ -x "$SHARED/tools/make-corpus" ] || { echo "bench/store: no $SHARED/tools/make-corpus" >&2; exit 1; }
[ -x "$GNU_TIME" ] || { echo "bench/store: no $GNU_TIME (apt-get install time)" >&2; exit 1; }
VOIX=${1:-}
if [ -z "$VOIX" ]; then
	cmake -S "$REPO" -B "$REPO/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	ninja -C "$REPO/build-bench" -j2 voix_cli >/dev/null
	VOIX=$REPO/build-bench/voix
fi
VOIX=$(realpath "$VOIX")
mkdir -p "$OUT"
ENV="$OUT/store-pg.env"
TMP=$(mktemp -d /tmp/voix-bench-store.XXXXXX)
cleanup() { bash "$REPO/scripts/pg-cluster.sh" stop "$ENV" >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT
PG_FSYNC=on bash "$REPO/scripts/pg-cluster.sh" start "$ENV" >/dev/null
# measure NAME CMD...: one line "NAME seconds peak_MB"
measure() {
	local name=$1
	shift
	"$GNU_TIME" -v "$@" >"$TMP/out" 2>"$TMP/time" || { cat "$TMP/time" >&2; exit 1; }
	local wall rss
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/time" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time")
	printf '%s %s %d\n' "$name" "$wall" $((rss / 1024))
}
echo "| rows | run | store | import (s) | import peak (MB) | note --db (s) | note peak (MB) |"
echo "|---:|---:|---|---:|---:|---:|---:|"
for n in $SIZES; do
	csv="$OUT/corpus-$n.csv"
	[ -s "$csv" ] || python3 "$SHARED/tools/make-corpus" "$n" "$csv" >/dev/null
	for run in $(seq 1 "$RUNS"); do
		for store in sqlite postgresql; do
			if [ "$store" = sqlite ]; then
				db="$TMP/voix.db"
				rm -f "$db" "$db-wal" "$db-shm"
			else
				db=$(bash "$REPO/scripts/pg-cluster.sh" createdb "$ENV" "bench_$n")
			fi
			read -r _ ti mi < <(measure import "$VOIX" import "$csv" --db "$db" --quiet)
			read -r _ tn mn < <(measure note "$VOIX" note --db "$db" -o "$TMP/note.json")
			echo "| $n | $run | $store | $ti | $mi | $tn | $mn |"
		done
	done
done
