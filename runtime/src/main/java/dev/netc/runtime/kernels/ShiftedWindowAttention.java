package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;
import dev.netc.runtime.exec.Executor;

/**
 * Swin Transformer's (shifted) window attention with torchvision's {@code shifted_window_attention} semantics, on a
 * channels-last map {@code [H, W, C]} per item: the map is padded with zeros at the bottom and right to a multiple
 * of the window, rolled by {@code -shift} (a shift is dropped along a dim whose padded size the window covers), and
 * cut into windows of {@code N = wh·ww} tokens. Per window: {@code qkv = x·Wᵀ + b} ({@code [3C, C]}), per head
 * {@code h} {@code softmax(q_h k_hᵀ / sqrt(C/heads) + B_h + M) v_h} with {@code B_h} the relative position bias read
 * from the learned table through the relative position index and {@code M} the shifted-window mask (-100 between
 * tokens of different regions of the rolled map, 0 elsewhere; only when a shift is in effect); the heads side by side
 * go through {@code proj}, and the tokens are written back where they came from (padding dropped). Padded tokens
 * take part as keys and values, as in torchvision.
 *
 * <p>Work space: {@link #scratchSize} floats, passed in so that steady-state calls allocate nothing. The products and
 * the softmax take the vector path when the Vector API is present; {@link #forwardScalar} is the scalar twin.
 */
public final class ShiftedWindowAttention {
  /** The mask value torchvision adds between tokens of different regions of a shifted window. */
  public static final float MASK = -100f;

  private static final boolean VECTOR = VectorSupport.ENABLED;

  private ShiftedWindowAttention() {}

  /**
   * The weights of one window attention layer and the bias table gathered through the relative position index
   * ({@code [heads, N, N]}, computed once here).
   */
  public static final class Weights {
    final int dim;
    final int heads;
    final int wh;
    final int ww;
    final float[] qkv;
    final float[] qkvBias;
    final float[] proj;
    final float[] projBias;
    final float[] bias;
    final GemmPlan qkvPlan;
    final GemmPlan projPlan;

    /**
     * @param dim      C, divisible by {@code heads}
     * @param wh       window height
     * @param ww       window width
     * @param qkv      {@code [3C, C]}: query, key and value projections stacked
     * @param qkvBias  {@code [3C]} or null
     * @param proj     {@code [C, C]}
     * @param projBias {@code [C]} or null
     * @param table    the relative position bias table {@code [(2wh-1)·(2ww-1), heads]}
     */
    public Weights(int dim, int heads, int wh, int ww, float[] qkv, float[] qkvBias, float[] proj, float[] projBias,
        float[] table) {
      if (heads <= 0 || dim % heads != 0) {
        throw new IllegalArgumentException(heads + " heads do not divide embedding size " + dim);
      }
      if (wh < 1 || ww < 1) throw new IllegalArgumentException("window " + wh + "x" + ww + " is empty");
      if (qkv.length != 3 * dim * dim || proj.length != dim * dim) {
        throw new IllegalArgumentException("projection sizes do not match embedding size " + dim);
      }
      int rows = (2 * wh - 1) * (2 * ww - 1);
      if (table.length != rows * heads) {
        throw new IllegalArgumentException("relative position bias table has " + table.length + " elements, expected "
            + rows + " x " + heads);
      }
      this.dim = dim;
      this.heads = heads;
      this.wh = wh;
      this.ww = ww;
      this.qkv = qkv;
      this.qkvBias = qkvBias;
      this.proj = proj;
      this.projBias = projBias;
      this.bias = gatherBias(table, heads, wh, ww);
      this.qkvPlan = GemmPlan.linear(dim, 3 * dim, qkv, 0, Epilogue.NONE.withBias(qkvBias));
      this.projPlan = GemmPlan.linear(dim, dim, proj, 0, Epilogue.NONE.withBias(projBias));
    }
  }

