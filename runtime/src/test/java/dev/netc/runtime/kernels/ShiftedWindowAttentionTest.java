package dev.netc.runtime.kernels;

import static dev.netc.runtime.ReferenceData.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.netc.runtime.exec.Executor;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Swin's window attention against a literal transcription of torchvision's {@code shifted_window_attention}: pad,
 * roll, the mask built from torchvision's slices (Python slice bounds, so a zero shift along one dim gives one
 * region), windows, attention with the bias gathered through the index, and back.
 */
class ShiftedWindowAttentionTest {

  /** torchvision 0.14: {@code ShiftedWindowAttention(4, [2, 3], [0, 0], 1).relative_position_index.tolist()}. */
  @Test
  void relativePositionIndexIsTorchvisions() {
    long[] torchvision = {7, 6, 5, 2, 1, 0, 8, 7, 6, 3, 2, 1, 9, 8, 7, 4, 3, 2, 12, 11, 10, 7, 6, 5, 13, 12, 11, 8, 7,
        6, 14, 13, 12, 9, 8, 7};
    assertArrayEquals(torchvision, ShiftedWindowAttention.relativePositionIndex(2, 3));
  }

  @Property(tries = 60)
  void matchesTorchvisionsSteps(@ForAll @IntRange(min = 1, max = 2) int items,
      @ForAll @IntRange(min = 1, max = 9) int height, @ForAll @IntRange(min = 1, max = 9) int width,
      @ForAll @IntRange(min = 1, max = 4) int wh, @ForAll @IntRange(min = 1, max = 4) int ww,
      @ForAll @IntRange(min = 0, max = 3) int shiftH, @ForAll @IntRange(min = 0, max = 3) int shiftW,
      @ForAll @IntRange(min = 1, max = 3) int heads, @ForAll @IntRange(min = 1, max = 3) int headDim,
      @ForAll boolean vector, @ForAll long seed) {
    int sh = shiftH % wh;
    int sw = shiftW % ww;
    Random r = new Random(seed);
    int c = heads * headDim;
    float[] table = random(r, (2 * wh - 1) * (2 * ww - 1) * heads, 3);
    ShiftedWindowAttention.Weights w = new ShiftedWindowAttention.Weights(c, heads, wh, ww, random(r, 3 * c * c, 1),
        random(r, 3 * c, 1), random(r, c * c, 1), random(r, c, 1), table);
    float[] x = random(r, items * height * width * c, 1);
    float[] got = new float[x.length];
    float[] scratch = new float[ShiftedWindowAttention.scratchSize(c, wh, ww, height, width)];
    if (vector) {
      ShiftedWindowAttention.forward(w, sh, sw, x, 0, items, height, width, got, 0, scratch, Executor.serial());
    } else {
      ShiftedWindowAttention.forwardScalar(w, sh, sw, x, 0, items, height, width, got, 0, scratch);
    }
    float[] want = torchvision(w, table, sh, sw, x, items, height, width);
    assertClose(want, 0, got, 0, want.length, 1e-5, 1e-4, "window attention");
    // In place: a map is read whole before it is written.
    float[] inPlace = x.clone();
    ShiftedWindowAttention.forward(w, sh, sw, inPlace, 0, items, height, width, inPlace, 0, scratch,
        Executor.serial());
    assertClose(want, 0, inPlace, 0, want.length, 1e-5, 1e-4, "window attention in place");
  }

