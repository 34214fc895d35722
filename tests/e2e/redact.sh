#!/bin/bash
# voix redact on an invented export with fake personal data: every fake
# value is gone, the placeholders are there, rows and columns are unchanged,
# the near misses stay, and the report counts per category and column.
# usage: redact.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$1
REPO=$3
IN="$REPO/tests/data/privacy/fake-export.csv"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$VOIX" redact "$IN" -o "$TMP/out.csv" --report > "$TMP/report.txt" || fail "exit code $?"

# Every fake value is gone.
while IFS= read -r value; do
	[ -z "$value" ] && continue
	grep -qF -- "$value" "$TMP/out.csv" && fail "still present: $value"
done < "$REPO/tests/data/privacy/fake-values.txt"

# Placeholders of every category of the file are there.
for ph in '[EMAIL]' '[TÉLÉPHONE]' '[NIR]' '[IBAN]' '[SIRET]' '[CARTE]' '[IMMATRICULATION]' \
          '[NUMÉRO DE DOSSIER]' '[NOM]' '[DATE DE NAISSANCE]' '[ADRESSE]'; do
	grep -qF -- "$ph" "$TMP/out.csv" || fail "placeholder missing: $ph"
done

# Near misses stay.
for keep in 'Monsieur le Maire' '3949' 'France Travail Lyon' 'Intitulé structure 1' '2024-03-09'; do
	grep -qF -- "$keep" "$TMP/out.csv" || fail "near miss masked: $keep"
done

# Same rows and columns: compare record and field counts with a CSV parser.
python3 - "$IN" "$TMP/out.csv" <<'PY' || fail "rows or columns differ"
import csv, sys
def shape(path):
    with open(path, encoding='utf-8', newline='') as f:
        return [len(r) for r in csv.reader(f, delimiter=';')]
a, b = shape(sys.argv[1]), shape(sys.argv[2])
print('records', len(a), len(b))
sys.exit(0 if a == b else 1)
PY

# The report names the masked columns and the totals.
grep -q '^lignes 4, colonnes 8' "$TMP/report.txt" || fail "report header: $(head -1 "$TMP/report.txt")"
grep -q '^Description' "$TMP/report.txt" || fail "report has no Description row"
grep -q '^total' "$TMP/report.txt" || fail "report has no total row"

# To stdout, the report goes to stderr; the copy is identical.
"$VOIX" redact "$IN" --report > "$TMP/stdout.csv" 2> "$TMP/stderr.txt" || fail "stdout run"
cmp -s "$TMP/stdout.csv" "$TMP/out.csv" || fail "stdout copy differs"
grep -q '^lignes 4' "$TMP/stderr.txt" || fail "report not on stderr"

# Errors: usage, missing file, bad mapping.
"$VOIX" redact > /dev/null 2>&1; [ $? -eq 2 ] || fail "no file should exit 2"
"$VOIX" redact "$TMP/absent.csv" > /dev/null 2>&1; [ $? -eq 3 ] || fail "missing file should exit 3"
"$VOIX" redact "$IN" --map text=Absente > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad mapping should exit 2"
"$VOIX" redact "$IN" --bogus > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option should exit 2"
: > "$TMP/empty.csv"
"$VOIX" redact "$TMP/empty.csv" > /dev/null 2>&1; [ $? -eq 5 ] || fail "empty file should exit 5"

echo "1 passed, 0 failed"
