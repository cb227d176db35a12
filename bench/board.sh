#!/usr/bin/env bash
# Live board (issue 4) in one run: N participants (guests, each with its own cookie jar) follow one board over
# Server-Sent Events while cards and dot votes are written at target rates. Reports the connected clients, the
# writes sent and acknowledged, the sustained write rate, the delivery latency from just before each POST to
# its reception at every client (p50 / p99 / max) and whether every client received every event; the ceiling
# is the same clients on the idle board with one writer (same server, same run), given as ratios.
# Load generator: crates/werkstatt/examples/board_load.rs (it shares the machine with the server).
#
# Usage: bench/board.sh [clients] [writes-per-run] [rates]      e.g. bench/board.sh 300 3000 100,300,1000
# With BENCH_PG_URL=postgres://user@host:5432 (no database name) the same run follows on PostgreSQL, in a
# database bench_board that the script creates and drops (psql needed).
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-300}"
writes="${2:-3000}"
rates="${3:-100,300,1000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet --bin werkstatt --example board_load
bin="$CARGO_TARGET_DIR/release/werkstatt"
load="$CARGO_TARGET_DIR/release/examples/board_load"
# Each client holds two connections (its stream and its writes), the server as many again.
ulimit -n 8192 2>/dev/null || true

data="$(mktemp -d)"
port=18082
base="http://127.0.0.1:$port"
pid=""
pg_db=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$pg_db" ]; then psql "$BENCH_PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

# One run against a fresh server: $1 names it (and its data folder); DATABASE_URL, if set, picks PostgreSQL.
run() {
  # The demo is loaded first, in its own process (the same content as `serve --demo`): loaded inside the
  # serving process it leaves ≈ 200 MiB more resident (216 against 18 MiB idle), which would hide the
  # board's own memory.
  "$bin" demo --data-dir "$data/$1" >/dev/null
  "$bin" serve --data-dir "$data/$1" --bind "127.0.0.1:$port" >"$data/$1.log" 2>&1 &
  pid=$!
  until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.05; done
  echo "== $1: $clients SSE clients, $writes writes per load run, target rates $rates/s =="
  "$load" --base "$base" --clients "$clients" --writes "$writes" --rate "$rates" --server-pid "$pid"
  printf '%-58s %s\n' "server peak RSS (MiB)" "$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$pid/status")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  local problems
  problems=$(grep -cE 'WARN|ERROR' "$data/$1.log" || true)
  printf '%-58s %s\n' "server log lines at WARN or ERROR" "$problems"
  { grep -E 'WARN|ERROR' "$data/$1.log" || true; } | sed 's/\x1b\[[0-9;]*m//g; s/^[^ ]* *//' | cut -c1-220 | sort | uniq -c | sort -rn | awk 'NR <= 5'
  echo
}

run sqlite

if [ -n "${BENCH_PG_URL:-}" ]; then
  pg_db=bench_board
  PGOPTIONS="-c client_min_messages=warning" psql "$BENCH_PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db" >/dev/null
  DATABASE_URL="$BENCH_PG_URL/$pg_db" run postgres
fi
