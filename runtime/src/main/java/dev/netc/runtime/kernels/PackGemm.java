package dev.netc.runtime.kernels;

/**
 * Packs GEMM operands into the panels the micro-kernels stream through.
 *
 * <p>A is packed per call, block by block: {@code rows} rows of a K block become panels of
 * {@value #MR} rows, each stored k-major ({@code ap[(panel*kc + k)*MR + r]}), rows past the end
 * zero. B is packed once per plan when it is constant (weights), else per call: for every K block
 * (start {@code k0}, length {@code kc}) and column panel {@code j} of {@value #NR} columns, a
 * {@code kc x NR} row-major panel at {@code k0*nPad + j*NR*kc}, columns past N zero. Each
 * micro-kernel step then reads {@value #MR} consecutive A values and two consecutive B vectors.
 */
final class PackGemm {
  /** Rows of the micro-tile. */
  static final int MR = 4;
  /** Columns of the micro-tile: two 8-float vectors. */
  static final int NR = 16;
  /**
   * Where packed data start in the arrays this runtime allocates: Java arrays' data begin 16 bytes
   * into the object, and large arrays (G1 humongous objects) start on a region boundary, so data
   * at float index 4 are 32-byte aligned and no 256-bit load splits across cache lines (a split
   * load cost a second load slot on Zen 3: up to 12 % on load-bound loops). Harmless elsewhere.
   */
  static final int ALIGN = 4;

  private PackGemm() {}

  /** Packs rows {@code m0 .. m0+rows} and columns {@code k0 .. k0+kc} of op(A) into {@code ap[0..]}. */
  static void packA(boolean transA, float[] a, int aOff, int lda, int m0, int rows, int k0, int kc,
      float[] ap) {
    int panels = (rows + MR - 1) / MR;
    for (int p = 0; p < panels; p++) {
      int base = p * kc * MR;
      for (int r = 0; r < MR; r++) {
        int row = p * MR + r;
        if (row >= rows) {
          for (int k = 0; k < kc; k++) {
            ap[base + k * MR + r] = 0f;
          }
        } else if (transA) {
          int src = aOff + k0 * lda + m0 + row;
          for (int k = 0; k < kc; k++) {
            ap[base + k * MR + r] = a[src + k * lda];
          }
        } else {
          int src = aOff + (m0 + row) * lda + k0;
          for (int k = 0; k < kc; k++) {
            ap[base + k * MR + r] = a[src + k];
          }
        }
      }
    }
  }

  /**
   * Packs rows {@code kFrom .. kTo} of op(B), all column panels, into {@code bp[bpOff..]} (layout
   * above; {@code kcMax} is the plan's K block). Rows are read in memory order, so a call streams
   * through B instead of striding across it.
   */
  static void packBRows(boolean transB, float[] b, int bOff, int ldb, int k, int n, int kcMax,
      int kFrom, int kTo, float[] bp, int bpOff) {
    int nPad = (n + NR - 1) / NR * NR;
    int panels = nPad / NR;
    for (int kk = kFrom; kk < kTo; kk++) {
      int k0 = kk / kcMax * kcMax;
      int kc = Math.min(kcMax, k - k0);
      int rowBase = bpOff + k0 * nPad + (kk - k0) * NR;
      for (int j = 0; j < panels; j++) {
        int d = rowBase + j * NR * kc;
        int n0 = j * NR;
        int cols = Math.min(NR, n - n0);
        if (transB) {
          int src = bOff + n0 * ldb + kk;
          for (int c = 0; c < cols; c++) {
            bp[d + c] = b[src + c * ldb];
          }
        } else {
          int src = bOff + kk * ldb + n0;
          for (int c = 0; c < cols; c++) {
            bp[d + c] = b[src + c];
          }
        }
        for (int c = cols; c < NR; c++) {
          bp[d + c] = 0f;
        }
      }
    }
  }

  /** The size of a packed B: {@code k * nPad}. */
  static int packedBSize(int k, int n) {
    return k * ((n + NR - 1) / NR * NR);
  }
}
