#!/usr/bin/env bash
# Durable votes (issue 5): N concurrent clients (default 256, each a participant with its own cookie jar and
# keep-alive connection) cast point votes over HTTP; a vote is answered only after the batch holding it has
# committed (SQLite WAL with synchronous=FULL; PostgreSQL's default synchronous_commit). Reports acknowledged
# votes/s and latency p50 / p99 / max against GET /healthz req/s of the same clients in the same run, and
# against votes on a non-item (refused: the writer's check finds no such item, the request reads the format and
# answers 422 without writing), then
# checks that the totals equal the vote rows. Runs on a fresh SQLite data folder, then on a fresh PostgreSQL
# database (skipped when no PostgreSQL answers).
# Load generator: crates/werkstatt/examples/vote_load.rs (it shares the machine's 2 cores with the server).
#
# Usage: bench/votes.sh [clients] [seconds]          e.g. bench/votes.sh 256 10
# BENCH_PG_URL=postgres://user@host:5432 (no database name; default postgres://postgres@127.0.0.1:5432) picks
# the PostgreSQL server (name the user: with neither PGUSER nor USER set, the client library logs in as
# "anonymous"); the script creates and drops the database bench_votes there (psql needed).
# BENCH_SKIP_PG=1 runs SQLite only.
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-256}"
secs="${2:-10}"
pg_base="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet --bin werkstatt --example vote_load
bin="$CARGO_TARGET_DIR/release/werkstatt"
load="$CARGO_TARGET_DIR/release/examples/vote_load"
ulimit -n 8192 2>/dev/null || true

data="$(mktemp -d)"
port=18085
base="http://127.0.0.1:$port"
pid=""
pg_db=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$pg_db" ]; then psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

# One run against a fresh server: $1 names it, $2 is the database URL (empty: SQLite in its data folder).
run() {
  local name="$1" url="$2"
  if [ -z "$url" ]; then url="sqlite:$data/$name/werkstatt.db"; fi
  mkdir -p "$data/$name"
  "$bin" serve --data-dir "$data/$name" --database-url "$url" --bind "127.0.0.1:$port" >"$data/$name.log" 2>&1 &
  pid=$!
  until curl -fs "$base/healthz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$data/$name.log"; exit 1; }
    sleep 0.05
  done
  echo "== $name: $clients clients, ${secs} s of votes =="
  "$load" --base "$base" --database-url "$url" --clients "$clients" --secs "$secs" --refused-secs 5 --server-pid "$pid"
  printf '%-52s %s\n' "server peak RSS (MiB)" "$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$pid/status")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  local problems
  problems=$(grep -cE 'WARN|ERROR' "$data/$name.log" || true)
  printf '%-52s %s\n' "server log lines at WARN or ERROR" "$problems"
  { grep -E 'WARN|ERROR' "$data/$name.log" || true; } | sed 's/\x1b\[[0-9;]*m//g; s/^[^ ]* *//' | cut -c1-220 | sort | uniq -c | sort -rn | awk 'NR <= 5'
  echo
}

run sqlite ""

if [ "${BENCH_SKIP_PG:-0}" != 1 ]; then
  if psql "$pg_base/postgres" -qc "SELECT 1" >/dev/null 2>&1; then
    pg_db=bench_votes
    psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db" >/dev/null
    run postgres "$pg_base/$pg_db"
  else
    echo "== postgres: skipped, no PostgreSQL answers at $pg_base =="
  fi
fi
