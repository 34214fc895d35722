#!/usr/bin/env python3
"""Precision/recall benchmark of the privacy stage (voix redact).

Generates identifiers of every category in the spellings people use (spaced,
dotted, +33, grouped IBANs, "Mme DUPONT"...), valid and with wrong checksums,
inserts each into a real sentence pair taken from ../shared/data (Services
Publics+ Description and Pôle emploi review_text), runs `voix redact` on the
whole set, and reports:
  - recall per category: the inserted value is gone (no token of it left)
    and, separately, replaced by the right placeholder;
  - near misses masked (values that must stay: 3949, "Monsieur le Maire"...);
  - masks in the original texts (counts only: real texts hold real names),
    and the share of their words that were masked.

Everything inserted is invented. The report prints counts, never text from
the real corpora, unless --show-original-masks is given (for a reviewer's
eyes only; never commit that output).

usage: recall.py [--voix build/voix] [--data ../shared/data] [--seed 1]
                 [--per-category 300] [--carriers 3000] [--show-original-masks N]
"""
import argparse
import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))

PH = {
    'email': '[EMAIL]', 'telephone': '[TÉLÉPHONE]', 'nir': '[NIR]', 'numero_fiscal': '[NUMÉRO FISCAL]',
    'iban': '[IBAN]', 'siren': '[SIREN]', 'siret': '[SIRET]', 'carte': '[CARTE]',
    'immatriculation': '[IMMATRICULATION]', 'numero_dossier': '[NUMÉRO DE DOSSIER]', 'nom': '[NOM]',
    'date_naissance': '[DATE DE NAISSANCE]', 'adresse': '[ADRESSE]',
}
CHECKSUM = {'nir', 'numero_fiscal', 'iban', 'siren', 'siret', 'carte'}
PH_RE = re.compile(r'\[(?:' + '|'.join(re.escape(p[1:-1]) for p in PH.values()) + r')\]')
TOKEN_RE = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿŒœ]+")

# Invented people and places.
FIRST = ['Julie', 'Paul', 'Annick', 'Sylvain', 'Léna', 'Jean-Pierre', 'Maëlle', 'Rémi', 'Chloé', 'Yanis',
         'Nadège', 'Hervé', 'Inès', 'Gaëtan', 'Solène', 'Mathis', 'Élodie', 'Karim', 'Agathe', 'Bastien']
LAST = ['Durandal', 'Lambrequin', 'Morvandeau', 'Kerbrat', 'Vasselin', 'Quentric', 'Ferrandi', 'Marchetti',
        'Bertillon', 'Hamelin', 'Castagnol', 'Pellerin', 'Rouvière', 'Garnache', 'Tallandier', 'Brizard',
        'Le Guennec', 'Audibert', 'Cazenave', 'Fourcade', 'Mallarmé-Roche', 'Chabrol', 'Sauvageot']
STREETS = ['des Lilas', 'Jean Jaurès', 'de la République', 'du Moulin', 'des Acacias', 'Victor Hugo',
           'de la Gare', 'du Général Leclerc', 'Pasteur', 'des Écoles', 'Saint-Exupéry', 'de Verdun']
STREET_TYPES = ['rue', 'avenue', 'boulevard', 'allée', 'impasse', 'chemin', 'place', 'route', 'quai', 'rue']
TOWNS = [('75011', 'Paris'), ('13001', 'Marseille'), ('69003', 'Lyon'), ('33000', 'Bordeaux'),
         ('59000', 'Lille'), ('44000', 'Nantes'), ('35000', 'Rennes'), ('97400', 'Saint-Denis')]
DOMAINS = ['gmail.com', 'orange.fr', 'laposte.net', 'free.fr', 'hotmail.fr', 'yahoo.fr', 'sfr.fr',
           'wanadoo.fr', 'outlook.com', 'exemple.gouv.fr']
MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre',
          'novembre', 'décembre']


def digits(r, n):
    return ''.join(r.choice('0123456789') for _ in range(n))


