package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Concat/split, channel shuffle, pad/crop, permute and mean: small exact cases and properties. */
class CopyKernelsTest {

  @Test
  void concatThenSplitRoundTrips() {
    float[] a = {1, 2, 3, 4}; // [2, 1, 2]
    float[] b = {5, 6, 7, 8, 9, 10, 11, 12}; // [2, 2, 2]
    float[] y = new float[12];
    Slices.concat(new float[][] {a, b}, new int[2], new int[] {1, 2}, y, 0, 2, 2);
    assertArrayEquals(new float[] {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}, y);
    float[] a2 = new float[4];
    float[] b2 = new float[8];
    Slices.split(y, 0, new float[][] {a2, b2}, new int[2], new int[] {1, 2}, 2, 2);
    assertArrayEquals(a, a2);
    assertArrayEquals(b, b2);
    assertThrows(IllegalArgumentException.class, () -> Slices.copy(a, 0, 1, 0, y, 0, 3, 2, 2, 2, 2));
  }

  @Test
  void channelShuffleInterleavesGroups() {
    float[] x = {0, 1, 2, 3, 4, 5};
    float[] y = new float[6];
    ChannelShuffle.shuffle(x, 0, y, 0, 1, 6, 2, 1);
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, y);
    ChannelShuffle.shuffle(x, 0, y, 0, 1, 6, 3, 1);
    assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, y);
  }

  @Test
  void padLeftForCausalConvolution() {
    float[] y = new float[5];
    Pad.constant(new float[] {1, 2, 3}, 0, new int[] {1, 1, 3}, new int[] {2, 0}, 0f, y, 0);
    assertArrayEquals(new float[] {0, 0, 1, 2, 3}, y);
  }

  @Test
  void negativePaddingCrops() {
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    int[] pads = {-1, 1, 0, -1};
    assertArrayEquals(new int[] {1, 1, 2, 3}, Pad.outputShape(new int[] {1, 1, 3, 3}, pads));
    float[] y = new float[6];
    Pad.constant(x, 0, new int[] {1, 1, 3, 3}, pads, -7f, y, 0);
    assertArrayEquals(new float[] {2, 3, -7, 5, 6, -7}, y);
    float[] z = new float[2 * 7];
    Pad.constant(x, 0, new int[] {3, 3}, new int[] {5, -1, -3, 2}, 0f, z, 0);
    assertArrayEquals(new float[14], z, "rows wholly in padding, columns shifted beyond the row");
  }

  @Test
  void centerCrop() {
    assertEquals(2, Pad.centerCropOffset(5, 2));
    assertEquals(0, Pad.centerCropOffset(5, 4), "round half to even, as Python");
    assertEquals(2, Pad.centerCropOffset(6, 2));
    float[] x = new float[16];
    for (int i = 0; i < 16; i++) {
      x[i] = i;
    }
    float[] y = new float[4];
    Pad.crop2d(x, 0, y, 0, 1, 1, 4, 4, 1, 1, 2, 2);
    assertArrayEquals(new float[] {5, 6, 9, 10}, y);
    assertThrows(IllegalArgumentException.class, () -> Pad.crop2d(x, 0, y, 0, 1, 1, 4, 4, 3, 3, 2, 2));
  }

  @Property(tries = 100)
  void padMatchesDirectDefinition(@ForAll @IntRange(min = 1, max = 4) int h, @ForAll @IntRange(min = 1, max = 5) int w,
      @ForAll @IntRange(min = -2, max = 3) int left, @ForAll @IntRange(min = -2, max = 3) int right,
      @ForAll @IntRange(min = -2, max = 3) int top, @ForAll @IntRange(min = -2, max = 3) int bottom) {
    int oh = h + top + bottom;
    int ow = w + left + right;
    if (oh < 0 || ow < 0) {
      return;
    }
    float[] x = new float[2 * h * w];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    float[] y = new float[2 * oh * ow];
    Pad.constant(x, 0, new int[] {2, h, w}, new int[] {left, right, top, bottom}, -1f, y, 0);
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          int si = i - top;
          int sj = j - left;
          float want = si >= 0 && si < h && sj >= 0 && sj < w ? x[(c * h + si) * w + sj] : -1f;
          assertEquals(want, y[(c * oh + i) * ow + j]);
        }
      }
    }
  }

  @Property(tries = 100)
  void permuteMatchesIndexDefinition(@ForAll @IntRange(min = 1, max = 4) int a, @ForAll @IntRange(min = 1, max = 4) int b,
      @ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(max = 5) int which) {
    int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    int[] perm = perms[which];
    int[] shape = {a, b, c};
    float[] x = new float[a * b * c];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    float[] y = new float[x.length];
    Permute.permute(x, 0, shape, perm, y, 0);
    int[] out = Permute.outputShape(shape, perm);
    int[] idx = new int[3];
    for (int i = 0; i < out[0]; i++) {
      for (int j = 0; j < out[1]; j++) {
        for (int k = 0; k < out[2]; k++) {
          idx[perm[0]] = i;
          idx[perm[1]] = j;
          idx[perm[2]] = k;
          assertEquals(x[(idx[0] * b + idx[1]) * c + idx[2]], y[(i * out[1] + j) * out[2] + k]);
        }
      }
    }
  }

  @Test
  void transposeAndBadPermutations() {
    float[] y = new float[6];
    Permute.transpose(new float[] {1, 2, 3, 4, 5, 6}, 0, new int[] {2, 3}, 0, 1, y, 0);
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, y);
    assertThrows(IllegalArgumentException.class, () -> Permute.permute(y, 0, new int[] {2, 3}, new int[] {0, 0}, y, 0));
  }

  @Test
  void meanOverAxes() {
    float[] x = new float[12]; // [2, 3, 2]
    for (int i = 0; i < 12; i++) {
      x[i] = i;
    }
    float[] y = new float[3];
    assertArrayEquals(new int[] {3}, ReduceMean.outputShape(new int[] {2, 3, 2}, new int[] {0, -1}));
    ReduceMean.mean(x, 0, new int[] {2, 3, 2}, new int[] {0, -1}, y, 0);
    assertArrayEquals(new float[] {(0 + 1 + 6 + 7) / 4f, (2 + 3 + 8 + 9) / 4f, (4 + 5 + 10 + 11) / 4f}, y);
    float[] all = new float[1];
    ReduceMean.mean(x, 0, new int[] {2, 3, 2}, new int[] {0, 1, 2}, all, 0);
    assertEquals(5.5f, all[0]);
  }

  @Property(tries = 50)
  void meanEqualsDirectSum(@ForAll @IntRange(min = 1, max = 4) int a, @ForAll @IntRange(min = 1, max = 4) int b,
      @ForAll @IntRange(min = 1, max = 4) int c, @ForAll long seed) {
    Random r = new Random(seed);
    float[] x = new float[a * b * c];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    float[] y = new float[a * c];
    ReduceMean.mean(x, 0, new int[] {a, b, c}, new int[] {1}, y, 0);
    for (int i = 0; i < a; i++) {
      for (int k = 0; k < c; k++) {
        double s = 0;
        for (int j = 0; j < b; j++) {
          s += x[(i * b + j) * c + k];
        }
        assertEquals(s / b, y[i * c + k], 1e-6);
      }
    }
  }
}
