#!/usr/bin/env bash
# Redraws the share image and icons in static/ from the SVGs beside this script.
# Needs rsvg-convert (Debian: librsvg2-bin) and the Noto CJK fonts (fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")"
static=../../static
rsvg-convert -w 1200 -h 630 share.svg -o "$static/share.png"
rsvg-convert -w 192 -h 192 icon.svg -o "$static/icons/icon-192.png"
rsvg-convert -w 512 -h 512 icon.svg -o "$static/icons/icon-512.png"
rsvg-convert -w 180 -h 180 icon.svg -o "$static/icons/apple-touch-icon.png"
cp favicon.svg "$static/favicon.svg"
