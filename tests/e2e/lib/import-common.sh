# Helpers shared by the import end-to-end scripts (sourced; not a test).
# Needs VOIX and TMP set; RUN_TIMEOUT (seconds) may be set before sourcing.

fail() { echo "FAIL: $*"; exit 1; }

# Runs voix with a time limit; a crash, a hang or a sanitizer report is a
# failure of its own. Output in $TMP/out and $TMP/err; returns voix's exit code.
run() {
  timeout "${RUN_TIMEOUT:-120}" "$VOIX" "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  [ $rc -lt 124 ] || { cat "$TMP/err"; fail "voix $* crashed or hung (exit $rc)"; }
  grep -q Sanitizer "$TMP/err" && { cat "$TMP/err"; fail "voix $*: sanitizer report"; }
  return $rc
}

# expect_totals READ INSERTED UPDATED UNCHANGED REJECTED: checks the totals line.
expect_totals() {
  local want="lues $1, ajoutées $2, mises à jour $3, inchangées $4, rejetées $5"
  grep -qxF "$want" "$TMP/out" || { cat "$TMP/out" "$TMP/err"; fail "expected '$want'"; }
  [ "$1" -eq $(($2 + $3 + $4 + $5)) ] || fail "read != inserted + updated + unchanged + rejected"
  echo "ok: $want"
}
