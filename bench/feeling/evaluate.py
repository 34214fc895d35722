#!/usr/bin/env python3
"""Feelings read from the text against the feelings the rows carry.

usage: bench/feeling/evaluate.py VOIX [SHARED_DATA] > RESULTS.md

Runs `voix feelings` (which reads every text without looking at its
feeling) on corpora whose rows carry one, and compares:
  - Google reviews of Pôle emploi agencies, stars 1-2 négatif, 3 neutre,
    4-5 positif. The lexicon was tuned by reading reviews on even lines
    only; the figures below are on the odd lines (held out) and, apart, on
    the even ones (seen while tuning).
  - the Services Publics+ sample (the user's own "Ressenti usager"): never
    read while writing the lexicon.
  - allociné film reviews (binary): a control outside public services.
Reports accuracy, per-class and macro F1 (3 classes), macro F1 of positif vs
négatif on the rows whose truth is positif or négatif (a neutre prediction
counts as an error), the confusion table, and how often a one-star review
is read as a confident positif.
"""
import csv
import io
import os
import subprocess
import sys

CLASSES = ["positif", "neutre", "negatif"]
CONFIDENT = 0.5


def readings(voix, path, *args):
    out = subprocess.run([voix, "feelings", path, *args], check=True, capture_output=True).stdout
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8")), delimiter=";"))
    return rows


def stars_by_line(path):
    """Star rating of each review, keyed by the physical line its record starts on."""
    stars = {}
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rate = header.index("rate")
        start = r.line_num + 1
        for rec in r:
            if rec:
                stars[start] = int(rec[rate])
            start = r.line_num + 1
    return stars


def f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def report(title, pairs, one_star=None):
    """pairs: (truth, predicted, confidence); one_star: predictions on 1-star rows."""
    n = len(pairs)
    print(f"### {title}\n")
    print(f"{n} rows with a feeling.\n")
    conf = {t: {p: 0 for p in CLASSES} for t in CLASSES}
    for t, p, _ in pairs:
        conf[t][p] += 1
    present = [c for c in CLASSES if sum(conf[c].values())]
    acc = sum(conf[c][c] for c in CLASSES) / n if n else 0
    print("| truth \\ read | " + " | ".join(CLASSES) + " | total |")
    print("| --- | " + " | ".join("---:" for _ in CLASSES) + " | ---: |")
    for t in CLASSES:
        if sum(conf[t].values()):
            print(f"| {t} | " + " | ".join(str(conf[t][p]) for p in CLASSES) + f" | {sum(conf[t].values())} |")
    print()
    f1s = {}
    for c in present:
        tp = conf[c][c]
        fp = sum(conf[t][c] for t in CLASSES if t != c)
        fn = sum(conf[c][p] for p in CLASSES if p != c)
        f1s[c] = f1(tp, fp, fn)
    print(f"- accuracy (3 classes): {acc:.3f}")
    print("- F1 per class: " + ", ".join(f"{c} {f1s[c]:.3f}" for c in present))
    if len(present) > 1:
        print(f"- macro F1 ({len(present)} classes): {sum(f1s.values()) / len(f1s):.3f}")
    # positif vs négatif, on rows whose truth is one of them; neutre read = error.
    pn = [(t, p) for t, p, _ in pairs if t in ("positif", "negatif")]
    if pn:
        bf = []
        for c in ("positif", "negatif"):
            tp = sum(1 for t, p in pn if t == c and p == c)
            fp = sum(1 for t, p in pn if t != c and p == c)
            fn = sum(1 for t, p in pn if t == c and p != c)
            bf.append(f1(tp, fp, fn))
        decided = [(t, p) for t, p in pn if p != "neutre"]
        dacc = sum(1 for t, p in decided if t == p) / len(decided) if decided else 0
        print(f"- macro F1 positif vs négatif ({len(pn)} rows, neutre read counts as an error): "
              f"{sum(bf) / 2:.3f}")
        print(f"- of those, read positif or négatif: {len(decided)} ({100 * len(decided) / len(pn):.1f} %), "
              f"right {100 * dacc:.1f} %")
    confident = [(t, p) for t, p, c in pairs if c >= CONFIDENT and p != "neutre"]
    if confident:
        right = sum(1 for t, p in confident if t == p)
        print(f"- confident readings (confidence >= {CONFIDENT}): {len(confident)} "
              f"({100 * len(confident) / n:.1f} %), right {100 * right / len(confident):.1f} %")
    if one_star is not None:
        cp = sum(1 for p, c in one_star if p == "positif" and c >= CONFIDENT)
        anyp = sum(1 for p, c in one_star if p == "positif")
        print(f"- one-star reviews: {len(one_star)}; read positif {anyp} ({100 * anyp / len(one_star):.1f} %), "
              f"confident positif {cp} ({100 * cp / len(one_star):.1f} %)")
    print()


def main():
    voix = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                                                  "shared", "data")
    print("# Feelings read from the text\n")
    print("Measured by `bench/feeling/evaluate.py` (`voix feelings` reads each text without its feeling, "
          "with the built-in lexicon `data/feelings.txt`).\n")
    reviews = os.path.join(data, "google-reviews-pole-emploi", "reviews.csv")
    stars = stars_by_line(reviews)
    halves = {"odd": [], "even": []}
    ones = {"odd": [], "even": []}
    for row in readings(voix, reviews):
        line = int(row["experience_id"].rsplit(":", 1)[1])
        s = stars.get(line)
        if s is None or row["ressenti_export"] == "inconnu":
            continue
        half = "even" if line % 2 == 0 else "odd"
        halves[half].append((row["ressenti_export"], row["ressenti_lu"], float(row["confiance"])))
        if s == 1:
            ones[half].append((row["ressenti_lu"], float(row["confiance"])))
    report("Google reviews of Pôle emploi, held out (odd lines)", halves["odd"], ones["odd"])
    report("Google reviews of Pôle emploi, read while tuning (even lines)", halves["even"], ones["even"])
    sp = os.path.join(data, "sp-plus-2023-sample", "experiences.csv")
    report("Services Publics+ sample, « Ressenti usager » (held out)",
           [(r["ressenti_export"], r["ressenti_lu"], float(r["confiance"])) for r in readings(voix, sp)
            if r["ressenti_export"] != "inconnu"])
    al = os.path.join(data, "allocine-reviews-sample", "test_data_allocine.csv")
    report("allociné film reviews, test file (control, held out)",
           [(r["ressenti_export"], r["ressenti_lu"], float(r["confiance"]))
            for r in readings(voix, al, "--map", "text=text,feeling=label,feeling_scale=binary")
            if r["ressenti_export"] != "inconnu"])


if __name__ == "__main__":
    main()
