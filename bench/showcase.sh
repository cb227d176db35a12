#!/usr/bin/env bash
# The public city showcase (issue 6): requests/s of /kommunen/arnsberg/schaufenster (definition, fields and
# goals, every public measure with its latest progress, roadmap SVG, the chain from contributions to measures)
# against the /healthz ceiling of the same server in the same run, on the demo data.
# Usage: bench/showcase.sh [seconds-per-load-run]   (needs wrk and curl)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p werkstatt --bin werkstatt --examples
bin="$CARGO_TARGET_DIR/release/werkstatt"
data="$(mktemp -d)"
port=18084
base="http://127.0.0.1:$port"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" serve --demo --data-dir "$data" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.05; done
curl -fs -o /dev/null "$base/kommunen/arnsberg/schaufenster"
load() { wrk -t2 -c32 -d"${secs}s" --latency "$base$1" | awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {print rps, p99}'; }
read -r health health_p99 < <(load /healthz)
read -r show show_p99 < <(load /kommunen/arnsberg/schaufenster)
read -r city city_p99 < <(load /kommunen/arnsberg)
printf '%-40s %12s %10s\n' "GET" "requests/s" "p99"
printf '%-40s %12s %10s\n' "/healthz (ceiling)" "$health" "$health_p99"
printf '%-40s %12s %10s\n' "/kommunen/arnsberg/schaufenster" "$show" "$show_p99"
printf '%-40s %12s %10s\n' "/kommunen/arnsberg (city page, peer)" "$city" "$city_p99"
printf '%-40s %12s\n' "ratio showcase : /healthz" "$(awk -v a="$show" -v b="$health" 'BEGIN {printf "%.3f", a/b}')"
