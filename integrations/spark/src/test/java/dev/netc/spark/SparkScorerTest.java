package dev.netc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.netc.spark.SparkTests.assertClose;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.interp.Weights;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.SafeTensorsWriter;
import dev.netc.spark.models.BagOfWords;
import dev.netc.spark.models.TinyCnn;
import dev.netc.spark.models.TwoHeads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring Datasets in local[2]: results equal the generated class's own, bad rows land in the error column. */
class SparkScorerTest {
  private static final StructType IMAGES = new StructType()
      .add("id", DataTypes.IntegerType, false)
      .add("image", DataTypes.createArrayType(DataTypes.FloatType, true), true);

  private final SparkSession spark = SparkTests.session();

  @Test
  void everyRowEqualsTheGeneratedClassOnTheSameRow() {
    List<float[]> images = randomRows(203, 64, 1);
    Dataset<Row> scored = SparkScorer.forModel(TinyCnn.class)
        .weights(ModelWeights.random(7))
        .batchSize(16)
        .build()
        .score(dataset(IMAGES, rows(images), 4));
    assertEquals(List.of("id", "image", "logits", "netc_error"), List.of(scored.schema().fieldNames()));

    TinyCnn model = TinyCnn.randomWeights(7);
    Map<Integer, Row> byId = byId(scored.collectAsList());
    assertEquals(images.size(), byId.size());
    try (TinyCnn.Session s = model.newSession(1, 1)) {
      for (int i = 0; i < images.size(); i++) {
        Row row = byId.get(i);
        assertNull(row.getAs("netc_error"), "row " + i);
        assertClose(s.forward(images.get(i)), floats(row, "logits"), "row " + i);
      }
    }
  }

  @Test
  void badRowsGoToTheErrorColumnAndTheJobFinishes() {
    List<Row> rows = new ArrayList<>(rows(randomRows(40, 64, 2)));
    rows.set(3, RowFactory.create(3, new float[63]));
    rows.set(17, RowFactory.create(17, null));
    rows.set(18, RowFactory.create(18, new Float[] {1f, null}));
    rows.set(30, RowFactory.create(30, new float[65]));
    List<Row> scored = SparkScorer.forModel(TinyCnn.class)
        .weights(ModelWeights.random(7))
        .batchSize(8)
        .errorColumn("why")
        .build()
        .score(dataset(IMAGES, rows, 3))
        .collectAsList();
    Map<Integer, Row> byId = byId(scored);
    assertEquals(40, byId.size());
    assertEquals("image: expected 64 values, got 63", byId.get(3).getAs("why"));
    assertEquals("image: null", byId.get(17).getAs("why"));
    assertEquals("image: expected 64 values, got 2", byId.get(18).getAs("why"));
    assertEquals("image: expected 64 values, got 65", byId.get(30).getAs("why"));
    for (int id : List.of(3, 17, 18, 30)) assertNull(byId.get(id).getAs("logits"), "row " + id);
    assertEquals(36, scored.stream().filter(r -> r.getAs("why") == null && r.getAs("logits") != null).count());
  }

