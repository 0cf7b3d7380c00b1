package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.ReferenceData;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Safetensors from memory, a stream, a zip file system and a class-path folder: the same tensors as the mapped
 * file, and every hostile file refused with the message the file gets.
 */
class SafeTensorsSourcesTest {
  @TempDir
  Path dir;

  /** A file with a tensor of every dtype, an empty tensor and metadata. */
  private Path sample() throws IOException {
    Path file = dir.resolve("sample.safetensors");
    ByteBuffer f16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
        .putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f)).flip();
    new SafeTensorsWriter()
        .put("a", Tensor.of(new float[] {1.5f, -2f, 3.25f, Float.NaN, 0f, -0f}, 2, 3))
        .put("empty", Tensor.zeros(0, 4))
        .putLongs("count", Shape.of(), new long[] {Long.MAX_VALUE})
        .put("half", DType.F16, Shape.of(2), f16)
        .put("flag", DType.BOOL, Shape.of(3), ByteBuffer.wrap(new byte[] {0, 1, 1}))
        .metadata("format", "pt")
        .write(file);
    return file;
  }

  @Test
  void everySourceReadsWhatTheMappedFileReads() throws IOException {
    Path file = sample();
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    try (SafeTensors mapped = SafeTensors.open(file);
        SafeTensors stream = SafeTensors.read(new ByteArrayInputStream(bytes), "s");
        SafeTensors heap = SafeTensors.read(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), "h");
        SafeTensors off = SafeTensors.read(direct, "d");
        FileSystem zip = zipWith(file);
        SafeTensors zipped = SafeTensors.open(zip.getPath("/w/sample.safetensors"))) {
      for (SafeTensors other : List.of(stream, heap, off, zipped)) {
        assertSame(mapped, other);
      }
      assertNull(stream.file());
      assertEquals("s", stream.source());
      assertEquals("sample.safetensors", zipped.source());
    }
  }

  @Test
  void aBufferIsReadFromItsPositionToItsLimit() throws IOException {
    byte[] bytes = Files.readAllBytes(sample());
    ByteBuffer padded = ByteBuffer.allocate(bytes.length + 10);
    padded.position(3).put(bytes).position(3).limit(3 + bytes.length);
    try (SafeTensors mapped = SafeTensors.open(dir.resolve("sample.safetensors"));
        SafeTensors st = SafeTensors.read(padded, "p")) {
      assertSame(mapped, st);
      assertEquals(3, padded.position(), "the buffer's position is left alone");
    }
  }

  @Test
  void aStreamIsReadUpToTheLastTensorAndNoFurther() throws IOException {
    byte[] bytes = Files.readAllBytes(sample());
    byte[] more = new byte[bytes.length + 5];
    System.arraycopy(bytes, 0, more, 0, bytes.length);
    InputStream in = new ByteArrayInputStream(more);
    try (SafeTensors st = SafeTensors.read(in, "s")) {
      assertEquals(5, in.available(), "the bytes after the data are not consumed");
      assertEquals(5, st.names().size());
    }
  }

  @Test
  void aReferenceModelStreamsLikeItMaps() throws IOException {
    Path file = ReferenceData.cases().resolve("conv_bn_relu.safetensors");
    try (InputStream in = Files.newInputStream(file);
        SafeTensors mapped = SafeTensors.open(file);
        SafeTensors st = SafeTensors.read(in, "conv_bn_relu.safetensors")) {
      assertSame(mapped, st);
    }
  }

  @Test
  void aStreamCutShortIsRefusedAsATruncatedFileIs() throws IOException {
    byte[] bytes = Files.readAllBytes(sample());
    for (int cut : new int[] {0, 3, 8, 20, bytes.length - 1}) {
      byte[] part = Arrays.copyOf(bytes, cut);
      Path file = dir.resolve("cut.safetensors");
      Files.write(file, part);
      TensorFileException fromFile = assertThrows(TensorFileException.class, () -> SafeTensors.open(file).close());
      TensorFileException fromStream = assertThrows(TensorFileException.class,
          () -> SafeTensors.read(new ByteArrayInputStream(part), "cut.safetensors").close());
      assertEquals(fromFile.getMessage(), fromStream.getMessage(), "cut at " + cut);
    }
  }

  @Test
  void aHeaderThatPromisesMoreThanTheStreamHoldsFailsWithoutAllocatingIt() {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    TensorFileException e = assertThrows(TensorFileException.class,
        () -> SafeTensors.read(new ByteArrayInputStream(b.array()), "big.safetensors"));
    assertEquals("big.safetensors: tensor \"a\": data_offsets [0, 4000000000] lie outside the data section of 16 "
        + "bytes (truncated file?)", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.netc.runtime.io.SafeTensorsTest#hostileFiles")
  void everyHostileFileGetsTheFilesMessageFromEverySource(String what, byte[] content, String expected)
      throws IOException {
    Path file = dir.resolve("hostile.safetensors");
    Files.write(file, content);
    String message = assertThrows(TensorFileException.class, () -> SafeTensors.open(file).close()).getMessage();
    TensorFileException stream = assertThrows(TensorFileException.class,
        () -> SafeTensors.read(new ByteArrayInputStream(content), "hostile.safetensors").close(), what);
    assertEquals(message, stream.getMessage(), what);
    assertNull(stream.file());
    assertEquals("hostile.safetensors", stream.source());
    TensorFileException buffer = assertThrows(TensorFileException.class,
        () -> SafeTensors.read(ByteBuffer.wrap(content), "hostile.safetensors").close(), what);
    assertEquals(message, buffer.getMessage(), what);
    try (FileSystem zip = zipWith(file)) {
      TensorFileException zipped = assertThrows(TensorFileException.class,
          () -> SafeTensors.open(zip.getPath("/w/hostile.safetensors")).close(), what);
      assertEquals(message, zipped.getMessage(), what);
    }
  }

  @Test
  void aResourceInAFolderIsMappedAndAMissingOneSaysWhereItWasLookedFor() throws Exception {
    // The test classes' folder is on the class path: a resource next to this class.
    Path classes = Path.of(SafeTensorsSourcesTest.class.getResource("SafeTensorsSourcesTest.class").toURI())
        .getParent();
    Path copy = classes.resolve("sources-test.safetensors");
    Files.copy(sample(), copy, StandardCopyOption.REPLACE_EXISTING);
    try (SafeTensors mapped = SafeTensors.open(copy);
        SafeTensors st = SafeTensors.openResource(SafeTensorsSourcesTest.class, "sources-test.safetensors");
        SafeTensors abs = SafeTensors.openResource(SafeTensorsSourcesTest.class,
            "/dev/netc/runtime/io/sources-test.safetensors")) {
      assertSame(mapped, st);
      assertSame(mapped, abs);
      assertEquals(copy, st.file(), "a resource in a folder is the file itself, mapped");
    } finally {
      Files.deleteIfExists(copy);
    }
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> SafeTensors.openResource(SafeTensorsSourcesTest.class, "nope.safetensors"));
    assertEquals("nope.safetensors: no such class-path resource for dev.netc.runtime.io.SafeTensorsSourcesTest (a "
        + "name without a leading / is relative to dev/netc/runtime/io/)", e.getMessage());
  }

  /** The same names, metadata, dtypes, shapes and bits. */
  private static void assertSame(SafeTensors expected, SafeTensors actual) throws TensorFileException {
    assertEquals(List.copyOf(expected.names()), List.copyOf(actual.names()));
    assertEquals(expected.metadata(), actual.metadata());
    for (String n : expected.names()) {
      SafeTensors.Entry e = expected.entry(n);
      assertEquals(e, actual.entry(n));
      if (e.dtype().isFloating()) {
        float[] a = expected.tensor(n).data();
        float[] b = actual.tensor(n).data();
        assertEquals(a.length, b.length, n);
        for (int i = 0; i < a.length; i++) {
          assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), n + "[" + i + "]");
        }
      } else {
        assertArrayEquals(expected.longs(n), actual.longs(n), n);
      }
    }
  }

  /** A zip file system holding {@code file} as {@code /w/<name>}: a path that cannot be memory-mapped. */
  private FileSystem zipWith(Path file) throws IOException {
    Path zip = dir.resolve(file.getFileName() + ".zip");
    Files.deleteIfExists(zip);
    FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"));
    Files.createDirectories(fs.getPath("/w"));
    Files.copy(file, fs.getPath("/w", file.getFileName().toString()));
    return fs;
  }
}
