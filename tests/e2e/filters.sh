#!/usr/bin/env bash
# voix note --feeling and --department on tests/data/synthesis/filters.csv:
# the counts of the JSON note, its filters block and the scope line, for
# each source of feelings (the filter applies to the feeling the note
# reports, read from the words where the export gives none), the same
# selection from the database, and one-line messages for bad values.
# usage: bash filters.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -uo pipefail
VOIX=$1 REPO=$3
CSV=$REPO/tests/data/synthesis/filters.csv
MAP='id=id,date=date,text=texte,feeling=ressenti,department=departement'
command -v python3 >/dev/null || { echo "skip: python3 is needed to read the JSON note"; exit 77; }
TMP=$(mktemp -d /tmp/voix-e2e-filters.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/e2e/lib/import-common.sh"

# note WHAT PYTHON ARGS...: voix note ARGS... -o $TMP/note.json succeeds
# and PYTHON, with `note` bound to the JSON note, asserts what it holds.
note() {
	local what=$1 code=$2
	shift 2
	run note "$@" -o "$TMP/note.json" || { cat "$TMP/err"; fail "$what: exit $?"; }
	python3 - "$TMP/note.json" "$code" <<'PY' || fail "$what"
import json, sys
note = json.load(open(sys.argv[1], encoding='utf-8'))
exec(sys.argv[2])
PY
	echo "ok: $what"
}

# In department 75 (blanks around two codes): six exported négatif, two
# with no exported feeling that complain; the export's only leaves those
# two out. Whatever the source, every experience kept is counted négatif.
for case in auto:8 export:6 text:; do
	src=${case%%:*} want=${case#*:}
	note "--feeling négatif --department 75 --feelings $src${want:+: $want analysed}" "
want = '$want'
c, f = note['counts'], note['feelings']
assert note['input']['filters']['feeling'] == 'negatif', note['input']['filters']
assert note['input']['filters']['department'] == '75', note['input']['filters']
assert c['read'] == 16, c
if want:
    assert c['analysed'] == int(want), c
assert c['analysed'] >= 1 and c['excluded'] == {'hors filtre': 16 - c['analysed']}, c
assert f['negatif'] == c['analysed'] and f['positif'] == f['neutre'] == f['inconnu'] == 0, f
if '$src' == 'auto':
    # The two complaints without an exported feeling, read négatif.
    assert note['feelings_read'] == {'positif': 0, 'neutre': 0, 'negatif': 2, 'inconnu': 0}, note['feelings_read']
" "$CSV" --map "$MAP" --feeling négatif --department 75 --feelings "$src"
	cp "$TMP/note.json" "$TMP/$src.json"
done

# Two departments, one feeling: 75's six and 92's two exported négatif, and
# 75's two complaints; a department alone.
note "--department 75,92: ten analysed" "
assert note['counts']['analysed'] == 10, note['counts']
" "$CSV" --map "$MAP" --feeling négatif --department '75,92'
note "--department 2A alone: one analysed" "
assert note['counts']['analysed'] == 1 and 'feeling' not in note['input']['filters'], note['input']
" "$CSV" --map "$MAP" --department 2A

# The scope line, in Markdown and HTML, with the feeling's French name and
# the departments as the note records them (no blanks around them).
for case in "md|negatif| 75 , 92|- Filtres : ressenti = « négatif » ; département = « 75,92 »" \
            "html|positif|75|ressenti = « positif » ; département = « 75 »"; do
	IFS='|' read -r ext feeling departments want <<<"$case"
	run note "$CSV" --map "$MAP" --feeling "$feeling" --department "$departments" -o "$TMP/note.$ext" ||
		fail "$ext note: exit $?"
	python3 - "$TMP/note.$ext" "$want" <<'PY' || fail "$ext scope: want « $want »"
import sys
text = open(sys.argv[1], encoding='utf-8').read().replace('\u00a0', ' ')
if sys.argv[2] not in text:
    print([l for l in text.splitlines() if 'Filtres' in l or 'ressenti =' in l])
    sys.exit(1)
PY
	echo "ok: $ext scope: $want"
done

# From the database: the same selection.
run import "$CSV" --map "$MAP" --db "$TMP/voix.db" --quiet || fail "voix import: exit $?"
note "voix note --db --feeling négatif --department 75: the file's selection" "
other = json.load(open('$TMP/auto.json', encoding='utf-8'))
assert note['counts'] == other['counts'], (note['counts'], other['counts'])
assert note['feelings'] == other['feelings'] and note['feelings_read'] == other['feelings_read'], note['feelings']
" --db "$TMP/voix.db" --feeling négatif --department 75

# Bad values: exit 2, the message first, saying what is expected.
for bad in "--feeling|inconnu|--feeling attend positif, neutre ou négatif (reçu « inconnu »)" \
           "--department|75,,92|--department attend un département ou plusieurs séparés par des virgules"; do
	IFS='|' read -r opt value message <<<"$bad"
	run note "$CSV" --map "$MAP" "$opt" "$value"
	rc=$?
	[ "$rc" -eq 2 ] && head -1 "$TMP/err" | grep -qF -- "$message" || { cat "$TMP/err"; fail "$opt $value: exit $rc"; }
	echo "ok: $opt $value: exit 2, $(head -1 "$TMP/err")"
done
# Nothing left: a message that says the filters leave nothing.
run note "$CSV" --map "$MAP" --feeling neutre --department 92
rc=$?
[ "$rc" -ne 0 ] && grep -q "ne passe les filtres" "$TMP/err" || fail "no experience left: exit $rc"
echo "ok: no experience left: exit $rc, $(head -1 "$TMP/err")"
echo "filters: all passed"
