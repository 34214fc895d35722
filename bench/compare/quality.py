#!/usr/bin/env python3
"""Quality figures of topic systems on one corpus: the same code and definitions for voix and its peers.

usage: quality.py --corpus FULL.csv --system NAME KIND FULL.json [RESAMPLE.json ...] [--system ...]
                  [--json OUT.json]

KIND is `voix` (FULL.json is the JSON of `voix note`, schema voix.note/1) or `peer` (the JSON of
bench/peers/peer_sklearn.py or peer_gensim.py). RESAMPLE.json are runs of the same system on seeded 90 %
resamples of the corpus (bench/compare/resample.py). Prints a Markdown table; --json writes every value,
per topic. Standard library only.

Definitions (identical for every system):

- Documents: every CSV row whose Titre + ' ' + Description is not empty after stripping (as the peers read
  it). N is their number. The CSV is read as voix reads it: UTF-8 (with or without BOM), else
  Windows-1252; ';' or ',' separated.
- Tokens, for all systems: re.findall(r"\\w+", text.lower()) (no stemming, accents kept). A term (one word
  or several: a bigram "prise rendez", a phrase of voix) occurs in a document when ALL its tokens occur in
  the document's token set. Tokens of one character in a term are ignored ("l" of "l'accueil"); a term with
  no token left is ignored (dropped from its topic's list before the top 10 or 25 are taken).
- Topics of a system: voix: `topics` of the note (the shown topics; their `terms` and `label`); peer: all
  its `topics`. For a peer, a second row "<name>, 4 largest" takes the 4 topics with the largest `count`
  (voix shows 4), so that the comparison can be read both ways.
- NPMI of a topic: the mean, over all pairs (i < j) of its top 10 terms, of
  log(p(x,y) / (p(x) p(y))) / -log p(x,y), with p(x) = df(x)/N and p(x,y) = df(x,y)/N (document
  frequencies; df(x,y): documents where both terms occur). When df(x,y) = 0 the pair counts -1 (the
  standard convention), which includes every pair with a term of df 0; a pair present in every document
  (p(x,y) = 1) counts 1. A system's NPMI is the mean over its topics (min..max over topics shown).
- NPMI, nested pairs apart (shown beside NPMI, for reading only; the targets use NPMI): the same mean
  without the pairs where the tokens of one term are all tokens of the other ("pôle emploi" and
  "emploi"): such a pair co-occurs wherever the longer term occurs, whatever the topic.
- Diversity: distinct terms (lowercased strings) among the top 25 terms of all topics, divided by the
  number of terms looked at (25 * K when every topic has at least 25 terms; a topic with fewer terms, as
  voix before --terms 25, contributes what it has).
- Coverage: voix: `method.coverage` (share of the distinct analysed experiences in at least one shown
  topic, as voix defines it; `counts.analysed` is given beside it); peer: `assigned / rows` (one topic per
  document: the argmax); "4 largest": the sum of the 4 largest `count` / `rows`.
- Stability: for each resample run R and each topic T of the full run, the best Jaccard similarity of T's
  top-10 term set (lowercased strings) with the top-10 term sets of R's topics (R's topics taken as in the
  same row: voix's shown topics, all the peer's topics, or its 4 largest); mean over T, then mean over the
  runs (the smallest run mean is given too). "n/a" without resamples.
- Faithfulness (voix only; the peers give no quotes: "—"): every verbatim of every topic and strength is
  looked up by `experience_id` (the column "ID expérience"), field `text` = Description or `title` =
  Titre; the field is encoded in UTF-8, sliced [start:end] and decoded. The quote matches when it equals
  the verbatim text or, when the verbatim contains mask tokens (\\[[A-ZÉÈÀÙÂÊÎÔÛÇ' ]+\\], e.g. [NOM]),
  when the regular expression made of its escaped literal parts with each mask token replaced by .+?
  matches the whole span. The field is taken as written and, when that fails and the field holds C1
  control characters, as voix documents reading it (C1 characters mapped through Windows-1252,
  docs/reading.md); such matches are counted apart. Share matched; failures listed.
- Readable labels: share of topic labels that occur as a phrase in at least 5 documents (lowercased,
  white space collapsed, a substring of the lowercased, white-space-collapsed document text on word
  boundaries). voix: `label`. Peers have no labels: by the usual convention of topic tools, a peer topic
  is labelled by its top 3 terms joined by a space.
"""
import argparse
import csv
import io
import json
import math
import re
import sys

