package dev.netc.samples.sparkbatch;

import dev.netc.samples.sparkbatch.model.Lenet5;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Rows per second: LeNet-5 over the same synthetic images in one process (1 and 2 threads, each with its own
 * session) and in Spark local mode (score only, into Spark's no-op sink; and the whole job: read Parquet, score,
 * write Parquet). A benchmark, not a test: {@code mvn exec:exec -Dmain=dev.netc.samples.sparkbatch.Benchmark}.
 *
 * <pre>Benchmark [--rows 20000] [--batch 32] [--master local[2]] [--repeats 5]</pre>
 */
public final class Benchmark {
  private Benchmark() {}

  /** Runs each way {@code repeats} times and prints the best rate of each. */
  public static void main(String[] args) throws Exception {
    int rows = 20_000;
    int batch = 32;
    int repeats = 5;
    String master = "local[2]";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        case "--master" -> master = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(rows, batch, repeats, master);
  }

  private static void run(int rows, int batch, int repeats, String master) throws Exception {
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < rows; i++) images.add(SyntheticImages.pixels(i));
    Lenet5 model = Lenet5.randomWeights(0);
    System.out.printf(Locale.ROOT, "%,d images of 32 x 32, LeNet-5 (%,d MACs each), batch %d, best of %d, %d cores%n",
        rows, Lenet5.MACS, batch, repeats, Runtime.getRuntime().availableProcessors());
    report("single process, 1 thread", rows, best(repeats, () -> threads(model, images, batch, 1)));
    report("single process, 2 threads", rows, best(repeats, () -> threads(model, images, batch, 2)));

    SparkSession spark = BatchScoring.session(master);
    try {
      BatchScoring.Options o = new BatchScoring.Options(rows, 4, batch, master, Path.of("target/spark-batch-bench"),
          null, 0, 0);
      BatchScoring.writeImages(spark, o);
      Dataset<Row> cached = spark.read().parquet(o.images().toString()).cache();
      cached.count();
      report("Spark " + master + ", cached rows, score only", rows, best(repeats, () ->
          BatchScoring.score(cached, o).write().format("noop").mode(SaveMode.Overwrite).save()));
      report("Spark " + master + ", Parquet in, score, Parquet out", rows, best(repeats, () ->
          BatchScoring.score(spark.read().parquet(o.images().toString()), o)
              .write().mode(SaveMode.Overwrite).parquet(o.predictions().toString())));
    } finally {
      spark.stop();
    }
  }

  private static void threads(Lenet5 model, List<byte[]> images, int batch, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> parts = new ArrayList<>();
      int n = images.size();
      for (int t = 0; t < threads; t++) {
        int from = (int) ((long) n * t / threads);
        int to = (int) ((long) n * (t + 1) / threads);
        parts.add(pool.submit(() -> {
          try (Lenet5.Session s = model.newSession(batch, 1)) {
            return SingleProcess.scoreAll(s, images, from, to);
          }
        }));
      }
      for (Future<Long> f : parts) f.get();
    } finally {
      pool.shutdown();
    }
  }

  /** Something to time. */
  private interface Work {
    void run() throws Exception;
  }

  private static double best(int repeats, Work w) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      long t = System.nanoTime();
      w.run();
      best = Math.min(best, (System.nanoTime() - t) / 1e9);
    }
    return best;
  }

  private static void report(String what, int rows, double seconds) {
    System.out.printf(Locale.ROOT, "%-48s %8.3f s  %,10.0f rows/s%n", what, seconds, rows / seconds);
  }
}
