package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.ReferenceData;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTensorsTest {
  @TempDir
  Path dir;

  /** Every case's weights: the names and shapes MANIFEST.json lists, and every tensor decodes. */
  @Test
  @SuppressWarnings("unchecked")
  void readsEveryReferenceCaseAsTheManifestDescribes() throws IOException {
    List<Object> cases = (List<Object>) ReferenceData.manifest().get("cases");
    assertEquals(34, cases.size());
    for (Object o : cases) {
      Map<String, Object> c = (Map<String, Object>) o;
      Map<String, Object> params = (Map<String, Object>) c.get("parameters");
      try (SafeTensors st = SafeTensors.open(ReferenceData.cases().resolve((String) c.get("weights")))) {
        assertEquals(params.keySet(), st.names(), c.get("name") + ": tensor names");
        for (String name : st.names()) {
          int[] shape = ((List<Object>) params.get(name)).stream().mapToInt(d -> ((Long) d).intValue()).toArray();
          SafeTensors.Entry e = st.entry(name);
          assertEquals(Shape.of(shape), e.shape(), c.get("name") + "/" + name);
          if (e.dtype() == DType.I64) {
            assertEquals(shape.length == 0 ? 1 : Shape.of(shape).numel(), st.longs(name).length);
          } else {
            assertEquals(DType.F32, e.dtype());
            Tensor t = st.tensor(name, shape);
            assertEquals(Shape.of(shape).numel(), t.data().length);
          }
        }
        assertEquals(c.get("name"), st.metadata().get("case"));
      }
    }
  }

  /** The two whole torchvision models: every tensor decodes, and the learnable ones add up to torchvision's count. */
  @Test
  @SuppressWarnings("unchecked")
  void readsTheWholeModels() throws IOException {
    Path models = ReferenceData.root().resolve("models");
    Map<String, Object> manifest = (Map<String, Object>) Json.parseObject(
        Files.readString(models.resolve("MANIFEST.json"))).get("models");
    for (Map.Entry<String, Object> m : manifest.entrySet()) {
      long params = 0;
      try (SafeTensors st = SafeTensors.open(models.resolve(m.getKey() + ".safetensors"))) {
        for (String name : st.names()) {
          boolean buffer = name.endsWith("running_mean") || name.endsWith("running_var")
              || name.endsWith("num_batches_tracked");
          if (st.entry(name).dtype() == DType.F32) {
            float[] data = st.tensor(name).data();
            params += buffer ? 0 : data.length;
          } else {
            assertTrue(name.endsWith("num_batches_tracked"), name);
          }
        }
      }
      assertEquals(((Map<String, Object>) m.getValue()).get("params"), params, m.getKey());
    }
  }

  @Test
  void batchNormCounterIsInt64() throws IOException {
    try (SafeTensors st = ReferenceData.weights("conv_bn_relu")) {
      assertEquals(DType.I64, st.entry("1.num_batches_tracked").dtype());
      assertArrayEquals(new long[] {7}, st.longs("1.num_batches_tracked"));
      TensorFileException e = assertThrows(TensorFileException.class, () -> st.longs("1.running_var"));
      assertTrue(e.getMessage().contains("expected an integer dtype"), e.getMessage());
    }
  }

  @Test
  void shapeMismatchAndMissingNamesAreExplained() throws IOException {
    try (SafeTensors st = ReferenceData.weights("residual_basic")) {
      String name = st.names().iterator().next();
      int[] actual = st.entry(name).shape().dims();
      int[] wrong = actual.clone();
      wrong[wrong.length - 1] += 1;
      TensorFileException e = assertThrows(TensorFileException.class, () -> st.tensor(name, wrong));
      assertEquals("residual_basic.safetensors: " + name + ": expected " + Shape.of(wrong) + ", file has "
          + Shape.of(actual), e.getMessage());
      String typo = name.replace("weight", "wieght");
      TensorFileException missing = assertThrows(TensorFileException.class, () -> st.tensor(typo));
      assertTrue(missing.getMessage().contains("no tensor named \"" + typo + "\"; close names: " + name),
          missing.getMessage());
    }
  }

  @Test
  void roundTripsEveryDtypeAndMetadata() throws IOException {
    Tensor a = Tensor.of(new float[] {1.5f, -2f, 3.25f, Float.NaN, 0f, -0f}, 2, 3);
    Tensor empty = Tensor.zeros(0, 4);
    Tensor scalar = Tensor.of(new float[] {42f});
    ByteBuffer f16 = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN)
        .putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f)).putShort(Float.floatToFloat16(65504f))
        .flip();
    ByteBuffer bf16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) (Float.floatToIntBits(3.0f) >>> 16)).putShort((short) (Float.floatToIntBits(-1e10f) >>> 16))
        .flip();
    ByteBuffer f64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-7).flip();
    ByteBuffer i32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).putInt(1 << 30).flip();
    ByteBuffer i16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -300).putShort((short) 7).flip();
    ByteBuffer i8 = ByteBuffer.wrap(new byte[] {-128, 127});
    ByteBuffer u8 = ByteBuffer.wrap(new byte[] {(byte) 255, 1});
    ByteBuffer bool = ByteBuffer.wrap(new byte[] {0, 1, 1});
    Path file = dir.resolve("all.safetensors");
    new SafeTensorsWriter()
        .put("a", a).put("empty", empty).put("scalar", scalar)
        .putLongs("count", Shape.of(), new long[] {Long.MAX_VALUE})
        .put("half", DType.F16, Shape.of(3), f16).put("brain", DType.BF16, Shape.of(2), bf16)
        .put("double", DType.F64, Shape.of(2), f64).put("int", DType.I32, Shape.of(2), i32)
        .put("short", DType.I16, Shape.of(2), i16).put("byte", DType.I8, Shape.of(2), i8)
        .put("ubyte", DType.U8, Shape.of(2), u8).put("flag", DType.BOOL, Shape.of(3), bool)
        .metadata("format", "pt").metadata("note", "ünïcödé \"quoted\"")
        .write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      assertEquals(List.of("a", "empty", "scalar", "count", "half", "brain", "double", "int", "short", "byte",
          "ubyte", "flag"), List.copyOf(st.names()));
      assertEquals(Map.of("format", "pt", "note", "ünïcödé \"quoted\""), st.metadata());
      assertEquals(a, st.tensor("a", 2, 3));
      assertEquals(empty, st.tensor("empty", 0, 4));
      assertEquals(scalar, st.tensor("scalar"));
      assertArrayEquals(new long[] {Long.MAX_VALUE}, st.longs("count"));
      assertArrayEquals(new float[] {1.5f, -0.25f, 65504f}, st.tensor("half").data());
      assertArrayEquals(new float[] {3.0f, Float.intBitsToFloat(Float.floatToIntBits(-1e10f) & 0xffff0000)},
          st.tensor("brain").data());
      assertArrayEquals(new float[] {0.1f, -7f}, st.tensor("double").data());
      assertArrayEquals(new long[] {-5, 1 << 30}, st.longs("int"));
      assertArrayEquals(new long[] {-300, 7}, st.longs("short"));
      assertArrayEquals(new long[] {-128, 127}, st.longs("byte"));
      assertArrayEquals(new long[] {255, 1}, st.longs("ubyte"));
      assertArrayEquals(new long[] {0, 1, 1}, st.longs("flag"));
      assertArrayEquals(new float[] {255f, 1f}, st.tensor("ubyte").data());
    }
    long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "header padded to 8 bytes");
  }

  @Test
  void writerRefusesDuplicatesAndWrongByteCounts() {
    SafeTensorsWriter w = new SafeTensorsWriter().put("x", Tensor.zeros(2));
    assertThrows(IllegalArgumentException.class, () -> w.put("x", Tensor.zeros(2)));
    assertThrows(IllegalArgumentException.class, () -> w.put("y", DType.F16, Shape.of(3), ByteBuffer.allocate(4)));
  }

  @Test
  void closedFileCannotBeRead() throws IOException {
    Path file = dir.resolve("c.safetensors");
    new SafeTensorsWriter().put("x", Tensor.zeros(2)).write(file);
    SafeTensors st = SafeTensors.open(file);
    st.close();
    assertThrows(IllegalStateException.class, () -> st.tensor("x"));
  }

  // ---------------------------------------------------------------- the hostile corpus

  static Stream<Arguments> hostileFiles() {
    String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    return Stream.of(
        Arguments.of("empty file", new byte[0], "truncated file: 0 bytes"),
        Arguments.of("short file", new byte[5], "truncated file: 5 bytes"),
        Arguments.of("absurd header length", withLength(1L << 40, new byte[16]), "is absurdly large"),
        Arguments.of("negative header length", withLength(-1L, new byte[16]), "is absurdly large"),
        Arguments.of("header beyond file", withLength(1000, "{}".getBytes(StandardCharsets.UTF_8)),
            "header length 1000 goes beyond the end of the file"),
        Arguments.of("non-UTF-8 header", file(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}, 0),
            "header is not valid UTF-8"),
        Arguments.of("invalid JSON", file("{\"a\": ", 0), "header is not valid JSON"),
        Arguments.of("trailing garbage", file("{} x", 0), "header is not valid JSON"),
        Arguments.of("array header", file("[1, 2]", 0), "header is not a JSON object (found array)"),
        Arguments.of("deeply nested", file("[".repeat(100_000), 0), "nesting deeper than"),
        Arguments.of("entry not an object", file("{\"a\": 5}", 0), "tensor \"a\": is not a JSON object"),
        Arguments.of("unknown dtype", file(ok.replace("F32", "F8"), 8), "tensor \"a\": unknown dtype \"F8\""),
        Arguments.of("missing dtype", file(ok.replace("\"dtype\":\"F32\",", ""), 8), "dtype is missing"),
        Arguments.of("negative dimension", file(ok.replace("[2]", "[-2]"), 8), "negative dimension -2"),
        Arguments.of("fractional dimension", file(ok.replace("[2]", "[2.5]"), 8), "non-integer dimension"),
        Arguments.of("dimension beyond int", file(ok.replace("[2]", "[4294967296]"), 8), "too large (overflow)"),
        Arguments.of("overflowing shape", file(ok.replace("[2]", "[2147483647,2147483647,2147483647]"), 8),
            "overflows"),
        Arguments.of("offsets beyond the data", file(ok.replace("[0,8]", "[0,800]"), 8),
            "lie outside the data section of 8 bytes"),
        Arguments.of("truncated data", file(ok, 4), "lie outside the data section of 4 bytes (truncated file?)"),
        Arguments.of("offsets out of order", file(ok.replace("[0,8]", "[8,0]"), 8), "out of order"),
        Arguments.of("negative offset", file(ok.replace("[0,8]", "[-8,0]"), 8), "two non-negative integers"),
        Arguments.of("three offsets", file(ok.replace("[0,8]", "[0,4,8]"), 8), "expected [begin, end]"),
        Arguments.of("byte count mismatch", file(ok.replace("[2]", "[3]"), 8),
            "byte count 8 does not match F32 × [3] = 12 bytes"),
        Arguments.of("overlapping ranges", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap"),
        Arguments.of("duplicate names", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "duplicate tensor name \"a\""),
        Arguments.of("metadata not strings", file("{\"__metadata__\":{\"k\":1}}", 0),
            "__metadata__ value of \"k\" is not a string"),
        Arguments.of("metadata not an object", file("{\"__metadata__\":[]}", 0), "__metadata__ is not a JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileFiles")
  void rejectsHostileFile(String what, byte[] content, String expected) throws IOException {
    Path file = dir.resolve("hostile.safetensors");
    Files.write(file, content);
    TensorFileException e = assertThrows(TensorFileException.class, () -> SafeTensors.open(file).close(), what);
    assertTrue(e.getMessage().startsWith("hostile.safetensors: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    assertEquals(file, e.file());
    assertFalse(e.problem().isEmpty());
  }

  @Test
  void aFileWithBytesAfterTheTensorsIsRefused() throws IOException {
    Path file = Files.createTempFile("trailing", ".safetensors");
    try {
      Files.write(file, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12));
      TensorFileException e = assertThrows(TensorFileException.class, () -> SafeTensors.open(file).close());
      assertTrue(e.getMessage().contains("bytes follow the tensors' data, which ends at byte 8"), e.getMessage());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static byte[] file(String header, int dataBytes) {
    return file(header.getBytes(StandardCharsets.UTF_8), dataBytes);
  }

  private static byte[] file(byte[] header, int dataBytes) {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header);
    return b.array();
  }

  private static byte[] withLength(long length, byte[] rest) {
    ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(length).put(rest);
    return b.array();
  }

  /** A float64 weight beyond float32's range is refused naming the tensor, not turned into an infinity. */
  @Test
  void aDoubleBeyondFloat32IsRefused() throws IOException {
    ByteBuffer f64 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(1e39)
        .putDouble(Double.POSITIVE_INFINITY).flip();
    Path file = dir.resolve("big.safetensors");
    new SafeTensorsWriter().put("w", DType.F64, Shape.of(3), f64).write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      TensorFileException e = org.junit.jupiter.api.Assertions.assertThrows(TensorFileException.class,
          () -> st.tensor("w"));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("w: element 1 is 1.0E39, beyond float32"),
          e.getMessage());
    }
    ByteBuffer inf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(Double.NEGATIVE_INFINITY).flip();
    new SafeTensorsWriter().put("w", DType.F64, Shape.of(1), inf).write(file);
    try (SafeTensors st = SafeTensors.open(file)) {
      assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY}, st.tensor("w").data(), "an infinity stays one");
    }
  }
}
