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
