#!/usr/bin/env python3
"""Self-test of agreement.py: the label checks, the matching and the id rules, on invented inputs whose
outcomes are known by hand.

Standard library only. Prints one line per failed check and "N passed, N failed"; exits 1 when a check
failed.

usage: python3 bench/quality/test_agreement.py
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'peers'))
import agreement  # noqa: E402  (after the path is set)
import frenchstop  # noqa: E402
import refcount  # noqa: E402

NEG = {'positif': 10, 'neutre': 10, 'negatif': 30}   # mostly negative
POS = {'positif': 30, 'neutre': 10, 'negatif': 10}
MIXED = {'positif': 20, 'neutre': 5, 'negatif': 25}  # 25 of 50: not more than half
NONE = {'positif': 0, 'neutre': 0, 'negatif': 0, 'inconnu': 40}

# (label, kind, feelings, the checks that must fail: a set of names; empty = "ok")
LABELS = [
    ('aucune réponse', 'sujet', NEG, set()),
    ('site internet', 'sujet', NEG, set()),
    ("carte d'identité", 'sujet', NEG, set()),
    ('rendez-vous annulé', 'sujet', NEG, set()),
    ('demande un rdv', 'sujet', NEG, set()),
    ('injoignable', 'sujet', NEG, set()),
    ('service public', 'sujet', MIXED, {'générique'}),
    ('Services  Publics', 'sujet', MIXED, {'générique', 'fragment'}),
    ('services publics', 'point_fort', POS, {'générique'}),
    ("demandeurs d'emploi", 'sujet', NEG, {'générique'}),
    ('pièce jointe', 'sujet', NONE, {'générique'}),
    ('document ci-joint', 'sujet', NONE, {'générique'}),
    ('nombreuses propositions', 'sujet', NONE, {'générique'}),
    ('depuis plusieurs années', 'sujet', NEG, {'générique'}),
    ('plusieurs mois', 'sujet', NEG, {'générique'}),
    ('mois plus tard', 'sujet', NEG, {'générique'}),
    ('depuis 3 semaines', 'sujet', NEG, {'générique'}),
    ('', 'sujet', NEG, {'générique'}),
    ('délai de', 'sujet', NEG, {'fragment'}),
    ('de la demande', 'sujet', NEG, {'fragment'}),
    ('la carte grise', 'sujet', NEG, {'fragment'}),
    ("l'accueil", 'sujet', NEG, {'fragment'}),
    ("d'attente", 'sujet', NEG, {'fragment'}),
    ('dossier a été', 'sujet', NEG, {'fragment'}),
    ('il faut', 'sujet', NEG, {'fragment', 'générique'}),
    ('demande et', 'sujet', NEG, {'fragment'}),
    (' carte grise', 'sujet', NEG, {'fragment'}),
    ('carte grise ', 'sujet', NEG, {'fragment'}),
    ('carte  grise', 'sujet', NEG, {'fragment'}),
    ('personnel efficace', 'sujet', NEG, {'contradiction'}),
    ('personnel efficace', 'sujet', POS, set()),
    ('personnel efficace', 'sujet', MIXED, set()),
    ('personnel efficace', 'sujet', NONE, set()),
    ('personnel efficace', 'sujet', None, set()),
    ("personnel à l'écoute", 'sujet', NEG, {'contradiction'}),
    ('Agents très aimables', 'sujet', NEG, {'contradiction'}),
    ('merci', 'sujet', NEG, {'contradiction'}),
    ('pas efficace', 'sujet', NEG, set()),
    ('personnel peu aimable', 'sujet', NEG, set()),
    ('rapide et efficace', 'point_fort', POS, set()),
    ('personnel accueillant', 'point_fort', POS, set()),
    ("temps d'attente", 'point_fort', POS, {'contradiction'}),
    ('retard de paiement', 'point_fort', POS, {'contradiction'}),
    ('refus de guichet', 'point_fort', POS, {'contradiction'}),
    ('service injoignable', 'point_fort', POS, {'contradiction'}),
    ('sans attente', 'point_fort', POS, set()),
    ('aucune erreur', 'point_fort', POS, set()),
    ('attente au guichet', 'sujet', NEG, set()),
]


class Checker:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, what, got, want):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print('FAIL %s: got %r, want %r' % (what, got, want))


def test_labels(t):
    for label, kind, feelings, want in LABELS:
        flags = agreement.judge_label(label, kind, feelings)
        t.check('judge_label(%r, %s, %s)' % (label, kind, feelings), {name for name, _ in flags}, want)
    t.check('verdict ok', agreement.verdict([]), 'ok')
    t.check('verdict of a fragment', agreement.verdict(agreement.judge_label('délai de', 'sujet', NEG)),
            'fragment (ends with the function word "de")')
    t.check('verdict of a contradiction',
            agreement.verdict(agreement.judge_label('temps d’attente', 'point_fort', POS)),
            'contradiction (complaint word "attente" in a strength)')
    t.check('mostly_negative without feelings', agreement.mostly_negative(NONE), None)
    t.check('mostly_negative', (agreement.mostly_negative(NEG), agreement.mostly_negative(MIXED)), (True, False))


def test_matching(t):
    t.check('f1 of equal sets', agreement.f1({1, 2}, {1, 2}), 1.0)
    t.check('f1 of two empty sets', agreement.f1(set(), set()), 0.0)
    t.check('f1', agreement.f1({1, 2, 3, 4}, {1, 2, 3}), 6 / 7)
    model = [{1, 2, 3, 4}, {5, 6}]
    ref = [{1, 2, 3}, {5, 6, 7}, {1, 2, 3, 4}]
    # highest first: model 0 - ref 2 (1.0); model 0 is then taken, so ref 0 (6/7 with it) stays unmatched;
    # model 1 - ref 1 (0.8)
    t.check('greedy one-to-one', agreement.greedy_match(model, ref), {2: (0, 1.0), 1: (1, 0.8)})
    t.check('ties: the model\'s order', agreement.greedy_match([{1, 2}, {1, 2}], [{1, 2}]), {0: (0, 1.0)})
    t.check('ties: the reference\'s order', agreement.greedy_match([{1, 2}], [{1, 2}, {1, 2}]), {0: (0, 1.0)})
    t.check('F1 = 0 never matched', agreement.greedy_match([{9}], [{1}]), {})
    t.check('more reference topics than model topics',
            agreement.greedy_match([{1, 2}], [{1}, {1, 2}, {2}]), {1: (0, 1.0)})

    topics = [refcount.Topic({'key': k, 'heading': k, 'kind': 'plainte', 'patterns': ['x']}) for k in 'abcde']
    mem = {'a': set(range(0, 20)), 'b': set(range(20, 30)), 'c': set(range(30, 36)), 'd': set(range(40, 44)),
           'e': {99}}
    model = [{'label': 'A', 'rank': 1, 'ids': set(range(0, 18))},        # a: F1 36/38, share 18 % vs 20 %
             {'label': 'B', 'rank': 2, 'ids': set(range(20, 30)) | set(range(50, 80))},  # b: F1 20/50 = 0.4
             {'label': 'C', 'rank': 3, 'ids': set(range(30, 36)) | {36}}]  # c: F1 12/13, share 7 % vs 6 %
    s = agreement.score_side(model, topics, mem, 100, {'a', 'b', 'c', 'd'})
    t.check('recovered main', s['recovered_main'], 2)
    t.check('recovered', s['recovered'], 2)
    t.check('max share error of recovered main', round(s['max_error'], 6), 2.0)
    t.check('unmatched reference topics', [r['key'] for r in s['rows'] if r['model'] is None], ['d', 'e'])
    t.check('share error of b', round(s['rows'][1]['error'], 6), 30.0)
    t.check('b not recovered', s['rows'][1]['recovered'], False)
    t.check('unmatched model topics', s['unmatched'], [])

    groups = {'k1': {'x', 'y', 'z'}, 'k2': {'w'}}
    key_of = {'x': 'k1', 'y': 'k1', 'z': 'k1', 'w': 'k2'}
    sets = [{'x'}, {'w'}, set()]
    added = agreement.restore_copies(sets, groups, key_of)
    t.check('copies restored', (sets, added), ([{'x', 'y', 'z'}, {'w'}, set()], {'y', 'z'}))
    t.check('copy key ignores case, accents and punctuation',
            agreement.copy_key('Délai  TROP long !'), agreement.copy_key('delai trop long'))


def test_ids(t, d):
    """refcount.py (with "sep" and a BOM) and the peer's reader give voix's ids (docs/reading.md)."""
    path = os.path.join(d, 'mini.csv')
    with open(path, 'w', encoding='utf-8-sig', newline='') as f:
        f.write('ID expérience;Description;Ressenti usager\r\n'
                '101.0;premier texte;Négatif\r\n'
                '\r\n'
                ' 102 ;"deux\nlignes";Positif\r\n'
                '103;   ;Neutre\r\n'
                '104;quatre;Neutre\r\n')
    ref = {'corpus': 'mini.csv', 'sep': ';', 'text': 'Description', 'id': 'ID expérience',
           'feeling': {'column': 'Ressenti usager', 'map': {'Négatif': 'négatif', 'Positif': 'positif'}},
           'topics': [{'key': 'deux', 'heading': 'deux', 'patterns': ['deux']}]}
    rows = list(refcount.read_corpus(ref, d))
    t.check('refcount ids from the id column', [r[0] for r in rows], ['101', '102', '104'])
    t.check('refcount feelings', [r[2] for r in rows], ['négatif', 'positif', ''])
    ref_noid = dict(ref, id=None)
    t.check('refcount ids <file>:<line>', [r[0] for r in refcount.read_corpus(ref_noid, d)],
            ['mini.csv:2', 'mini.csv:4', 'mini.csv:7'])
    _, _, mem = refcount.members(ref, d)
    t.check('refcount members', mem, {'deux': {'102'}})
    texts, _, ids = frenchstop.read_documents(path, 'Description', 'ID expérience')
    t.check('peer ids from the id column', ids, ['101', '102', '104'])
    t.check('peer texts', texts, ['premier texte', 'deux\nlignes', 'quatre'])
    t.check('peer ids <file>:<line>', frenchstop.read_documents(path, 'Description')[2],
            ['mini.csv:2', 'mini.csv:4', 'mini.csv:7'])
    t.check('voix map', agreement.voix_map(ref), 'text=Description,id=ID expérience')
    t.check('voix map of a column with a comma', agreement.voix_map({'text': 'Avis, libre', 'id': None}),
            'text="Avis, libre"')

    assign = os.path.join(d, 'assign.csv')
    with open(assign, 'w', encoding='utf-8', newline='') as f:
        f.write('experience_id;kind;topic;label;weight\n101;sujet;1;un label;0.5\n102;sujet;1;un label;0.1\n'
                '104;point_fort;1;autre;0.2\n104;sujet;2;deux;0.3\n')
    t.check('read_assignments sujet', agreement.read_assignments(assign, 'sujet'),
            {1: ('un label', {'101', '102'}), 2: ('deux', {'104'})})
    t.check('read_assignments point_fort', agreement.read_assignments(assign, 'point_fort'), {1: ('autre', {'104'})})


def main():
    t = Checker()
    with tempfile.TemporaryDirectory() as d:
        test_labels(t)
        test_matching(t)
        test_ids(t, d)
    print('test_agreement: %d passed, %d failed' % (t.passed, t.failed))
    return 1 if t.failed else 0


if __name__ == '__main__':
    sys.exit(main())