  /**
   * torchvision's {@code relative_position_index} for a {@code wh x ww} window, flattened: for tokens
   * {@code i = (ih, iw)} and {@code j = (jh, jw)} (row-major in the window), element {@code i·N + j} is
   * {@code (ih - jh + wh - 1)·(2ww - 1) + (iw - jw + ww - 1)}, a row of the bias table.
   */
  public static long[] relativePositionIndex(int wh, int ww) {
    int n = wh * ww;
    long[] index = new long[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        index[i * n + j] = (long) (i / ww - j / ww + wh - 1) * (2 * ww - 1) + (i % ww - j % ww + ww - 1);
      }
    }
    return index;
  }

  private static float[] gatherBias(float[] table, int heads, int wh, int ww) {
    int n = wh * ww;
    long[] index = relativePositionIndex(wh, ww);
    float[] bias = new float[heads * n * n];
    for (int h = 0; h < heads; h++) {
      for (int ij = 0; ij < n * n; ij++) {
        bias[h * n * n + ij] = table[(int) index[ij] * heads + h];
      }
    }
    return bias;
  }

  /** The shift torchvision applies along a dim: none when the window covers the padded size. */
  public static int effectiveShift(int shift, int window, int padded) {
    return window >= padded ? 0 : shift;
  }

  /**
   * Floats of work space for one call on {@code [height, width, dim]} maps: the tokens of every window of one map
   * (padded), their q, k, v, one head's scores and the heads' outputs.
   */
  public static int scratchSize(int dim, int wh, int ww, int height, int width) {
    long t = (long) Math.ceilDiv(height, wh) * wh * Math.ceilDiv(width, ww) * ww;
    long n = (long) wh * ww;
    return Math.toIntExact(5 * t * dim + n * n);
  }

  /**
   * Window attention on {@code items} maps {@code [height, width, C]} at {@code x}, written to {@code y} (which may
   * be {@code x}: a map is read whole before it is written).
   */
  public static void forward(Weights w, int shiftH, int shiftW, float[] x, int xOff, int items, int height, int width,
      float[] y, int yOff, float[] scratch, Executor ex) {
    run(w, shiftH, shiftW, x, xOff, items, height, width, y, yOff, scratch, VECTOR ? ex : null);
  }

  /** {@link #forward} with scalar kernels only. */
  public static void forwardScalar(Weights w, int shiftH, int shiftW, float[] x, int xOff, int items, int height,
      int width, float[] y, int yOff, float[] scratch) {
    run(w, shiftH, shiftW, x, xOff, items, height, width, y, yOff, scratch, null);
  }

  /**
   * Per map: the tokens of all windows gathered window after window ({@code [T, C]}, T the padded positions), one
   * qkv projection over all of them (the weights stream once per map, not once per window; on the vector path the
   * packed GEMM of linear layers, on the executor's threads), attention window by window and head by head, one
   * output projection, and the tokens scattered back. {@code ex} null: the scalar path.
   */
  private static void run(Weights w, int shiftH, int shiftW, float[] x, int xOff, int items, int height, int width,
      float[] y, int yOff, float[] s, Executor ex) {
    boolean vector = ex != null;
    int c = w.dim;
    int n = w.wh * w.ww;
    int ph = Math.ceilDiv(height, w.wh) * w.wh;
    int pw = Math.ceilDiv(width, w.ww) * w.ww;
    int sh = effectiveShift(shiftH, w.wh, ph);
    int sw = effectiveShift(shiftW, w.ww, pw);
    int t = ph * pw;
    int tokens = 0;
    int qkv = tokens + t * c;
    int ctx = qkv + 3 * t * c;
    int scores = ctx + t * c;
    int itemSize = height * width * c;
    for (int b = 0; b < items; b++) {
      int in = xOff + b * itemSize;
      for (int row = 0; row < t; row++) {
        int pos = source(w, row, ph, pw, sh, sw, height, width);
        if (pos >= 0) System.arraycopy(x, in + pos * c, s, tokens + row * c, c);
        else java.util.Arrays.fill(s, tokens + row * c, tokens + (row + 1) * c, 0f);
      }
      if (vector) w.qkvPlan.run(t, s, tokens, s, qkv, null, 0, ex);
      else SmallMatmulScalar.matmulNT(t, 3 * c, c, 1f, s, tokens, c, w.qkv, 0, c, w.qkvBias, 0, s, qkv, 3 * c);
      int win = 0;
      for (int r0 = 0; r0 < ph; r0 += w.wh) {
        for (int c0 = 0; c0 < pw; c0 += w.ww, win++) {
          window(w, r0, c0, ph, pw, sh, sw, s, qkv + win * n * 3 * c, ctx + win * n * c, scores, vector);
        }
      }
      if (vector) w.projPlan.run(t, s, ctx, s, tokens, null, 0, ex);
      else SmallMatmulScalar.matmulNT(t, c, c, 1f, s, ctx, c, w.proj, 0, c, w.projBias, 0, s, tokens, c);
      int out = yOff + b * itemSize;
      for (int row = 0; row < t; row++) {
        int pos = source(w, row, ph, pw, sh, sw, height, width);
        if (pos >= 0) System.arraycopy(s, tokens + row * c, y, out + pos * c, c);
      }
    }
  }

  /**
   * The map position ({@code r·width + col}) whose token is row {@code row} of the gathered windows, or -1 for a
   * padded one: windows in row-major order, tokens row-major in each, in the map rolled by the shift.
   */
  private static int source(Weights w, int row, int ph, int pw, int sh, int sw, int height, int width) {
    int n = w.wh * w.ww;
    int win = row / n;
    int tok = row % n;
    int windowsPerRow = pw / w.ww;
    int r = ((win / windowsPerRow) * w.wh + tok / w.ww + sh) % ph;
    int col = ((win % windowsPerRow) * w.ww + tok % w.ww + sw) % pw;
    return r < height && col < width ? r * width + col : -1;
  }

  /**
   * Attention inside one window whose top-left corner is {@code (r0, c0)} in the rolled, padded map: its q, k, v rows
   * at {@code qkv} (stride 3C), its heads' outputs to {@code ctx} (stride C).
   */
  private static void window(Weights w, int r0, int c0, int ph, int pw, int sh, int sw, float[] s, int qkv, int ctx,
      int scores, boolean vector) {
    int c = w.dim;
    int n = w.wh * w.ww;
    int d = c / w.heads;
    boolean masked = sh + sw > 0;
    float scale = (float) Math.pow(d, -0.5);
    for (int h = 0; h < w.heads; h++) {
      matmulNT(vector, n, n, d, scale, s, qkv + h * d, 3 * c, s, qkv + c + h * d, 3 * c, null, 0, s, scores, n);
      int bias = h * n * n;
      for (int i = 0; i < n; i++) {
        int regionI = masked ? region(r0 + i / w.ww, ph, w.wh, sh) * 3 + region(c0 + i % w.ww, pw, w.ww, sw) : 0;
        int row = scores + i * n;
        for (int j = 0; j < n; j++) {
          float v = s[row + j] + w.bias[bias + i * n + j];
          if (masked && region(r0 + j / w.ww, ph, w.wh, sh) * 3 + region(c0 + j % w.ww, pw, w.ww, sw) != regionI) {
            v += MASK;
          }
          s[row + j] = v;
        }
      }
      if (vector) {
        Softmax.softmax(s, scores, s, scores, n, n, 1);
        SmallMatmul.matmulNN(n, d, n, s, scores, n, s, qkv + 2 * c + h * d, 3 * c, s, ctx + h * d, c);
      } else {
        SoftmaxScalar.softmax(s, scores, s, scores, n, n, 1, false);
        SmallMatmulScalar.matmulNN(n, d, n, s, scores, n, s, qkv + 2 * c + h * d, 3 * c, s, ctx + h * d, c);
      }
    }
  }

  /**
   * The region of a coordinate of the rolled, padded map along one dim, as torchvision's mask slices it:
   * {@code [0, P - window)}, {@code [P - window, P - shift)}, {@code [P - shift, P)}; one region when unshifted.
   */
  private static int region(int p, int padded, int window, int shift) {
    if (shift == 0) return 0;
    return p < padded - window ? 0 : p < padded - shift ? 1 : 2;
  }

  private static void matmulNT(boolean vector, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float[] bias, int biasOff, float[] y, int yOff, int ldy) {
    if (vector) {
      SmallMatmul.matmulNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bias, biasOff, y, yOff, ldy);
    } else {
      SmallMatmulScalar.matmulNT(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bias, biasOff, y, yOff, ldy);
    }
  }
}
