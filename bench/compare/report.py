#!/usr/bin/python3
"""Writes bench/RESULTS.md from the runs of bench/compare/run.sh.

Reads runs.tsv (one line per timed run: tool, rows, run, wall_s, user_s, sys_s,
max_rss_kb; wall_s is FAILED, TIMEOUT or SKIPPED when the run did not finish)
and the quality figures written by quality.py (--quality ROWS FILE.json), and
prints Markdown: the machine, the date and the commit; time and memory per
command and size (medians); voix/peer ratios taken per round; the growth of
`voix note` with the number of rows; the quality table; the issue's targets,
each marked met or missed from the numbers above. Nothing here is typed by
hand: every figure comes from the files given.

Standard library only.
"""
import argparse
import csv
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quality  # noqa: E402  (the same directory)

VOIX_NOTE = 'note-json'     # the voix command the peers are compared with (same job: topics to JSON)
PEERS = ('scikit-learn', 'gensim')
LABELS = {
    'import': '`voix import` (fresh database)',
    'note-md': '`voix note` → Markdown',
    'note-html': '`voix note` → HTML',
    'note-json': '`voix note` → JSON (`--terms 25`)',
    'scikit-learn': 'scikit-learn: TF-IDF (1–2-grams) + NMF, 10 topics',
    'gensim': 'gensim: LDA, 10 topics, 5 passes',
}
ORDER = ('import', 'note-md', 'note-html', 'note-json', 'scikit-learn', 'gensim')

# The targets.
SPEEDUP_100K = 25.0
MEMORY_FRACTION = 1.0 / 3.0
SECONDS_1M = 10.0
COVERAGE_MIN = 0.90
STABILITY_MIN = 0.80


def read_runs(path):
    """{(tool, rows): {run: row dict}} and {(tool, rows): [failure words]}."""
    runs, failures = {}, {}
    with open(path, encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f, delimiter='\t'):
            key = (row['tool'], int(row['rows']))
            try:
                rec = {k: float(row[k]) for k in ('wall_s', 'user_s', 'sys_s', 'max_rss_kb')}
            except ValueError:
                failures.setdefault(key, []).append(row['wall_s'])
                continue
            runs.setdefault(key, {})[int(row['run'])] = rec
    return runs, failures


def med(values):
    return statistics.median(values) if values else None


def fmt_s(v):
    if v is None:
        return '—'
    return f'{v:.3f}' if v < 1 else f'{v:.2f}' if v < 100 else f'{v:.0f}'


def fmt_mb(kb):
    return '—' if kb is None else f'{kb / 1024:.0f}'


def fmt_ratio(v):
    return '—' if v is None else f'{v:.1f}×' if v >= 10 else f'{v:.2f}×'


