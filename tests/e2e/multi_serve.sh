#!/usr/bin/env bash
# Two voix serve processes on one PostgreSQL database, as behind a load
# balancer: nothing that makes them right is kept in either process.
#  - a login form fetched on A and sent to B signs in; the session works on
#    A; signing out on B ends it on A;
#  - the public form fetched on A is accepted by B (the form's key is the
#    database's);
#  - 200 POST /api/v1/experiences at once, split across both servers, 40
#    Idempotency-Keys sent to both at the same time: every acknowledged id
#    is in the database, one row per key and per text, both answers of a
#    repeated key carry the same id;
#  - five wrong passwords, alternately on A and B, lock the account on both;
#  - an upload on A makes B's cached note stale (the data version is read
#    from the database).
# The same on one SQLite file (two servers of one machine) with a fourth
# argument "sqlite".
# usage: bash multi_serve.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR [sqlite] (VX_PG_ENV set by the fixture)
set -u
VOIX=$(realpath "$1") REPO=$(realpath "$3") KIND=${4:-postgresql}
TMP=$(mktemp -d /tmp/voix-e2e-multi-serve.XXXXXX)
PIDS=""
# shellcheck disable=SC2086
trap '[ -n "$PIDS" ] && kill $PIDS 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
. "$REPO/tests/e2e/lib/import-common.sh"
command -v python3 >/dev/null || fail "python3 is needed"
if [ "$KIND" = sqlite ]; then
	command -v sqlite3 >/dev/null || fail "sqlite3 is needed (scripts/install-deps.sh)"
	DB=$TMP/voix.db
	db_sql() { sqlite3 "$DB" "$1"; }
else
	. "$REPO/tests/e2e/lib/pg-common.sh"
	DB=$(pg_newdb vx_e2e_multi_serve) || fail "cannot create a PostgreSQL database"
	db_sql() { pg_sql "$DB" "$1"; }
fi
PASSWORD=un-mot-de-passe-de-test

"$VOIX" structures import "$REPO/examples/structures-exemple.csv" --db "$DB" >/dev/null 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "structures import on PostgreSQL"; }
for u in "partenaire --role lecteur" "ana --role analyste" "cible --role lecteur"; do
	# shellcheck disable=SC2086
	echo "$PASSWORD" | "$VOIX" user add $u --db "$DB" 2>"$TMP/err" || { cat "$TMP/err"; fail "user add $u"; }
