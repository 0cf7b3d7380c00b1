package dev.netc.runtime.io;

import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file opened for reading: memory-mapped, validated once at {@link #open}, and lazy
 * (a tensor's bytes are touched only when it is asked for).
 *
 * <p>Format: an 8-byte little-endian header length {@code n}, {@code n} bytes of UTF-8 JSON mapping
 * each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to
 * the data section that follows the header) plus an optional {@code "__metadata__"} object of
 * strings, then the data section. Every way a file can lie is rejected at open with a
 * {@link TensorFileException} naming the file and the problem (see {@code runtime/README.md}).
 *
 * <p>Reading widens any floating type (F64, F32, F16, BF16) and integer type to float;
 * {@link #longs} reads integer types exactly. Instances are safe for concurrent reads; after
 * {@link #close()} the mapping is released and reads fail.
 */
public final class SafeTensors implements AutoCloseable {
  /** Headers larger than this are rejected as hostile (real ones are kilobytes). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /**
   * One tensor's header entry; {@code begin}/{@code end} are byte offsets into the data section.
   *
   * @param name  the tensor's name
   * @param dtype its element type
   * @param shape its dimensions
   * @param begin first byte, relative to the data section
   * @param end   one past the last byte
   */
  public record Entry(String name, DType dtype, Shape shape, long begin, long end) {}

  private final Path file;
  private final Arena arena;
  private final MemorySegment data;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensors(Path file, Arena arena, MemorySegment data, SafeTensorsHeader.Parsed header) {
    this.file = file;
    this.arena = arena;
    this.data = data;
    this.entries = header.entries();
    this.metadata = header.metadata();
  }

  /** Maps and validates {@code file}; throws {@link TensorFileException} for a malformed file. */
  public static SafeTensors open(Path file) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new TensorFileException(file, "truncated file: " + size
            + " bytes, but a safetensors file starts with an 8-byte header length");
      }
      MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      long n = whole.get(LONG_LE, 0);
      checkHeaderLength(file, n, size);
      byte[] header = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
      MemorySegment data = whole.asSlice(8 + n);
      return new SafeTensors(file, arena, data, SafeTensorsHeader.parse(file, header, data.byteSize()));
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  private static void checkHeaderLength(Path file, long n, long size) throws TensorFileException {
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw new TensorFileException(file, "header length " + Long.toUnsignedString(n)
          + " is absurdly large (limit " + MAX_HEADER_BYTES + " bytes)");
    }
    if (n > size - 8) {
      throw new TensorFileException(file, "header length " + n + " goes beyond the end of the file ("
          + size + " bytes; the header would end at byte " + (8 + n) + ")");
    }
  }

  /** The file this was opened from. */
  public Path file() {
    return file;
  }

  /** Tensor names in header order ({@code __metadata__} excluded). */
  public Set<String> names() {
    return entries.keySet();
  }

  /** The {@code __metadata__} strings, empty when the file has none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** True when the file holds a tensor of that name. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** The header entry of {@code name}; a missing name is an error that lists close names. */
  public Entry entry(String name) throws TensorFileException {
    Entry e = entries.get(name);
    if (e == null) {
      throw new TensorFileException(file, CloseNames.missing(name, entries.keySet()));
    }
    return e;
  }

  /** The tensor {@code name}, widened to float. */
  public Tensor tensor(String name) throws TensorFileException {
    Entry e = entry(name);
    return new Tensor(e.shape(), TensorDecoding.floats(file, data, e));
  }

  /**
   * The tensor {@code name}, widened to float, after checking its shape:
   * {@code name: expected [64, 64, 3, 3], file has [64, 64, 1, 1]}.
   */
  public Tensor tensor(String name, int... expectedShape) throws TensorFileException {
    Entry e = entry(name);
    if (!e.shape().equals(Shape.of(expectedShape))) {
      throw new TensorFileException(file, name + ": expected " + Arrays.toString(expectedShape)
          + ", file has " + e.shape());
    }
    return new Tensor(e.shape(), TensorDecoding.floats(file, data, e));
  }

  /** The data of {@code name} after the shape check of {@link #tensor(String, int...)}. */
  public float[] floats(String name, int... expectedShape) throws TensorFileException {
    return tensor(name, expectedShape).data();
  }

  /** An integer (or BOOL) tensor's elements, exactly; float types are refused. */
  public long[] longs(String name) throws TensorFileException {
    return TensorDecoding.longs(file, data, entry(name));
  }

  /** Releases the mapping; later reads fail. */
  @Override
  public void close() {
    arena.close();
  }
}
