#!/usr/bin/env bash
# Build-speed and memory benchmark: our generator on the real site against peer generators over
# the same content. A benchmark, not a test: it prints figures and fails only on real errors.
#
#   ./scripts/bench.sh            # 10 rounds
#   RUNS=20 ./scripts/bench.sh    # more rounds
#
# Each round runs every command once, back to back (in an order that rotates from round to round),
# so drift of a shared machine hits all of them alike; ratios are taken within a round and their
# median printed. Measured per run: wall time (bash's $EPOCHREALTIME around the process, µs
# resolution; GNU time's %e has only 10 ms), peak RSS (GNU time's %M) and CPU time (%U + %S, less
# sensitive than wall time to other jobs on a shared machine). Output folders are removed before every run (not
# timed): every build starts from scratch.
#
# Commands: ours (full build), ours without the search stage (MIANJING_NO_SEARCH=1), ours `check`
# (no writes); Hugo from Debian over a copy of content/ (installed with apt-get when missing and
# we are root or have sudo; otherwise skipped, saying so); mdBook only if already on PATH.
# The peers' sites are laid out by scripts/bench/prep_peer.py with the layouts in scripts/bench/.
#
# Comparability: Hugo builds no search index (compare it with "ours build, no search" too), and
# its layouts are a reduced copy of ours (same sidebar listing every section and page, breadcrumbs,
# TOC twice, answer, tags, prev/next), not byte-for-byte the same HTML. mdBook highlights in the
# browser (highlight.js), not at build time, and builds its own search index.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/scripts/bench"
RUNS=${RUNS:-10}
status=0

say() { printf '%s\n' "$*"; }
warn() { printf 'bench: %s\n' "$*" >&2; }
die() { warn "error: $*"; exit 1; }

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
(( BASH_VERSINFO[0] >= 5 )) || die "bash 5 or newer is needed (for \$EPOCHREALTIME)"

# apt-get install as root, or through passwordless sudo; returns non-zero when neither works.
apt_install() {
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else return 1; fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
    "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 || true
    "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null 2>&1
}

# --- tools ---------------------------------------------------------------------------------------
if ! /usr/bin/time --version 2>&1 | grep -q 'GNU'; then
    say "GNU time missing: installing Debian's time package"
    apt_install time || die "GNU time (/usr/bin/time) is missing and could not be installed (apt-get install time)"
fi
if ! command -v python3 >/dev/null || ! python3 -c 'import tomllib' 2>/dev/null; then
    say "python3 (3.11+) missing: installing it"
    apt_install python3 || die "python3 3.11+ is missing and could not be installed"
fi

