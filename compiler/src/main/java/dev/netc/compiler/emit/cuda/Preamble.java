package dev.netc.compiler.emit.cuda;

/** The device functions every generated {@code .cu} starts with: the activations, as the runtime defines them. */
final class Preamble {
  private Preamble() {}

  static final String TEXT = """
      #ifndef INFINITY
      #define INFINITY __int_as_float(0x7f800000)
      #endif

      #ifndef NETC_SIM
      // Four floats from a 16-byte aligned address (the simulation's own version checks the alignment).
      __device__ __forceinline__ float4 netc_load4(const float* p) { return *reinterpret_cast<const float4*>(p); }
      #endif

      __device__ __forceinline__ float netc_relu(float x) { return x <= 0.f ? 0.f : x; }
      __device__ __forceinline__ float netc_relu6(float x) { return fminf(fmaxf(x, 0.f), 6.f); }
      __device__ __forceinline__ float netc_leaky_relu(float x, float a) { return x > 0.f ? x : x * a; }
      __device__ __forceinline__ float netc_elu(float x, float a) { return x > 0.f ? x : a * expm1f(x); }
      __device__ __forceinline__ float netc_sigmoid(float x) { return 1.f / (1.f + expf(-x)); }
      __device__ __forceinline__ float netc_gelu(float x) { return 0.5f * x * (1.f + erff(x * 0.70710678118654752f)); }
      __device__ __forceinline__ float netc_silu(float x) { return x / (1.f + expf(-x)); }
      __device__ __forceinline__ float netc_hardswish(float x) { return x * fminf(fmaxf(x + 3.f, 0.f), 6.f) / 6.f; }
      __device__ __forceinline__ float netc_hardsigmoid(float x) { return fminf(fmaxf(x + 3.f, 0.f), 6.f) / 6.f; }
      __device__ __forceinline__ float netc_softplus(float x, float beta, float threshold) {
        return x * beta > threshold ? x : log1pf(expf(x * beta)) / beta;
      }

      """;
}
