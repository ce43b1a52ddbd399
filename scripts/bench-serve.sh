#!/usr/bin/env bash
# Live-preview latency benchmark: how long after a contributor saves a page the open browser page
# is told to reload. A benchmark, not a test: it prints figures and goal lines, and fails only on
# real errors (build failure, server not starting, timeouts), never on a missed goal.
#
#   ./scripts/bench-serve.sh               # 15 edits per site
#   EDITS=30 ./scripts/bench-serve.sh      # more edits
#   PAGES=10000 ./scripts/bench-serve.sh   # a bigger generated site (default 1,000 pages)
#
# Two sites, each served by `mianjing serve --port 0` (release build):
#   * a copy of the real site (site.toml, content/, templates/, static/, snippets/) in a temporary
#     folder: the repository's own files are never edited;
#   * a generated site of $PAGES pages: `scripts/bench/corpus.py $PAGES DIR`, site root DIR/ours.
# For each, scripts/bench-serve/measure.py connects to the event stream like an open page, edits
# one page $EDITS times (after one warm-up edit) and measures, with one monotonic clock in the
# process that writes the file, the time from the write to the `reload` event: watcher, debounce,
# rebuild, publishing and delivery together. It prints the median, min and max, and the server's
# own rebuild time, so the rest (watcher + debounce + delivery) can be told apart.
#
# Goals: median < 30 ms for the real site, < 100 ms for 1,000 pages.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EDITS=${EDITS:-15}
PAGES=${PAGES:-1000}

say() { printf '%s\n' "$*"; }
die() { printf 'bench-serve: error: %s\n' "$*" >&2; exit 1; }

[[ "$EDITS" =~ ^[1-9][0-9]*$ ]] || die "EDITS must be a positive integer, got '$EDITS'"
[[ "$PAGES" =~ ^[1-9][0-9]*$ ]] || die "PAGES must be a positive integer, got '$PAGES'"
command -v python3 >/dev/null || die "python3 is needed (apt-get install python3)"

say "==> cargo build --release"
(cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
BIN="$ROOT/target/release/mianjing"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-serve.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

say "==> copying the real site and generating $PAGES pages (scripts/bench/corpus.py) in $WORK"
mkdir -p "$WORK/real"
for name in site.toml content templates static snippets; do
    cp -R "$ROOT/$name" "$WORK/real/"
done
rm -rf "$WORK/real/snippets/target"
python3 "$ROOT/scripts/bench/corpus.py" "$PAGES" "$WORK/corpus" >/dev/null \
    || die "scripts/bench/corpus.py $PAGES failed"

real_pages=$(find "$WORK/real/content" -name '*.md' ! -name '_index.md' | wc -l)
say ""
say "serve latency: file write -> reload event, $EDITS edits per site ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
python3 "$ROOT/scripts/bench-serve/measure.py" --bin "$BIN" --root "$WORK/real" \
    --label "real site ($real_pages pages)" --goal 30 --edits "$EDITS"
goal=()
[[ "$PAGES" == 1000 ]] && goal=(--goal 100)  # the goal is set for 1,000 pages
python3 "$ROOT/scripts/bench-serve/measure.py" --bin "$BIN" --root "$WORK/corpus/ours" \
    --label "generated site ($PAGES pages)" "${goal[@]}" --edits "$EDITS"
