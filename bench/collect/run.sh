#!/usr/bin/env bash
# POST /api/v1/experiences under load on 127.0.0.1 (wrk, post.lua):
#  1. 32 connections for 30 s, a new experience and Idempotency-Key per
#     request: every id acknowledged with 201 is in the database exactly
#     once, and how many rows the database has beyond them;
#  2. one Idempotency-Key and body repeated by 32 connections for 10 s:
#     one experience;
#  3. kill -9 of the server 10 s into a 30 s run, then a restart: every
#     acknowledged id is there and PRAGMA integrity_check says ok.
# VOIX_DB=postgresql://... runs it on that (empty) PostgreSQL database, and
# SERVERS=2 with two servers on it (ports PORT and PORT+1), each loaded by
# its own wrk with half the connections; run 2 sends the one key to both,
# run 3 kills the first server only.
# usage: [VOIX_DB=URI] [SERVERS=2] bench/collect/run.sh VOIX_BINARY [SECONDS]
set -u
VOIX=$(realpath "$1")
SECONDS_RUN=${2:-30}
HERE=$(dirname "$(realpath "$0")")
REPO=$(realpath "$HERE/../..")
command -v wrk >/dev/null || { echo "wrk is missing (scripts/install-deps.sh)"; exit 1; }
OUT=$REPO/bench/out/collect
rm -rf "$OUT"
mkdir -p "$OUT"
DB=${VOIX_DB:-$OUT/collect.db}
SERVERS=${SERVERS:-1}
case $DB in
postgres://* | postgresql://*)
	command -v psql >/dev/null || { echo "psql is missing"; exit 1; }
	sql() { psql -X -q -At "$DB" -c "$1"; } ;;
*)
	command -v sqlite3 >/dev/null || { echo "sqlite3 is missing"; exit 1; }
	sql() { sqlite3 "$DB" "$1"; } ;;
esac
PORT=${PORT:-18282}
CONNS=$((32 / SERVERS))
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; true' EXIT
"$VOIX" structures import "$REPO/examples/structures-exemple.csv" --db "$DB" >/dev/null
echo 'mot-de-passe-du-banc' | "$VOIX" user add partenaire --role lecteur --db "$DB" 2>/dev/null
export VOIX_TOKEN
VOIX_TOKEN=$("$VOIX" token add partenaire --db "$DB")
# start I: server I (0-based) on PORT+I.
start() {
	local url=http://127.0.0.1:$((PORT + $1))
	"$VOIX" serve --db "$DB" --listen 127.0.0.1:$((PORT + $1)) 2>>"$OUT/serve-$1.log" &
	PIDS[$1]=$!
	for _ in $(seq 1 100); do curl -sf "$url/api/v1/health" >/dev/null && return 0; sleep 0.1; done
	echo "voix serve did not start"; exit 1
}
# load RUN SECONDS [KEY]: one wrk per server at once (keys and bodies told
# apart by the server's letter); wrk's summary lines in $OUT/runRUN-I.wrk.
load() {
	local run=$1 secs=$2 key=${3:-} pids=() i
	for i in $(seq 0 $((SERVERS - 1))); do
		env VOIX_RUN=$run$i VOIX_ACKED=$OUT/run$run ${key:+VOIX_KEY=$key} wrk -t2 -c$CONNS -d"${secs}s" --latency \
			-s "$HERE/post.lua" "http://127.0.0.1:$((PORT + i))" >"$OUT/run$run-$i.wrk" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
}
# acked PREFIX: the ids acknowledged by a run, one per line, sorted.
acked() { cat "$1"-*.txt 2>/dev/null | sort -n; }
# Waits until the server has answered what it had queued (the row count
# stays the same for a second).
drain() {
	local a b
	a=$(sql "SELECT count(*) FROM submissions")
	while sleep 1; b=$(sql "SELECT count(*) FROM submissions"); [ "$a" != "$b" ]; do a=$b; done
}
check_acked() {
	local prefix=$1 what=$2
	drain
	acked "$prefix" >"$prefix.all"
	sql "SELECT id FROM submissions ORDER BY id" >"$OUT/db-ids.txt"
	local n_acked n_unique missing
	n_acked=$(wc -l <"$prefix.all")
	n_unique=$(sort -u "$prefix.all" | wc -l)
	missing=$(comm -23 <(sort -u "$prefix.all") <(sort "$OUT/db-ids.txt") | wc -l)
	echo "$what: $n_acked acknowledged (201), $n_unique distinct ids, $missing missing from the database," \
		"database rows in total $(wc -l <"$OUT/db-ids.txt")"
}

for i in $(seq 0 $((SERVERS - 1))); do start "$i"; done
echo "store: ${DB%%\?*}, $SERVERS server(s), 32 connections in all"
echo "== 1. $SECONDS_RUN s, 32 connections, a new experience per request"
load 1 "$SECONDS_RUN"
cat "$OUT"/run1-*.wrk | grep -E "Requests/sec|requests in|Socket|Non-2xx|  50%|  99%"
check_acked "$OUT/run1" "run 1"
echo "rows per id: $(sql "SELECT max(c) FROM (SELECT count(*) c FROM submissions GROUP BY id) x")," \
	"idempotency keys: $(sql "SELECT count(*) FROM idempotency_keys")," \
	"keys pointing to two experiences: $(sql "SELECT count(*) FROM (SELECT submission_id FROM idempotency_keys GROUP BY submission_id HAVING count(*) > 1) x")"
BEFORE=$(sql "SELECT count(*) FROM submissions")

echo "== 2. 10 s, 32 connections, the same Idempotency-Key and body (to every server)"
load 2 10 banc-toujours-la-meme
cat "$OUT"/run2-*.wrk | grep -E "Requests/sec|requests in|Non-2xx"
drain
echo "run 2: $(acked "$OUT/run2" | wc -l) acknowledged, distinct ids $(acked "$OUT/run2" | sort -u | tr '\n' ' '), new rows" \
	"$(( $(sql "SELECT count(*) FROM submissions") - BEFORE ))"
BEFORE=$(sql "SELECT max(id) FROM submissions")

echo "== 3. kill -9 of server 0 10 s into a $SECONDS_RUN s run, then a restart"
load 3 "$SECONDS_RUN" &
LOAD=$!
sleep 10
kill -9 "${PIDS[0]}"
wait "${PIDS[0]}" 2>/dev/null
wait "$LOAD"
cat "$OUT"/run3-*.wrk | grep -E "requests in|Socket|Non-2xx"
start 0
check_acked "$OUT/run3" "run 3 (after kill -9 and restart)"
echo "run 3 rows: $(sql "SELECT count(*) FROM submissions WHERE id > $BEFORE") new," \
	"acknowledged ids that are new rows: $(awk -v b="$BEFORE" '$1 > b' "$OUT/run3.all" | wc -l)"
case $DB in
postgres://* | postgresql://*) ;;
*) echo "integrity_check: $(sql "PRAGMA integrity_check")" ;;
esac
echo "every id acknowledged by the three runs in the database: missing" \
	"$(comm -23 <(cat "$OUT"/run*-*.txt | sort -u) <(sql "SELECT id FROM submissions" | sort -u) | wc -l)"
