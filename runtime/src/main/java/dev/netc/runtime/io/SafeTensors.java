package dev.netc.runtime.io;

import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file opened for reading: validated once when opened, and lazy (a tensor's bytes are
 * touched only when it is asked for). A file on the default file system is memory-mapped
 * ({@link #open}); weights in memory ({@link #read(ByteBuffer, String)}), in a stream
 * ({@link #read(InputStream, String)}), in a class-path resource ({@link #openResource}, e.g. inside
 * the application's jar) or in a file of another file system (a zip file system) are read the same
 * way from memory, with the same checks and the same messages.
 *
 * <p>Format: an 8-byte little-endian header length {@code n}, {@code n} bytes of UTF-8 JSON mapping
 * each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to
 * the data section that follows the header) plus an optional {@code "__metadata__"} object of
 * strings, then the data section. Every way a file can lie is rejected when it is opened with a
 * {@link TensorFileException} naming the file and the problem (see {@code runtime/README.md}).
 *
 * <p>Reading widens any floating type (F64, F32, F16, BF16) and integer type to float;
 * {@link #longs} reads integer types exactly. Instances are safe for concurrent reads; after
 * {@link #close()} the mapping or the copy is released and reads fail.
 */
public final class SafeTensors implements AutoCloseable {
  /** Headers larger than this are rejected as hostile (real ones are kilobytes). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  /** A stream's data is read into memory that grows up to what the header promises, from at most this much. */
  private static final long FIRST_CHUNK = 16L << 20;

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

  private final Origin origin;
  private final Arena arena;
  private final MemorySegment data;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensors(Origin origin, Arena arena, MemorySegment data, SafeTensorsHeader.Parsed header) {
    this.origin = origin;
    this.arena = arena;
    this.data = data;
    this.entries = header.entries();
    this.metadata = header.metadata();
  }

  /**
   * Opens and validates {@code file}: memory-mapped on the default file system, read into memory on
   * another one (a path inside a zip or jar file system); throws {@link TensorFileException} for a
   * malformed file.
   */
  public static SafeTensors open(Path file) throws IOException {
    if (file.getFileSystem() != FileSystems.getDefault()) {
      try (InputStream in = Files.newInputStream(file)) {
        return read(in, Origin.of(file));
      }
    }
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment whole = ch.size() == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      return of(Origin.of(file), arena, whole);
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /**
   * Safetensors bytes in memory: the buffer's remaining bytes, read in place (not copied), so it must
   * not change while this is open; closing this leaves the buffer alone. {@code name} names the
   * weights in error messages.
   */
  public static SafeTensors read(ByteBuffer bytes, String name) throws TensorFileException {
    return of(Origin.named(name), null, MemorySegment.ofBuffer(bytes.slice()));
  }

  /**
   * Reads safetensors from a stream into memory: the header, then exactly the data bytes it
   * describes (the stream is neither read further nor closed). A stream that ends early gives the
   * message a file cut at that point gives. {@code name} names the weights in error messages.
   */
  public static SafeTensors read(InputStream in, String name) throws IOException {
    return read(in, Origin.named(name));
  }

  /**
   * Opens a class-path resource found as {@code anchor.getResource(name)} does: a name without a
   * leading {@code /} is relative to the anchor's package. A resource in a folder is memory-mapped;
   * one inside a jar is read into memory. A missing resource is a {@link FileNotFoundException} that
   * says where it was looked for.
   */
  public static SafeTensors openResource(Class<?> anchor, String name) throws IOException {
    URL url = anchor.getResource(name);
    if (url == null) {
      throw new FileNotFoundException(name + ": no such class-path resource for " + anchor.getName()
          + " (a name without a leading / is relative to " + anchor.getPackageName().replace('.', '/') + "/)");
    }
    if ("file".equals(url.getProtocol())) {
      try {
        return open(Path.of(url.toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        // not a plain file path after all: read it as a stream below
      }
    }
    try (InputStream in = url.openStream()) {
      return read(in, Origin.named(name));
    }
  }

  /** Validates the whole content {@code whole} (8-byte length, header, data) and keeps its data section. */
  private static SafeTensors of(Origin origin, Arena arena, MemorySegment whole) throws TensorFileException {
    long size = whole.byteSize();
    if (size < 8) {
      throw origin.fail("truncated file: " + size + " bytes, but a safetensors file starts with an 8-byte header length");
    }
    long n = whole.get(LONG_LE, 0);
    checkHeaderLength(origin, n, size);
    byte[] header = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
    MemorySegment data = whole.asSlice(8 + n);
    return new SafeTensors(origin, arena, data, SafeTensorsHeader.parse(origin, header, data.byteSize()));
  }

  private static SafeTensors read(InputStream in, Origin origin) throws IOException {
    byte[] length = in.readNBytes(8);
    if (length.length < 8) {
      throw origin.fail("truncated file: " + length.length
          + " bytes, but a safetensors file starts with an 8-byte header length");
    }
    long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
    checkHeaderLength(origin, n, Long.MAX_VALUE);
    byte[] header = in.readNBytes((int) n);
    checkHeaderLength(origin, n, 8L + header.length);
    Memory data = readData(in, SafeTensorsHeader.largestEnd(header));
    try {
      MemorySegment bytes = data.bytes();
      return new SafeTensors(origin, data.arena(), bytes, SafeTensorsHeader.parse(origin, header, bytes.byteSize()));
    } catch (IOException | RuntimeException e) {
      data.arena().close();
      throw e;
    }
  }

  /** Bytes read into memory that {@code arena} owns. */
  private record Memory(Arena arena, MemorySegment bytes) {}

  /**
   * Up to {@code needed} bytes of {@code in} (fewer when it ends first), in memory that grows by doubling as bytes
   * arrive, so that a header that promises more than the stream holds costs little.
   */
  private static Memory readData(InputStream in, long needed) throws IOException {
    Arena arena = Arena.ofShared();
    try {
      MemorySegment buf = arena.allocate(Math.min(needed, FIRST_CHUNK));
      byte[] chunk = new byte[1 << 16];
      long filled = 0;
      while (filled < needed) {
        if (filled == buf.byteSize()) {
          Arena bigger = Arena.ofShared();
          MemorySegment next = bigger.allocate(Math.min(needed, 2 * buf.byteSize()));
          MemorySegment.copy(buf, 0, next, 0, filled);
          arena.close();
          arena = bigger;
          buf = next;
        }
        int r = in.read(chunk, 0, (int) Math.min(chunk.length, buf.byteSize() - filled));
        if (r < 0) {
          break;
        }
        MemorySegment.copy(chunk, 0, buf, ValueLayout.JAVA_BYTE, filled, r);
        filled += r;
      }
      return new Memory(arena, buf.asSlice(0, filled));
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      arena.close();
      throw e;
    }
  }

  private static void checkHeaderLength(Origin origin, long n, long size) throws TensorFileException {
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw origin.fail("header length " + Long.toUnsignedString(n)
          + " is absurdly large (limit " + MAX_HEADER_BYTES + " bytes)");
    }
    if (n > size - 8) {
      throw origin.fail("header length " + n + " goes beyond the end of the file ("
          + size + " bytes; the header would end at byte " + (8 + n) + ")");
    }
  }

  /** The file this was opened from; null for weights read from memory, a stream or a jar. */
  public Path file() {
    return origin.file();
  }

  Origin origin() {
    return origin;
  }

  /** How messages name these weights: the file's name, or the name given to a buffer, stream or resource. */
  public String source() {
    return origin.name();
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
      throw origin.fail(CloseNames.missing(name, entries.keySet()));
    }
    return e;
  }

  /** The tensor {@code name}, widened to float. */
  public Tensor tensor(String name) throws TensorFileException {
    Entry e = entry(name);
    return new Tensor(e.shape(), TensorDecoding.floats(origin, data, e));
  }

  /**
   * The tensor {@code name}, widened to float, after checking its shape:
   * {@code name: expected [64, 64, 3, 3], file has [64, 64, 1, 1]}.
   */
  public Tensor tensor(String name, int... expectedShape) throws TensorFileException {
    Entry e = entry(name);
    if (!e.shape().equals(Shape.of(expectedShape))) {
      throw origin.fail(name + ": expected " + Arrays.toString(expectedShape)
          + ", file has " + e.shape());
    }
    return new Tensor(e.shape(), TensorDecoding.floats(origin, data, e));
  }

  /** The data of {@code name} after the shape check of {@link #tensor(String, int...)}. */
  public float[] floats(String name, int... expectedShape) throws TensorFileException {
    return tensor(name, expectedShape).data();
  }

  /** An integer (or BOOL) tensor's elements, exactly; float types are refused. */
  public long[] longs(String name) throws TensorFileException {
    return TensorDecoding.longs(origin, data, entry(name));
  }

  /** Releases the mapping; later reads fail. */
  @Override
  public void close() {
    if (arena != null) {
      arena.close();
    }
  }
}
