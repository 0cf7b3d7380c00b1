package dev.netc.runtime.io;

import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects tensors and writes them as one safetensors file: tensors laid out contiguously in the
 * order they were added, the JSON header padded with spaces to a multiple of 8 bytes (as the
 * reference implementation does), optional {@code __metadata__} strings.
 */
public final class SafeTensorsWriter {
  private record Pending(DType dtype, Shape shape, ByteBuffer bytes) {}

  private final Map<String, Pending> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds a float tensor, stored as F32. */
  public SafeTensorsWriter put(String name, Tensor t) {
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(t.data().length, 4)).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(t.data());
    return put(name, DType.F32, t.shape(), b);
  }

  /** Adds an I64 tensor (e.g. BatchNorm's {@code num_batches_tracked}). */
  public SafeTensorsWriter putLongs(String name, Shape shape, long[] values) {
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return put(name, DType.I64, shape, b);
  }

  /** Adds raw little-endian bytes of any dtype; their count must equal dtype × shape. */
  public SafeTensorsWriter put(String name, DType dtype, Shape shape, ByteBuffer littleEndianBytes) {
    if (name.equals(SafeTensorsHeader.METADATA)) {
      throw new IllegalArgumentException(SafeTensorsHeader.METADATA + " is reserved");
    }
    if (tensors.containsKey(name)) {
      throw new IllegalArgumentException("duplicate tensor name \"" + name + "\"");
    }
    long expected = shape.numelLong() * dtype.bytes();
    if (littleEndianBytes.remaining() != expected) {
      throw new IllegalArgumentException(name + ": " + littleEndianBytes.remaining()
          + " bytes do not match " + dtype + " × " + shape + " = " + expected);
    }
    tensors.put(name, new Pending(dtype, shape, littleEndianBytes.duplicate()));
    return this;
  }

  /** Adds a {@code __metadata__} entry. */
  public SafeTensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** Writes the file, replacing any existing one. */
  public void write(Path file) throws IOException {
    byte[] header = header();
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, length);
      writeFully(ch, ByteBuffer.wrap(header));
      for (Pending p : tensors.values()) {
        writeFully(ch, p.bytes().duplicate());
      }
    }
  }

  /** Writes the same bytes as {@link #write(Path)} to a stream (left open), for writers that rename a temp file. */
  public void writeTo(java.io.OutputStream out) throws IOException {
    byte[] header = header();
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length).array());
    out.write(header);
    for (Pending p : tensors.values()) {
      ByteBuffer b = p.bytes().duplicate();
      byte[] chunk = new byte[Math.min(b.remaining(), 1 << 16)];
      while (b.hasRemaining()) {
        int n = Math.min(chunk.length, b.remaining());
        b.get(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    }
  }

  private byte[] header() {
    Map<String, Object> json = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      json.put(SafeTensorsHeader.METADATA, metadata);
    }
    long offset = 0;
    for (Map.Entry<String, Pending> e : tensors.entrySet()) {
      Pending p = e.getValue();
      long end = offset + p.bytes().remaining();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", p.dtype().name());
      entry.put("shape", p.shape().dims());
      entry.put("data_offsets", List.of(offset, end));
      json.put(e.getKey(), entry);
      offset = end;
    }
    StringBuilder text = new StringBuilder(Json.write(json));
    while (text.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
      text.append(' ');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
