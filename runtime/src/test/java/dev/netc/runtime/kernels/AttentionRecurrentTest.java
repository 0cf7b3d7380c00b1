package dev.netc.runtime.kernels;

import static dev.netc.runtime.ReferenceData.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Attention against a direct transcription of its definition; recurrent directions. */
class AttentionRecurrentTest {

  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 2 - 1;
    }
    return a;
  }

  @Property(tries = 40)
  void attentionMatchesDefinition(@ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 4) int heads, @ForAll @IntRange(min = 1, max = 5) int headDim,
      @ForAll @IntRange(min = 1, max = 6) int lq, @ForAll @IntRange(min = 1, max = 6) int lk,
      @ForAll boolean causal, @ForAll long seed) {
    Random r = new Random(seed);
    int e = heads * headDim;
    MultiHeadAttention.Weights w = new MultiHeadAttention.Weights(e, heads, random(r, 3 * e * e), random(r, 3 * e),
        random(r, e * e), random(r, e));
    float[] q = random(r, batch * lq * e);
    float[] k = random(r, batch * lk * e);
    float[] v = random(r, batch * lk * e);
    float[] got = new float[batch * lq * e];
    MultiHeadAttention.forward(w, q, 0, k, 0, v, 0, batch, lq, lk, causal, got, 0,
        new float[MultiHeadAttention.scratchSize(lq, lk, e)]);
    float[] want = naive(w, q, k, v, batch, lq, lk, causal);
    assertClose(want, 0, got, 0, want.length, 1e-5, 1e-4, "attention");
  }

  /** The scalar twin, as the compiler's interpreter runs it, on self-attention. */
  @Property(tries = 20)
  void scalarSelfAttentionMatchesDefinition(@ForAll @IntRange(min = 1, max = 2) int batch,
      @ForAll @IntRange(min = 1, max = 3) int heads, @ForAll @IntRange(min = 1, max = 4) int headDim,
      @ForAll @IntRange(min = 1, max = 6) int length, @ForAll boolean causal, @ForAll long seed) {
    Random r = new Random(seed);
    int e = heads * headDim;
    MultiHeadAttention.Weights w = new MultiHeadAttention.Weights(e, heads, random(r, 3 * e * e), random(r, 3 * e),
        random(r, e * e), random(r, e));
    float[] x = random(r, batch * length * e);
    float[] got = new float[batch * length * e];
    MultiHeadAttention.selfAttentionScalar(w, x, 0, batch, length, causal, got, 0,
        new float[MultiHeadAttention.scratchSize(length, length, e)]);
    float[] want = naive(w, x, x, x, batch, length, length, causal);
    assertClose(want, 0, got, 0, want.length, 1e-5, 1e-4, "scalar self-attention");
  }

  /** The definition, one number at a time, in double. */
  private static float[] naive(MultiHeadAttention.Weights w, float[] q, float[] k, float[] v, int batch, int lq, int lk,
      boolean causal) {
    int e = w.embed();
    int d = e / w.heads();
    float[] out = new float[batch * lq * e];
    for (int b = 0; b < batch; b++) {
      double[][] pq = project(w, 0, q, b * lq * e, lq);
      double[][] pk = project(w, 1, k, b * lk * e, lk);
      double[][] pv = project(w, 2, v, b * lk * e, lk);
      double[][] ctx = new double[lq][e];
      for (int h = 0; h < w.heads(); h++) {
        for (int i = 0; i < lq; i++) {
          double[] s = new double[lk];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < lk; j++) {
            s[j] = Double.NEGATIVE_INFINITY;
            if (!causal || j <= i) {
              s[j] = 0;
              for (int t = 0; t < d; t++) {
                s[j] += pq[i][h * d + t] * pk[j][h * d + t];
              }
              s[j] /= Math.sqrt(d);
            }
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j < lk; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int j = 0; j < lk; j++) {
            for (int t = 0; t < d; t++) {
              ctx[i][h * d + t] += s[j] / sum * pv[j][h * d + t];
            }
          }
        }
      }
      for (int i = 0; i < lq; i++) {
        for (int o = 0; o < e; o++) {
          double acc = w.outBias()[o];
          for (int t = 0; t < e; t++) {
            acc += ctx[i][t] * w.outProj()[o * e + t];
          }
          out[(b * lq + i) * e + o] = (float) acc;
        }
      }
    }
    return out;
  }

  private static double[][] project(MultiHeadAttention.Weights w, int part, float[] x, int off, int len) {
    int e = w.embed();
    double[][] p = new double[len][e];
    for (int i = 0; i < len; i++) {
      for (int o = 0; o < e; o++) {
        double acc = w.inBias()[part * e + o];
        for (int t = 0; t < e; t++) {
          acc += x[off + i * e + t] * w.inProj()[(part * e + o) * e + t];
        }
        p[i][o] = acc;
      }
    }
    return p;
  }

  /** The reverse direction over a sequence equals the forward direction over the reversed sequence. */
  @Test
  void reverseDirectionsAndBidirectionalLayout() {
    Random r = new Random(7);
    int in = 3;
    int hid = 5;
    int steps = 4;
    for (int gates : new int[] {4, 3}) {
      Recurrent.Weights w = new Recurrent.Weights(in, hid, random(r, gates * hid * in), random(r, gates * hid * hid),
          random(r, gates * hid), null);
      float[] x = random(r, steps * in);
      float[] reversed = new float[x.length];
      for (int t = 0; t < steps; t++) {
        System.arraycopy(x, t * in, reversed, (steps - 1 - t) * in, in);
      }
      float[] bi = new float[steps * 2 * hid];
      float[] fwd = new float[steps * hid];
      run(w, gates, reversed, false, fwd, 0, hid, steps);
      run(w, gates, x, true, bi, hid, 2 * hid, steps);
      for (int t = 0; t < steps; t++) {
        float[] a = java.util.Arrays.copyOfRange(fwd, (steps - 1 - t) * hid, (steps - t) * hid);
        float[] b = java.util.Arrays.copyOfRange(bi, t * 2 * hid + hid, (t + 1) * 2 * hid);
        assertArrayEquals(a, b, "gates=" + gates + " step " + t);
      }
    }
  }

  private static void run(Recurrent.Weights w, int gates, float[] x, boolean reverse, float[] y, int yOff, int stride,
      int steps) {
    float[] scratch = new float[Recurrent.scratchSize(1, steps, w.hidden(), gates)];
    if (gates == 4) {
      Recurrent.lstm(w, x, 0, 1, steps, reverse, y, yOff, stride, new float[w.hidden()], new float[w.hidden()], scratch);
    } else {
      Recurrent.gru(w, x, 0, 1, steps, reverse, y, yOff, stride, new float[w.hidden()], scratch);
    }
  }
}
