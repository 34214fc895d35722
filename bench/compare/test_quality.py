#!/usr/bin/env python3
"""Self-test of quality.py on a tiny invented corpus whose figures are known by hand.

Standard library only (it runs with any python3, without scikit-learn or gensim). Prints one line per
failed check and "N passed, N failed"; exits 1 when a check failed.

usage: python3 bench/compare/test_quality.py
"""
import contextlib
import io
import json
import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quality  # noqa: E402  (after the path is set)

# The invented corpus: (ID expérience, Titre, Description). Names are invented ("Mme Durandal").
# Documents (non-empty Titre + ' ' + Description): every row but E07, so N = 7.
ROWS = [
    ('E01', 'alpha beta', 'bon accueil au guichet, très bien'),
    ('E02', 'alpha', 'beta bon accueil très bien'),
    ('E03', 'gamma', 'Bon  Accueil ; très\nbien'),
    ('E04', 'delta', 'bon accueil! Très bien.'),
    ('E05', '', 'Merci à Mme Durandal pour son accueil, bon accueil.'),
    ('E06', 'Titre six', 'bonaccueil rien'),
    ('E07', '', ''),
    ('E08', 'epsilon', 'L\u0092accueil est fermé (Mme Durandal)'),
]
N = 7


class Checker:
    def __init__(self):
        self.passed = self.failed = 0

    def eq(self, what, got, want):
        ok = (math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
              if isinstance(want, float) and isinstance(got, (int, float)) else got == want)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f'FAIL {what}: got {got!r}, want {want!r}')


def write_csv(path):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write('\ufeffID expérience;Titre;Description;Ressenti usager\r\n')
        for eid, title, desc in ROWS:
            cells = [eid, title, desc, 'Positif']
            f.write(';'.join('"' + c.replace('"', '""') + '"' if any(ch in c for ch in ';"\n') else c
                             for c in cells) + '\r\n')


def utf8_len(s):
    return len(s.encode('utf-8'))


def test_corpus_and_terms(t, corpus):
    t.eq('documents: rows with text', corpus.n, N)
    t.eq('fields kept as written (C1 included)', corpus.fields['E08']['text'][1], '\u0092')
    t.eq('one-character tokens of a term are ignored', quality.term_tokens("L'accueil"), ['accueil'])
    t.eq('hyphenated term: both words', quality.term_tokens('Rendez-vous'), ['rendez', 'vous'])
    t.eq('a term with no token left is dropped', quality.clean_terms(['à', 'alpha', 'l']), ['alpha'])


def test_npmi(t, corpus):
    index = quality.Index(corpus, ['alpha', 'beta', 'gamma', 'delta', 'accueil', 'bon', 'zzz'])
    t.eq('df alpha', index.df('alpha'), 2)
    t.eq('df of a two-word term: all its tokens', index.df('accueil bon'), 5)
    t.eq('df accueil (after a C1 character, not in "bonaccueil")', index.df('accueil'), 6)
    mean, pairs, _ = quality.topic_npmi(index, ['alpha', 'beta'])
    t.eq('NPMI of a pair that always co-occurs', mean, 1.0)
    mean, _, _ = quality.topic_npmi(index, ['gamma', 'delta'])
    t.eq('NPMI of a pair that never co-occurs', mean, -1.0)
    mean, _, dfs = quality.topic_npmi(index, ['alpha', 'zzz'])
    t.eq('NPMI with a term of df 0', mean, -1.0)
    t.eq('df 0 reported', dfs['zzz'], 0)
    want = math.log(7 / 6) / math.log(7 / 2)    # p(a)=2/7, p(acc)=6/7, p(a,acc)=2/7
    mean, _, _ = quality.topic_npmi(index, ['alpha', 'accueil'])
    t.eq('NPMI alpha/accueil by hand', mean, want)
    mean, pairs, _ = quality.topic_npmi(index, ['alpha', 'beta', 'gamma'])
    t.eq('pairs of 3 terms', len(pairs), 3)
    t.eq('mean over pairs', mean, (1.0 - 1.0 - 1.0) / 3)
    mean, pairs, _ = quality.topic_npmi(index, ['alpha'] * 3 + ['t%d' % i for i in range(20)])
    t.eq('only the top 10 terms: 45 pairs', len(pairs), 45)
    t.eq('pair present in every document', quality.npmi(7, 7, 7, 7), 1.0)
    # Nested pairs: the tokens of one term are all in the other.
    t.eq('bigram and its word are nested', quality.nested('pôle emploi', 'emploi'), True)
    t.eq('overlapping bigrams are not nested', quality.nested('prise rendez', 'rendez vous'), False)
    t.eq('mean without nested pairs',
         quality.unnested_mean([('aa bb', 'aa', 1.0), ('aa', 'cc', 0.2), ('cc', 'dd', -0.4)]), -0.1)
    t.eq('nothing left', quality.unnested_mean([('aa bb', 'bb', 1.0)]), None)


