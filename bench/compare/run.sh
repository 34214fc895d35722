#!/usr/bin/env bash
# voix against the alternatives, in one run: speed, memory and topic quality
# side by side (see bench/README.md).
#
# usage: bench/compare/run.sh [VOIX]
#   VOIX            the voix binary; default: a Release build in build-bench/
# environment:
#   SIZES           rows of make-corpus input timed (default "10000 100000 1000000")
#   INPUT           time and evaluate this one file instead of make-corpus output (the smoke run uses the
#                   bundled example); SIZES is then ignored
#   RUNS            timed runs per tool and size, after one untimed warm-up (default 3)
#   PEERS           1: run the scikit-learn and gensim peers (default 1)
#   INSTALL_PEERS   1: install python3-sklearn and python3-gensim with apt-get when they are missing and this
#                   runs as root (default 1); the script says so
#   PEER_LARGE      rows from which a peer gets one run only, no warm-up (default 1000000)
#   PEER_TIMEOUT    seconds a peer may take per run before it is given up (default 900)
#   QUALITY_SIZES   sizes at which the quality figures are computed (default "10000 100000")
#   RESAMPLES       seeded 90 % resamples per system for the stability figure (default 5)
#   OUT             where runs, notes and peer outputs go (default bench/out/compare)
#   RESULTS         the Markdown report (default bench/RESULTS.md); the SVG plot goes beside it
#
# Every command runs under GNU time (/usr/bin/time): wall, user and system seconds and peak resident
# memory. In each round the commands run one after the other, in an order rotated from round to round,
# so that a change of machine load hits every tool alike; the voix/peer ratios are taken per round.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SHARED="$REPO/../shared"
SIZES=${SIZES:-"10000 100000 1000000"}
INPUT=${INPUT:-}
RUNS=${RUNS:-3}
PEERS=${PEERS:-1}
INSTALL_PEERS=${INSTALL_PEERS:-1}
PEER_LARGE=${PEER_LARGE:-1000000}
PEER_TIMEOUT=${PEER_TIMEOUT:-900}
QUALITY_SIZES=${QUALITY_SIZES:-"10000 100000"}
RESAMPLES=${RESAMPLES:-5}
OUT=${OUT:-"$REPO/bench/out/compare"}
RESULTS=${RESULTS:-"$REPO/bench/RESULTS.md"}
PY=/usr/bin/python3
GNU_TIME=/usr/bin/time
VOIX_TIMEOUT=600

say() { echo "bench/compare: $*" >&2; }

[ -x "$GNU_TIME" ] || { say "$GNU_TIME (Debian package \"time\") is missing: apt-get install time"; exit 1; }
[ -x "$PY" ] || { say "$PY is missing"; exit 1; }