csv.field_size_limit(10**9)

TOKEN_RE = re.compile(r'\w+')
MASK_RE = re.compile(r"\[[A-ZÉÈÀÙÂÊÎÔÛÇ' ]+\]")
C1_RE = re.compile('[\x80-\x9f]')
NPMI_TERMS = 10          # top terms per topic for NPMI and stability
DIVERSITY_TERMS = 25     # top terms per topic for diversity
LARGEST = 4              # voix shows 4 topics: the peers' "4 largest" row
LABEL_MIN_DOCS = 5       # a readable label occurs in at least this many documents
PEER_LABEL_TERMS = 3     # a peer topic is labelled by its top 3 terms
ID_COLUMN = 'ID expérience'
FIELDS = {'text': 'Description', 'title': 'Titre'}


# ---------------------------------------------------------------- corpus

def decode_file(data):
    """Bytes of a CSV file -> text as voix reads it: UTF-8 (BOM dropped), else Windows-1252 with the
    bytes the code page leaves undefined kept as C1 code points (latin-1, then the C1 repair)."""
    if data.startswith(b'\xef\xbb\xbf'):
        data = data[3:]
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        return repair_c1(data.decode('latin-1'))


def repair_c1(s):
    """Maps C1 control characters U+0080..U+009F through Windows-1252 (U+0092 -> ’), as voix does when it
    reads; the five bytes Windows-1252 leaves undefined stay as they are."""
    def one(m):
        c = m.group(0)
        try:
            return bytes([ord(c)]).decode('cp1252')
        except UnicodeDecodeError:
            return c
    return C1_RE.sub(one, s)


class Corpus:
    """The documents of a CSV (see the module doc) and, by experience id, the title and description."""

    def __init__(self, texts, fields):
        self.texts = texts      # documents: Titre + ' ' + Description, stripped, non-empty
        self.fields = fields    # experience id -> {'title': Titre, 'text': Description}, as written

    @property
    def n(self):
        return len(self.texts)


def read_corpus(path):
    """Reads the CSV at path; returns a Corpus."""
    with open(path, 'rb') as f:
        text = decode_file(f.read())
    head = text[:text.find('\n')] if '\n' in text else text
    delim = ';' if head.count(';') > head.count(',') else ','
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=delim)
    header = next(reader, [])
    col = {name.strip(): i for i, name in enumerate(header)}
    it, ide, ides = col.get('Titre'), col.get('Description'), col.get(ID_COLUMN)
    texts, fields = [], {}

    def cell(row, i):
        return row[i] if i is not None and i < len(row) else ''

    for row in reader:
        if not row:
            continue
        title, desc = cell(row, it), cell(row, ide)
        doc = (title + ' ' + desc).strip()
        if doc:
            texts.append(doc)
        eid = cell(row, ides).strip()
        if eid:
            fields[eid] = {'title': title, 'text': desc}
    return Corpus(texts, fields)


def term_tokens(term):
    """The tokens of a term used for matching: \\w+ runs of its lowercased text, one-character ones left
    out. An empty list means the term is ignored."""
    return [t for t in TOKEN_RE.findall(term.lower()) if len(t) > 1]


def clean_terms(terms):
    """The terms of a topic that are not ignored, in order."""
    return [t for t in terms if term_tokens(t)]


def popcount(x):
    return x.bit_count() if hasattr(x, 'bit_count') else bin(x).count('1')