def test_diversity_stability(t):
    t.eq('diversity: 5 distinct of 6', quality.diversity([['alpha', 'beta', 'Gamma'], ['gamma', 'delta', 'zzz']]),
         5 / 6)
    t.eq('diversity: only the top 25 per topic',
         quality.diversity([['w%d' % i for i in range(30)], ['w%d' % i for i in range(30)]]), 25 / 50)
    t.eq('jaccard', quality.jaccard({'aa', 'bb', 'cc'}, {'aa', 'bb'}), 2 / 3)
    full = [['aa', 'bb', 'cc'], ['dd', 'ee']]
    runs = [[['AA', 'bb'], ['dd', 'ee', 'ff']], [['xx'], ['aa', 'bb', 'cc']]]
    mean, low, per_run = quality.stability(full, runs)
    t.eq('stability per run', per_run, [[2 / 3, 2 / 3], [1.0, 0.0]])
    t.eq('stability mean over runs', mean, (2 / 3 + 0.5) / 2)
    t.eq('stability min over runs', low, 0.5)
    t.eq('no resample: n/a', quality.stability(full, [])[0], None)


def test_faithfulness(t, corpus):
    e05 = corpus.fields['E05']['text']
    e08 = corpus.fields['E08']['text']
    whole = utf8_len(e05)
    start = utf8_len('Merci à ')
    repaired_end = utf8_len('L’accueil est fermé')
    vs = [
        {'experience_id': 'E05', 'field': 'text', 'start': 0, 'end': whole,
         'text': 'Merci à Mme [NOM] pour son accueil, bon accueil.'},                      # mask: match
        {'experience_id': 'E05', 'field': 'text', 'start': start, 'end': whole,
         'text': 'Mme [NOM] pour son refus, bon accueil.'},                                # mismatch
        {'experience_id': 'E01', 'field': 'title', 'start': 0, 'end': 5, 'text': 'alpha'},  # exact title
        {'experience_id': 'E08', 'field': 'text', 'start': 0, 'end': repaired_end,
         'text': 'L’accueil est fermé'},                                                   # C1 repaired
        {'experience_id': 'E99', 'field': 'text', 'start': 0, 'end': 1, 'text': 'x'},       # unknown id
        {'experience_id': 'E05', 'field': 'text', 'start': 0, 'end': whole + 9, 'text': 'x'},
    ]
    res = quality.faithfulness(corpus, vs)
    t.eq('faithfulness total', res['total'], 6)
    t.eq('faithfulness matched', res['matched'], 3)
    t.eq('matched after the C1 repair', res['matched_c1_repaired'], 1)
    t.eq('failure reasons', [f['reason'] for f in res['failures']],
         ['text differs', 'experience not found', 'offsets out of range'])
    t.eq('a mask token stands for non-empty text only',
         quality.quote_matches('Mme [NOM] vient', 'Mme  vient'), False)
    t.eq('literal parts are escaped', quality.quote_matches('(ok) [NOM] ?', '(ok) Durandal ?'), True)
    t.eq('literal parts are escaped: no regex meaning', quality.quote_matches('a.c [NOM]', 'abc Durandal'), False)
    t.eq('two mask tokens', quality.quote_matches('[NOM] et [PRENOM] ici', 'Durandal et Jeanne ici'), True)
    t.eq('E08 as written holds U+0092', e08.startswith('L\u0092'), True)


def test_labels(t, corpus):
    index = quality.Index(corpus, ['bon', 'accueil', 'très', 'bien', 'alpha', 'beta'])
    t.eq('"bon accueil": 5 documents (case, spaces)', quality.label_docs(corpus, index, 'Bon accueil'), 5)
    t.eq('"très bien": 4 documents (a line break is white space)',
         quality.label_docs(corpus, index, 'très  bien'), 4)
    t.eq('word boundaries: "accueil" not in "bonaccueil"', quality.label_docs(corpus, index, 'accueil'), 6)
    t.eq('across title and description', quality.label_docs(corpus, index, 'alpha beta'), 2)
    t.eq('peer label: top 3 terms', quality.peer_label(['à', 'alpha', 'beta', 'gamma', 'delta']),
         'alpha beta gamma')


def write_json(path, obj):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, ensure_ascii=False)


