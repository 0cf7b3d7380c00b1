#!/bin/sh
# netc against ONNX Runtime, same JVM, same seeded weights (bench/README.md, "vs ONNX Runtime"): builds
# bench/target/benchmarks.jar, then runs VsOrt once per model (each its own JVM), each run holding
# /tmp/netc-build.lock so that no build shares the cores meanwhile, and ends with the Markdown report (VsOrtReport:
# host, native width, kernels, FMA peak; per model, batch and thread count the medians, ratio against issue 10's
# target, max|netc-ORT|, and with REPEATS>1 the run-to-run spread of the medians).
# Arguments: model names (default: the six stdlib CNNs) and VsOrt's options (--threads 1,2 --batch 1 --passes 24 --seconds 6
# --block 4 --warmup 6 --ort-spin 0); --batch 16 (or 1,16) adds batch-16 throughput. REPEATS=N runs the whole set
# N times. Files: bench/results/vs-ort-STAMP.tsv (the lines) and .md (the report). JAR=FILE runs another build of
# the jar; SKIP_BUILD=1 skips the build. JAR_B=FILE compares two builds: every run of a model runs JAR (A) and
# JAR_B (B) one after the other, the order flipping from run to run, and the report (-ab.md) gives each build's
# netc / ORT run by run and B's median over A's (use REPEATS=4 or more: one pair of runs decides nothing here).
# JAVA_OPTS=... adds JVM options to every run (both sides of a comparison, and --layers); JAVA_OPTS_B=... adds more
# to side B alone, and without JAR_B compares one jar with and without them, e.g. JAVA_OPTS_B=-Dnetc.conv.order=rows
# (a switch named in runtime/README.md).
# `--layers MODEL [--threads N] [--passes N]` instead compares the two engines layer by layer (VsOrtLayers: netc's
# profiling build against ONNX Runtime's profiler, alternating), largest difference first.
set -eu
cd "$(dirname "$0")/.."
. ./.mvn/find-jdk.sh
set -f # from here on: the JVM options are split into words, never expanded as file patterns
LOCK=/tmp/netc-build.lock
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p bench/results
[ "${SKIP_BUILD:-}" = 1 ] || flock "$LOCK" ./mvnw -q -pl bench -am package -DskipTests -Dinvoker.skip
JAR=${JAR:-bench/target/benchmarks.jar}
if [ "${1:-}" = --layers ]; then
  shift
  # shellcheck disable=SC2086
  exec flock "$LOCK" "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmx6g \
    --enable-native-access=ALL-UNNAMED -cp "$JAR" dev.netc.bench.VsOrtLayers "$@"
fi
TSV=bench/results/vs-ort-$STAMP.tsv
TSV_B=bench/results/vs-ort-$STAMP-b.tsv
models=""
opts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --*) [ $# -ge 2 ] || { echo "vs-ort.sh: $1 needs a value" >&2; exit 2; }; opts="$opts $1 $2"; shift 2 ;;
    *) models="$models $1"; shift ;;
  esac
done
[ -n "$models" ] || models="resnet18 resnet50 googlenet mobilenet_v2 squeezenet1_1 vgg16"
[ -z "${JAR_B:-}" ] || [ -f "$JAR_B" ] || { echo "vs-ort.sh: JAR_B=$JAR_B: no such file" >&2; exit 2; }
# B: another jar, the same jar with other JVM options, or both
if [ -n "${JAR_B:-}" ] || [ -n "${JAVA_OPTS_B:-}" ]; then
  JAR_B=${JAR_B:-$JAR}
  JAVA_OPTS_B="${JAVA_OPTS:-} ${JAVA_OPTS_B:-}"
  echo "A: $JAR ${JAVA_OPTS:-}"
  echo "B: $JAR_B $JAVA_OPTS_B"
fi
# one model with one jar (and its JVM options) into one file
run() {
  # shellcheck disable=SC2086
  flock "$LOCK" "$JAVA_HOME/bin/java" $4 --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmx6g \
    --enable-native-access=ALL-UNNAMED -cp "$2" dev.netc.bench.VsOrt "$1" $opts \
    --tsv "$3" 2>&1 | grep -v "^WARNING: Using incubator"
}
i=0
while [ "$i" -lt "${REPEATS:-1}" ]; do
  [ "${REPEATS:-1}" = 1 ] || echo "== run $((i + 1)) of $REPEATS"
  for m in $models; do
    if [ -z "${JAR_B:-}" ]; then
      run "$m" "$JAR" "$TSV" "${JAVA_OPTS:-}"
    elif [ $((i % 2)) = 0 ]; then
      echo "-- A"; run "$m" "$JAR" "$TSV" "${JAVA_OPTS:-}"; echo "-- B"; run "$m" "$JAR_B" "$TSV_B" "${JAVA_OPTS_B:-}"
    else
      echo "-- B"; run "$m" "$JAR_B" "$TSV_B" "${JAVA_OPTS_B:-}"; echo "-- A"; run "$m" "$JAR" "$TSV" "${JAVA_OPTS:-}"
    fi
  done
  i=$((i + 1))
done
echo "lines: $TSV${JAR_B:+ (A) and $TSV_B (B)}"
echo
if [ -n "${JAR_B:-}" ]; then
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$JAR" dev.netc.bench.VsOrtReport \
    --out "bench/results/vs-ort-$STAMP-ab.md" --compare "$TSV" "$TSV_B" 2>&1 | grep -v "^WARNING: Using incubator"
  printf '\n- A: `%s`, JVM options `%s`\n- B: `%s`, JVM options `%s`\n' "$JAR" "${JAVA_OPTS:-}" "$JAR_B" \
    "$JAVA_OPTS_B" >> "bench/results/vs-ort-$STAMP-ab.md"
  echo
  echo "report: bench/results/vs-ort-$STAMP-ab.md"
  exit
fi
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$JAR" dev.netc.bench.VsOrtReport \
  --out "bench/results/vs-ort-$STAMP.md" "$TSV" 2>&1 | grep -v "^WARNING: Using incubator"
echo
echo "report: bench/results/vs-ort-$STAMP.md"
