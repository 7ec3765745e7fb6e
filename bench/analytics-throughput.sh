#!/usr/bin/env bash
# Analytics throughput: events/s per core of the whole Flink topology on a MiniCluster, beside
# a bare job that only parses and counts the same serialized events and a Flink SQL peer of
# the whitepaper's two windows, all three over the same file; then the ratios.
#   bench/analytics-throughput.sh [EVENTS] [ROUNDS] [JOBS] [STATE_BACKEND]
# (defaults: 1,000,000 events, 3 rounds, jobs bare,topology,sql, state backend hashmap; one job
# alone is for profiling, e.g. with
# BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=topology.jfr,settings=profile; rocksdb is the
# backend Managed Flink runs every application on, where the topology runs 10 to 20 times slower
# than on the heap here: try 200000 events)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log="$ROOT/bench/target/build.log"
mkdir -p "$ROOT/bench/target"
# One reactor build, so that the class path names the modules' fresh jars (nothing installed).
if ! mvn -B -ntp -Dstyle.color=never -pl bench -am package -DskipTests >"$log" 2>&1; then
  grep -E 'ERROR' "$log" | head -n 20 >&2
  echo "building the benchmark failed; the full log is $log" >&2
  exit 1
fi
events="${1:-1000000}" rounds="${2:-3}" jobs="${3:-bare,topology,sql}" backend="${4:-hashmap}"
echo "command: bench/analytics-throughput.sh $events $rounds $jobs $backend"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(java -version 2>&1 | head -n 1)"
read -ra extra_java_options <<<"${BENCH_JAVA_OPTS:-}"
run_log="$ROOT/bench/target/run.log"
# Flink's own logging goes to the log; the figures to the terminal.
if ! java @bench/target/launch/jvm-options -Xmx4g "${extra_java_options[@]}" \
  -cp "bench/target/classes:$(cat bench/target/runtime-classpath.txt)" \
  org.abctolls.bench.AnalyticsThroughput "$events" "$rounds" "$jobs" "$backend" 2>"$run_log"; then
  tail -n 20 "$run_log" >&2
  echo "the benchmark failed; its log is $run_log" >&2
  exit 1
fi
