#!/usr/bin/env bash
# Rewrites data/sample/baseline/ from the current code: the committed run of the bundled
# sample that CI compares against (`corro run … --baseline data/sample/baseline --fail-on
# changed`). Run it, review `git diff data/sample/baseline`, and commit it with the change
# that moved the sample's outputs — the diff *is* the review of what your change did.
#
#   scripts/update-sample-baseline.sh            # uses a release build
#   CORRO=target/debug/corro scripts/update-sample-baseline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CORRO:-}" ]; then
    cargo build --release --quiet
    CORRO=target/release/corro
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$CORRO" run data/sample/reports --lexicons data/sample/lexicons --out "$out" --quiet
mkdir -p data/sample/baseline
# The CSVs only: summary.json has timings and report.html names its directory. The
# comparison reads clusters.csv, evidence.csv and claims.csv; reports.csv helps a reviewer.
for f in reports.csv claims.csv clusters.csv evidence.csv; do
    cp "$out/$f" "data/sample/baseline/$f"
done
echo "data/sample/baseline updated; review with: git diff --stat data/sample/baseline"
