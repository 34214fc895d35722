#!/usr/bin/python3
"""The gensim peer of `voix note`: the same topic job done with gensim's LDA, the usual way.

Reads the CSV as peer_sklearn.py does (frenchstop.read_rows: csv module, ';' or ','
separated, UTF-8 with or without BOM; a document is Titre + ' ' + Description,
rows without text skipped). Tokens: re.findall(r"\\w\\w+", text.lower()) (the
token pattern of scikit-learn's vectorizers) minus the French stop-word list of
frenchstop.py. Vocabulary: gensim Dictionary, then
filter_extremes(no_below=<voix's min_df schedule>, no_above=0.5, keep_n=None).
Model: LdaModel(corpus, id2word, num_topics=10, passes=5, random_state=0,
chunksize=2000, eval_every=None) on every document, on one core (LdaModel, not
LdaMulticore: the common usage). Top terms: the 25 most probable words of each
topic (show_topic). Each document with at least one in-vocabulary token is
assigned to its dominant topic: argmax of get_document_topics(bow,
minimum_probability=0); the others have no topic. The 4 largest topics are
marked "shown", as in voix.

Run with the Debian interpreter (/usr/bin/python3), which has python3-gensim;
exits 77 when gensim is missing. --json writes the shape common to both peers
(see peer_sklearn.py). `seconds` runs from before the CSV is read to after the
top terms and the assignment (imports excluded).

usage: peer_gensim.py FILE.csv [--json OUT] [--shown 4] [--topics 10]
"""
import re
import sys
import time

import frenchstop

T_IMPORT = time.perf_counter()
try:
    import gensim
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.stderr.write(f'peer_gensim: gensim is not available for {sys.executable} ({e}); '
                     'install the Debian package python3-gensim\n')
    sys.exit(77)
IMPORT_SECONDS = time.perf_counter() - T_IMPORT

TOKEN_RE = re.compile(r'\w\w+')  # scikit-learn's default token pattern
PASSES = 5                       # the issue: "gensim LDA (5 passes)"
CHUNKSIZE = 2000                 # gensim's default
RANDOM_STATE = 0


def run(path, n_topics, shown):
    t0 = time.perf_counter()
    c0 = time.process_time()
    texts, services = frenchstop.read_rows(path)
    t_read = time.perf_counter()
    stop = frozenset(frenchstop.FRENCH_STOP_WORDS)
    docs = [[w for w in TOKEN_RE.findall(t.lower()) if w not in stop] for t in texts]
    min_df = frenchstop.min_df_for(len(texts))
    dictionary = Dictionary(docs)
    dictionary.filter_extremes(no_below=min_df, no_above=frenchstop.MAX_DF, keep_n=None)
    corpus = [dictionary.doc2bow(d) for d in docs]
    del docs
    t_bow = time.perf_counter()
    model = LdaModel(corpus, id2word=dictionary, num_topics=n_topics, passes=PASSES,
                     random_state=RANDOM_STATE, chunksize=CHUNKSIZE, eval_every=None)
    t_lda = time.perf_counter()
    top = [[w for w, _ in model.show_topic(j, topn=frenchstop.TOP_TERMS)] for j in range(n_topics)]
    best = []
    for bow in corpus:
        if not bow:
            best.append(-1)
            continue
        dist = model.get_document_topics(bow, minimum_probability=0)
        best.append(max(dist, key=lambda tp: (tp[1], -tp[0]))[0])
    t_end = time.perf_counter()
    cpu = time.process_time() - c0

    topics, assigned = frenchstop.topic_table(top, best, services, shown)
    return {
        'tool': 'gensim', 'version': gensim.__version__, 'file': path,
        'rows': len(texts), 'vocabulary': len(dictionary), 'nnz': sum(len(b) for b in corpus),
        'assigned': assigned, 'unassigned': len(texts) - assigned,
        'seconds': round(t_end - t0, 3), 'cpu_seconds': round(cpu, 3),
        'import_seconds': round(IMPORT_SECONDS, 3),
        'phases': {'read': round(t_read - t0, 3), 'bow': round(t_bow - t_read, 3),
                   'lda': round(t_lda - t_bow, 3), 'terms_assign': round(t_end - t_lda, 3)},
        'peak_rss_kb': frenchstop.peak_rss_kb(),
        'model': {'no_below': min_df, 'no_above': frenchstop.MAX_DF, 'num_topics': n_topics,
                  'passes': PASSES, 'chunksize': CHUNKSIZE, 'random_state': RANDOM_STATE},
        'topics': topics,
    }


if __name__ == '__main__':
    frenchstop.main('peer_gensim', __doc__, run,
                    lambda res: (f"bow {res['phases']['bow']:.3f}, lda {res['phases']['lda']:.3f}, "
                                    f"terms and assignment {res['phases']['terms_assign']:.3f}"))
