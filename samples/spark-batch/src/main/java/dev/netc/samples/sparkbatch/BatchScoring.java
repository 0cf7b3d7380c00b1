package dev.netc.samples.sparkbatch;

import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;

import dev.netc.samples.sparkbatch.model.Lenet5;
import dev.netc.spark.InputReader;
import dev.netc.spark.ModelWeights;
import dev.netc.spark.SparkScorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The batch job: writes synthetic images to Parquet ({@code OUT/images}), scores them with LeNet-5 through
 * {@link SparkScorer} and writes the predictions to Parquet ({@code OUT/predictions}: id, output, label, netc_error).
 *
 * <pre>
 * BatchScoring [--rows 20000] [--partitions 4] [--batch 32] [--master local[2]] [--out target/spark-batch]
 *              [--weights FILE.safetensors | --random-weights SEED] [--malformed N]
 * </pre>
 */
public final class BatchScoring {
  /** The input's schema: an id and the image's 1,024 bytes. */
  public static final StructType IMAGES = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("pixels", DataTypes.BinaryType, true);

  /** What one run is asked to do. */
  public record Options(long rows, int partitions, int batch, String master, Path out, String weights, long seed,
                        int malformed) {
    /** The defaults: 20,000 rows in 4 partitions, batches of 32, local[2], seeded random weights. */
    public static Options defaults() {
      return new Options(20_000, 4, 32, "local[2]", Path.of("target/spark-batch"), null, 0, 0);
    }

    Path images() {
      return out.resolve("images");
    }

    Path predictions() {
      return out.resolve("predictions");
    }
  }

  /** What a run did: rows scored and rejected, and the seconds the scoring job took (read, score, write). */
  public record Summary(long rows, long scored, long rejected, double seconds) {
    /** Rows per second of the scoring job. */
    public double rowsPerSecond() {
      return rows / seconds;
    }
  }

  private BatchScoring() {}

  /** Runs the job: {@code java ... BatchScoring [options]}. */
  public static void main(String[] args) {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("spark-batch: " + e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession spark = session(o.master());
    try {
      Summary s = run(spark, o);
      System.out.printf(Locale.ROOT, "scored %,d of %,d rows (%,d in the error column) in %.1f s: %,.0f rows/s%n",
          s.scored(), s.rows(), s.rejected(), s.seconds(), s.rowsPerSecond());
      System.out.println("predictions: " + o.predictions().toAbsolutePath());
    } finally {
      spark.stop();
    }
  }

  /** A local Spark session with the web UI off. */
  public static SparkSession session(String master) {
    SparkSession spark = SparkSession.builder()
        .master(master)
        .appName("netc spark-batch")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Writes the images, scores them and writes the predictions. */
  public static Summary run(SparkSession spark, Options o) {
    writeImages(spark, o);
    long start = System.nanoTime();
    Dataset<Row> predictions = score(spark.read().parquet(o.images().toString()), o);
    predictions.write().mode(SaveMode.Overwrite).parquet(o.predictions().toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    Dataset<Row> written = spark.read().parquet(o.predictions().toString());
    long rejected = written.where(col("netc_error").isNotNull()).count();
    long rows = written.count();
    return new Summary(rows, rows - rejected, rejected, seconds);
  }

  /** The predictions of {@code images}: id, the network's output, the label it picks, and the error column. */
  public static Dataset<Row> score(Dataset<Row> images, Options o) {
    SparkScorer<Lenet5> scorer = SparkScorer.forModel(Lenet5.class)
        .weights(o.weights() != null ? ModelWeights.path(o.weights()) : ModelWeights.random(o.seed()))
        .input("image", InputReader.unsignedBytes("pixels", Pixels.SCALE, Pixels.SHIFT))
        .batchSize(o.batch())
        .build();
    return scorer.score(images)
        .withColumn("label", array_position(col("output"), array_max(col("output"))).minus(1).cast("int"))
        .select("id", "output", "label", "netc_error");
  }

  /** Writes {@code o.rows()} synthetic images (a few malformed, if asked) to {@code OUT/images} as Parquet. */
  public static void writeImages(SparkSession spark, Options o) {
    long rows = o.rows();
    int malformed = o.malformed();
    MapPartitionsFunction<Long, Row> make = ids -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public Row next() {
        long id = ids.next();
        byte[] px = SyntheticImages.isMalformed(id, rows, malformed)
            ? SyntheticImages.malformedPixels(id) : SyntheticImages.pixels(id);
        return RowFactory.create(id, px);
      }
    };
    spark.range(0, rows, 1, o.partitions()).mapPartitions(make, Encoders.row(IMAGES))
        .write().mode(SaveMode.Overwrite).parquet(o.images().toString());
  }

  static Options parse(String[] args) {
    Options d = Options.defaults();
    long rows = d.rows();
    int partitions = d.partitions();
    int batch = d.batch();
    String master = d.master();
    Path out = d.out();
    String weights = null;
    long seed = d.seed();
    int malformed = 0;
    List<String> a = new ArrayList<>(List.of(args));
    while (!a.isEmpty()) {
      String flag = a.removeFirst();
      if (a.isEmpty()) throw new IllegalArgumentException(flag + ": expected a value after it");
      String v = a.removeFirst();
      switch (flag) {
        case "--rows" -> rows = positive(flag, v);
        case "--partitions" -> partitions = (int) positive(flag, v);
        case "--batch" -> batch = (int) positive(flag, v);
        case "--master" -> master = v;
        case "--out" -> out = Path.of(v);
        case "--weights" -> weights = v;
        case "--random-weights" -> seed = number(flag, v);
        case "--malformed" -> malformed = (int) number(flag, v);
        default -> throw new IllegalArgumentException("unknown option " + flag + "; the options: --rows --partitions "
            + "--batch --master --out --weights --random-weights --malformed");
      }
    }
    return new Options(rows, partitions, batch, master, out, weights, seed, malformed);
  }

  private static long positive(String flag, String v) {
    long n = number(flag, v);
    if (n < 1) throw new IllegalArgumentException(flag + ": expected a positive number, got " + v);
    return n;
  }

  private static long number(String flag, String v) {
    try {
      return Long.parseLong(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": expected a number, got \"" + v + "\"");
    }
  }
}
