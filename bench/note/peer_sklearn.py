#!/usr/bin/python3
"""The peer of `voix note`: the same topic job done the usual way with scikit-learn.

Reads a Services Publics+-shaped CSV with the csv module (';' or ',' separated,
UTF-8 with or without BOM), takes title + description of every row with text,
builds TF-IDF with TfidfVectorizer (a French stop-word list written here,
sublinear tf, the same min_df/max_df schedule as voix), fits
NMF(n_components=10, init='nndsvda', solver='cd', max_iter=200, random_state=0)
on all rows, and prints the top terms of each topic. Each row is assigned to the
topic of its largest weight (argmax of W), which gives topic sizes and the
service types of each topic. The 4 largest topics are "shown", as in voix.

What it does NOT do, and voix does: near-duplicate folding, administration-term
removal, stems and compounds, phrase labels, verbatims, feelings, trends, axes,
personal-data masking, rendering. What it does that voix does not: fit on every
row (voix fits on a spread sample of 6,000 and projects the rest).

Run with the Debian interpreter (/usr/bin/python3), which has python3-sklearn.
Prints a summary; --json writes the measurements and topics for other scripts
(service_purity.py). The time is measured from before the CSV is read to after
the top terms are extracted (imports excluded); the process wall time, imports
included, is what run.sh measures around it.

usage: peer_sklearn.py FILE.csv [--json OUT] [--shown 4] [--topics 10]
"""
import argparse
import csv
import json
import resource
import sys
import time

T_IMPORT = time.perf_counter()
try:
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write(f'peer_sklearn: scikit-learn is not available for {sys.executable} ({e}); '
                     'install the Debian package python3-sklearn\n')
    sys.exit(77)
IMPORT_SECONDS = time.perf_counter() - T_IMPORT

csv.field_size_limit(10**9)

# A standard French stop-word list (articles, pronouns, prepositions,
# conjunctions, auxiliaries and their common forms), as an analyst would paste
# it. No domain words: that is the "usual way", not voix's feedback stop list.
FRENCH_STOP_WORDS = sorted(set('''
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me même mes moi mon
ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous
c d j l à m n s t y été étée étées étés étant étante étants étantes suis es est sommes êtes sont serai seras sera
serons serez seront serais serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes
furent sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue
eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais
avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez
eussent ceci cela celà cet cette ici ils les leurs quel quels quelle quelles sans soi tout tous toute toutes très
plus moins aussi alors donc car si comme quand lors puis ainsi encore déjà bien fait faire être avoir dont où
sous chez entre vers après avant depuis pendant ni non oui cas ça sur peu peut tant tel telle tels telles
'''.split()))

MIN_DF_STEPS = ((2000, 2), (20000, 3))  # voix's schedule: 2 below 2,000 rows, 3 below 20,000, 5 above
MIN_DF_LARGE = 5
MAX_DF = 0.5
TOP_TERMS = 8


def sniff_delimiter(path):
    with open(path, encoding='utf-8-sig', errors='replace', newline='') as f:
        head = f.readline()
    return ';' if head.count(';') > head.count(',') else ','


def read_rows(path):
    """Returns (texts, services) for the rows with a title or a description."""
    texts, services = [], []
    with open(path, encoding='utf-8-sig', errors='replace', newline='') as f:
        for row in csv.DictReader(f, delimiter=sniff_delimiter(path)):
            text = ((row.get('Titre') or '') + ' ' + (row.get('Description') or '')).strip()
            if not text:
                continue
            texts.append(text)
            services.append((row.get('Intitulé Typologie 1') or '').strip())
    return texts, services


def min_df_for(n):
    for limit, df in MIN_DF_STEPS:
        if n < limit:
            return df
    return MIN_DF_LARGE


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def run(path, n_topics, shown):
    t0 = time.perf_counter()
    c0 = time.process_time()
    texts, services = read_rows(path)
    t_read = time.perf_counter()
    vec = TfidfVectorizer(stop_words=FRENCH_STOP_WORDS, min_df=min_df_for(len(texts)), max_df=MAX_DF,
                          sublinear_tf=True, dtype=np.float32)
    X = vec.fit_transform(texts)
    t_tfidf = time.perf_counter()
    model = NMF(n_components=n_topics, init='nndsvda', solver='cd', max_iter=200, random_state=0)
    W = model.fit_transform(X)
    H = model.components_
    t_nmf = time.perf_counter()
    vocab = vec.get_feature_names_out()
    top = [[str(vocab[i]) for i in np.argsort(-H[j])[:TOP_TERMS]] for j in range(n_topics)]
    best = np.argmax(W, axis=1)
    best[W.max(axis=1) <= 0] = -1
    t_end = time.perf_counter()
    cpu = time.process_time() - c0

    topics = []
    for j in range(n_topics):
        rows = np.flatnonzero(best == j)
        counts = {}
        for r in rows:
            s = services[r]
            if s:
                counts[s] = counts.get(s, 0) + 1
        facet = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        topics.append({'index': j, 'terms': top[j], 'count': int(rows.size),
                       'services': [{'value': v, 'count': c} for v, c in facet]})
    order = sorted(range(n_topics), key=lambda j: (-topics[j]['count'], j))
    for rank, j in enumerate(order, 1):
        topics[j]['rank'] = rank
        topics[j]['shown'] = rank <= shown
    return {
        'tool': 'scikit-learn', 'version': __import__('sklearn').__version__, 'file': path,
        'rows': len(texts), 'vocabulary': int(X.shape[1]), 'nnz': int(X.nnz),
        'nmf_iterations': int(model.n_iter_), 'unassigned': int((best < 0).sum()),
        'seconds': round(t_end - t0, 3), 'cpu_seconds': round(cpu, 3),
        'import_seconds': round(IMPORT_SECONDS, 3),
        'phases': {'read': round(t_read - t0, 3), 'tfidf': round(t_tfidf - t_read, 3),
                   'nmf': round(t_nmf - t_tfidf, 3), 'terms': round(t_end - t_nmf, 3)},
        'peak_rss_kb': peak_rss_kb(),
        'topics': [topics[j] for j in order],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('file')
    ap.add_argument('--json', help='write the measurements and topics here')
    ap.add_argument('--topics', type=int, default=10, help='NMF components (default 10)')
    ap.add_argument('--shown', type=int, default=4, help='largest topics shown (default 4)')
    args = ap.parse_args()
    res = run(args.file, args.topics, args.shown)
    print(f"peer_sklearn: {res['rows']} rows, vocabulary {res['vocabulary']}, {res['seconds']:.3f} s "
          f"(read {res['phases']['read']:.3f}, tfidf {res['phases']['tfidf']:.3f}, "
          f"nmf {res['phases']['nmf']:.3f} in {res['nmf_iterations']} iterations), cpu {res['cpu_seconds']:.3f} s, "
          f"imports {res['import_seconds']:.3f} s, peak RSS {res['peak_rss_kb'] / 1024:.1f} MB")
    for t in res['topics']:
        mark = '*' if t['shown'] else ' '
        print(f"{mark} {t['rank']:2d}. {t['count']:7d}  {', '.join(t['terms'])}")
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump(res, f, ensure_ascii=False, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
