#!/usr/bin/env bash
# Several voix processes on one PostgreSQL database at once: two imports of
# overlapping files started together (several rounds), the same file twice
# at once, readers (stats, note --db) running meanwhile. Every experience is
# stored once: none lost, none duplicated, the totals of the imports add up
# (inserted once per experience over both, the rest unchanged), ids in first
# import order. Then the wait: an import finding the database held waits
# and says so, or fails at once with --wait 0.
# usage: bash pg_concurrent.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR (VX_PG_ENV set by the fixture)
set -u
VOIX=$(realpath "$1") SHARED=$2 REPO=$(realpath "$3")
TMP=$(mktemp -d /tmp/voix-e2e-pg-concurrent.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/e2e/lib/import-common.sh"
. "$REPO/tests/e2e/lib/pg-common.sh"
ROUNDS=3
# The import lock of src/storage/pg.h (VX_PG_LOCK_KEY).
LOCK_KEY=$((0x766f6978))

# A corpus large enough that the imports overlap in time: make-corpus when
# the shared tools are here, else the bundled example.
MAKE_CORPUS=$SHARED/../tools/make-corpus
if [ -x "$MAKE_CORPUS" ] && python3 "$MAKE_CORPUS" 20000 "$TMP/all.csv" >/dev/null 2>&1; then
	echo "corpus: make-corpus, 20000 rows"
else
	cp "$REPO/examples/experiences-exemple.csv" "$TMP/all.csv"
	echo "corpus: the bundled example (no make-corpus here)"
fi
# Two files sharing the middle third of the rows: A = first two thirds, B =
# last two thirds (records may span lines: split with the csv module).
python3 - "$TMP/all.csv" "$TMP/a.csv" "$TMP/b.csv" <<'PY' || fail "cannot split the corpus"
import csv, sys
src = open(sys.argv[1], encoding='utf-8-sig', newline='')
rows = list(csv.reader(src, delimiter=';'))
head, body = rows[0], rows[1:]
n = len(body)
for path, part in ((sys.argv[2], body[:2 * n // 3]), (sys.argv[3], body[n // 3:])):
    with open(path, 'w', encoding='utf-8-sig', newline='') as f:
        w = csv.writer(f, delimiter=';', lineterminator='\r\n')
        w.writerow(head)
        w.writerows(part)
PY
N=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline=""), delimiter=";")) - 1)' "$TMP/all.csv")
passed=0

# totals FILE: "inserted updated unchanged rejected" of a totals line.
totals() {
	sed -n 's/^lues [0-9]*, ajoutées \([0-9]*\), mises à jour \([0-9]*\), inchangées \([0-9]*\), rejetées \([0-9]*\)$/\1 \2 \3 \4/p' "$1"
}

# check_db URI: every experience once, ids 1..N.
check_db() {
	local got
	got=$(pg_sql "$1" "SELECT count(*), count(DISTINCT (scope, ext_id)), min(id), max(id) FROM experiences")
	[ "$got" = "$N|$N|1|$N" ] || fail "$2: count, distinct identities, ids: $got (want $N|$N|1|$N)"
	got=$(pg_sql "$1" "SELECT count(*) FROM original_rows")
	[ "$got" = "$N" ] || fail "$2: $got original rows (want $N)"
}

