#!/usr/bin/env bash
# docs/architecture.md matches the code: for each stage of the table "Which
# stage uses which", the stages it names are exactly those whose headers its
# files include (internal headers "stage/x.h", and public headers
# "voix/x.h", with the public headers they include, counted for the stage
# that defines their functions). And cli/ includes only public headers
# (include/voix/) and its own cli.h: the front end sees the library as any
# program would.
# usage: bash architecture.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -euo pipefail
REPO=$3
DOC=$REPO/docs/architecture.md
# The stage that defines each public header's functions.
owner() {
	case $1 in
	corpus | reader) echo reading ;;
	text) echo text ;;
	privacy) echo privacy ;;
	store | accounts | collect) echo storage ;;
	compare) echo synthesis ;;
	serve) echo serving ;;
	note) echo synthesis ;;
	feeling) echo model ;;
	render) echo rendering ;;
	analysis) echo analysis ;;
	error | util) echo util ;;
	*) echo "unknown-public-header-$1" ;;
	esac
}
# public FILE...: the public headers FILE... include, and those they include.
public() {
	local found next
	found=$(grep -ho '#include "voix/[a-z_]*\.h"' "$@" | sed 's/.*voix\///; s/\.h"//' | sort -u)
	while :; do
		next=$( (echo "$found"; for h in $found; do
			grep -ho '#include "voix/[a-z_]*\.h"' "$REPO/include/voix/$h.h" | sed 's/.*voix\///; s/\.h"//'
		done) | sort -u)
		[ "$next" = "$found" ] && break
		found=$next
	done
	echo "$found"
}
# uses DIR STAGE: the other stages DIR's files include, sorted, comma-separated.
uses() {
	{
		grep -ho '#include "[a-z]*/' "$1"/*.[ch] | sed 's/#include "//; s|/||' | grep -v '^voix$' || true
		for h in $(public "$1"/*.[ch]); do
			owner "$h"
		done
	} | { grep -vx "$2" || true; } | sort -u | paste -sd, -
}
passed=0 failed=0
rows=$(sed -n '/^## Which stage uses which/,/^## /p' "$DOC" | grep '^| `' || true)
[ -n "$rows" ] || { echo "FAIL: no table \"Which stage uses which\" in docs/architecture.md"; exit 1; }
seen=""
while IFS='|' read -r _ stage documented _; do
	stage=$(echo "$stage" | tr -d '` ')
	documented=$(echo "$documented" | tr -d '` ' | tr ',' '\n' | sort -u | paste -sd, -)
	dir=$REPO/src/$stage
	[ "$stage" = cli ] && dir=$REPO/cli
	[ -d "$dir" ] || { echo "FAIL: no folder for stage $stage"; failed=$((failed + 1)); continue; }
	actual=$(uses "$dir" "$stage")
	seen="$seen $stage"
	if [ "$documented" = "$actual" ]; then
		passed=$((passed + 1))
		echo "ok   $stage uses $actual"
	else
		failed=$((failed + 1))
		echo "FAIL $stage: docs/architecture.md says \"$documented\", its includes say \"$actual\""
	fi
done <<<"$rows"
private=$(grep -Hn '#include "' "$REPO"/cli/*.[ch] | grep -v '#include "voix/[a-z_]*\.h"' | grep -v '#include "cli\.h"' || true)
if [ -z "$private" ]; then
	passed=$((passed + 1))
	echo "ok   cli includes only public headers and cli.h"
else
	failed=$((failed + 1))
	echo "FAIL cli includes internal headers:"
	echo "$private"
fi
for d in "$REPO"/src/*/; do
	s=$(basename "$d")
	case " $seen " in *" $s "*) ;; *) failed=$((failed + 1)); echo "FAIL stage $s is not in the table" ;; esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
