#!/usr/bin/env bash
# The benchmark's step before every build: moves what the last build left (its output folder and
# the other paths given) into the folder TRASH instead of deleting it, then writes everything back
# to disk (sync), so each build starts cold and with no writeback of earlier builds pending.
#
#   scripts/bench/aside.sh TRASH PATH...
#
# Why not rm -rf: on ext4 without a journal (as on the machine the figures were measured on), an
# inode freed less than 60 s ago (300 s more while its table block is unwritten) is skipped at
# every file creation, one by one, so a build right after deleting N files pays a kernel cost that
# grows with N times its own file count, whatever it computes; the generator deleted last, not the
# one timed, set the figure. bench.sh empties TRASH between sizes and then waits out the window.
set -euo pipefail
trash=$1
shift
mkdir -p "$trash"
for path in "$@"; do
    if [[ -e $path ]]; then
        mv "$path" "$(mktemp -d "$trash/XXXXXX")/"
    fi
done
sync
