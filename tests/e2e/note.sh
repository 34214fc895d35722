#!/usr/bin/env bash
# voix note from the command line, on the bundled example and small files
# written here: output formats and their choice, the five sections, byte-
# identical runs, the voix.note/1 JSON contract, exit codes and one-line
# messages on bad input, the note from the database, and the codebook round
# trip. Works without the shared data (one extra check uses it when present).
# usage: bash note.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -euo pipefail
VOIX=$1 SHARED=$2 REPO=$3
EXAMPLE=$REPO/examples/experiences-exemple.csv
PLANTED=$REPO/tests/data/synthesis/example-planted.txt
command -v python3 >/dev/null || { echo "skip: python3 is needed to read the JSON note"; exit 77; }
[ -f "$EXAMPLE" ] || { echo "FAIL: $EXAMPLE is missing"; exit 1; }
TMP=$(mktemp -d /tmp/voix-e2e-note.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok   $*"; }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

# run ARGS...: runs voix with a time limit, stdout to $TMP/out, stderr to
# $TMP/err; sets RC. A crash, a hang or a sanitizer report is a failure.
run() {
	RC=0
	timeout 120 "$VOIX" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
	if [ "$RC" -ge 124 ] || grep -q -e Sanitizer -e 'runtime error' "$TMP/err"; then
		sed -n 1,20p "$TMP/err"
		ko "voix $* crashed or hung (exit $RC)"
		return 1
	fi
	return 0
}

# expect_ok WHAT ARGS...: voix succeeds.
expect_ok() {
	local what=$1
	shift
	run "$@" || return 0
	if [ "$RC" -eq 0 ]; then ok "$what"; else
		sed -n 1,5p "$TMP/err"
		ko "$what: exit $RC"
	fi
}

# expect_exit CODE WHAT ARGS...: voix fails with CODE and a one-line
# message on stderr (a usage error may follow it with the usage of
# `voix note --help`, nothing else).
expect_exit() {
	local code=$1 what=$2
	shift 2
	run "$@" || return 0
	local lines
	lines=$(wc -l <"$TMP/err")
	if [ "$lines" -gt 1 ] && tail -n +2 "$TMP/err" | cmp -s - "$TMP/usage"; then
		lines=1
		sed -i 1q "$TMP/err"
	fi
	if [ "$RC" -ne "$code" ]; then
		sed -n 1,5p "$TMP/err"
		ko "$what: exit $RC, want $code"
	elif [ "$lines" -ne 1 ] || [ ! -s "$TMP/err" ]; then
		sed -n 1,5p "$TMP/err"
		ko "$what: $lines lines on stderr, want one"
	else
		ok "$what (exit $code: $(cat "$TMP/err"))"
	fi
}

# json_check FILE PYTHON: runs PYTHON with `note` bound to the parsed FILE;
# the snippet raises (assert) on failure.
json_check() {
	python3 - "$1" "$2" <<'PY'
import json, sys
note = json.load(open(sys.argv[1], encoding='utf-8'))
exec(sys.argv[2])
PY
}

# ---- Formats --------------------------------------------------------------

"$VOIX" note --help >"$TMP/usage" || true

expect_ok "Markdown on stdout by default" note "$EXAMPLE"
cp "$TMP/out" "$TMP/stdout.md"
if python3 - "$TMP/stdout.md" <<'PY'; then ok "the five sections, in order"; else ko "the five sections, in order"; fi
import sys
md = open(sys.argv[1], encoding='utf-8').read()
pos = 0
for h in ["Périmètre", "Points forts", "principaux sujets", "Axes d", "Méthode et limites"]:
    i = md.find("\n## ", pos)
    while i >= 0 and h not in md[i:md.find("\n", i + 1)]:
        i = md.find("\n## ", i + 1)
    if i < 0:
        print("heading missing or out of order:", h)
        sys.exit(1)
    pos = i + 1
PY

for ext in md html json; do
	expect_ok "-o note.$ext" note "$EXAMPLE" -o "$TMP/a.$ext"
	run note "$EXAMPLE" -o "$TMP/b.$ext" || true
done
if head -c 2 "$TMP/a.md" | grep -q '^# ' && cmp -s "$TMP/a.md" "$TMP/stdout.md"; then
	ok "-o x.md writes the Markdown of stdout"
else ko "-o x.md writes the Markdown of stdout"; fi
if grep -qi '^<!doctype html' "$TMP/a.html" && grep -q '</html>' "$TMP/a.html"; then
	ok "-o x.html writes HTML"
else ko "-o x.html writes HTML"; fi
if python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$TMP/a.json"; then
	ok "-o x.json writes JSON that parses"
else ko "-o x.json writes JSON that parses"; fi

expect_ok "--format json over an .md name" note "$EXAMPLE" -o "$TMP/forced.md" --format json
if python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$TMP/forced.md"; then
	ok "--format overrides the extension"
else ko "--format overrides the extension"; fi
expect_ok "--format html on stdout" note "$EXAMPLE" --format html
if cmp -s "$TMP/out" "$TMP/a.html"; then ok "--format html on stdout is the HTML note"; else ko "--format html on stdout is the HTML note"; fi
expect_exit 2 "unknown extension without --format" note "$EXAMPLE" -o "$TMP/note.txt"
expect_exit 2 "unknown --format" note "$EXAMPLE" --format pdf

# ---- Same input, same bytes ------------------------------------------------

for ext in md html; do
	if cmp -s "$TMP/a.$ext" "$TMP/b.$ext"; then ok "two runs give the same $ext"; else ko "two runs give different $ext"; fi
done
if json_check "$TMP/a.json" "
other = json.load(open('$TMP/b.json', encoding='utf-8'))
assert 'run' in note and 'run' in other
del note['run'], other['run']
assert note == other, 'the two JSON notes differ outside run'
"; then ok "two JSON runs differ only in run"; else ko "two JSON runs differ outside run"; fi
if [ ! -s "$TMP/a.md" ] || [ ! -s "$TMP/a.html" ] || grep -qwE -e '-?(nan|inf)' "$TMP/a.md" "$TMP/a.html"; then ko "Markdown shows nan/inf"; else ok "no nan or inf in the Markdown"; fi

# ---- The JSON contract -----------------------------------------------------

CONTRACT='
def has(o, path):
    for k in path.split("."):
        assert isinstance(o, dict) and k in o, "missing key " + path
        o = o[k]
    return o
assert note["schema"] == "voix.note/1", note["schema"]
for k in ["input", "counts", "feelings", "period", "strengths", "topics", "axes", "method", "run"]:
    has(note, k)
assert len(note["input"]["files"]) >= 1
for f in note["input"]["files"]:
    for k in ["path", "sha256"]:
        has(f, k)
    assert len(f["sha256"]) == 64
for k in ["read", "analysed", "excluded", "duplicates"]:
    has(note, "counts." + k)
c = note["counts"]
assert c["read"] == c["analysed"] + sum(c["excluded"].values())
for k in ["positif", "neutre", "negatif", "inconnu"]:
    assert isinstance(has(note, "feelings." + k), int)
assert sum(note["feelings"].values()) == c["analysed"]
assert note["period"] is None or set(note["period"]) >= {"from", "to"}
for lst in ["topics", "strengths"]:
    for t in note[lst]:
        for k in ["id", "label", "terms", "count", "share", "feelings", "channels", "services", "verbatims"]:
            has(t, k)
        assert t["label"] and t["terms"] and 0 < t["count"]
        assert sum(t["feelings"].values()) == t["count"]
        for v in t["verbatims"]:
            for k in ["experience_id", "field", "start", "end", "text"]:
                has(v, k)
            assert v["field"] == "text" and 0 <= v["start"] < v["end"]
assert 1 <= len(note["topics"]) <= 4
for a in note["axes"]:
    for k in ["text", "topics", "dimensions", "evidence_count", "experience_ids"]:
        has(a, k)
    assert a["evidence_count"] >= 1 and 1 <= len(a["experience_ids"]) <= 5
    assert all(1 <= i <= len(note["topics"]) for i in a["topics"])
for k in ["steps", "parameters", "version", "coverage"]:
    has(note, "method." + k)
assert 0 <= note["method"]["coverage"] <= 1
for k in ["seconds", "peak_rss_kb"]:
    has(note, "run." + k)
'
if json_check "$TMP/a.json" "$CONTRACT"; then ok "schema voix.note/1 and every contract key"; else ko "JSON contract"; fi
want=$(sha256sum "$EXAMPLE" | cut -d' ' -f1)
if json_check "$TMP/a.json" "assert note['input']['files'][0]['sha256'] == '$want', note['input']['files'][0]['sha256']"; then
	ok "input.files[].sha256 is the file's SHA-256"
else ko "input.files[].sha256 differs from sha256sum"; fi
if json_check "$TMP/a.json" "
c = note['counts']; assert c['read'] == 240 and c['analysed'] == 240 and c['duplicates'] == 5, c
f = note['feelings']; assert (f['positif'], f['neutre'], f['negatif']) == (60, 48, 132), f
"; then ok "counts and feelings of the example (examples/README.md)"; else ko "counts and feelings of the example"; fi

# Planted personal data never shown.
leaks=0
for f in "$TMP/a.md" "$TMP/a.html" "$TMP/a.json"; do [ -s "$f" ] || leaks=$((leaks + 1)); done
while IFS= read -r value; do
	[ -z "$value" ] && continue
	for f in "$TMP/a.md" "$TMP/a.html" "$TMP/a.json"; do
		if grep -qF -- "$value" "$f"; then
			echo "  planted value '$value' in ${f##*/}"
			leaks=$((leaks + 1))
		fi
	done
done <"$PLANTED"
if [ "$leaks" -eq 0 ]; then ok "no planted personal data in md, html or json"; else ko "$leaks planted values shown (or a note missing)"; fi

# --terms N lists more terms per topic: the first 8 are the default ones, the rest
# of the note does not change.
"$VOIX" note "$EXAMPLE" --terms 25 -o "$TMP/t25.json"
if json_check "$TMP/t25.json" "
import json
base = json.load(open('$TMP/a.json', encoding='utf-8'))
assert len(note['topics']) == len(base['topics'])
for t, b in zip(note['topics'] + note['strengths'], base['topics'] + base['strengths']):
    assert 8 < len(t['terms']) <= 25 and len(set(t['terms'])) == len(t['terms']), t['terms']
    assert t['terms'][:8] == b['terms'], (t['terms'][:8], b['terms'])
    assert (t['label'], t['count'], t['verbatims']) == (b['label'], b['count'], b['verbatims'])
"; then ok "--terms 25: up to 25 distinct terms, the default 8 first, the rest unchanged"; else ko "--terms 25"; fi

# ---- Bad input ------------------------------------------------------------

printf 'a;b\n1;2\n3;4\n' >"$TMP/no-text.csv"
: >"$TMP/empty.csv"
expect_exit 3 "missing file" note "$TMP/absent.csv"
expect_exit 3 "a CSV with no text column" note "$TMP/no-text.csv"
# cli/cli.h and docs/synthesis.md: nothing to analyse (empty file or selection) is 5.
expect_exit 5 "an empty file" note "$TMP/empty.csv"
expect_exit 5 "a filter that matches nothing" note "$EXAMPLE" --service "Service qui n'existe pas"
expect_exit 5 "dates that match nothing" note "$EXAMPLE" --since 2030-01-01
expect_exit 2 "--topics abc" note "$EXAMPLE" --topics abc
expect_exit 2 "--topics 50" note "$EXAMPLE" --topics 50
expect_exit 2 "--terms 0" note "$EXAMPLE" --terms 0
expect_exit 2 "--terms 51" note "$EXAMPLE" --terms 51
expect_exit 2 "--since not a date" note "$EXAMPLE" --since 2024-02-30
expect_exit 2 "both a file and --db" note "$EXAMPLE" --db "$TMP/x.db"
expect_exit 2 "neither a file nor --db" note
expect_exit 2 "an option without its value" note "$EXAMPLE" --topics

# A filter that keeps part of the example: counted as "hors filtre".
expect_ok "--service CAF" note "$EXAMPLE" --service caf -o "$TMP/caf.json"
if json_check "$TMP/caf.json" "
c = note['counts']; assert c['analysed'] == 33 and c['excluded'] == {'hors filtre': 207}, c
assert note['input']['filters']['service'] == 'caf'
"; then ok "--service selects the 33 CAF experiences, 207 hors filtre"; else ko "--service CAF counts"; fi

# Rows the reader rejects: an empty text counts with the texts without words,
# an unreadable date and an unreadable record each apart.
printf 'id,date,text\n1,2024-03-01,"Dossier bloqué depuis trois mois, personne ne répond au téléphone."\n2,2024-03-02,"Aucune réponse à mes courriels depuis six semaines, toujours pas de nouvelles."\n3,2024-03-03,\n4,31/02/2024,"Le site plante au moment de payer."\n5,2024-03-05,"guillemet "mal placé" ici"\n' > "$TMP/rejects.csv"
expect_ok "rows rejected at reading" note "$TMP/rejects.csv" --map text=text,id=id,date=date -o "$TMP/rejects.json"
if json_check "$TMP/rejects.json" "
c = note['counts']
assert c['excluded'] == {'texte vide': 1, 'date illisible (rejetée à la lecture)': 1,
                         'illisible (rejetée à la lecture)': 1}, c['excluded']
"; then ok "rejects counted by kind: texte vide, date illisible, illisible"; else ko "rejects by kind"; fi

# ---- From the database -----------------------------------------------------

expect_ok "voix import" import "$EXAMPLE" --db "$TMP/voix.db" --quiet
expect_ok "voix note --db" note --db "$TMP/voix.db" -o "$TMP/db.json"
if json_check "$TMP/a.json" "
other = json.load(open('$TMP/db.json', encoding='utf-8'))
a = [t['label'] for t in note['topics']]; b = [t['label'] for t in other['topics']]
assert a == b, (a, b)
a = [t['label'] for t in note['strengths']]; b = [t['label'] for t in other['strengths']]
assert a == b, (a, b)
assert note['counts'] == other['counts'], (note['counts'], other['counts'])
"; then ok "note --db has the topics of note FILE"; else ko "note --db and note FILE differ"; fi
# No database at --db: exit 4, as for stats and search (docs/cli.md), one line.
run note --db "$TMP/absent.db" || true
if [ "$RC" -eq 4 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && [ ! -e "$TMP/absent.db" ]; then
	ok "--db that does not exist (exit $RC: $(cat "$TMP/err")), nothing created"
else ko "--db that does not exist: exit $RC, $(wc -l <"$TMP/err") lines on stderr"; fi

# ---- Codebook round trip ---------------------------------------------------

expect_ok "--print-codebook" note --print-codebook
cp "$TMP/out" "$TMP/codebook.txt"
if [ -s "$TMP/codebook.txt" ]; then ok "the codebook is printed"; else ko "--print-codebook printed nothing"; fi
expect_ok "--codebook FILE accepts the printed codebook" note "$EXAMPLE" --codebook "$TMP/codebook.txt" -o "$TMP/cb.json"
if json_check "$TMP/a.json" "
other = json.load(open('$TMP/cb.json', encoding='utf-8'))
for n in (note, other):
    del n['run']
    n['method']['parameters'] = [p for p in n['method']['parameters'] if p['name'] != 'referentiel']
assert note == other, 'the notes differ'
"; then ok "the printed codebook gives the same note"; else ko "the printed codebook gives another note"; fi
printf 'ceci n est pas un référentiel\n' >"$TMP/bad-codebook.txt"
run note "$EXAMPLE" --codebook "$TMP/bad-codebook.txt" || true
if [ "$RC" -ne 0 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ]; then
	ok "a malformed codebook is refused (exit $RC: $(cat "$TMP/err"))"
else ko "a malformed codebook: exit $RC, $(wc -l <"$TMP/err") lines on stderr"; fi

printf '[x]\ntitre: t\ntexte: t\nmots: mot de passe\n' >"$TMP/space-codebook.txt"
run note "$EXAMPLE" --codebook "$TMP/space-codebook.txt" || true
if [ "$RC" -eq 3 ] && grep -q "space-codebook.txt:4: levier \[x\] : un mot-signal est un seul mot" "$TMP/err"; then
	ok "a signal word with a space is refused (exit $RC)"
else ko "a signal word with a space: exit $RC, $(cat "$TMP/err")"; fi

printf '[x]\nsujet: s\ntitre: t\ntexte: t\n\nexpressions: depuis # mois ; (a b)\n' >"$TMP/expr-codebook.txt"
run note "$EXAMPLE" --codebook "$TMP/expr-codebook.txt" -o "$TMP/expr-note.md" || true
if [ "$RC" -eq 3 ] && grep -q "expr-codebook.txt:6: \[x\]" "$TMP/err" && [ ! -e "$TMP/expr-note.md" ]; then
	ok "a theme expression with an error names its line and writes no note (exit $RC)"
else ko "a bad theme expression: exit $RC, $(cat "$TMP/err")"; fi

# ---- --name=value, and the run steps ----------------------------------------

expect_ok "--topics=3 --format=json" note "$EXAMPLE" --topics=3 --format=json -o "$TMP/t3.json"
if json_check "$TMP/t3.json" "
assert len(note['topics']) == 3, len(note['topics'])
stages = note['run']['stages']
assert list(stages)[0] == 'reading' and 'matrix' in stages and 'axes' in stages, stages
assert all(isinstance(v, (int, float)) and v >= 0 for v in stages.values()), stages
"; then ok "--name=value is read, run.stages lists the steps"; else ko "--topics=3 or run.stages"; fi

# ---- Shared data (optional) ------------------------------------------------

SP="$SHARED/sp-plus-2023-sample/experiences.csv"
if [ -f "$SP" ]; then
	expect_ok "note on the Services Publics+ 2023 sample" note "$SP" -o "$TMP/sp.json"
	if json_check "$TMP/sp.json" "$CONTRACT"; then ok "its JSON keeps the contract"; else ko "its JSON breaks the contract"; fi
else
	echo "skip the Services Publics+ sample: $SP not found"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
