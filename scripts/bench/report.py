#!/usr/bin/env python3
"""Print scripts/bench.sh's tables from its measurements.

    report.py RESULTS.tsv SKIPPED.txt

RESULTS.tsv has one line per generator and size, tab-separated:
    pages  name  label  median_ms  min_ms  max_ms  cpu_ms  runs  rss_kib  html_files  output_kib
where median/min/max are hyperfine's wall times over its runs, cpu_ms its mean user + system
time, rss_kib the largest peak RSS (GNU time's %M) of separate runs. SKIPPED.txt holds one
"peer: reason" line per generator left out. Prints, for each size, a table; then the per-page
cost between the two largest sizes; then the goal lines (met / NOT met). A benchmark: it never
fails on a missed goal.
"""

import sys
from collections import defaultdict

GOAL_TIME_VS_HUGO = 0.25
GOAL_RSS_VS_HUGO = 0.25


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            rows.append({
                "pages": int(p[0]), "name": p[1], "label": p[2], "median": float(p[3]),
                "min": float(p[4]), "max": float(p[5]), "cpu": float(p[6]), "runs": int(p[7]),
                "rss": int(p[8]) / 1024, "html": int(p[9]), "out": int(p[10]) / 1024,
            })
    return rows


def ratio(a, b):
    return f"{a / b:.2f}×" if a is not None and b else "-"


def table(rows):
    out = []
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        out.append("  " + "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                                    for i, (c, w) in enumerate(zip(r, widths))).rstrip())
        if k == 0:
            out.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(out)


def main():
    rows = load(sys.argv[1])
    skipped = [l.strip() for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
    by_size = defaultdict(dict)
    order = []
    for r in rows:
        by_size[r["pages"]][r["name"]] = r
        if r["name"] not in order:
            order.append(r["name"])
    sizes = sorted(by_size)
    labels = {r["name"]: r["label"] for r in rows}

    for n in sizes:
        gens = by_size[n]
        hugo, zola = gens.get("hugo"), gens.get("zola")
        head = ["generator", "wall ms (median)", "min–max", "runs", "peak RSS MiB",
                "time / Hugo"]
        if zola:
            head.append("time / Zola")
        head += ["RSS / Hugo", "CPU / wall", "html files", "output MiB"]
        body = [head]
        for name in order:
            r = gens.get(name)
            if not r:
                continue
            line = [r["label"], f"{r['median']:.0f}", f"{r['min']:.0f}–{r['max']:.0f}",
                    str(r["runs"]), f"{r['rss']:.1f}",
                    ratio(r["median"], hugo["median"] if hugo else None)]
            if zola:
                line.append(ratio(r["median"], zola["median"]))
            line += [ratio(r["rss"], hugo["rss"] if hugo else None),
                     f"{r['cpu'] / r['median']:.2f}" if r["median"] else "-",
                     str(r["html"]), f"{r['out']:.1f}"]
            body.append(line)
        print(f"\n== {n} pages")
        print(table(body))
    if skipped:
        print("\n  skipped: " + "; ".join(skipped))

    # Per-page cost between the two largest sizes measured.
    if len(sizes) >= 2:
        lo, hi = sizes[-2], sizes[-1]
        print(f"\n== scaling: per-page cost = (t({hi}) − t({lo})) / {hi - lo} pages")
        body = [["generator", "ms per page", "RSS KiB per page"]]
        for name in order:
            a, b = by_size[lo].get(name), by_size[hi].get(name)
            if a and b:
                body.append([labels[name], f"{(b['median'] - a['median']) / (hi - lo):.3f}",
                             f"{(b['rss'] - a['rss']) * 1024 / (hi - lo):.1f}"])
        print(table(body))

    # Goals.
    print("\n== goals")
    lines = []

    def goal(what, ok, detail):
        lines.append(f"  {'met    ' if ok else 'NOT met'}  {what}: {detail}")

    for n in sizes:
        g = by_size[n]
        ours, hugo, mdbook = g.get("ours"), g.get("hugo"), g.get("mdbook")
        if not ours:
            continue
        if hugo:
            r = ours["median"] / hugo["median"]
            goal(f"{n} pages, ours ≤ {GOAL_TIME_VS_HUGO}× Hugo time", r <= GOAL_TIME_VS_HUGO,
                 f"{ours['median']:.0f} ms vs {hugo['median']:.0f} ms = {r:.2f}×")
            r = ours["rss"] / hugo["rss"]
            goal(f"{n} pages, ours ≤ {GOAL_RSS_VS_HUGO}× Hugo memory", r <= GOAL_RSS_VS_HUGO,
                 f"{ours['rss']:.1f} MiB vs {hugo['rss']:.1f} MiB = {r:.2f}×")
        else:
            lines.append(f"  n/a      {n} pages, ours vs Hugo: Hugo not measured")
        if mdbook:
            r = ours["median"] / mdbook["median"]
            goal(f"{n} pages, ours < mdBook time", ours["median"] < mdbook["median"],
                 f"{ours['median']:.0f} ms vs {mdbook['median']:.0f} ms = {r:.2f}×")
        else:
            lines.append(f"  n/a      {n} pages, ours vs mdBook: mdBook not measured")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