  private static float[] random(Random r, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) ((r.nextFloat() * 2 - 1) * scale);
    return a;
  }

  /** torchvision's steps, one by one, in doubles. */
  private static float[] torchvision(ShiftedWindowAttention.Weights w, float[] table, int shiftH, int shiftW,
      float[] x, int items, int height, int width) {
    int c = w.dim, heads = w.heads, wh = w.wh, ww = w.ww, d = c / heads, n = wh * ww;
    int ph = height + (wh - height % wh) % wh, pw = width + (ww - width % ww) % ww;
    int sh = wh >= ph ? 0 : shiftH, sw = ww >= pw ? 0 : shiftW;
    long[] index = ShiftedWindowAttention.relativePositionIndex(wh, ww);
    int[][] label = new int[ph][pw];
    if (sh + sw > 0) {
      int[][] hs = {{0, -wh}, {-wh, -sh}, {-sh, Integer.MAX_VALUE}};
      int[][] ws = {{0, -ww}, {-ww, -sw}, {-sw, Integer.MAX_VALUE}};
      int count = 0;
      for (int[] hSlice : hs) {
        for (int[] wSlice : ws) {
          for (int i = start(hSlice[0], ph); i < end(hSlice[1], ph); i++) {
            for (int j = start(wSlice[0], pw); j < end(wSlice[1], pw); j++) label[i][j] = count;
          }
          count++;
        }
      }
    }
    float[] y = new float[x.length];
    for (int b = 0; b < items; b++) {
      double[][][] rolled = new double[ph][pw][c];
      for (int i = 0; i < ph; i++) {
        for (int j = 0; j < pw; j++) {
          int si = (i + sh) % ph, sj = (j + sw) % pw;
          if (si < height && sj < width) {
            for (int k = 0; k < c; k++) rolled[i][j][k] = x[((b * height + si) * width + sj) * c + k];
          }
        }
      }
      double[][][] out = new double[ph][pw][c];
      for (int r0 = 0; r0 < ph; r0 += wh) {
        for (int c0 = 0; c0 < pw; c0 += ww) {
          double[][] qkv = new double[n][3 * c];
          for (int t = 0; t < n; t++) {
            double[] tok = rolled[r0 + t / ww][c0 + t % ww];
            for (int o = 0; o < 3 * c; o++) {
              double s = w.qkvBias[o];
              for (int k = 0; k < c; k++) s += tok[k] * w.qkv[o * c + k];
              qkv[t][o] = s;
            }
          }
          double[][] ctx = new double[n][c];
          for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
              double[] a = new double[n];
              double max = Double.NEGATIVE_INFINITY;
              for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += qkv[i][h * d + k] * Math.pow(d, -0.5) * qkv[j][c + h * d + k];
                s += table[(int) index[i * n + j] * heads + h];
                if (label[r0 + i / ww][c0 + i % ww] != label[r0 + j / ww][c0 + j % ww]) s += -100;
                a[j] = s;
                max = Math.max(max, s);
              }
              double sum = 0;
              for (int j = 0; j < n; j++) sum += a[j] = Math.exp(a[j] - max);
              for (int j = 0; j < n; j++) {
                for (int k = 0; k < d; k++) ctx[i][h * d + k] += a[j] / sum * qkv[j][2 * c + h * d + k];
              }
            }
          }
          for (int t = 0; t < n; t++) {
            for (int o = 0; o < c; o++) {
              double s = w.projBias[o];
              for (int k = 0; k < c; k++) s += ctx[t][k] * w.proj[o * c + k];
              out[r0 + t / ww][c0 + t % ww][o] = s;
            }
          }
        }
      }
      for (int i = 0; i < height; i++) {
        for (int j = 0; j < width; j++) {
          double[] v = out[((i - sh) % ph + ph) % ph][((j - sw) % pw + pw) % pw];
          for (int k = 0; k < c; k++) y[((b * height + i) * width + j) * c + k] = (float) v[k];
        }
      }
    }
    return y;
  }

  /** Python's slice start for a possibly negative bound ({@code -0} is 0). */
  private static int start(int bound, int size) { return bound < 0 ? Math.max(0, size + bound) : Math.min(bound, size); }

  /** Python's slice end: {@code MAX_VALUE} for None, negative from the end, {@code -0} is 0. */
  private static int end(int bound, int size) {
    if (bound == Integer.MAX_VALUE) return size;
    return bound < 0 ? Math.max(0, size + bound) : Math.min(bound, size);
  }
}
