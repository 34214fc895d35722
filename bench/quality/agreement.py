#!/usr/bin/env python3
"""Agreement between the topics of `voix note` and analyst references (issue 9, item 3).

For every reference DIR/<name>/reference.json (written by the method of
shared/REFERENCE-METHOD.md, counted by refcount.py, the one implementation of its rules):

1. voix reads the reference's corpus with the reference's text column (and id column, if any):
   `VOIX note CORPUS --map text=COL[,id=COL] -o note.json --assignments assignments.csv`, and
   `VOIX import` of the same file into a scratch database, to get every id voix read. The ids of voix
   and of refcount.py must coincide: the overlap is reported, and the run stops (exit 1) when it covers
   less than 95 % of either side.
2. Memberships: voix's, from the assignments file (kind `sujet` = the topics shown, `point_fort` = the
   strengths); the reference's, from refcount.members(). voix counts a group of near-duplicate copies
   once and lists only its first copy; so that both sides count over the same rows, every row whose text
   is an exact copy (same words after refcount.normalise) of a member is made a member too ("copies
   restored"; --as-written turns it off; the report also gives the main topics recovered without it).
3. Matching: the model's topics are matched one-to-one to the reference's complaint topics (kind
   `plainte`) greedily by F1 = 2|A∩B| / (|A|+|B|): the pair of highest F1 first, ties in the
   reference's order then the model's; pairs with F1 = 0 are never matched. A reference topic is
   *recovered* when its match has F1 >= 0.5. Strengths (kind `point_fort`) are matched the same way to the
   reference's praise topics (kind `point_fort`). The main topics are those marked "main" in the
   reference (else its four largest complaint topics).
4. Shares: the reference's share is |B| / N and the model's |A| / N, N the texts of the corpus as
   refcount.py reads them; the share error is the difference in points (model minus reference). The
   note's own share (count / denominator, over distinct experiences, and for strengths over the positive
   ones) is shown beside it.
5. Labels: each label is judged by judge_label() (documented there): "générique", "fragment",
   "contradiction" or "ok".
6. --peer: the same scoring for the scikit-learn peer (bench/peers/peer_sklearn.py run by
   /usr/bin/python3 on the reference's own documents and ids: TF-IDF + NMF, k = 6, the 4 largest topics
   shown, memberships at >= 50 % of a document's largest weight and > 0, labels its 2 top terms). It has
   no strengths. When scikit-learn is missing the report says so.

The report (--results, default bench/quality/RESULTS.md) gives the machine, the date, the voix commit,
per corpus the tables, a summary table and the issue's targets marked met or missed: at least 3 of 4
main topics recovered per corpus, the share of each recovered main topic within 5 points of the
reference's, no flagged label. Working files (notes, assignments, peer outputs) go to --out
(default bench/out/quality, ignored by git); the texts given to the peer are written to a temporary
folder and deleted.

usage: agreement.py VOIX [--refs DIR] [--data DIR] [--out DIR] [--results FILE] [--peer]
                    [--commit SHA] [--as-written]
"""
import argparse
import csv
import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import refcount  # noqa: E402

RECOVERED_F1 = 0.5        # REFERENCE-METHOD.md
ID_OVERLAP_MIN = 0.95     # below this the run stops: the two sides do not read the same rows
TARGET_RECOVERED = 3      # the targets
TARGET_SHARE_POINTS = 5.0
PEER_PY = '/usr/bin/python3'
PEER = os.path.join(REPO, 'bench', 'peers', 'peer_sklearn.py')
PEER_TOPICS, PEER_SHOWN, PEER_MEMBER_SHARE = 6, 4, 0.5
PEER_TIMEOUT = 900

csv.field_size_limit(sys.maxsize)

# ---- Label judgement ---------------------------------------------------------------------------

