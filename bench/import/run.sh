#!/usr/bin/env bash
# Benchmark of `voix import` into a fresh database, and of the store's read
# paths on the result (load for `voix note --db`, search, stats).
#
# usage: bench/import/run.sh [VOIX]
#   VOIX        the voix binary to measure; default: build a Release binary in build-bench/
# environment:
#   SIZES       rows per input (default "100000")
#   RUNS        timed imports per size (default 5); the table gives medians
#   MAX_LOAD    wait before each measurement until the 1-minute load average is below this (default 1.5)
#   MAX_WAIT    total seconds of such waiting allowed (default 600); then measure anyway
#
# Inputs are generated once into bench/out/ (gitignored) by ../shared/tools/make-corpus
# (the same files as bench/note). Wall time and peak memory come from GNU time
# (/usr/bin/time -v, Debian package "time", installed by scripts/install-deps.sh).
# Results: stdout and bench/out/import-results.md.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHARED="$REPO/../shared"
OUT="$REPO/bench/out"
SIZES=${SIZES:-100000}
RUNS=${RUNS:-5}
MAX_LOAD=${MAX_LOAD:-1.5}
MAX_WAIT=${MAX_WAIT:-600}
GNU_TIME=/usr/bin/time
WAITED=0

if [ ! -x "$SHARED/tools/make-corpus" ]; then
	echo "bench/import: skipped: $SHARED/tools/make-corpus is absent (the shared data sits beside the repository)" >&2
	exit 0
fi
if [ ! -x "$GNU_TIME" ]; then
	echo "bench/import: $GNU_TIME (GNU time, Debian package \"time\") is missing: run scripts/install-deps.sh" >&2
	exit 1
fi

BUILD="$REPO/build-bench"
if [ $# -ge 1 ]; then
	VOIX=$1
	case $VOIX in /*) ;; *) VOIX="$PWD/$VOIX" ;; esac
	BUILD=$(dirname "$VOIX")
else
	cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	ninja -C "$BUILD" voix_cli >/dev/null
	VOIX="$BUILD/voix"
fi
[ -x "$VOIX" ] || { echo "bench/import: $VOIX is not an executable" >&2; exit 1; }

# The read-path timer links the stage libraries of the same build.
LOAD_BENCH="$OUT/load_bench"
mkdir -p "$OUT"
LIBS=""
for stage in storage privacy reading text util; do
	LIBS="$LIBS $BUILD/libvx_$stage.a"
done
# shellcheck disable=SC2046,SC2086
cc -std=c17 -O2 -D_POSIX_C_SOURCE=200809L -I"$REPO/include" -I"$REPO/src" "$HERE/load_bench.c" $LIBS \
	$(pkg-config --libs sqlite3 jansson libpcre2-8 libutf8proc libcrypto) -lstemmer -lxxhash -lm -lpthread \
	-o "$LOAD_BENCH"

# Waits until the machine is quiet enough to measure, within the MAX_WAIT budget.
quiet() {
	while [ "$WAITED" -ge 0 ]; do
		load=$(cut -d' ' -f1 /proc/loadavg)
		awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }' && return
		if [ "$WAITED" -ge "$MAX_WAIT" ]; then
			echo "bench/import: load average still $load after ${MAX_WAIT}s; measuring anyway" >&2
			WAITED=-1
			return
		fi
		sleep 10
		WAITED=$((WAITED + 10))
	done
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# timed DB ARGS...: runs voix import under GNU time; prints "wall_s maxrss_kb".
timed() {
	local log="$OUT/import-time.log"
	"$GNU_TIME" -v "$VOIX" import "$@" --quiet >"$OUT/import-out.txt" 2>"$log"
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; w = s }
	            /Maximum resident set size/ { m = $2 } END { printf "%.2f %d\n", w, m }' "$log"
}

RESULTS="$OUT/import-results.md"
{
	echo "| rows | input | import, fresh db (median of $RUNS) | peak memory | re-import (all unchanged) | db size | load all | load filtered | search | stats |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$RESULTS.tmp"

for n in $SIZES; do
	f="$OUT/corpus-$n.csv"
	if [ ! -f "$f" ]; then
		echo "bench/import: generating $n rows into $f" >&2
		"$SHARED/tools/make-corpus" "$n" "$f.tmp" && mv "$f.tmp" "$f"
	fi
	db="$OUT/import-$n.db"
	walls="" mems=""
	for r in $(seq "$RUNS"); do
		rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
		quiet
		read -r w m < <(timed "$f" --db "$db")
		echo "bench/import: $n rows, run $r: ${w}s, $((m / 1024)) MB: $(cat "$OUT/import-out.txt")" >&2
		walls="$walls $w" mems="$mems $m"
	done
	wall=$(echo "$walls" | tr ' ' '\n' | grep . | median)
	mem=$(echo "$mems" | tr ' ' '\n' | grep . | median)
	quiet
	read -r rw _ < <(timed "$f" --db "$db")
	grep -q "inchangées $n," "$OUT/import-out.txt" || { echo "bench/import: re-import did not find every row unchanged" >&2; exit 1; }
	size=$(du -m "$db" | cut -f1)
	quiet
	"$LOAD_BENCH" "$db" >"$OUT/load-$n.txt"
	get() { awk -v k="$1" '$1 == k { printf "%.2f s (%d)", $2, $3 }' "$OUT/load-$n.txt"; }
	echo "| $n | $(du -m "$f" | cut -f1) MB | ${wall} s | $((mem / 1024)) MB | ${rw} s | ${size} MB | $(get load_all) | $(get load_filtered) | $(get search) | $(get stats) |" >>"$RESULTS.tmp"
	rm -f "$db" "$db-wal" "$db-shm"
done
mv "$RESULTS.tmp" "$RESULTS"
cat "$RESULTS"
