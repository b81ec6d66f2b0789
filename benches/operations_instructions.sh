#!/usr/bin/env bash
# Client instructions per get, put and update against DynamoDB Local, counted by
# cachegrind (apt install valgrind): each case runs 100 and 400 operations
# and the difference is divided by 300, so start-up (DynamoDB Local, the
# table) cancels out. DynamoDB Local is another process and is not
# counted. Each figure is the median of five runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-$(cargo build --release -p dynamo-model-benches --bench operations \
    --message-format=json | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)}
count() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$bin" count "$1" "$2" 2>&1 \
        | sed -n 's/.*I *refs: *//p' | tr -d ,
}
median_per_op() {
    for _ in 1 2 3 4 5; do
        echo $((($(count "$1" 400) - $(count "$1" 100)) / 300))
    done | sort -n | sed -n 3p
}
declare -A per
for case in put_hand put_model put_metered get_hand get_model get_metered update_hand update_model; do
    per[$case]=$(median_per_op "$case")
    echo "$case: ${per[$case]} instructions per operation"
done
awk -v ph="${per[put_hand]}" -v pm="${per[put_model]}" -v pc="${per[put_metered]}" \
    -v gh="${per[get_hand]}" -v gm="${per[get_model]}" -v gc="${per[get_metered]}" \
    -v uh="${per[update_hand]}" -v um="${per[update_model]}" 'BEGIN {
    printf "put: dynamo-model %.3f x hand-written, with capacity asked %.3f x\n", pm / ph, pc / ph
    printf "get: dynamo-model %.3f x hand-written, with capacity asked %.3f x\n", gm / gh, gc / gh
    printf "update: dynamo-model %.3f x hand-written\n", um / uh
}'