# Phrases that say nothing about what users went through (compared with the whole label, folded:
# lower case, accents dropped, apostrophes "'", single spaces).
GENERIC_PHRASES = {
    # the service or the administration itself
    'service public', 'services publics', 'le service public', 'les services publics', 'administration',
    "l'administration", 'pole emploi', 'france travail', 'service', 'services',
    # the people who write
    "demandeurs d'emploi", "demandeur d'emploi", 'usagers', 'usager', 'citoyens', 'les gens', 'francais',
    # the form of the text, not its content
    'piece jointe', 'pieces jointes', 'document ci-joint', 'documents ci-joints', 'ci-joint', 'voir ci-joint',
    'voir piece jointe', 'compte rendu', 'compte-rendu', 'voir compte rendu', 'voir le compte rendu', 'annexe',
    'en annexe', 'voir annexe', 'nombreuses propositions', 'propositions', 'contributions', 'avis', 'bonjour',
    'experience', 'mon experience',
    # time with no event
    'depuis plusieurs annees', 'depuis plusieurs mois', 'depuis plusieurs semaines', 'plusieurs mois',
    'plusieurs semaines', 'plusieurs annees', 'plusieurs jours', 'quelques jours', 'quelques mois',
    'mois plus tard', 'plus tard', 'tous les jours', 'chaque fois',
}
# Function words: a label that starts or ends with one is a cut phrase ("délai de", "la demande").
FUNCTION_WORDS = {
    'de', 'la', 'le', 'les', 'des', 'du', 'a', 'au', 'aux', 'en', 'et', 'ou', 'pour', 'par', 'avec', 'que',
    'qui', 'ce', 'ces', 'cet', 'cette', 'mon', 'ma', 'mes', 'son', 'sa', 'ses', 'un', 'une', 'sur', 'dans',
}
ELIDED = re.compile(r"^(l|d|qu|j|m|s|n|c)'")   # "l'accueil", "d'attente": an elided function word
# Auxiliaries and modals: a label ending in one is a verb phrase cut before its verb ("dossier a été").
AUXILIARIES = {
    'a', 'ai', 'as', 'ont', 'avons', 'avez', 'avait', 'avaient', 'aurait', 'eu', 'avoir', 'est', 'sont', 'suis',
    'es', 'sommes', 'etes', 'etait', 'etaient', 'ete', 'etre', 'sera', 'seront', 'serait', 'soit', 'fut', 'peut',
    'peux', 'peuvent', 'doit', 'doivent', 'faut', 'va', 'vont', 'fait',
}
# Words that carry no topic: a label made only of these (and function words) is generic.
STOP_WORDS = FUNCTION_WORDS | AUXILIARIES | {
    'je', 'tu', 'il', 'elle', 'on', 'nous', 'vous', 'ils', 'elles', 'me', 'te', 'se', 'y', 'ne', 'pas', 'plus',
    'moins', 'tres', 'trop', 'tout', 'tous', 'toute', 'toutes', 'bien', 'mal', 'faire', 'mais', 'donc', 'car',
    'si', 'comme', 'quand', 'aussi', 'alors', 'encore', 'deja', 'meme', 'autre', 'autres', 'chaque', 'plusieurs',
    'quelques', 'nombreux', 'nombreuses', 'beaucoup', 'peu', 'rien', 'aucun', 'aucune', 'leur', 'leurs', 'notre',
    'votre', 'nos', 'vos', 'cela', 'ca', 'ceci', 'la-bas', 'ici', 'deux', 'trois', 'premier', 'premiere',
    'dernier', 'derniere', 'chose', 'choses', 'fois', 'etc',
}
TIME_WORDS = {
    'jour', 'jours', 'semaine', 'semaines', 'mois', 'an', 'ans', 'annee', 'annees', 'heure', 'heures', 'minute',
    'minutes', 'temps', 'depuis', 'tard', 'tot', 'avant', 'apres', 'hier', 'demain', "aujourd'hui", 'maintenant',
    'toujours', 'jamais', 'date', 'debut', 'fin', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi',
    'dimanche', 'matin', 'soir', 'journee', 'moment', 'periode',
}
# Praise in a complaint topic, complaint in a strength: the label says the opposite of its texts.
PRAISE = re.compile(r"\b(efficace|efficaces|efficacite|sympathiques?|sympa|aimables?|amabilite|ecoute|a l'ecoute|"
                    r"merci|remercie|rapides?|rapidement|rapidite|accueillante?s?|agreables?|serviables?|"
                    r"competente?s?|professionnel(le)?s?|satisfaite?s?|bravo|excellente?s?|parfaite?s?|"
                    r"parfaitement|souriante?s?|patiente?s?|courtois(e|es)?|top|super|genial)\b")
COMPLAINT = re.compile(r"\b(attente|attendre|injoignables?|retards?|refus|refuse(e|s|es)?|problemes?|erreurs?|"
                       r"impossibles?|bloquee?s?|annul\w*|lenteurs?|lente?s?|incompetente?s?|mepris\w*|"
                       r"desagreables?|aucune reponse|pas de reponse|sans reponse|injoignabilite|plaintes?|"
                       r"perdue?s?|panne)\b")
NEGATED = re.compile(r"\b(pas|peu|aucun|aucune|sans|jamais|manque|ni|non|plus)\b[^,;/]{0,20}$")


def fold(text):
    """Lower case, accents dropped, typographic apostrophes to "'" (refcount.normalise, spaces kept as
    they are so that the fragment check can see doubled ones)."""
    text = text.translate(refcount.APOSTROPHES).lower()
    text = unicodedata.normalize('NFKD', text)
    return ''.join(c for c in text if not unicodedata.combining(c))


def _found(pattern, folded):
    """A match of pattern in folded that is not preceded in its phrase by a negation."""
    for m in pattern.finditer(folded):
        if not NEGATED.search(folded[:m.start()]):
            return m.group(0)
    return None


def mostly_negative(feelings):
    """True when more than half of the experiences with a declared feeling are negative; None when no
    feeling is declared (then the check cannot be made)."""
    if not feelings:
        return None
    pos, neu, neg = (feelings.get(k, 0) for k in ('positif', 'neutre', 'negatif'))
    if pos + neu + neg == 0:
        return None
    return neg * 2 > pos + neu + neg


