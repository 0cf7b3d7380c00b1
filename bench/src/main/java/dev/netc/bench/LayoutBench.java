package dev.netc.bench;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.kernels.ConvSpec;
import dev.netc.runtime.kernels.Epilogue;
import dev.netc.runtime.kernels.GemmPlan;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The alternatives to the blocked layout, one thread, same shapes as {@link ConvBench} and
 * {@link DepthwiseBench}, for the layout choice in bench/README.md:
 * <ul>
 *   <li>{@code conv3x3Im2col}: the 3x3 layer as im2col (NHWC patches, 576 per pixel) plus the
 *       runtime's packed SGEMM with the weights as constant B — the usual NHWC/NCHW route;</li>
 *   <li>{@code depthwiseNchw}: the depthwise layer on NCHW planes, vectors along a row (the 56-wide
 *       rows are 7 vectors; borders scalar).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LayoutBench {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

  private float[] nhwc;
  private float[] cols;
  private float[] convOut;
  private GemmPlan gemm;
  private float[] dwIn;
  private float[] dwW;
  private float[] dwOut;
  private final Executor ex = Executor.serial();
  private final float[] edgeBuffer = new float[8];

  /** Random data; the GEMM plan packs its weights here. */
  @Setup(Level.Trial)
  public void setup() {
    Random rnd = new Random(4);
    ConvSpec c = Workloads.CONV3X3;
    int k = c.inChannels() * 9;
    nhwc = random(rnd, c.inChannels() * c.inSpatial());
    cols = new float[c.outSpatial() * k];
    convOut = new float[c.outSpatial() * c.outChannels()];
    float[] w = random(rnd, c.outChannels() * k);
    gemm = GemmPlan.linear(k, c.outChannels(), w, 0, Epilogue.NONE.withBias(new float[c.outChannels()]));
    ConvSpec d = Workloads.DEPTHWISE;
    dwIn = random(rnd, d.inChannels() * d.inSpatial());
    dwW = random(rnd, d.inChannels() * 9);
    dwOut = new float[dwIn.length];
  }

  private static float[] random(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextFloat() - 0.5f;
    }
    return a;
  }

  /** im2col of the NHWC input (zero padding 1) then GEMM [3136 x 576] · [576 x 64]. */
  @Benchmark
  public float[] conv3x3Im2col() {
    int h = 56;
    int w = 56;
    int ch = 64;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int row = (y * w + x) * 9 * ch;
        for (int ky = 0; ky < 3; ky++) {
          for (int kx = 0; kx < 3; kx++) {
            int iy = y + ky - 1;
            int ix = x + kx - 1;
            int dst = row + (ky * 3 + kx) * ch;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              java.util.Arrays.fill(cols, dst, dst + ch, 0f);
            } else {
              System.arraycopy(nhwc, (iy * w + ix) * ch, cols, dst, ch);
            }
          }
        }
      }
    }
    gemm.run(h * w, cols, 0, convOut, 0, null, 0, ex);
    return convOut;
  }

  /** Depthwise 3x3, padding 1, on NCHW planes: a vector of 8 outputs along a row per step. */
  @Benchmark
  public float[] depthwiseNchw() {
    int h = 56;
    int w = 56;
    for (int c = 0; c < 144; c++) {
      int plane = c * h * w;
      for (int y = 0; y < h; y++) {
        int o = plane + y * w;
        for (int x = 0; x < w; x += 8) {
          FloatVector acc = FloatVector.zero(S);
          for (int ky = 0; ky < 3; ky++) {
            int iy = y + ky - 1;
            if (iy < 0 || iy >= h) {
              continue;
            }
            for (int kx = 0; kx < 3; kx++) {
              int ix = x + kx - 1;
              FloatVector wv = FloatVector.broadcast(S, dwW[c * 9 + ky * 3 + kx]);
              int src = plane + iy * w + ix;
              if (ix >= 0 && ix + 8 <= w) {
                acc = FloatVector.fromArray(S, dwIn, src).fma(wv, acc);
              } else {
                acc = edge(plane + iy * w, ix, w).fma(wv, acc);
              }
            }
          }
          acc.intoArray(dwOut, o + x);
        }
      }
    }
    return dwOut;
  }

  /** The 8 row values from column ix, zero outside [0, w). */
  private FloatVector edge(int rowStart, int ix, int w) {
    float[] t = edgeBuffer;
    for (int i = 0; i < 8; i++) {
      int col = ix + i;
      t[i] = col >= 0 && col < w ? dwIn[rowStart + col] : 0f;
    }
    return FloatVector.fromArray(S, t, 0);
  }
}