  @Test
  void tokenIdsTheNetworkRefusesAreBadRowsTheOthersAreScored() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("words", DataTypes.createArrayType(DataTypes.DoubleType));
    Random r = new Random(3);
    List<Row> rows = new ArrayList<>();
    List<float[]> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      double[] ids = new double[4];
      for (int j = 0; j < 4; j++) ids[j] = r.nextInt(20);
      if (i == 5) ids[2] = Double.NaN;
      if (i == 6) ids[0] = 20;
      if (i == 7) ids[1] = 1.5;
      float[] f = new float[4];
      for (int j = 0; j < 4; j++) f[j] = (float) ids[j];
      tokens.add(f);
      rows.add(RowFactory.create(i, ids));
    }
    Map<Integer, Row> byId = byId(SparkScorer.forModel(BagOfWords.class)
        .weights(ModelWeights.random(11))
        .input("tokens", "words")
        .batchSize(4)
        .build()
        .score(dataset(schema, rows, 2))
        .collectAsList());
    for (int bad : List.of(5, 6, 7)) {
      String error = byId.get(bad).getAs("netc_error");
      assertNotNull(error, "row " + bad);
      assertTrue(error.contains("token id"), error);
      assertNull(byId.get(bad).getAs("score"));
    }
    assertTrue(((String) byId.get(5).getAs("netc_error")).contains("NaN"));
    try (BagOfWords.Session s = BagOfWords.randomWeights(11).newSession(1, 1)) {
      for (int i = 0; i < 50; i++) {
        if (i >= 5 && i <= 7) continue;
        assertNull(byId.get(i).getAs("netc_error"), "row " + i);
        assertClose(s.forward(tokens.get(i)), floats(byId.get(i), "score"), "row " + i);
      }
    }
  }

  @Test
  void eachOutputIsAColumnNamedAfterIt() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", DataTypes.createArrayType(DataTypes.FloatType));
    List<float[]> features = randomRows(30, 6, 4);
    Dataset<Row> scored = SparkScorer.forModel(TwoHeads.class)
        .weights(ModelWeights.random(5))
        .outputColumn("embedding", "vector")
        .build()
        .score(dataset(schema, rows(features), 2));
    assertEquals(List.of("id", "features", "scores", "vector", "netc_error"), List.of(scored.schema().fieldNames()));
    Map<Integer, Row> byId = byId(scored.collectAsList());
    try (TwoHeads.Session s = TwoHeads.randomWeights(5).newSession(1, 1)) {
      for (int i = 0; i < features.size(); i++) {
        TwoHeads.Outputs expected = s.forward(features.get(i));
        assertClose(expected.scores(), floats(byId.get(i), "scores"), "row " + i);
        assertClose(expected.embedding(), floats(byId.get(i), "vector"), "row " + i);
      }
    }
  }

  @Test
  void weightsLoadOncePerExecutorJvmAndSessionsAreReusedAcrossBatches(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tiny_cnn.safetensors");
    Files.write(file, randomWeightsFile(13));
    List<float[]> images = randomRows(800, 64, 5);
    long loads = ExecutorModels.modelsLoaded();
    long sessions = ExecutorModels.sessionsOpened();
    List<Row> scored = SparkScorer.forModel(TinyCnn.class)
        .weights(ModelWeights.path(file.toString()))
        .batchSize(4)
        .build()
        .score(dataset(IMAGES, rows(images), 8))
        .collectAsList();
    assertEquals(1, ExecutorModels.modelsLoaded() - loads, "8 tasks on 2 threads load the weights once");
    long opened = ExecutorModels.sessionsOpened() - sessions;
    assertTrue(opened >= 1 && opened <= 8, "200 batches in 8 tasks opened " + opened + " sessions");
    Map<Integer, Row> byId = byId(scored);
    try (TinyCnn.Session s = TinyCnn.load(file).newSession(1, 1)) {
      for (int i = 0; i < images.size(); i += 37) assertClose(s.forward(images.get(i)), floats(byId.get(i), "logits"), "row " + i);
    }
  }

  @Test
  void broadcastWeightsAndFileUrisGiveWhatTheFileGives(@TempDir Path dir) throws IOException {
    byte[] bytes = randomWeightsFile(17);
    Path file = dir.resolve("w.safetensors");
    Files.write(file, bytes);
    List<float[]> images = randomRows(50, 64, 6);
    for (ModelWeights weights : List.of(ModelWeights.broadcast(spark, bytes), ModelWeights.path(file.toUri().toString()))) {
      Map<Integer, Row> byId = byId(SparkScorer.forModel(TinyCnn.class)
          .weights(weights)
          .build()
          .score(dataset(IMAGES, rows(images), 2))
          .collectAsList());
      try (TinyCnn.Session s = TinyCnn.load(file).newSession(1, 1)) {
        for (int i = 0; i < images.size(); i++) assertClose(s.forward(images.get(i)), floats(byId.get(i), "logits"), weights.key() + ", row " + i);
      }
    }
  }

  @Test
  void bytesScaledAsPixelsAndNonFiniteValuesWhenAsked() {
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("pixels", DataTypes.BinaryType);
    Random r = new Random(8);
    List<Row> rows = new ArrayList<>();
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] px = new byte[64];
      r.nextBytes(px);
      float[] f = new float[64];
      for (int j = 0; j < 64; j++) f[j] = (px[j] & 0xFF) * (1 / 255f) + -0.5f;   // byte * scale + shift
      images.add(f);
      rows.add(RowFactory.create(i, i == 9 ? new byte[10] : px));
    }
    Map<Integer, Row> byId = byId(SparkScorer.forModel(TinyCnn.class)
        .weights(ModelWeights.random(2))
        .input("image", InputReader.unsignedBytes("pixels", 1 / 255f, -0.5f))
        .build()
        .score(dataset(schema, rows, 2))
        .collectAsList());
    assertEquals("pixels: expected 64 bytes, got 10", byId.get(9).getAs("netc_error"));
    try (TinyCnn.Session s = TinyCnn.randomWeights(2).newSession(1, 1)) {
      for (int i = 0; i < 20; i++) if (i != 9) assertClose(s.forward(images.get(i)), floats(byId.get(i), "logits"), "row " + i);
    }

    List<float[]> withNaN = randomRows(6, 64, 9);
    withNaN.get(2)[10] = Float.NaN;
    Map<Integer, Row> strict = byId(SparkScorer.forModel(TinyCnn.class)
        .weights(ModelWeights.random(2))
        .rejectNonFinite(true)
        .build()
        .score(dataset(IMAGES, rows(withNaN), 1))
        .collectAsList());
    assertEquals("image: NaN at index 10", strict.get(2).getAs("netc_error"));
    assertNull(strict.get(3).getAs("netc_error"));
  }

  @Test
  void mistakesInTheSetUpAreOneLineErrorsBeforeTheJobStarts() {
    SparkScorer<TinyCnn> scorer = SparkScorer.forModel(TinyCnn.class).weights(ModelWeights.random(1)).build();
    StructType noImage = new StructType().add("id", DataTypes.IntegerType).add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> scorer.score(dataset(noImage, List.of(), 1)));
    assertEquals("no column \"image\" for input image [1, 8, 8]; the columns: id, pixels", missing.getMessage());

    StructType text = new StructType().add("id", DataTypes.IntegerType).add("image", DataTypes.StringType);
    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
        () -> scorer.score(dataset(text, List.of(), 1)));
    assertEquals("column \"image\": expected an array of numbers, found string", wrongType.getMessage());

    StructType taken = IMAGES.add("logits", DataTypes.StringType);
    IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
        () -> scorer.score(dataset(taken, List.of(), 1)));
    assertEquals("column \"logits\" already exists; name the output column with outputColumn(\"logits\", ...)", clash.getMessage());

    IllegalArgumentException noInput = assertThrows(IllegalArgumentException.class,
        () -> SparkScorer.forModel(TinyCnn.class).input("pixels", "pixels"));
    assertEquals("TinyCnn has no input named \"pixels\"; its inputs: [image [1, 8, 8]]", noInput.getMessage());
  }

  private Dataset<Row> dataset(StructType schema, List<Row> rows, int partitions) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(sc.parallelize(rows, partitions), schema);
  }

  static List<float[]> randomRows(int n, int size, long seed) {
    Random r = new Random(seed);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[size];
      for (int j = 0; j < size; j++) v[j] = (float) r.nextGaussian();
      rows.add(v);
    }
    return rows;
  }

  private static List<Row> rows(List<float[]> values) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) rows.add(RowFactory.create(i, values.get(i)));
    return rows;
  }

  private static Map<Integer, Row> byId(List<Row> rows) {
    Map<Integer, Row> byId = new HashMap<>();
    for (Row r : rows) byId.put(r.getInt(0), r);
    return byId;
  }

  private static float[] floats(Row row, String column) {
    List<Float> values = row.getList(row.fieldIndex(column));
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) f[i] = values.get(i);
    return f;
  }

  /** The safetensors bytes of tiny_cnn's seeded random weights, as the compiler makes them. */
  private static byte[] randomWeightsFile(long seed) throws IOException {
    var graph = Compiler.compile(Path.of("src/test/net/dev/netc/spark/models/tiny_cnn.net")).graphs().getFirst();
    SafeTensorsWriter writer = new SafeTensorsWriter();
    for (Map.Entry<String, Tensor> e : Weights.random(graph, seed).tensors().entrySet()) writer.put(e.getKey(), e.getValue());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    return out.toByteArray();
  }
}