def judge_label(label, kind, feelings=None):
    """Judges a topic label by automatic checks; returns a list of (check, reason), empty when "ok".

    label: the label as shown; kind: "sujet" (a complaint topic) or "point_fort" (a strength);
    feelings: {"positif": n, "neutre": n, "negatif": n, ...} of the topic's experiences, or None.
    The label is folded first (lower case, accents dropped, apostrophes "'"); its words are the runs
    of letters, digits, "'" and "-".

    - "générique": the whole label is one of GENERIC_PHRASES (the service or the administration, the
      people who write, the form of the text, time with no event: "service public", "demandeurs
      d'emploi", "pièce jointe", "plusieurs mois"), or every word is a stop word or a time word
      (STOP_WORDS, TIME_WORDS: "mois plus tard", "depuis deux semaines"), or it has no word at all.
    - "fragment": leading or trailing spaces, or a doubled space; or the first or last word is a function
      word (FUNCTION_WORDS: de, la, le, les, des, du, à, au, en, et, ou, pour, par, avec, que, qui, ce,
      mon, ma, mes, son, sa, un, une...), the first one possibly elided ("l'", "d'", "qu'"...); or the
      last word is an auxiliary or a modal (AUXILIARIES: "dossier a été", "il faut"): a verb phrase cut
      before its verb.
    - "contradiction": a praise word (PRAISE: efficace, sympathique, aimable, écoute, merci, rapide...)
      in the label of a complaint topic whose experiences are mostly negative (more than half of those
      with a declared feeling; not checked when none is declared), or a complaint word (COMPLAINT:
      attente, injoignable, retard, refus, problème, erreur...) in the label of a strength. A word
      preceded in the label by a negation (pas, peu, aucun, sans, jamais, manque, ni, non, plus, within 20
      characters) does not count ("sans attente" praises, "pas efficace" complains).
    """
    flags = []
    folded = fold(label)
    words = re.findall(r"[a-z0-9'\-]+", folded)
    phrase = ' '.join(words)
    if not words or phrase in GENERIC_PHRASES or folded.strip() in GENERIC_PHRASES:
        flags.append(('générique', 'no word' if not words else 'generic phrase'))
    elif all(w in STOP_WORDS or w in TIME_WORDS or w.isdigit() for w in words):
        flags.append(('générique', 'only stop words and time words'))
    if label != label.strip():
        flags.append(('fragment', 'leading or trailing space'))
    elif '  ' in label:
        flags.append(('fragment', 'doubled space'))
    elif words:
        first, last = words[0], words[-1]
        if first in FUNCTION_WORDS or ELIDED.match(first):
            flags.append(('fragment', 'starts with the function word "%s"' % first.split("'")[0]))
        elif last in FUNCTION_WORDS:
            flags.append(('fragment', 'ends with the function word "%s"' % last))
        elif last in AUXILIARIES and len(words) > 1:
            flags.append(('fragment', 'ends with the auxiliary "%s"' % last))
    if kind == 'sujet':
        word = _found(PRAISE, folded)
        if word and mostly_negative(feelings):
            flags.append(('contradiction', 'praise word "%s" in a mostly negative topic' % word))
    elif kind == 'point_fort':
        word = _found(COMPLAINT, folded)
        if word:
            flags.append(('contradiction', 'complaint word "%s" in a strength' % word))
    return flags


def verdict(flags):
    """The judgement as written in the report: "ok" or the checks that failed, with their reasons."""
    if not flags:
        return 'ok'
    return '; '.join('%s (%s)' % f for f in flags)


# ---- Matching ------------------------------------------------------------------------------------

def f1(a, b):
    """2|A∩B| / (|A|+|B|); 0 for two empty sets."""
    return 2.0 * len(a & b) / (len(a) + len(b)) if (a or b) else 0.0


def greedy_match(model, ref):
    """model, ref: lists of sets, in their order. Returns {ref index: (model index, F1)}: the pair of
    highest F1 first, then the next among the unmatched, ties in the reference's order then the
    model's; a pair with F1 = 0 is never matched."""
    pairs = sorted(((f1(a, b), j, i) for i, a in enumerate(model) for j, b in enumerate(ref)),
                   key=lambda p: (-p[0], p[1], p[2]))
    used_m, out = set(), {}
    for score, j, i in pairs:
        if score <= 0:
            break
        if j in out or i in used_m:
            continue
        out[j] = (i, score)
        used_m.add(i)
    return out


# ---- Running voix and the peer ------------------------------------------------------------------

def say(msg):
    sys.stderr.write('bench/quality: %s\n' % msg)


def map_value(column):
    return '"%s"' % column if (',' in column or '"' in column) else column


def voix_map(ref):
    m = 'text=' + map_value(ref['text'])
    if ref.get('id'):
        m += ',id=' + map_value(ref['id'])
    return m


