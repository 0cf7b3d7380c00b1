package dev.netc.samples.sparkbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.samples.sparkbatch.model.Lenet5;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job as the README runs it, in local[2], checked row by row against the generated class in this process. */
class BatchScoringTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BatchScoring.session("local[2]");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void everyPredictionEqualsTheSingleProcessOutputForTheSameRow() {
    BatchScoring.Options o = new BatchScoring.Options(20_000, 4, 32, "local[2]", Path.of("target/test-batch"), null, 0, 0);
    BatchScoring.Summary s = BatchScoring.run(spark, o);
    assertEquals(20_000, s.rows());
    assertEquals(20_000, s.scored());

    Map<Long, Row> predictions = byId(spark.read().parquet(o.predictions().toString()).toLocalIterator());
    assertEquals(20_000, predictions.size());
    int[] perLabel = new int[10];
    int bitExact = 0;
    try (Lenet5.Session session = Lenet5.randomWeights(0).newSession(1, 1)) {
      Iterator<Row> images = spark.read().parquet(o.images().toString()).toLocalIterator();
      while (images.hasNext()) {
        Row image = images.next();
        long id = image.getLong(0);
        Row p = predictions.get(id);
        assertNull(p.getAs("netc_error"), "row " + id);
        float[] expected = SingleProcess.output(session, (byte[]) image.get(1));
        float[] actual = floats(p.getList(1));
        int label = SingleProcess.argmax(expected, 0, expected.length);
        assertEquals(label, p.<Integer>getAs("label"), "row " + id + "'s label");
        if (java.util.Arrays.equals(expected, actual)) bitExact++;
        for (int c = 0; c < expected.length; c++) {
          // The runtime's vector reductions may round differently before and after the JIT compiles them, so a
          // row scored while the code was cold can differ in the last bit; nothing else may differ.
          assertEquals(expected[c], actual[c], 1e-5f * Math.max(1f, Math.abs(expected[c])), "row " + id + ", class " + c);
        }
        perLabel[label]++;
      }
    }
    System.out.printf("%d of 20000 rows bit-exact; labels %s%n", bitExact, java.util.Arrays.toString(perLabel));
    long labelsUsed = java.util.Arrays.stream(perLabel).filter(n -> n > 0).count();
    assertTrue(labelsUsed >= 2, "the synthetic images are not all given one label: " + java.util.Arrays.toString(perLabel));
  }

  @Test
  void aJobWithMalformedRowsFinishesWithThemInTheErrorColumn() {
    BatchScoring.Options o = new BatchScoring.Options(2_000, 3, 16, "local[2]", Path.of("target/test-malformed"), null, 0, 6);
    BatchScoring.Summary s = BatchScoring.run(spark, o);
    assertEquals(2_000, s.rows());
    assertEquals(6, s.rejected());

    Set<Long> expectedBad = new TreeSet<>();
    for (long id = 0; id < 2_000; id++) if (SyntheticImages.isMalformed(id, 2_000, 6)) expectedBad.add(id);
    assertEquals(6, expectedBad.size());
    Map<Long, Row> predictions = byId(spark.read().parquet(o.predictions().toString()).toLocalIterator());
    Set<Long> bad = new TreeSet<>();
    for (Row p : predictions.values()) {
      String error = p.getAs("netc_error");
      if (error == null) {
        assertNotNull(p.getAs("output"));
        continue;
      }
      bad.add(p.getLong(0));
      assertNull(p.getAs("output"));
      assertNull(p.getAs("label"));
      boolean cutShort = SyntheticImages.malformedPixels(p.getLong(0)) != null;
      assertEquals(cutShort ? "pixels: expected 1024 bytes, got 1000" : "pixels: null", error);
    }
    assertEquals(expectedBad, bad);
  }

  private static Map<Long, Row> byId(Iterator<Row> rows) {
    Map<Long, Row> byId = new HashMap<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      byId.put(r.getLong(0), r);
    }
    return byId;
  }

  private static float[] floats(List<Float> values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) f[i] = values.get(i);
    return f;
  }
}
