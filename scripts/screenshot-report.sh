#!/usr/bin/env bash
# Renders OUT_DIR/report.html in a real browser (headless Chromium) to a PNG, with every
# cluster unfolded (`report.html#all`), so a human or CI can see the page works.
#
#   scripts/screenshot-report.sh OUT_DIR PNG
#
# Installs Debian's `chromium` with apt-get when it is missing and we are root; when it
# cannot be had, prints why and exits 0 (a machine without a browser is not a failure of
# corro). Fails (exit 1) when the browser runs but writes no image. The browser is kept
# off the network: the page must not need it.
set -euo pipefail
usage="usage: scripts/screenshot-report.sh OUT_DIR PNG"
out=${1:?$usage}
png=${2:?$usage}
if [ ! -f "$out/report.html" ]; then
    echo "no $out/report.html: run \`corro run … --out $out\` first" >&2
    exit 2
fi
html=$(realpath "$out/report.html")
mkdir -p "$(dirname "$png")"
png=$(realpath "$png")

find_browser() { command -v chromium || command -v chromium-browser || true; }
browser=$(find_browser)
if [ -z "$browser" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "skipped: chromium is not installed and installing it needs root"
        exit 0
    fi
    if ! command -v apt-get >/dev/null; then
        echo "skipped: chromium is not installed and there is no apt-get"
        exit 0
    fi
    echo "installing chromium (apt-get)…"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
        echo "skipped: apt-get could not install chromium"
        exit 0
    fi
    browser=$(find_browser)
    if [ -z "$browser" ]; then
        echo "skipped: chromium installed but not on PATH"
        exit 0
    fi
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$png"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --screenshot="$png" --window-size=1400,1000 \
    "file://$html#all" >/dev/null 2>"$profile/stderr" || true
if [ ! -s "$png" ]; then
    echo "chromium wrote no screenshot; its stderr:" >&2
    cat "$profile/stderr" >&2
    exit 1
fi
echo "wrote $png ($(stat -c %s "$png") bytes)"
