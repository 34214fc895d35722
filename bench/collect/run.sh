#!/usr/bin/env bash
# POST /api/v1/experiences under load on 127.0.0.1 (wrk, post.lua):
#  1. 32 connections for 30 s, a new experience and Idempotency-Key per
#     request: every id acknowledged with 201 is in the database exactly
#     once, and how many rows the database has beyond them;
#  2. one Idempotency-Key and body repeated by 32 connections for 10 s:
#     one experience;
#  3. kill -9 of the server 10 s into a 30 s run, then a restart: every
#     acknowledged id is there and PRAGMA integrity_check says ok.
# usage: bench/collect/run.sh VOIX_BINARY [SECONDS]
set -u
VOIX=$(realpath "$1")
SECONDS_RUN=${2:-30}
HERE=$(dirname "$(realpath "$0")")
REPO=$(realpath "$HERE/../..")
command -v wrk >/dev/null || { echo "wrk is missing (scripts/install-deps.sh)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing"; exit 1; }
OUT=$REPO/bench/out/collect
rm -rf "$OUT"
mkdir -p "$OUT"
DB=$OUT/collect.db
PORT=${PORT:-18282}
URL=http://127.0.0.1:$PORT
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; true' EXIT
"$VOIX" structures import "$REPO/examples/structures-exemple.csv" --db "$DB" >/dev/null
echo 'mot-de-passe-du-banc' | "$VOIX" user add partenaire --role lecteur --db "$DB" 2>/dev/null
export VOIX_TOKEN
VOIX_TOKEN=$("$VOIX" token add partenaire --db "$DB")
start() {
	"$VOIX" serve --db "$DB" --listen 127.0.0.1:$PORT 2>>"$OUT/serve.log" &
	PID=$!
	for _ in $(seq 1 100); do curl -sf "$URL/api/v1/health" >/dev/null && return 0; sleep 0.1; done
	echo "voix serve did not start"; exit 1
}
# acked PREFIX: the ids acknowledged by a run, one per line, sorted.
acked() { cat "$1"-*.txt 2>/dev/null | sort -n; }
# Waits until the server has answered what it had queued (the row count
# stays the same for a second).
drain() {
	local a b
	a=$(sqlite3 "$DB" "SELECT count(*) FROM submissions")
	while sleep 1; b=$(sqlite3 "$DB" "SELECT count(*) FROM submissions"); [ "$a" != "$b" ]; do a=$b; done
}
check_acked() {
	local prefix=$1 what=$2
	drain
	acked "$prefix" >"$prefix.all"
	sqlite3 "$DB" "SELECT id FROM submissions ORDER BY id" >"$OUT/db-ids.txt"
	local n_acked n_unique missing
	n_acked=$(wc -l <"$prefix.all")
	n_unique=$(sort -u "$prefix.all" | wc -l)
	missing=$(comm -23 <(sort -u "$prefix.all") <(sort "$OUT/db-ids.txt") | wc -l)
	echo "$what: $n_acked acknowledged (201), $n_unique distinct ids, $missing missing from the database," \
		"database rows in total $(wc -l <"$OUT/db-ids.txt")"
}

start
echo "== 1. $SECONDS_RUN s, 32 connections, a new experience per request"
VOIX_RUN=1 VOIX_ACKED=$OUT/run1 wrk -t2 -c32 -d"${SECONDS_RUN}s" --latency -s "$HERE/post.lua" "$URL" | grep -E "Requests/sec|requests|latency|HTTP"
check_acked "$OUT/run1" "run 1"
echo "rows per id: $(sqlite3 "$DB" "SELECT max(c) FROM (SELECT count(*) c FROM submissions GROUP BY id)")," \
	"idempotency keys: $(sqlite3 "$DB" "SELECT count(*) FROM idempotency_keys")," \
	"keys pointing to two experiences: $(sqlite3 "$DB" "SELECT count(*) FROM (SELECT submission_id FROM idempotency_keys GROUP BY submission_id HAVING count(*) > 1)")"
BEFORE=$(sqlite3 "$DB" "SELECT count(*) FROM submissions")

echo "== 2. 10 s, 32 connections, the same Idempotency-Key and body"
VOIX_RUN=2 VOIX_ACKED=$OUT/run2 VOIX_KEY=banc-toujours-la-meme wrk -t2 -c32 -d10s -s "$HERE/post.lua" "$URL" | grep -E "Requests/sec|requests|HTTP"
drain
echo "run 2: $(acked "$OUT/run2" | wc -l) acknowledged, distinct ids $(acked "$OUT/run2" | sort -u | tr '\n' ' '), new rows" \
	"$(( $(sqlite3 "$DB" "SELECT count(*) FROM submissions") - BEFORE ))"

echo "== 3. kill -9 of the server 10 s into a $SECONDS_RUN s run, then a restart"
VOIX_RUN=3 VOIX_ACKED=$OUT/run3 wrk -t2 -c32 -d"${SECONDS_RUN}s" -s "$HERE/post.lua" "$URL" >"$OUT/run3.wrk" 2>&1 &
WRK=$!
sleep 10
kill -9 "$PID"
wait "$PID" 2>/dev/null
PID=""
wait "$WRK"
grep -E "requests|HTTP" "$OUT/run3.wrk"
start
check_acked "$OUT/run3" "run 3 (after kill -9 and restart)"
echo "run 3 rows: $(( $(sqlite3 "$DB" "SELECT count(*) FROM submissions") - BEFORE - 1 )) new," \
	"acknowledged ids that are new rows: $(awk -v b="$BEFORE" '$1 > b + 1' "$OUT/run3.all" | wc -l)"
echo "integrity_check: $(sqlite3 "$DB" "PRAGMA integrity_check")"
echo "every id acknowledged by the three runs in the database: missing" \
	"$(comm -23 <(cat "$OUT"/run*-*.txt | sort -u) <(sqlite3 "$DB" "SELECT id FROM submissions" | sort -u) | wc -l)"
