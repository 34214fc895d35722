#!/usr/bin/env bash
# The notes of the bundled example, byte for byte: `voix note` on
# examples/experiences-exemple.csv must give exactly the Markdown, HTML and
# JSON (without its `run` object, the only part that differs between runs)
# checked in under tests/golden/. Any change to a note fails here; a change
# made on purpose (the model, a wording) regenerates the files in the same
# commit with `make golden` (tests/golden/README.md).
# usage: bash golden.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR [--update]
set -euo pipefail
VOIX=$(realpath "$1") REPO=$(realpath "$3") UPDATE=${4:-}
GOLDEN=$REPO/tests/golden
# The note shows each source's path as given: always the same relative path.
EXAMPLE=examples/experiences-exemple.csv
TMP=$(mktemp -d /tmp/voix-e2e-golden.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$REPO"
[ -f "$EXAMPLE" ] || { echo "FAIL: $REPO/$EXAMPLE is missing"; exit 1; }

. "$REPO/tests/e2e/lib/without-run.sh"

for fmt in md html json; do
	"$VOIX" note "$EXAMPLE" -o "$TMP/note.$fmt"
done
without_run "$TMP/note.json" >"$TMP/note.norun.json"
mv "$TMP/note.norun.json" "$TMP/note.json"

if [ "$UPDATE" = "--update" ]; then
	for fmt in md html json; do
		cp "$TMP/note.$fmt" "$GOLDEN/example.$fmt"
	done
	echo "golden notes written to $GOLDEN (review them with git diff before committing)"
	exit 0
fi

passed=0 failed=0
for fmt in md html json; do
	if cmp -s "$TMP/note.$fmt" "$GOLDEN/example.$fmt"; then
		passed=$((passed + 1))
		echo "ok   example.$fmt is byte-identical"
	else
		failed=$((failed + 1))
		echo "FAIL example.$fmt differs from tests/golden/example.$fmt:"
		diff -u "$GOLDEN/example.$fmt" "$TMP/note.$fmt" | head -40 || true
	fi
done
if [ "$failed" -ne 0 ]; then
	echo "A change of the note on purpose? Regenerate with 'make golden' and commit the files with it."
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
