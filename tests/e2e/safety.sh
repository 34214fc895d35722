#!/usr/bin/env bash
# Nothing lost, nothing leaked: the command line refuses an output that is
# one of its inputs (exit 7), checks every write and its final flush
# (exit 6), names the user's path when an output cannot be created, and
# keeps working next to a concurrent import or in a read-only folder.
# Works on files written here and the bundled example (no shared data).
# usage: bash safety.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -uo pipefail
VOIX=$1 REPO=$3
EXAMPLE=$REPO/examples/experiences-exemple.csv
TMP=$(mktemp -d /tmp/voix-e2e-safety.XXXXXX)
trap 'umount "$TMP/ro" 2>/dev/null; rm -rf "$TMP"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

# run ARGS...: voix with a time limit, stdout in $TMP/out, stderr in
# $TMP/err, exit code in RC. A crash or a sanitizer report is a failure.
run() {
	RC=0
	timeout 120 "$VOIX" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
	if [ "$RC" -ge 124 ] || grep -q -e Sanitizer -e 'runtime error' "$TMP/err"; then
		sed -n 1,20p "$TMP/err"
		ko "voix $* crashed or hung (exit $RC)"
	fi
}

# expect CODE WHAT ARGS...: voix exits with CODE.
expect() {
	local code=$1 what=$2
	shift 2
	run "$@"
	if [ "$RC" -eq "$code" ]; then ok "$what (exit $code: $(head -1 "$TMP/err"))"; else
		sed -n 1,5p "$TMP/err"
		ko "$what: exit $RC, want $code"
	fi
}

# stderr_has TEXT WHAT: the last run's stderr contains TEXT.
stderr_has() {
	if grep -qF -- "$1" "$TMP/err"; then ok "$2"; else
		cat "$TMP/err"
		ko "$2: stderr lacks '$1'"
	fi
}

# unchanged FILE COPY WHAT: FILE still has the bytes of COPY.
unchanged() {
	if cmp -s "$1" "$2"; then ok "$3"; else ko "$3: the file was changed"; fi
}

# A small export with one row that is rejected (empty text).
cp "$EXAMPLE" "$TMP/export.csv"
printf '4199999;2024-01-05;08/01/2024 07:22;x;"Titre";"";"La personne concernée";Négatif;;;;;;;;;;;;0;Non\n' \
	>>"$TMP/export.csv"
cp "$TMP/export.csv" "$TMP/export.orig"
DB=$TMP/v.db
expect 0 "first import" import "$TMP/export.csv" --db "$DB" --quiet
cp "$DB" "$TMP/v.db.orig"

# ---- An output that is an input or the database: exit 7, nothing written ----

expect 7 "import --rejects on the database" import "$TMP/export.csv" --db "$DB" --rejects "$DB" --quiet
stderr_has "$DB" "the refusal names the database"
unchanged "$DB" "$TMP/v.db.orig" "the database is intact"
expect 7 "import --rejects on the export being imported" import "$TMP/export.csv" --db "$DB" \
	--rejects "$TMP/export.csv" --quiet
unchanged "$TMP/export.csv" "$TMP/export.orig" "the export is intact"
mkdir "$TMP/sub"
expect 7 "import --rejects through another path to the export" import "$TMP/export.csv" --db "$DB" \
	--rejects "$TMP/./sub/../export.csv" --quiet
ln -s "$TMP/export.csv" "$TMP/link.csv"
expect 7 "import --rejects on a symbolic link to the export" import "$TMP/export.csv" --db "$DB" \
	--rejects "$TMP/link.csv" --quiet
ln "$TMP/export.csv" "$TMP/hard.csv"
expect 7 "import --rejects on a hard link to the export" import "$TMP/export.csv" --db "$DB" \
	--rejects "$TMP/hard.csv" --quiet
unchanged "$TMP/export.csv" "$TMP/export.orig" "the export is still intact"
expect 7 "import --rejects on the database's WAL file" import "$TMP/export.csv" --db "$DB" \
	--rejects "$DB-wal" --quiet
expect 7 "import --rejects on a database that does not exist yet" import "$TMP/export.csv" \
	--db "$TMP/new.db" --rejects "$TMP/new.db" --quiet
