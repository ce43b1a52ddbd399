#!/usr/bin/env python3
"""Print scripts/bench.sh's tables from its measurements.

    report.py RESULTS.tsv SKIPPED.txt [FAILED.tsv [SECTIONS.tsv]]

RESULTS.tsv has one line per generator and size, tab-separated:
    pages  name  label  median_ms  min_ms  max_ms  cpu_ms  runs  rss_kib  html_files  output_kib  kind
    page_bytes
where median/min/max are hyperfine's wall times over its runs, cpu_ms its mean user + system
time, rss_kib the largest peak RSS (GNU time's %M) of separate runs (scripts/bench/collect.py
writes these lines); kind is "hyperfine", "single" (one build under GNU time: a slow build is
not repeated) or "timeout" (stopped after median_ms; RSS until then; no output); page_bytes the
mean bytes of a question page's HTML. SKIPPED.txt holds one "peer: reason" line per generator left out of the
whole run. FAILED.tsv (optional) holds "pages  name  label  reason" lines for a generator whose
build failed at one size (so it has no row there). SECTIONS.tsv (optional) holds "many|one  pages
mean_bytes" lines: the mean HTML bytes of a question page with 100 pages a section and with every
page in one section.

Prints, for each size, a table; then the per-page cost between successive sizes; then the goal
lines (met / NOT met). A benchmark: it never fails on a missed goal.
"""

import os
import sys
from collections import defaultdict

GOAL_TIME_VS_HUGO = 0.2
GOAL_RSS_VS_HUGO = 0.25
# Against the faster Zola variant, at these sizes and above.
GOAL_TIME_VS_ZOLA = 0.35
ZOLA_GOAL_FROM = 1000
# The search index's share of the full build's time (1 − no search / full).
GOAL_SEARCH_SHARE = 1 / 3
SEARCH_GOAL_FROM = 1000
# A question page in one 1,000-page section over one in a section of 100, at most.
GOAL_SECTION_GROWTH = 1.10
# "Time grows linearly with pages": the per-page cost over the largest step may exceed the one
# over the step before it by at most this factor (fixed start-up costs make the first step's
# per-page cost the more generous one, so this catches a growing per-page cost, e.g. a sidebar
# listing every page on every page).
LINEAR_SLACK = 1.5


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
                "kind": p[11] if len(p) > 11 else "hyperfine",
                "page": int(p[12]) if len(p) > 12 else 0,
            })
    return rows


def load_failed(path):
    failed = defaultdict(dict)  # pages -> name -> (label, reason)
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    pages, name, label, reason = line.rstrip("\n").split("\t", 3)
                    failed[int(pages)][name] = (label, reason)
    return failed


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


RANK = {"ours": 0, "ours-nosearch": 1, "hugo": 2, "zola": 3, "zola-lean": 4, "mdbook": 5}


def fastest_zola(gens):
    """The faster of the two Zola variants (full sidebar, list-free), or None."""
    done = [r for r in (gens.get("zola"), gens.get("zola-lean")) if r]
    finished = [r for r in done if r["kind"] != "timeout"]
    pool = finished or done
    return min(pool, key=lambda r: r["median"]) if pool else None


def fmt_ms(r):
    return f">{r['median']:.0f}" if r["kind"] == "timeout" else f"{r['median']:.0f}"


def time_ratio(r, ref):
    """r's time over ref's, with > or < when one of them was stopped."""
    if not ref or not ref["median"]:
        return "-"
    x = r["median"] / ref["median"]
    if r["kind"] == "timeout" and ref["kind"] == "timeout":
        return "-"
    if r["kind"] == "timeout":
        return f">{x:.2f}×"
    if ref["kind"] == "timeout":
        return f"<{x:.2f}×"
    return f"{x:.2f}×"


def rss_ratio(r, ref):
    if not ref or r["kind"] == "timeout" or ref["kind"] == "timeout":
        return "-"
    return ratio(r["rss"], ref["rss"])


