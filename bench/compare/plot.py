#!/usr/bin/env python3
"""Draws the wall time of each tool against the number of rows as a self-contained SVG (log-log).

usage: plot.py RUNS.tsv OUT.svg [--ref TOOL] [--title TEXT]

RUNS.tsv has one line per timed run with the columns tool, rows, run, wall_s, max_rss_kb (read by name
from a header line when there is one, else in that order; more columns are ignored). A wall_s that is not
a number (FAILED, TIMEOUT) is not a measurement. For each tool and number of rows the plot shows the
median wall time of its runs: one polyline with markers per tool, a legend, decade ticks, labels in
French. A size at which a tool has no measurement (its runs failed or timed out, or it was not run at a
size where others were) is marked by a hollow marker on the upper edge. The dashed line "linéaire" has
slope 1 through the point of the reference tool (--ref; by default "voix note", "note-json" or "voix",
else the first tool whose name holds "note") at 100,000 rows, else at its largest size. The same input
gives the same bytes. Standard library only.
"""
import argparse
import math
import statistics
import sys

W, H = 760, 470
LEFT, RIGHT, TOP, BOTTOM = 78, 210, 40, 62      # plot margins; the legend sits in the right margin
PALETTE = ['#1f4e9c', '#c0392b', '#2e8b57', '#8e44ad', '#d35400', '#2c3e50', '#b8860b', '#008b8b']
REF_ROWS = 100000
REF_DEFAULTS = ('voix note', 'note-json', 'voix')   # the series of `voix note`, as the run scripts name it
COLUMNS = ('tool', 'rows', 'run', 'wall_s', 'max_rss_kb')


def read_runs(path):
    """Returns (order of tools, {(tool, rows): [wall seconds]}, {(tool, rows): [rss kB]}, sizes seen)."""
    walls, rss, tools, sizes = {}, {}, [], set()
    pos = {c: i for i, c in enumerate(COLUMNS)}
    with open(path, encoding='utf-8') as f:
        for line in f:
            cells = line.rstrip('\n').split('\t')
            if not line.strip():
                continue
            if cells[0] == 'tool':
                pos = {c: cells.index(c) for c in COLUMNS if c in cells}
                continue
            try:
                tool, rows = cells[pos['tool']], int(cells[pos['rows']])
            except (ValueError, IndexError, KeyError):
                continue
            if tool not in tools:
                tools.append(tool)
            sizes.add(rows)
            walls.setdefault((tool, rows), [])
            try:
                wall = float(cells[pos['wall_s']])
            except (ValueError, IndexError, KeyError):
                continue
            if not math.isfinite(wall) or wall <= 0:
                continue
            walls[(tool, rows)].append(wall)
            try:
                rss.setdefault((tool, rows), []).append(float(cells[pos['max_rss_kb']]))
            except (ValueError, IndexError, KeyError):
                pass
    return tools, walls, rss, sorted(sizes)


def fr_number(x):
    """A French rendering: thin-space thousands, decimal comma (10 000, 0,01)."""
    if x >= 1:
        return f'{round(x):,}'.replace(',', '\u202f')
    return f'{x:.10f}'.rstrip('0').replace('.', ',')


def decades(lo, hi):
    return range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)


def log_ticks(e0, e1, base):
    """(value, m) for m * base**e from 10**e0 to 10**e1, m = 1..9: a log axis's grid lines (m = 1: a decade)."""
    for e in range(e0, e1 + 1):
        for m in range(1, 10):
            v = m * base ** e
            if math.log10(v) > e1 + 1e-9:
                break
            yield v, m


