#!/usr/bin/env bash
# Runs the main commands and every unit-test binary of a build without
# sanitizers under valgrind's memcheck; any error or leak fails the run.
# usage: scripts/valgrind-check.sh BUILD_DIR
set -eu
BUILD=${1:-build-valgrind}
VOIX="$BUILD/voix"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
VG="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
passed=0
failed=0
check() {
  local name=$1; shift
  if $VG "$@" >"$TMP/out" 2>"$TMP/err"; then
    passed=$((passed + 1)); echo "valgrind ok: $name"
  else
    local rc=$?
    if [ "$rc" -eq 99 ] || grep -q "ERROR SUMMARY: [1-9]" "$TMP/err"; then
      failed=$((failed + 1)); echo "valgrind FAILED: $name"; tail -30 "$TMP/err"
    else
      passed=$((passed + 1)); echo "valgrind ok: $name (exit $rc, no memory error)"
    fi
  fi
}
EX=examples/experiences-exemple.csv
check "note md" "$VOIX" note "$EX" -o "$TMP/n.md"
check "note html" "$VOIX" note "$EX" -o "$TMP/n.html"
check "note json" "$VOIX" note "$EX" -o "$TMP/n.json"
check "import" "$VOIX" import "$EX" --db "$TMP/v.db" --quiet
check "note --db" "$VOIX" note --db "$TMP/v.db" -o "$TMP/n2.md"
check "search" "$VOIX" search "rendez-vous annulé" --db "$TMP/v.db"
check "stats" "$VOIX" stats --db "$TMP/v.db"
check "redact" "$VOIX" redact "$EX" -o "$TMP/r.csv"
# Unit tests: every binary; the ones that read the large shared corpora run on
# the bundled example only (ASan covers them on the full corpora), and the
# speed test, which only measures, is left out.
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  case "$(basename "$t")" in
    test_reader_speed) continue ;;
    test_note_properties) check "$(basename "$t") (example)" "$t" example ;;
    *) check "$(basename "$t")" "$t" ;;
  esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