def shell(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ''


def machine():
    cpu = mhz = ''
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as f:
            for line in f:
                if line.startswith('model name') and not cpu:
                    cpu = line.split(':', 1)[1].strip()
                if line.startswith('cpu MHz') and not mhz:
                    mhz = line.split(':', 1)[1].strip()
    except OSError:
        pass
    mem = ''
    try:
        with open('/proc/meminfo', encoding='utf-8') as f:
            kb = int(f.readline().split()[1])
            mem = f'{kb / 1024 / 1024:.1f} GiB'
    except (OSError, ValueError, IndexError):
        pass
    debian = ''
    try:
        with open('/etc/debian_version', encoding='utf-8') as f:
            debian = 'Debian ' + f.read().strip()
    except OSError:
        pass
    return (f'{os.cpu_count()} logical CPUs, "{cpu}" at {mhz} MHz (as /proc/cpuinfo names it), {mem} of memory; '
            f'{debian}, Linux {platform.release()}; load average now {os.getloadavg()[0]:.2f}')


def peer_versions():
    code = ('import sys, numpy, scipy\n'
            'v = ["Python " + sys.version.split()[0], "numpy " + numpy.__version__, "scipy " + scipy.__version__]\n'
            'for m in ("sklearn", "gensim"):\n'
            '    try:\n'
            '        v.append(m + " " + __import__(m).__version__)\n'
            '    except ImportError:\n'
            '        v.append(m + " absent")\n'
            'print(", ".join(v))\n')
    return shell('/usr/bin/python3', '-c', code) or 'not available'


def commit(repo):
    head = shell('git', '-C', repo, 'rev-parse', '--short=10', 'HEAD') or 'unknown'
    dirty = shell('git', '-C', repo, 'status', '--porcelain', '--', 'src', 'include', 'cli', 'CMakeLists.txt')
    return head + (' with uncommitted changes to the sources' if dirty else ', sources clean')


def build_type(voix):
    cache = os.path.join(os.path.dirname(voix), 'CMakeCache.txt')
    try:
        with open(cache, encoding='utf-8') as f:
            for line in f:
                if line.startswith('CMAKE_BUILD_TYPE:'):
                    return line.split('=', 1)[1].strip() or 'none'
    except OSError:
        pass
    return 'unknown'


def time_table(runs, failures, sizes):
    out = ['| command | rows | runs | wall s, median (min–max) | user s | sys s | peak MB | rows/s |',
           '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |']
    for n in sizes:
        for tool in ORDER:
            recs = list(runs.get((tool, n), {}).values())
            fail = failures.get((tool, n))
            if not recs and not fail:
                continue
            if not recs:
                out.append(f'| {LABELS[tool]} | {n:,} | 0 | {", ".join(sorted(set(fail)))} | | | | |')
                continue
            w = [r['wall_s'] for r in recs]
            mw = med(w)
            rng = f' ({fmt_s(min(w))}–{fmt_s(max(w))})' if len(w) > 1 else ''
            note = f' + {len(fail)} {"/".join(sorted(set(fail)))}' if fail else ''
            out.append(f'| {LABELS[tool]} | {n:,} | {len(recs)}{note} | {fmt_s(mw)}{rng} | '
                       f'{fmt_s(med([r["user_s"] for r in recs]))} | {fmt_s(med([r["sys_s"] for r in recs]))} | '
                       f'{fmt_mb(med([r["max_rss_kb"] for r in recs]))} | {n / mw:,.0f} |')
    return out


def ratios(runs, peer, n):
    """(median of per-round time ratios peer/voix, min, max, rounds, memory ratio peer/voix)."""
    v = runs.get((VOIX_NOTE, n), {})
    p = runs.get((peer, n), {})
    rounds = sorted(set(v) & set(p))
    if not rounds:
        return None
    r = [p[i]['wall_s'] / v[i]['wall_s'] for i in rounds if v[i]['wall_s'] > 0]
    m = med([p[i]['max_rss_kb'] for i in rounds]) / med([v[i]['max_rss_kb'] for i in rounds])
    return med(r), min(r), max(r), len(rounds), m


def ratio_table(runs, failures, sizes):
    out = ['| rows | peer | rounds | peer time / voix time (median of rounds, min–max) | '
           'peer peak memory / voix peak memory |',
           '| ---: | --- | ---: | ---: | ---: |']
    for n in sizes:
        for peer in PEERS:
            r = ratios(runs, peer, n)
            if r is None:
                fail = failures.get((peer, n))
                if fail:
                    out.append(f'| {n:,} | {peer} | 0 | {"/".join(sorted(set(fail)))}: no ratio | |')
                continue
            out.append(f'| {n:,} | {peer} | {r[3]} | {fmt_ratio(r[0])} ({fmt_ratio(r[1])}–{fmt_ratio(r[2])}) | '
                       f'{fmt_ratio(r[4])} |')
    return out


def growth(runs):
    """[(from_rows, to_rows, time ratio, exponent)] for voix note between the sizes measured."""
    sizes = sorted(n for (t, n) in runs if t == VOIX_NOTE)
    out = []
    for a, b in zip(sizes, sizes[1:]):
        ta = med([r['wall_s'] for r in runs[(VOIX_NOTE, a)].values()])
        tb = med([r['wall_s'] for r in runs[(VOIX_NOTE, b)].values()])
        out.append((a, b, tb / ta, math.log(tb / ta) / math.log(b / a)))
    return out


def quality_section(q):
    """The quality table of quality.py for one corpus, and where its definitions are."""
    lines = quality.markdown(q['systems'], os.path.basename(q['corpus']), q['documents']).splitlines()
    return lines + ['', 'Definitions: the docstring of `bench/compare/quality.py` (one code for every system).']


def primary(systems, kind):
    """The rows of one kind, without the peers' secondary "4 largest" rows."""
    return [r for r in systems if r['kind'] == kind and not r['system'].endswith(', 4 largest')]


def verdict(ok):
    return 'met' if ok else '**missed**'


def targets(runs, quality):
    """The issue's targets, each read from the measurements; missing data says so."""
    out = ['| target | measured | |', '| --- | --- | --- |']

    def row(what, measured, ok):
        out.append(f'| {what} | {measured} | {"not measured" if ok is None else verdict(ok)} |')

    r = ratios(runs, 'scikit-learn', 100000)
    row('`voix note`, 100,000 rows: at least 25× faster than scikit-learn',
        f'{fmt_ratio(r[0])} (median of {r[3]} rounds)' if r else 'no pair of runs', r[0] >= SPEEDUP_100K if r else None)
    row('`voix note`, 100,000 rows: at most a third of scikit-learn\'s peak memory',
        f'voix uses 1/{r[4]:.1f} of it' if r else 'no pair of runs', r[4] >= 1 / MEMORY_FRACTION if r else None)
    m1 = [med([x['wall_s'] for x in runs[(t, 1000000)].values()])
          for t in ('note-md', 'note-html', 'note-json') if (t, 1000000) in runs]
    row('`voix note`, 1,000,000 rows: 10 s or less (slowest of the three formats)',
        f'{max(m1):.2f} s' if m1 else 'not run', max(m1) <= SECONDS_1M if m1 else None)
    g = growth(runs)
    row('cost growing no faster than linearly (exponent of time against rows ≤ 1)',
        ', '.join(f'{a:,}→{b:,}: {e:.2f}' for a, b, _, e in g) if g else 'one size only',
        all(e <= 1.0 for *_, e in g) if g else None)
    for n in sorted(quality):
        systems = quality[n]['systems']
        voix = primary(systems, 'voix')
        peers = primary(systems, 'peer')
        if not voix:
            continue
        v = voix[0]
        for key, what in (('npmi', 'NPMI'), ('diversity', 'diversity')):
            best = max(peers, key=lambda p: p[key] if p[key] is not None else -2, default=None)
            if best is None or best[key] is None or v[key] is None:
                row(f'{n:,} rows: {what} at least as high as the better peer', 'no peer measured', None)
            else:
                row(f'{n:,} rows: {what} at least as high as the better peer',
                    f'voix {v[key]:.3f}, {best["system"]} {best[key]:.3f}', v[key] >= best[key])
        row(f'{n:,} rows: coverage 90 % or more', f'{100 * v["coverage"]:.1f} %' if v['coverage'] is not None
            else 'n/a', v['coverage'] >= COVERAGE_MIN if v['coverage'] is not None else None)
        row(f'{n:,} rows: stability 0.8 or more',
            f'{v["stability"]:.2f} ({v["stability_runs"]} resamples)' if v['stability'] is not None else 'no resample',
            v['stability'] >= STABILITY_MIN if v['stability'] is not None else None)
        f = v['faithfulness']
        row(f'{n:,} rows: faithfulness 100 %', f'{f["matched"]}/{f["total"]} quotes' if f and f['total'] else 'no quote',
            f['matched'] == f['total'] if f and f['total'] else None)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--runs', required=True)
    ap.add_argument('--quality', nargs=2, action='append', default=[], metavar=('ROWS', 'JSON'))
    ap.add_argument('--voix', required=True)
    ap.add_argument('--repo', required=True)
    ap.add_argument('--plot', help='file name of the scaling plot, beside the report')
    ap.add_argument('--input', help='the one file measured instead of make-corpus output')
    ap.add_argument('--runs-per-size', type=int, default=3)
    ap.add_argument('--peer-timeout', type=int, default=900)
    args = ap.parse_args()

    runs, failures = read_runs(args.runs)
    sizes = sorted({n for (_, n) in list(runs) + list(failures)})
    quality = {int(n): json.load(open(p, encoding='utf-8')) for n, p in args.quality}

    lines = ['# voix against the alternatives: speed, memory and quality', '',
             f'Written by `bench/compare/run.sh` on {time.strftime("%Y-%m-%d at %H:%M UTC", time.gmtime())}. '
             'Every figure below comes from that run; rerun it with `make bench`.', '',
             f'- **Machine**: {machine()}.',
             f'- **voix**: commit {commit(args.repo)}; build type {build_type(args.voix)}.',
             f'- **Peers**: `/usr/bin/python3` — {peer_versions()}.',
             (f'- **Input**: `{os.path.basename(args.input)}`, {sizes[0]:,} documents.' if args.input else
              f'- **Inputs**: `../shared/tools/make-corpus N` (default seed), '
              + ', '.join(f'{n:,} rows' for n in sizes) + '.'),
             f'- **Protocol**: one untimed warm-up round, then {args.runs_per_size} timed rounds per size; in each '
             'round every command runs once, one after the other, in an order rotated by one place from round to '
             'round. Peers at 1,000,000 rows get one round and no warm-up. A peer run is given up after '
             f'{args.peer_timeout} s. Times and peak resident memory are from GNU time around the whole process '
             '(Python imports included for the peers). MB = 1024 KiB.', '']

    lines += ['## Time and memory', ''] + time_table(runs, failures, sizes) + ['']
    lines += ['## voix against each peer, round by round', '',
              f'Each ratio divides the peer\'s wall time by that of `voix note` (JSON) in the same round; the '
              'median over rounds is given. Memory: median peak of each, divided.', '']
    lines += ratio_table(runs, failures, sizes) + ['']
    g = growth(runs)
    if g:
        lines += ['## Growth of `voix note` with the number of rows', '',
                  '| from | to | time ratio | exponent (1 = linear) |', '| ---: | ---: | ---: | ---: |']
        lines += [f'| {a:,} | {b:,} | {r:.2f} | {e:.2f} |' for a, b, r, e in g] + ['']
        if args.plot:
            lines += [f'![Time against rows, log-log]({args.plot})', '']
    for n in sorted(quality):
        lines += [f'## Quality of the topics, {n:,} rows', ''] + quality_section(quality[n]) + ['']
    lines += ['## Targets', ''] + targets(runs, quality) + ['']
    print('\n'.join(lines))


if __name__ == '__main__':
    sys.exit(main())
