#!/usr/bin/env bash
# The incremental-run benchmark: a cold run over a generated corpus of REPORTS reports
# (default 100,000) filling an empty --cache, then a warm run over the same corpus plus
# a new drop of 1% more reports. Prints both wall-clock times, the speed-up, and the
# per-stage timings and cache counts from summary.json (exiting 1 if the warm run reused
# nothing), and checks that the warm outputs equal an uncached run's when CHECK=1.
#
#   scripts/bench-cache.sh [WORK_DIR] [REPORTS]      # release build, ~5 min on 2 cores
#
# The corpus comes from `corro gen` (deterministic: same seed and size, same bytes):
# REPORTS + 1% text reports, 1,000 per directory; the last directory is held back as
# the new drop. Both runs use the lexicons of the whole generated world.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/bench-cache}
n=${2:-100000}
new=$(( n / 100 ))
cargo build --release --quiet
corro=$PWD/target/release/corro
mkdir -p "$work"
if [ ! -f "$work/base.gen.$n.done" ]; then
    rm -rf "$work/base" "$work/new" "$work/lex" "$work/gen"
    mkdir -p "$work/gen"
    "$corro" gen --reports $(( n + new )) --seed 1 --out "$work/gen" --format txt >/dev/null
    mv "$work/gen/lexicons" "$work/lex"
    mv "$work/gen/reports" "$work/base"
    # The new drop: the reports numbered n and up (whole directories of 1,000).
    mkdir -p "$work/new"
    for d in "$work/base"/*/; do
        first=$(basename "$d")
        if [ $(( 10#$first * 1000 )) -ge "$n" ]; then mv "$d" "$work/new/"; fi
    done
    rm -rf "$work/gen"
    touch "$work/base.gen.$n.done"
fi
rm -rf "$work/cache" "$work/out-cold" "$work/out-warm"
# Both runs read the inputs from the page cache: read once here, so that the cold run's
# time is extracting, not waiting on the disk (which flattered the speed-up: a cold run
# of 39.7 s with its inputs on disk, 29-33 s with them in memory).
find "$work/base" "$work/new" -type f -exec cat {} + >/dev/null
# Both inputs are given to the warm run; the cold run sees only the base.
secs() { local t0 t1; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
cold=$(secs "$corro" run "$work/base" --lexicons "$work/lex" --out "$work/out-cold" --cache "$work/cache" --quiet)
warm=$(secs "$corro" run "$work/base" "$work/new" --lexicons "$work/lex" --out "$work/out-warm" --cache "$work/cache" --quiet)
echo "reports: $n cold, $n + $new warm"
echo "cold run (empty cache):        ${cold}s"
echo "warm run (1% new reports):     ${warm}s"
# Rounded, not truncated (bc's scale=1 made 1.78 "1.7").
echo "speed-up: $(LC_ALL=C printf '%.2f' "$(echo "scale=4; $cold / $warm" | bc)")x"
for d in out-cold out-warm; do
    echo "$d timings: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timings"])' "$work/$d/summary.json")"
    echo "$d cache: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cache"])' "$work/$d/summary.json")"
done
# A warm run that reused nothing (another binary's entries, other lexicons) measures two
# cold runs: say so rather than print a meaningless speed-up.
reused=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cache"]["reused"])' "$work/out-warm/summary.json")
if [ "$reused" -eq 0 ]; then
    echo "the warm run reused no cache entry: this is not a warm measurement" >&2
    exit 1
fi
if [ "${CHECK:-0}" = 1 ]; then
    "$corro" run "$work/base" "$work/new" --lexicons "$work/lex" --out "$work/out-plain" --quiet
    for f in reports.csv claims.csv clusters.csv evidence.csv; do
        cmp "$work/out-plain/$f" "$work/out-warm/$f"
    done
    echo "warm outputs identical to an uncached run"
fi
