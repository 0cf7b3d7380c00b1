package dev.netc.runtime.kernels;

import dev.netc.runtime.VectorSupport;
import java.util.Arrays;

/**
 * Multi-head scaled-dot-product attention with PyTorch's {@code nn.MultiheadAttention} semantics
 * (batch first, no dropout): {@code Q = query·Wqᵀ + bq}, {@code K = key·Wkᵀ + bk},
 * {@code V = value·Wvᵀ + bv} from the packed {@code in_proj_weight [3E, E]} and
 * {@code in_proj_bias [3E]}; per head {@code h} (columns {@code h*E/H .. (h+1)*E/H}),
 * {@code softmax(Q_h K_hᵀ / sqrt(E/H)) V_h}; heads concatenated and projected by
 * {@code out_proj [E, E]} with its bias. A causal mask (position {@code i} attends to {@code j <= i})
 * is optional; biases may be null.
 *
 * <p>Shapes: query {@code [B, Lq, E]}, key and value {@code [B, Lk, E]}, output {@code [B, Lq, E]}.
 * Work space: {@link #scratchSize} floats, passed in so that steady-state calls allocate nothing.
 * The products and the softmax take the vector path when the Vector API is present;
 * {@link #selfAttentionScalar} is the scalar twin (the same sequence of kernels).
 */
public final class MultiHeadAttention {
  private static final boolean VECTOR = VectorSupport.ENABLED;

  private MultiHeadAttention() {}

  /**
   * The weights of one attention layer.
   *
   * @param embed     E
   * @param heads     H (must divide E)
   * @param inProj    {@code [3E, E]}: query, key and value projections stacked
   * @param inBias    {@code [3E]} or null
   * @param outProj   {@code [E, E]}
   * @param outBias   {@code [E]} or null
   */
  public record Weights(int embed, int heads, float[] inProj, float[] inBias, float[] outProj, float[] outBias) {
    /** Checks the sizes. */
    public Weights {
      if (heads <= 0 || embed % heads != 0) {
        throw new IllegalArgumentException(heads + " heads do not divide embedding size " + embed);
      }
      if (inProj.length != 3 * embed * embed || outProj.length != embed * embed) {
        throw new IllegalArgumentException("projection sizes do not match embedding size " + embed);
      }
    }
  }

  /** Floats of work space for one call: Q, K, V, scores and the concatenated heads of one sample. */
  public static int scratchSize(int lq, int lk, int embed) {
    return lq * embed + 2 * lk * embed + lq * lk + lq * embed;
  }

  /** Self-attention: query, key and value are all {@code x}. */
  public static void selfAttention(Weights w, float[] x, int xOff, int batch, int length, boolean causal,
      float[] y, int yOff, float[] scratch) {
    forward(w, x, xOff, x, xOff, x, xOff, batch, length, length, causal, y, yOff, scratch, VECTOR);
  }

  /** {@link #selfAttention} with scalar kernels only. */
  public static void selfAttentionScalar(Weights w, float[] x, int xOff, int batch, int length, boolean causal,
      float[] y, int yOff, float[] scratch) {
    forward(w, x, xOff, x, xOff, x, xOff, batch, length, length, causal, y, yOff, scratch, false);
  }

  /** General attention; see the class comment. {@code y} must not overlap the inputs. */
  public static void forward(Weights w, float[] query, int qOff, float[] key, int kOff, float[] value, int vOff,
      int batch, int lq, int lk, boolean causal, float[] y, int yOff, float[] scratch) {
    forward(w, query, qOff, key, kOff, value, vOff, batch, lq, lk, causal, y, yOff, scratch, VECTOR);
  }

  private static void forward(Weights w, float[] query, int qOff, float[] key, int kOff, float[] value, int vOff,
      int batch, int lq, int lk, boolean causal, float[] y, int yOff, float[] scratch, boolean vector) {
    int e = w.embed();
    int q = 0;
    int k = q + lq * e;
    int v = k + lk * e;
    int scores = v + lk * e;
    int ctx = scores + lq * lk;
    for (int b = 0; b < batch; b++) {
      project(vector, w, 0, query, qOff + b * lq * e, lq, scratch, q);
      project(vector, w, 1, key, kOff + b * lk * e, lk, scratch, k);
      project(vector, w, 2, value, vOff + b * lk * e, lk, scratch, v);
      for (int h = 0; h < w.heads(); h++) {
        head(vector, w, h, lq, lk, causal, scratch, q, k, v, scores, ctx);
      }
      matmulNT(vector, lq, e, e, 1f, scratch, ctx, e, w.outProj(), 0, e, w.outBias(), 0, y, yOff + b * lq * e, e);
    }
  }

  /** Rows {@code part*E .. (part+1)*E} of the packed in-projection applied to {@code len} tokens. */
  private static void project(boolean vector, Weights w, int part, float[] x, int xOff, int len, float[] out,
      int outOff) {
    int e = w.embed();
    matmulNT(vector, len, e, e, 1f, x, xOff, e, w.inProj(), part * e * e, e, w.inBias(), part * e, out, outOff, e);
  }

  private static void head(boolean vector, Weights w, int h, int lq, int lk, boolean causal, float[] s,
      int q, int k, int v, int scores, int ctx) {
    int e = w.embed();
    int d = e / w.heads();
    float scale = (float) (1.0 / Math.sqrt(d));
    matmulNT(vector, lq, lk, d, scale, s, q + h * d, e, s, k + h * d, e, null, 0, s, scores, lk);
    if (causal) {
      for (int i = 0; i < lq; i++) {
        Arrays.fill(s, scores + i * lk + Math.min(i + 1, lk), scores + (i + 1) * lk, Float.NEGATIVE_INFINITY);
      }
    }
    if (vector) {
      Softmax.softmax(s, scores, s, scores, lq, lk, 1);
      SmallMatmul.matmulNN(lq, d, lk, s, scores, lk, s, v + h * d, e, s, ctx + h * d, e);
    } else {
      SoftmaxScalar.softmax(s, scores, s, scores, lq, lk, 1, false);
      SmallMatmulScalar.matmulNN(lq, d, lk, s, scores, lk, s, v + h * d, e, s, ctx + h * d, e);
    }
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
