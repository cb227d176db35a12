#!/usr/bin/env bash
# Instructions per durable vote and per GET /healthz, counted by valgrind's callgrind in the server process
# (all its threads). Instruction counts vary far less with the machine's load than requests/s do (here about
# ±10 % between runs against ±50 %), so two builds can be compared on a machine whose speed changes from minute
# to minute. What still varies is work that does not grow with the requests (timers, background threads), shared
# out over fewer requests when the machine is busy: run each build more than once.
#
# The release server runs under callgrind on a fresh SQLite data folder; vote_load (32 clients) first loops
# GET /healthz, then casts votes. Every 2 s the counters are dumped (callgrind_control -d) and the requests of
# each kind are read from /metrics; an interval that holds only one kind gives instructions per request of that
# kind. Printed: the median per kind and their ratio.
#
# Under callgrind the server runs about 50 times slower, so the vote writer's batches hold one or two votes: its
# fixed cost per batch weighs more than under real load. Use it to compare builds, not to predict votes/s.
#
# Usage: bench/instructions.sh [path to a werkstatt binary]     (default: the release build; needs valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet --bin werkstatt --example vote_load
bin="${1:-$CARGO_TARGET_DIR/release/werkstatt}"
load="$CARGO_TARGET_DIR/release/examples/vote_load"
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian: apt-get install valgrind)" >&2; exit 1; }
port=18087
base="http://127.0.0.1:$port"
data="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

valgrind --tool=callgrind --callgrind-out-file="$data/cg.out" "$bin" serve --data-dir "$data" \
  --database-url "sqlite:$data/werkstatt.db" --bind "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
pid=$!
until curl -fs "$base/healthz" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$data/serve.log"; exit 1; }
  sleep 0.2
done
sleep 2
"$load" --base "$base" --database-url "sqlite:$data/werkstatt.db" --clients 32 --secs 16 --healthz-secs 12 \
  --warmup-secs 2 >"$data/load.txt" 2>&1 &
lp=$!
# Per interval: dump the counters, then read the request counters (healthz, votes) of /metrics.
while kill -0 "$lp" 2>/dev/null; do
  callgrind_control -d "$pid" >/dev/null 2>&1 || true
  curl -s "$base/metrics" | awk '/^werkstatt_http_requests_total/ && /healthz|punkte/ {
      if ($0 ~ /punkte/) p += $NF; else h += $NF } END { print h + 0, p + 0 }' >>"$data/marks"
  sleep 2
done
wait "$lp" || { cat "$data/load.txt"; exit 1; }
grep -E "errors|disagree" "$data/load.txt"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
python3 - "$data" <<'PY'
import glob, statistics, sys
d = sys.argv[1]
marks = [tuple(map(int, l.split())) for l in open(d + "/marks")]
def ir(f):
    for line in open(f):
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
dumps = sorted(glob.glob(d + "/cg.out.*"), key=lambda f: int(f.rsplit(".", 1)[1]))
# Dump k holds what ran between the request counts read after dump k-1 and after dump k.
health, votes = [], []
for k in range(1, min(len(marks), len(dumps))):
    dh, dv = marks[k][0] - marks[k - 1][0], marks[k][1] - marks[k - 1][1]
    n = ir(dumps[k])
    if dh > 50 and dv == 0:
        health.append(n / dh)
    if dv > 50 and dh == 0:
        votes.append(n / dv)
if not health or not votes:
    sys.exit("too few intervals with one kind of request: %d healthz, %d votes" % (len(health), len(votes)))
h, v = statistics.median(health), statistics.median(votes)
print("%-52s %.0f  (median of %d intervals)" % ("instructions per GET /healthz", h, len(health)))
print("%-52s %.0f  (median of %d intervals)" % ("instructions per durable vote", v, len(votes)))
print("%-52s %.2f" % ("vote : /healthz", v / h))
PY
