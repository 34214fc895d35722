#!/bin/bash
# voix redact on JSON Lines: the invented export of redact.sh written as one
# JSON object per line (with a number, an array, a null, a blank line and a
# line that is not an object). Every fake value is gone; each output line
# is the same object with the same keys in the same order; each string is
# masked exactly as the same cell of the CSV copy is; the line that is not
# an object is masked as text and said; an id named by --map is kept.
# usage: redact_jsonl.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$1
REPO=$3
CSV="$REPO/tests/data/privacy/fake-export.csv"
VALUES="$REPO/tests/data/privacy/fake-values.txt"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || { echo "skip: python3 is needed to write the JSON Lines file"; exit 77; }

# The JSON Lines form of the CSV export, plus a few values of other types.
python3 - "$CSV" "$TMP/in.jsonl" "$VALUES" <<'PY' || fail "cannot write the JSON Lines input"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8', newline=''), delimiter=';'))
header, body = rows[0], rows[1:]
first_fake = next(v for v in open(sys.argv[3], encoding='utf-8').read().splitlines() if '@' in v)
with open(sys.argv[2], 'w', encoding='utf-8') as out:
    for i, row in enumerate(body):
        obj = dict(zip(header, row))
        obj['note'] = i + 1
        obj['canaux'] = ['Accueil', 'Téléphone']
        obj['vide'] = None
        out.write(json.dumps(obj, ensure_ascii=False) + '\n')
        if i == 0:
            out.write('\n')
    # Not an object: an array holding a fake value.
    out.write(json.dumps(['pas un objet', first_fake], ensure_ascii=False) + '\n')
PY

"$VOIX" redact "$CSV" -o "$TMP/out.csv" 2>/dev/null || fail "CSV redaction: exit $?"
"$VOIX" redact "$TMP/in.jsonl" -o "$TMP/out.jsonl" --report >"$TMP/report.txt" 2>"$TMP/stderr.txt" ||
	fail "JSON Lines redaction: exit $?"

# Every fake value is gone.
while IFS= read -r value; do
	[ -z "$value" ] && continue
	grep -qF -- "$value" "$TMP/out.jsonl" && fail "still present: $value"
done <"$VALUES"
grep -qF '[EMAIL]' "$TMP/out.jsonl" || fail "no [EMAIL] placeholder"

# Same objects, keys and order; strings masked as the CSV copy's cells; the
# other types as they were; the blank line kept; the last line masked text.
python3 - "$TMP/in.jsonl" "$TMP/out.jsonl" "$TMP/out.csv" <<'PY' || fail "JSON Lines copy differs from its input or from the CSV copy"
import csv, json, sys
src = open(sys.argv[1], encoding='utf-8').read().split('\n')
out = open(sys.argv[2], encoding='utf-8').read().split('\n')
masked_csv = list(csv.reader(open(sys.argv[3], encoding='utf-8', newline=''), delimiter=';'))[1:]
assert len(src) == len(out), ('lines', len(src), len(out))
k = 0
for a, b in zip(src[:-2], out[:-2]):
    if a == '':
        assert b == '', 'blank line not kept'
        continue
    oa, ob = json.loads(a), json.loads(b)
    assert list(oa) == list(ob), ('keys', list(oa), list(ob))
    cells = dict(zip(list(oa), masked_csv[k]))
    for key in oa:
        if isinstance(oa[key], str):
            assert ob[key] == cells[key], (key, 'masked differently from the CSV copy')
        else:
            assert ob[key] == oa[key], (key, 'value of another type changed')
    k += 1
assert k == len(masked_csv), ('objects', k, len(masked_csv))
assert out[-2].startswith('["pas un objet", ') and '[' in out[-2][17:], 'the line that is not an object'
print('objects', k)
PY
grep -q "1 ligne sans objet JSON, masquée comme du texte" "$TMP/stderr.txt" || fail "the line that is not an object is not said: $(cat "$TMP/stderr.txt")"
grep -q '^lignes 6, colonnes 11' "$TMP/report.txt" || fail "report header: $(head -1 "$TMP/report.txt")"

# An id named by the mapping is kept (it has the shape of an id).
"$VOIX" redact "$TMP/in.jsonl" --map id=note -o "$TMP/mapped.jsonl" 2>"$TMP/stderr.txt" || fail "mapped: exit $?"
grep -q 'note (identifiant)' "$TMP/stderr.txt" || fail "mapped id not kept: $(cat "$TMP/stderr.txt")"
"$VOIX" redact "$TMP/in.jsonl" --map text=Absente >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad mapping should exit 2"
printf '\n  \n' >"$TMP/blank.jsonl"
"$VOIX" redact "$TMP/blank.jsonl" >/dev/null 2>&1; [ $? -eq 5 ] || fail "a blank file should exit 5"

echo "1 passed, 0 failed"
