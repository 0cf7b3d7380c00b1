package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.runtime.InputException;
import dev.netc.runtime.exec.Executor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Kernels that the compiler's interpreter and the generated code both call (each used to keep its own copy), checked
 * against definitions written out here in the most direct form (double arithmetic, one output at a time), at
 * offsets, in place where the kernel allows it, and on random shapes.
 */
class SharedKernelsTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(20);

  private static float[] random(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) RANDOM.nextDouble(-2, 2);
    }
    return a;
  }

  @Test
  void l2NormDividesByTheNormAcrossChannels() {
    int n = 2;
    int c = 5;
    int sp = 7;
    float[] x = random(3 + n * c * sp);
    float[] w = random(c);
    float eps = 1e-3f;
    for (float[] weight : new float[][] {w, null}) {
      float[] y = new float[1 + n * c * sp];
      Norms.l2Norm(x, 3, y, 1, n, c, sp, weight, eps, new float[sp]);
      for (int b = 0; b < n; b++) {
        for (int p = 0; p < sp; p++) {
          double sum = 0;
          for (int ch = 0; ch < c; ch++) {
            double v = x[3 + (b * c + ch) * sp + p];
            sum += v * v;
          }
          for (int ch = 0; ch < c; ch++) {
            int i = (b * c + ch) * sp + p;
            double expected = x[3 + i] / (Math.sqrt(sum) + eps) * (weight == null ? 1 : weight[ch]);
            assertEquals(expected, y[1 + i], 1e-6 * (1 + Math.abs(expected)), "item " + b + " channel " + ch);
          }
        }
      }
      float[] inPlace = x.clone();
      Norms.l2Norm(inPlace, 3, inPlace, 3, n, c, sp, weight, eps, new float[sp + 4]);
      float[] copy = new float[n * c * sp];
      System.arraycopy(inPlace, 3, copy, 0, copy.length);
      float[] expected = new float[n * c * sp];
      System.arraycopy(y, 1, expected, 0, expected.length);
      assertArrayEquals(expected, copy, "in place, with more work space than needed");
    }
  }

  @Test
  void maxPool2dIsTheMaximumOverEachWindowClippedToTheInput() {
    for (int trial = 0; trial < 200; trial++) {
      int inH = 1 + RANDOM.nextInt(9);
      int inW = 1 + RANDOM.nextInt(9);
      int kH = 1 + RANDOM.nextInt(Math.min(inH, 4));
      int kW = 1 + RANDOM.nextInt(Math.min(inW, 4));
      int sH = 1 + RANDOM.nextInt(3);
      int sW = 1 + RANDOM.nextInt(3);
      int pH = RANDOM.nextInt(kH / 2 + 1);
      int pW = RANDOM.nextInt(kW / 2 + 1);
      // Any padding after the input, up to half the kernel, as the output size says.
      int outH = (inH + pH + RANDOM.nextInt(kH / 2 + 1) - kH) / sH + 1;
      int outW = (inW + pW + RANDOM.nextInt(kW / 2 + 1) - kW) / sW + 1;
      int planes = 1 + RANDOM.nextInt(3);
      float[] x = random(2 + planes * inH * inW);
      if (trial % 10 == 0) {
        x[2 + RANDOM.nextInt(x.length - 2)] = Float.NaN;
      }
      float[] y = new float[1 + planes * outH * outW];
      Pooling.maxPool2d(x, 2, y, 1, planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW);
      String geometry = inH + "x" + inW + " k" + kH + "x" + kW + " s" + sH + "x" + sW + " p" + pH + "x" + pW;
      for (int q = 0; q < planes; q++) {
        for (int oh = 0; oh < outH; oh++) {
          for (int ow = 0; ow < outW; ow++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int h = oh * sH - pH; h < oh * sH - pH + kH; h++) {
              for (int w = ow * sW - pW; w < ow * sW - pW + kW; w++) {
                if (h >= 0 && h < inH && w >= 0 && w < inW) {
                  float v = x[2 + (q * inH + h) * inW + w];
                  m = Float.isNaN(m) || Float.isNaN(v) ? Float.NaN : Math.max(m, v);
                }
              }
            }
            assertEquals(m, y[1 + (q * outH + oh) * outW + ow], geometry + " at " + q + "," + oh + "," + ow);
          }
        }
      }
    }
  }

  @Test
  void adaptivePoolAveragesOrMaximizesPyTorchBins() {
    for (int trial = 0; trial < 100; trial++) {
      int[] in = {1 + RANDOM.nextInt(4), 1 + RANDOM.nextInt(8), 1 + RANDOM.nextInt(8)};
      int[] out = {1 + RANDOM.nextInt(in[0]), 1 + RANDOM.nextInt(in[1] + 2), 1 + RANDOM.nextInt(in[2] + 2)};
      int planes = 1 + RANDOM.nextInt(3);
      int inPlane = in[0] * in[1] * in[2];
      int outPlane = out[0] * out[1] * out[2];
      float[] x = random(3 + planes * inPlane);
      for (boolean max : new boolean[] {false, true}) {
        float[] y = new float[planes * outPlane];
        Pooling.adaptivePool(x, 3, y, 0, planes, in[0], in[1], in[2], out[0], out[1], out[2], max);
        for (int q = 0; q < planes; q++) {
          for (int o = 0; o < outPlane; o++) {
            int[] pos = {o / (out[1] * out[2]), o / out[2] % out[1], o % out[2]};
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 1;
            int[][] bin = new int[3][];
            for (int a = 0; a < 3; a++) {
              // [floor(i·in/out), ceil((i+1)·in/out))
              bin[a] = new int[] {Math.floorDiv(pos[a] * in[a], out[a]), Math.ceilDiv((pos[a] + 1) * in[a], out[a])};
              count *= bin[a][1] - bin[a][0];
            }
            for (int d = bin[0][0]; d < bin[0][1]; d++) {
              for (int h = bin[1][0]; h < bin[1][1]; h++) {
                for (int w = bin[2][0]; w < bin[2][1]; w++) {
                  double v = x[3 + q * inPlane + (d * in[1] + h) * in[2] + w];
                  acc = max ? Math.max(acc, v) : acc + v;
                }
              }
            }
            double expected = max ? acc : acc / count;
            assertEquals(expected, y[q * outPlane + o], 1e-5, (max ? "max" : "avg") + " bin " + o);
          }
        }
      }
    }
  }

  /** {@code bn(x·Wᵀ + b)} by the definition, against the folded plan, for affine and plain batchnorms. */
  @Test
  void linearWithAFoldedBatchNormIsTheLinearFollowedByTheBatchNorm() {
    int in = 7;
    int out = 5;
    int rows = 3;
    float[] x = random(rows * in);
    float[] weight = random(out * in);
    float[] bias = random(out);
    float[] mean = random(out);
    float[] var = new float[out];
    for (int o = 0; o < out; o++) {
      var[o] = 0.5f + Math.abs(random(1)[0]);
    }
    for (boolean affine : new boolean[] {true, false}) {
      BatchNormWeights bn = new BatchNormWeights(affine ? random(out) : null, affine ? random(out) : null, mean, var,
          1e-3f);
      GemmPlan plan = ConvBatchNorm.linear(in, out, weight, bias, bn, Epilogue.NONE.withActivation(Activation.RELU));
      float[] y = new float[rows * out];
      plan.run(rows, x, 0, y, 0, null, 0, Executor.serial());
      for (int r = 0; r < rows; r++) {
        for (int o = 0; o < out; o++) {
          double acc = bias[o];
          for (int i = 0; i < in; i++) {
            acc += (double) x[r * in + i] * weight[o * in + i];
          }
          double g = bn.gamma() == null ? 1 : bn.gamma()[o];
          double b = bn.beta() == null ? 0 : bn.beta()[o];
          double expected = Math.max(0, (acc - mean[o]) / Math.sqrt(var[o] + 1e-3) * g + b);
          assertEquals(expected, y[r * out + o], 1e-5 * (1 + Math.abs(expected)), "row " + r + " output " + o);
        }
      }
    }
  }

  @Test
  void batchNormWeightsOnTheirOwnAreAScaleAndShift() {
    BatchNormWeights bn = new BatchNormWeights(new float[] {2, 0.5f}, null, new float[] {1, 2},
        new float[] {4, 0.25f}, 0f);
    ScaleShift s = bn.scaleShift();
    assertArrayEquals(new float[] {1, 1}, s.scale());
    assertArrayEquals(new float[] {-1, -2}, s.shift());
  }

  @Test
  void softplusWithItsOwnBetaAndThreshold() {
    float[] x = {-30, -1, 0, 0.5f, 2, 9, 11};
    float[] y = new float[x.length + 1];
    Elementwise.softplus(x, 0, y, 1, x.length, 2f, 20f);
    for (int i = 0; i < x.length; i++) {
      double expected = 2.0 * x[i] > 20 ? x[i] : Math.log(1 + Math.exp(2.0 * x[i])) / 2;
      assertEquals(expected, y[1 + i], 1e-6 * (1 + Math.abs(expected)), "x = " + x[i]);
    }
    assertEquals(11f, y[7], "above the threshold: x itself");
    float[] z = x.clone();
    Elementwise.softplus(z, 0, z, 0, z.length, 1f, 20f);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Activation.SOFTPLUS.apply(x[i], 0f), z[i], 1e-6f, "beta 1, threshold 20 is the default softplus");
    }
  }

  @Test
  void nearest3dReadsTheNearestSourceAlongEachAxis() {
    int[] in = {2, 3, 4};
    int[] out = {4, 5, 2};
    int[][] src = new int[3][];
    for (int a = 0; a < 3; a++) {
      src[a] = Upsample.nearestIndex(in[a], out[a], 0);
    }
    assertArrayEquals(new int[] {0, 0, 1, 1}, src[0], "twice the size: o / 2");
    assertArrayEquals(new int[] {0, 0, 1, 1, 2}, src[1], "floor(o * 3 / 5)");
    assertArrayEquals(new int[] {0, 2}, src[2], "floor(o * 4 / 2)");
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, Upsample.nearestIndex(4, 6, 1.7), "a scale factor maps by 1 / scale");
    assertArrayEquals(new int[] {0, 0, 1, 2, 2, 3}, Upsample.nearestIndex(4, 6, 0), "a size maps by in / out");
    int planes = 2;
    float[] x = random(1 + planes * 24);
    float[] y = new float[planes * 40];
    Upsample.nearest3d(x, 1, y, 0, planes, 2, 3, 4, src[0], src[1], src[2]);
    int i = 0;
    for (int p = 0; p < planes; p++) {
      for (int d = 0; d < 4; d++) {
        for (int h = 0; h < 5; h++) {
          for (int w = 0; w < 2; w++) {
            assertEquals(x[1 + p * 24 + (src[0][d] * 3 + src[1][h]) * 4 + src[2][w]], y[i++]);
          }
        }
      }
    }
  }

  @Test
  void sinusoidalTableForAnyBase() {
    int length = 6;
    int d = 5;
    for (double base : new double[] {10000, 100}) {
      float[] pe = PositionalEncoding.sinusoidal(length, d, base);
      for (int pos = 0; pos < length; pos++) {
        for (int i = 0; i < d; i++) {
          double angle = pos / Math.pow(base, (i - i % 2) / (double) d);
          double expected = i % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
          assertEquals(expected, pe[pos * d + i], 2e-6 * (1 + pos), "base " + base + " at " + pos + ", " + i);
        }
      }
    }
    assertArrayEquals(PositionalEncoding.sinusoidal(length, d), PositionalEncoding.sinusoidal(length, d, 10000));
  }

  @Test
  void embeddingCopiesRowsAndRefusesIdsThatAreNotRows() {
    float[] table = random(4 * 3);
    float[] ids = {9, 3, 0, 1, 3};
    float[] y = new float[1 + 4 * 3];
    Embeddings.lookup(table, 4, 3, ids, 1, 4, 2, y, 1, "emb");
    for (int i = 0; i < 4; i++) {
      for (int e = 0; e < 3; e++) {
        assertEquals(table[(int) ids[1 + i] * 3 + e], y[1 + i * 3 + e]);
      }
    }
    for (float bad : new float[] {4, -1, 0.5f, Float.NaN, Float.POSITIVE_INFINITY}) {
      float[] b = {0, 1, 2, bad};
      var e = assertThrows(InputException.class,
          () -> Embeddings.lookup(table, 4, 3, b, 0, 4, 2, new float[12], 0, "enc.emb"));
      assertEquals("enc.emb: token id " + bad + " (item 1, position 1) is not an integer in [0, 4)", e.getMessage());
    }
  }

  /** Box tests run two items, each operand at its own offset, so the item strides and offsets are checked too. */
  @Test
  void stridedSliceTakesEveryOtherElementFromTheStart() {
    int[] shape = {3, 7, 2};
    float[] x = random(1 + 2 * 42);
    float[] y = new float[2 + 2 * 3 * 3 * 2];
    StridedBox.slice(shape, 1, 1, 2, 3).copy(2, x, 1, y, 2);
    int i = 2;
    for (int n = 0; n < 2; n++) {
      for (int a = 0; a < 3; a++) {
        for (int j = 0; j < 3; j++) {
          for (int c = 0; c < 2; c++) {
            assertEquals(x[1 + n * 42 + (a * 7 + 1 + 2 * j) * 2 + c], y[i++]);
          }
        }
      }
    }
  }

  @Test
  void windowCopiesTheOverlapOfAShiftedInput() {
    int[] in = {2, 4, 5};
    int[] out = {2, 5, 3};
    int[] shift = {0, 2, -1}; // two rows of padding above, the first column cropped
    float[] x = random(2 * 40);
    float[] y = new float[1 + 2 * 30];
    Arrays.fill(y, 9f);
    StridedBox.window(in, out, shift).copy(2, x, 0, y, 1);
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 2; c++) {
        for (int h = 0; h < 5; h++) {
          for (int w = 0; w < 3; w++) {
            int sh = h - 2;
            int sw = w + 1;
            float expected = sh >= 0 && sh < 4 ? x[n * 40 + (c * 4 + sh) * 5 + sw] : 9f;
            assertEquals(expected, y[1 + n * 30 + (c * 5 + h) * 3 + w], "at " + n + "," + c + "," + h + "," + w);
          }
        }
      }
    }
  }

  @Test
  void broadcastRepeatsSizeOneDims() {
    int[] a = {3, 1, 4};
    int[] b = {1, 2, 4};
    int[] out = {3, 2, 4};
    float[] x = random(2 * 12);
    float[] z = random(3 + 2 * 8);
    for (boolean mul : new boolean[] {false, true}) {
      float[] y = new float[2 * 24];
      StridedBox box = StridedBox.broadcast(a, b, out);
      if (mul) {
        box.mul(2, x, 0, z, 3, y, 0);
      } else {
        box.add(2, x, 0, z, 3, y, 0);
      }
      for (int n = 0; n < 2; n++) {
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 4; k++) {
              float p = x[n * 12 + i * 4 + k];
              float q = z[3 + n * 8 + j * 4 + k];
              assertEquals(mul ? p * q : p + q, y[n * 24 + (i * 2 + j) * 4 + k]);
            }
          }
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> StridedBox.broadcast(a, new int[] {2, 2, 4}, out));
  }

  @Test
  void meanOverTheOuterAndInnerAxesKeepsTheMiddle() {
    int[] shape = {3, 4, 5};
    float[] x = random(2 * 60);
    float[] y = new float[2 * 4];
    StridedBox.mean(shape, new int[] {0, 2}).mean(2, x, 0, y, 0);
    for (int n = 0; n < 2; n++) {
      for (int j = 0; j < 4; j++) {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
          for (int k = 0; k < 5; k++) {
            sum += x[n * 60 + (i * 4 + j) * 5 + k];
          }
        }
        assertEquals((float) (sum / 15), y[n * 4 + j], "item " + n + " at " + j);
      }
    }
  }

  /** "Same" padding with an even window pads one more after the input than before it; only the divisor sees it. */
  @Test
  void averagePoolingWithMorePaddingAfterTheInput() {
    int in = 5;
    float[] x = random(2 * in * in);
    Pooling.Window w = Pooling.Window.of2d(in, in, 5, 5, 4, 4, 1, 1, 1, 1, 1, 1);
    for (boolean countPad : new boolean[] {true, false}) {
      float[] y = new float[2 * 25];
      Pooling.avgPool(x, 0, y, 0, 1, 2, w, 0, 2, 2, countPad);
      for (int c = 0; c < 2; c++) {
        for (int oh = 0; oh < 5; oh++) {
          for (int ow = 0; ow < 5; ow++) {
            double sum = 0;
            int real = 0;
            for (int h = oh - 1; h < oh + 3; h++) {
              for (int v = ow - 1; v < ow + 3; v++) {
                if (h >= 0 && h < in && v >= 0 && v < in) {
                  sum += x[(c * in + h) * in + v];
                  real++;
                }
              }
            }
            // Counting padding: the window clipped to [-1, in + 2), which holds all 4 x 4 here.
            double expected = sum / (countPad ? 16 : real);
            assertEquals(expected, y[(c * 5 + oh) * 5 + ow], 1e-6, "channel " + c + " at " + oh + "," + ow);
          }
        }
      }
    }
    float[] symmetric = new float[2 * 25];
    float[] asSymmetric = new float[2 * 25];
    Pooling.avgPool(x, 0, symmetric, 0, 1, 2, w, true);
    Pooling.avgPool(x, 0, asSymmetric, 0, 1, 2, w, 0, 1, 1, true);
    assertArrayEquals(symmetric, asSymmetric, "the padding after equal to the padding before: the symmetric kernel");
  }
}
