#!/usr/bin/env bash
# voix serve in a real headless browser (tests/browser/dashboard.py): login,
# upload of the bundled example, note (filtered by feeling and department with
# its form), drill-down to a highlighted verbatim,
# JSON download, the public form /avis (search, errors, sent), axe-core on
# every page, the moderation queue, the reply page, a structure's public page. axe-core comes from npm
# (tests/browser/package-lock.json, npm ci). Skips (77) only when chromium,
# its driver or selenium is missing, or chromium cannot start.
# usage: bash browser.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$(realpath "$1") REPO=$(realpath "$3")
for f in /usr/bin/chromium /usr/bin/chromedriver; do
	[ -x "$f" ] || { echo "skip: $f is missing (scripts/install-deps.sh)"; exit 77; }
done
/usr/bin/python3 -c 'import selenium' 2>/dev/null || { echo "skip: python3-selenium is missing"; exit 77; }
command -v npm >/dev/null || { echo "skip: npm is missing"; exit 77; }
TMP=$(mktemp -d /tmp/voix-e2e-browser.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
# axe-core, installed from the lockfile into a copy (the source tree stays clean).
cp "$REPO/tests/browser/package.json" "$REPO/tests/browser/package-lock.json" "$TMP/"
(cd "$TMP" && npm ci --no-audit --no-fund --silent >/dev/null 2>&1) || { echo "FAIL: npm ci"; exit 1; }
AXE=$TMP/node_modules/axe-core/axe.min.js
DB=$TMP/voix.db
echo 'un-mot-de-passe-de-test' | "$VOIX" user add testeur --role analyste --db "$DB" 2>/dev/null ||
	{ echo "FAIL: voix user add"; exit 1; }
echo 'un-mot-de-passe-de-test' | "$VOIX" user add moderatrice --role moderateur --db "$DB" 2>/dev/null ||
	{ echo "FAIL: voix user add moderatrice"; exit 1; }
"$VOIX" structures import "$REPO/examples/structures-exemple.csv" --db "$DB" >/dev/null ||
	{ echo "FAIL: voix structures import"; exit 1; }
echo 'un-mot-de-passe-de-test' | "$VOIX" user add agente --role agent --structure EXMPL00001 --db "$DB" 2>/dev/null ||
	{ echo "FAIL: voix user add agente"; exit 1; }
. "$REPO/tests/e2e/lib/serve-common.sh"
serve_start "$DB" || { echo "FAIL: voix serve did not start"; exit 1; }
PID=$SERVE
HOME=$TMP timeout 240 /usr/bin/python3 "$REPO/tests/browser/dashboard.py" "$URL" testeur 'un-mot-de-passe-de-test' \
	"$REPO/examples/experiences-exemple.csv" "$AXE" moderatrice agente
rc=$?
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
PID=""
exit $rc