def luhn_digit(body):
    total = 0
    for i, c in enumerate(reversed(body)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            v -= 9 if v > 9 else 0
        total += v
    return str((10 - total % 10) % 10)


def group(s, sizes, sep=' '):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(x for x in out if x)


def fold_ascii(s):
    table = str.maketrans('àâäéèêëîïôöùûüçÉÈÊËÀÂÎÏÔÖÙÛÜÇ', 'aaaeeeeiioouuucEEEEAAIIOOUUUC')
    return s.translate(table).replace('ë', 'e').replace("'", '').replace(' ', '')


# ---- generators: each returns (value, before, after); expect masked -------

def gen_email(r):
    f, l = r.choice(FIRST), r.choice(LAST)
    f, l = fold_ascii(f).lower(), fold_ascii(l).lower()
    local = r.choice([f'{f}.{l}', f'{f[0]}.{l}{r.randint(1, 99)}', f'{f}_{l}', f'{l}.{f}', f'{f}{l}{r.randint(1950, 2005)}',
                      f'{f.capitalize()}.{l.upper()}'])
    v = f'{local}@{r.choice(DOMAINS)}'
    if r.random() < 0.1:
        v = v.replace('@', ' (at) ')
    return v, r.choice(['Écrivez-moi à ', 'mon mail : ', 'contact ', 'mon adresse est ']), r.choice(['.', ' merci', ''])


def gen_phone(r):
    n = '0' + r.choice('1234567679') + digits(r, 8)
    f = r.randrange(12)
    if f == 10:
        v = group(n, [2, 2, 2, 2, 2], '/')
    elif f == 11:
        v = group(n, [2, 2, 2, 2, 2], '  ')
    elif f == 0:
        v = group(n, [2, 2, 2, 2, 2])
    elif f == 1:
        v = n
    elif f == 2:
        v = group(n, [2, 2, 2, 2, 2], '.')
    elif f == 3:
        v = group(n, [2, 2, 2, 2, 2], '-')
    elif f == 4:
        v = '+33 ' + group(n[1:], [1, 2, 2, 2, 2])
    elif f == 5:
        v = '+33' + n[1:]
    elif f == 6:
        v = '0033 ' + group(n[1:], [1, 2, 2, 2, 2])
    elif f == 7:
        v = '+33 (0)' + group(n[1:], [1, 2, 2, 2, 2])
    elif f == 8:
        v = r.choice(['0262 ', '0590 ', '0596 ', '0594 ']) + group(digits(r, 6), [2, 2, 2])
    else:
        v = r.choice(['+262 692 ', '+590 690 ', '+596 696 ']) + group(digits(r, 6), [2, 2, 2])
    return v, r.choice(['mon numéro : ', 'appelez-moi au ', 'tél. ', 'joignable au ']), r.choice(['.', ' svp', ''])


def nir_body(r):
    sex = r.choice('12')
    yy = '%02d' % r.randint(0, 99)
    mm = '%02d' % r.randint(1, 12)
    dept = r.choice(['%02d' % r.randint(1, 95), '2A', '2B', '97' + r.choice('1234')])
    if len(dept) == 3:
        comm = '%02d' % r.randint(1, 90)
    else:
        comm = '%03d' % r.randint(1, 990)
    order = '%03d' % r.randint(1, 999)
    return sex + yy + mm + dept + comm + order


def nir_key(body):
    num = body.replace('2A', '19').replace('2B', '18')
    return '%02d' % (97 - int(num) % 97)


def spell_nir(r, s):
    f = r.randrange(4)
    if f == 0:
        return s
    if f == 1:
        return group(s, [1, 2, 2, 2, 3, 3, 2])
    if f == 2:
        return s[:13] + ' ' + s[13:]
    return group(s, [1, 2, 2, 2, 3, 3], ' ') + ' - ' + s[13:] if False else group(s, [1, 2, 2, 2, 3, 3, 2], '.')


def gen_nir(r):
    b = nir_body(r)
    return spell_nir(r, b + nir_key(b)), r.choice(['mon numéro de sécu ', 'NIR : ', 'numéro de sécurité sociale ']), r.choice(['.', ''])


def gen_nir_bad_key(r):
    b = nir_body(r)
    k = nir_key(b)
    bad = '%02d' % ((int(k) + r.randint(1, 90)) % 97 + 1)
    if bad == k:
        bad = '%02d' % (int(k) % 97 + 1)
    return spell_nir(r, b + bad), 'sécu ', '.'


def fiscal(r):
    while True:
        head = r.choice('0123') + digits(r, 9)
        return head + '%03d' % (int(head) % 511)


def gen_fiscal(r):
    s = fiscal(r)
    v = s if r.random() < 0.5 else group(s, [2, 2, 3, 3, 3])
    return v, r.choice(['numéro fiscal ', 'mon numéro fiscal est le ', 'SPI : ']), '.'


def iban_from(cc, bban):
    num = ''.join(str(int(c, 36)) for c in bban + cc + '00')
    return cc + '%02d' % (98 - int(num) % 97) + bban


def rib_key(bank, branch, account):
    table = {c: str(d) for d, cs in [(1, 'AJ'), (2, 'BKS'), (3, 'CLT'), (4, 'DMU'), (5, 'ENV'), (6, 'FOW'),
                                     (7, 'GPX'), (8, 'HQY'), (9, 'IRZ')] for c in cs}
    acc = ''.join(table.get(c, c) for c in account)
    return '%02d' % (97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acc)) % 97)