done
TOKEN=$("$VOIX" token add partenaire --db "$DB") || fail "token add"
ANALYST=$("$VOIX" token add ana --db "$DB") || fail "token add"
# The example in two halves: the first imported now, the second uploaded
# to server A later.
python3 - "$REPO/examples/experiences-exemple.csv" "$TMP/first.csv" "$TMP/second.csv" <<'PY' || fail "cannot split the example"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline=''), delimiter=';'))
head, body = rows[0], rows[1:]
for path, part in ((sys.argv[2], body[:len(body) // 2]), (sys.argv[3], body[len(body) // 2:])):
    with open(path, 'w', encoding='utf-8-sig', newline='') as f:
        w = csv.writer(f, delimiter=';', lineterminator='\r\n')
        w.writerow(head)
        w.writerows(part)
PY
"$VOIX" import "$TMP/first.csv" --db "$DB" --quiet >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; fail "import"; }

# start NAME: voix serve on a free port; sets URL_NAME.
start() {
	"$VOIX" serve --db "$DB" --listen 127.0.0.1:0 --threads 4 2>"$TMP/$1.log" &
	PIDS="$PIDS $!"
	local url=""
	for _ in $(seq 1 100); do
		url=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/$1.log" | head -1)
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { cat "$TMP/$1.log"; fail "server $1 did not start"; }
	eval "URL_$1=$url"
}
start A
start B
[ "$URL_A" != "$URL_B" ] || fail "both servers on one port"
echo "servers: A $URL_A, B $URL_B, one $KIND database"

timeout 300 python3 - "$URL_A" "$URL_B" "$TOKEN" "$ANALYST" "$PASSWORD" "$TMP" <<'PY' || fail "two servers on one database"
import concurrent.futures, json, re, sys, urllib.parse, urllib.request
A, B, token, analyst, password, tmp = sys.argv[1:7]
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None
opener = urllib.request.build_opener(NoRedirect)
def call(base, method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        r = opener.open(req, timeout=60)
    except urllib.error.HTTPError as e:
        r = e
    return r.status, r.headers, r.read().decode("utf-8")
def cookie_of(h):
    return h["Set-Cookie"].split(";")[0]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
def login_form(base):
    st, h, page = call(base, "GET", "/connexion")
    assert st == 200, st
    return cookie_of(h), re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
def login(base, cookie, csrf, name, pw):
    form = urllib.parse.urlencode({"csrf": csrf, "nom": name, "motdepasse": pw}).encode()
    return call(base, "POST", "/connexion", form, dict(FORM, Cookie=cookie))

# Sessions: the login form of A sent to B, the session used on A, ended on B.
cookie, csrf = login_form(A)
st, h, _ = login(B, cookie, csrf, "ana", password)
assert st == 303, ("login on B with A's form", st)
session = cookie_of(h)
st, _, page = call(A, "GET", "/sources", None, {"Cookie": session})
assert st == 200, ("B's session on A", st)
csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
st, _, _ = call(B, "POST", "/deconnexion", urllib.parse.urlencode({"csrf": csrf}).encode(), dict(FORM, Cookie=session))
assert st == 303, ("logout on B", st)
st, h, _ = call(A, "GET", "/sources", None, {"Cookie": session})
assert st == 303 and h["Location"] == "/connexion", ("a session ended on B still works on A", st)
print("ok   login form of A signed in on B, the session worked on A, signing out on B ended it on A")

# The public form of A accepted by B.
st, h, page = call(A, "GET", "/avis")
nonce = cookie_of(h)
jeton = re.search(r'name="jeton" value="([^"]+)"', page).group(1)
fields = {"jeton": jeton, "action": "envoyer", "structure": "EXMPL00001", "date": "2024-03-01", "canaux": "Accueil",
          "ressenti": "positif", "titre": "Accueil rapide", "description": "Reçu sans attendre, merci à l'équipe.",
          "poste_comme": "La personne concernée", "consentement": "oui"}
st, h, _ = call(B, "POST", "/avis", urllib.parse.urlencode(fields).encode(), dict(FORM, Cookie=nonce))
assert st == 303 and h["Location"].startswith("/avis/merci"), ("A's form on B", st)
print("ok   the public form of A accepted by B")

# 200 submissions at once: 120 with their own key, 40 keys each sent to
# both servers (the two requests next to each other, so that they race).
jobs = []
for i in range(120):
    jobs.append((A if i % 2 == 0 else B, "seul-%d" % i, i))
for k in range(40):
    jobs.append((A, "double-%d" % k, 1000 + k))
    jobs.append((B, "double-%d" % k, 1000 + k))
def submit(job):
    base, key, n = job
    body = {"structure": "EXMPL00001", "date": "2024-02-01", "canaux": ["Téléphone"], "ressenti": "négatif",
            "titre": "Attente %d" % n, "description": "Texte numéro %d : dossier en attente depuis des semaines." % n,
            "poste_comme": "La personne concernée", "consentement": True}
    st, _, out = call(base, "POST", "/api/v1/experiences", json.dumps(body).encode(),
                      {"Authorization": "Bearer " + token, "Content-Type": "application/json", "Idempotency-Key": key})
    if st != 201:
        return key, n, st, out, False
    got = json.loads(out)
    return key, n, st, got["id"], got["rejoue"]
with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
    results = list(pool.map(submit, jobs))
bad = [r for r in results if r[2] != 201]
assert not bad, ("refused submissions", bad[:5])
by_key = {}
for key, n, st, i, _ in results:
    by_key.setdefault(key, set()).add(i)
split = [k for k, ids in by_key.items() if len(ids) != 1]
assert not split, ("one key, two experiences", split[:5])
acked = sorted({r[3] for r in results})
replayed = sum(1 for r in results if r[4])
assert replayed == 40, ("replayed answers", replayed)
with open(tmp + "/acked.txt", "w") as f:
    f.write("\n".join(str(i) for i in acked) + "\n")
print("sent %d, acknowledged (201) %d, distinct ids %d, keys %d, answers replayed for a repeated key %d"
      % (len(jobs), len(results), len(acked), len(by_key), replayed))

# A login throttle counted over both servers: five wrong passwords,
# alternately on A and B, then the right one is refused on both.
cookie, csrf = login_form(A)
codes = [login(A if t % 2 == 0 else B, cookie, csrf, "cible", "pas-le-bon")[0] for t in range(5)]
assert codes == [401] * 5, ("wrong passwords", codes)
refused = [login(base, cookie, csrf, "cible", password)[0] for base in (A, B)]
assert refused == [429, 429], ("the right password after five failures on two servers", refused)
print("ok   five wrong passwords over A and B: the account is refused on both (429, 429)")

# The cache of notes: B's note is rebuilt once A has taken an upload.
def note_read(base):
    st, _, out = call(base, "GET", "/api/v1/note?topics=3", None, {"Authorization": "Bearer " + token})
    assert st == 200, (st, out[:200])
    return json.loads(out)["counts"]["read"]
before = note_read(B), note_read(A)
with open(tmp + "/second.csv", "rb") as f:
    data = f.read()
st, _, out = call(A, "POST", "/api/v1/imports?name=second.csv", data,
                  {"Authorization": "Bearer " + analyst, "Content-Type": "text/csv"})
assert st == 201, ("upload on A", st, out[:200])
after = note_read(B)
assert before[0] == before[1] and after > before[0], ("B's note after A's upload", before, after)
print("ok   B's note read %d experiences, %d once A took an upload" % (before[0], after))
PY

# In the database: every acknowledged id, one row per key and per text.
db_sql "SELECT id FROM submissions ORDER BY id" >"$TMP/db-ids.txt" || fail "reading the database"
missing=$(comm -23 <(sort "$TMP/acked.txt") <(sort "$TMP/db-ids.txt") | wc -l)
rows=$(db_sql "SELECT count(*) FROM submissions WHERE origin = 'api'")
keys=$(db_sql "SELECT count(*), count(DISTINCT submission_id) FROM idempotency_keys")
dup_texts=$(db_sql "SELECT count(*) FROM (SELECT description FROM submissions GROUP BY description HAVING count(*) > 1) d")
throttle=$(db_sql "SELECT attempts FROM login_throttles WHERE name = 'cible'")
# On PostgreSQL, an id skipped is a submission rolled back because the
# other server stored its key first (the second try found it).
skipped=$(db_sql "SELECT max(id) - count(*) FROM submissions")
echo "database: rows from the API $rows, acknowledged ids missing $missing, keys and their experiences $keys," \
	"texts stored twice $dup_texts, login attempts counted for the locked account $throttle, ids skipped $skipped"
[ "$missing" = 0 ] || fail "$missing acknowledged ids are not in the database"
[ "$rows" = 160 ] || fail "$rows rows from the API (want 160: 120 keys + 40 keys sent twice)"
[ "$keys" = "160|160" ] || fail "idempotency keys and experiences: $keys (want 160|160)"
[ "$dup_texts" = 0 ] || fail "$dup_texts texts stored twice"
[ "$throttle" = 7 ] || fail "login attempts counted: $throttle (want 7: 5 wrong, 2 refused)"
for s in A B; do
	grep -q Sanitizer "$TMP/$s.log" && { cat "$TMP/$s.log"; fail "server $s: sanitizer report"; }
done
echo "PASS"
