package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class NpyTest {
  @TempDir
  Path dir;

  /** Every input and output of every case, with the shape MANIFEST.json states. */
  @Test
  @SuppressWarnings("unchecked")
  void readsEveryReferenceArray() throws IOException {
    int files = 0;
    for (Object o : (List<Object>) ReferenceData.manifest().get("cases")) {
      Map<String, Object> c = (Map<String, Object>) o;
      List<Map<String, Object>> arrays = new java.util.ArrayList<>((List<Map<String, Object>>) c.get("outputs"));
      ((Map<String, Object>) c.get("inputs")).values().forEach(v -> arrays.add((Map<String, Object>) v));
      for (Map<String, Object> a : arrays) {
        Path file = ReferenceData.cases().resolve((String) a.get("file"));
        int[] shape = ((List<Object>) a.get("shape")).stream().mapToInt(d -> ((Long) d).intValue()).toArray();
        Tensor t = Npy.read(file);
        assertEquals(Shape.of(shape), t.shape(), file.toString());
        assertEquals("<f4", Npy.header(file).descr());
        files++;
      }
    }
    try (Stream<Path> all = Files.list(ReferenceData.cases())) {
      assertEquals(all.filter(p -> p.toString().endsWith(".npy")).count(), files, "every .npy is in the manifest");
    }
  }

  @Test
  void writesTheSameBytesToAStreamAsToAFile() throws IOException {
    Tensor t = Tensor.of(new float[] {1, -2.5f, Float.NaN, 3e38f, 0, 7, 8, 9}, 2, 4);
    Path file = dir.resolve("s.npy");
    Npy.write(file, t);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Npy.write(out, t);
    assertArrayEquals(Files.readAllBytes(file), out.toByteArray());
  }

  @Test
  void roundTripsAndMatchesNumpyLayout() throws IOException {
    Tensor t = Tensor.of(new float[] {1, -2.5f, Float.NaN, Float.NEGATIVE_INFINITY, 0, 7}, 3, 1, 2);
    Path file = dir.resolve("t.npy");
    Npy.write(file, t);
    assertEquals(t, Npy.read(file));
    byte[] bytes = Files.readAllBytes(file);
    int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLength) % 64, "data aligned to 64 bytes as numpy writes");
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1, 2), }"), header);
    assertTrue(header.endsWith("\n"));
    Npy.write(file, Tensor.of(new float[] {5}, 1));
    assertEquals(Shape.of(1), Npy.header(file).shape()); // a 1-tuple is written "(1,)"
    Npy.write(file, Tensor.of(new float[] {5}));
    assertEquals(Tensor.of(new float[] {5}), Npy.read(file));
  }

  @Test
  void readsOtherLittleEndianTypes() throws IOException {
    Path f8 = write("<f8", "(2,)", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.5).putDouble(-1e300));
    assertArrayEquals(new float[] {0.5f, Float.NEGATIVE_INFINITY}, Npy.read(f8).data());
    Path i8 = write("<i8", "(1, 2)", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-3).putLong(1L << 40));
    assertArrayEquals(new long[] {-3, 1L << 40}, Npy.readLongs(i8));
    assertArrayEquals(new float[] {-3f, (float) (1L << 40)}, Npy.read(i8).data());
    Path i4 = write("<i4", "(2,)", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(9).putInt(-9));
    assertArrayEquals(new long[] {9, -9}, Npy.readLongs(i4));
    Path b1 = write("|b1", "(3,)", ByteBuffer.wrap(new byte[] {1, 0, 1}));
    assertArrayEquals(new float[] {1, 0, 1}, Npy.read(b1).data());
    TensorFileException e = assertThrows(TensorFileException.class, () -> Npy.readLongs(f8));
    assertTrue(e.getMessage().contains("expected an integer dtype"), e.getMessage());
  }

  static Stream<Arguments> badFiles() {
    ByteBuffer four = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2);
    return Stream.of(
        Arguments.of("too short", new byte[] {(byte) 0x93, 'N'}, "truncated file"),
        Arguments.of("bad magic", "PK\u0003\u0004 not numpy at all".getBytes(StandardCharsets.ISO_8859_1),
            "bad magic"),
        Arguments.of("bad version", npy(9, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", four),
            "unsupported npy format version 9.0"),
        Arguments.of("big-endian", npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", four),
            "big-endian data ('>f4') is not supported"),
        Arguments.of("Fortran order", npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", four),
            "Fortran-order arrays are not supported"),
        Arguments.of("object array", npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", four),
            "object arrays ('|O') are not supported"),
        Arguments.of("complex", npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", four),
            "unsupported dtype '<c8'"),
        Arguments.of("missing shape", npy(1, "{'descr': '<f4', 'fortran_order': False, }", four),
            "bad header: header lacks a tuple 'shape'"),
        Arguments.of("not a dict", npy(1, "hello", four), "bad header"),
        Arguments.of("unterminated", npy(1, "{'descr': '<f4", four), "bad header"),
        Arguments.of("negative dimension", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", four),
            "bad dimension -2"),
        Arguments.of("truncated data", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", four),
            "truncated data: shape [3] of '<f4' needs 12 bytes, file has 8"),
        Arguments.of("extra data", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", four),
            "data length mismatch"),
        Arguments.of("header beyond file", headerBeyondFile(), "goes beyond the end of the file"),
        Arguments.of("shape overflows a long", npy(1, "{'descr': '<f4', 'fortran_order': False, "
            + "'shape': (2147483647, 2147483647, 2147483647), }", four), "more elements than a long holds"),
        Arguments.of("extra header key", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), "
            + "'extra': 1, }", four), "unexpected header key 'extra'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void rejectsBadFiles(String what, byte[] content, String expected) throws IOException {
    Path file = dir.resolve("bad.npy");
    Files.write(file, content);
    TensorFileException e = assertThrows(TensorFileException.class, () -> Npy.read(file), what);
    assertTrue(e.getMessage().startsWith("bad.npy: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
  }

  private Path write(String descr, String shape, ByteBuffer data) throws IOException {
    Path file = dir.resolve(descr.substring(1) + ".npy");
    Files.write(file, npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }", data));
    return file;
  }

  private static byte[] npy(int major, String header, ByteBuffer data) {
    byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer d = data.duplicate().rewind();
    int lengthBytes = major == 1 ? 2 : 4;
    ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + h.length + d.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    return b.put(h).put(d).array();
  }

  private static byte[] headerBeyondFile() {
    ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) 5000);
    return b.array();
  }
}