def fr_rib(r):
    bank, branch = digits(r, 5), digits(r, 5)
    account = digits(r, 10) + r.choice('0123456789ABCDEF')
    return bank, branch, account, rib_key(bank, branch, account)


def gen_iban(r):
    f = r.randrange(6)
    if f <= 2:
        bank, branch, account, key = fr_rib(r)
        s = iban_from('FR', bank + branch + account + key)
    elif f == 3:
        s = iban_from('DE', digits(r, 18))
    elif f == 4:
        s = iban_from(r.choice(['BE', 'ES', 'IT']), '')  # placeholder, replaced below
        cc = s[:2]
        s = iban_from(cc, digits(r, {'BE': 12, 'ES': 20}.get(cc, 0)) if cc != 'IT' else
                      r.choice('ABCDEFGHJ') + digits(r, 22))
    else:
        bank, branch, account, key = fr_rib(r)
        v = f'{bank} {branch} {account} {key}' if r.random() < 0.7 else bank + branch + account + key
        return v, r.choice(['mon RIB : ', 'RIB ']), '.'
    g = r.randrange(4)
    if g == 3 and s.startswith('FR'):
        v = group(s, [4, 5, 5, 11, 2])
    else:
        v = group(s, [4] * 8) if g == 0 else s if g == 1 else group(s, [4] * 8).lower()
    return v, r.choice(['IBAN : ', 'mon IBAN est ', 'sur le compte ']), r.choice(['.', ''])


def siren(r):
    body = r.choice('123456789') + digits(r, 7)
    return body + luhn_digit(body)


def gen_siren(r):
    s = siren(r)
    return (s if r.random() < 0.5 else group(s, [3, 3, 3])), r.choice(['SIREN ', 'mon entreprise (SIREN ']), r.choice(['.', ')'])


def gen_siret(r):
    body = siren(r) + digits(r, 4)
    s = body + luhn_digit(body)
    f = r.randrange(3)
    v = s if f == 0 else group(s, [3, 3, 3, 5]) if f == 1 else s[:9] + ' ' + s[9:]
    return v, r.choice(['SIRET ', 'n° SIRET : ']), '.'


def gen_card(r):
    f = r.randrange(4)
    if f == 3:
        body = r.choice(['34', '37']) + digits(r, 12)
        s = body + luhn_digit(body)
        return group(s, [4, 6, 5]), 'carte American Express ', '.'
    prefix = r.choice(['4', '51', '52', '53', '54', '55', '4970'])
    body = prefix + digits(r, 15 - len(prefix))
    s = body + luhn_digit(body)
    v = group(s, [4, 4, 4, 4]) if f == 0 else s if f == 1 else group(s, [4, 4, 4, 4], '-')
    return v, r.choice(['ma carte bancaire ', 'carte n° ', 'débité sur la carte ']), '.'


PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTVWXYZ'


def gen_plate(r):
    f = r.randrange(5)
    if f <= 2:
        a = ''.join(r.choice(PLATE_LETTERS) for _ in range(2))
        b = ''.join(r.choice(PLATE_LETTERS) for _ in range(2))
        n = '%03d' % r.randint(1, 999)
        sep = ['-', ' ', ''][f]
        v = f'{a}{sep}{n}{sep}{b}'
    else:
        letters = ''.join(r.choice('ABCDEFGHJKLMNPRSTVWXYZ') for _ in range(r.choice([2, 3])))
        while letters in ('CDD', 'CDI', 'RSA', 'ARE', 'APL', 'CAF', 'MSA', 'CPF', 'RDV', 'TGV', 'RER', 'BTS'):
            letters = 'KZ'
        v = f'{r.randint(1, 9999)} {letters} {r.choice(["75", "13", "69", "2A", "33", "59", "974"])}'
    return v, r.choice(['immatriculée ', 'ma voiture ', 'carte grise du véhicule ']), r.choice(['.', ''])


def gen_case(r):
    f = r.randrange(6)
    if f == 0:
        return digits(r, 7), 'mon numéro allocataire est ', '.'
    if f == 1:
        return digits(r, 7), 'n° CAF : ', ''
    if f == 2:
        return digits(r, 7) + r.choice('ABCDEFGHJKLMNPRSTUVWXYZ'), 'mon identifiant France Travail est ', '.'
    if f == 3:
        return f'{r.randint(2019, 2024)}-{digits(r, 6)}', 'dossier n° ', ' en attente'
    if f == 4:
        return digits(r, 8), 'numéro de demande ', '.'
    return digits(r, 8), 'MSA, numéro d\'allocataire ', '.'


def person(r):
    f = r.randrange(6)
    if f == 5:
        return fold_ascii(r.choice(LAST)).lower()
    first, last = r.choice(FIRST), r.choice(LAST)
    if f == 0:
        return last
    if f == 1:
        return f'{first} {last}'
    if f == 2:
        return last.upper()
    if f == 3:
        return f'{last.upper()} {first}'
    return f'{last}-{r.choice(LAST).split()[-1]}'


def gen_name(r):
    f = r.randrange(12)
    civ = r.choice(['Mme ', 'M. ', 'Madame ', 'Monsieur ', 'Mlle ', 'Mr ', 'madame ', 'monsieur ', 'Mme. '])
    if f <= 4:
        return person(r), 'Merci à ' + civ, r.choice([' pour son aide.', ', très à l\'écoute.', '.'])
    if f == 5:
        return f'{r.choice(FIRST)} {r.choice(LAST)}', 'mon conseiller ', ' ne répond jamais.'
    if f == 6:
        return f'{r.choice(FIRST)} {r.choice(LAST)}', 'mon conseiller ( ', ' ) est top.'
    if f == 7:
        return r.choice(LAST), 'ma conseillère Mme ', ' est absente.'
    if f == 8:
        return r.choice(LAST), "l'agent ", " m'a reçu."
    if f == 9:
        return f'{r.choice(FIRST)} {r.choice(LAST)}', "Bonjour, je m'appelle ", ' et je vous écris.'
    if f == 10:
        return r.choice(FIRST), 'ma conseillère ', ' est super.'
    return person(r), 'rendez-vous avec ' + civ, ' ce matin.'


def gen_signature(r):
    return f'{r.choice(FIRST)} {r.choice(LAST)}', r.choice(['Cordialement,\n', 'Bien cordialement\n', 'Cordialement ']), ''


