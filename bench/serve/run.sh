#!/usr/bin/env bash
# voix serve under load, on 127.0.0.1 only: 100,000 generated experiences
# (make-corpus, written under bench/out/, never committed), then
#  - the cold note with filters (first request, not cached) and cached;
#  - wrk, 64 connections for 30 s, on the cached note page and on the
#    experiences search of the API; requests/s, p50/p99, errors;
#  - the server's RSS before and after each run.
# usage: bench/serve/run.sh VOIX_BINARY [N] [MAKE_CORPUS]
# (THREADS=N in the environment passes --threads N; default: the server's,
# one per processor)
set -eu
VOIX=$(realpath "$1")
N=${2:-100000}
MAKE_CORPUS=${3:-../shared/tools/make-corpus}
command -v wrk >/dev/null || { echo "wrk is missing (scripts/install-deps.sh)"; exit 1; }
OUT=bench/out/serve
mkdir -p "$OUT"
CSV=$OUT/corpus-$N.csv
DB=$OUT/serve-$N.db
[ -f "$CSV" ] || "$MAKE_CORPUS" "$N" "$CSV"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$VOIX" import "$CSV" --db "$DB" --quiet
echo 'mot-de-passe-du-banc' | "$VOIX" user add banc --role analyste --db "$DB" 2>/dev/null
TOKEN=$("$VOIX" token add banc --db "$DB")
PORT=${PORT:-18181}
"$VOIX" serve --db "$DB" --listen 127.0.0.1:$PORT ${THREADS:+--threads "$THREADS"} 2>"$OUT/serve.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$PID/status; }
AUTH="Authorization: Bearer $TOKEN"
# A filter that keeps part of the corpus: the most frequent service type.
SERVICE=$(sqlite3 "$DB" "SELECT service FROM experiences GROUP BY service ORDER BY count(*) DESC LIMIT 1" 2>/dev/null ||
	echo "")
Q="since=2023-01-01&topics=6"
[ -n "$SERVICE" ] && Q="$Q&service=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$SERVICE")"
echo "experiences: $N; filters: $Q"
echo "RSS after start: $(rss)"
curl -s -o /dev/null -H "$AUTH" -w "cold note (load + build + render): %{time_total} s, HTTP %{http_code}\n" \
	"http://127.0.0.1:$PORT/note?$Q"
curl -s -o /dev/null -H "$AUTH" -w "cached note: %{time_total} s, HTTP %{http_code}\n" "http://127.0.0.1:$PORT/note?$Q"
curl -s -o /dev/null -H "$AUTH" -w "cold note, other filters, store loaded: %{time_total} s, HTTP %{http_code}\n" \
	"http://127.0.0.1:$PORT/note?topics=5"
echo "RSS before wrk: $(rss)"
echo "== wrk: cached note page"
wrk -t2 -c64 -d30s --latency -H "$AUTH" "http://127.0.0.1:$PORT/note?$Q" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
echo "RSS after: $(rss)"
echo "== wrk: experiences search (API)"
wrk -t2 -c64 -d30s --latency -H "$AUTH" "http://127.0.0.1:$PORT/api/v1/experiences?q=rendez-vous&limit=20" |
	grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
echo "RSS after: $(rss)"
