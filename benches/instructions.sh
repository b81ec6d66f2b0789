#!/usr/bin/env bash
# Instructions per conversion round trip, counted by cachegrind (apt install
# valgrind): each case runs 1,000 and 11,000 times and the difference is
# divided by 10,000, so start-up and the equivalence checks cancel out. Hash
# maps are seeded at random, which moves a count by a few percent, so each
# figure is the median of nine runs. BIN=path measures another build of
# the same bench (an older commit, say).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-$(cargo build --release -p dynamo-model-benches --bench instructions \
    --message-format=json | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)}
count() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 \
        | sed -n 's/.*I *refs: *//p' | tr -d ,
}
median_per_round() {
    for _ in 1 2 3 4 5 6 7 8 9; do
        echo $((($(count "$1" 11000) - $(count "$1" 1000)) / 10000))
    done | sort -n | sed -n 5p
}
declare -A per
for case in hand_written dynamo_model serde_dynamo nested_hand_written nested_dynamo_model \
    rules_hand_written rules_dynamo_model; do
    per[$case]=$(median_per_round "$case")
    echo "$case: ${per[$case]} instructions per round trip"
done
awk -v d="${per[dynamo_model]}" -v h="${per[hand_written]}" -v s="${per[serde_dynamo]}" \
    -v nd="${per[nested_dynamo_model]}" -v nh="${per[nested_hand_written]}" \
    -v rd="${per[rules_dynamo_model]}" -v rh="${per[rules_hand_written]}" 'BEGIN {
    printf "10 fields: derive %.3f x hand-written, serde_dynamo %.3f x\n", d / h, s / h
    printf "set, document, list: derive %.3f x hand-written\n", nd / nh
    printf "with rules: derive %.3f x hand-written\n", rd / rh
}'