def gen_birthdate(r):
    y, m = r.randint(1940, 2005), r.randint(1, 12)
    d = r.randint(1, 28)
    f = r.randrange(5)
    if f == 0:
        return f'{d:02d}/{m:02d}/{y}', r.choice(['je suis né le ', 'née le ']), '.'
    if f == 1:
        return f'{d} {MONTHS[m - 1]} {y}', r.choice(['née le ', 'né le ']), ' à Lyon.'
    if f == 2:
        return f'{d:02d}.{m:02d}.{y}', 'date de naissance : ', ''
    if f == 3:
        return f'1er {MONTHS[m - 1]} {y}', 'né(e) le ', '.'
    return f'{y}-{m:02d}-{d:02d}', 'Date de naissance ', '.'


def gen_address(r):
    n = str(r.randint(1, 250)) + r.choice(['', '', '', ' bis', ' ter', 'b'])
    t = r.choice(STREET_TYPES)
    street = r.choice(STREETS)
    v = f'{n} {t} {street}'
    f = r.randrange(3)
    if f == 1:
        cp, town = r.choice(TOWNS)
        v += f', {cp} {town}'
    elif f == 2:
        v = f'{n}, {t} {street}'
    return v, r.choice(["j'habite au ", 'mon adresse : ', 'domicile : ', 'courrier envoyé au ']), r.choice(['.', ' depuis 2019.'])


GENERATORS = [
    ('email', 'email', gen_email), ('telephone', 'telephone', gen_phone), ('nir', 'nir', gen_nir),
    ('nir (clé fausse)', 'nir', gen_nir_bad_key), ('numero_fiscal', 'numero_fiscal', gen_fiscal),
    ('iban / rib', 'iban', gen_iban), ('siren', 'siren', gen_siren), ('siret', 'siret', gen_siret),
    ('carte', 'carte', gen_card), ('immatriculation', 'immatriculation', gen_plate),
    ('numero_dossier', 'numero_dossier', gen_case), ('nom', 'nom', gen_name),
    ('nom (signature)', 'nom', gen_signature), ('date_naissance', 'date_naissance', gen_birthdate),
    ('adresse', 'adresse', gen_address),
]


# ---- near misses: must stay --------------------------------------------------

def near_misses(r):
    out = []
    for _ in range(40):
        b = siren(r)
        bad = b[:-1] + str((int(b[-1]) + r.randint(1, 9)) % 10)
        out.append(('SIREN à clé fausse', bad, 'SIREN ', '.'))
        f = fiscal(r)
        out.append(('numéro fiscal à clé fausse', f[:-1] + str((int(f[-1]) + 1) % 10), 'numéro fiscal ', '.'))
        body = '4' + digits(r, 14)
        good = luhn_digit(body)
        out.append(('carte à clé fausse', group(body + str((int(good) + 1) % 10), [4, 4, 4, 4]), 'carte ', '.'))
        out.append(('numéro de 15 chiffres mal formé', r.choice('569') + digits(r, 14), 'commande ', ' livrée.'))
        out.append(('numéro de 15 chiffres mal formé', '1' + digits(r, 2) + '45' + digits(r, 10), 'commande n° ', '.'))
        out.append(('numéro court de service public', r.choice(['3949', '3939', '3646', '3960', '3230']), "j'ai appelé le ", '.'))
        out.append(('numéro 08', r.choice(['0800 ', '0806 ', '0809 ', '0892 ']) + group(digits(r, 6), [3, 3]), 'numéro vert ', '.'))
        out.append(('titre', r.choice(['Monsieur le Maire', 'Madame la Préfète', 'Monsieur le Directeur',
                                       'Madame la Directrice', 'Monsieur le Président']), 'Merci à ', ' pour sa réponse.'))
        out.append(('institution', r.choice(['France Travail', 'Pôle emploi', 'la CAF', 'la CPAM', 'Madame, Monsieur']),
                    'Bonjour ', ', je vous écris.'))
        out.append(('date sans contexte', f'{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(2019, 2024)}',
                    'rendez-vous le ', '.'))
        out.append(('date de naissance impossible', f'{r.choice([30, 31])}/02/{r.randint(1950, 2000)}', 'né le ', '.'))
        out.append(('montant', f'{r.randint(1, 99)} {r.randint(100, 999)} €', 'une demande de ', '.'))
        out.append(('quantité', f'{r.randint(2, 9)} {r.choice(["places", "cours", "passages"])}', 'il reste ', ' libres.'))
    return out


