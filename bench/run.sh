#!/bin/sh
# Builds bench/target/benchmarks.jar, then runs the kernel benchmarks in three groups, each with
# its own FMA-peak (and, for the depthwise group, triad) measurement in the same JVM run, and
# prints the table of bench/README.md. Results go to bench/results/GROUP-DATE.json.
#
# Every step holds /tmp/netc-build.lock (shared with builds, so none runs meanwhile), one group
# per hold (each under 5 minutes). Configuration: 1 fork, 3 warm-up and 5 measured iterations of
# 1 s; pass other JMH options as arguments (e.g. run.sh -i 10).
set -eu
cd "$(dirname "$0")/.."
. ./.mvn/find-jdk.sh
LOCK=/tmp/netc-build.lock
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
flock "$LOCK" ./mvnw -q -pl bench -am package -DskipTests
JAR=bench/target/benchmarks.jar
run_group() {
  name=$1
  shift
  regex=$1
  shift
  flock "$LOCK" "$JAVA_HOME/bin/java" -jar "$JAR" "$regex" -f 1 -wi 3 -i 5 -w 1s -r 1s \
    -rf json -rff "bench/results/$name-$STAMP.json" "$@"
}
run_group gemm 'PeakFmaBench|GemmBench' "$@"
run_group conv 'PeakFmaBench|ConvBench|LayoutBench.conv3x3Im2col' "$@"
run_group depthwise 'PeakFmaBench|TriadBench|DepthwiseBench|LayoutBench.depthwiseNchw' "$@"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$JAR" dev.netc.bench.BenchReport \
  "bench/results/gemm-$STAMP.json" "bench/results/conv-$STAMP.json" \
  "bench/results/depthwise-$STAMP.json" 2>/dev/null