[ -e "$TMP/new.db" ] && ko "the refused import created the database" || ok "nothing created"
expect 7 "note --db -o the database" note --db "$DB" -o "$DB.json" --format json -o "$DB"
unchanged "$DB" "$TMP/v.db.orig" "the database survives note -o"
expect 7 "note FILE -o FILE" note "$TMP/export.csv" -o "$TMP/export.csv" --format md
unchanged "$TMP/export.csv" "$TMP/export.orig" "the export survives note -o"
expect 7 "redact FILE -o FILE" redact "$TMP/export.csv" -o "$TMP/export.csv"
unchanged "$TMP/export.csv" "$TMP/export.orig" "the export survives redact -o"
expect 7 "redact --map-file F -o F" redact "$TMP/export.csv" --map-file "$TMP/export.csv" \
	-o "$TMP/export.csv"
expect 0 "an output next to the inputs is fine" import "$TMP/export.csv" --db "$DB" \
	--rejects "$TMP/rejects.csv" --quiet

# ---- Every write and the final flush are checked: exit 6 -------------------

if [ -w /dev/full ]; then
	RC=0; "$VOIX" search "téléphone" --db "$DB" >/dev/full 2>"$TMP/err" || RC=$?
	[ "$RC" -eq 6 ] && ok "search > /dev/full exits 6" || ko "search > /dev/full: exit $RC, want 6"
	for cmd in "stats --db $DB" "note $TMP/export.csv" "redact $TMP/export.csv" \
		"import $TMP/export.csv --db $DB --quiet" "note --print-codebook" "search --help"; do
		RC=0; $VOIX $cmd >/dev/full 2>"$TMP/err" || RC=$?
		if [ "$RC" -eq 6 ] && grep -q "sortie standard" "$TMP/err"; then ok "$cmd > /dev/full exits 6"
		else cat "$TMP/err"; ko "$cmd > /dev/full: exit $RC, want 6"; fi
	done
else
	echo "skip: /dev/full is not writable"
fi

# ---- An output that cannot be created names the user's path: exit 6 --------

expect 6 "note -o in a missing folder" note "$TMP/export.csv" -o "$TMP/absent/note.html"
stderr_has "$TMP/absent/note.html" "the message names the output"
if grep -q '\.tmp' "$TMP/err"; then ko "the message names a temporary file"; else ok "no temporary name"; fi
expect 6 "redact -o in a missing folder" redact "$TMP/export.csv" -o "$TMP/absent/r.csv"
expect 6 "import --rejects in a missing folder" import "$TMP/export.csv" --db "$DB" \
	--rejects "$TMP/absent/r.csv" --quiet
ls "$TMP" | grep -q '\.tmp' && ko "a temporary file was left behind" || ok "no temporary file left"

# ---- One invalid byte does not turn every "é" of the file into "Ã©" ---------

python3 - "$EXAMPLE" "$TMP/mixed.csv" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read().split(b'\n')
# Two rows get a Windows-1252 byte each (an "é" pasted from another file).
data[3] = data[3].replace('é'.encode(), b'\xe9', 1)
data[7] = data[7].replace('é'.encode(), b'\xe9', 1)
open(sys.argv[2], 'wb').write(b'\n'.join(data))
PY
expect 0 "import of UTF-8 with two invalid bytes" import "$TMP/mixed.csv" --db "$TMP/mixed.db" --quiet
stderr_has "2 lignes réparées" "the import says how many lines were repaired"
if command -v python3 >/dev/null && python3 - "$TMP/mixed.db" <<'PY'; then ok "valid rows keep their accents"; else ko "valid rows were decoded as Windows-1252"; fi
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
texts = [t for (t,) in db.execute("SELECT title || text FROM experiences")]
assert not any('Ã' in t for t in texts), 'mojibake'
assert sum('é' in t for t in texts) > 100
assert db.execute("SELECT encoding FROM sources").fetchone()[0] == 'utf-8-bom'
PY
expect 0 "note on the same file" note "$TMP/mixed.csv" -o "$TMP/mixed.md"
stderr_has "2 lignes réparées" "the note says it on stderr"
grep -q "2 lignes réparées" "$TMP/mixed.md" && ok "and in its method" || ko "the note's method does not say it"
expect 0 "note --db on the database it went into" note --db "$TMP/mixed.db" -o "$TMP/mixed-db.md"
grep -q "2 lignes réparées" "$TMP/mixed-db.md" && ok "the database keeps the count" || ko "the note from the database lost the count"

# ---- Names and ids: masked, and their control characters escaped -----------

