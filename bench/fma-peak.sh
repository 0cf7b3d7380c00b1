#!/bin/sh
# The Java FMA peak (dev.netc.cli.PeakFlops, as netc profile and VsOrt measure it) beside a C intrinsics loop
# (bench/fma_peak.c, AVX2), alternating C, Java, C in one hold of /tmp/netc-build.lock: the Java number should be
# within a few % of the C one. Arguments: thread counts (default 1 2). Needs gcc and an AVX2+FMA host; builds
# bench/target/benchmarks.jar unless SKIP_BUILD=1.
set -eu
cd "$(dirname "$0")/.."
. ./.mvn/find-jdk.sh
LOCK=/tmp/netc-build.lock
[ "${SKIP_BUILD:-}" = 1 ] || flock "$LOCK" ./mvnw -q -pl bench -am package -DskipTests -Dinvoker.skip
mkdir -p bench/target
gcc -O2 -mavx2 -mfma -pthread bench/fma_peak.c -o bench/target/fma_peak
threads=${*:-1 2}
# shellcheck disable=SC2086
flock "$LOCK" sh -c "for t in $threads; do
  bench/target/fma_peak \$t
  '$JAVA_HOME/bin/java' --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
    dev.netc.bench.PeakFmaBench \$t 2>&1 | grep -v '^WARNING: Using incubator'
  bench/target/fma_peak \$t
done"
