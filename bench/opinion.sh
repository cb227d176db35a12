#!/usr/bin/env bash
# Opinion map (issue 5): analyse a synthetic conversation the size of the largest known Pol.is conversation
# (33,000 participants × 800 statements, ~2 million votes, four planted groups) on one core, against two
# ceilings measured in the same run: one plain pass over the vote list, and building the sparse vote matrix.
# A second run has no planted structure at all (pure noise), the slowest case for the PCA.
# Usage: bench/opinion.sh            (needs taskset from util-linux)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p opinion --example synthetic
bin="$CARGO_TARGET_DIR/release/examples/synthetic"

echo "== four planted groups"
taskset -c 0 "$bin" 33000 800 61 4
echo
echo "== no structure (one 'group', every vote agrees except 20 % noise)"
taskset -c 0 "$bin" 33000 800 61 1
