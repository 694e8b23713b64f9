# corro's everyday commands. `just --list` shows them.

# Build the release binary.
build:
    cargo build --release

# Run every test (the same command README and CI use).
test:
    cargo test --workspace

# Lints CI enforces.
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

# Format the code.
fmt:
    cargo fmt --all

# The main job on the bundled sample corpus.
sample:
    cargo run --release -- run data/sample/reports --lexicons data/sample/lexicons --out out/sample

# The two real seed reports (needs ../shared).
seeds:
    cargo run --release -- run ../shared/corpus/seeds --out out/seeds

# Everything CI runs.
ci:
    bash .ci/run

# Micro and end-to-end benchmarks (divan): parsing, quantities, a whole run on 2,000 reports.
bench:
    cargo bench --workspace

# End-to-end benchmark on generated corpora (100 MB to 1 GB, N->4N, 200k->400k); long, best on an idle machine.
bench-e2e *ARGS:
    bash scripts/bench-e2e.sh {{ARGS}}

# Warm-cache versus cold runs on a generated corpus of N reports.
bench-cache N="100000":
    CHECK=1 bash scripts/bench-cache.sh target/bench-cache {{N}}

# Rewrite data/sample/baseline after a deliberate change to the sample's outputs.
sample-baseline:
    bash scripts/update-sample-baseline.sh

# The story-linkage, stance and attribution evaluations on ../shared/fnc1-train.
eval:
    cargo run --release -- eval linkage --stances ../shared/fnc1-train/stances.csv --bodies ../shared/fnc1-train/bodies.csv
    cargo run --release -- eval stance --stances ../shared/fnc1-train/stances.csv --bodies ../shared/fnc1-train/bodies.csv
    cargo run --release -- run ../shared/fnc1-train/bodies.csv --out target/fnc1 --quiet
    cargo run --release -- eval attribution --labels tests/eval/fnc1-attribution.csv --claims target/fnc1/claims.csv
    cargo run --release -- eval attribution --labels tests/eval/fnc1-attribution-test.csv --claims target/fnc1/claims.csv
    cargo run --release -- eval attribution --labels tests/eval/fnc1-attribution-fresh.csv --claims target/fnc1/claims.csv

# Fuzz every target for SECONDS each with coverage feedback (see fuzz/README.md).
fuzz SECONDS="60":
    RUSTFLAGS="-C passes=sancov-module -C llvm-args=-sanitizer-coverage-level=3 -C llvm-args=-sanitizer-coverage-inline-8bit-counters -C overflow-checks=on -C debug-assertions=on" cargo run --release -p corro-fuzz --target $(rustc -vV | sed -n 's/^host: //p') --target-dir target/fuzz -- run all --seconds {{SECONDS}}
