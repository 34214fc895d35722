#!/usr/bin/env bash
# One option parser for every command (cli/options.c) and one place for
# the bounds of whole-number options (voix/util.h): each line below is a
# command line, its exit code and the French message it must print, the
# same words for every command. Then "--name=value" is "--name value".
# usage: bash options.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$(realpath "$1") REPO=$3
EXAMPLE=$REPO/examples/experiences-exemple.csv
TMP=$(mktemp -d /tmp/voix-e2e-options.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

# exit code | message on stderr | arguments (split on spaces)
while IFS='|' read -r code message args; do
	[ -z "$code" ] && continue
	# shellcheck disable=SC2086
	"$VOIX" $args </dev/null >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = "$code" ] && grep -qF -- "$message" "$TMP/err"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL voix $args: exit $rc (expected $code), stderr: $(head -2 "$TMP/err")"
	fi
done <<EOF_CASES
2|voix import : option inconnue « --frobnicate »|import --frobnicate x.csv
2|voix import : l'option --db attend une valeur|import x.csv --db
2|voix import : l'option --quiet ne prend pas de valeur|import --quiet=1 x.csv
2|voix import : --wait doit être entre 0 et 86400 (reçu « soon »)|import --wait soon x.csv
2|voix import : --wait doit être entre 0 et 86400 (reçu « 86401 »)|import --wait=86401 x.csv
2|voix note : option inconnue « --frobnicate »|note $EXAMPLE --frobnicate
2|voix note : l'option -o attend une valeur|note $EXAMPLE -o
2|voix note : l'option --topics attend une valeur|note $EXAMPLE --topics
2|voix note : --topics doit être entre 1 et 20 (reçu « 30 »)|note $EXAMPLE --topics=30
2|voix note : --terms doit être entre 1 et 50 (reçu « -1 »)|note $EXAMPLE --terms -1
2|voix note : l'option --timings ne prend pas de valeur|note $EXAMPLE --timings=1
2|voix stats : option inconnue « --frobnicate »|stats --frobnicate
2|voix stats : argument en trop « extra »|stats extra
2|voix search : --limit doit être un nombre entier d'au moins 1 (reçu « 0 »)|search mot --limit 0
2|voix search : --limit doit être un nombre entier d'au moins 1 (reçu « +3 »)|search mot --limit=+3
2|voix search : argument en trop « autre »|search mot autre
2|voix redact : l'option --map attend une valeur|redact $EXAMPLE --map
2|voix redact : un seul fichier à la fois (x.csv en trop)|redact $EXAMPLE x.csv
2|voix feelings : l'option --lexicon attend une valeur|feelings $EXAMPLE --lexicon
2|voix feelings : option inconnue « --frobnicate »|feelings $EXAMPLE --frobnicate
2|voix serve : --max-upload doit être entre 1 et 4096 (reçu « 5000 »)|serve --max-upload 5000
2|voix serve : option inconnue « --frobnicate »|serve --frobnicate
2|voix user : l'option --role attend une valeur|user add nom --role
2|voix user : argument en trop « autre »|user add nom autre --role lecteur
2|voix token : option inconnue « --frobnicate »|token add nom --frobnicate
EOF_CASES

# "--name=value" is "--name value", and
# what follows "--" is a file even when it starts with a dash.
"$VOIX" note "$EXAMPLE" --topics=3 --format=md >"$TMP/a.md" 2>/dev/null &&
	"$VOIX" note "$EXAMPLE" --topics 3 --format md >"$TMP/b.md" 2>/dev/null && cmp -s "$TMP/a.md" "$TMP/b.md" &&
	grep -q "Les 3 principaux sujets" "$TMP/a.md"
if [ $? -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL --name=value differs from --name value"; fi
cp "$EXAMPLE" "$TMP/-dash.csv"
(cd "$TMP" && "$VOIX" note --topics 2 -- -dash.csv >"$TMP/c.md" 2>/dev/null)
if [ $? -eq 0 ] && grep -q "Les 2 principaux sujets" "$TMP/c.md"; then passed=$((passed + 1)); else
	failed=$((failed + 1)); echo "FAIL a file after -- is not read"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