def read_assignments(path, kind_wanted='sujet'):
    """{rank: (label, set of ids)} of one kind, from a `voix note --assignments` file."""
    out = {}
    with open(path, encoding='utf-8', newline='') as f:
        rd = csv.reader(f, delimiter=';')
        header = next(rd)
        if header != ['experience_id', 'kind', 'topic', 'label', 'weight']:
            raise SystemExit('%s: unexpected header %r' % (path, header))
        for rid, kind, topic, label, _ in rd:
            if kind != kind_wanted:
                continue
            out.setdefault(int(topic), (label, set()))[1].add(rid)
    return out


def run_voix(voix, ref, corpus, out):
    """Runs voix note and voix import on the corpus; returns (note, assignments path, ids voix read)."""
    note_path = os.path.join(out, 'note.json')
    assign = os.path.join(out, 'assignments.csv')
    cmd = [voix, 'note', corpus, '--map', voix_map(ref), '-o', note_path, '--assignments', assign]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit('voix note failed (exit %d): %s\n%s' % (r.returncode, ' '.join(cmd), r.stderr))
    with open(note_path, encoding='utf-8') as f:
        note = json.load(f)
    db = os.path.join(out, 'voix.db')
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    cmd = [voix, 'import', corpus, '--map', voix_map(ref), '--db', db, '--quiet']
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit('voix import failed (exit %d): %s\n%s' % (r.returncode, ' '.join(cmd), r.stderr))
    con = sqlite3.connect(db)
    ids = [row[0] for row in con.execute('SELECT ext_id FROM experiences')]
    con.close()
    os.remove(db)
    return note, assign, ids


def run_peer(rows, out):
    """Runs the scikit-learn peer on the reference's documents; returns (assignments path, info) or
    (None, why it could not run)."""
    if not os.path.exists(PEER_PY):
        return None, '%s is missing' % PEER_PY
    members = os.path.join(out, 'peer-members.csv')
    pjson = os.path.join(out, 'peer.json')
    tmp = tempfile.mkdtemp(prefix='voix-agreement-')
    try:
        docs = os.path.join(tmp, 'documents.csv')
        with open(docs, 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f, delimiter=';')
            w.writerow(['id', 'text'])
            for rid, text, _ in rows:
                w.writerow([rid, text])
        cmd = [PEER_PY, PEER, docs, '--text', 'text', '--id', 'id', '--topics', str(PEER_TOPICS),
               '--shown', str(PEER_SHOWN), '--members', members, '--member-share', str(PEER_MEMBER_SHARE),
               '--json', pjson]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=PEER_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, 'given up after %d s' % PEER_TIMEOUT
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if r.returncode == 77:
        return None, 'scikit-learn is not available for %s (Debian package python3-sklearn)' % PEER_PY
    if r.returncode != 0:
        return None, 'failed (exit %d): %s' % (r.returncode, r.stderr.strip().splitlines()[-1:])
    with open(pjson, encoding='utf-8') as f:
        info = json.load(f)
    if info['rows'] != len(rows):
        raise SystemExit('peer read %d documents of %d' % (info['rows'], len(rows)))
    return members, info


# ---- Scoring ------------------------------------------------------------------------------------

def copy_key(text):
    return ' '.join(re.findall(r'\w+', refcount.normalise(text)))


def restore_copies(sets, groups, key_of):
    """Adds to each set the rows whose text is an exact copy of a member's; returns the ids added."""
    added = set()
    for s in sets:
        extra = set()
        for rid in s:
            extra |= groups[key_of[rid]]
        extra -= s
        s |= extra
        added |= extra
    return added


def feelings_of(ids, feel):
    c = {'positif': 0, 'neutre': 0, 'negatif': 0, 'inconnu': 0}
    for rid in ids:
        k = {'négatif': 'negatif'}.get(feel.get(rid, ''), feel.get(rid, '')) or 'inconnu'
        c[k if k in c else 'inconnu'] += 1
    return c


def score_side(model, ref_topics, mem, n, main_keys):
    """model: list of dicts (label, ids, ...) in rank order; ref_topics: Topic list of one kind.
    Returns the table rows and the counts."""
    match = greedy_match([m['ids'] for m in model], [mem[t.key] for t in ref_topics])
    rows, matched = [], set()
    for j, t in enumerate(ref_topics):
        ref_share = 100.0 * len(mem[t.key]) / n
        row = {'key': t.key, 'heading': t.heading, 'main': t.key in main_keys, 'ref_share': ref_share,
               'ref_count': len(mem[t.key]), 'model': None}
        if j in match:
            i, score = match[j]
            matched.add(i)
            share = 100.0 * len(model[i]['ids']) / n
            row.update(model=i, f1=score, share=share, error=share - ref_share, recovered=score >= RECOVERED_F1)
        rows.append(row)
    unmatched = [i for i in range(len(model)) if i not in matched]
    recovered_main = [r for r in rows if r['main'] and r['model'] is not None and r['recovered']]
    return {'rows': rows, 'unmatched': unmatched, 'recovered_main': len(recovered_main), 'n': n,
            'recovered': sum(1 for r in rows if r['model'] is not None and r['recovered']),
            'max_error': max((abs(r['error']) for r in recovered_main), default=None)}