printf 'id,texte,service,structure,canal\n' >"$TMP/odd.csv"
printf '"a\033[31mb\tc",Rendez-vous annulé deux fois à la mairie,Mairie,"Accueil\033]0;titre\007 de jean.dupont@exemple.fr",Guichet\n' >>"$TMP/odd.csv"
printf 'x2,Rendez-vous annulé encore,"Appeler le 06 12 34 56 78",Mairie,Téléphone\n' >>"$TMP/odd.csv"
ODDMAP='text=texte,id=id,service=service,structure=structure,channels=canal'
expect 0 "import of names with control characters" import "$TMP/odd.csv" --map "$ODDMAP" --db "$TMP/odd.db" --quiet
expect 0 "search on them" search "rendez-vous" --db "$TMP/odd.db"
if grep -q $'\033' "$TMP/out"; then ko "search prints a raw ESC"; else ok "search escapes ESC"; fi
if [ "$(awk -F'\t' '{print NF}' "$TMP/out" | sort -u)" = 3 ]; then ok "every hit has three tab-separated fields"
else cat -A "$TMP/out"; ko "a field holds a tab"; fi
grep -qF 'a\x1B[31mb\tc' "$TMP/out" && ok "the id is shown escaped" || ko "the id is not shown escaped"
expect 0 "stats on them" stats --db "$TMP/odd.db"
if grep -q -e $'\033' -e $'\007' "$TMP/out"; then ko "stats prints raw control characters"; else ok "stats escapes them"; fi
if grep -q -e "jean.dupont" -e "06 12 34 56 78" "$TMP/out"; then ko "stats shows personal data in names"
else ok "stats masks personal data in service and structure names"; fi

# ---- The note masks names and ids, in every format --------------------------

python3 - "$EXAMPLE" "$TMP/pii.csv" <<'PY'
import csv, sys
src = open(sys.argv[1], encoding='utf-8-sig', newline='')
rows = list(csv.reader(src, delimiter=';'))
head = rows[0]
sid, sst, sch, ssv = (head.index(c) for c in
    ('ID expérience', 'Intitulé structure 1', 'Canaux Typologie 1', 'Intitulé Typologie 1'))
for i, r in enumerate(rows[1:]):
    if 'CAF' in r[sst]:
        r[sst] = r[sst] + ' (écrire à marc.lefebvre@exemple.fr)'
    if i % 3 == 0:
        r[sch] = r[sch] + ',Rappel au 06 12 34 56 78'
    if i % 5 == 0:
        r[ssv] = r[ssv] + ' 2 84 12 75 115 422 17'
    if i % 2 == 0:
        r[sid] = 'sophie.girard%d@exemple.fr' % i
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline=''), delimiter=';').writerows(rows)
PY
for ext in md html json; do
	expect 0 "note .$ext on names holding personal data" note "$TMP/pii.csv" -o "$TMP/pii.$ext"
	if grep -q -e "marc.lefebvre" -e "06 12 34 56 78" -e "sophie.girard" -e "2 84 12 75 115 422 17" "$TMP/pii.$ext"; then
		grep -o -e "marc.lefebvre[^ ]*" -e "06 12 34 56 78" -e "sophie.girard[^ ]*" -e "2 84 12 75 115 422 17" "$TMP/pii.$ext" | sort | uniq -c
		ko "the .$ext note shows personal data from names or ids"
	else ok "the .$ext note masks names and ids"; fi
done
grep -q "\[EMAIL\]" "$TMP/pii.md" && ok "the placeholders are shown" || ko "no placeholder in the note"

# ---- import --mask-at-rest: the database holds no raw personal data ----------

expect 0 "import without --mask-at-rest" import "$TMP/pii.csv" --db "$TMP/raw.db" --quiet
grep -qa "marc.lefebvre" "$TMP/raw.db" && ok "(by default the database keeps raw texts)" ||
	ko "the raw database lacks the raw text (the check below proves nothing)"
expect 0 "import --mask-at-rest" import "$TMP/pii.csv" --db "$TMP/masked.db" --quiet --mask-at-rest
if grep -qa -e "marc.lefebvre" -e "sophie.girard" -e "06 12 34 56 78" "$TMP/masked.db"* ; then
	ko "the masked database holds personal data"
