#!/usr/bin/env bash
# voix note --assignments: one row per membership the note counts. Every
# topic's and strength's count in the JSON note is the number of its rows,
# every id is an experience of the input, labels match, and two runs give
# the same bytes.
# usage: bash assignments.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -euo pipefail
VOIX=$1 REPO=$3
EXAMPLE=$REPO/examples/experiences-exemple.csv
command -v python3 >/dev/null || { echo "skip: python3 is needed to read the JSON note"; exit 77; }
TMP=$(mktemp -d /tmp/voix-e2e-assign.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

"$VOIX" note "$EXAMPLE" -o "$TMP/note.json" --assignments "$TMP/a1.csv" 2>/dev/null
"$VOIX" note "$EXAMPLE" -o "$TMP/note.md" --assignments "$TMP/a2.csv" 2>/dev/null
cmp "$TMP/a1.csv" "$TMP/a2.csv" || { echo "FAIL: two runs give different assignments"; exit 1; }
echo "ok   two runs give the same assignments"

python3 - "$TMP/note.json" "$TMP/a1.csv" "$EXAMPLE" <<'PY'
import csv, json, sys
note = json.load(open(sys.argv[1], encoding="utf-8"))
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline=""), delimiter=";"))
ids = {r["ID expérience"] for r in csv.DictReader(open(sys.argv[3], encoding="utf-8-sig", newline=""), delimiter=";")}
fail = 0
def check(cond, what):
    global fail
    print(("ok   " if cond else "FAIL ") + what)
    fail += not cond
check(rows[0] == ["experience_id", "kind", "topic", "label", "weight"], "header row")
body = rows[1:]
check(all(len(r) == 5 for r in body), "five fields per row")
check(all(r[0] in ids for r in body), "every id is an experience of the input")
check(all(float(r[4]) > 0 for r in body), "every weight is positive")
for kind, key in (("sujet", "topics"), ("point_fort", "strengths")):
    check(len(note[key]) > 0, "the example has %s" % key)
    for t in note[key]:
        mine = [r for r in body if r[1] == kind and r[2] == str(t["id"])]
        check(len(mine) == t["count"], "%s %d: %d rows for a count of %d" % (kind, t["id"], len(mine), t["count"]))
        check(all(r[3] == t["label"] for r in mine), "%s %d: label" % (kind, t["id"]))
        check(len({r[0] for r in mine}) == len(mine), "%s %d: each experience once" % (kind, t["id"]))
known = {(k, str(t["id"])) for k, key in (("sujet", "topics"), ("point_fort", "strengths")) for t in note[key]}
check(all((r[1], r[2]) in known for r in body), "no row for a topic the note does not show")
sys.exit(1 if fail else 0)
PY
