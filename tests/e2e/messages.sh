#!/usr/bin/env bash
# The library's messages reach the user in French:
#  - every out-of-memory format written in src/ (vx_error_set(VX_ENOMEM, ...),
#    or any format saying "out of memory") has its French twin in the table
#    of src/util/error_nomem.c, so that the error layer never lets one through
#    in English;
#  - a database held by another process for longer than the wait: the
#    command says which database, which step it stopped (« importation des
#    structures ») and for how long, in French.
# usage: bash messages.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -u
VOIX=$(realpath "$1") REPO=$3
TMP=$(mktemp -d /tmp/voix-e2e-messages.XXXXXX)
HOLDER=""
trap '[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 >/dev/null || { echo "skip: python3 is needed"; exit 77; }

# ---- Every out-of-memory format has its French twin --------------------------
python3 - "$REPO" <<'PY' || fail "out-of-memory formats without a French twin"
import os, re, sys
repo = sys.argv[1]
literal = r'"(?:[^"\\\n]|\\.)*"'
call = re.compile(r'vx_error_set\s*\(\s*([^,]+?)\s*,\s*((?:' + literal + r'\s*)+)')
def text(lits):
    return ''.join(re.findall(r'"((?:[^"\\\n]|\\.)*)"', lits))
table = open(os.path.join(repo, 'src/util/error_nomem.c')).read()
twins = set(text(m.group(1)) for m in re.finditer(r'\{\s*(' + literal + r')\s*,', table))
missing, seen = [], 0
for root, _, files in os.walk(os.path.join(repo, 'src')):
    for f in files:
        if not f.endswith('.c') or f == 'error_nomem.c':
            continue
        path = os.path.join(root, f)
        src = open(path).read()
        for m in call.finditer(src):
            fmt = text(m.group(2))
            if m.group(1) != 'VX_ENOMEM' and 'out of memory' not in fmt:
                continue
            seen += 1
            if fmt not in twins and not fmt.startswith('mémoire insuffisante'):
                line = src.count('\n', 0, m.start()) + 1
                missing.append(f'{os.path.relpath(path, repo)}:{line}: "{fmt}"')
for m in missing:
    print('no French twin in src/util/error_nomem.c:', m)
print(f'{seen} out-of-memory messages in src/, {len(missing)} without a French twin')
sys.exit(1 if missing or seen < 50 else 0)
PY

# ---- A busy database: which one, which step, how long, in French -------------
DB=$TMP/voix.db
"$VOIX" structures import "$REPO/examples/structures-exemple.csv" --db "$DB" >/dev/null 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "structures import on a free database"; }
python3 - "$DB" "$TMP/held" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(30)
db.execute("ROLLBACK")
PY
HOLDER=$!
for _ in $(seq 100); do [ -e "$TMP/held" ] && break; sleep 0.1; done
[ -e "$TMP/held" ] || fail "the lock holder did not start"
"$VOIX" structures import "$REPO/examples/structures-exemple.csv" --db "$DB" >/dev/null 2>"$TMP/err"
rc=$?
want="voix structures : $DB : importation des structures : un autre processus (une autre importation voix ?)"
want="$want écrit dans la base depuis plus de 10 s"
[ "$rc" = 4 ] || { cat "$TMP/err"; fail "structures import on a held database: exit $rc, expected 4"; }
grep -qxF -- "$want" "$TMP/err" || { cat "$TMP/err"; fail "the busy message is not « $want »"; }
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
HOLDER=""
echo "ok: out of memory has a French twin everywhere; a busy database is told in French"
