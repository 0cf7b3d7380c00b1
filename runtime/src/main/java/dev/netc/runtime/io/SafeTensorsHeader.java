package dev.netc.runtime.io;

import dev.netc.runtime.Shape;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates the JSON header of a safetensors file against the size of its data
 * section. Everything a hostile header could lie about is checked here, before any tensor is
 * read: dtype names, shapes (non-negative, no overflow), offsets (ordered, inside the data,
 * matching dtype × shape, not overlapping another tensor) and the string-only metadata.
 */
final class SafeTensorsHeader {
  static final String METADATA = "__metadata__";

  /** The validated header: tensors in header order and the free-form metadata. */
  record Parsed(Map<String, SafeTensors.Entry> entries, Map<String, String> metadata) {}

  private final Origin origin;

  private SafeTensorsHeader(Origin origin) {
    this.origin = origin;
  }

  static Parsed parse(Origin origin, byte[] headerBytes, long dataLength) throws TensorFileException {
    return new SafeTensorsHeader(origin).parse(headerBytes, dataLength);
  }

  /**
   * The largest {@code data_offsets} end among the entries that have a well-formed one, without
   * validating anything else (0 for a header that does not parse): how many data bytes a stream
   * must supply before {@link #parse} can judge the header as it judges a file of that length.
   */
  static long largestEnd(byte[] headerBytes) {
    Object json;
    try {
      json = Json.parse(new SafeTensorsHeader(Origin.named("")).decodeUtf8(headerBytes));
    } catch (TensorFileException | JsonException e) {
      return 0;
    }
    long max = 0;
    if (json instanceof Map<?, ?> map) {
      for (Object entry : map.values()) {
        if (entry instanceof Map<?, ?> fields && fields.get("data_offsets") instanceof List<?> offsets
            && offsets.size() == 2 && offsets.get(1) instanceof Long end) {
          max = Math.max(max, end);
        }
      }
    }
    return max;
  }

  private Parsed parse(byte[] headerBytes, long dataLength) throws TensorFileException {
    Map<String, Object> json = json(decodeUtf8(headerBytes));
    Map<String, SafeTensors.Entry> entries = new LinkedHashMap<>();
    Map<String, String> metadata = Map.of();
    for (Map.Entry<String, Object> e : json.entrySet()) {
      if (e.getKey().equals(METADATA)) {
        metadata = metadata(e.getValue());
      } else {
        entries.put(e.getKey(), entry(e.getKey(), e.getValue(), dataLength));
      }
    }
    checkOverlaps(entries.values());
    long end = 0;
    for (SafeTensors.Entry e : entries.values()) end = Math.max(end, e.end());
    if (end < dataLength) {
      throw fail(trailing(end));
    }
    return new Parsed(Collections.unmodifiableMap(entries), metadata);
  }

