#!/bin/sh
# netc against ONNX Runtime, same JVM, same seeded weights (bench/README.md, "vs ONNX Runtime"): builds
# bench/target/benchmarks.jar, then runs VsOrt once per model (each its own JVM), each run holding
# /tmp/netc-build.lock so that no build shares the cores meanwhile. Arguments: model names (default: the six
# stdlib CNNs) and VsOrt's options (--threads 1,2 --passes 24 --block 4 --warmup 6 --ort-spin 0). REPEATS=N runs the whole
# set N times; the lines also go to bench/results/vs-ort-STAMP.tsv. JAR=FILE runs another build of the jar.
set -eu
cd "$(dirname "$0")/.."
. ./.mvn/find-jdk.sh
LOCK=/tmp/netc-build.lock
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
[ "${SKIP_BUILD:-}" = 1 ] || flock "$LOCK" ./mvnw -q -pl bench -am package -DskipTests -Dinvoker.skip
JAR=${JAR:-bench/target/benchmarks.jar}
models=""
opts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --*) opts="$opts $1 $2"; shift 2 ;;
    *) models="$models $1"; shift ;;
  esac
done
[ -n "$models" ] || models="resnet18 resnet50 googlenet mobilenet_v2 squeezenet1_1 vgg16"
i=0
while [ "$i" -lt "${REPEATS:-1}" ]; do
  for m in $models; do
    # shellcheck disable=SC2086
    flock "$LOCK" "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmx6g \
      --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.netc.bench.VsOrt "$m" $opts \
      --tsv "bench/results/vs-ort-$STAMP.tsv" 2>&1 | grep -v "^WARNING: Using incubator"
  done
  i=$((i + 1))
done
echo "lines: bench/results/vs-ort-$STAMP.tsv"
