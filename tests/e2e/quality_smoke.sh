#!/usr/bin/env bash
# A small run of the agreement benchmark (bench/quality/agreement.py) on the
# bundled example and its test reference (tests/data/quality/example), so that
# the benchmark cannot rot: the ids of voix and of refcount.py coincide, the
# report has its sections, the scores agree with the note's assignments, a
# reference whose ids cannot match stops the run, and the self-test of the
# scoring code passes. The scikit-learn peer is scored only when it is already
# installed. Works without the shared data.
# usage: bash quality_smoke.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -euo pipefail
VOIX=$1 REPO=$3
command -v python3 >/dev/null || { echo "skip: python3 is needed by the benchmark"; exit 77; }
TMP=$(mktemp -d /tmp/voix-e2e-quality.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

if python3 "$REPO/bench/quality/test_agreement.py" >"$TMP/selftest" 2>&1; then
	ok "agreement.py self-test ($(tail -1 "$TMP/selftest"))"
else
	cat "$TMP/selftest"
	ko "agreement.py self-test"
fi

PEER=()
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then PEER=(--peer); fi
echo "scikit-learn peer: ${PEER[*]:-not installed, not scored}"

rc=0
python3 "$REPO/bench/quality/agreement.py" "$VOIX" --refs "$REPO/tests/data/quality" --data "$REPO/examples" \
	--out "$TMP/out" --results "$TMP/RESULTS.md" --commit test "${PEER[@]}" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
if [ "$rc" -eq 0 ]; then ok "agreement.py on the example"; else
	tail -20 "$TMP/stderr"
	ko "agreement.py exit $rc"
fi

python3 - "$TMP" "$REPO" "${PEER[*]:-}" <<'PY' && ok "report, ids and scores" || ko "report, ids and scores"
import csv, json, os, sys
tmp, repo, peer = sys.argv[1], sys.argv[2], sys.argv[3]
report = open(os.path.join(tmp, 'RESULTS.md'), encoding='utf-8').read()
for heading in ('## Summary', '## Targets', '## example: `experiences-exemple.csv`',
                "### voix topics against the reference's complaint topics",
                "### voix strengths against the reference's praise topics", '### Labels of voix', '## Label checks'):
    assert heading in report, heading
assert 'commit test' in report
res = json.load(open(os.path.join(tmp, 'out', 'results.json'), encoding='utf-8'))
assert len(res) == 1, len(res)
r = res[0]
ids = r['ids']
assert ids['voix'] == ids['ref'] == ids['both'] == r['n'] == 240, ids
assert r['main'] == ['delais', 'injoignable', 'rdv', 'en_ligne'], r['main']
v = r['voix']
# the scores are recomputed here from the assignments and refcount.py, without agreement.py's code
sys.path.insert(0, os.path.join(repo, 'bench', 'quality'))
import refcount
ref = json.load(open(os.path.join(repo, 'tests', 'data', 'quality', 'example', 'reference.json'), encoding='utf-8'))
rows, topics, mem = refcount.members(ref, os.path.join(repo, 'examples'))
assign = list(csv.reader(open(os.path.join(tmp, 'out', 'example', 'assignments.csv'), encoding='utf-8'), delimiter=';'))[1:]
note = json.load(open(os.path.join(tmp, 'out', 'example', 'note.json'), encoding='utf-8'))
assert len(v['sujet']) == len(note['topics']) and len(v['point_fort']) == len(note['strengths'])
for m, t in zip(v['sujet'], note['topics']):
    assert m['label'] == t['label'] and m['count'] == t['count'], (m, t)
    assert m['ids'] >= t['count'], m          # copies restored: never fewer members than the note counts
for row in v['score']['rows']:
    assert abs(row['ref_share'] - 100.0 * len(mem[row['key']]) / 240) < 1e-9, row
    if row['model'] is not None:
        assert 0 < row['f1'] <= 1 and row['recovered'] == (row['f1'] >= 0.5), row
assert v['score']['recovered_main'] == sum(1 for row in v['score']['rows']
                                           if row['main'] and row['model'] is not None and row['recovered'])
for m in v['sujet'] + v['point_fort']:
    assert isinstance(m['flags'], list)
    assert (m['label'] in report), m['label']
if peer:
    p = r['peer']
    assert p and 'score' in p, p
    assert 1 <= len(p['model']) <= 4, p['model']
    assert '### scikit-learn peer' in report
    assert os.path.exists(os.path.join(tmp, 'out', 'example', 'peer-members.csv'))
# no text of the corpus is left in the working folder besides the note (the peer's input is deleted)
assert sorted(os.listdir(os.path.join(tmp, 'out', 'example'))) == sorted(
    ['assignments.csv', 'note.json'] + (['peer-members.csv', 'peer.json'] if peer else [])), \
    os.listdir(os.path.join(tmp, 'out', 'example'))
PY

# A reference with no id column over an export whose layout has one: voix takes the export's ids,
# refcount.py "<file name>:<line>"; the run must stop and say so.
mkdir -p "$TMP/badref/noid"
python3 - "$REPO/tests/data/quality/example/reference.json" "$TMP/badref/noid/reference.json" <<'PY'
import json, sys
ref = json.load(open(sys.argv[1], encoding='utf-8'))
ref['id'] = None
json.dump(ref, open(sys.argv[2], 'w', encoding='utf-8'), ensure_ascii=False)
PY
rc=0
python3 "$REPO/bench/quality/agreement.py" "$VOIX" --refs "$TMP/badref" --data "$REPO/examples" \
	--out "$TMP/out2" --results "$TMP/RESULTS2.md" >/dev/null 2>"$TMP/stderr2" || rc=$?
if [ "$rc" -ne 0 ] && grep -q "do not coincide" "$TMP/stderr2" && [ ! -e "$TMP/RESULTS2.md" ]; then
	ok "ids that do not coincide stop the run (exit $rc)"
else
	cat "$TMP/stderr2"
	ko "ids that do not coincide: exit $rc"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