if [ $# -ge 1 ]; then
	VOIX=$1
else
	cmake -S "$REPO" -B "$REPO/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	ninja -C "$REPO/build-bench" voix_cli >/dev/null
	VOIX="$REPO/build-bench/voix"
fi
case $VOIX in /*) ;; *) VOIX="$PWD/$VOIX" ;; esac
[ -x "$VOIX" ] || { say "$VOIX is not an executable"; exit 1; }

mkdir -p "$OUT"
case $OUT in /*) ;; *) OUT="$PWD/$OUT" ;; esac

# ---- Inputs ---------------------------------------------------------------

# corpus_for N: the path of the input of N rows (generated once, cached in bench/out/).
corpus_for() {
	if [ -n "$INPUT" ]; then
		echo "$INPUT"
		return
	fi
	local f="$REPO/bench/out/corpus-$1.csv"
	mkdir -p "$REPO/bench/out"
	if [ ! -f "$f" ]; then
		say "generating $1 rows into $f"
		"$SHARED/tools/make-corpus" "$1" "$f.tmp" >&2 && mv "$f.tmp" "$f" || { say "make-corpus failed for $1 rows"; exit 1; }
	fi
	echo "$f"
}

if [ -n "$INPUT" ]; then
	[ -f "$INPUT" ] || { say "$INPUT does not exist"; exit 1; }
	case $INPUT in /*) ;; *) INPUT="$PWD/$INPUT" ;; esac
	# the size of a given file: its documents (rows with a title or a description), as quality.py counts them
	rows=$("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import quality; print(quality.read_corpus(sys.argv[2]).n)' \
		"$HERE" "$INPUT")
	SIZES=$rows
	QUALITY_SIZES=$rows
elif [ ! -x "$SHARED/tools/make-corpus" ]; then
	say "skipped: $SHARED/tools/make-corpus is absent (the shared data sits beside the repository); INPUT=FILE runs on one file"
	exit 0
fi

# ---- Peers ----------------------------------------------------------------

peer_ok() { "$PY" -c "import $1" 2>/dev/null; }

if [ "$PEERS" = 1 ] && { ! peer_ok sklearn || ! peer_ok gensim; }; then
	if [ "$INSTALL_PEERS" = 1 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		say "installing the peers' Debian packages python3-sklearn and python3-gensim (apt-get)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-gensim >/dev/null ||
			say "apt-get could not install them"
	fi
fi
TOOLS="import note-md note-html note-json"
if [ "$PEERS" = 1 ]; then
	if peer_ok sklearn; then TOOLS="$TOOLS scikit-learn"; else say "scikit-learn is not available for $PY (python3-sklearn): peer skipped"; fi
	if peer_ok gensim; then TOOLS="$TOOLS gensim"; else say "gensim is not available for $PY (python3-gensim): peer skipped"; fi
else
	say "PEERS=0: peers not run"
fi

# ---- Timing ---------------------------------------------------------------

RUNS_TSV="$OUT/runs.tsv"
printf 'tool\trows\trun\twall_s\tuser_s\tsys_s\tmax_rss_kb\tload1\n' >"$RUNS_TSV"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

is_peer() { [ "$1" = scikit-learn ] || [ "$1" = gensim ]; }

# command_for TOOL FILE TAG: sets CMD to the command line of TOOL on FILE; outputs go to $OUT/<tool>-TAG.*
command_for() {
	local tool=$1 f=$2 tag=$3
	case $tool in
	import) CMD=("$VOIX" import "$f" --db "$TMP/import.db" --quiet) ;;
	note-md) CMD=("$VOIX" note "$f" -o "$OUT/voix-$tag.md") ;;
	note-html) CMD=("$VOIX" note "$f" -o "$OUT/voix-$tag.html") ;;
	note-json) CMD=("$VOIX" note "$f" --terms 25 -o "$OUT/voix-$tag.json") ;;
	scikit-learn) CMD=("$PY" "$REPO/bench/peers/peer_sklearn.py" "$f" --json "$OUT/scikit-learn-$tag.json") ;;
	gensim) CMD=("$PY" "$REPO/bench/peers/peer_gensim.py" "$f" --json "$OUT/gensim-$tag.json") ;;
	esac
}

# timed TOOL N RUN CMD...: one run under GNU time, appended to runs.tsv. Returns 1 when it failed.
timed() {
	local tool=$1 n=$2 run=$3 limit=$VOIX_TIMEOUT
	shift 3
	is_peer "$tool" && limit=$PEER_TIMEOUT
	[ "$tool" = import ] && rm -f "$TMP"/import.db*
	local status=0 load
	load=$(cut -d' ' -f1 /proc/loadavg)
	timeout "$limit" "$GNU_TIME" -f '%e %U %S %M' -o "$TMP/time" "$@" >"$TMP/stdout" 2>"$TMP/stderr" || status=$?
	if [ "$status" -ne 0 ]; then
		local why=FAILED
		[ "$status" -eq 124 ] && why=TIMEOUT
		[ "$status" -eq 77 ] && why=SKIPPED
		say "$tool at $n rows, run $run: $why (exit $status, limit $limit s)"
		tail -2 "$TMP/stderr" >&2
		printf '%s\t%s\t%s\t%s\t\t\t\t%s\n' "$tool" "$n" "$run" "$why" "$load" >>"$RUNS_TSV"
		return 1
	fi
	[ "$run" -eq 0 ] && return 0   # warm-up, not recorded
	local e u s m
	read -r e u s m <"$TMP/time"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$run" "$e" "$u" "$s" "$m" "$load" >>"$RUNS_TSV"
}

declare -A GAVE_UP
for n in $SIZES; do
	f=$(corpus_for "$n")
	set -- $TOOLS
	ntools=$#
	for run in $(seq 0 "$RUNS"); do
		say "$n rows, $([ "$run" -eq 0 ] && echo warm-up || echo "round $run of $RUNS")"
		# rotate the order by one place each round
		for i in $(seq 0 $((ntools - 1))); do
			idx=$(((i + run) % ntools + 1))
			tool=${!idx}
			key="$tool/$n"
			[ -n "${GAVE_UP[$key]:-}" ] && continue
			if is_peer "$tool" && [ "$n" -ge "$PEER_LARGE" ]; then
				# one run only at the largest sizes: no warm-up, a single timed round
				[ "$run" -eq 1 ] || continue
			fi
			command_for "$tool" "$f" "$n"
			timed "$tool" "$n" "$run" "${CMD[@]}" || GAVE_UP[$key]=1
		done
	done
done

# ---- Quality --------------------------------------------------------------

QUALITY_ARGS=()
for n in $QUALITY_SIZES; do
	[[ " $SIZES " == *" $n "* ]] || { say "quality at $n rows skipped: $n is not among SIZES"; continue; }
	f=$(corpus_for "$n")
	systems=()
	[ -s "$OUT/voix-$n.json" ] && systems+=(voix) || say "no voix note at $n rows: no quality figures for it"
	for p in scikit-learn gensim; do
		if [[ " $TOOLS " == *" $p "* ]] && [ -s "$OUT/$p-$n.json" ]; then systems+=("$p"); fi
	done
	declare -A RES=()
	for s in $(seq 1 "$RESAMPLES"); do
		r="$OUT/resample-$n-$s.csv"
		"$PY" "$HERE/resample.py" "$f" "$r" --seed "$s" --fraction 0.9
		for sys in "${systems[@]}"; do
			o="$OUT/$sys-$n-r$s.json"
			say "stability: $sys on resample $s of $n rows"
			tool=$sys
			[ "$sys" = voix ] && tool=note-json
			command_for "$tool" "$r" "$n-r$s"
			timeout "$PEER_TIMEOUT" "${CMD[@]}" >/dev/null 2>"$TMP/stderr" ||
				{ say "$sys failed on $r"; tail -2 "$TMP/stderr" >&2; }
			[ -s "$o" ] && RES[$sys]="${RES[$sys]:-} $o"
		done
		rm -f "$r"
	done
	args=(--corpus "$f")
	for sys in "${systems[@]}"; do
		kind=peer
		[ "$sys" = voix ] && kind=voix
		# shellcheck disable=SC2086
		args+=(--system "$sys" "$kind" "$OUT/$sys-$n.json" ${RES[$sys]:-})
	done
	say "quality figures at $n rows"
	"$PY" "$HERE/quality.py" "${args[@]}" --json "$OUT/quality-$n.json" >"$OUT/quality-$n.md"
	QUALITY_ARGS+=(--quality "$n" "$OUT/quality-$n.json")
	unset RES
done

# ---- Report ---------------------------------------------------------------

PLOT="${RESULTS%.md}-scaling.svg"
"$PY" "$HERE/plot.py" "$RUNS_TSV" "$PLOT"
"$PY" "$HERE/report.py" --runs "$RUNS_TSV" "${QUALITY_ARGS[@]}" --voix "$VOIX" --repo "$REPO" \
	--plot "$(basename "$PLOT")" --runs-per-size "$RUNS" --peer-timeout "$PEER_TIMEOUT" ${INPUT:+--input "$INPUT"} \
	>"$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
say "results in $RESULTS, plot in $PLOT, every run in $RUNS_TSV"
