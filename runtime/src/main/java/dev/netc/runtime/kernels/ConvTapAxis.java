package dev.netc.runtime.kernels;

/**
 * One axis of a direct-convolution sub-problem, in the form the kernels iterate: output {@code j}
 * (for {@code 0 <= j < count}) reads input {@code start + j*stride + t*dilation} through tap
 * {@code t} (for {@code 0 <= t < taps}), and is written at output coordinate
 * {@code outStart + j*outStep}. Tap {@code t} is kernel element {@code kernelIndex[t]}.
 *
 * <p>A plain convolution axis is one such sub-problem. A transposed convolution axis with stride
 * {@code s} splits into {@code s} phases, each an ordinary stride-1 convolution over the input
 * whose outputs are every {@code s}-th output element: that is how transposed convolutions reuse
 * the direct kernels with no scatter and no zero-stuffing.
 */
final class ConvTapAxis {
  final int count;
  final int inSize;
  final int stride;
  final int start;
  final int dilation;
  final int outStart;
  final int outStep;
  private final int[] kernelIndex;

  ConvTapAxis(int count, int inSize, int stride, int start, int dilation, int[] kernelIndex,
      int outStart, int outStep) {
    this.count = count;
    this.inSize = inSize;
    this.stride = stride;
    this.start = start;
    this.dilation = dilation;
    this.kernelIndex = kernelIndex;
    this.outStart = outStart;
    this.outStep = outStep;
  }

  /** The axis of a plain convolution. */
  static ConvTapAxis forward(ConvAxis a) {
    return forward(a, 0, a.convOut());
  }

  /** Outputs {@code [from, to)} of a plain convolution axis, at their places in the whole output. */
  static ConvTapAxis forward(ConvAxis a, int from, int to) {
    int[] k = new int[a.kernel()];
    for (int t = 0; t < k.length; t++) {
      k[t] = t;
    }
    return new ConvTapAxis(to - from, a.in(), a.stride(), from * a.stride() - a.padBegin(), a.dilation(), k, from, 1);
  }

  /**
   * The {@code stride} phases of a transposed convolution axis. Phase {@code p} covers outputs
   * {@code p, p+s, p+2s, ...}; its taps are the kernel elements {@code k} with
   * {@code (p + padBegin - k*dilation) mod s == 0}, in decreasing {@code k} so that their input
   * positions increase.
   */
  static ConvTapAxis[] transposedPhases(ConvAxis a) {
    int s = a.stride();
    int out = a.transposedOut();
    ConvTapAxis[] phases = new ConvTapAxis[s];
    for (int p = 0; p < s; p++) {
      int count = p < out ? (out - p + s - 1) / s : 0;
      int[] k = phaseTaps(a, p);
      int start = k.length == 0 ? 0 : (p + a.padBegin() - k[0] * a.dilation()) / s;
      int dil = k.length < 2 ? 1 : (k[0] - k[1]) * a.dilation() / s;
      phases[p] = new ConvTapAxis(count, a.in(), 1, start, dil, k, p, s);
    }
    return phases;
  }

  private static int[] phaseTaps(ConvAxis a, int p) {
    int n = 0;
    int[] taps = new int[a.kernel()];
    for (int k = a.kernel() - 1; k >= 0; k--) {
      if (Math.floorMod(p + a.padBegin() - k * a.dilation(), a.stride()) == 0) {
        taps[n++] = k;
      }
    }
    return java.util.Arrays.copyOf(taps, n);
  }

  /** The number of taps. */
  int taps() {
    return kernelIndex.length;
  }

  /** The kernel element of tap {@code t}. */
  int kernelIndex(int t) {
    return kernelIndex[t];
  }

  /** The first tap of output {@code j} that reads inside the input. */
  int lo(int j) {
    int base = start + j * stride;
    if (base >= 0) {
      return 0;
    }
    return Math.min(taps(), (-base + dilation - 1) / dilation);
  }

  /** One past the last tap of output {@code j} that reads inside the input; at least {@link #lo}. */
  int hi(int j) {
    int base = start + j * stride;
    int h = base > inSize - 1 ? 0 : Math.min(taps(), (inSize - 1 - base) / dilation + 1);
    return Math.max(h, lo(j));
  }

  /** True when every tap of output {@code j} reads inside the input. */
  boolean full(int j) {
    return lo(j) == 0 && hi(j) == taps();
  }
}
