#!/usr/bin/env bash
# The incremental-run benchmark: a cold run over a generated corpus of REPORTS reports
# (default 100,000) filling an empty --cache, then a warm run over the same corpus plus
# a new drop of 1% more reports. Prints both wall-clock times, the speed-up and the
# per-stage timings from summary.json, and checks that the warm outputs equal an uncached
# run's when CHECK=1.
#
#   scripts/bench-cache.sh [WORK_DIR] [REPORTS]      # release build, ~5 min on 2 cores
#
# The corpus comes from scripts/gen-bench-corpus.py (deterministic: same numbers of
# reports give the same files).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/bench-cache}
n=${2:-100000}
new=$(( n / 100 ))
cargo build --release --quiet
corro=$PWD/target/release/corro
mkdir -p "$work"
if [ ! -f "$work/base.$n.done" ]; then
    rm -rf "$work/base" "$work/new" "$work/lex"
    python3 scripts/gen-bench-corpus.py "$work/base" --reports "$n" --lexicons "$work/lex"
    python3 scripts/gen-bench-corpus.py "$work/new" --reports "$new" --first-id "$n" --prefix new
    touch "$work/base.$n.done"
fi
rm -rf "$work/cache" "$work/out-cold" "$work/out-warm"
# Both inputs are given to the warm run; the cold run sees only the base.
secs() { local t0 t1; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
cold=$(secs "$corro" run "$work/base" --lexicons "$work/lex" --out "$work/out-cold" --cache "$work/cache" --quiet)
warm=$(secs "$corro" run "$work/base" "$work/new" --lexicons "$work/lex" --out "$work/out-warm" --cache "$work/cache" --quiet)
echo "reports: $n cold, $n + $new warm"
echo "cold run (empty cache):        ${cold}s"
echo "warm run (1% new reports):     ${warm}s"
echo "speed-up: $(echo "scale=1; $cold / $warm" | bc)x"
for d in out-cold out-warm; do
    echo "$d timings: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timings"])' "$work/$d/summary.json")"
done
if [ "${CHECK:-0}" = 1 ]; then
    "$corro" run "$work/base" "$work/new" --lexicons "$work/lex" --out "$work/out-plain" --quiet
    for f in reports.csv claims.csv clusters.csv evidence.csv; do
        cmp "$work/out-plain/$f" "$work/out-warm/$f"
    done
    echo "warm outputs identical to an uncached run"
fi
