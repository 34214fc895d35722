#!/usr/bin/env bash
# Benchmark of `voix note` at 10k, 100k and 1M rows of make-corpus output, beside
# the scikit-learn peer (peer_sklearn.py), printed as a Markdown table.
#
# usage: bench/note/run.sh [VOIX]
#   VOIX            the voix binary to measure; default: build a Release binary in build-bench/
# environment:
#   SIZES           rows per input (default "10000 100000 1000000")
#   MAX_LOAD        wait before each measurement until the 1-minute load average is below this (default 1.5)
#   MAX_WAIT        total seconds of such waiting allowed for the whole run (default 600); then measure anyway
#   PEER            1: also time the scikit-learn peer (default 1; needs python3-sklearn for /usr/bin/python3)
#   PEER_SIZES      sizes the peer runs at (default "10000 100000 1000000")
#   PEER_TIMEOUT    seconds the peer may take per run at 1M rows before it is given up (default 180)
#   QUIET_CORES     a run is "quiet" when other processes used less than this many cores in the second
#                   before it (default 0.25); the table also gives the median wall time of the quiet runs
#
# Inputs are generated once into bench/out/ (gitignored) by ../shared/tools/make-corpus.
# Each size runs `voix note FILE -o OUT.json` once untimed (page cache warm), then 5 times
# (3 at 1M) under GNU time; the table gives medians. Results also go to bench/out/note-results.md
# and every run to bench/out/note-runs.tsv.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHARED="$REPO/../shared"
OUT="$REPO/bench/out"
SIZES=${SIZES:-"10000 100000 1000000"}
MAX_LOAD=${MAX_LOAD:-1.5}
MAX_WAIT=${MAX_WAIT:-600}
PEER=${PEER:-1}
PEER_SIZES=${PEER_SIZES:-"10000 100000 1000000"}
PEER_TIMEOUT=${PEER_TIMEOUT:-180}
QUIET_CORES=${QUIET_CORES:-0.25}
PY=/usr/bin/python3
GNU_TIME=/usr/bin/time
WAITED=0   # seconds waited so far; -1 once the budget is spent (then no more waiting)

if [ ! -x "$SHARED/tools/make-corpus" ]; then
	echo "bench/note: skipped: $SHARED/tools/make-corpus is absent (the shared data sits beside the repository)" >&2
	exit 0
fi
if [ ! -x "$GNU_TIME" ]; then
	echo "bench/note: $GNU_TIME (GNU time, Debian package \"time\") is missing: apt-get install time" >&2
	exit 1
fi