# ---- corpus -----------------------------------------------------------------

def real_sentences(data):
    texts = []
    with open(os.path.join(data, 'sp-plus-2023-sample', 'experiences.csv'), encoding='utf-8', errors='replace') as f:
        texts += [x['Description'] for x in csv.DictReader(f)]
    with open(os.path.join(data, 'google-reviews-pole-emploi', 'reviews.csv'), encoding='utf-8') as f:
        texts += [x['review_text'] for x in csv.DictReader(f)]
    out = []
    for t in texts:
        for s in re.split(r'(?<=[.!?])\s+|\n+', t):
            s = s.strip()
            if 30 <= len(s) <= 250:
                out.append(s)
    return out


def tokens(s):
    return TOKEN_RE.findall(s)


def leaked(value, middle, context):
    """Tokens of the inserted value still in the output around it (those that
    the surrounding context also has do not count)."""
    left = set(tokens(PH_RE.sub(' ', middle)))
    ctx = set(tokens(context))
    return [t for t in tokens(value) if t in left and t not in ctx]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--voix', default=os.path.join(REPO, 'build', 'voix'))
    ap.add_argument('--data', default=os.path.join(REPO, '..', 'shared', 'data'))
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--per-category', type=int, default=300)
    ap.add_argument('--carriers', type=int, default=3000)
    ap.add_argument('--show-misses', action='store_true',
                    help='print the invented values that were missed or near misses that were masked')
    ap.add_argument('--show-original-masks', type=int, default=0, metavar='N',
                    help='print N masked spans of the original texts (reviewer only: real names)')
    args = ap.parse_args()
    if not os.path.isdir(args.data):
        print(f'recall.py: no shared data at {args.data}', file=sys.stderr)
        return 77
    r = random.Random(args.seed)
    sents = real_sentences(args.data)
    carriers = r.sample(sents, min(args.carriers, len(sents)))

    rows = []  # (id, text)
    clean_ids = {}
    for i, s in enumerate(carriers):
        clean_ids[s] = f'c{i}'
        rows.append((f'c{i}', s))
    items = []  # (label, kind, value, before, after, a, b, id)
    for label, kind, gen in GENERATORS:
        for k in range(args.per_category):
            value, before, after = gen(r)
            a = r.choice(carriers)
            b = '' if label == 'nom (signature)' else r.choice(carriers)
            if label == 'nom (signature)':
                before = '\n' + before if r.random() < 0.5 else ' ' + before
            rid = f'i{len(items)}'
            items.append((label, kind, value, before, after, a, b, rid))
    nm = []
    for label, value, before, after in near_misses(r):
        a, b = r.choice(carriers), r.choice(carriers)
        rid = f'n{len(nm)}'
        nm.append((label, value, before, after, a, b, rid))

    def compose(a, before, value, after, b):
        text = a + ' ' + before + value + after
        return text + (' ' + b if b else '')

    for label, kind, value, before, after, a, b, rid in items:
        rows.append((rid, compose(a, before, value, after, b)))
    for label, value, before, after, a, b, rid in nm:
        rows.append((rid, compose(a, before, value, after, b)))

    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, 'in.csv'), os.path.join(tmp, 'out.csv')
        with open(src, 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f, delimiter=';')
            w.writerow(['id', 'texte'])
            w.writerows(rows)
        t0 = time.perf_counter()
        p = subprocess.run([args.voix, 'redact', src, '-o', dst], capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if p.returncode != 0:
            print(f'voix redact failed ({p.returncode}): {p.stderr}', file=sys.stderr)
            return 1
        with open(dst, encoding='utf-8', newline='') as f:
            out = {row[0]: row[1] for row in list(csv.reader(f, delimiter=';'))[1:]}

    masked = {s: out[clean_ids[s]] for s in carriers}

    # recall
    stats = {}
    for label, kind, value, before, after, a, b, rid in items:
        res = out[rid]
        ma, mb = masked[a], masked[b] if b else ''
        head, tail = ma + ' ', (' ' + mb) if b else ''
        if res.startswith(head) and res.endswith(tail):
            middle = res[len(head):len(res) - len(tail)]
            context = before + after
        else:  # the insertion changed how a carrier was masked
            middle, context = res, a + ' ' + b + ' ' + before + after
        st = stats.setdefault(label, [0, 0, 0, kind])
        st[0] += 1
        if not leaked(value, middle, context):
            st[1] += 1
            if PH[kind] in middle:
                st[2] += 1
        elif args.show_misses and context == before + after:
            print(f'MISSED {label}: {before + value + after!r} -> {middle!r}', file=sys.stderr)

    # near misses
    nm_stats = {}
    for label, value, before, after, a, b, rid in nm:
        res = out[rid]
        ma, mb = masked[a], masked[b]
        middle = res[len(ma) + 1:len(res) - len(mb) - 1] if res.startswith(ma + ' ') and res.endswith(' ' + mb) else res
        st = nm_stats.setdefault(label, [0, 0])
        st[0] += 1
        if middle != before + value + after:
            st[1] += 1
            if args.show_misses and res.startswith(ma + ' '):
                print(f'MASKED {label}: {before + value + after!r} -> {middle!r}', file=sys.stderr)

    # original texts
    words = masked_words = spans = 0
    per_kind = {}
    shown = 0
    for s in carriers:
        m = masked[s]
        tw = tokens(s)
        words += len(tw)
        if m == s:
            continue
        left = {}
        for t in tokens(PH_RE.sub(' ', m)):
            left[t] = left.get(t, 0) + 1
        for t in tw:
            if left.get(t, 0) > 0:
                left[t] -= 1
            else:
                masked_words += 1
        for ph in PH_RE.findall(m):
            key = next(k for k, v in PH.items() if v == ph)
            per_kind[key] = per_kind.get(key, 0) + 1
            spans += 1
        if shown < args.show_original_masks:
            print('ORIGINAL:', s, '\nMASKED:  ', m, file=sys.stderr)
            shown += 1

    total = sum(v[0] for v in stats.values())
    found = sum(v[1] for v in stats.values())
    print(f'voix redact on {len(rows)} rows: {elapsed:.2f} s (seed {args.seed})')
    print(f'\n{"category":28} {"items":>6} {"masked":>7} {"recall":>8} {"right placeholder":>18}')
    for label, kind, _ in GENERATORS:
        n, hit, exact, _k = stats[label]
        flag = ' (checksum)' if kind in CHECKSUM else ''
        print(f'{label + flag:28} {n:6d} {hit:7d} {100.0 * hit / n:7.1f}% {100.0 * exact / n:17.1f}%')
    print(f'{"all":28} {total:6d} {found:7d} {100.0 * found / total:7.1f}%')
    chk = [v for v in stats.values() if v[3] in CHECKSUM]
    print(f'{"checksum categories":28} {sum(v[0] for v in chk):6d} {sum(v[1] for v in chk):7d} '
          f'{100.0 * sum(v[1] for v in chk) / sum(v[0] for v in chk):7.1f}%')
    print(f'\n{"near miss (must stay)":32} {"items":>6} {"masked":>7}')
    for label, (n, bad) in nm_stats.items():
        print(f'{label:32} {n:6d} {bad:7d}')
    print(f'{"all near misses":32} {sum(v[0] for v in nm_stats.values()):6d} {sum(v[1] for v in nm_stats.values()):7d}')
    print(f'\nmasked in original text: {spans} spans in {len(carriers)} real sentences, '
          f'{masked_words} of {words} words ({100.0 * masked_words / max(words, 1):.3f} %)')
    for k in PH:
        if per_kind.get(k):
            print(f'  {k:20} {per_kind[k]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