for round in $(seq 1 $ROUNDS); do
	DB=$(pg_newdb "vx_e2e_concurrent_$round") || fail "cannot create a PostgreSQL database"
	# Readers during the imports: they must never fail (an empty database
	# before the first commit says so; that is not a failure of the test).
	( for _ in 1 2 3 4 5; do "$VOIX" stats --db "$DB" >/dev/null 2>>"$TMP/readers.err"; sleep 0.2; done ) &
	reader=$!
	"$VOIX" import "$TMP/a.csv" --db "$DB" --quiet >"$TMP/a.out" 2>"$TMP/a.err" &
	pa=$!
	"$VOIX" import "$TMP/b.csv" --db "$DB" --quiet >"$TMP/b.out" 2>"$TMP/b.err" &
	pb=$!
	wait $pa || { cat "$TMP/a.err"; fail "round $round: import A (exit $?)"; }
	wait $pb || { cat "$TMP/b.err"; fail "round $round: import B (exit $?)"; }
	wait $reader
	if grep -v "aucune base voix ici" "$TMP/readers.err" | grep -q .; then
		cat "$TMP/readers.err"
		fail "round $round: a reader failed during the imports"
	fi
	: >"$TMP/readers.err"
	read -r ia ua ca ra < <(totals "$TMP/a.out")
	read -r ib ub cb rb < <(totals "$TMP/b.out")
	# What one import inserted, the other found unchanged.
	na=$(($(totals "$TMP/a.out" | awk '{print $1 + $2 + $3}'))) nb=$(($(totals "$TMP/b.out" | awk '{print $1 + $2 + $3}')))
	[ $((ia + ib)) -eq "$N" ] || fail "round $round: inserted $ia + $ib, want $N"
	[ $((ua + ub)) -eq 0 ] || fail "round $round: updated $ua + $ub, want 0"
	[ $((ca + cb)) -eq $((na + nb - N)) ] || fail "round $round: unchanged $ca + $cb, want $((na + nb - N))"
	check_db "$DB" "round $round"
	# Ids in first import order: the file imported first holds ids 1...
	first=$(pg_sql "$DB" "SELECT ext_id FROM experiences WHERE id = 1")
	[ -n "$first" ] || fail "round $round: no id 1"
	echo "ok: round $round: A $(cat "$TMP/a.out"); B $(cat "$TMP/b.out")"
	passed=$((passed + 1))
done

# The same file twice at once: one inserts everything, the other nothing.
DB=$(pg_newdb vx_e2e_concurrent_same) || fail "cannot create a PostgreSQL database"
"$VOIX" import "$TMP/all.csv" --db "$DB" --quiet >"$TMP/a.out" 2>"$TMP/a.err" &
pa=$!
"$VOIX" import "$TMP/all.csv" --db "$DB" --quiet >"$TMP/b.out" 2>"$TMP/b.err" &
pb=$!
wait $pa || { cat "$TMP/a.err"; fail "same file: import A"; }
wait $pb || { cat "$TMP/b.err"; fail "same file: import B"; }
sort "$TMP/a.out" "$TMP/b.out" >"$TMP/both"
printf 'lues %d, ajoutées 0, mises à jour 0, inchangées %d, rejetées 0\nlues %d, ajoutées %d, mises à jour 0, inchangées 0, rejetées 0\n' \
	"$N" "$N" "$N" "$N" | sort >"$TMP/want"
cmp -s "$TMP/both" "$TMP/want" || { cat "$TMP/both"; fail "same file twice at once"; }
check_db "$DB" "same file"
echo "ok: the same file twice at once: inserted once"
passed=$((passed + 1))

# The wait: another session holds the import lock until it is ended here.
psql -X -q "$DB" -c "SELECT pg_advisory_lock($LOCK_KEY), pg_sleep(600)" >/dev/null 2>&1 &
holder=$!
held="SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $LOCK_KEY AND granted"
for _ in $(seq 1 100); do [ "$(pg_sql "$DB" "$held")" = 1 ] && break; sleep 0.1; done
[ "$(pg_sql "$DB" "$held")" = 1 ] || fail "the lock holder did not start"
run import "$TMP/a.csv" --db "$DB" --wait 0
rc=$?
[ $rc -ne 0 ] && grep -q "tenue par une autre importation" "$TMP/err" || { cat "$TMP/err"; fail "--wait 0: exit $rc"; }
"$VOIX" import "$TMP/a.csv" --db "$DB" --wait 300 >"$TMP/w.out" 2>"$TMP/w.err" &
waiter=$!
for _ in $(seq 1 600); do grep -q "attente" "$TMP/w.err" && break; sleep 0.1; done
grep -q "attente" "$TMP/w.err" || { cat "$TMP/w.err"; fail "the import did not say that it waited"; }
pg_sql "$DB" "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $LOCK_KEY AND granted" >/dev/null
wait $waiter || { cat "$TMP/w.err"; fail "--wait 300 (exit $?)"; }
wait $holder 2>/dev/null || true
check_db "$DB" "after the waits"
echo "ok: an import waits for the lock, or fails at once with --wait 0"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
