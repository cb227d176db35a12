#!/usr/bin/env bash
# Full-text search (issue 6): build the in-memory tantivy index from N synthetic German documents
# (default 100,000: five kinds, 40 cities, three visibilities) and measure per-query latency p50/p99 over
# ten queries as three viewers (anonymous, member of two cities, network admin), each query returning a page
# of 20 hits with facets, highlighted snippets and the visibility filter. Peer in the same run: a naive
# substring scan over the same texts.
# Code: crates/search/examples/search_bench.rs.
#
# Usage: bench/search.sh [documents] [rounds]     e.g. bench/search.sh 100000 20
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p search --example search_bench
"$CARGO_TARGET_DIR/release/examples/search_bench" "${1:-100000}" "${2:-20}"
