/* The FP32 FMA peak with AVX2 intrinsics, the cross-check of the Java loop (dev.netc.cli.PeakFlops): 12
 * independent chains of _mm256_fmadd_ps per thread, data in registers; prints the best of three rounds of about
 * 0.4 s. Built and run by bench/fma-peak.sh (gcc -O2 -mavx2 -mfma). Argument: threads (default 1). */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHAINS 12
#define ITERATIONS 200000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static volatile float mul = 0.9999999f, add = 1e-7f;

/* a = m * c + a, as the Java loop and as a GEMM micro-kernel accumulates. */
static void *run(void *sink) {
  __m256 m = _mm256_set1_ps(mul), c = _mm256_set1_ps(add), a[CHAINS];
  for (int k = 0; k < CHAINS; k++) a[k] = _mm256_set1_ps(1.0f + k);
  for (long i = 0; i < ITERATIONS; i++) {
#pragma GCC unroll 12
    for (int k = 0; k < CHAINS; k++) a[k] = _mm256_fmadd_ps(m, c, a[k]);
  }
  __m256 s = a[0];
  for (int k = 1; k < CHAINS; k++) s = _mm256_add_ps(s, a[k]);
  float o[8];
  _mm256_storeu_ps(o, s);
  *(float *) sink = o[0];
  return 0;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 64) {
    fprintf(stderr, "fma_peak: threads must be 1..64, got %s\n", argv[1]);
    return 2;
  }
  float sink[64];
  pthread_t t[64];
  double best = 0;
  for (int round = 0; round < 3; round++) {
    double t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], 0, run, &sink[i]);
    for (int i = 0; i < threads; i++) pthread_join(t[i], 0);
    double g = 2.0 * CHAINS * 8 * ITERATIONS * threads / (now() - t0) / 1e9;
    if (g > best) best = g;
  }
  printf("C %d-chain _mm256_fmadd_ps, 256-bit vectors (8 floats), %d thread%s: %.1f GFLOP/s\n", CHAINS, threads,
      threads == 1 ? "" : "s", best);
  return 0;
}