else ok "no e-mail or phone number anywhere in the masked database's files"; fi
expect 0 "stats on the masked database" stats --db "$TMP/masked.db"
grep -q "^expériences : 240" "$TMP/out" && ok "every experience is stored" || { head -3 "$TMP/out"; ko "experiences lost"; }
expect 0 "note --db on the masked database" note --db "$TMP/masked.db" -o "$TMP/masked.md"
if command -v python3 >/dev/null && python3 - "$TMP/masked.db" <<'PY'; then ok "original rows are kept, masked"; else ko "original rows are not valid masked JSON"; fi
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = [json.loads(r) for (r,) in db.execute("SELECT row_json FROM original_rows")]
assert len(rows) == 240 and all(isinstance(r, dict) and len(r) == 21 for r in rows)
assert any('[EMAIL]' in v for r in rows for v in r.values())
PY

# ---- Messages: the right one, in French ------------------------------------

expect 2 "an unknown option as the last argument" note "$EXAMPLE" --frobnicate
stderr_has "option inconnue « --frobnicate »" "it is called unknown, not missing its value"
expect 2 "a known option without its value" note "$EXAMPLE" --topics
stderr_has "l'option --topics attend une valeur" "it says the value is missing"
expect 2 "--topics 30" note "$EXAMPLE" --topics 30
stderr_has "--topics doit être entre 1 et 20" "the range is said in French"
expect 2 "--since not a date" note "$EXAMPLE" --since 2024-13-45
stderr_has "--since attend une date AAAA-MM-JJ" "the date format is said in French"
expect 2 "an unknown command" frobnicate
stderr_has "commande inconnue « frobnicate »" "in French"
for cmd in import note stats search redact; do
	expect 2 "$cmd --frobnicate" $cmd --frobnicate
	stderr_has "option inconnue « --frobnicate »" "$cmd says so in French"
done

# ---- Readers are not blocked; a second import says who holds the database ---

if command -v python3 >/dev/null; then
	# Another process holds the write lock, as an import in progress does.
	rm -f "$TMP/held"
	python3 - "$DB" "$TMP/held" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO imports (at, files, read, inserted, updated, unchanged, rejected)"
           " VALUES ('x', '[]', 0, 0, 0, 0, 0)")
open(sys.argv[2], "w").close()
time.sleep(6)
db.execute("ROLLBACK")
PY
	HOLDER=$!
	for _ in $(seq 50); do [ -e "$TMP/held" ] && break; sleep 0.1; done
	expect 0 "stats while another process writes" stats --db "$DB"
	expect 0 "search while another process writes" search "téléphone" --db "$DB"
	expect 0 "note --db while another process writes" note --db "$DB" -o "$TMP/during.md"
	expect 4 "a second import gives up after --wait 1" import "$TMP/export.csv" --db "$DB" --wait 1
	stderr_has "la base $DB est tenue par une autre importation" "it names the database and the other import"
	stderr_has "--wait" "it says how to wait longer"
	if grep -q "ce n'est pas une base voix" "$TMP/err"; then ko "the busy database is called not a database"; fi
	expect 0 "an import with --wait 30 waits for the other one" import "$TMP/export.csv" --db "$DB" --wait 30
	stderr_has "attente (au plus 30 s)" "it says that it waits"
	wait "$HOLDER"
	expect 2 "--wait needs a number" import "$TMP/export.csv" --db "$DB" --wait soon
else
	echo "skip: python3 is needed to hold the database"
fi

# A database in a read-only folder: the commands that only read work.
if [ "$(id -u)" -eq 0 ] && mkdir "$TMP/ro" && mount --bind "$(dirname "$DB")" "$TMP/ro" 2>/dev/null &&
	mount -o remount,ro,bind "$TMP/ro" 2>/dev/null; then
	RO=$TMP/ro/v.db
	expect 0 "stats in a read-only folder" stats --db "$RO"
	expect 0 "search in a read-only folder" search "téléphone" --db "$RO"
	expect 0 "note --db in a read-only folder" note --db "$RO" -o "$TMP/ro-note.md"
	expect 4 "import into a read-only folder fails" import "$TMP/export.csv" --db "$RO" --quiet
	umount "$TMP/ro"
elif [ -w "$(dirname "$DB")" ] && chmod a-w "$(dirname "$DB")" && ! touch "$(dirname "$DB")/probe" 2>/dev/null; then
	expect 0 "stats in a read-only folder" stats --db "$DB"
	expect 0 "search in a read-only folder" search "téléphone" --db "$DB"
	chmod u+w "$(dirname "$DB")"
else
	chmod u+w "$(dirname "$DB")" 2>/dev/null
	echo "skip: cannot make a read-only folder here"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
