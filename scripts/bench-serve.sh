#!/usr/bin/env bash
# Live-preview latency benchmark: how long after a contributor saves a page the open browser page
# is told to reload. A benchmark, not a test: it prints figures and goal lines, and fails only on
# real errors (build failure, server not starting, timeouts), never on a missed goal.
#
#   ./scripts/bench-serve.sh               # 15 edits per site
#   EDITS=30 ./scripts/bench-serve.sh      # more edits
#   PAGES="1000" ./scripts/bench-serve.sh  # other generated sizes (default "1000 10000")
#
# Two sites, each served by `mianjing serve --port 0` (release build):
#   * a copy of the real site (site.toml, content/, templates/, static/, snippets/) in a temporary
#     folder: the repository's own files are never edited;
#   * generated sites of each size in $PAGES: `scripts/bench/corpus.py N DIR`, site root DIR/ours.
# For each, scripts/bench-serve/measure.py connects to the event stream like an open page, edits
# one page $EDITS times (after one warm-up edit) and measures, with one monotonic clock in the
# process that writes the file, the time from the write to the `reload` event: watcher, debounce,
# rebuild, publishing and delivery together. It prints the median, min and max, and the server's
# own rebuild time, so the rest (watcher + debounce + delivery) can be told apart.
#
# The largest size is measured once more, with edits at the pace of an editor that saves as one
# types (--pace 200: each edit 200 ms after the last reload): there the next edit lands while the
# server still rebuilds the search index after the last, which must give way to it.
#
# Goals: median < 30 ms for the real site, < 100 ms for 1,000 pages, < 50 ms for 10,000 pages,
# paced or not (an edit rebuilds one page and its neighbours, so the time should not grow with the
# site; the 10,000-page goal is the one that proves it).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EDITS=${EDITS:-15}
PAGES=${PAGES:-1000 10000}

say() { printf '%s\n' "$*"; }
die() { printf 'bench-serve: error: %s\n' "$*" >&2; exit 1; }

[[ "$EDITS" =~ ^[1-9][0-9]*$ ]] || die "EDITS must be a positive integer, got '$EDITS'"
read -r -a SIZES <<<"$PAGES"
((${#SIZES[@]} > 0)) || die "PAGES is empty"
for n in "${SIZES[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "PAGES must hold positive integers, got '$n'"
done
command -v python3 >/dev/null || die "python3 is needed (apt-get install python3)"

say "==> cargo build --release"
(cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
BIN="$ROOT/target/release/mianjing"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-serve.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

say "==> copying the real site and generating ${SIZES[*]} pages (scripts/bench/corpus.py) in $WORK"
mkdir -p "$WORK/real"
for name in site.toml content templates static snippets; do
    cp -R "$ROOT/$name" "$WORK/real/"
done
rm -rf "$WORK/real/snippets/target"
for n in "${SIZES[@]}"; do
    python3 "$ROOT/scripts/bench/corpus.py" "$n" "$WORK/corpus-$n" >/dev/null \
        || die "scripts/bench/corpus.py $n failed"
done

real_pages=$(find "$WORK/real/content" -name '*.md' ! -name '_index.md' | wc -l)
say ""
say "serve latency: file write -> reload event, $EDITS edits per site ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
python3 "$ROOT/scripts/bench-serve/measure.py" --bin "$BIN" --root "$WORK/real" \
    --label "real site ($real_pages pages)" --goal 30 --edits "$EDITS"
for n in "${SIZES[@]}"; do
    goal=()
    case $n in 1000) goal=(--goal 100) ;; 10000) goal=(--goal 50) ;; esac
    python3 "$ROOT/scripts/bench-serve/measure.py" --bin "$BIN" --root "$WORK/corpus-$n/ours" \
        --label "generated site ($n pages)" "${goal[@]}" --edits "$EDITS"
done
largest=${SIZES[-1]}
goal=()
case $largest in 1000) goal=(--goal 100) ;; 10000) goal=(--goal 50) ;; esac
python3 "$ROOT/scripts/bench-serve/measure.py" --bin "$BIN" --root "$WORK/corpus-$largest/ours" \
    --label "generated site ($largest pages), saving as one types" "${goal[@]}" --edits "$EDITS" \
    --pace 200