def main_topics(ref, topics, mem):
    compl = [t for t in topics if t.kind == 'plainte']
    flagged = [t.key for t, spec in zip(topics, ref['topics']) if spec.get('main') and t.kind == 'plainte']
    largest = [t.key for t in sorted(compl, key=lambda t: (-len(mem[t.key]), t.key))[:4]]
    return (flagged or largest), largest


def evaluate(name, refdir, ref, args):
    corpus = os.path.join(args.data, ref['corpus'])
    if not os.path.exists(corpus):
        raise SystemExit('%s: corpus %s is absent' % (name, corpus))
    out = os.path.join(args.out, name)
    os.makedirs(out, exist_ok=True)
    say('%s: refcount.py on %s' % (name, ref['corpus']))
    rows, topics, mem = refcount.members(ref, args.data)
    n = len(rows)
    ref_ids = [r[0] for r in rows]
    ref_set = set(ref_ids)
    feel = {rid: f for rid, _, f in rows}
    say('%s: voix note and voix import' % name)
    note, assign, voix_ids = run_voix(args.voix, ref, corpus, out)
    voix_set = set(voix_ids)
    both = voix_set & ref_set
    cov_ref = len(both) / max(len(ref_set), 1)
    cov_voix = len(both) / max(len(voix_set), 1)
    ids = {'voix': len(voix_set), 'ref': len(ref_set), 'ref_rows': n, 'both': len(both),
           'cov_ref': cov_ref, 'cov_voix': cov_voix,
           'only_voix': sorted(voix_set - ref_set)[:5], 'only_ref': sorted(ref_set - voix_set)[:5]}
    say('%s: ids: voix %d, reference %d, both %d (%.1f %% of the reference\'s, %.1f %% of voix\'s)'
        % (name, len(voix_set), len(ref_set), len(both), 100 * cov_ref, 100 * cov_voix))
    if min(cov_ref, cov_voix) < ID_OVERLAP_MIN:
        raise SystemExit('%s: the ids of voix and of refcount.py do not coincide: %d in both, %d read by voix, '
                         '%d by refcount.py (under %.0f %%); e.g. only voix: %s; only refcount.py: %s'
                         % (name, len(both), len(voix_set), len(ref_set), 100 * ID_OVERLAP_MIN,
                            ids['only_voix'], ids['only_ref']))

    with open(os.path.join(refdir, 'reference.json'), 'rb') as f:
        ref_sha = hashlib.sha256(f.read()).hexdigest()
    h = hashlib.sha256()
    with open(corpus, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)

    groups, key_of = {}, {}
    for rid, text, _ in rows:
        k = copy_key(text)
        key_of[rid] = k
        groups.setdefault(k, set()).add(rid)
    copies = n - len(groups)

    main_keys, largest = main_topics(ref, topics, mem)
    complaints = [t for t in topics if t.kind == 'plainte']
    praise = [t for t in topics if t.kind == 'point_fort']
    res = {'name': name, 'refdir': refdir, 'corpus': ref['corpus'], 'sha256': h.hexdigest(), 'ref_sha256': ref_sha,
           'finished': os.path.exists(os.path.join(refdir, 'REFERENCE.md')), 'text': ref['text'], 'id': ref.get('id'),
           'n': n, 'ids': ids, 'counts': note['counts'], 'exact_copies': copies,
           'main': main_keys, 'largest': largest, 'topics': {t.key: t.heading for t in topics},
           'version': note['method'].get('version', '')}

    sides = {}
    for kind, ref_kind, note_key in (('sujet', complaints, 'topics'), ('point_fort', praise, 'strengths')):
        assigned = read_assignments(assign, kind)
        model = []
        for t in note[note_key]:
            label, members = assigned.get(t['id'], (t['label'], set()))
            if len(members) != t['count'] or label != t['label']:
                raise SystemExit('%s: assignments of %s %d disagree with the note (%d rows, count %d)'
                                 % (name, kind, t['id'], len(members), t['count']))
            if members - voix_set:
                raise SystemExit('%s: assignments name ids voix did not read' % name)
            model.append({'rank': t['id'], 'label': t['label'], 'ids': set(members), 'written': set(members),
                          'count': t['count'], 'denominator': t['denominator'], 'feelings': t['feelings'],
                          'flags': judge_label(t['label'], kind, t['feelings'])})
        sides[kind] = model
    restored = set()
    if not args.as_written:
        restored = restore_copies([m['ids'] for k in sides for m in sides[k]], groups, key_of)
    res['restored'] = len(restored)
    res['voix'] = {'sujet': sides['sujet'], 'point_fort': sides['point_fort'],
                   'score': score_side(sides['sujet'], complaints, mem, n, main_keys),
                   'score_pf': score_side(sides['point_fort'], praise, mem, n, set())}
    written = [dict(m, ids=m['written']) for m in sides['sujet']]
    res['voix']['recovered_main_written'] = score_side(written, complaints, mem, n, main_keys)['recovered_main']

    res['peer'] = None
    if args.peer:
        say('%s: scikit-learn peer' % name)
        members, info = run_peer(rows, out)
        if members is None:
            res['peer'] = {'error': info}
            say('%s: peer not scored: %s' % (name, info))
        else:
            assigned = read_assignments(members, 'sujet')
            model = []
            for rank in sorted(assigned):
                label, m_ids = assigned[rank]
                fe = feelings_of(m_ids, feel)
                model.append({'rank': rank, 'label': label, 'ids': m_ids, 'count': len(m_ids), 'denominator': n,
                              'feelings': fe, 'flags': judge_label(label, 'sujet', fe)})
            res['peer'] = {'version': info['version'], 'model': model,
                           'score': score_side(model, complaints, mem, n, main_keys)}
    return res


