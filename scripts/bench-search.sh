#!/usr/bin/env bash
# Search benchmark on the real site (a script, not a test). Prints:
#   - build time with and without the search stage (median of N release builds) and the ratio,
#   - index size (gzip),
#   - bytes the browser transfers for the first query (gzip, cold cache, median over the queries),
#   - time from the last keystroke to rendered results in Chromium (median),
#   - top-3 hit rate on tests/data/search-queries.tsv and tests/data/search-queries-extra.tsv,
# and the same figures for Pagefind over the same built site, with ratios ours/Pagefind.
# Pagefind: PAGEFIND=/path/to/pagefind, else `pagefind` on PATH, else tests/browser/node_modules,
# else it is installed from npm into ${XDG_CACHE_HOME:-~/.cache}/mianjing-bench (never into the repo);
# NO_PAGEFIND=1 skips it. RUNS=N sets the number of timed builds (default 7).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/mianjing

ms_of() { sed -n 's/.* in \([0-9]*\) ms.*/\1/p'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_builds() { # $@: extra build flags
  for _ in $(seq "$runs"); do "$bin" build "$@" --output "$work/t" 2>&1 | ms_of; done | median
}
"$bin" build --output "$work/t" >/dev/null 2>&1 # warm the page cache
with=$(time_builds)
without=$(time_builds --no-search)
"$bin" build --output "$work/site" 2>/dev/null
index_raw=$(cat "$work"/site/search/meta.json "$work"/site/search/s/*.json | wc -c)
index_gz=0
for f in "$work"/site/search/meta.json "$work"/site/search/s/*.json; do
  index_gz=$((index_gz + $(gzip -9c "$f" | wc -c)))
done
frag_gz=0
for f in "$work"/site/search/d/*.json; do frag_gz=$((frag_gz + $(gzip -9c "$f" | wc -c))); done
shards=$(ls "$work"/site/search/s | wc -l)

echo "== build (median of $runs release builds, whole pipeline)"
echo "with search:    ${with} ms"
echo "without search: ${without} ms"
awk -v a="$with" -v b="$without" 'BEGIN { if (b > 0) printf "ratio with/without: %.2f\n", a / b }'
echo "== index"
echo "terms index: $shards shards, $index_raw bytes raw, $index_gz bytes gzip (meta + all shards; a query loads a few)"
echo "snippet text: $(ls "$work"/site/search/d | wc -l) files of one page each, $frag_gz bytes gzip in all (the files of the top 5 results are loaded)"

if [ ! -d tests/browser/node_modules/playwright-core ]; then
  (cd tests/browser && npm ci --no-audit --no-fund)
fi
queries=(tests/data/search-queries.tsv tests/data/search-queries-extra.tsv)
echo "== browser (headless Chromium)"
node scripts/bench-search/measure.mjs ours "$work/site" "${queries[@]}" | tee "$work/ours.jsonl"

pagefind=${PAGEFIND:-}
if [ -z "${NO_PAGEFIND:-}" ] && [ -z "$pagefind" ]; then
  if command -v pagefind >/dev/null; then pagefind=$(command -v pagefind)
  elif [ -x tests/browser/node_modules/.bin/pagefind ]; then pagefind=tests/browser/node_modules/.bin/pagefind
  else
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/mianjing-bench
    if [ ! -x "$cache/node_modules/.bin/pagefind" ]; then
      echo "== installing pagefind into $cache"
      mkdir -p "$cache" && (cd "$cache" && npm install --no-audit --no-fund --silent pagefind >/dev/null) || true
    fi
    [ -x "$cache/node_modules/.bin/pagefind" ] && pagefind="$cache/node_modules/.bin/pagefind"
  fi
fi
if [ -z "$pagefind" ]; then
  echo "== Pagefind not available: no comparison"
  exit 0
fi
# Pagefind at its best: only the question pages' <main> indexed (the sidebar lists every title on
# every page; section, tag and search pages are not results ours gives either).
cp -r "$work/site" "$work/pf"
find "$work/pf" -mindepth 3 -maxdepth 3 -name index.html -not -path '*/tags/*' -not -path '*/search/*' \
  -exec sed -i 's/<main id="main"/<main data-pagefind-body id="main"/' {} +
cp scripts/bench-search/pagefind-bench.html "$work/pf/"
start=$(date +%s%N)
"$pagefind" --site "$work/pf" >/dev/null
pf_ms=$(( ($(date +%s%N) - start) / 1000000 ))
pf_gz=0
for f in $(find "$work/pf/pagefind" -name '*.pf_index' -o -name '*.pf_meta' -o -name 'pagefind-entry.json'); do
  pf_gz=$((pf_gz + $(gzip -9c "$f" | wc -c)))
done
echo "== Pagefind $("$pagefind" --version 2>/dev/null | tr -d '\n')"
echo "index time (separate process, after the build): ${pf_ms} ms; index files ${pf_gz} bytes gzip"
node scripts/bench-search/measure.mjs pagefind "$work/pf" "${queries[@]}" | tee "$work/pf.jsonl"
echo "== ours / Pagefind"
python3 - "$work/ours.jsonl" "$work/pf.jsonl" "$with" "$without" "$pf_ms" <<'PY'
import json, sys
ours = [json.loads(l) for l in open(sys.argv[1])]
pf = [json.loads(l) for l in open(sys.argv[2])]
with_ms, without_ms, pf_ms = (float(x) for x in sys.argv[3:6])
print(f"index build time: ours {with_ms - without_ms:.0f} ms (inside the build) vs Pagefind {pf_ms:.0f} ms (extra step)")
for o, p in zip(ours, pf):
    print(f"{o['file']}: hit rate {o['hit_rate']*100:.1f}% vs {p['hit_rate']*100:.1f}%;"
          f" first-query bytes {o['first_query_bytes_median']} vs {p['first_query_bytes_median']}"
          f" (ratio {o['first_query_bytes_median']/p['first_query_bytes_median']:.2f});"
          f" keystroke→results {o['ms_median']:.1f} ms vs {p['ms_median']:.1f} ms"
          f" (ratio {o['ms_median']/max(p['ms_median'],0.1):.2f})")
PY
