"""What the two peers of `voix note` (peer_sklearn.py, peer_gensim.py) share, so that they differ only in
their model: the French stop-word list, the document definition (how the CSV is read), the min_df
schedule, the number of top terms and the shape of the JSON they write.

Standard library only: the peers import their own libraries after it.
"""
import argparse
import csv
import json
import os
import re
import resource

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
MAX_DF = 0.5       # a term in more than half of the documents is dropped (voix's max_df too)
TOP_TERMS = 25     # top terms written per topic; quality.py reads the first 10 (NPMI, stability) and 25
N_TOPICS = 10      # the setting for both peers
SHOWN = 4          # the largest topics marked "shown", as voix shows 4
SERVICE_COLUMN = 'Intitulé Typologie 1'


def sniff_delimiter(path):
    """';' or ',': whichever the header line has more of."""
    with open(path, encoding='utf-8-sig', errors='replace', newline='') as f:
        head = f.readline()
    return ';' if head.count(';') > head.count(',') else ','


def read_rows(path):
    """Returns (texts, services) for the rows with a title or a description.

    A document is Titre + ' ' + Description, stripped; rows where that is empty are skipped.
    services[i] is the first service type of texts[i] ('' when absent)."""
    texts, services, _ = read_documents(path)
    return texts, services


def read_documents(path, text_column=None, id_column=None):
    """Returns (texts, services, ids) for the rows with text.

    Without text_column a document is Titre + ' ' + Description, stripped (read_rows); with it, the
    stripped value of that column. Rows where the document is empty are skipped, as are blank lines.
    ids[i] is the value of id_column, trimmed, a trailing '.0' dropped after digits; without
    id_column, '<file name>:<line>' with the 1-based physical line where the record starts: the ids
    voix gives (docs/reading.md) and bench/quality/refcount.py computes."""
    texts, services, ids = [], [], []
    base = os.path.basename(path)
    with open(path, encoding='utf-8-sig', errors='replace', newline='') as f:
        rd = csv.reader(f, delimiter=sniff_delimiter(path))
        header = next(rd, [])
        col = {name: i for i, name in enumerate(header)}
        for name in (text_column, id_column):
            if name is not None and name not in col:
                raise SystemExit(f'{path}: no column {name!r}; columns: {", ".join(header)}')

        def field(row, name):
            i = col.get(name)
            return row[i] if i is not None and i < len(row) else ''

        while True:
            start = rd.line_num + 1
            row = next(rd, None)
            if row is None:
                break
            if not row:
                continue
            if text_column is None:
                text = (field(row, 'Titre') + ' ' + field(row, 'Description')).strip()
            else:
                text = field(row, text_column).strip()
            if not text:
                continue
            texts.append(text)
            services.append(field(row, SERVICE_COLUMN).strip())
            if id_column is None:
                ids.append(f'{base}:{start}')
            else:
                rid = field(row, id_column).strip()
                ids.append(rid[:-2] if re.fullmatch(r'\d+\.0', rid) else rid)
    return texts, services, ids


def min_df_for(n):
    """The minimum document frequency of a term for n documents (voix's schedule)."""
    for limit, df in MIN_DF_STEPS:
        if n < limit:
            return df
    return MIN_DF_LARGE


def peak_rss_kb():
    """Peak resident set size of this process so far, in KiB (Linux getrusage)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def topic_table(top_terms, best, services, shown=SHOWN):
    """The `topics` list of the common JSON shape.

    top_terms[j]: the top terms of topic j, best first; best[i]: the topic of document i, or -1 when it
    has none. Each topic gets its terms, count (documents whose argmax is the topic), the service types of
    those documents, its rank by count (1 = largest; ties by index) and whether it is among the `shown`
    largest. Returns (topics sorted by count desc, assigned)."""
    n_topics = len(top_terms)
    members = [[] for _ in range(n_topics)]
    for i, j in enumerate(best):
        if j >= 0:
            members[j].append(i)
    topics = []
    for j in range(n_topics):
        counts = {}
        for i in members[j]:
            s = services[i]
            if s:
                counts[s] = counts.get(s, 0) + 1
        facet = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        topics.append({'index': j, 'terms': list(top_terms[j]), 'count': len(members[j]),
                       'services': [{'value': v, 'count': c} for v, c in facet]})
    order = sorted(range(n_topics), key=lambda j: (-topics[j]['count'], j))
    for rank, j in enumerate(order, 1):
        topics[j]['rank'] = rank
        topics[j]['shown'] = rank <= shown
    return [topics[j] for j in order], sum(len(m) for m in members)


def main(name, doc, run, model_phases, options=()):
    """The command line both peers share: FILE [--json OUT] [--topics N] [--shown N]; prints a summary
    (model_phases(res) describes the model's own phases) and the topics, and writes the JSON.

    options: extra (flag, add_argument keywords) pairs of one peer; their values are passed to
    run() as keyword arguments named by their dest."""
    ap = argparse.ArgumentParser(description=doc.split('\n\n')[0])
    ap.add_argument('file')
    ap.add_argument('--json', help='write the measurements and topics here')
    ap.add_argument('--topics', type=int, default=N_TOPICS, help='topics of the model (default 10)')
    ap.add_argument('--shown', type=int, default=SHOWN, help='largest topics shown (default 4)')
    dests = [ap.add_argument(flag, **kw).dest for flag, kw in options]
    args = ap.parse_args()
    res = run(args.file, args.topics, args.shown, **{d: getattr(args, d) for d in dests})
    print(f"{name}: {res['rows']} rows, vocabulary {res['vocabulary']}, {res['seconds']:.3f} s "
          f"(read {res['phases']['read']:.3f}, {model_phases(res)}), cpu {res['cpu_seconds']:.3f} s, "
          f"imports {res['import_seconds']:.3f} s, peak RSS {res['peak_rss_kb'] / 1024:.1f} MB, "
          f"{res['assigned']} rows assigned")
    for t in res['topics']:
        mark = '*' if t['shown'] else ' '
        print(f"{mark} {t['rank']:2d}. {t['count']:7d}  {', '.join(t['terms'][:10])}")
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump(res, f, ensure_ascii=False, indent=1)
            f.write('\n')
