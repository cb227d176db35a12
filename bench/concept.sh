#!/usr/bin/env bash
# Umsetzungskonzept (issue 6): seconds and pages of the concept PDF for every demo city (the largest is the one
# with the most pages) and for a synthetic city with 150 complete measures, written by the release CLI
# (`werkstatt export concept`, which compiles the city's live data and typesets it with typst). Each PDF is the
# median of three runs; the Markdown export of the same concept (the same data read and the same document
# model, without typesetting) is the peer measured in the same run.
# Usage: bench/concept.sh [measures-of-the-synthetic-city]   (needs curl and pdfinfo from poppler-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-150}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p werkstatt --bin werkstatt --examples
bin="$CARGO_TARGET_DIR/release/werkstatt"
data="$(mktemp -d)"
port=18083
base="http://127.0.0.1:$port"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$data"' EXIT

# Seconds (median of three) and pages of one concept; prints "seconds pages measures".
measure() {
  local slug=$1 fmt=$2 out="$data/$1.$2" times
  times=$(for _ in 1 2 3; do
    /usr/bin/time -f '%e' "$bin" export concept --data-dir "$data" --municipality "$slug" --format "$fmt" --out "$out" 2>&1 >/dev/null | tail -n1
  done | sort -n)
  local pages=-
  [ "$fmt" = pdf ] && pages=$(pdfinfo "$out" 2>/dev/null | awk '/^Pages:/ {print $2}')
  echo "$(echo "$times" | sed -n 2p) $pages"
}

"$bin" demo --data-dir "$data" >/dev/null

# The synthetic city: Wassenberg's coordinator adds public measures with a complete project sheet until the
# city has $target.
"$bin" serve --data-dir "$data" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.05; done
jar="$data/cookies"
token() { curl -fs -b "$jar" -c "$jar" "$base/impressum" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -n1 | sed 's/.*value="//; s/"//'; }
csrf=$(token)
curl -fs -b "$jar" -c "$jar" -o /dev/null -d "_csrf=$csrf&email=koordination.wassenberg@werkstatt.demo&password=werkstatt-demo&next=/" "$base/anmelden"
csrf=$(token)
have=$(curl -fs "$base/kommunen/wassenberg/massnahmen.csv" -b "$jar" | tail -n +2 | grep -c . || true)
text="Die Maßnahme verbindet Verwaltung, Wirtschaft und Stadtgesellschaft. Sensoren, offene Daten und eine gemeinsame Plattform machen Angebote sichtbar; die Umsetzung erfolgt in Stufen mit Beteiligung der Bürgerinnen und Bürger."
for i in $(seq $((have + 1)) "$target"); do
  curl -fs -b "$jar" -o /dev/null \
    --data-urlencode "_csrf=$csrf" --data-urlencode "title=Synthetische Maßnahme $i: Vernetzte Innenstadt" \
    --data-urlencode "short_description=$text" --data-urlencode "initial_situation=$text $text" \
    --data-urlencode "impact_output=$text" --data-urlencode "impact_outcome=$text" --data-urlencode "impact_impact=$text" \
    --data-urlencode "target_groups=Bürgerinnen und Bürger, Handel, Verwaltung" --data-urlencode "risks=$text" \
    --data-urlencode "visibility=oeffentlich" --data-urlencode "priority=mittel" \
    --data-urlencode "lead_unit=Fachbereich $((i % 7))" --data-urlencode "start_date=2027-0$((i % 9 + 1))-01" \
    --data-urlencode "end_date=2029-0$((i % 9 + 1))-01" \
    --data-urlencode "investment_costs=$((i * 1000))" --data-urlencode "operating_costs=$((i * 100))" \
    "$base/kommunen/wassenberg/massnahmen/neu"
done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

printf '%-44s %10s %7s %10s %10s\n' "concept (audience: public)" "PDF s" "pages" "s/page" "PDF : md"
for slug in arnsberg siegen wassenberg; do
  read -r pdf pages < <(measure "$slug" pdf)
  read -r md _ < <(measure "$slug" md)
  label="$slug"
  [ "$slug" = wassenberg ] && label="wassenberg + synthetic ($target measures)"
  printf '%-44s %10s %7s %10s %10s\n' "$label" "$pdf" "$pages" \
    "$(awk -v a="$pdf" -v b="$pages" 'BEGIN {printf "%.3f", a/b}')" \
    "$(awk -v a="$pdf" -v b="$md" 'BEGIN {printf "%.1f", (b > 0 ? a/b : 0)}')"
done
