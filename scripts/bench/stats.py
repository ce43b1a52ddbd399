#!/usr/bin/env python3
"""Summarise scripts/bench.sh measurements.

    stats.py RESULTS.tsv SIZES.tsv

RESULTS.tsv: round, name, wall_ms, peak_rss_kib, cpu_ms (one line per measured run).
SIZES.tsv:   name, html_files, all_files, output_kib, label (one line per command, in display
             order; html_files is "-" for a command that writes nothing).
The first name is "ours", the reference of every ratio. Ratios are taken per round (the runs
of one round are back to back, so machine drift hits both sides alike) and their median is
printed: ours/this > 1 means this command is faster (or leaner) than ours.
"""

import statistics
import sys
from collections import defaultdict


def load(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def per_round_ratios(runs, a, b, col):
    """Median over rounds of runs[a][round][col] / runs[b][round][col]."""
    rounds = sorted(set(runs[a]) & set(runs[b]))
    ratios = [runs[a][r][col] / runs[b][r][col] for r in rounds if runs[b][r][col] > 0]
    return statistics.median(ratios) if ratios else float("nan"), ratios


def main():
    results, sizes = load(sys.argv[1]), load(sys.argv[2])
    runs = defaultdict(dict)  # name -> round -> (wall_ms, rss_mib, cpu_ms)
    for rnd, name, wall, rss, cpu in results:
        runs[name][int(rnd)] = (float(wall), int(rss) / 1024, float(cpu))
    order = [row[0] for row in sizes]
    info = {row[0]: row for row in sizes}
    ref = order[0]

    head = ("command", "wall ms med", "min–max", "CPU ms med", "RSS MiB med", "(max)",
            "ours/this: wall", "CPU", "RSS", "html", "files", "output")
    rows = [head]
    for name in order:
        walls = [v[0] for v in runs[name].values()]
        rss = [v[1] for v in runs[name].values()]
        cpus = [v[2] for v in runs[name].values()]
        if not walls:
            continue
        rw, _ = per_round_ratios(runs, ref, name, 0)
        rm, _ = per_round_ratios(runs, ref, name, 1)
        rc, _ = per_round_ratios(runs, ref, name, 2)
        _, html, files, kib, label = info[name]
        out = "-" if html == "-" else f"{int(kib) / 1024:.1f} MiB"
        rows.append((label, f"{statistics.median(walls):.0f}", f"{min(walls):.0f}–{max(walls):.0f}",
                     f"{statistics.median(cpus):.0f}",
                     f"{statistics.median(rss):.1f}", f"({max(rss):.1f})",
                     f"{rw:.2f}", f"{rc:.2f}", f"{rm:.2f}", html, files, out))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for i, r in enumerate(rows):
        print("  " + "  ".join(c.ljust(w) if j in (0,) else c.rjust(w)
                               for j, (c, w) in enumerate(zip(r, widths))).rstrip())
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))

    print("  ours/this: median over rounds of (ours build) / (this command) in the same round;"
          " > 1: this is faster / leaner than ours build")
    peers = [n for n in order if n.startswith("peer:")]
    ours_like = [n for n in order if n.startswith("ours") and n != "ours-check"]
    if peers:
        print()
        print("  per-round ratios, median (min–max) over rounds; < 1 means ours is faster / leaner:")
        for p in peers:
            for o in ours_like:
                for col, what in ((0, "wall"), (2, "CPU "), (1, "RSS ")):
                    med, ratios = per_round_ratios(runs, o, p, col)
                    if ratios:
                        print(f"    {info[o][4]:<22} / {info[p][4]:<14} {what}  {med:.2f}"
                              f"  ({min(ratios):.2f}–{max(ratios):.2f}, {len(ratios)} rounds)")


if __name__ == "__main__":
    main()
