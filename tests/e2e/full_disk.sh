#!/usr/bin/env bash
# A full disk during an import and while writing a note, on a small tmpfs:
# nothing committed is lost, the command fails with the database (exit 4)
# or output (exit 6) code, the message says so, and no temporary file is
# left. Needs root to mount the tmpfs; skips otherwise.
# usage: bash full_disk.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -uo pipefail
VOIX=$1 REPO=$3
EXAMPLE=$REPO/examples/experiences-exemple.csv
command -v python3 >/dev/null || { echo "skip: python3 is needed to write the test export"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "skip: mounting a small tmpfs needs root"; exit 77; }
TMP=$(mktemp -d /tmp/voix-e2e-full.XXXXXX)
FS=$TMP/fs
mkdir "$FS"
# 1.6 MB: the example's database (0.4 MB) fits, twelve times more does not.
mount -t tmpfs -o size=1600k tmpfs "$FS" 2>/dev/null || { rm -rf "$TMP"; echo "skip: cannot mount a tmpfs here"; exit 77; }
trap 'umount "$FS"; rm -rf "$TMP"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }
run() {
	RC=0
	timeout 120 "$VOIX" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
	if [ "$RC" -ge 124 ] || grep -q -e Sanitizer -e 'runtime error' "$TMP/err"; then
		sed -n 1,20p "$TMP/err"
		ko "voix $* crashed or hung (exit $RC)"
	fi
}
expect() {
	local code=$1 what=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$code" ]; then ok "$what (exit $code: $(head -1 "$TMP/err"))"; else
		sed -n 1,5p "$TMP/err"
		ko "$what: exit $RC, want $code"
	fi
}
count() { "$VOIX" stats --db "$1" | sed -n 's/^expériences : //p'; }

# The example twelve times under other ids: 2,880 experiences, 1.1 MB.
python3 - "$EXAMPLE" "$TMP/big.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline=''), delimiter=';'))
out = csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), delimiter=';')
out.writerow(rows[0])
for k in range(1, 13):
    for r in rows[1:]:
        out.writerow([str(int(r[0]) + 100000 * k)] + r[1:])
PY

DB=$FS/v.db
expect 0 "the example fits" import "$EXAMPLE" --db "$DB" --quiet
before=$(count "$DB")
expect 4 "an import that fills the disk fails with the database code" import "$TMP/big.csv" --db "$DB" --quiet
grep -q "le disque est plein" "$TMP/err" && ok "the message says the disk is full" || ko "the message does not say the disk is full"
grep -qF "$DB" "$TMP/err" && ok "and names the database" || ko "the message does not name the database"
grep -q "rien n'a été importé" "$TMP/err" && ok "and that nothing was imported" || ko "the message does not say nothing was imported"
[ "$(count "$DB")" = "$before" ] && ok "the database still holds its $before experiences" ||
	ko "the database holds $(count "$DB") experiences, $before before"
expect 0 "search still works" search "téléphone" --db "$DB"
expect 0 "a re-import of the example is still 'unchanged'" import "$EXAMPLE" --db "$DB" --quiet
grep -q "inchangées $before" "$TMP/out" && ok "nothing committed was lost" || { cat "$TMP/out"; ko "the committed rows changed"; }

# A note on a full disk: the previous note is kept whole.
expect 0 "a first note fits" note "$EXAMPLE" -o "$FS/note.html"
cp "$FS/note.html" "$TMP/note.before"
head -c 4M /dev/zero >"$FS/filler" 2>/dev/null
expect 6 "a note on the full disk fails with the output code" note "$TMP/big.csv" -o "$FS/note.html"
grep -qF "$FS/note.html : échec de l'écriture" "$TMP/err" && ok "the message names the note" || ko "the message does not name the note"
grep -q "le fichier n'a pas été modifié" "$TMP/err" && ok "and says it was not changed" || ko "the message does not say the file was kept"
cmp -s "$FS/note.html" "$TMP/note.before" && ok "the previous note is intact" || ko "the previous note was damaged"
expect 6 "rejects on the full disk" import "$TMP/big.csv" --db "$DB" --rejects "$FS/r.csv" --quiet
expect 6 "redact on the full disk" redact "$EXAMPLE" -o "$FS/r.csv"
if ls "$FS" | grep -q 'voix-'; then ls "$FS"; ko "a temporary file was left"; else ok "no temporary file left"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