if [ $# -ge 1 ]; then
	VOIX=$1
else
	BUILD="$REPO/build-bench"
	cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	ninja -C "$BUILD" voix_cli >/dev/null
	VOIX="$BUILD/voix"
fi
[ -x "$VOIX" ] || { echo "bench/note: $VOIX is not an executable" >&2; exit 1; }
case $VOIX in /*) ;; *) VOIX="$PWD/$VOIX" ;; esac

mkdir -p "$OUT"
for n in $SIZES; do
	f="$OUT/corpus-$n.csv"
	if [ ! -f "$f" ]; then
		echo "bench/note: generating $n rows into $f" >&2
		"$SHARED/tools/make-corpus" "$n" "$f.tmp" && mv "$f.tmp" "$f"
	fi
done

if [ "$PEER" = 1 ] && ! "$PY" -c 'import sklearn' 2>/dev/null; then
	echo "bench/note: $PY has no scikit-learn (Debian package python3-sklearn): peer not measured" >&2
	PEER=0
fi

# peer_at N: true when the peer runs at N rows.
peer_at() { [ "$PEER" = 1 ] && [[ " $PEER_SIZES " == *" $1 "* ]]; }

load1() { cut -d' ' -f1 /proc/loadavg; }

# Waits until the 1-minute load average is below MAX_LOAD, within the total budget MAX_WAIT.
wait_load() {
	[ "$WAITED" -ge 0 ] || return 0
	while awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l >= m) }'; do
		if [ "$WAITED" -ge "$MAX_WAIT" ]; then
			echo "bench/note: load $(load1) >= $MAX_LOAD after ${WAITED} s of waiting: measuring anyway from now on" >&2
			WAITED=-1
			return
		fi
		sleep 10
		WAITED=$((WAITED + 10))
	done
}

# Cores kept busy by other processes, sampled over 1 s from /proc/stat while this script is idle.
busy_cores() {
	local a b
	a=$(head -1 /proc/stat)
	sleep 1
	b=$(head -1 /proc/stat)
	awk -v a="$a" -v b="$b" -v n="$(nproc)" 'BEGIN {
		split(a, x); split(b, y); t = 0; i = 0
		for (k = 2; k <= 9; k++) t += y[k] - x[k]
		i = (y[5] - x[5]) + (y[6] - x[6])
		printf "%.2f\n", (t > 0) ? n * (t - i) / t : 0 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The value of "key": NUMBER in the "run" object of a voix note JSON (the last such key in the file).
json_run() { awk -v k="\"$2\":" '$1 == k { gsub(/,/, "", $2); v = $2 } END { print v }' "$1"; }
# A numeric key of the peer's JSON (written by json.dump, one key per line).
json_peer() { awk -v k="\"$2\":" '$1 == k { gsub(/,/, "", $2); print $2; exit }' "$1"; }

# The "stages" object of run (one "name": seconds per line), as name<TAB>seconds lines; empty if absent.
json_stages() {
	awk '/"stages": \{/ { on = 1; next } on && /\}/ { on = 0 } on { gsub(/[",:]/, " "); print $1 "\t" $2 }' "$1"
}

RUNS="$OUT/note-runs.tsv"
STAGES="$OUT/note-stages.tsv"
: >"$STAGES"
printf 'tool\trows\trun\twall_s\tuser_s\tsys_s\tmax_rss_kb\tinternal_s\tinternal_rss_kb\tload1\tbusy_cores\n' >"$RUNS"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# measure TOOL N RUNS TIMEOUT CMD...: appends one line per run to $RUNS.
# The command writes its JSON to $TMP/out.json. A run that fails or times out ends the series.
measure() {
	local tool=$1 n=$2 runs=$3 limit=$4
	shift 4
	local r first=0
	[ "$runs" -gt 1 ] || first=1   # a single run gets no warm-up
	wait_load   # once per series: the runs of the series itself raise the load average
	for r in $(seq "$first" "$runs"); do
		local load busy
		busy=$(busy_cores)
		load=$(load1)
		rm -f "$TMP/out.json"
		if ! timeout "$limit" "$GNU_TIME" -f '%e %U %S %M' -o "$TMP/time" "$@" >"$TMP/stdout" 2>"$TMP/stderr"; then
			echo "bench/note: $tool at $n rows failed or took more than $limit s (run $r)" >&2
			tail -3 "$TMP/stderr" >&2
			printf '%s\t%s\t%s\tFAILED\n' "$tool" "$n" "$r" >>"$RUNS"
			return 0
		fi
		[ "$r" -eq 0 ] && continue   # warm-up: page cache, not timed
		local e u s m is ir
		read -r e u s m <"$TMP/time"
		if [ "$tool" = voix ]; then
			is=$(json_run "$TMP/out.json" seconds)
			ir=$(json_run "$TMP/out.json" peak_rss_kb)
			json_stages "$TMP/out.json" | sed "s/^/$n\t$r\t/" >>"$STAGES"
		else
			is=$(json_peer "$TMP/out.json" seconds)
			ir=$(json_peer "$TMP/out.json" peak_rss_kb)
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$r" "$e" "$u" "$s" "$m" "$is" "$ir" "$load" "$busy" >>"$RUNS"
		echo "bench/note: $tool $n rows run $r: ${e} s wall, ${u} s user, $((m / 1024)) MB (load $load, others $busy cores)" >&2
	done
}

for n in $SIZES; do
	runs=5
	[ "$n" -ge 1000000 ] && runs=3
	measure voix "$n" "$runs" 600 "$VOIX" note "$OUT/corpus-$n.csv" -o "$TMP/out.json"
	if peer_at "$n"; then
		pruns=3 plimit=600
		# At 1M rows the peer gets one attempt, given up after PEER_TIMEOUT seconds.
		[ "$n" -ge 1000000 ] && pruns=1 plimit=$PEER_TIMEOUT
		measure scikit-learn "$n" "$pruns" "$plimit" "$PY" "$HERE/../peers/peer_sklearn.py" "$OUT/corpus-$n.csv" --json "$TMP/out.json"
	fi
done

# col TOOL N FIELD: median of a column over the timed runs.
col() {
	awk -F'\t' -v t="$1" -v n="$2" -v c="$3" '$1 == t && $2 == n && $4 != "FAILED" { print $c }' "$RUNS" | median
}
# quiet_col TOOL N FIELD: median of a column over the timed runs that were quiet.
quiet_col() {
	awk -F'\t' -v t="$1" -v n="$2" -v c="$3" -v q="$QUIET_CORES" \
		'$1 == t && $2 == n && $4 != "FAILED" && $11 + 0 < q + 0 { print $c }' "$RUNS" | median
}
count_quiet() {
	awk -F'\t' -v t="$1" -v n="$2" -v q="$QUIET_CORES" '$1 == t && $2 == n && $4 != "FAILED" && $11 + 0 < q + 0' "$RUNS" | wc -l
}
# wall TOOL N: median wall time of the quiet runs when there are any, else of all runs.
wall() {
	if [ "$(count_quiet "$1" "$2")" -gt 0 ]; then quiet_col "$1" "$2" 4; else col "$1" "$2" 4; fi
}
count_runs() { awk -F'\t' -v t="$1" -v n="$2" '$1 == t && $2 == n && $4 != "FAILED"' "$RUNS" | wc -l; }
failed() { awk -F'\t' -v t="$1" -v n="$2" '$1 == t && $2 == n && $4 == "FAILED"' "$RUNS" | wc -l; }
# range TOOL N FIELD: smallest–largest value of a column over the timed runs.
range() {
	awk -F'\t' -v t="$1" -v n="$2" -v c="$3" '$1 == t && $2 == n && $4 != "FAILED" {
		if (lo == "" || $c + 0 < lo + 0) lo = $c; if (hi == "" || $c + 0 > hi + 0) hi = $c }
		END { print (lo == hi) ? lo : lo "–" hi }' "$RUNS"
}

{
	echo "| tool | rows | runs | wall s | quiet runs | wall s, quiet | user s | sys s | peak RSS MB | rows/s | internal s | internal peak MB | load (1 min) | others' cores |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
	for n in $SIZES; do
		for tool in voix scikit-learn; do
			if [ "$tool" = scikit-learn ] && ! peer_at "$n"; then continue; fi
			k=$(count_runs "$tool" "$n")
			if [ "$k" -eq 0 ]; then
				[ "$(failed "$tool" "$n")" -gt 0 ] && echo "| $tool | $n | 0 | did not finish (limit $([ "$n" -ge 1000000 ] && [ "$tool" = scikit-learn ] && echo "$PEER_TIMEOUT" || echo 600) s) | | | | | | | | | | |"
				continue
			fi
			e=$(col "$tool" "$n" 4)
			awk -v tool="$tool" -v n="$n" -v k="$k" -v e="$e" -v kq="$(count_quiet "$tool" "$n")" \
				-v eq="$(quiet_col "$tool" "$n" 4)" -v u="$(col "$tool" "$n" 5)" \
				-v s="$(col "$tool" "$n" 6)" -v m="$(col "$tool" "$n" 7)" -v is="$(col "$tool" "$n" 8)" \
				-v ir="$(col "$tool" "$n" 9)" -v l="$(range "$tool" "$n" 10)" -v b="$(range "$tool" "$n" 11)" 'BEGIN {
				printf "| %s | %d | %d | %.2f | %d | %s | %.2f | %.2f | %.0f | %.0f | %.3f | %.0f | %s | %s |\n",
					tool, n, k, e, kq, kq ? sprintf("%.2f", eq) : "—", u, s, m / 1024, n / (kq ? eq : e),
					is, ir / 1024, l, b }'
		done
	done
	echo
	echo "wall, user, sys and peak RSS: GNU time around the whole process (median of the timed runs);"
	echo "quiet runs: those before which other processes used less than $QUIET_CORES cores; rows/s uses the"
	echo "quiet median when there is one;"
	echo "internal: voix's run.seconds / run.peak_rss_kb from its JSON; for the peer, its own timer (read to"
	echo "top terms, imports excluded) and getrusage peak. MB = 1024 KiB. load: 1-minute load average when"
	echo "each run started; others' cores: CPU used by other processes in the second before each run."
	if [ -s "$STAGES" ]; then
		echo
		echo "voix run.stages (seconds, median over the timed runs of each size):"
		echo
		awk -F'\t' '
			!($3 in seen) { seen[$3] = 1; order[++k] = $3 }
			!($1 in sz) { sz[$1] = 1; sizes[++m] = $1 }
			{ v[$1, $3, ++c[$1, $3]] = $4 }
			END {
				line = "| stage |"; sep = "| --- |"
				for (j = 1; j <= m; j++) { line = line " " sizes[j] " rows |"; sep = sep " ---: |" }
				print line; print sep
				for (i = 1; i <= k; i++) {
					line = "| " order[i] " |"
					for (j = 1; j <= m; j++) {
						n = c[sizes[j], order[i]]
						for (a = 1; a <= n; a++) x[a] = v[sizes[j], order[i], a]
						for (a = 2; a <= n; a++) for (b = a; b > 1 && x[b - 1] + 0 > x[b] + 0; b--) { t = x[b]; x[b] = x[b - 1]; x[b - 1] = t }
						med = n ? (n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2) : ""
						line = line " " (n ? sprintf("%.3f", med) : "") " |"
					}
					print line
				}
			}' "$STAGES"
		echo
	fi
	echo "Ratios and targets below use the quiet median when there is one."
	prev_n="" prev_e="" prev_m=""
	for n in $SIZES; do
		[ "$(count_runs voix "$n")" -gt 0 ] || continue
		e=$(wall voix "$n")
		m=$(col voix "$n" 7)
		if [ -n "$prev_n" ]; then
			awk -v a="$prev_n" -v b="$n" -v ea="$prev_e" -v eb="$e" -v ma="$prev_m" -v mb="$m" 'BEGIN {
				printf "voix time(%d)/time(%d) = %.2f for %.0f× the rows (linear: %.0f); peak RSS ratio %.2f\n",
					b, a, eb / ea, b / a, b / a, mb / ma }'
		fi
		prev_n=$n prev_e=$e prev_m=$m
	done
	for n in $SIZES; do
		[ "$(count_runs voix "$n")" -gt 0 ] || continue
		case $n in
		100000) awk -v e="$(wall voix "$n")" -v m="$(col voix "$n" 7)" 'BEGIN {
			printf "target 100,000 rows: <= 1 s wall and <= 200 MB: measured %.2f s, %.0f MB: %s\n",
				e, m / 1024, (e <= 1 && m / 1024 <= 200) ? "met" : "NOT met" }' ;;
		1000000) awk -v e="$(wall voix "$n")" 'BEGIN {
			printf "target 1,000,000 rows: <= 10 s wall: measured %.2f s: %s\n", e, e <= 10 ? "met" : "NOT met" }' ;;
		esac
	done
} | tee "$OUT/note-results.md"
