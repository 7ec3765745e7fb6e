#!/usr/bin/env bash
# The publisher's exactly-once proof at scale: KinesisPublisherIT with EVENTS events (default
# 50,000; the build runs 5,000) over 32 shards of the kit's Kinesis, once without faults and
# once with half of the PutRecords calls failing; each run prints how long publishing took and
# how many records were retried, and fails unless every event is read back once, in order per
# station.
#   bench/producer-exactly-once.sh [EVENTS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
events="${1:-50000}"
log="$ROOT/producer-sim/target/exactly-once.log"
mkdir -p "$ROOT/producer-sim/target"
# shellcheck source=../local-kit/kit.sh
source "$ROOT/local-kit/kit.sh"
echo "command: bench/producer-exactly-once.sh $events"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(java -version 2>&1 | head -n 1)"
if ! with_kit mvn -B -ntp -Dstyle.color=never -pl producer-sim -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=KinesisPublisherIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dtolls.publisher-it.events="$events" >"$log" 2>&1; then
  grep -E 'published|Tests run|FAIL|ERROR' "$log" | head -n 20 >&2 || true
  echo "the proof failed; the full log is $log" >&2
  exit 1
fi
grep -E '^published ' "$log"
