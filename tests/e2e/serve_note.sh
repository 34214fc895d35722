#!/usr/bin/env bash
# The server's note is the library's: for the same store and filters,
# GET /api/v1/note gives byte for byte what voix note --db writes (Markdown,
# HTML, and JSON without its run part), whether the note is the first one
# (the store loaded by that request), one built from the store already
# loaded, or one served from the cache. And the total of a search
# (GET /api/v1/experiences?q=) is the exact number of matches, checked
# against a slow count (every hit listed by voix search), whatever the page.
# usage: bash serve_note.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$(realpath "$1") REPO=$(realpath "$3")
command -v python3 >/dev/null || { echo "skip: python3 is needed"; exit 77; }
command -v curl >/dev/null || { echo "skip: curl is needed"; exit 77; }
TMP=$(mktemp -d /tmp/voix-e2e-serve-note.XXXXXX)
SERVE=""
trap '[ -n "$SERVE" ] && kill "$SERVE" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
. "$REPO/tests/e2e/lib/without-run.sh"
. "$REPO/tests/e2e/lib/serve-common.sh"
DB=$TMP/voix.db
"$VOIX" import "$REPO/examples/experiences-exemple.csv" --db "$DB" --quiet >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; fail "import"; }
echo 'un-mot-de-passe-de-test' | "$VOIX" user add analyste --role analyste --db "$DB" 2>/dev/null || fail "user add"
TOKEN=$("$VOIX" token add analyste --db "$DB") || fail "token add"
serve_start "$DB" || fail "voix serve did not start"
passed=0

# Each line: the query string of the API, then the same filters for voix
# note (a tab between them; options split on spaces, "_" for a space in
# a value). The first note loads the store; the others use it loaded.
CASES=$(printf '%s\t%s\n' \
	"topics=3&since=2024-03-01&service=France%20Travail" "--topics 3 --since 2024-03-01 --service France_Travail" \
	"topics=2&since=2024-01-01" "--topics 2 --since 2024-01-01" \
	"topics=4&feeling=n%C3%A9gatif&until=2024-10-31" "--topics 4 --feeling négatif --until 2024-10-31" \
	"topics=2&channel=D%C3%A9marche%20en%20ligne&service=CAF" "--topics 2 --channel Démarche_en_ligne --service CAF")
while IFS=$'\t' read -r query opts; do
	args=()
	for o in $opts; do args+=("${o//_/ }"); done
	for fmt in md html json; do
		"$VOIX" note --db "$DB" "${args[@]}" --format "$fmt" -o "$TMP/cli.$fmt" 2>"$TMP/err" ||
			{ cat "$TMP/err"; fail "voix note --db $opts --format $fmt"; }
		# Twice: built (or loaded and built) by the first request, from
		# the cache by the second.
		for pass in built cached; do
			code=$(curl -s -o "$TMP/api.$fmt" -D "$TMP/headers" -w '%{http_code}' \
				-H "Authorization: Bearer $TOKEN" "$URL/api/v1/note?$query&format=$fmt")
			[ "$code" = 200 ] || { cat "$TMP/api.$fmt"; fail "note $query $fmt: HTTP $code"; }
			if [ "$fmt" = json ]; then
				without_run "$TMP/cli.json" >"$TMP/cli.cmp" && without_run "$TMP/api.json" >"$TMP/api.cmp" ||
					fail "note $query: no run part"
			else
				cp "$TMP/cli.$fmt" "$TMP/cli.cmp" && cp "$TMP/api.$fmt" "$TMP/api.cmp"
			fi
			cmp -s "$TMP/cli.cmp" "$TMP/api.cmp" ||
				{ diff "$TMP/cli.cmp" "$TMP/api.cmp" | head -20; fail "note $query ($fmt, $pass): differs from voix note --db"; }
		done
	done
	echo "ok: note $query: the server's md, html and json (without run) are those of voix note --db"
	passed=$((passed + 1))
done <<<"$CASES"

# The total of a search, at several pages, against every hit listed.
for q in rendez-vous dossier "attente téléphone" '"prendre rendez-vous"' téléphone; do
	slow=$("$VOIX" search "$q" --db "$DB" --limit 100000 2>/dev/null | wc -l)
	[ "$slow" -gt 0 ] || fail "search '$q': no hit in the example (pick another word)"
	for page in "limit=1" "limit=5&offset=2" "limit=200" "limit=1&offset=$slow" "limit=3&offset=$((slow + 10))"; do
		total=$(curl -s -G -H "Authorization: Bearer $TOKEN" --data-urlencode "q=$q" "$URL/api/v1/experiences?$page" |
			python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])') || fail "search '$q' $page: no total"
		[ "$total" = "$slow" ] || fail "search '$q' ($page): total $total, but $slow experiences match"
	done
	echo "ok: search '$q': total $slow at every page"
	passed=$((passed + 1))
done
echo "$passed checks passed"
