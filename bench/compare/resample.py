#!/usr/bin/env python3
"""Writes a seeded random share of the data rows of a CSV, for the stability measure of quality.py.

usage: resample.py IN.csv OUT.csv --seed S [--fraction 0.9]

OUT.csv gets the header record and round(fraction * n) of the n data records, chosen by
random.Random(seed).sample (the same seed gives the same rows), in their original order. Every record
written is byte for byte the text it had in IN.csv: BOM, quoting, line breaks inside quoted fields and
CRLF or LF endings are kept (the file is read with newline='' and undecodable bytes are carried through
as surrogates, so any encoding that keeps ASCII as ASCII is copied exactly). Records are split with the
csv module (';' or ',', whichever the header line has more of); blank lines between records are not
data rows and are dropped. Standard library only; two passes over the file, one record in memory.
"""
import argparse
import csv
import random
import sys

csv.field_size_limit(10**9)


def records(f, delimiter):
    """Yields the original text of each record of the open text file f (header first)."""
    lines = []

    def feed():
        for line in f:
            lines.append(line)
            yield line

    # csv.reader asks for one more line only when the record so far is incomplete, so the lines
    # consumed for a record are exactly those of that record.
    for row in csv.reader(feed(), delimiter=delimiter):
        text = ''.join(lines)
        lines.clear()
        yield row, text


def open_text(path, mode):
    return open(path, mode, encoding='utf-8', errors='surrogateescape', newline='')


def sniff(path):
    with open_text(path, 'r') as f:
        head = f.readline()
    return ';' if head.count(';') > head.count(',') else ','


def resample(src, dst, seed, fraction):
    """Writes the resample of src to dst; returns (data records in src, records written)."""
    delim = sniff(src)
    with open_text(src, 'r') as f:
        n = sum(1 for row, _ in records(f, delim) if row) - 1
    n = max(n, 0)
    keep = set(random.Random(seed).sample(range(n), round(fraction * n)))
    written = 0
    with open_text(src, 'r') as f, open_text(dst, 'w') as out:
        k = -1   # -1: the header
        for row, text in records(f, delim):
            if not row:
                continue
            if k < 0 or k in keep:
                out.write(text)
                written += k >= 0
            k += 1
    return n, written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('src', metavar='IN.csv')
    ap.add_argument('dst', metavar='OUT.csv')
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--fraction', type=float, default=0.9)
    args = ap.parse_args(argv)
    if not 0 <= args.fraction <= 1:
        ap.error('--fraction must be between 0 and 1')
    n, written = resample(args.src, args.dst, args.seed, args.fraction)
    print(f'resample: {written} of {n} data rows (seed {args.seed}) -> {args.dst}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
