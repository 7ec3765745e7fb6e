#!/usr/bin/env bash
# Analytics throughput: events/s per core of the whole Flink topology on a MiniCluster,
# beside a bare job that only parses and counts the same serialized events, and the ratio.
#   bench/analytics-throughput.sh [EVENTS]      (default 1,000,000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -ntp -q -Dstyle.color=never -pl analytics -am test-compile
# With -am the reactor resolves domain from its build folder; analytics, built last, writes last.
mvn -B -ntp -q -Dstyle.color=never -pl analytics -am dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$ROOT/analytics/target/bench.classpath"
opens="$(sed -n 's:.*<flink.java17.opens>\(.*\)</flink.java17.opens>.*:\1:p' analytics/pom.xml)"
echo "command: bench/analytics-throughput.sh ${1:-1000000}   ($(nproc) cores, $(java -version 2>&1 | head -n 1))"
# shellcheck disable=SC2086
java $opens -Xmx2g -cp "analytics/target/test-classes:analytics/target/classes:$(cat analytics/target/bench.classpath)" \
  org.abctolls.analytics.bench.TopologyThroughput "${1:-1000000}" 2>/dev/null
