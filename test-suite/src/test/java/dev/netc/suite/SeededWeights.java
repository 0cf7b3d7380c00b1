package dev.netc.suite;

import dev.netc.runtime.io.Json;
import dev.netc.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The weights of a seeded model ({@code test-suite/reference/seeded}, made by {@code generate.py seeded}): every
 * parameter is drawn from a counter-based generator that numpy and this class compute bit for bit, so only a
 * recipe is committed (every state_dict key, its shape and its range), with the buffers that are computed rather
 * than drawn. Value {@code k} of tensor {@code NAME} drawn in {@code [lo, hi)} is
 * {@code (float) (lo + (hi − lo)·u)} computed in double, {@code u = (splitmix64(fnv1a64(NAME) + k) >>> 40)·2⁻²⁴}.
 */
final class SeededWeights {
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;
  private static final int CHUNK_FLOATS = 1 << 18;

  private SeededWeights() {}

  /** One state_dict entry: drawn in [lo, hi), or a buffer of dtype {@code buffer} read from the buffers file. */
  record Entry(String name, int[] shape, double lo, double hi, String buffer) {
    long elements() { return Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact); }

    String shapeText() { return Arrays.toString(shape); }
  }

  /** A model's recipe and the paths of its buffers, input and expected output. */
  record Recipe(String model, List<Entry> entries, Path buffers, Path input, Path output) {}

  static long fnv1a64(String text) {
    long h = FNV_OFFSET;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xFF)) * FNV_PRIME;
    return h;
  }

  static long splitmix64(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Value {@code index} of the tensor whose name hashes to {@code key}, drawn in [lo, hi). */
  static float value(long key, long index, double lo, double hi) {
    double u = (splitmix64(key + index) >>> 40) * 0x1p-24;
    return (float) (lo + (hi - lo) * u);
  }

  /** The first {@code count} values of tensor {@code name} drawn in [lo, hi). */
  static float[] values(String name, int count, double lo, double hi) {
    long key = fnv1a64(name);
    float[] out = new float[count];
    for (int i = 0; i < count; i++) out[i] = value(key, i, lo, hi);
    return out;
  }

  /** Reads {@code seeded/NAME.recipe.json}. */
  @SuppressWarnings("unchecked")
  static Recipe read(Path folder, String model) throws IOException {
    Map<String, Object> root = Json.parseObject(Files.readString(folder.resolve(model + ".recipe.json")));
    List<Entry> entries = ((List<Object>) root.get("tensors")).stream().map(o -> {
      Map<String, Object> t = (Map<String, Object>) o;
      int[] shape = ((List<Object>) t.get("shape")).stream().mapToInt(d -> Math.toIntExact((Long) d)).toArray();
      String buffer = (String) t.get("buffer");
      double lo = buffer == null ? ((Number) t.get("lo")).doubleValue() : 0;
      double hi = buffer == null ? ((Number) t.get("hi")).doubleValue() : 0;
      return new Entry((String) t.get("name"), shape, lo, hi, buffer);
    }).toList();
    String file = (String) ((Map<String, Object>) root.get("input")).get("file");
    String out = (String) ((Map<String, Object>) root.get("output")).get("file");
    return new Recipe((String) root.get("model"), entries, folder.resolve((String) root.get("buffers")),
        folder.resolve(file), folder.resolve(out));
  }

  /**
   * Writes the whole state_dict as one safetensors file: the drawn tensors computed here, the buffers copied from
   * the recipe's buffers file, in the recipe's order. Streams through a small buffer, so a 344 MB model costs no
   * heap.
   */
  static void write(Recipe recipe, Path file) throws IOException {
    byte[] header = header(recipe.entries());
    try (SafeTensors buffers = SafeTensors.open(recipe.buffers());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer start = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
      drain(ch, start.putLong(header.length).put(header));
      ByteBuffer b = ByteBuffer.allocateDirect(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (Entry e : recipe.entries()) {
        if (e.buffer() == null) {
          long key = fnv1a64(e.name());
          for (long i = 0, n = e.elements(); i < n; i++) {
            if (b.remaining() < 4) drain(ch, b);
            b.putFloat(value(key, i, e.lo(), e.hi()));
          }
        } else if (e.buffer().equals("F32")) {
          for (float v : buffers.floats(e.name(), e.shape())) {
            if (b.remaining() < 4) drain(ch, b);
            b.putFloat(v);
          }
        } else if (e.buffer().equals("I64")) {
          for (long v : buffers.longs(e.name())) {
            if (b.remaining() < 8) drain(ch, b);
            b.putLong(v);
          }
        } else {
          throw new IOException(recipe.model() + ": buffer " + e.name() + " has dtype " + e.buffer()
              + "; expected F32 or I64");
        }
      }
      drain(ch, b);
    }
  }

  private static void drain(FileChannel ch, ByteBuffer b) throws IOException {
    b.flip();
    while (b.hasRemaining()) ch.write(b);
    b.clear();
  }

  /** The safetensors JSON header of the entries, in order, padded with spaces to a multiple of 8 bytes. */
  private static byte[] header(List<Entry> entries) {
    StringBuilder h = new StringBuilder("{");
    long offset = 0;
    for (Entry e : entries) {
      String dtype = e.buffer() == null ? "F32" : e.buffer();
      long bytes = e.elements() * (dtype.equals("I64") ? 8 : 4);
      if (h.length() > 1) h.append(',');
      h.append(Json.write(e.name())).append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":[")
          .append(Arrays.stream(e.shape()).mapToObj(Integer::toString).collect(Collectors.joining(",")))
          .append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
    }
    h.append('}');
    byte[] raw = h.toString().getBytes(StandardCharsets.UTF_8);
    byte[] padded = Arrays.copyOf(raw, (raw.length + 7) / 8 * 8);
    Arrays.fill(padded, raw.length, padded.length, (byte) ' ');
    return padded;
  }
}