def test_end_to_end(t, d, csv_path):
    """main() on a voix note and a peer with one resample each; the figures through the JSON output."""
    e05 = ROWS[4][2]
    voix = {'counts': {'analysed': 7}, 'method': {'coverage': 0.75},
            'topics': [{'label': 'bon accueil', 'terms': ['bon', 'accueil', 'l'],
                        'verbatims': [{'experience_id': 'E05', 'field': 'text', 'start': 0,
                                       'end': utf8_len(e05),
                                       'text': 'Merci à Mme [NOM] pour son accueil, bon accueil.'}]},
                       {'label': 'très bien', 'terms': ['très', 'bien'], 'verbatims': []}],
            'strengths': [{'label': 'x', 'terms': ['x'],
                           'verbatims': [{'experience_id': 'E05', 'field': 'text', 'start': 0, 'end': 5,
                                          'text': 'Mercy'}]}]}
    voix_r = dict(voix, topics=[{'label': 'a', 'terms': ['accueil', 'bon'], 'verbatims': []}])
    peer_topics = [{'terms': ['alpha', 'beta'], 'count': 4}, {'terms': ['gamma', 'delta'], 'count': 2},
                   {'terms': ['bon', 'accueil'], 'count': 1}, {'terms': ['très', 'bien'], 'count': 1},
                   {'terms': ['rien', 'six'], 'count': 1}]
    peer = {'rows': 10, 'assigned': 9, 'topics': peer_topics}
    peer_r = {'rows': 9, 'assigned': 9, 'topics': [{'terms': ['alpha', 'beta'], 'count': 5}]}
    paths = {}
    for name, obj in (('voix', voix), ('voix_r', voix_r), ('peer', peer), ('peer_r', peer_r)):
        paths[name] = os.path.join(d, name + '.json')
        write_json(paths[name], obj)
    out = os.path.join(d, 'q.json')
    with contextlib.redirect_stdout(io.StringIO()) as md:
        rc = quality.main(['--corpus', csv_path, '--system', 'voix', 'voix', paths['voix'], paths['voix_r'],
                           '--system', 'peer', 'peer', paths['peer'], paths['peer_r'], '--json', out])
    t.eq('main exit code', rc, 0)
    with open(out, encoding='utf-8') as f:
        res = {s['system']: s for s in json.load(f)['systems']}
    t.eq('rows: voix, peer, peer 4 largest', sorted(res), ['peer', 'peer, 4 largest', 'voix'])
    v, p, p4 = res['voix'], res['peer'], res['peer, 4 largest']
    t.eq('voix coverage from method.coverage', v['coverage'], 0.75)
    t.eq('peer coverage: assigned / rows', p['coverage'], 0.9)
    t.eq('4 largest coverage: 4+2+1+1 of 10', p4['coverage'], 0.8)
    t.eq('4 largest: 4 topics', p4['topics_count'], 4)
    t.eq('voix faithfulness: topics and strengths', (v['faithfulness']['matched'], v['faithfulness']['total']),
         (1, 2))
    t.eq('peers: no faithfulness', p['faithfulness'], None)
    t.eq('voix readable labels: 5 and 4 documents', v['readable_labels'], 0.5)
    t.eq('voix labels are labels', v['label_kind'], 'label')
    t.eq('peer labels: top 3 terms', [x['label'] for x in p['topics']][:2], ['alpha beta', 'gamma delta'])
    t.eq('voix: ignored term dropped', v['topics'][0]['terms'], ['bon', 'accueil'])
    t.eq('voix stability: same set in another order', v['stability'], (1.0 + 0.0) / 2)
    t.eq('peer stability: one of 5 topics found', p['stability'], 1 / 5)
    t.eq('peer NPMI mean', p['npmi'], (1.0 - 1.0 + p['topics'][2]['npmi'] + p['topics'][3]['npmi']
                                      + p['topics'][4]['npmi']) / 5)
    t.eq('table printed', '| voix | 2 |' in md.getvalue(), True)
    t.eq('peer label convention said', 'top 3 terms' in md.getvalue(), True)


def main():
    t = Checker()
    with tempfile.TemporaryDirectory() as d:
        csv_path = os.path.join(d, 'corpus.csv')
        write_csv(csv_path)
        corpus = quality.read_corpus(csv_path)
        test_corpus_and_terms(t, corpus)
        test_npmi(t, corpus)
        test_diversity_stability(t)
        test_faithfulness(t, corpus)
        test_labels(t, corpus)
        test_end_to_end(t, d, csv_path)
    print(f'test_quality: {t.passed} passed, {t.failed} failed')
    return 1 if t.failed else 0


if __name__ == '__main__':
    sys.exit(main())
