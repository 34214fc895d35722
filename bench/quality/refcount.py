#!/usr/bin/env python3
"""Apply an analyst reference's counting rules to its corpus.

A reference (bench/quality/reference/<name>/reference.json) names its corpus, the
column holding the text and how ids are formed, and lists topics, each with regular
expressions. This script is the only implementation of the rules, so that the
counts written in a reference's REFERENCE.md, the precision checks and the
agreement benchmark all come from the same code.

Normalisation (bench/quality/README.md): lower-case, NFKD with combining marks
dropped, typographic apostrophes mapped to "'", whitespace runs to one space.
A topic matches a text when any of its expressions matches. When a topic has
"negation": true, a match preceded within NEG_WINDOW characters by a negation
word is ignored (for praise: "pas aimable" is not courtesy).

Usage:
  refcount.py REF.json [--data DIR] [--members OUT.csv]   counts, shares, main four
  refcount.py REF.json --sample TOPIC N [--seed S]        N matched texts at random (precision check)
  refcount.py REF.json --read N [--seed S]                the reading sample (ids and texts)
Texts are printed to the terminal only: never commit them.
"""
import argparse
import csv
import json
import os
import random
import re
import sys
import unicodedata

NEG_WINDOW = 25  # characters before a praise match searched for a negation (REFERENCE-METHOD.md)
NEGATION = re.compile(r"\b(pas|peu|aucun|aucune|sans|jamais|manque|ni|plus|non)\b")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})

csv.field_size_limit(sys.maxsize)


def normalise(text):
    text = text.translate(APOSTROPHES).lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


def read_corpus(ref, data_dir):
    """Yields (id, raw_text, feeling) for every row whose text is not blank.

    Ids follow voix's reader (docs/reading.md): the id column, trimmed, a trailing
    ".0" dropped after digits; without an id column, "<file name>:<line>" where line
    is the 1-based physical line on which the record starts.

    The file is UTF-8, with or without a byte order mark (skipped, as voix does);
    fields are separated by ref["sep"] when the reference gives it, "," otherwise.
    """
    path = os.path.join(data_dir, ref["corpus"])
    base = os.path.basename(path)
    feeling = ref.get("feeling")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rd = csv.reader(f, delimiter=ref.get("sep", ","))
        header = next(rd)
        col = {name: i for i, name in enumerate(header)}
        ti = col[ref["text"]]
        ii = col.get(ref["id"]) if ref.get("id") else None
        fi = col.get(feeling["column"]) if feeling else None
        while True:
            start = rd.line_num + 1
            try:
                row = next(rd)
            except StopIteration:
                break
            if ti >= len(row) or not row[ti].strip():
                continue
            if ii is not None:
                rid = row[ii].strip()
                if re.fullmatch(r"\d+\.0", rid):
                    rid = rid[:-2]
            else:
                rid = "%s:%d" % (base, start)
            feel = ""
            if fi is not None and fi < len(row):
                feel = feeling["map"].get(row[fi].strip(), "")
            yield rid, row[ti], feel


class Topic:
    def __init__(self, spec):
        self.key = spec["key"]
        self.heading = spec["heading"]
        self.kind = spec.get("kind", "plainte")
        self.negation = bool(spec.get("negation", False))
        self.patterns = [re.compile(p) for p in spec["patterns"]]

    def matches(self, norm):
        for p in self.patterns:
            for m in p.finditer(norm):
                if not self.negation:
                    return True
                before = norm[max(0, m.start() - NEG_WINDOW):m.start()]
                if not NEGATION.search(before):
                    return True
        return False


def members(ref, data_dir):
    """Returns (rows, topics, membership dict key -> set of ids)."""
    topics = [Topic(t) for t in ref["topics"]]
    rows = list(read_corpus(ref, data_dir))
    mem = {t.key: set() for t in topics}
    for rid, text, _ in rows:
        norm = normalise(text)
        for t in topics:
            if t.matches(norm):
                mem[t.key].add(rid)
    return rows, topics, mem


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("reference")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/data"))
    ap.add_argument("--members")
    ap.add_argument("--sample", nargs=2, metavar=("TOPIC", "N"))
    ap.add_argument("--read", type=int)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    with open(a.reference, encoding="utf-8") as f:
        ref = json.load(f)
    if a.read:
        rows = list(read_corpus(ref, a.data))
        for rid, text, feel in random.Random(a.seed).sample(rows, min(a.read, len(rows))):
            print("=== %s [%s]\n%s\n" % (rid, feel, text))
        return
    rows, topics, mem = members(ref, a.data)
    if a.sample:
        key, n = a.sample[0], int(a.sample[1])
        byid = {rid: (text, feel) for rid, text, feel in rows}
        ids = sorted(mem[key])
        for rid in random.Random(a.seed).sample(ids, min(n, len(ids))):
            print("=== %s [%s]\n%s\n" % (rid, byid[rid][1], byid[rid][0]))
        return
    n = len(rows)
    feel = {rid: f for rid, _, f in rows}
    print("texts: %d" % n)
    any_topic = set()
    for t in topics:
        s = mem[t.key]
        any_topic |= s
        fc = {}
        for rid in s:
            fc[feel[rid] or "?"] = fc.get(feel[rid] or "?", 0) + 1
        print("%-14s %-9s %6d %5.1f %%  %s  %s" % (t.key, t.kind, len(s), 100.0 * len(s) / max(n, 1),
                                                  " ".join("%s=%d" % kv for kv in sorted(fc.items())), t.heading))
    print("no topic: %d (%.1f %%)" % (n - len(any_topic), 100.0 * (n - len(any_topic)) / max(n, 1)))
    compl = sorted((t for t in topics if t.kind == "plainte"), key=lambda t: (-len(mem[t.key]), t.key))
    print("main four: %s" % ", ".join(t.key for t in compl[:4]))
    if a.members:
        with open(a.members, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(["experience_id", "topic"])
            for t in topics:
                for rid in sorted(mem[t.key]):
                    w.writerow([rid, t.key])


if __name__ == "__main__":
    main()