# ---- Report -------------------------------------------------------------------------------------

def pct(x):
    return '%.1f %%' % x


def cell(text):
    return str(text).replace('|', '\\|').replace('\n', ' ')


def side_table(lines, score, model, what):
    lines.append('| reference topic | ref share | matched %s topic | %s share | F1 | share error (points) | '
                 'count / denominator shown |' % (what, what))
    lines.append('| --- | ---: | --- | ---: | ---: | ---: | ---: |')
    for r in score['rows']:
        head = cell(r['heading']) + (' **(main)**' if r['main'] else '')
        if r['model'] is None:
            lines.append('| %s | %s | — | | | | |' % (head, pct(r['ref_share'])))
            continue
        m = model[r['model']]
        rec = ' ✔' if r['recovered'] else ''
        lines.append('| %s | %s | %d. %s | %s | %.2f%s | %+.1f | %s |'
                     % (head, pct(r['ref_share']), m['rank'], cell(m['label']), pct(r['share']), r['f1'], rec,
                        r['error'], '%d / %d' % (m['count'], m['denominator'])))
    for i in score['unmatched']:
        m = model[i]
        lines.append('| (unmatched) | | %d. %s | %s | | | %d / %d |'
                     % (m['rank'], cell(m['label']), pct(100.0 * len(m['ids']) / max(score['n'], 1)),
                        m['count'], m['denominator']))
    lines.append('')


def label_table(lines, entries):
    lines.append('| kind | rank | label | feelings (pos / neu / neg) | judgement |')
    lines.append('| --- | ---: | --- | --- | --- |')
    for kind, m in entries:
        fe = m['feelings']
        lines.append('| %s | %d | %s | %d / %d / %d | %s |' % (kind, m['rank'], cell(m['label']), fe['positif'],
                                                              fe['neutre'], fe['negatif'], verdict(m['flags'])))
    lines.append('')


def flagged_labels(res):
    return sum(1 for k in ('sujet', 'point_fort') for m in res['voix'][k] if m['flags'])


def machine():
    model = '?'
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    return cores, model


