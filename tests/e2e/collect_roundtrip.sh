#!/usr/bin/env bash
# The collection end to end, over HTTP: experiences submitted through the
# API (markup, separators, quotes, line breaks, an e-mail in the texts),
# moderated (published or rejected) and answered through the pages, then
# voix export --format sp-plus-2025, read back by voix import into another
# database: the same experiences (id, date, title and text as published,
# feeling, the five dimensions, channels, structure, reply), and voix note
# reads them. Also: the public page escapes the texts; the export is in the
# audit log. With a fourth argument "postgresql", the same on a PostgreSQL
# database (VX_PG_ENV set by the fixture), read back into SQLite.
# usage: bash collect_roundtrip.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR [postgresql]
set -u
VOIX=$(realpath "$1") REPO=$(realpath "$3") KIND=${4:-sqlite}
command -v python3 >/dev/null || { echo "skip: python3 is needed"; exit 77; }
TMP=$(mktemp -d /tmp/voix-e2e-collect.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/voix.db
fail() { echo "FAIL: $*"; exit 1; }
if [ "$KIND" = postgresql ]; then
	. "$REPO/tests/e2e/lib/pg-common.sh"
	DB=$(pg_newdb vx_e2e_collect) || fail "cannot create a PostgreSQL database"
fi
"$VOIX" structures import "$REPO/examples/structures-exemple.csv" --db "$DB" >/dev/null || fail "structures import"
for u in "partenaire --role lecteur" "moderatrice --role moderateur" "agente --role agent --structure EXMPL00001"; do
	# shellcheck disable=SC2086
	echo 'un-mot-de-passe-de-test' | "$VOIX" user add $u --db "$DB" 2>/dev/null || fail "user add $u"
done
TOKEN=$("$VOIX" token add partenaire --db "$DB") || fail "token add"
. "$(dirname "$0")/lib/serve-common.sh"
serve_start "$DB" || fail "voix serve did not start"
PID=$SERVE
python3 - "$URL" "$TOKEN" <<'PY' || fail "submission, moderation or replies over HTTP"
import json, re, sys, urllib.parse, urllib.request
base, token = sys.argv[1:3]
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None
opener = urllib.request.build_opener(NoRedirect)
def call(method, path, body=None, headers=None):
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        r = opener.open(req)
    except urllib.error.HTTPError as e:
        r = e
    return r.status, r.headers, r.read().decode("utf-8")
texts = [
    ("Accueil; rapide", "Reçu en dix minutes; l'agent m'a \"tout\" expliqué.\nMerci.", "positif", ["Accueil"]),
    ("<script>alert(1)</script>", "Écrivez-moi à jean.durandal@exemple.fr, dossier bloqué depuis trois mois.", "négatif",
     ["Téléphone", "E-mail"]),
    ("Rendez-vous", "Impossible d'obtenir un rendez-vous en ligne, le site plante.", "négatif", ["Démarche en ligne"]),
    ("Courrier", "Courrier reçu, démarche réglée sans déplacement, très bien.", "positif", ["Courrier"]),
    ("Attente", "Attente de deux heures au guichet ; accueil correct ensuite.", "neutre", ["Accueil"]),
    ("Hors sujet", "Ce texte sera rejeté par la modération, il est hors sujet.", "neutre", ["Autre"]),
]
# The form's search of structures: words folded (case, accents), all of them.
st, _, page = call("GET", "/avis?q=PREFECTURE+valbonne&action=chercher")
assert st == 200 and 'value="EXMPL00002"' in page and 'value="EXMPL00001"' not in page, ("structure search", st)
ids = []
for i, (title, text, feeling, channels) in enumerate(texts):
    body = {"structure": "EXMPL00001", "date": "2024-0%d-1%d" % (1 + i, i), "canaux": channels, "ressenti": feeling,
            "titre": title, "description": text, "poste_comme": "La personne concernée", "consentement": True,
            "relation": "positif" if feeling == "positif" else None, "pseudonyme": "Camille %d" % i}
    st, _, out = call("POST", "/api/v1/experiences", json.dumps(body).encode(),
                      {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    assert st == 201, (st, out)
    ids.append(json.loads(out)["id"])
def login(name):
    st, h, page = call("GET", "/connexion")
    cookie = h["Set-Cookie"].split(";")[0]
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "nom": name, "motdepasse": "un-mot-de-passe-de-test"}).encode()
    st, h, _ = call("POST", "/connexion", form, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    assert st == 303, st
    cookie = h["Set-Cookie"].split(";")[0]
    st, _, page = call("GET", h["Location"], None, {"Cookie": cookie})
    return cookie, re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
def post(cookie, path, fields):
    return call("POST", path, urllib.parse.urlencode(fields).encode(),
                {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
cookie, csrf = login("moderatrice")
for i in ids[:5]:
    st, _, page = post(cookie, "/moderation", {"csrf": csrf, "id": i, "decision": "publier"})
    assert st == 200 and "publiée" in page, (st, page[:300])
st, _, _ = post(cookie, "/moderation", {"csrf": csrf, "id": ids[5], "decision": "rejeter", "motif": "Hors sujet"})
assert st == 200
cookie, csrf = login("agente")
for i, reply in ((ids[0], "Merci ; à bientôt.\nL'équipe"), (ids[1], "Votre dossier est débloqué.")):
    st, _, _ = post(cookie, "/reponses", {"csrf": csrf, "id": i, "reponse": reply})
    assert st == 303, st
# The reply assistance: the waiting at the front desk (ids[4]) is close to
# the earlier answered one about the front desk (ids[0]).
st, _, page = call("GET", "/reponses?n=%d" % ids[4], None, {"Cookie": cookie})
assert st == 200 and ("n° %d – similarité" % ids[0]) in page, ("reply assistance", st, page[-1500:])
st, _, page = call("GET", "/structure?code=EXMPL00001")
assert st == 200
assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page, "public page not escaped"
assert "durandal" not in page and "[EMAIL]" in page, "public page not masked"
assert "Hors sujet" not in page, "a rejected experience is public"
assert "Votre dossier est débloqué." in page, "reply missing on the public page"
print("ok   6 submitted, 5 published, 1 rejected, 2 replies, an earlier reply proposed; public page escaped and masked")
PY
kill "$PID"; wait "$PID" 2>/dev/null; PID=""
"$VOIX" export --format sp-plus-2025 --db "$DB" -o "$TMP/export.csv" 2>"$TMP/export.err" || fail "export: $(cat "$TMP/export.err")"
grep -q "5 expériences publiées" "$TMP/export.err" || fail "export count: $(cat "$TMP/export.err")"
head -c 3 "$TMP/export.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "no byte order mark"
head -1 "$TMP/export.csv" | grep -q '^.ID expérience;Écrit le;Date de publication;Pseudonyme usager;Titre;Description;' ||
	fail "header: $(head -1 "$TMP/export.csv")"
grep -q "durandal" "$TMP/export.csv" && fail "the export holds an unmasked e-mail"
"$VOIX" import "$TMP/export.csv" --db "$TMP/back.db" >"$TMP/import.out" 2>&1 || fail "import: $(cat "$TMP/import.out")"
python3 - "$DB" "$TMP/back.db" <<'PY' || fail "the export does not read back to the same experiences"
import json, sqlite3, subprocess, sys
back = sqlite3.connect(sys.argv[2])
class Pg:
    """The few reads of the source database through psql."""
    def __init__(self, uri):
        self.uri = uri
    def execute(self, sql):
        out = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\x1f", "-R", "\x1e", self.uri, "-c", sql],
                             capture_output=True, text=True, check=True).stdout.rstrip("\n")
        self.rows = [tuple(r.split("\x1f")) for r in out.split("\x1e") if r]
        return self
    def fetchall(self):
        return self.rows
    def fetchone(self):
        return self.rows[0]
src = Pg(sys.argv[1]) if sys.argv[1].startswith("postgresql:") else sqlite3.connect(sys.argv[1])
pub = src.execute("SELECT s.id, s.date, s.published_title, s.published_description, s.feeling, s.accessibilite,"
                  " s.information, s.relation, s.reactivite, s.simplicite, s.channels, t.name, s.reply"
                  " FROM submissions s JOIN structures t ON t.code = s.structure_code"
                  " WHERE s.status = 'publiée' ORDER BY s.id").fetchall()
got = back.execute("SELECT ext_id, date, title, text, feeling, accessibilite, information, relation, reactivite,"
                   " simplicite, channels, structure, reply FROM experiences ORDER BY CAST(ext_id AS INTEGER)").fetchall()
assert len(pub) == 5 and len(got) == 5, (len(pub), len(got))
for a, b in zip(pub, got):
    a = (str(a[0]),) + tuple(a[1:10]) + (json.loads(a[10]),) + tuple(a[11:])
    b = tuple(b[:10]) + (json.loads(b[10]),) + tuple(b[11:])
    assert a == b, "\n%r\n%r" % (a, b)
print("ok   5 published experiences read back identical (id, date, texts, feelings, dimensions, channels, structure, reply)")
n = int(src.execute("SELECT count(*) FROM audit_log WHERE action = 'export'").fetchone()[0])
assert n == 1, n
print("ok   the export is in the audit log")
PY
"$VOIX" import "$TMP/export.csv" --db "$TMP/back.db" 2>&1 | grep -q "inchangées 5\|5 inchangées\|unchanged 5" ||
	echo "note: second import output: $("$VOIX" import "$TMP/export.csv" --db "$TMP/back.db" 2>&1 | tail -1)"
"$VOIX" note --db "$TMP/back.db" --topics 2 >"$TMP/note.md" 2>"$TMP/note.err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 5 ] || fail "voix note on the re-imported export: exit $rc $(cat "$TMP/note.err")"
[ $rc -ne 0 ] || grep -q "5" "$TMP/note.md" || fail "the note does not count the 5 experiences"
echo "ok   voix note reads the re-imported export (exit $rc)"
echo "PASS ($KIND)"
