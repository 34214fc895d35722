#!/usr/bin/env bash
# voix import / stats / search on the bundled example (no shared data needed):
# totals, re-import, the same export under another name, stored fields
# against the file, statistics, search with masked excerpts.
# usage: bash import_example.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$1 REPO=$3
EXAMPLE=$REPO/examples/experiences-exemple.csv
command -v python3 >/dev/null || { echo "skip: python3 is needed to check the database"; exit 77; }
[ -f "$EXAMPLE" ] || { echo "FAIL: $EXAMPLE is missing"; exit 1; }
TMP=$(mktemp -d /tmp/voix-e2e-import-example.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/voix.db
. "$(dirname "$0")/lib/import-common.sh"

run import "$EXAMPLE" --db "$DB" --quiet || fail "first import (exit $?)"
expect_totals 240 240 0 0 0
run import "$EXAMPLE" --db "$DB" || fail "second import (exit $?)"
expect_totals 240 0 0 240 0
# The same export downloaded again under another name: the ids are the
# platform's, nothing is added.
cp "$EXAMPLE" "$TMP/export (1).csv"
run import "$TMP/export (1).csv" --db "$DB" || fail "import under another name (exit $?)"
expect_totals 240 0 0 240 0
# A new version of the export with one text changed: one update.
python3 - "$EXAMPLE" "$TMP/v2.csv" <<'PY' || fail "cannot write the second version"
import sys
data = open(sys.argv[1], encoding='utf-8-sig', newline='').read()
head, sep, rest = data.partition('\r\n')
end = rest.index('\r\n4100002;')
row = rest[:end]
assert row.startswith('4100001;')
# Append to the last field of the first row, quoted or not.
changed = row[:-1] + ' (modifié)"' if row.endswith('"') else row + ' (modifié)'
open(sys.argv[2], 'w', encoding='utf-8-sig', newline='').write(head + sep + changed + rest[end:])
PY
run import "$TMP/v2.csv" --db "$DB" || fail "import of the second version (exit $?)"
expect_totals 240 0 1 239 0

# Stored fields against the file (python3's csv and sqlite3 modules).
python3 - "$EXAMPLE" "$DB" <<'PY' || fail "stored fields differ from the file"
import csv, json, sqlite3, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline=''), delimiter=';'))
db = sqlite3.connect(sys.argv[2])
assert db.execute('SELECT count(*) FROM experiences').fetchone()[0] == len(rows) == 240
feel = {'Positif': 'positif', 'Neutre': 'neutre', 'Négatif': 'négatif', '': 'inconnu'}
checked = 0
for r in rows[1:]:   # row 4100001 was changed by the second version
    e = db.execute('SELECT e.scope, e.date, e.title, e.text, e.feeling, e.service, e.structure, e.department,'
                   ' e.channels, e.accessibilite, e.simplicite, e.reply, o.row_json'
                   ' FROM experiences e JOIN original_rows o ON o.experience_id = e.id WHERE e.ext_id = ?',
                   (r['ID expérience'],)).fetchone()
    assert e is not None, r['ID expérience']
    scope, date, title, text, feeling, service, structure, dept, channels, acc, simp, reply, row_json = e
    assert scope == 'sp-plus', scope
    assert date == r['Écrit le'], (date, r['Écrit le'])
    assert title == r['Titre'] and text == r['Description'], r['ID expérience']
    assert feeling == feel[r['Ressenti usager']]
    assert service == r['Intitulé Typologie 1'] and structure == r['Intitulé structure 1']
    assert dept == r['Intitulé département usager']
    assert json.loads(channels) == [c.strip() for c in r['Canaux Typologie 1'].split(',') if c.strip()]
    assert acc == feel[r['Accessibilité']] and simp == feel[r['Simplicité/Complexité']]
    assert reply == r['Réponse structure 1']
    assert json.loads(row_json) == r, r['ID expérience']   # the whole original row, nothing lost
    checked += 1
assert checked == 239
# Sources: the three file versions, with their hash and format.
src = db.execute('SELECT count(*), min(length(sha256)), group_concat(DISTINCT format) FROM sources').fetchone()
assert src == (3, 64, 'sp-plus-2025'), src
assert db.execute('SELECT count(*) FROM imports').fetchone()[0] == 4
PY

run stats --db "$DB" || fail "stats (exit $?)"
for line in "expériences : 240" "par ressenti :" "      132  négatif" "       60  positif" "       48  neutre" \
            "       33  CAF" "       26  Préfecture" "par mois :"; do
  grep -qF -- "$line" "$TMP/out" || { cat "$TMP/out"; fail "stats: missing '$line'"; }
done

run search "rendez-vous annulé" --db "$DB" || fail "search (exit $?)"
[ -s "$TMP/out" ] || fail "search: no hit for 'rendez-vous annulé'"
awk -F'\t' 'NF != 3 { exit 1 }' "$TMP/out" || fail "search: a line is not id<TAB>source<TAB>excerpt"
grep -qi "annul" "$TMP/out" || fail "search: excerpts do not show the matched words"
# Excerpts are masked: no e-mail address or phone number of the planted data.
grep -E '[A-Za-z0-9._-]+@[A-Za-z0-9-]+\.[a-z]{2,}' "$TMP/out" && fail "search: an e-mail address is shown"
# Searching for a planted (fake) name or address finds its experience, but
# the excerpt shows the placeholder, never the name.
# (When the only matched word is masked, the excerpt is the start of the
# text, which may not reach the placeholder: dupontel.)
for q in berlingot dupontel durandal marsaulx tilleuls; do
  run search "$q" --db "$DB" || fail "search $q (exit $?)"
  [ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "search $q: expected one hit"
  grep -qi "$q" "$TMP/out" && fail "search $q: the excerpt shows it unmasked"
  [ $q = dupontel ] || grep -q '\[[A-ZÉ ]*\]' "$TMP/out" || fail "search $q: no placeholder in the excerpt"
done
run search "le la" --db "$DB"
[ $? -eq 2 ] || fail "search with only common words: expected exit 2"
run search 'NEAR("x" OR *)' --db "$DB"
[ $? -eq 0 ] || fail "search with FTS5 syntax: expected exit 0"
run stats --db "$TMP/absent.db"
[ $? -eq 4 ] || fail "stats on a missing database: expected exit 4"
[ -e "$TMP/absent.db" ] && fail "stats created a database"
echo "ok: import, re-import, update, stored fields, stats and search on the bundled example"