def voix_commit(voix, given):
    if given:
        return given
    d = os.path.dirname(os.path.realpath(voix))
    try:
        sha = subprocess.run(['git', '-C', d, 'rev-parse', 'HEAD'], capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(['git', '-C', d, 'status', '--porcelain', '--untracked-files=no'],
                               capture_output=True, text=True).stdout.strip()
        return sha + (' (with uncommitted changes)' if dirty else '')
    except (OSError, subprocess.CalledProcessError):
        return 'unknown (not in a git repository; give --commit)'


def shown_path(path):
    """A path as the report shows it: relative to the repository when inside it or beside it
    (../shared/data)."""
    full = os.path.realpath(path)
    parent = os.path.dirname(REPO)
    if full.startswith(parent + os.sep):
        return os.path.relpath(full, REPO)
    return path


def refs_origin(path):
    """Where the references come from: their folder in a git repository and its commit when they are
    tracked there, else the folder."""
    def git(*a):
        return subprocess.run(['git', '-C', path] + list(a), capture_output=True, text=True, check=True).stdout.strip()
    try:
        if git('ls-files', '--', '.'):
            prefix = git('rev-parse', '--show-prefix').rstrip('/') or '.'
            dirty = git('status', '--porcelain', '--', '.')
            return '`%s` of commit %s%s' % (prefix, git('rev-parse', '--short=12', 'HEAD'),
                                             ' with uncommitted changes' if dirty else '')
    except (OSError, subprocess.CalledProcessError):
        pass
    return '`%s`' % shown_path(path)


def report(results, skipped, args):
    cores, cpu = machine()
    versions = sorted({r['version'] for r in results if r['version']})
    version = ' (version %s)' % ', '.join(versions) if versions else ''
    lines = ['# Agreement of the topics with analyst references', '',
             'Written by `bench/quality/agreement.py` (method in its docstring and in bench/README.md); do not edit by '
             'hand.', '',
             '- date: %s' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
             '- machine: %s cores, %s' % (cores, cpu),
             '- voix: `%s`%s, commit %s' % (shown_path(args.voix), version, voix_commit(args.voix, args.commit)),
             '- references: %s, corpora in `%s`' % (refs_origin(args.refs), shown_path(args.data))]
    peer_versions = {r['peer']['version'] for r in results if r['peer'] and 'version' in r['peer']}
    if not args.peer:
        lines.append('- peer: not run (no `--peer`)')
    elif peer_versions:
        lines.append('- peer: scikit-learn %s (TF-IDF + NMF, k = %d, the %d largest shown, memberships at ≥ %d %% '
                     'of a document\'s largest weight, labels its 2 top terms)'
                     % (', '.join(sorted(peer_versions)), PEER_TOPICS, PEER_SHOWN, 100 * PEER_MEMBER_SHARE))
    else:
        why = {r['peer']['error'] for r in results if r['peer']}
        lines.append('- peer: not scored: %s' % '; '.join(sorted(why)))
    if not args.as_written:
        lines.append('- voix memberships with near-duplicate copies restored (exact copies of a member\'s text)')
    lines.append('')
    for name, why in skipped:
        lines.append('**%s not scored**: %s' % (name, why))
        lines.append('')

    lines += ['## Summary', '',
              '| corpus | voix recovered main /4 | max share error of recovered (points) | labels flagged | '
              'peer recovered /4 |', '| --- | ---: | ---: | ---: | ---: |']
    for r in results:
        v = r['voix']['score']
        p = r['peer']
        peer = '%d' % p['score']['recovered_main'] if p and 'score' in p else '—'
        nlab = len(r['voix']['sujet']) + len(r['voix']['point_fort'])
        lines.append('| %s | %d | %s | %d of %d | %s |' % (r['name'], v['recovered_main'],
                                                           '%.1f' % v['max_error'] if v['max_error'] is not None else '—',
                                                           flagged_labels(r), nlab, peer))
    lines += ['', '## Targets', '',
              'From the issue, per corpus: at least %d of 4 main topics recovered (F1 ≥ %.1f), the share of each '
              'recovered main topic within %.0f points of the reference\'s, no flagged label.'
              % (TARGET_RECOVERED, RECOVERED_F1, TARGET_SHARE_POINTS), '',
              '| corpus | target | value | |', '| --- | --- | --- | --- |']
    for r in results:
        v = r['voix']['score']
        ok = v['recovered_main'] >= TARGET_RECOVERED
        lines.append('| %s | ≥ %d of 4 main topics recovered | %d of 4 | %s |'
                     % (r['name'], TARGET_RECOVERED, v['recovered_main'], 'met' if ok else 'missed'))
        if v['max_error'] is None:
            lines.append('| %s | each recovered main share within %.0f points | no main topic recovered | missed |'
                         % (r['name'], TARGET_SHARE_POINTS))
        else:
            lines.append('| %s | each recovered main share within %.0f points | at most %.1f points | %s |'
                         % (r['name'], TARGET_SHARE_POINTS, v['max_error'],
                            'met' if v['max_error'] <= TARGET_SHARE_POINTS else 'missed'))
        fl = flagged_labels(r)
        lines.append('| %s | no flagged label | %d flagged | %s |' % (r['name'], fl, 'met' if fl == 0 else 'missed'))
    lines.append('')

    for r in results:
        ids, c = r['ids'], r['counts']
        lines += ['## %s: `%s`' % (r['name'], r['corpus']), '']
        lines.append('- reference `%s/reference.json` (SHA-256 `%s…`)%s; text column `%s`; ids %s'
                     % (r['name'], r['ref_sha256'][:12],
                        '' if r['finished'] else ' **without REFERENCE.md: possibly unfinished**',
                        r['text'], '`%s`' % r['id'] if r['id'] else '`<file name>:<line>`'))
        lines.append('- corpus SHA-256 `%s`, %d texts (rows with text, as refcount.py reads them)' % (r['sha256'], r['n']))
        lines.append('- ids: voix read %d, refcount.py %d (%d rows), %d in both: %.1f %% of the reference\'s, '
                     '%.1f %% of voix\'s' % (ids['voix'], ids['ref'], ids['ref_rows'], ids['both'],
                                             100 * ids['cov_ref'], 100 * ids['cov_voix']))
        lines.append('- voix: %d read, %d analysed, %d near-duplicate copies folded; %d rows are exact copies of '
                     'another (same words); %d ids restored to voix\'s memberships from copies'
                     % (c['read'], c['analysed'], c['duplicates'], r['exact_copies'], r['restored']))
        mk = ', '.join('`%s`' % k for k in r['main'])
        lines.append('- main topics: %s%s' % (mk, '' if r['main'] == r['largest'] else
                                              ' (marked in the reference; its four largest complaint topics are %s)'
                                              % ', '.join('`%s`' % k for k in r['largest'])))
        lines.append('')
        v = r['voix']
        lines.append('### voix topics against the reference\'s complaint topics')
        lines.append('')
        lines.append('Recovered main topics: **%d of 4**; complaint topics recovered: %d of %d (✔: F1 ≥ %.1f).%s'
                     % (v['score']['recovered_main'], v['score']['recovered'], len(v['score']['rows']), RECOVERED_F1,
                        '' if args.as_written else ' Without restoring copies: %d of 4 main.'
                        % v['recovered_main_written']))
        lines.append('')
        side_table(lines, v['score'], v['sujet'], 'voix')
        lines.append('### voix strengths against the reference\'s praise topics')
        lines.append('')
        if not v['score_pf']['rows']:
            lines.append('The reference has no praise topic.')
            lines.append('')
        elif not v['point_fort']:
            lines.append('voix shows no strength for this corpus.')
            lines.append('')
        if v['score_pf']['rows'] or v['point_fort']:
            lines.append('Praise topics recovered: %d of %d.' % (v['score_pf']['recovered'], len(v['score_pf']['rows'])))
            lines.append('')
            side_table(lines, v['score_pf'], v['point_fort'], 'voix')
        lines.append('### Labels of voix')
        lines.append('')
        label_table(lines, [('sujet', m) for m in v['sujet']] + [('point_fort', m) for m in v['point_fort']])
        p = r['peer']
        if p is not None:
            lines.append('### scikit-learn peer')
            lines.append('')
            if 'error' in p:
                lines.append('Not scored: %s.' % p['error'])
                lines.append('')
            else:
                lines.append('Recovered main topics: **%d of 4**; complaint topics recovered: %d of %d. The peer has '
                             'no strengths; its feelings are those of the reference\'s rows; its labels are two '
                             'terms, not phrases, so the label checks say little about them.'
                             % (p['score']['recovered_main'], p['score']['recovered'], len(p['score']['rows'])))
                lines.append('')
                side_table(lines, p['score'], p['model'], 'peer')
                label_table(lines, [('sujet', m) for m in p['model']])
    lines += ['## Label checks', '', 'Automatic, by `judge_label()` in `bench/quality/agreement.py` '
              '(self-test: `bench/quality/test_agreement.py`):', '']
    doc = judge_label.__doc__.split('\n\n', 1)[1].strip()
    lines += [re.sub(r'^    ', '', line) for line in doc.splitlines()]
    lines.append('')
    return '\n'.join(lines)


def to_json(results):
    def clean(o):
        if isinstance(o, set):
            return len(o)
        if isinstance(o, dict):
            return {k: clean(v) for k, v in o.items() if k != 'written'}
        if isinstance(o, (list, tuple)):
            return [clean(v) for v in o]
        return o
    return clean(results)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('voix', help='the voix binary')
    ap.add_argument('--refs', default=os.path.join(HERE, 'reference'), help='folder of <name>/reference.json')
    ap.add_argument('--data', default=os.path.join(REPO, '..', 'shared', 'data'), help='where the corpora are')
    ap.add_argument('--out', default=os.path.join(REPO, 'bench', 'out', 'quality'), help='working files')
    ap.add_argument('--results', default=os.path.join(HERE, 'RESULTS.md'), help='the report')
    ap.add_argument('--peer', action='store_true', help='score the scikit-learn peer too')
    ap.add_argument('--commit', help='the voix commit (default: git rev-parse in the binary\'s folder)')
    ap.add_argument('--as-written', action='store_true', help='do not restore near-duplicate copies')
    args = ap.parse_args()
    args.voix = os.path.abspath(args.voix)
    if not os.access(args.voix, os.X_OK):
        raise SystemExit('%s is not an executable' % args.voix)
    if not os.path.isdir(args.refs):
        say('skipped: no reference folder %s' % args.refs)
        return 0
    if not os.path.isdir(args.data):
        say('skipped: the data folder %s is absent (the shared data sits beside the repository)' % args.data)
        return 0
    results, skipped = [], []
    for name in sorted(os.listdir(args.refs)):
        refdir = os.path.join(args.refs, name)
        path = os.path.join(refdir, 'reference.json')
        if not os.path.isfile(path):
            continue
        try:
            with open(path, encoding='utf-8') as f:
                ref = json.load(f)
        except (OSError, ValueError) as e:
            skipped.append((name, 'reference.json cannot be read (%s)' % e))
            say('%s: not scored: %s' % (name, e))
            continue
        results.append(evaluate(name, refdir, ref, args))
    if not results:
        raise SystemExit('no reference could be scored in %s' % args.refs)
    text = report(results, skipped, args)
    tmp = args.results + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, args.results)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'results.json'), 'w', encoding='utf-8') as f:
        json.dump(to_json(results), f, ensure_ascii=False, indent=1)
    say('report in %s' % args.results)
    return 0


if __name__ == '__main__':
    sys.exit(main())
