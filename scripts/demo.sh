#!/usr/bin/env bash
# The demo: imports the bundled example into a fresh database and prints its
# statistics, then writes the synthesis note from it.
set -eu
VOIX=${1:-build/voix}
OUT=${DEMO_OUT:-demo-output}
mkdir -p "$OUT"
rm -f "$OUT/voix.db" "$OUT/voix.db-wal" "$OUT/voix.db-shm"
"$VOIX" import examples/experiences-exemple.csv --db "$OUT/voix.db"
"$VOIX" stats --db "$OUT/voix.db"
if "$VOIX" note --db "$OUT/voix.db" -o "$OUT/note.html" 2>/dev/null; then
  "$VOIX" note --db "$OUT/voix.db" -o "$OUT/note.md"
  "$VOIX" note --db "$OUT/voix.db" -o "$OUT/note.json"
  echo "voix: note written to $OUT/note.html, $OUT/note.md and $OUT/note.json"
else
  echo "voix: database at $OUT/voix.db (the note is not available in this build)"
fi