  private String decodeUtf8(byte[] bytes) throws TensorFileException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw fail("header is not valid UTF-8");
    }
  }

  private Map<String, Object> json(String text) throws TensorFileException {
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (JsonException e) {
      if (e.duplicateKey() != null) {
        throw fail("duplicate tensor name \"" + e.duplicateKey() + "\" in the header");
      }
      throw fail("header is not valid JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?>)) {
      throw fail("header is not a JSON object (found " + Json.typeName(parsed) + ")");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) parsed;
    return map;
  }

  private Map<String, String> metadata(Object value) throws TensorFileException {
    if (!(value instanceof Map<?, ?> map)) {
      throw fail(METADATA + " is not a JSON object (found " + Json.typeName(value) + ")");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw fail(METADATA + " value of \"" + e.getKey() + "\" is not a string (found "
            + Json.typeName(e.getValue()) + ")");
      }
      out.put((String) e.getKey(), s);
    }
    return Collections.unmodifiableMap(out);
  }

  private SafeTensors.Entry entry(String name, Object value, long dataLength) throws TensorFileException {
    if (!(value instanceof Map<?, ?> fields)) {
      throw fail(tensor(name) + "is not a JSON object (found " + Json.typeName(value) + ")");
    }
    DType dtype = dtype(name, fields.get("dtype"));
    Shape shape = shape(name, fields.get("shape"));
    long[] offsets = offsets(name, fields.get("data_offsets"));
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end) {
      throw fail(tensor(name) + "data_offsets [" + begin + ", " + end + "] are out of order (begin after end)");
    }
    if (end > dataLength) {
      throw fail(tensor(name) + "data_offsets [" + begin + ", " + end + "] lie outside the data section of "
          + dataLength + " bytes (truncated file?)");
    }
    long expected = byteCount(name, dtype, shape);
    if (end - begin != expected) {
      throw fail(tensor(name) + "byte count " + (end - begin) + " does not match " + dtype + " × " + shape
          + " = " + expected + " bytes");
    }
    return new SafeTensors.Entry(name, dtype, shape, begin, end);
  }

  private DType dtype(String name, Object value) throws TensorFileException {
    if (!(value instanceof String s)) {
      throw fail(tensor(name) + "dtype is " + describe(value) + ", expected a string such as \"F32\"");
    }
    return DType.fromName(s).orElseThrow(() -> fail(tensor(name) + "unknown dtype \"" + s + "\""));
  }

  private Shape shape(String name, Object value) throws TensorFileException {
    if (!(value instanceof List<?> list)) {
      throw fail(tensor(name) + "shape is " + describe(value) + ", expected an array of integers");
    }
    int[] dims = new int[list.size()];
    for (int i = 0; i < dims.length; i++) {
      Object d = list.get(i);
      if (!(d instanceof Long l)) {
        throw fail(tensor(name) + "shape " + list + " has a non-integer dimension " + describe(d));
      }
      if (l < 0) {
        throw fail(tensor(name) + "shape " + list + " has a negative dimension " + l);
      }
      if (l > Integer.MAX_VALUE) {
        throw fail(tensor(name) + "shape " + list + " has a dimension " + l + " too large (overflow)");
      }
      dims[i] = (int) (long) l;
    }
    return Shape.of(dims);
  }

  private long[] offsets(String name, Object value) throws TensorFileException {
    if (!(value instanceof List<?> list) || list.size() != 2) {
      throw fail(tensor(name) + "data_offsets is " + describe(value) + ", expected [begin, end]");
    }
    long[] out = new long[2];
    for (int i = 0; i < 2; i++) {
      if (!(list.get(i) instanceof Long l) || l < 0) {
        throw fail(tensor(name) + "data_offsets " + list + " must be two non-negative integers");
      }
      out[i] = l;
    }
    return out;
  }

  private long byteCount(String name, DType dtype, Shape shape) throws TensorFileException {
    try {
      return Math.multiplyExact(shape.numelLong(), (long) dtype.bytes());
    } catch (ArithmeticException e) {
      throw fail(tensor(name) + "shape " + shape + " overflows: its byte count does not fit 64 bits");
    }
  }

  private void checkOverlaps(Iterable<SafeTensors.Entry> entries) throws TensorFileException {
    List<SafeTensors.Entry> sorted = new ArrayList<>();
    entries.forEach(sorted::add);
    sorted.sort(Comparator.comparingLong(SafeTensors.Entry::begin).thenComparingLong(SafeTensors.Entry::end));
    SafeTensors.Entry previous = null;
    for (SafeTensors.Entry e : sorted) {
      if (e.begin() == e.end()) {
        continue; // an empty tensor occupies no bytes and overlaps nothing
      }
      if (previous != null && e.begin() < previous.end()) {
        throw fail("tensors \"" + previous.name() + "\" [" + previous.begin() + ", " + previous.end()
            + ") and \"" + e.name() + "\" [" + e.begin() + ", " + e.end() + ") overlap");
      }
      previous = e;
    }
  }

  /** The problem of bytes after the tensors' data, which ends at byte {@code end} of the data section. */
  static String trailing(long end) {
    return "bytes follow the tensors' data, which ends at byte " + end + " of the data section";
  }

  private static String tensor(String name) {
    return "tensor \"" + name + "\": ";
  }

  private static String describe(Object value) {
    return value == null ? "missing" : Json.typeName(value) + " " + Json.write(value);
  }

  private TensorFileException fail(String problem) {
    return origin.fail(problem);
  }
}
