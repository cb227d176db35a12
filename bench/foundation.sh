#!/usr/bin/env bash
# Foundation figures in one run: binary size, start-up time to first answer, idle memory, and requests/s
# of a public page against the /healthz ceiling (same server, same machine, same run).
# Usage: bench/foundation.sh [seconds-per-load-run]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p werkstatt --bin werkstatt --examples
bin="$CARGO_TARGET_DIR/release/werkstatt"
command -v wrk >/dev/null || { echo "wrk missing (apt-get install wrk)" >&2; exit 1; }

data="$(mktemp -d)"
port=18080
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT

# Load the demo once so that start-up below measures a normal start, not first-time set-up.
"$bin" demo --data-dir "$data" >/dev/null

start_ns=$(date +%s%N)
"$bin" serve --data-dir "$data" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.002; done
ready_ns=$(date +%s%N)
sleep 2
idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

load() { wrk -t2 -c32 -d"${secs}s" "http://127.0.0.1:$port$1" | awk '/Requests\/sec/ {print $2}'; }
curl -fs "http://127.0.0.1:$port/kommunen/arnsberg" >/dev/null
health=$(load /healthz)
page=$(load /kommunen/arnsberg)
home=$(load /)
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

printf '%-44s %s\n' "binary size (MiB)" "$(awk -v b="$(stat -c %s "$bin")" 'BEGIN {printf "%.1f", b/1048576}')"
printf '%-44s %s\n' "start-up to first answer (ms)" "$(( (ready_ns - start_ns) / 1000000 ))"
printf '%-44s %s\n' "idle RSS (MiB)" "$(awk -v k="$idle_kb" 'BEGIN {printf "%.1f", k/1024}')"
printf '%-44s %s\n' "peak RSS under load (MiB)" "$(awk -v k="$peak_kb" 'BEGIN {printf "%.1f", k/1024}')"
printf '%-44s %s\n' "GET /healthz requests/s (ceiling)" "$health"
printf '%-44s %s\n' "GET /kommunen/arnsberg requests/s" "$page"
printf '%-44s %s\n' "GET / requests/s" "$home"
printf '%-44s %s\n' "ratio /kommunen/arnsberg : /healthz" "$(awk -v a="$page" -v b="$health" 'BEGIN {printf "%.2f", a/b}')"
printf '%-44s %s\n' "ratio / : /healthz" "$(awk -v a="$home" -v b="$health" 'BEGIN {printf "%.2f", a/b}')"
