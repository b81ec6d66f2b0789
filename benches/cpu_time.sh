#!/usr/bin/env bash
# CPU time per conversion round trip, for the cases of instructions.sh: the
# same bench binary runs each case 200,000 times, the cases alternating, 20
# times over, and each case's figure is its fastest run (user + sys, less
# the fastest run of no round trip: start-up and the equivalence checks),
# since the load of a shared machine only ever adds time. BIN=path measures
# another build of the bench (an older commit, say).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-$(cargo build --release -p dynamo-model-benches --bench instructions \
    --message-format=json | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)}
cases=(hand_written dynamo_model nested_hand_written nested_dynamo_model
    rules_hand_written rules_dynamo_model)
rounds=200000
declare -A best
TIMEFORMAT='%3U %3S'
run() {
    seconds=$({ time "$bin" "$1" "$2" >/dev/null; } 2>&1 | awk '{print $1 + $2}')
    best[$3]=$(awk -v a="$seconds" -v b="${best[$3]:-1e9}" 'BEGIN {print (a < b) ? a : b}')
}
for _ in $(seq 20); do
    run hand_written 0 start
    for case in "${cases[@]}"; do
        run "$case" "$rounds" "$case"
    done
done
for case in "${cases[@]}"; do
    best[$case]=$(awk -v a="${best[$case]}" -v s="${best[start]}" 'BEGIN {print a - s}')
    awk -v s="${best[$case]}" -v n="$rounds" -v c="$case" \
        'BEGIN {printf "%s: %.0f ns per round trip\n", c, s * 1e9 / n}'
done
awk -v h="${best[hand_written]}" -v d="${best[dynamo_model]}" \
    -v nh="${best[nested_hand_written]}" -v nd="${best[nested_dynamo_model]}" \
    -v rh="${best[rules_hand_written]}" -v rd="${best[rules_dynamo_model]}" 'BEGIN {
    printf "10 fields: derive %.3f x hand-written\n", d / h
    printf "set, document, list: derive %.3f x hand-written\n", nd / nh
    printf "with rules: derive %.3f x hand-written\n", rd / rh
}'