def svg(tools, walls, rss, sizes, ref_tool, title):
    med = {k: statistics.median(v) for k, v in walls.items() if v}
    if not med:
        raise SystemExit('plot: no measured run in the input')
    ref = None
    if ref_tool:
        pts = sorted(r for (t, r) in med if t == ref_tool)
        if pts:
            at = REF_ROWS if REF_ROWS in pts else pts[-1]
            ref = (at, med[(ref_tool, at)])
    ys = list(med.values())
    if ref:
        ys += [ref[1] * sizes[0] / ref[0], ref[1] * sizes[-1] / ref[0]]
    xd, yd = decades(min(sizes), max(sizes)), decades(min(ys), max(ys))
    x0, x1, y0, y1 = xd[0], max(xd[-1], xd[0] + 1), yd[0], max(yd[-1], yd[0] + 1)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(rows):
        return LEFT + pw * (math.log10(rows) - x0) / (x1 - x0)

    def py(sec):
        return TOP + ph * (1 - (math.log10(sec) - y0) / (y1 - y0))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="#ffffff"/>']
    if title:
        out.append(f'<text x="{LEFT}" y="22" font-size="14" font-weight="bold">{esc(title)}</text>')
    for v, m in log_ticks(x0, x1, 10):   # vertical grid and x ticks
        x = px(v)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + ph}" '
                   f'stroke="{"#cccccc" if m == 1 else "#eeeeee"}"/>')
        if m == 1:
            out.append(f'<text x="{x:.1f}" y="{TOP + ph + 18}" text-anchor="middle">{fr_number(v)}</text>')
    for v, m in log_ticks(y0, y1, 10.0):  # horizontal grid and y ticks
        y = py(v)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + pw}" y2="{y:.1f}" '
                   f'stroke="{"#cccccc" if m == 1 else "#eeeeee"}"/>')
        if m == 1:
            out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{fr_number(v)}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333333"/>')
    out.append(f'<text x="{LEFT + pw / 2:.1f}" y="{H - 18}" text-anchor="middle">lignes</text>')
    out.append(f'<text transform="translate(20 {TOP + ph / 2:.1f}) rotate(-90)" text-anchor="middle">'
               'secondes (médiane)</text>')
    legend = []
    if ref:
        a, b = 10 ** x0, 10 ** x1
        out.append(f'<line x1="{px(a):.1f}" y1="{py(ref[1] * a / ref[0]):.1f}" x2="{px(b):.1f}" '
                   f'y2="{py(ref[1] * b / ref[0]):.1f}" stroke="#777777" stroke-dasharray="6 4" '
                   f'clip-path="url(#plot)"/>')
        legend.append(('#777777', 'dash', 'linéaire'))
    out.insert(2, f'<defs><clipPath id="plot"><rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/>'
                  '</clipPath></defs>')
    missing_any = False
    for k, tool in enumerate(tools):
        color = PALETTE[k % len(PALETTE)]
        pts = [(r, med[(tool, r)]) for r in sizes if (tool, r) in med]
        if len(pts) > 1:
            coords = ' '.join(f'{px(r):.1f},{py(s):.1f}' for r, s in pts)
            out.append(f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2"/>')
        for r, s in pts:
            n = len(walls[(tool, r)])
            mem = rss.get((tool, r))
            tip = f'{tool}, {fr_number(r)} lignes : {s:.3f} s (médiane de {n})'
            if mem:
                tip += f', {statistics.median(mem) / 1024:.0f} Mo'
            out.append(f'<circle cx="{px(r):.1f}" cy="{py(s):.1f}" r="4" fill="{color}">'
                       f'<title>{esc(tip)}</title></circle>')
        for r in sizes:
            if (tool, r) not in med:
                missing_any = True
                x = px(r) + 7 * (k - (len(tools) - 1) / 2)   # side by side when several miss the same size
                x = min(max(x, LEFT + 6), LEFT + pw - 6)      # inside the frame, clear of the legend
                why = 'échec ou délai dépassé' if (tool, r) in walls else 'non lancé'
                out.append(f'<circle cx="{x:.1f}" cy="{TOP + 10}" r="4" fill="#ffffff" stroke="{color}" '
                           f'stroke-width="2"><title>{esc(f"{tool}, {fr_number(r)} lignes : non mesuré ({why})")}'
                           '</title></circle>')
        legend.append((color, 'dot', tool))
    if missing_any:
        legend.append(('#555555', 'hollow', 'non mesuré (en haut)'))
    lx, ly = LEFT + pw + 16, TOP + 8
    for i, (color, kind, text) in enumerate(legend):
        y = ly + 20 * i
        if kind == 'dash':
            out.append(f'<line x1="{lx}" y1="{y}" x2="{lx + 22}" y2="{y}" stroke="{color}" stroke-dasharray="6 4"/>')
        elif kind == 'hollow':
            out.append(f'<circle cx="{lx + 11}" cy="{y}" r="4" fill="#ffffff" stroke="{color}" stroke-width="2"/>')
        else:
            out.append(f'<line x1="{lx}" y1="{y}" x2="{lx + 22}" y2="{y}" stroke="{color}" stroke-width="2"/>')
            out.append(f'<circle cx="{lx + 11}" cy="{y}" r="4" fill="{color}"/>')
        out.append(f'<text x="{lx + 30}" y="{y + 4}" font-size="11">{esc(text)}</text>')
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('runs', metavar='RUNS.tsv')
    ap.add_argument('out', metavar='OUT.svg')
    ap.add_argument('--ref', help='tool whose 100,000-row point the linear line goes through '
                                  '(default: "voix note", "note-json" or "voix", else the first tool '
                                  'whose name holds "note")')
    ap.add_argument('--title', default='', help='a title above the plot')
    args = ap.parse_args(argv)
    tools, walls, rss, sizes = read_runs(args.runs)
    ref = args.ref
    if ref is None:
        ref = next((t for t in REF_DEFAULTS if t in tools), None)
        ref = ref or next((t for t in tools if 'note' in t), None)
    with open(args.out, 'w', encoding='utf-8', newline='\n') as f:
        f.write(svg(tools, walls, rss, sizes, ref, args.title))
    return 0


if __name__ == '__main__':
    sys.exit(main())
