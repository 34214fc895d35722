#!/usr/bin/python3
"""The scikit-learn peer of `voix note`: the same topic job done the usual way.

Reads a Services Publics+-shaped CSV with the csv module (';' or ',' separated,
UTF-8 with or without BOM), takes Titre + ' ' + Description of every row with text
(frenchstop.read_rows, shared with peer_gensim.py), builds TF-IDF with
TfidfVectorizer (uni- and bigrams, ngram_range=(1, 2); the French stop-word list
of frenchstop.py; sublinear tf; the same min_df/max_df schedule as voix), fits
NMF(n_components=10, init='nndsvda', solver='cd', max_iter=200, random_state=0)
on all rows, and takes the 25 top terms of each topic. Each row is assigned to
the topic of its largest weight (argmax of W; a row whose weights are all 0 has
none), which gives topic sizes and the service types of each topic. The 4
largest topics are marked "shown", as in voix.

What it does NOT do, and voix does: near-duplicate folding, administration-term
removal, stems and compounds, phrase labels, verbatims, feelings, trends, axes,
personal-data masking, rendering. What it does that voix does not: fit on every
row (voix fits on a spread sample and projects the rest).

Run with the Debian interpreter (/usr/bin/python3), which has python3-sklearn;
exits 77 when scikit-learn is missing. Prints a summary; --json writes the
measurements and topics in the shape common to both peers:
  {"tool", "version", "file", "rows" (documents analysed), "seconds", "peak_rss_kb",
   "topics": [{"terms": [25 top terms, best first], "count", "rank", "shown", "index", "services"}, ...]
   (sorted by count desc), "assigned" (documents assigned to some topic), ...}
`seconds` is measured from before the CSV is read to after the top terms and
the assignment (imports excluded); the process wall time, imports included, is
what the benchmark scripts measure around it.

Memberships (for the agreement benchmark, bench/quality/agreement.py): --members OUT.csv makes a
document a member of every topic whose weight is at least MEMBER_SHARE (--member-share, default 0.5)
of its largest weight, and > 0, and writes one row per membership of a shown topic, in the shape of
`voix note --assignments`: experience_id;kind;topic;label;weight, kind "sujet", topic the topic's rank,
label its 2 top terms joined by ", ", weight W[i, j]. --text COLUMN takes the document from that column
instead of Titre + Description; --id COLUMN names the ids (default "<file name>:<line>", as voix). The
JSON then gives each topic's "members" too.

usage: peer_sklearn.py FILE.csv [--json OUT] [--shown 4] [--topics 10]
                       [--text COLUMN] [--id COLUMN] [--members OUT.csv] [--member-share 0.5]
"""
import csv
import sys
import time

import frenchstop

T_IMPORT = time.perf_counter()
try:
    import numpy as np
    import sklearn
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write(f'peer_sklearn: scikit-learn is not available for {sys.executable} ({e}); '
                     'install the Debian package python3-sklearn\n')
    sys.exit(77)
IMPORT_SECONDS = time.perf_counter() - T_IMPORT

NGRAM_RANGE = (1, 2)  # the issue: "TF-IDF with uni- and bigrams"
MEMBER_SHARE = 0.5    # a membership: at least this share of the document's largest weight (REFERENCE-METHOD.md)
LABEL_TERMS = 2       # a topic's label in the memberships file: its top terms


def write_members(out, W, topics, ids, member_share):
    """Writes the memberships of the shown topics (see the module docstring); returns {index: members}."""
    top = W.max(axis=1, keepdims=True)
    member = (W >= member_share * top) & (W > 0)
    counts = {j: int(member[:, j].sum()) for j in range(W.shape[1])}
    with open(out, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, delimiter=';', lineterminator='\n')
        w.writerow(['experience_id', 'kind', 'topic', 'label', 'weight'])
        for t in topics:
            if not t['shown']:
                continue
            j = t['index']
            label = ', '.join(t['terms'][:LABEL_TERMS])
            for i in np.flatnonzero(member[:, j]):
                w.writerow([ids[i], 'sujet', t['rank'], label, f'{W[i, j]:.4f}'])
    return counts


def run(path, n_topics, shown, text=None, id=None, members=None, member_share=MEMBER_SHARE):
    t0 = time.perf_counter()
    c0 = time.process_time()
    texts, services, ids = frenchstop.read_documents(path, text, id)
    t_read = time.perf_counter()
    vec = TfidfVectorizer(stop_words=frenchstop.FRENCH_STOP_WORDS, ngram_range=NGRAM_RANGE,
                          min_df=frenchstop.min_df_for(len(texts)), max_df=frenchstop.MAX_DF,
                          sublinear_tf=True, dtype=np.float32)
    X = vec.fit_transform(texts)
    t_tfidf = time.perf_counter()
    model = NMF(n_components=n_topics, init='nndsvda', solver='cd', max_iter=200, random_state=0)
    W = model.fit_transform(X)
    H = model.components_
    t_nmf = time.perf_counter()
    vocab = vec.get_feature_names_out()
    top = [[str(vocab[i]) for i in np.argsort(-H[j], kind='stable')[:frenchstop.TOP_TERMS]]
           for j in range(n_topics)]
    best = np.argmax(W, axis=1)
    best[W.max(axis=1) <= 0] = -1
    t_end = time.perf_counter()
    cpu = time.process_time() - c0

    topics, assigned = frenchstop.topic_table(top, best.tolist(), services, shown)
    if members:
        counts = write_members(members, W, topics, ids, member_share)
        for t in topics:
            t['members'] = counts[t['index']]
    return {
        'tool': 'scikit-learn', 'version': sklearn.__version__, 'file': path,
        'rows': len(texts), 'vocabulary': int(X.shape[1]), 'nnz': int(X.nnz),
        'nmf_iterations': int(model.n_iter_), 'assigned': assigned, 'unassigned': len(texts) - assigned,
        'seconds': round(t_end - t0, 3), 'cpu_seconds': round(cpu, 3),
        'import_seconds': round(IMPORT_SECONDS, 3),
        'phases': {'read': round(t_read - t0, 3), 'tfidf': round(t_tfidf - t_read, 3),
                   'nmf': round(t_nmf - t_tfidf, 3), 'terms': round(t_end - t_nmf, 3)},
        'peak_rss_kb': frenchstop.peak_rss_kb(),
        'model': {'ngram_range': list(NGRAM_RANGE), 'min_df': frenchstop.min_df_for(len(texts)),
                  'max_df': frenchstop.MAX_DF, 'sublinear_tf': True, 'n_components': n_topics,
                  'init': 'nndsvda', 'solver': 'cd', 'max_iter': 200, 'random_state': 0},
        'topics': topics,
    }


if __name__ == '__main__':
    frenchstop.main('peer_sklearn', __doc__, run,
                    lambda res: (f"tfidf {res['phases']['tfidf']:.3f}, nmf {res['phases']['nmf']:.3f} "
                                    f"in {res['nmf_iterations']} iterations"),
                    options=(('--text', {'metavar': 'COLUMN', 'help': 'the document is this column (default Titre + Description)'}),
                             ('--id', {'metavar': 'COLUMN', 'help': 'ids of the memberships (default <file name>:<line>)'}),
                             ('--members', {'metavar': 'OUT.csv', 'help': 'write the memberships of the shown topics'}),
                             ('--member-share', {'type': float, 'default': MEMBER_SHARE,
                                                 'help': 'membership threshold, share of the largest weight (default 0.5)'})))
