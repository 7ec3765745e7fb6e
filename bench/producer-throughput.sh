#!/usr/bin/env bash
# Producer throughput: a simulated day of traffic sent to a fresh stream as fast as the
# stream accepts it, reported as events/s and as a share of the stream's per-shard write
# limits (1,000 records/s and 1 MiB/s per shard).
#   bench/producer-throughput.sh [SHARDS] [SPAN]     (defaults: 4 shards, one day)
# Against the local kit unless AWS endpoints (or TOLLS_AWS_TARGET=aws) are in the environment.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shards="${1:-4}"
span="${2:-P1D}"
stream="bench-producer-$(date +%s)"
# shellcheck source=../local-kit/kit.sh
source "$ROOT/local-kit/kit.sh"
echo "command: ./tolls simulate --stream $stream --shards $shards --span $span --peak-vehicles-per-hour 480"
with_kit "$ROOT/tolls" simulate --stream "$stream" --shards "$shards" --span "$span" --peak-vehicles-per-hour 480 \
  | grep -vE '^sent [0-9,]+/'
