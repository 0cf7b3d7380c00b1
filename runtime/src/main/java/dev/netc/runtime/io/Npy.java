package dev.netc.runtime.io;

import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * numpy {@code .npy} files (format versions 1.0, 2.0 and 3.0).
 *
 * <p>{@link #write} writes float32 little-endian C-order ({@code <f4}, version 1.0, header padded
 * to 64 bytes). {@link #read} accepts little-endian C-order {@code f4}, {@code f8}, {@code f2},
 * {@code i8}, {@code i4}, {@code i2}, {@code i1}, {@code u1} and {@code b1} and widens or rounds
 * them to float; {@link #readLongs} reads the integer types exactly. Big-endian data, Fortran
 * order, object arrays, bad magic, unknown versions, malformed headers and data of the wrong
 * length are rejected with a {@link TensorFileException} that says which.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int MAX_HEADER_BYTES = 1 << 20;

  private Npy() {}

  /** Reads the header only. */
  public static NpyHeader header(Path file) throws IOException {
    try (Opened o = Opened.of(file)) {
      return o.header;
    }
  }

  /** Reads an array as float32 (see the class comment for the dtypes accepted). */
  public static Tensor read(Path file) throws IOException {
    try (Opened o = Opened.of(file)) {
      int n = o.header.shape().numel();
      float[] out = new float[n];
      String t = o.type;
      switch (t) {
        case "f4" -> MemorySegment.copy(o.data, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, out, 0, n);
        case "f8" -> {
          for (int i = 0; i < n; i++) {
            out[i] = (float) o.data.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i);
          }
        }
        case "f2" -> {
          for (int i = 0; i < n; i++) {
            out[i] = Float.float16ToFloat(o.data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i));
          }
        }
        default -> {
          long[] l = integers(o, n);
          for (int i = 0; i < n; i++) {
            out[i] = l[i];
          }
        }
      }
      return new Tensor(o.header.shape(), out);
    }
  }

  /** Reads an integer or boolean array exactly; float dtypes are refused. */
  public static long[] readLongs(Path file) throws IOException {
    try (Opened o = Opened.of(file)) {
      if (o.type.charAt(0) == 'f') {
        throw new TensorFileException(file, "dtype '" + o.header.descr() + "' is floating point, expected an integer dtype");
      }
      return integers(o, o.header.shape().numel());
    }
  }

  private static long[] integers(Opened o, int n) {
    long[] out = new long[n];
    ByteOrder le = ByteOrder.LITTLE_ENDIAN;
    for (int i = 0; i < n; i++) {
      out[i] = switch (o.type) {
        case "i8" -> o.data.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(le), i);
        case "i4" -> o.data.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED.withOrder(le), i);
        case "i2" -> o.data.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(le), i);
        case "i1" -> o.data.get(ValueLayout.JAVA_BYTE, i);
        case "u1" -> o.data.get(ValueLayout.JAVA_BYTE, i) & 0xff;
        case "b1" -> o.data.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
        default -> throw new AssertionError(o.type);
      };
    }
    return out;
  }

  /** Writes {@code t} as {@code <f4}, C order, format version 1.0. */
  public static void write(Path file, Tensor t) throws IOException {
    ByteBuffer b = encode(t);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }

  /**
   * Writes {@code t} to {@code out} as {@link #write(Path, Tensor)} writes a file (for writers that put the bytes
   * somewhere safe first, such as a temporary file renamed over the target); {@code out} is left open.
   */
  public static void write(OutputStream out, Tensor t) throws IOException {
    ByteBuffer b = encode(t);
    out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
  }

  /** The whole file's bytes: magic, version 1.0, header padded to 64 bytes, the data. */
  private static ByteBuffer encode(Tensor t) {
    String dict = new NpyHeader("<f4", false, t.shape()).format();
    // numpy pads with spaces and a final newline so that the data starts at a multiple of 64
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + t.data().length * 4)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.asFloatBuffer().put(t.data());
    b.position(b.capacity());
    b.flip();
    return b;
  }

  /** A mapped file whose header has been validated; {@code data} spans exactly the elements. */
  private static final class Opened implements AutoCloseable {
    final Arena arena;
    final NpyHeader header;
    final String type;
    final MemorySegment data;

    private Opened(Arena arena, NpyHeader header, String type, MemorySegment data) {
      this.arena = arena;
      this.header = header;
      this.type = type;
      this.data = data;
    }

    static Opened of(Path file) throws IOException {
      Arena arena = Arena.ofConfined();
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = ch.size();
        if (size < 10) {
          throw new TensorFileException(file, "truncated file: " + size + " bytes, too short for an npy preamble");
        }
        MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        return validate(file, arena, whole);
      } catch (IOException | RuntimeException e) {
        arena.close();
        throw e;
      }
    }

    private static Opened validate(Path file, Arena arena, MemorySegment whole) throws TensorFileException {
      for (int i = 0; i < MAGIC.length; i++) {
        if (whole.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
          throw new TensorFileException(file, "bad magic: not an npy file (it must start with \\x93NUMPY)");
        }
      }
      int major = whole.get(ValueLayout.JAVA_BYTE, 6);
      int minor = whole.get(ValueLayout.JAVA_BYTE, 7);
      if (major < 1 || major > 3 || minor != 0) {
        throw new TensorFileException(file, "unsupported npy format version " + major + "." + minor
            + " (supported: 1.0, 2.0, 3.0)");
      }
      int lengthBytes = major == 1 ? 2 : 4;
      long start = 8 + lengthBytes;
      if (whole.byteSize() < start) {
        throw new TensorFileException(file, "truncated file: the header length is cut off");
      }
      long headerLength = major == 1
          ? whole.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xffff
          : whole.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xffffffffL;
      if (headerLength > MAX_HEADER_BYTES || start + headerLength > whole.byteSize()) {
        throw new TensorFileException(file, "header length " + headerLength + " goes beyond the end of the file ("
            + whole.byteSize() + " bytes)");
      }
      String text = new String(whole.asSlice(start, headerLength).toArray(ValueLayout.JAVA_BYTE),
          major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      NpyHeader header;
      try {
        header = NpyHeader.parse(text);
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new TensorFileException(file, "bad header: " + e.getMessage() + " in " + text.strip());
      }
      String type = elementType(file, header);
      long count = header.shape().numelLong();
      long need = count * Integer.parseInt(type.substring(1));
      long have = whole.byteSize() - start - headerLength;
      if (count > Integer.MAX_VALUE - 8) {
        throw new TensorFileException(file, "shape " + header.shape() + " has too many elements for one array");
      }
      if (have != need) {
        throw new TensorFileException(file, (have < need ? "truncated data: " : "data length mismatch: ")
            + "shape " + header.shape() + " of '" + header.descr() + "' needs " + need + " bytes, file has " + have);
      }
      return new Opened(arena, header, type, whole.asSlice(start + headerLength, need));
    }

    /** Checks byte order, C order and the dtype; returns the type without the order char. */
    private static String elementType(Path file, NpyHeader h) throws TensorFileException {
      String d = h.descr();
      if (d.startsWith(">")) {
        throw new TensorFileException(file, "big-endian data ('" + d + "') is not supported; save it little-endian ('<"
            + d.substring(1) + "')");
      }
      if (d.contains("O")) {
        throw new TensorFileException(file, "object arrays ('" + d + "') are not supported");
      }
      if (h.fortranOrder()) {
        throw new TensorFileException(file, "Fortran-order arrays are not supported; save in C order (np.ascontiguousarray)");
      }
      String t = d.length() == 3 && (d.charAt(0) == '<' || d.charAt(0) == '|' || d.charAt(0) == '=') ? d.substring(1) : "";
      return switch (t) {
        case "f4", "f8", "f2", "i8", "i4", "i2", "i1", "u1", "b1" -> t;
        default -> throw new TensorFileException(file, "unsupported dtype '" + d
            + "' (supported: <f4, <f8, <f2, <i8, <i4, <i2, |i1, |u1, |b1)");
      };
    }

    @Override
    public void close() {
      arena.close();
    }
  }
}
