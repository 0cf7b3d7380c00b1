package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** NCHW and NCHWc16 conversions: exact round trips, zeroed padding channels, the index formula. */
class LayoutConvertTest {
  @Property(tries = 60)
  void roundTripIsExactAndPaddingIsZero(@ForAll @IntRange(min = 1, max = 3) int batch,
      @ForAll @IntRange(min = 1, max = 50) int channels, @ForAll @IntRange(min = 1, max = 40) int spatial,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    Random rnd = new Random(channels * 31L + spatial);
    float[] x = EpilogueCases.random(rnd, batch * channels * spatial);
    int image = Layout.NCHWC16.imageSize(channels, spatial);
    float[] blocked = new float[batch * image + 2];
    Arrays.fill(blocked, Float.NaN); // padding must be overwritten with zeros
    float[] back = new float[x.length + 1];
    try (WorkerPool pool = new WorkerPool(threads); Executor ex = pool.newExecutor()) {
      LayoutConvert.toBlocked(batch, channels, spatial, x, 0, blocked, 2, ex);
      LayoutConvert.toNchw(batch, channels, spatial, blocked, 2, back, 1, ex);
    }
    assertArrayEquals(x, Arrays.copyOfRange(back, 1, back.length));
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < Layout.paddedChannels(channels); c++) {
        for (int p = 0; p < spatial; p++) {
          float got = blocked[2 + n * image + Layout.NCHWC16.index(c, p, spatial)];
          float want = c < channels ? x[(n * channels + c) * spatial + p] : 0f;
          assertEquals(want, got, "n=" + n + " c=" + c + " p=" + p);
        }
      }
    }
  }
}
