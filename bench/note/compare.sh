#!/bin/sh
# Before/after of `voix note` on one input: two builds run in alternation,
# under GNU time (wall seconds, peak resident memory) and perf stat (page
# faults, when perf is installed), with the stage times of --timings; then
# the medians and the ratios after/before, pair by pair.
#
#   bench/note/compare.sh BEFORE AFTER INPUT [RUNS]
#
# BEFORE and AFTER are voix binaries (e.g. a Release build of the commit
# before a change, and of the change). RUNS (default 5) pairs; a pair runs
# the two in an order that alternates from pair to pair. The 1-minute load
# average is recorded beside each run. Outputs go to bench/out/note-compare/.
# The notes of both are compared too (the JSON without its "run" block):
# a change that only makes voix faster leaves them identical.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 BEFORE AFTER INPUT [RUNS]" >&2; exit 2; }
before=$1 after=$2 input=$3 runs=${4:-5}
out=${OUT:-bench/out/note-compare}
mkdir -p "$out"
tsv=$out/runs.tsv
printf 'pair\twhich\twall_s\tpeak_kb\tfaults\tload1\tstages\n' > "$tsv"
have_perf=0
command -v perf > /dev/null 2>&1 && perf stat -e page-faults true > /dev/null 2>&1 && have_perf=1
one() { # which binary pair
	json=$out/$1.$3.json
	load=$(cut -d' ' -f1 /proc/loadavg)
	if [ $have_perf = 1 ]; then
		perf stat -e page-faults -x, -o "$out/$1.$3.perf" /usr/bin/time -f '%e %M' -o "$out/$1.$3.time" \
			"$2" note "$input" --timings -o "$json" > /dev/null
		faults=$(grep page-faults "$out/$1.$3.perf" | cut -d, -f1)
	else
		/usr/bin/time -f '%e %M' -o "$out/$1.$3.time" "$2" note "$input" --timings -o "$json" > /dev/null
		faults=
	fi
	read -r wall kb < "$out/$1.$3.time"
	stages=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["run"]["stages"]; print(",".join("%s=%s" % kv for kv in r.items()))' "$json")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$3" "$1" "$wall" "$kb" "$faults" "$load" "$stages" >> "$tsv"
}
"$before" note "$input" -o "$out/warm.json" > /dev/null # page cache warm
for p in $(seq "$runs"); do
	if [ $((p % 2)) = 1 ]; then one before "$before" "$p"; one after "$after" "$p"
	else one after "$after" "$p"; one before "$before" "$p"; fi
done
python3 - "$tsv" "$out" <<'PY'
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
def med(which, key):
    v = [float(r[key]) for r in rows if r['which'] == which and r[key]]
    return statistics.median(v) if v else None
def ratio(key):
    pairs = {}
    for r in rows:
        if r[key]:
            pairs.setdefault(r['pair'], {})[r['which']] = float(r[key])
    v = [p['after'] / p['before'] for p in pairs.values() if len(p) == 2 and p['before']]
    return (statistics.median(v), min(v), max(v)) if v else None
print('| measure | before | after | after/before (median of pairs, range) |')
print('| --- | ---: | ---: | ---: |')
for key, name, f in (('wall_s', 'wall s', '%.2f'), ('peak_kb', 'peak RSS KiB', '%.0f'), ('faults', 'page faults', '%.0f')):
    b, a, r = med('before', key), med('after', key), ratio(key)
    if b is not None:
        print('| %s | %s | %s | %.2f (%.2f–%.2f) |' % (name, f % b, f % a, *r))
stages = {}
for r in rows:
    for kv in r['stages'].split(','):
        k, v = kv.split('=')
        stages.setdefault(k, {}).setdefault(r['which'], []).append(float(v))
for k, v in stages.items():
    print('| stage %s s | %.3f | %.3f | |' % (k, statistics.median(v['before']), statistics.median(v['after'])))
loads = [float(r['load1']) for r in rows]
print('\n%d pairs; 1-minute load average %.2f–%.2f' % (len(rows) // 2, min(loads), max(loads)))
def note(which):
    d = json.load(open('%s/%s.1.json' % (sys.argv[2], which)))
    d.pop('run', None)
    return d
print('notes (JSON without "run"): %s' % ('identical' if note('before') == note('after') else 'DIFFERENT'))
PY
