#!/usr/bin/env bash
# voix import on every real corpus of ../shared/data: known totals
# (read = inserted + updated + unchanged + rejected), re-import adds nothing,
# several files in one import, stored fields against the source files, the
# rejects file, statistics and search over the whole database.
# usage: bash import.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$1 DATA=$2
[ -d "$DATA" ] || { echo "skip: shared data not found at $DATA"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 is needed to check the database"; exit 77; }
SP=$DATA/sp-plus-2023-sample/experiences.csv
GR=$DATA/google-reviews-pole-emploi/reviews.csv
GDN=$DATA/gdn-reunions-locales/reunions.csv
AL1=$DATA/allocine-reviews-sample/test_data_allocine.csv
AL2=$DATA/allocine-reviews-sample/train_data_allocine.csv
for f in "$SP" "$GR" "$GDN" "$AL1" "$AL2"; do
  [ -f "$f" ] || { echo "skip: $f not found"; exit 77; }
done
# Mappings from docs/reading.md.
GDN_MAP='text=Quelles sont les propositions qui ont emerge des discussions,id=contribution_no,date=Création,title=Titre,department=Département'
AL_MAP='text=text,feeling=label,feeling_scale=binary'
TMP=$(mktemp -d /tmp/voix-e2e-import.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/voix.db
RUN_TIMEOUT=300
. "$(dirname "$0")/lib/import-common.sh"

# import EXPECTED_TOTALS... -- ARGS: first import, then the same again.
twice() {
  local r=$1 i=$2 k=$3; shift 3
  run import "$@" --db "$DB" --quiet || { cat "$TMP/err"; fail "import $* (exit $?)"; }
  expect_totals "$r" "$i" 0 0 "$k"
  run import "$@" --db "$DB" --quiet || fail "re-import $* (exit $?)"
  expect_totals "$r" 0 0 "$i" "$k"
}

twice 1200 1200 0 "$SP"
twice 16645 9538 7107 "$GR" --rejects "$TMP/rejects.csv"
twice 9278 5473 3805 "$GDN" --map "$GDN_MAP"
# Two files in one import (one transaction).
twice 2400 2400 0 "$AL1" "$AL2" --map "$AL_MAP"

python3 - "$DB" "$SP" "$GR" "$GDN" "$TMP/rejects.csv" <<'PY' || fail "stored data differ from the sources"
import csv, json, re, sqlite3, sys
csv.field_size_limit(1 << 30)
db_path, sp, gr, gdn, rejects = sys.argv[1:]
db = sqlite3.connect(db_path)
q = lambda sql, *a: db.execute(sql, a).fetchall()
assert q('SELECT count(*) FROM experiences') == [(1200 + 9538 + 5473 + 2400,)]
assert q('SELECT count(*) FROM original_rows') == [(1200 + 9538 + 5473 + 2400,)]
assert q('SELECT count(*) FROM imports') == [(8,)]
scopes = dict(q('SELECT scope, count(*) FROM experiences GROUP BY scope'))
assert scopes == {'sp-plus': 1200, 'google-reviews': 9538, 'mapped-csv:reunions.csv': 5473,
                  'mapped-csv:test_data_allocine.csv': 400, 'mapped-csv:train_data_allocine.csv': 2000}, scopes
formats = dict(q('SELECT format, count(*) FROM sources GROUP BY format'))
assert formats == {'sp-plus-2023': 1, 'google-reviews': 1, 'mapped-csv': 3}, formats

# Services Publics+: every field of every row, C1 control characters read
# through Windows-1252 as the reader does (docs/reading.md).
def cp1252(m):
    try:
        return bytes([ord(m.group())]).decode('cp1252')
    except UnicodeDecodeError:
        return m.group()
c1 = re.compile('[\x80-\x9f]')
feel = {'Positif': 'positif', 'Neutre': 'neutre', 'Négatif': 'négatif', '': 'inconnu'}
checked = 0
for raw in csv.DictReader(open(sp, encoding='utf-8', newline='')):
    r = {c1.sub(cp1252, k): c1.sub(cp1252, v) for k, v in raw.items()}
    row = q('SELECT e.title, e.text, e.feeling, e.service, e.structure, e.channels, e.relation, o.row_json'
            ' FROM experiences e JOIN original_rows o ON o.experience_id = e.id'
            ' WHERE e.scope = ? AND e.ext_id = ?', 'sp-plus', r['ID expérience'])
    assert len(row) == 1, r['ID expérience']
    title, text, feeling, service, structure, channels, relation, row_json = row[0]
    assert feeling == feel[r['Ressenti usager']] and relation == feel[r['Relation']]
    assert service == r['Intitulé Typologie 1'] and structure == r['Intitulé structure 1']
    assert json.loads(channels) == [c.strip() for c in r['Canaux Typologie 1'].split(',') if c.strip()]
    assert title == r['Titre'] and text == r['Description'], r['ID expérience']
    assert json.loads(row_json) == r, r['ID expérience']
    checked += 1
assert checked == 1200, checked

# Google reviews: feelings from the stars of the reviews that have a text.
stars = {}
for r in csv.DictReader(open(gr, encoding='utf-8', newline='')):
    if r['review_text'].strip():
        stars[r['rate']] = stars.get(r['rate'], 0) + 1
want = {'négatif': stars['1'] + stars['2'], 'neutre': stars['3'], 'positif': stars['4'] + stars['5']}
got = dict(q("SELECT feeling, count(*) FROM experiences WHERE scope = 'google-reviews' GROUP BY feeling"))
assert got == want, (got, want)
assert q("SELECT count(*) FROM experiences WHERE scope = 'google-reviews' AND (date <> '' OR date_text = '')") == [(0,)]

# Grand Débat: text, title, date and department of every row with proposals.
texts = 0
for raw in csv.DictReader(open(gdn, encoding='utf-8', newline='')):
    r = {k: c1.sub(cp1252, v) for k, v in raw.items()}
    p = r['Quelles sont les propositions qui ont emerge des discussions']
    if not p.strip():
        continue
    row = q("SELECT text, title, date, department FROM experiences WHERE scope = 'mapped-csv:reunions.csv'"
            " AND ext_id = ?", r['contribution_no'])
    assert row == [(p, r['Titre'], r['Création'][:10], r['Département'])], r['contribution_no']
    texts += 1
assert texts == 5473

# Allociné: half positive, half negative.
got = dict(q("SELECT feeling, count(*) FROM experiences WHERE scope LIKE 'mapped-csv:%allocine%' GROUP BY feeling"))
assert got == {'positif': 1200, 'négatif': 1200}, got

# The rejects file: one row per rating-only review, with its reason.
rows = list(csv.reader(open(rejects, encoding='utf-8', newline='')))
assert rows[0] == ['fichier', 'ligne', 'motif', 'enregistrement'] and len(rows) == 7108, len(rows)
assert all(r[0] == gr and r[2] == 'texte vide' for r in rows[1:])
print('ok: stored fields match the sources')
PY

run stats --db "$DB" || fail "stats (exit $?)"
for line in "expériences : 18611" "     1200  $SP (sp-plus-2023, " "     9538  $GR (google-reviews, " \
            "      400  $AL1 (mapped-csv, " "      342  Réseau consulaire"; do
  grep -qF -- "$line" "$TMP/out" || { cat "$TMP/out"; fail "stats: missing '$line'"; }
done
echo "ok: stats"

run search "rendez-vous annulé" --db "$DB" --limit 30 || fail "search (exit $?)"
[ "$(wc -l <"$TMP/out")" -eq 30 ] || fail "search: expected 30 hits"
awk -F'\t' 'NF != 3 || $3 !~ /\*\*/ { exit 1 }' "$TMP/out" || fail "search: malformed hit or no marked word"
run search "madame conseillère" --db "$DB" --limit 100 || fail "search (exit $?)"
grep -q '\[NOM\]' "$TMP/out" || fail "search: no masked name among 100 hits about a 'madame conseillère'"
echo "ok: search"