# --- 1. our generator, release mode --------------------------------------------------------------
say "== building mianjing (cargo build --release)"
(cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
MJ="$ROOT/target/release/mianjing"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mianjing-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- peers ---------------------------------------------------------------------------------------
HUGO="" SKIPPED=()
if command -v hugo >/dev/null; then
    HUGO=$(command -v hugo)
else
    say "== Hugo not found: installing Debian's hugo package (apt-get install -y hugo)"
    if apt_install hugo && command -v hugo >/dev/null; then
        HUGO=$(command -v hugo)
    else
        warn "peer Hugo SKIPPED: hugo is not installed and could not be installed (needs root or passwordless sudo and Debian's hugo package)"
        SKIPPED+=("Hugo (not installed, could not install it)")
    fi
fi
if [[ -n "$HUGO" ]]; then
    say "== Hugo: $("$HUGO" version 2>/dev/null | head -1)"
    printf '   laying out the Hugo site: '
    python3 "$BENCH/prep_peer.py" hugo "$ROOT" "$WORK/hugo-site" || die "preparing the Hugo site failed"
fi

MDBOOK=""
if command -v mdbook >/dev/null; then
    MDBOOK=$(command -v mdbook)
    say "== mdBook: $("$MDBOOK" --version 2>/dev/null | head -1)"
    printf '   laying out the mdBook book: '
    python3 "$BENCH/prep_peer.py" mdbook "$ROOT" "$WORK/mdbook-book" || die "preparing the mdBook book failed"
else
    say "== mdBook not on PATH: skipped (cargo install mdbook takes minutes; install it to add this peer)"
fi

# --- the commands --------------------------------------------------------------------------------
# name | label | output dir ("" = writes nothing) | command (run from $ROOT, via env) | more paths
# to remove before each run (caches), space-separated
NAMES=() LABELS=() OUTS=() CMDS=() CLEAN=()
add() { NAMES+=("$1"); LABELS+=("$2"); OUTS+=("$3"); CMDS+=("$4"); CLEAN+=("${5:-}"); }
add ours "ours build" "$WORK/out-ours" "$MJ build --output $WORK/out-ours"
add ours-nosearch "ours build, no search" "$WORK/out-ours-nosearch" \
    "MIANJING_NO_SEARCH=1 $MJ build --output $WORK/out-ours-nosearch"
add ours-check "ours check" "" "$MJ check"
if [[ -n "$HUGO" ]]; then
    add peer:hugo "hugo" "$WORK/out-hugo" \
        "$HUGO --quiet --source $WORK/hugo-site --cacheDir $WORK/hugo-cache --destination $WORK/out-hugo" \
        "$WORK/hugo-cache $WORK/hugo-site/resources $WORK/hugo-site/.hugo_build.lock"
fi
if [[ -n "$MDBOOK" ]]; then
    add peer:mdbook "mdbook" "$WORK/out-mdbook" "$MDBOOK build $WORK/mdbook-book --dest-dir $WORK/out-mdbook"
fi
N=${#NAMES[@]}

# One timed run of command $1 (index) in round $2; appends to results.tsv.
run_one() {
    local i=$1 round=$2 out=${OUTS[$1]} t0 t1 wall rss
    [[ -n "$out" ]] && rm -rf "$out"
    [[ -n "${CLEAN[$i]}" ]] && rm -rf ${CLEAN[$i]}
    t0=$EPOCHREALTIME
    if ! (cd "$ROOT" && eval "exec /usr/bin/time -f '%e %M %U %S' -o '$WORK/time.txt' env ${CMDS[$i]}") \
        >"$WORK/stdout.txt" 2>"$WORK/stderr.txt"; then
        warn "error: '${CMDS[$i]}' failed in round $round:"
        sed 's/^/    /' "$WORK/stderr.txt" "$WORK/stdout.txt" >&2
        return 1
    fi
    t1=$EPOCHREALTIME
    wall=$(( (${t1/[.,]/} - ${t0/[.,]/}) ))
    read -r rss cpu < <(awk 'NF==4 {m=$2; c=($3+$4)*1000} END {print m, c}' "$WORK/time.txt")
    printf '%s\t%s\t%s.%03d\t%s\t%s\n' "$round" "${NAMES[$i]}" "$((wall / 1000))" "$((wall % 1000))" "$rss" \
        "$cpu" >>"$WORK/results.tsv"
}

say "== warm-up: every command once (checks that each works; not counted)"
declare -A DROP=()
for ((i = 0; i < N; i++)); do
    if ! run_one "$i" 0; then
        if [[ ${NAMES[$i]} == ours* ]]; then die "our generator failed: no benchmark"; fi
        warn "peer ${LABELS[$i]} DROPPED from the benchmark because it failed (see above)"
        SKIPPED+=("${LABELS[$i]} (failed in the warm-up run: a real error, exit status 1)")
        DROP[$i]=1
        status=1
    fi
done
: >"$WORK/results.tsv"

say "== $RUNS rounds of $((N - ${#DROP[@]})) commands"
for ((r = 1; r <= RUNS; r++)); do
    for ((k = 0; k < N; k++)); do
        i=$(( (k + r) % N ))
        [[ -n "${DROP[$i]:-}" ]] && continue
        run_one "$i" "$r" || die "a command failed during the measured rounds"
    done
    printf '.'
done
printf '\n'

# Sizes of the last run's output of each command.
: >"$WORK/sizes.tsv"
for ((i = 0; i < N; i++)); do
    [[ -n "${DROP[$i]:-}" ]] && continue
    out=${OUTS[$i]}
    if [[ -n "$out" && -d "$out" ]]; then
        html=$(find "$out" -name '*.html' | wc -l)
        files=$(find "$out" -type f | wc -l)
        kib=$(du -sk "$out" | cut -f1)
    else
        html=- files=- kib=0
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "${NAMES[$i]}" "$html" "$files" "$kib" "${LABELS[$i]}" >>"$WORK/sizes.tsv"
done

pages=$(find "$ROOT/content" -name '*.md' ! -name '_index.md' | wc -l)
sections=$(find "$ROOT/content" -mindepth 2 -name '_index.md' | wc -l)
say ""
say "== results: $RUNS rounds; content: $pages pages in $sections sections + home; $(nproc) CPUs; $(uname -sr)"
say "   (html/files/output: the last run's output folder; du -sk)"
python3 "$BENCH/stats.py" "$WORK/results.tsv" "$WORK/sizes.tsv"

say ""
say "== commands (run from $ROOT; WORK is a temporary folder, removed on exit)"
for ((i = 0; i < N; i++)); do
    [[ -n "${DROP[$i]:-}" ]] && continue
    printf "   %-22s /usr/bin/time -f '%%e %%M %%U %%S' -o \$WORK/time.txt env %s\n" "${LABELS[$i]}:" "${CMDS[$i]//$WORK/\$WORK}"
done
if [[ -n "$HUGO" && " ${SKIPPED[*]} " != *" hugo ("* ]]; then
    say "   hugo site: content/ copied, each {{ include(...) }} line replaced by a fenced rust block of"
    say "   the same anchor's lines; layouts and config from scripts/bench/hugo/ (class-based highlighting)"
fi
for s in "${SKIPPED[@]}"; do say "   NOTE: peer skipped: $s"; done
exit "$status"
