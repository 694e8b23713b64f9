#!/usr/bin/env bash
# End-to-end benchmark of `corro run` on corpora written by `corro gen`.
#
#   scripts/bench-e2e.sh            # 100 MB and 1 GB, N -> 4N, N -> 2N at 200,000 reports
#   scripts/bench-e2e.sh --quick    # a small smoke run (seconds), for CI
#   scripts/bench-e2e.sh --runs "40000 160000"   # just these report counts
#   scripts/bench-e2e.sh --runs "40000 160000" --pairs 5   # then 5 more N, 4N pairs
#
# For each corpus it prints MB/s and reports/s (wall clock), CPU seconds, peak RSS, and
# then the scaling ratios t(4N)/t(N) (target <= 4.4) and t(2N)/t(N) at N = 200,000
# (target <= 2.3). Corpora are generated under target/bench-e2e (JSONL, 10,000 reports
# per file), reused when present, and deleted at the end unless --keep is given.
# Results are appended to target/bench-e2e/results.tsv.
#
# The machine may be shared: wall-clock figures are only meaningful when it is idle,
# which is why CPU seconds (user + sys) are printed too. Even idle, the development
# machine's speed moves by tens of percent from minute to minute, so one N -> 4N pair
# says little: --pairs K runs N and 4N (the first size and four times it) K more times,
# back to back, and prints each pair's ratios and their medians.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="40000 160000 200000 400000"
keep=0
seed=1
threads=""
pairs=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) runs="2000 8000" ;;
        --runs) runs="$2"; shift ;;
        --keep) keep=1 ;;
        --seed) seed="$2"; shift ;;
        --threads) threads="--threads $2"; shift ;;
        --pairs) pairs="$2"; shift ;;
        *) echo "usage: $0 [--quick] [--runs \"N ...\"] [--keep] [--seed S] [--threads T] [--pairs K]" >&2; exit 2 ;;
    esac
    shift
done

if [ ! -x /usr/bin/time ]; then
    echo "== installing GNU time (needed for peak RSS)"
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time >/dev/null; else sudo apt-get install -y -qq time >/dev/null; fi
fi

echo "== building the release binary"
cargo build --release --quiet
bin=target/release/corro
dir=target/bench-e2e
mkdir -p "$dir"

# About 2.5 KB of text per report: make sure the disk has room for the largest corpus.
largest=0
for n in $runs; do [ "$n" -gt "$largest" ] && largest=$n; done
need_kb=$(( largest * 3 ))
avail_kb=$(df -Pk "$dir" | awk 'NR==2 {print $4}')
if [ "$avail_kb" -lt $(( need_kb * 2 )) ]; then
    echo "not enough disk under $dir: need ~$(( need_kb * 2 / 1024 )) MB, have $(( avail_kb / 1024 )) MB" >&2
    exit 1
fi

results="$dir/results.tsv"
[ -f "$results" ] || printf 'date\tcommit\treports\tbytes\twall_s\tuser_s\tsys_s\tMB_per_s\treports_per_s\tpeak_rss_MB\n' > "$results"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

declare -A wall cpus
# Runs corpus c$1 (generated if missing), prints its row and records wall[$1], cpus[$1].
run_one() {
    local n=$1
    corpus="$dir/c$n"
    if [ ! -f "$corpus/.done" ]; then
        rm -rf "$corpus"
        "$bin" gen --reports "$n" --seed "$seed" --format jsonl --out "$corpus" >/dev/null
        touch "$corpus/.done"
    fi
    bytes=$(du -sb "$corpus/reports" | cut -f1)
    out="$dir/out$n"
    rm -rf "$out"
    # shellcheck disable=SC2086
    /usr/bin/time -v "$bin" run "$corpus/reports" --lexicons "$corpus/lexicons" --out "$out" --quiet $threads \
        2> "$dir/time$n.txt" >/dev/null || { cat "$dir/time$n.txt" >&2; exit 1; }
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$dir/time$n.txt")
    u=$(awk -F': ' '/User time/ {print $2}' "$dir/time$n.txt")
    s=$(awk -F': ' '/System time/ {print $2}' "$dir/time$n.txt")
    rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$dir/time$n.txt")
    wall[$n]=$w
    mbs=$(awk -v b="$bytes" -v w="$w" 'BEGIN {printf "%.1f", b/1e6/w}')
    rps=$(awk -v n="$n" -v w="$w" 'BEGIN {printf "%.0f", n/w}')
    cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.1f", u+s}')
    mbcpu=$(awk -v b="$bytes" -v c="$cpu" 'BEGIN {printf "%.1f", b/1e6/c}')
    printf '%-9s %9.1f %8.1f %8s %8s %9s %11s %9s\n' "$n" "$(awk -v b="$bytes" 'BEGIN{print b/1e6}')" "$w" "$cpu" "$mbs" "$rps" "$mbcpu" "$rss"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$commit" "$n" "$bytes" "$w" "$u" "$s" "$mbs" "$rps" "$rss" >> "$results"
    cpus[$n]=$cpu
    echo "           stage timings (ms): $(tr -d '\n ' < "$out/summary.json" | sed 's/.*"timings":{\([^}]*\)}.*/\1/')"
}

printf '%-9s %9s %8s %8s %8s %9s %11s %9s\n' reports MB wall_s cpu_s MB/s reports/s MB/cpu_s rss_MB
for n in $runs; do
    run_one "$n"
done

ratio() {
    local a=$1 b=$2 limit=$3
    if [ -n "${wall[$a]:-}" ] && [ -n "${wall[$b]:-}" ]; then
        awk -v x="${wall[$a]}" -v y="${wall[$b]}" -v a="$a" -v b="$b" -v l="$limit" \
            'BEGIN {r=y/x; printf "t(%s)/t(%s) = %.2f (target <= %s) %s\n", b, a, r, l, (r<=l?"ok":"OVER")}'
    fi
}
echo "== scaling"
set -- $runs
first=$1
ratio "$first" "$(( first * 4 ))" 4.4
ratio 200000 400000 2.3

if [ "$pairs" -gt 0 ]; then
    big=$(( first * 4 ))
    echo "== $pairs pairs of $first and $big reports, back to back"
    walls="" cpu_ratios=""
    for i in $(seq "$pairs"); do
        run_one "$first"
        run_one "$big"
        r=$(awk -v x="${wall[$first]}" -v y="${wall[$big]}" 'BEGIN {printf "%.2f", y/x}')
        c=$(awk -v x="${cpus[$first]}" -v y="${cpus[$big]}" 'BEGIN {printf "%.2f", y/x}')
        echo "pair $i: t($big)/t($first) = $r wall, $c CPU"
        walls="$walls $r" cpu_ratios="$cpu_ratios $c"
    done
    median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
    mw=$(echo "$walls" | median)
    mc=$(echo "$cpu_ratios" | median)
    awk -v w="$mw" -v c="$mc" -v a="$first" -v b="$big" \
        'BEGIN {printf "median of the pairs: t(%s)/t(%s) = %.2f wall (target <= 4.4) %s, %.2f CPU\n", b, a, w, (w<=4.4?"ok":"OVER"), c}'
fi

if [ "$keep" = 0 ]; then
    for n in $runs; do rm -rf "$dir/c$n" "$dir/out$n"; done
fi
