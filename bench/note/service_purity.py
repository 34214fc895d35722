#!/usr/bin/env python3
"""Do the topics of `voix note` describe the experience or the administration?

For a multi-service export, a topic that names an administration (a "CAF" topic,
a "consulate" topic) is one whose experiences come mostly from one service type.
This script runs

    voix note FILE --format json --topics 4                          (terms that name the administration removed)
    voix note FILE --format json --topics 4 --keep-institution-terms (kept, for comparison)

on the Services Publics+ sample (../shared/data/sp-plus-2023-sample/experiences.csv)
and on the bundled example, and for each shown topic reports, from the JSON
`services` facet (see docs/note-json.md):

  - purity: share of the topic's experiences (`count`) that come from its top
    service type (services[0].count / count);
  - the corpus share of that same service type, and lift = purity / corpus share
    (a topic drawn at random from the corpus has lift ~1);
  - top-5 share: the share covered by the (at most 5) service types listed;
  - types for 80 %: how many service types cover 80 % of the topic's
    experiences ("> 5" when the 5 listed do not reach it: the JSON lists at most 5);
  - the institution words (list below) found in the label or terms.
The same is reported for the strengths (the second model, on positive experiences), whose corpus share
is taken among the rows declared positive.

With --peer (default when /usr/bin/python3 has scikit-learn) it also runs
peer_sklearn.py on the same files: plain TF-IDF + NMF, 10 topics, each row
assigned to the topic of its largest weight (argmax of W), the 4 largest shown,
with the same measures (types for 80 % exact, from the full distribution).

Python standard library only. Prints Markdown. When the shared data is absent it
says so and measures the bundled example only.

usage: service_purity.py [--voix build-bench/voix] [--data ../shared/data] [--no-peer]
                         [--json-out DIR] [--example-only]
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
SP_SAMPLE = os.path.join('sp-plus-2023-sample', 'experiences.csv')
EXAMPLE = os.path.join(REPO, 'examples', 'experiences-exemple.csv')
SERVICE_COLUMN = 'Intitulé Typologie 1'
PEER_PY = '/usr/bin/python3'
SHOWN = 4
FACETS_LISTED = 5  # the JSON lists at most 5 service types per topic
COVER = 0.8

# Words that name an administration or the object of its procedure as users
# write them, folded (lower case, no accents). Written for this measurement,
# independently of voix's own lexicon (src/model/facets.c). Multi-word entries
# match consecutive words.
INSTITUTION_WORDS = [
    'caf', 'cpam', 'ameli', 'urssaf', 'carsat', 'cnav', 'msa', 'ants', 'antai', 'dgfip', 'impot', 'impots',
    'prefecture', 'prefectures', 'sous-prefecture', 'consulat', 'consulats', 'consulaire', 'consulaires',
    'ambassade', 'ambassades', 'mairie', 'mairies', 'retraite', 'retraites', 'passeport', 'passeports',
    'visa', 'visas', 'pole emploi', 'france travail', 'gendarmerie', 'commissariat', 'police',
    'securite sociale', 'assurance maladie', 'carte grise', 'amende', 'amendes', 'contravention',
    'contraventions', 'tribunal', 'meae', 'service-public', 'cni', 'carte d identite', 'identite', 'permis',
]


def fold(s):
    s = unicodedata.normalize('NFD', s.lower())
    return ''.join(c for c in s if not unicodedata.combining(c))


def words_of(s):
    out, cur = [], []
    for c in fold(s):
        if c.isalnum() or c == '-':
            cur.append(c)
        elif cur:
            out.append(''.join(cur))
            cur = []
    if cur:
        out.append(''.join(cur))
    return out


def institution_words(texts):
    """Institution words found in any of texts (label and terms), in list order."""
    found = []
    seqs = [words_of(t) for t in texts]
    for w in INSTITUTION_WORDS:
        parts = w.split()
        for seq in seqs:
            if any(seq[i:i + len(parts)] == parts for i in range(len(seq) - len(parts) + 1)):
                found.append(w)
                break
    return found


def repair_c1(s):
    """Maps C1 control characters through Windows-1252, as voix does when it reads (U+0092 -> ’)."""
    if not any('\x80' <= c <= '\x9f' for c in s):
        return s
    out = []
    for c in s:
        if '\x80' <= c <= '\x9f':
            try:
                c = bytes([ord(c)]).decode('cp1252')
            except UnicodeDecodeError:
                pass
        out.append(c)
    return ''.join(out)


def corpus_services(path):
    """Counts of the first service type over the rows with a title or a text: (rows, counts) for all
    rows and for the rows whose declared feeling is positive (the base of the strengths)."""
    csv.field_size_limit(10**9)
    every, positive = [0, {}], [0, {}]
    with open(path, encoding='utf-8-sig', errors='replace', newline='') as f:
        head = f.readline()
        f.seek(0)
        delim = ';' if head.count(';') > head.count(',') else ','
        for row in csv.DictReader(f, delimiter=delim):
            if not ((row.get('Titre') or '').strip() or (row.get('Description') or '').strip()):
                continue
            s = repair_c1((row.get(SERVICE_COLUMN) or '').strip())
            for base in (every, positive) if (row.get('Ressenti usager') or '').strip() == 'Positif' else (every,):
                base[0] += 1
                if s:
                    base[1][s] = base[1].get(s, 0) + 1
    return every, positive


def cover_count(facets, count, complete):
    """Service types needed to cover COVER of count; '> n' when the listed ones do not reach it."""
    acc = 0
    for i, f in enumerate(facets, 1):
        acc += f['count']
        if acc >= COVER * count:
            return str(i)
    return f'> {len(facets)}' if not complete else 'not reached'


def measure_topic(label, terms, count, facets, corpus_rows, corpus_counts, complete):
    top = facets[0] if facets else {'value': '', 'count': 0}
    purity = top['count'] / count if count else 0.0
    base = corpus_counts.get(top['value'], 0) / corpus_rows if corpus_rows else 0.0
    listed = facets[:FACETS_LISTED]
    return {
        'label': label, 'terms': terms, 'count': count, 'top_service': top['value'], 'purity': purity,
        'corpus_share': base, 'lift': purity / base if base else float('nan'),
        'top5_share': sum(f['count'] for f in listed) / count if count else 0.0,
        'cover80': cover_count(facets if complete else listed, count, complete),
        'institution': institution_words([label] + list(terms)),
    }


def run_voix(voix, path, keep):
    cmd = [voix, 'note', path, '--format', 'json', '--topics', str(SHOWN)]
    if keep:
        cmd.append('--keep-institution-terms')
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f'service_purity: {" ".join(cmd)} failed ({res.returncode}): {res.stderr.strip()}')
    return json.loads(res.stdout)


def run_peer(path):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'peer.json')
        res = subprocess.run([PEER_PY, os.path.join(HERE, '..', 'peers', 'peer_sklearn.py'), path, '--json', out,
                              '--shown', str(SHOWN)], capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f'service_purity: peer_sklearn.py failed ({res.returncode}): {res.stderr.strip()}')
        with open(out, encoding='utf-8') as f:
            return json.load(f)


def pct(x):
    return f'{100 * x:.0f} %'


def table(name, topics):
    print(f'\n#### {name}\n')
    print('| # | label | terms (first 5) | count | top service type | purity | corpus share | lift '
          '| top-5 share | types for 80 % | institution words |')
    print('| ---: | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |')
    for i, t in enumerate(topics, 1):
        lift = '' if t['lift'] != t['lift'] else f"{t['lift']:.1f}"
        print(f"| {i} | {t['label'] or '—'} | {', '.join(t['terms'][:5])} | {t['count']} | {t['top_service']} "
              f"| {pct(t['purity'])} | {pct(t['corpus_share'])} | {lift} | {pct(t['top5_share'])} "
              f"| {t['cover80']} | {', '.join(t['institution']) or '—'} |")
    n = len(topics)
    if n:
        mean = sum(t['purity'] for t in topics) / n
        inst = sum(1 for t in topics if t['institution'])
        print(f'\nmean purity {pct(mean)}, highest {pct(max(t["purity"] for t in topics))}; '
              f'{inst} of {n} topics with an institution word in label or terms.')


def measure_file(path, voix, peer, json_out, tag):
    (rows, counts), (pos_rows, pos_counts) = corpus_services(path)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    acc, n80 = 0, 0
    for _, c in ranked:
        if acc >= COVER * rows:
            break
        acc += c
        n80 += 1
    print(f'\n### {os.path.relpath(path, REPO)}\n')
    print(f'{rows} rows with text; {len(counts)} service types; the largest, {ranked[0][0]}, '
          f'holds {pct(ranked[0][1] / rows)} of the rows; {n80} types cover 80 % '
          f'({pct(1 - sum(counts.values()) / rows)} of rows have no service type).')
    if pos_rows:
        top_pos = max(pos_counts.items(), key=lambda kv: (kv[1], kv[0]))
        print(f'Of the {pos_rows} rows declared positive (the base of the strengths), {top_pos[0]} holds '
              f'{pct(top_pos[1] / pos_rows)}; the strengths\' corpus share and lift are computed on them.')
    results = {}
    for keep, name in ((False, 'voix note (administration terms removed: the default)'),
                       (True, 'voix note --keep-institution-terms')):
        note = run_voix(voix, path, keep)
        if json_out:
            with open(os.path.join(json_out, f'{tag}-{"kept" if keep else "default"}.json'), 'w',
                      encoding='utf-8') as f:
                json.dump(note, f, ensure_ascii=False, indent=1)
        topics = [measure_topic(t['label'], t['terms'], t['count'], t['services'], rows, counts, False)
                  for t in note['topics']]
        strengths = [measure_topic(t['label'], t['terms'], t['count'], t['services'], pos_rows, pos_counts, False)
                     for t in note['strengths']]
        results['kept' if keep else 'default'] = topics
        table(name + ': topics', topics)
        print(f"coverage {pct(note['method']['coverage'])} of {note['counts']['analysed']} analysed experiences.")
        table(name + ': strengths (model of the positive experiences)', strengths)
    if peer:
        p = run_peer(path)
        shown = [t for t in p['topics'] if t['shown']]
        topics = [measure_topic('', t['terms'], t['count'], t['services'], rows, counts, True) for t in shown]
        results['peer'] = topics
        table(f"scikit-learn peer (TF-IDF + NMF, 10 topics, argmax membership, {SHOWN} largest shown)", topics)
        print(f"\nAll {len(p['topics'])} peer topics (size: top terms):\n")
        for t in p['topics']:
            words = institution_words(t['terms'])
            print(f"- {t['count']}: {', '.join(t['terms'])}" + (f"  [{', '.join(words)}]" if words else ''))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--voix', default=None, help='voix binary (default build-bench/voix, else build/voix)')
    ap.add_argument('--data', default=os.path.join(REPO, '..', 'shared', 'data'))
    ap.add_argument('--no-peer', action='store_true', help='do not run the scikit-learn peer')
    ap.add_argument('--json-out', help='also keep the notes as JSON in this directory (never commit them)')
    ap.add_argument('--example-only', action='store_true', help='measure only the bundled example')
    args = ap.parse_args()
    voix = args.voix
    if voix is None:
        for cand in ('build-bench/voix', 'build/voix'):
            if os.access(os.path.join(REPO, cand), os.X_OK):
                voix = os.path.join(REPO, cand)
                break
        else:
            sys.exit('service_purity: no voix binary in build-bench/ or build/: give --voix')
    peer = not args.no_peer
    if peer and subprocess.run([PEER_PY, '-c', 'import sklearn'], capture_output=True).returncode != 0:
        print(f'service_purity: {PEER_PY} has no scikit-learn (Debian python3-sklearn): peer skipped',
              file=sys.stderr)
        peer = False
    if args.json_out:
        os.makedirs(args.json_out, exist_ok=True)
    sp = os.path.join(args.data, SP_SAMPLE)
    if not args.example_only:
        if os.path.exists(sp):
            measure_file(sp, voix, peer, args.json_out, 'sp-plus')
        else:
            print(f'service_purity: Services Publics+ sample skipped: {sp} is absent (the shared data sits '
                  'beside the repository); measuring the bundled example only', file=sys.stderr)
    measure_file(EXAMPLE, voix, peer, args.json_out, 'example')


if __name__ == '__main__':
    main()
