#!/usr/bin/env bash
# voix import on files that are not what they claim: each gives its
# documented exit code (docs/cli.md) and a one-line message naming the file,
# never a crash or a hang, and leaves the database as it was.
# usage: bash import_broken.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$1 REPO=$3
EXAMPLE=$REPO/examples/experiences-exemple.csv
command -v python3 >/dev/null || { echo "skip: python3 is needed to write the broken files"; exit 77; }
[ -f "$EXAMPLE" ] || { echo "FAIL: $EXAMPLE is missing"; exit 1; }
TMP=$(mktemp -d /tmp/voix-e2e-import-broken.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/voix.db
. "$(dirname "$0")/lib/import-common.sh"

count() {
  python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM experiences").fetchone()[0])' "$DB"
}

# A database with the example in it: every failure below must leave it so.
run import "$EXAMPLE" --db "$DB" -q || fail "import of the example (exit $?)"
[ "$(count)" = 240 ] || fail "example not imported"
cp "$DB" "$TMP/before.db"

# The broken files, written on the fly.
head -c 4096 /dev/urandom >"$TMP/binary.csv"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$TMP/image.csv"
: >"$TMP/empty.csv"
printf 'ID expérience;Titre;Description\r\n' >"$TMP/header-only.csv"
python3 - "$TMP/huge-field.csv" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('ID expérience;Titre;Description;Ressenti usager\n1;titre;"')
    f.write('a' * (50 << 20))
    f.write('";Positif\n')
PY
# A download cut in the middle of a quoted multi-line description.
python3 - "$EXAMPLE" "$TMP/truncated.csv" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
# Records end with CRLF; a bare LF is a line break inside a quoted field.
bare = [i for i in range(1, len(data)) if data[i] == 0x0A and data[i - 1] != 0x0D]
assert bare, 'the example has no multi-line field'
open(sys.argv[2], 'wb').write(data[:bare[len(bare) // 2] + 1])
PY

# expect FILE EXIT: import FILE fails with EXIT, one line on stderr that
# names the file, nothing on stdout, the database unchanged.
expect() {
  run import "$1" --db "$DB"
  local rc=$?
  [ $rc -eq "$2" ] || { cat "$TMP/err"; fail "import $(basename "$1"): exit $rc, expected $2"; }
  [ "$(wc -l <"$TMP/err")" -eq 1 ] || { cat "$TMP/err"; fail "import $(basename "$1"): not one line on stderr"; }
  grep -qF "$(basename "$1")" "$TMP/err" || fail "import $(basename "$1"): the message does not name the file"
  [ -s "$TMP/out" ] && fail "import $(basename "$1"): totals printed after a failure"
  [ "$(count)" = 240 ] || fail "import $(basename "$1") changed the database"
  echo "ok: $(basename "$1") -> exit $rc: $(cat "$TMP/err")"
}
expect "$TMP/binary.csv" 3
expect "$TMP/image.csv" 3
expect "$TMP/empty.csv" 5
expect "$TMP/header-only.csv" 5
expect "$TMP/huge-field.csv" 3
expect "$TMP/absent.csv" 3

# Several files, one broken: nothing of the good ones is stored either.
cp "$EXAMPLE" "$TMP/good.csv"
sed 's/^41000/52000/' "$EXAMPLE" >"$TMP/good2.csv"
run import "$TMP/good2.csv" "$TMP/binary.csv" --db "$DB"
rc=$?
[ $rc -eq 3 ] || fail "good + binary: exit $rc, expected 3"
grep -qF "binary.csv" "$TMP/err" || fail "good + binary: the broken file is not named"
[ "$(count)" = 240 ] || fail "good + binary: the good file was stored"

# A truncated file: the rows before the cut are read, the cut record is
# rejected and reported on one line; --strict refuses the whole file.
run import "$TMP/truncated.csv" --db "$DB" --strict
rc=$?
[ $rc -eq 3 ] || { cat "$TMP/err"; fail "truncated --strict: exit $rc, expected 3"; }
[ "$(wc -l <"$TMP/err")" -eq 1 ] || { cat "$TMP/err"; fail "truncated --strict: not one line on stderr"; }
grep -qF "truncated.csv" "$TMP/err" || fail "truncated --strict: the message does not name the file"
[ "$(count)" = 240 ] || fail "truncated --strict changed the database"
run import "$TMP/truncated.csv" --db "$DB" --rejects "$TMP/rejects.csv"
rc=$?
[ $rc -eq 0 ] || { cat "$TMP/err"; fail "truncated: exit $rc, expected 0"; }
grep -q "rejetée.*truncated.csv, ligne [0-9]" "$TMP/err" || fail "truncated: the rejected record is not reported"
[ "$(wc -l <"$TMP/err")" -eq 1 ] || { cat "$TMP/err"; fail "truncated: not one line on stderr"; }
python3 - "$TMP/out" "$TMP/rejects.csv" <<'PY' || fail "truncated: totals or rejects file wrong"
import csv, re, sys
m = re.fullmatch(r'lues (\d+), ajoutées (\d+), mises à jour (\d+), inchangées (\d+), rejetées (\d+)\n',
                 open(sys.argv[1], encoding='utf-8').read())
read, ins, upd, same, rej = map(int, m.groups())
assert read == ins + upd + same + rej and rej >= 1 and ins == 0 and upd == 0 and same >= 100, m.groups()
rows = list(csv.reader(open(sys.argv[2], encoding='utf-8', newline='')))
assert rows[0] == ['fichier', 'ligne', 'motif', 'enregistrement'], rows[0]
assert len(rows) == rej + 1 and all(r[0].endswith('truncated.csv') and int(r[1]) > 1 for r in rows[1:])
PY
echo "ok: truncated file: $(cat "$TMP/err")"

# A file that is not a database as --db: exit 4, the file untouched.
cp "$EXAMPLE" "$TMP/not-a-db.csv"
run import "$EXAMPLE" --db "$TMP/not-a-db.csv"
rc=$?
[ $rc -eq 4 ] || { cat "$TMP/err"; fail "--db on a CSV: exit $rc, expected 4"; }
cmp -s "$EXAMPLE" "$TMP/not-a-db.csv" || fail "--db on a CSV modified it"

# Bad command lines: exit 2.
run import --db "$DB"; [ $? -eq 2 ] || fail "import without a file: expected exit 2"
run import "$EXAMPLE" --nope; [ $? -eq 2 ] || fail "unknown option: expected exit 2"
run import "$EXAMPLE" --db; [ $? -eq 2 ] || fail "--db without a value: expected exit 2"
run import "$EXAMPLE" --db "$DB" --map 'nonsense'; [ $? -eq 2 ] || fail "bad --map: expected exit 2"
echo "ok: broken inputs give their exit codes and leave the database as it was"
