#!/usr/bin/env bash
# Strategy core figures in one run: the measure list of a city with 500 public measures against the
# /healthz ceiling (same server, same run), and the time to render one project-sheet PDF.
# Usage: bench/strategy.sh [seconds-per-load-run]   (needs wrk and curl)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
target="${STRATEGY_TARGET:-500}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p werkstatt --bin werkstatt --examples
bin="$CARGO_TARGET_DIR/release/werkstatt"
data="$(mktemp -d)"
port=18081
base="http://127.0.0.1:$port"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT

"$bin" serve --demo --data-dir "$data" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.05; done

# Log in as Wassenberg's coordinator (3 demo measures) and create measures until the city has 500.
jar="$data/cookies"
token() { curl -fs -b "$jar" -c "$jar" "$base/impressum" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -n1 | sed 's/.*value="//; s/"//'; }
csrf=$(token)
curl -fs -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$csrf&email=koordination.wassenberg@werkstatt.demo&password=werkstatt-demo&next=/" "$base/anmelden"
csrf=$(token)
total() { curl -fs "$base/api/v1/municipalities/wassenberg/measures?per_page=1" | grep -oE '"total": ?[0-9]+' | grep -oE '[0-9]+'; }
have=$(total)
for i in $(seq $((have + 1)) "$target"); do
  curl -fs -b "$jar" -o /dev/null \
    --data-urlencode "_csrf=$csrf" --data-urlencode "title=Benchmark-Maßnahme $i" \
    --data-urlencode "short_description=Synthetische Maßnahme für die Lastmessung." \
    --data-urlencode "visibility=oeffentlich" --data-urlencode "priority=mittel" \
    --data-urlencode "lead_unit=Fachbereich $((i % 7))" --data-urlencode "start_date=2026-0$((i % 9 + 1))-01" \
    --data-urlencode "investment_costs=$((i * 1000))" \
    "$base/kommunen/wassenberg/massnahmen/neu"
done
count=$(total)

load() { wrk -t2 -c32 -d"${secs}s" "$base$1" | awk '/Requests\/sec/ {print $2}'; }
health=$(load /healthz)
list=$(load /kommunen/wassenberg/massnahmen)
sorted=$(load "/kommunen/wassenberg/massnahmen?sortierung=prioritaet&status=idee")

# PDF: the first render (engine start-up), then nine different complete demo sheets (no cache hits), and the
# same sheet again (typst's incremental cache).
first=$(curl -fs -o /dev/null -w '%{time_total}' "$base/kommunen/arnsberg/massnahmen/1/projektblatt.pdf")
times=$(for id in $(seq 2 10); do curl -fs -o /dev/null -w '%{time_total}\n' "$base/kommunen/arnsberg/massnahmen/$id/projektblatt.pdf"; done | sort -n)
median=$(echo "$times" | sed -n 5p)
again=$(curl -fs -o /dev/null -w '%{time_total}' "$base/kommunen/arnsberg/massnahmen/2/projektblatt.pdf")

printf '%-52s %s\n' "measures in the list (public)" "$count"
printf '%-52s %s\n' "GET /healthz requests/s (ceiling)" "$health"
printf '%-52s %s\n' "GET measure list requests/s" "$list"
printf '%-52s %s\n' "GET measure list, filtered + sorted, requests/s" "$sorted"
printf '%-52s %s\n' "ratio list : /healthz" "$(awk -v a="$list" -v b="$health" 'BEGIN {printf "%.3f", a/b}')"
printf '%-52s %s\n' "project sheet PDF, first render (s)" "$first"
printf '%-52s %s\n' "project sheet PDF, median of 9 different sheets (s)" "$median"
printf '%-52s %s\n' "project sheet PDF, same sheet again (s)" "$again"
