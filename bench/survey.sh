#!/usr/bin/env bash
# Survey results page (issue 5) in one run: a survey with eight questions of every type and N responses
# (default 10,000), then the results page timed against the /healthz ceiling on the same server: sequential
# latency (median, p90, p99, max) and throughput with concurrent clients, as ratios to the ceiling. The public
# page, the editor's page (with the newest free texts) and the JSON results are measured.
# Set-up and load generator: crates/werkstatt/examples/survey_results.rs (it shares the machine with the server).
#
# Usage: bench/survey.sh [responses] [sequential-requests] [seconds-per-throughput-run]   e.g. bench/survey.sh 10000 300 5
# With BENCH_PG_URL=postgres://user@host:5432 (no database name) the same run follows on PostgreSQL, in a
# database bench_survey that the script creates and drops (psql needed).
set -euo pipefail
cd "$(dirname "$0")/.."
responses="${1:-10000}"
requests="${2:-300}"
secs="${3:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet --bin werkstatt --example survey_results
bin="$CARGO_TARGET_DIR/release/werkstatt"
tool="$CARGO_TARGET_DIR/release/examples/survey_results"

data="$(mktemp -d)"
port=18083
base="http://127.0.0.1:$port"
pid=""
pg_db=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$pg_db" ]; then psql "$BENCH_PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

# One run: $1 names it; $2 is the database URL (SQLite file in the run's folder, or PostgreSQL).
run() {
  local dir="$data/$1" url="$2"
  mkdir -p "$dir"
  DATABASE_URL="$url" "$bin" demo --data-dir "$dir" >"$dir/demo.log" 2>&1
  local started id
  started=$(date +%s.%N)
  id=$("$tool" setup --database-url "$url" --responses "$responses" 2>"$dir/setup.log")
  echo "== $1: survey $id with $responses responses (set-up $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b-a}') s) =="
  cat "$dir/setup.log"
  DATABASE_URL="$url" "$bin" serve --data-dir "$dir" --bind "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
  pid=$!
  until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.05; done
  "$tool" measure --base "$base" --id "$id" --requests "$requests" --seconds "$secs"
  printf '%-34s %s\n' "server peak RSS (MiB)" "$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$pid/status")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  printf '%-34s %s\n' "server log lines at WARN or ERROR" "$(grep -cE 'WARN|ERROR' "$dir/serve.log" || true)"
  echo
}

run sqlite "sqlite:$data/sqlite/werkstatt.db"

if [ -n "${BENCH_PG_URL:-}" ]; then
  pg_db=bench_survey
  psql "$BENCH_PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db" >/dev/null
  run postgres "$BENCH_PG_URL/$pg_db"
fi
