#!/usr/bin/env bash
# A small run of the comparison benchmark (bench/compare/run.sh) on the bundled
# example, so that the benchmark cannot rot: one round, two resamples, the
# peers only when their Python libraries are already installed (nothing is
# installed here). Checks that every command was timed, that the quality
# figures were computed from the outputs (faithfulness of voix's quotes 100 %),
# that the report and the plot were written, and the self-test of the quality
# code. Works without the shared data.
# usage: bash bench_smoke.sh VOIX_BINARY SHARED_DATA_DIR REPO_DIR
set -euo pipefail
VOIX=$1 REPO=$3
EXAMPLE=$REPO/examples/experiences-exemple.csv
[ -x /usr/bin/python3 ] || { echo "skip: /usr/bin/python3 is needed by the benchmark"; exit 77; }
[ -x /usr/bin/time ] || { echo "skip: GNU time (/usr/bin/time) is needed by the benchmark"; exit 77; }
TMP=$(mktemp -d /tmp/voix-e2e-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

if /usr/bin/python3 "$REPO/bench/compare/test_quality.py" >"$TMP/selftest" 2>&1; then
	ok "quality.py self-test ($(tail -1 "$TMP/selftest"))"
else
	cat "$TMP/selftest"
	ko "quality.py self-test"
fi

rc=0
INPUT=$EXAMPLE RUNS=1 RESAMPLES=2 INSTALL_PEERS=0 OUT="$TMP/out" RESULTS="$TMP/RESULTS.md" \
	bash "$REPO/bench/compare/run.sh" "$VOIX" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
if [ "$rc" -eq 0 ]; then ok "bench/compare/run.sh on the example"; else
	tail -20 "$TMP/stderr"
	ko "bench/compare/run.sh exit $rc"
fi

peers=""
for p in sklearn gensim; do
	if /usr/bin/python3 -c "import $p" 2>/dev/null; then peers="$peers $p"; fi
done
echo "peers available here:${peers:- none}"

/usr/bin/python3 - "$TMP" "$peers" <<'PY' && ok "runs, quality figures, report and plot" || ko "benchmark outputs"
import csv, json, os, sys, xml.dom.minidom
tmp, peers = sys.argv[1], sys.argv[2].split()
runs = list(csv.DictReader(open(os.path.join(tmp, 'out', 'runs.tsv'), encoding='utf-8'), delimiter='\t'))
tools = {r['tool'] for r in runs}
want = {'import', 'note-md', 'note-html', 'note-json'} | {'scikit-learn' if p == 'sklearn' else p for p in peers}
assert tools == want, (tools, want)
for r in runs:
    assert float(r['wall_s']) > 0 and int(r['max_rss_kb']) > 0, r
    assert r['rows'] == '240', r
q = json.load(open(os.path.join(tmp, 'out', 'quality-240.json'), encoding='utf-8'))
text = json.dumps(q)
assert 'voix' in text
report = open(os.path.join(tmp, 'RESULTS.md'), encoding='utf-8').read()
for heading in ('## Time and memory', '## Quality of the topics, 240 rows', '## Targets'):
    assert heading in report, heading
assert 'Faithfulness' in report or 'faithfulness' in report
xml.dom.minidom.parse(os.path.join(tmp, 'RESULTS-scaling.svg'))
print('report:', len(report.splitlines()), 'lines')
PY

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