def main():
    if len(sys.argv) not in (3, 4, 5):
        raise SystemExit(__doc__)
    rows = load(sys.argv[1])
    skipped = [l.strip() for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
    failed = load_failed(sys.argv[3] if len(sys.argv) > 3 else None)
    by_size = defaultdict(dict)
    labels = {}
    for r in rows:
        by_size[r["pages"]][r["name"]] = r
        labels[r["name"]] = r["label"]
    for n, f in failed.items():
        by_size.setdefault(n, {})
        for name, (label, _) in f.items():
            labels.setdefault(name, label)
    order = sorted(labels, key=lambda name: (RANK.get(name, len(RANK)), name))
    sizes = sorted(by_size)
    if not sizes:
        print("\n  no measurements")
        return
    kinds = {r["kind"] for r in rows}

    for n in sizes:
        gens = by_size[n]
        hugo, zola = gens.get("hugo"), fastest_zola(gens)
        head = ["generator", "wall ms (median)", "min–max", "runs", "peak RSS MiB",
                "time / Hugo"]
        if zola:
            head.append("time / Zola")
        head.append("RSS / Hugo")
        if zola:
            head.append("RSS / Zola")
        head += ["CPU ms", "CPU / wall", "html files", "output MiB", "page KiB"]
        body = [head]
        for name in order:
            r = gens.get(name)
            if not r:
                continue
            stopped = r["kind"] == "timeout"
            line = [r["label"], fmt_ms(r),
                    "-" if r["kind"] != "hyperfine" else f"{r['min']:.0f}–{r['max']:.0f}",
                    {"hyperfine": str(r["runs"]), "single": "1*", "timeout": "stopped"}[r["kind"]],
                    f"{'≥' if stopped else ''}{r['rss']:.1f}", time_ratio(r, hugo)]
            if zola:
                line.append(time_ratio(r, zola))
            line.append(rss_ratio(r, hugo))
            if zola:
                line.append(rss_ratio(r, zola))
            line += [f"{r['cpu']:.0f}", f"{r['cpu'] / r['median']:.2f}" if r["median"] else "-",
                     "-" if stopped else str(r["html"]), "-" if stopped else f"{r['out']:.1f}",
                     f"{r['page'] / 1024:.1f}" if r["page"] else "-"]
            body.append(line)
        print(f"\n== {n} pages")
        if zola:
            print(f"  (time / Zola and RSS / Zola: against {zola['label']}, the faster Zola variant)")
        if len(body) > 1:
            print(table(body))
        for name, (label, reason) in failed.get(n, {}).items():
            print(f"  FAILED  {label}: {reason}")
    if "single" in kinds:
        print("\n  1* = one build under GNU time: it took longer than SLOW_S, so it was not repeated")
    if "timeout" in kinds:
        print("  stopped = still building after TIMEOUT_S: its time is a lower bound (>), "
              "its peak RSS the peak until then (≥)")
    if skipped:
        print("\n  skipped: " + "; ".join(skipped))

    def done(n, name):
        r = by_size[n].get(name)
        return r if r and r["kind"] != "timeout" else None

    # Per-page cost between successive sizes.
    if len(sizes) >= 2:
        steps = list(zip(sizes, sizes[1:]))
        print("\n== scaling: per-page cost between successive sizes a→b, (t(b) − t(a)) / (b − a),"
              " for wall time and peak RSS")
        head = ["generator"]
        for a, b in steps:
            head += [f"ms/page {a}→{b}", f"RSS KiB/page {a}→{b}"]
        body = [head]
        for name in order:
            line, any_ = [labels[name]], False
            for a, b in steps:
                ra, rb = done(a, name), done(b, name)
                if ra and rb:
                    any_ = True
                    line += [f"{(rb['median'] - ra['median']) / (b - a):.3f}",
                             f"{(rb['rss'] - ra['rss']) * 1024 / (b - a):.1f}"]
                else:
                    line += ["-", "-"]
            if any_:
                body.append(line)
        if len(body) > 1:
            print(table(body))

    # Goals.
    print("\n== goals (ours = the full build, search index included)")
    lines = []

    def goal(what, ok, detail):
        lines.append(f"  {'met    ' if ok else 'NOT met'}  {what}: {detail}")

    for n in sizes:
        g = by_size[n]
        ours, hugo, mdbook = g.get("ours"), g.get("hugo"), g.get("mdbook")
        if not ours or ours["kind"] == "timeout":
            why = failed.get(n, {}).get("ours")
            goal(f"{n} pages, ours builds", False,
                 why[1] if why else f"stopped after {ours['median'] / 1000:.0f} s")
            continue
        if hugo and hugo["kind"] != "timeout":
            r = ours["median"] / hugo["median"]
            goal(f"{n} pages, ours ≤ {GOAL_TIME_VS_HUGO}× Hugo time", r <= GOAL_TIME_VS_HUGO,
                 f"{ours['median']:.0f} ms vs {hugo['median']:.0f} ms = {r:.2f}×")
            r = ours["rss"] / hugo["rss"]
            goal(f"{n} pages, ours ≤ {GOAL_RSS_VS_HUGO}× Hugo memory", r <= GOAL_RSS_VS_HUGO,
                 f"{ours['rss']:.1f} MiB vs {hugo['rss']:.1f} MiB = {r:.2f}×")
        elif hugo:
            r = ours["median"] / hugo["median"]
            if r <= GOAL_TIME_VS_HUGO:
                goal(f"{n} pages, ours ≤ {GOAL_TIME_VS_HUGO}× Hugo time", True,
                     f"{ours['median']:.0f} ms vs Hugo stopped after {hugo['median']:.0f} ms")
            else:
                lines.append(f"  n/a      {n} pages, ours vs Hugo: Hugo was stopped")
        else:
            lines.append(f"  n/a      {n} pages, ours vs Hugo: Hugo not measured")
        nosearch = g.get("ours-nosearch")
        if nosearch and nosearch["kind"] == "hyperfine" and ours["kind"] == "hyperfine":
            share = 1 - nosearch["median"] / ours["median"]
            cpu_share = 1 - nosearch["cpu"] / ours["cpu"] if ours["cpu"] else 0
            detail = (f"{ours['median']:.0f} ms with, {nosearch['median']:.0f} ms without = "
                      f"{share:.2f} of the wall time ({cpu_share:.2f} of the CPU time)")
            if n >= SEARCH_GOAL_FROM:
                goal(f"{n} pages, search index ≤ {GOAL_SEARCH_SHARE:.2f} of the build",
                     share <= GOAL_SEARCH_SHARE, detail)
            else:  # the goal is set from 1,000 pages; on small sites the dictionary's cost dominates
                lines.append(f"  info     {n} pages, search index share of the build: {detail}")
        if hugo and hugo["kind"] != "timeout" and hugo["page"] and ours["page"]:
            goal(f"{n} pages, a question page's bytes ≤ Hugo's", ours["page"] <= hugo["page"],
                 f"{ours['page']} vs {hugo['page']} bytes of HTML = "
                 f"{ours['page'] / hugo['page']:.2f}×")
        if hugo and hugo["kind"] != "timeout" and hugo["out"] and ours["out"]:
            # Hugo writes no search index: what the index adds is shown apart.
            bare = ""
            if nosearch and nosearch["out"]:
                bare = (f"; without the search index {nosearch['out']:.1f} MiB = "
                        f"{nosearch['out'] / hugo['out']:.2f}×")
            lines.append(f"  info     {n} pages, all output: {ours['out']:.1f} MiB vs Hugo's "
                         f"{hugo['out']:.1f} MiB = {ours['out'] / hugo['out']:.2f}×{bare}")
        zola = fastest_zola(g)
        want = GOAL_TIME_VS_ZOLA if n >= ZOLA_GOAL_FROM else 1.0
        if zola and zola["kind"] != "timeout":
            r = ours["median"] / zola["median"]
            goal(f"{n} pages, ours ≤ {want}× Zola time (the faster variant: {zola['label']})",
                 r <= want, f"{ours['median']:.0f} ms vs {zola['median']:.0f} ms = {r:.2f}×")
        elif zola:
            goal(f"{n} pages, ours ≤ {want}× Zola time", True,
                 f"{ours['median']:.0f} ms vs {zola['label']} stopped after {zola['median']:.0f} ms")
        else:
            lines.append(f"  n/a      {n} pages, ours vs Zola: Zola not measured (see why above)")
        if mdbook:
            r = ours["median"] / mdbook["median"]
            if mdbook["kind"] == "timeout":
                goal(f"{n} pages, ours < mdBook time", True,
                     f"{ours['median']:.0f} ms vs mdBook stopped after {mdbook['median']:.0f} ms")
            else:
                goal(f"{n} pages, ours < mdBook time", ours["median"] < mdbook["median"],
                     f"{ours['median']:.0f} ms vs {mdbook['median']:.0f} ms = {r:.2f}×")
        else:
            lines.append(f"  n/a      {n} pages, ours vs mdBook: mdBook not measured")

    ours_sizes = [n for n in sizes if done(n, "ours")]
    ours_missing = [n for n in sizes if not done(n, "ours")]
    if ours_missing:
        goal("ours grows linearly", False,
             f"ours did not build at {', '.join(map(str, ours_missing))} pages (see above)")
    elif len(ours_sizes) >= 3:
        a, b, c = ours_sizes[-3:]
        t = {n: by_size[n]["ours"]["median"] for n in (a, b, c)}
        first, last = (t[b] - t[a]) / (b - a), (t[c] - t[b]) / (c - b)
        ok = last <= LINEAR_SLACK * max(first, 1e-9)
        goal(f"ours grows linearly ({a}→{b}→{c} pages)", ok,
             f"{last:.3f} ms per page over {b}→{c} vs {first:.3f} over {a}→{b} "
             f"(at most {LINEAR_SLACK}× allowed); cost per page ≈ {last:.3f} ms")
    elif len(ours_sizes) == 2:
        a, b = ours_sizes
        per = (by_size[b]["ours"]["median"] - by_size[a]["ours"]["median"]) / (b - a)
        lines.append(f"  n/a      ours grows linearly: needs 3 sizes; cost per page over "
                     f"{a}→{b} ≈ {per:.3f} ms")
    else:
        lines.append("  n/a      ours grows linearly: needs 3 sizes")
    sections = {}
    if len(sys.argv) > 4 and os.path.exists(sys.argv[4]):
        for line in open(sys.argv[4], encoding="utf-8"):
            if line.strip():
                kind, pages, mean = line.split("\t")
                sections[kind] = (int(pages), int(mean))
    if "many" in sections and "one" in sections and sections["many"][1]:
        (pm, many), (po, one) = sections["many"], sections["one"]
        r = one / many
        goal(f"page bytes do not grow with the section (≤ {GOAL_SECTION_GROWTH:.2f}×)",
             r <= GOAL_SECTION_GROWTH,
             f"a question page is {one} bytes with {po} pages in one section, {many} bytes "
             f"with 100 a section = {r:.2f}×")
    else:
        lines.append("  n/a      page bytes vs section size: needs the 1,000-page size")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
