package dev.netc.suite.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Npy;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.TensorFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Header fuzzing of the {@code .npy} and safetensors readers: valid files of every dtype they take, with their header
 * text mutated (tokens deleted, duplicated, swapped; numbers replaced by extremes such as 2^31, 2^63, 10^30, -1),
 * their length fields replaced, their magic or version bytes changed, their data cut or extended, or random bytes
 * flipped. Every reader entry point ({@code Npy.header/read/readLongs}; {@code SafeTensors.read} from a buffer and a
 * stream, then every tensor as floats and as longs) must either succeed, with no more elements than the bytes it
 * has, or throw the documented {@link TensorFileException}: never another exception, and never an
 * {@link OutOfMemoryError} from a size the header claims. Cases per run: {@code jqwik.tries.default}.
 */
class TensorFileMutationFuzzTest {
  private static final Pattern TOKEN = Pattern.compile("-?\\d+|'[^']*'|\"[^\"]*\"|[A-Za-z_]+|\\S");
  private static final String[] EXTREMES = {"0", "-1", "1", "2147483647", "2147483648", "4294967296",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1000000000000000000000000000000",
      "1e39", "NaN", "65536", "3"};
  private static final String[] NPY_TYPES = {"<f4", "<f8", "<f2", "<i8", "<i4", "<i2", "|i1", "|u1", "|b1"};
  private static final String[] ST_TYPES = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL"};
  private static final Path DIR = tempDir();

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("netc-npy-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A mutated file and what was done to it. */
  record Mutant(byte[] bytes, String what) {
    @Override
    public String toString() { return what + " (" + bytes.length + " bytes)"; }
  }

  // ---- npy ----

  /** A valid npy file: {@code descr}, {@code shape}, format {@code version}, header padded to 64 bytes. */
  static byte[] npy(String descr, int[] shape, int version, Random random) {
    long n = 1;
    List<String> parts = new ArrayList<>();
    for (int d : shape) {
      parts.add(String.valueOf(d));
      n *= d;
    }
    String dims = "(" + String.join(", ", parts) + (shape.length == 1 ? ",)" : ")");
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
    int pre = version == 1 ? 10 : 12;
    int padded = (pre + dict.length() + 1 + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - pre - dict.length() - 1) + "\n";
    int item = Integer.parseInt(descr.substring(2));
    byte[] data = new byte[(int) n * item];
    random.nextBytes(data);
    ByteBuffer b = ByteBuffer.allocate(pre + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    if (version == 1) b.putShort((short) header.length());
    else b.putInt(header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    return b.array();
  }

  static Mutant npyMutant(Random random) {
    int rank = random.nextInt(4);
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) shape[i] = random.nextInt(4);
    int version = 1 + random.nextInt(3);
    byte[] file = npy(NPY_TYPES[random.nextInt(NPY_TYPES.length)], shape, version, random);
    int headerStart = version == 1 ? 10 : 12;
    int headerLength = version == 1 ? (file[8] & 0xff) | (file[9] & 0xff) << 8 : ByteBuffer.wrap(file, 8, 4)
        .order(ByteOrder.LITTLE_ENDIAN).getInt();
    StringBuilder what = new StringBuilder("npy v" + version + " " + Arrays.toString(shape) + ": ");
    int count = 1 + random.nextInt(3);
    for (int k = 0; k < count; k++) {
      switch (random.nextInt(6)) {
        case 0, 1 -> {
          headerLength = Math.max(0, Math.min(headerLength, file.length - headerStart));
          if (headerLength == 0) break;
          String header = new String(file, headerStart, headerLength, StandardCharsets.ISO_8859_1);
          String mutated = mutateText(header, random, what);
          file = splice(file, headerStart, headerLength, mutated.getBytes(StandardCharsets.ISO_8859_1));
          headerLength = mutated.length();
          if (random.nextBoolean() && file.length >= headerStart) {
            setLength(file, version, headerLength);
            what.append("length kept true; ");
          }
        }
        case 2 -> {
          if (file.length < headerStart) break;
          long v = lengthExtreme(random, headerLength);
          setLength(file, version, v);
          what.append("header length -> ").append(v).append("; ");
          headerLength = (int) Math.max(0, Math.min(v, file.length - headerStart));
        }
        case 3 -> {
          int at = random.nextInt(8);
          if (at >= file.length) break;
          byte b = (byte) random.nextInt(256);
          what.append("byte ").append(at).append(" -> ").append(b).append("; ");
          file[at] = b;
        }
        case 4 -> file = resize(file, random, what);
        default -> flip(file, random, what);
      }
    }
    return new Mutant(file, what.toString().strip());
  }

  private static void setLength(byte[] file, int version, long v) {
    if (version == 1) {
      file[8] = (byte) v;
      file[9] = (byte) (v >> 8);
    } else {
      ByteBuffer.wrap(file, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v);
    }
  }

  @Provide
  Arbitrary<Mutant> npyFiles() { return Arbitraries.longs().map(seed -> npyMutant(new Random(seed))); }

  @Property(shrinking = ShrinkingMode.OFF)
  void npyReadersThrowOnlyTensorFileException(@ForAll("npyFiles") Mutant m) throws IOException {
    Path file = Files.write(DIR.resolve("m.npy"), m.bytes());
    Statistics.collect(expectOnlyTensorFileException(m, () -> Npy.header(file)));
    expectOnlyTensorFileException(m, () -> {
      Tensor t = Npy.read(file);
      assertTrue(t.data().length <= m.bytes().length, m + ": " + t.data().length + " floats from a small file");
    });
    expectOnlyTensorFileException(m, () -> {
      long[] l = Npy.readLongs(file);
      assertTrue(l.length <= m.bytes().length, m + ": " + l.length + " longs from a small file");
    });
  }

  // ---- safetensors ----

  /** A valid safetensors file of one to three tensors of random dtypes and shapes, maybe with metadata. */
  static byte[] safetensors(Random random) {
    StringBuilder json = new StringBuilder("{");
    long offset = 0;
    int tensors = 1 + random.nextInt(3);
    for (int t = 0; t < tensors; t++) {
      String dtype = ST_TYPES[random.nextInt(ST_TYPES.length)];
      int size = switch (dtype) {
        case "F64", "I64" -> 8;
        case "F32", "I32" -> 4;
        case "F16", "BF16", "I16" -> 2;
        default -> 1;
      };
      int rank = random.nextInt(3);
      StringBuilder shape = new StringBuilder("[");
      long n = 1;
      for (int i = 0; i < rank; i++) {
        int d = random.nextInt(4);
        shape.append(i == 0 ? "" : ",").append(d);
        n *= d;
      }
      json.append(t == 0 ? "" : ",").append("\"t").append(t).append("\":{\"dtype\":\"").append(dtype)
          .append("\",\"shape\":").append(shape).append("],\"data_offsets\":[").append(offset).append(",")
          .append(offset + n * size).append("]}");
      offset += n * size;
    }
    if (random.nextBoolean()) json.append(",\"__metadata__\":{\"format\":\"pt\"}");
    byte[] header = json.append("}").toString().getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[(int) offset];
    random.nextBytes(data);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(header.length).put(header).put(data).array();
  }

  static Mutant safetensorsMutant(Random random) {
    byte[] file = safetensors(random);
    long headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
    StringBuilder what = new StringBuilder("safetensors: ");
    int count = 1 + random.nextInt(3);
    for (int k = 0; k < count; k++) {
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          headerLength = Math.max(0, Math.min(headerLength, file.length - 8));
          if (headerLength == 0) break;
          String header = new String(file, 8, (int) headerLength, StandardCharsets.UTF_8);
          byte[] mutated = mutateText(header, random, what).getBytes(StandardCharsets.UTF_8);
          file = splice(file, 8, (int) headerLength, mutated);
          headerLength = mutated.length;
          if (random.nextInt(4) > 0 && file.length >= 8) {
            ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength);
            what.append("length kept true; ");
          }
        }
        case 2 -> {
          if (file.length < 8) break;
          long v = random.nextBoolean() ? lengthExtreme(random, headerLength) : random.nextLong();
          ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
          what.append("header length -> ").append(v).append("; ");
          headerLength = Math.max(0, Math.min(v, file.length - 8));
        }
        case 3 -> {
          file = resize(file, random, what);
          headerLength = Math.min(headerLength, Math.max(0, file.length - 8));
        }
        default -> flip(file, random, what);
      }
    }
    return new Mutant(file, what.toString().strip());
  }

  @Provide
  Arbitrary<Mutant> safetensorsFiles() { return Arbitraries.longs().map(seed -> safetensorsMutant(new Random(seed))); }

  @Property(shrinking = ShrinkingMode.OFF)
  void safetensorsReadersThrowOnlyTensorFileException(@ForAll("safetensorsFiles") Mutant m) {
    Statistics.collect(expectOnlyTensorFileException(m,
        () -> readAll(m, SafeTensors.read(ByteBuffer.wrap(m.bytes()), "fuzz"))));
    expectOnlyTensorFileException(m, () -> readAll(m, SafeTensors.read(new ByteArrayInputStream(m.bytes()), "fuzz")));
  }

  private static void readAll(Mutant m, SafeTensors st) throws IOException {
    try (st) {
      for (String name : st.names()) {
        st.entry(name);
        expectOnlyTensorFileException(m, () -> {
          Tensor t = st.tensor(name);
          assertTrue(t.data().length <= m.bytes().length, m + ": " + name + " has " + t.data().length + " floats");
        });
        expectOnlyTensorFileException(m, () -> st.longs(name));
      }
    }
  }

  // ---- mutations shared by both ----

  /** One token of {@code text} deleted, duplicated, swapped with another, or a number replaced by an extreme. */
  static String mutateText(String text, Random random, StringBuilder what) {
    List<String> tokens = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    int end = 0;
    while (m.find()) {
      gaps.add(text.substring(end, m.start()));
      tokens.add(m.group());
      end = m.end();
    }
    String tail = text.substring(end);
    if (tokens.isEmpty()) return text;
    int i = random.nextInt(tokens.size());
    switch (random.nextInt(4)) {
      case 0 -> {
        what.append("delete ").append(tokens.get(i)).append("; ");
        tokens.remove(i);
        gaps.remove(i);
      }
      case 1 -> {
        what.append("duplicate ").append(tokens.get(i)).append("; ");
        tokens.add(i, tokens.get(i));
        gaps.add(i + 1, "");
      }
      case 2 -> {
        int j = random.nextInt(tokens.size());
        what.append("swap ").append(tokens.get(i)).append(" with ").append(tokens.get(j)).append("; ");
        String t = tokens.get(i);
        tokens.set(i, tokens.get(j));
        tokens.set(j, t);
      }
      default -> {
        List<Integer> numbers = new ArrayList<>();
        for (int n = 0; n < tokens.size(); n++) if (tokens.get(n).matches("-?\\d+")) numbers.add(n);
        int at = numbers.isEmpty() ? i : numbers.get(random.nextInt(numbers.size()));
        String extreme = EXTREMES[random.nextInt(EXTREMES.length)];
        what.append("number ").append(tokens.get(at)).append(" -> ").append(extreme).append("; ");
        tokens.set(at, extreme);
      }
    }
    StringBuilder b = new StringBuilder();
    for (int n = 0; n < tokens.size(); n++) b.append(gaps.get(n)).append(tokens.get(n));
    return b.append(tail).toString();
  }

  private static long lengthExtreme(Random random, long actual) {
    long[] values = {0, 1, actual - 1, actual + 1, actual + 8, 0xffff, 0xffffffffL, Integer.MAX_VALUE, -1,
        Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 100_000_001L};
    return values[random.nextInt(values.length)];
  }

  private static byte[] splice(byte[] file, int at, int length, byte[] with) {
    byte[] out = new byte[file.length - length + with.length];
    System.arraycopy(file, 0, out, 0, at);
    System.arraycopy(with, 0, out, at, with.length);
    System.arraycopy(file, at + length, out, at + with.length, file.length - at - length);
    return out;
  }

  private static byte[] resize(byte[] file, Random random, StringBuilder what) {
    int to = random.nextBoolean() ? random.nextInt(file.length + 1) : file.length + 1 + random.nextInt(16);
    what.append("size ").append(file.length).append(" -> ").append(to).append("; ");
    return Arrays.copyOf(file, to);
  }

  private static void flip(byte[] file, Random random, StringBuilder what) {
    if (file.length == 0) return;
    int at = random.nextInt(file.length);
    file[at] ^= (byte) (1 << random.nextInt(8));
    what.append("flip byte ").append(at).append("; ");
  }

  /** Work that reads a mutated file. */
  interface Reading {
    void run() throws IOException;
  }

  /** Runs {@code r}: {@code accepted} or {@code refused} (a {@link TensorFileException}); anything else fails. */
  private static String expectOnlyTensorFileException(Mutant m, Reading r) {
    try {
      r.run();
      return "accepted";
    } catch (TensorFileException e) {
      return "refused";
    } catch (Throwable e) {
      fail(m + ": " + e, e);
      return "failed";
    }
  }

  @AfterContainer
  static void removeTemp() throws IOException {
    Files.deleteIfExists(DIR.resolve("m.npy"));
    Files.deleteIfExists(DIR);
  }
}
