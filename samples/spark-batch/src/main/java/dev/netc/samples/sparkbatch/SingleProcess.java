package dev.netc.samples.sparkbatch;

import dev.netc.samples.sparkbatch.model.Lenet5;
import java.util.List;

/**
 * The same scoring without Spark: the generated class in one process, on in-memory images. The reference the
 * sample's test compares Spark's predictions with, and the baseline of the benchmark.
 */
public final class SingleProcess {
  private SingleProcess() {}

  /** LeNet-5's output for one image, through {@code session} (batch 1). */
  public static float[] output(Lenet5.Session session, byte[] pixels) {
    float[] input = new float[Lenet5.IMAGE_SHAPE.numel()];
    Pixels.toFloats(pixels, input, 0);
    return session.forward(input).clone();
  }

  /**
   * Scores {@code images} from {@code from} to {@code to} in batches of {@code session.batch()} (the last one padded)
   * and returns a checksum of the labels, so the work cannot be optimised away.
   */
  public static long scoreAll(Lenet5.Session session, List<byte[]> images, int from, int to) {
    int batch = session.batch();
    int size = Lenet5.IMAGE_SHAPE.numel();
    int classes = Lenet5.OUTPUT_SHAPE.numel();
    float[] input = new float[batch * size];
    float[] output = new float[batch * classes];
    long sum = 0;
    for (int start = from; start < to; start += batch) {
      int n = Math.min(batch, to - start);
      for (int i = 0; i < n; i++) Pixels.toFloats(images.get(start + i), input, i * size);
      java.util.Arrays.fill(input, n * size, batch * size, 0f);
      session.forward(input, output);
      for (int i = 0; i < n; i++) sum += argmax(output, i * classes, classes);
    }
    return sum;
  }

  /** The index of the largest of {@code n} values from {@code from}. */
  public static int argmax(float[] v, int from, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) if (v[from + i] > v[from + best]) best = i;
    return best;
  }
}
