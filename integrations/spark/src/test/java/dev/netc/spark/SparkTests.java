package dev.netc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.SparkSession;

/** The one local Spark session every test class of a run shares: Spark starts once (a few seconds). */
final class SparkTests {
  private static SparkSession spark;

  private SparkTests() {}

  /**
   * Asserts that {@code actual} is {@code expected} up to rounding: the runtime's vector reductions may round
   * differently before and after the JIT compiles them, so an item scored while the code was cold can differ from
   * the same item scored later in the last bit. Most compare bit for bit; nothing may differ by more.
   */
  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5f * Math.max(1f, Math.abs(expected[i])), what + ", value " + i);
    }
  }

  static synchronized SparkSession session() {
    if (spark == null) {
      spark = SparkSession.builder()
          .master("local[2]")
          .appName("netc-spark tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }
}