class Index:
    """Document sets (Python ints used as bitsets, bit i = document i) of the tokens asked for."""

    def __init__(self, corpus, tokens):
        self.n = corpus.n
        want = set(tokens)
        postings = {t: [] for t in want}
        for i, doc in enumerate(corpus.texts):
            for t in want.intersection(TOKEN_RE.findall(doc.lower())):
                postings[t].append(i)
        nbytes = (self.n + 7) // 8
        self.bits = {}
        for t, ids in postings.items():
            ba = bytearray(nbytes)
            for i in ids:
                ba[i >> 3] |= 1 << (i & 7)
            self.bits[t] = int.from_bytes(ba, 'little')
        self.all = (1 << self.n) - 1

    def docs_of_tokens(self, tokens):
        """Bitset of the documents holding every token in tokens (all documents for none)."""
        acc = self.all
        for t in tokens:
            acc &= self.bits.get(t, 0)
            if not acc:
                break
        return acc

    def docs(self, term):
        """Bitset of the documents where the term occurs."""
        return self.docs_of_tokens(term_tokens(term))

    def df(self, term):
        return popcount(self.docs(term))


def ids_of_bits(x):
    """Document numbers set in bitset x, ascending."""
    out = []
    data = x.to_bytes((x.bit_length() + 7) // 8, 'little')
    for k, byte in enumerate(data):
        while byte:
            low = byte & -byte
            out.append(8 * k + low.bit_length() - 1)
            byte ^= low
    return out


# ---------------------------------------------------------------- measures

def npmi(df_x, df_y, df_xy, n):
    """NPMI of two terms from their document frequencies among n documents; -1 when they never co-occur
    (including a term of df 0); 1 when they co-occur in every document."""
    if df_xy == 0 or df_x == 0 or df_y == 0:
        return -1.0
    if df_xy == n:
        return 1.0
    p_x, p_y, p_xy = df_x / n, df_y / n, df_xy / n
    return math.log(p_xy / (p_x * p_y)) / -math.log(p_xy)


def topic_npmi(index, terms):
    """(mean NPMI over the pairs of the first NPMI_TERMS terms, the per-pair values as (x, y, npmi),
    the df of each term). The mean is None when there are fewer than 2 terms."""
    top = clean_terms(terms)[:NPMI_TERMS]
    sets = [index.docs(t) for t in top]
    dfs = [popcount(s) for s in sets]
    pairs = []
    for i in range(len(top)):
        for j in range(i + 1, len(top)):
            pairs.append((top[i], top[j], npmi(dfs[i], dfs[j], popcount(sets[i] & sets[j]), index.n)))
    mean = sum(p[2] for p in pairs) / len(pairs) if pairs else None
    return mean, pairs, dict(zip(top, dfs))


def nested(x, y):
    """True when the tokens of one term are all tokens of the other."""
    a, b = set(term_tokens(x)), set(term_tokens(y))
    return a <= b or b <= a


def unnested_mean(pairs):
    """Mean NPMI of the pairs that are not nested; None when none is left."""
    kept = [v for x, y, v in pairs if not nested(x, y)]
    return sum(kept) / len(kept) if kept else None


def diversity(topics_terms):
    """Distinct lowercased terms among the first DIVERSITY_TERMS of each topic / the terms looked at."""
    seen, total = set(), 0
    for terms in topics_terms:
        top = clean_terms(terms)[:DIVERSITY_TERMS]
        total += len(top)
        seen.update(t.lower() for t in top)
    return len(seen) / total if total else None


def top_set(terms):
    return {t.lower() for t in clean_terms(terms)[:NPMI_TERMS]}


def jaccard(a, b):
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def stability(full_topics_terms, runs_topics_terms):
    """(mean over runs, min over runs, per run [per-topic best Jaccard]); (None, None, []) without runs.

    For each run and each topic of the full run: the best Jaccard of its top-10 term set with those of
    the run's topics; the run's value is the mean over the full run's topics."""
    per_run = []
    for run in runs_topics_terms:
        sets = [top_set(t) for t in run]
        per_run.append([max((jaccard(top_set(t), s) for s in sets), default=0.0) for t in full_topics_terms])
    means = [sum(r) / len(r) for r in per_run if r]
    if not means:
        return None, None, per_run
    return sum(means) / len(means), min(means), per_run


def quote_pattern(verbatim):
    """The regular expression a quote with mask tokens must fullmatch: escaped literal parts, each mask
    token replaced by .+?; None when the verbatim has no mask token."""
    parts = MASK_RE.split(verbatim)
    if len(parts) == 1:
        return None
    return re.compile('.+?'.join(re.escape(p) for p in parts), re.DOTALL)


def quote_matches(verbatim, span):
    """True when span (the text at the quoted offsets) is the verbatim, its mask tokens standing for
    any non-empty text."""
    if span == verbatim:
        return True
    pat = quote_pattern(verbatim)
    return bool(pat and pat.fullmatch(span))


def span_of(field_text, start, end):
    """field_text encoded in UTF-8, sliced [start:end], decoded (None when the offsets are out of range or
    cut a character)."""
    b = field_text.encode('utf-8')
    if not (0 <= start <= end <= len(b)):
        return None
    try:
        return b[start:end].decode('utf-8')
    except UnicodeDecodeError:
        return None


def faithfulness(corpus, verbatims):
    """verbatims: dicts with experience_id, field, start, end, text (and where: the topic it belongs to).
    Returns {'total', 'matched', 'matched_c1_repaired', 'share', 'failures': [...]}."""
    matched = matched_c1 = 0
    failures = []
    for v in verbatims:
        rec = corpus.fields.get(v['experience_id'])
        why = None
        if rec is None:
            why = 'experience not found'
        elif v['field'] not in FIELDS:
            why = f"unknown field {v['field']!r}"
        else:
            raw = rec[v['field']]
            span = span_of(raw, v['start'], v['end'])
            if span is not None and quote_matches(v['text'], span):
                matched += 1
                continue
            if C1_RE.search(raw):
                span2 = span_of(repair_c1(raw), v['start'], v['end'])
                if span2 is not None and quote_matches(v['text'], span2):
                    matched += 1
                    matched_c1 += 1
                    continue
                span = span2 if span2 is not None else span
            why = 'offsets out of range' if span is None else 'text differs'
            v = dict(v, span=span)
        failures.append({'where': v.get('where', ''), 'experience_id': v['experience_id'], 'field': v['field'],
                         'start': v['start'], 'end': v['end'], 'reason': why, 'verbatim': v['text'],
                         'span': v.get('span')})
    total = len(verbatims)
    return {'total': total, 'matched': matched, 'matched_c1_repaired': matched_c1,
            'share': matched / total if total else None, 'failures': failures}


def collapse(s):
    return ' '.join(s.lower().split())


def label_docs(corpus, index, label):
    """Documents where the label occurs as a phrase (see the module doc)."""
    phrase = collapse(label)
    if not phrase:
        return 0
    pat = re.compile(r'(?<!\w)' + re.escape(phrase) + r'(?!\w)')
    # Every \w run of the phrase is then a token of the document: the token index narrows the search.
    cand = index.docs_of_tokens(TOKEN_RE.findall(phrase))
    return sum(1 for i in ids_of_bits(cand) if pat.search(collapse(corpus.texts[i])))


def peer_label(terms):
    return ' '.join(clean_terms(terms)[:PEER_LABEL_TERMS])


# ---------------------------------------------------------------- systems

class Row:
    """One row of the table: a system's topics in a full run and in its resample runs."""

    def __init__(self, name, kind, full, runs, topics, runs_topics, coverage, coverage_note, labels,
                 label_kind, verbatims):
        self.name, self.kind, self.full, self.runs = name, kind, full, runs
        self.topics = topics               # list of term lists (full run)
        self.runs_topics = runs_topics     # per resample run: list of term lists
        self.coverage, self.coverage_note = coverage, coverage_note
        self.labels, self.label_kind = labels, label_kind
        self.verbatims = verbatims         # None: the system gives no quotes


def load_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def largest(topics, k=LARGEST):
    return sorted(topics, key=lambda t: -t['count'])[:k]


def rows_of_system(name, kind, full_path, run_paths):
    """The table rows of one --system argument."""
    full = load_json(full_path)
    runs = [load_json(p) for p in run_paths]
    if kind == 'voix':
        verbatims = []
        for part in ('topics', 'strengths'):
            for k, t in enumerate(full.get(part, []), 1):
                for v in t.get('verbatims', []):
                    verbatims.append(dict(v, where=f'{part}[{k}] {t.get("label", "")}'))
        analysed = full['counts']['analysed']
        return [Row(name, kind, full_path, run_paths, [t['terms'] for t in full['topics']],
                    [[t['terms'] for t in r['topics']] for r in runs], full['method']['coverage'],
                    f'of {analysed} analysed', [t['label'] for t in full['topics']], 'label', verbatims)]
    rows = full['rows']
    out = [Row(name, kind, full_path, run_paths, [t['terms'] for t in full['topics']],
               [[t['terms'] for t in r['topics']] for r in runs], full['assigned'] / rows if rows else None,
               f'{full["assigned"]} of {rows} rows assigned', [peer_label(t['terms']) for t in full['topics']],
               'top 3 terms', None)]
    big = largest(full['topics'])
    covered = sum(t['count'] for t in big)
    out.append(Row(f'{name}, {LARGEST} largest', kind, full_path, run_paths, [t['terms'] for t in big],
                   [[t['terms'] for t in largest(r['topics'])] for r in runs], covered / rows if rows else None,
                   f'{covered} of {rows} rows', [peer_label(t['terms']) for t in big], 'top 3 terms', None))
    return out


def evaluate(corpus, rows):
    """Computes every figure of every row; returns a JSON-ready list."""
    tokens = set()
    for r in rows:
        for terms in r.topics:
            for t in clean_terms(terms)[:DIVERSITY_TERMS]:
                tokens.update(term_tokens(t))
        for lab in r.labels:
            tokens.update(TOKEN_RE.findall(collapse(lab)))
    index = Index(corpus, tokens)
    results = []
    for r in rows:
        topics = []
        for k, terms in enumerate(r.topics):
            mean, pairs, dfs = topic_npmi(index, terms)
            ndocs = label_docs(corpus, index, r.labels[k])
            topics.append({'label': r.labels[k], 'terms': clean_terms(terms)[:DIVERSITY_TERMS],
                           'ignored_terms': [t for t in terms if not term_tokens(t)],
                           'npmi': mean, 'npmi_unnested': unnested_mean(pairs), 'df': dfs,
                           'npmi_pairs': [{'x': x, 'y': y, 'npmi': round(v, 4)} for x, y, v in pairs],
                           'label_documents': ndocs, 'label_readable': ndocs >= LABEL_MIN_DOCS})
        stab, stab_min, per_run = stability(r.topics, r.runs_topics)
        for k, t in enumerate(topics):
            t['stability'] = [run[k] for run in per_run]
        vals = [t['npmi'] for t in topics if t['npmi'] is not None]
        unnested = [t['npmi_unnested'] for t in topics if t['npmi_unnested'] is not None]
        faith = faithfulness(corpus, r.verbatims) if r.verbatims is not None else None
        results.append({
            'system': r.name, 'kind': r.kind, 'full': r.full, 'resamples': r.runs, 'topics_count': len(topics),
            'npmi': sum(vals) / len(vals) if vals else None, 'npmi_min': min(vals, default=None),
            'npmi_max': max(vals, default=None),
            'npmi_unnested': sum(unnested) / len(unnested) if unnested else None,
            'nested_pairs': sum(nested(p['x'], p['y']) for t in topics for p in t['npmi_pairs']),
            'diversity': diversity(r.topics),
            'terms_per_topic': [len(t['terms']) for t in topics],
            'coverage': r.coverage, 'coverage_note': r.coverage_note,
            'stability': stab, 'stability_min': stab_min, 'stability_runs': len(r.runs_topics),
            'faithfulness': faith, 'label_kind': r.label_kind,
            'readable_labels': sum(t['label_readable'] for t in topics) / len(topics) if topics else None,
            'topics': topics,
        })
    return results


# ---------------------------------------------------------------- output

def fmt(x, spec='.3f'):
    return 'n/a' if x is None else format(x, spec)


def pct(x):
    return 'n/a' if x is None else f'{100 * x:.1f} %'


def markdown(results, corpus_path, n):
    lines = [f'Corpus: {corpus_path}, {n} documents (rows with a title or a description).', '',
             '| system | topics | NPMI (mean, min..max) | NPMI, nested pairs apart | diversity | coverage '
             '| stability | faithfulness | readable labels |',
             '| --- | ---: | --- | --- | ---: | --- | --- | --- | --- |']
    for r in results:
        npmi_s = (f"{fmt(r['npmi'])} ({fmt(r['npmi_min'])}..{fmt(r['npmi_max'])})"
                  if r['npmi'] is not None else 'n/a')
        stab = ('n/a' if r['stability'] is None else
                f"{r['stability']:.2f} (min {r['stability_min']:.2f}, {r['stability_runs']} runs)")
        f = r['faithfulness']
        faith = '—' if f is None else (f"{pct(f['share'])} ({f['matched']}/{f['total']})" if f['total'] else 'n/a')
        k = r['topics_count']
        readable = sum(t['label_readable'] for t in r['topics'])
        lab = f"{readable}/{k}" + (' (top 3 terms)' if r['label_kind'] != 'label' else '')
        unn = f"{fmt(r['npmi_unnested'])} ({r['nested_pairs']} nested pairs)"
        lines.append(f"| {r['system']} | {k} | {npmi_s} | {unn} | {fmt(r['diversity'], '.2f')} "
                     f"| {pct(r['coverage'])} ({r['coverage_note']}) | {stab} | {faith} | {lab} |")
    lines += ['',
              f'NPMI over the top {NPMI_TERMS} terms of each topic (a pair that never co-occurs counts -1); '
              f'diversity over the top {DIVERSITY_TERMS}; stability: best Jaccard of top-{NPMI_TERMS} term sets '
              'against each 90 % resample, mean over topics, then over runs.',
              'Peers have no labels: a peer topic is labelled by its top 3 terms joined by a space (the usual '
              f'convention of topic tools); a label is readable when it occurs as a phrase in at least '
              f'{LABEL_MIN_DOCS} documents. Faithfulness: voix only, the peers give no quotes.']
    short = [r for r in results if r['topics'] and min(r['terms_per_topic']) < DIVERSITY_TERMS]
    for r in short:
        lines.append(f"{r['system']}: {min(r['terms_per_topic'])}–{max(r['terms_per_topic'])} terms per topic "
                     f"(fewer than {DIVERSITY_TERMS}: diversity over those, NPMI over the first "
                     f"{NPMI_TERMS} or fewer).")
    for r in results:
        f = r['faithfulness']
        if f and f['matched_c1_repaired']:
            lines.append(f"{r['system']}: {f['matched_c1_repaired']} quotes match the field once its C1 "
                         'characters are mapped through Windows-1252, as voix reads it.')
        if f and f['failures']:
            lines.append(f"{r['system']}: {len(f['failures'])} quotes do not match:")
            for x in f['failures']:
                lines.append(f"- {x['where']}: {x['experience_id']} {x['field']} [{x['start']}:{x['end']}] "
                             f"{x['reason']}")
    return '\n'.join(lines)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--corpus', required=True, help='the full corpus (CSV) the full runs were made on')
    ap.add_argument('--system', nargs='+', action='append', required=True,
                    metavar='NAME KIND FULL.json [RESAMPLE.json ...]',
                    help='a system: its name, voix or peer, its JSON on the full corpus, then on resamples')
    ap.add_argument('--json', help='write every value here')
    args = ap.parse_args(argv)
    for s in args.system:
        if len(s) < 3 or s[1] not in ('voix', 'peer'):
            ap.error(f'--system {" ".join(s)}: expected NAME voix|peer FULL.json [RESAMPLE.json ...]')
    return args


def main(argv=None):
    args = parse_args(argv)
    corpus = read_corpus(args.corpus)
    rows = []
    for s in args.system:
        rows.extend(rows_of_system(s[0], s[1], s[2], s[3:]))
    results = evaluate(corpus, rows)
    print(markdown(results, args.corpus, corpus.n))
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump({'corpus': args.corpus, 'documents': corpus.n,
                       'definitions': __doc__.split('Definitions (identical for every system):')[1].strip(),
                       'systems': results}, f, ensure_ascii=False, indent=1)
            f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
