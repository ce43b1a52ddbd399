#!/usr/bin/env python3
"""Turn hyperfine's JSON exports for one corpus size into scripts/bench/report.py's rows.

    collect.py PAGES META.tsv HYPERFINE.json [HYPERFINE.json ...]  >> RESULTS.tsv

scripts/bench.sh runs hyperfine in blocks (the command order alternating from block to block),
so one generator's runs are spread over several JSON files: their wall times are pooled before
the median, min and max are taken; CPU time is hyperfine's mean user + system time, weighted by
each block's run count. META.tsv has one line per generator: name, label, peak RSS in KiB (GNU
time's %M, the largest of separate runs), HTML files, output KiB and the mean bytes of a
question page's HTML of a build's output. Writes
report.py's RESULTS.tsv lines (see its docstring; kind "hyperfine"), in META.tsv's order.
"""

import json
import statistics
import sys


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    pages = int(sys.argv[1])
    meta = []
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                meta.append(line.rstrip("\n").split("\t"))
    times, cpu = {}, {}
    for path in sys.argv[3:]:
        with open(path, encoding="utf-8") as f:
            for r in json.load(f)["results"]:
                name = r["command"]  # hyperfine's --command-name
                t = r["times"]
                times.setdefault(name, []).extend(t)
                cpu[name] = cpu.get(name, 0.0) + (r["user"] + r["system"]) * len(t)
    for name, label, rss, html, out_kib, page_bytes in meta:
        t = times.get(name)
        if not t:
            raise SystemExit(f"collect: no hyperfine results for {name!r}")
        print("\t".join([
            str(pages), name, label,
            f"{statistics.median(t) * 1000:.1f}", f"{min(t) * 1000:.1f}", f"{max(t) * 1000:.1f}",
            f"{cpu[name] / len(t) * 1000:.1f}", str(len(t)), rss, html, out_kib, "hyperfine",
            page_bytes,
        ]))


if __name__ == "__main__":
    main()
