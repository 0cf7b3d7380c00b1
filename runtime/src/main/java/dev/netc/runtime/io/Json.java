package dev.netc.runtime.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (insertion-ordered, unmodifiable),
 * array → {@code List<Object>} (unmodifiable), string → {@link String}, number → {@link Long} when
 * written without fraction or exponent and in range, else {@link Double}; {@code true/false} →
 * {@link Boolean}; {@code null} → Java {@code null}.
 *
 * <p>Strictness is deliberate, because the reader parses untrusted file headers: a key repeated in
 * one object, trailing text, or nesting deeper than {@value #MAX_DEPTH} levels is an error. Parsing
 * is linear in the text length and uses bounded stack.
 */
public final class Json {
  /** The deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 256;

  /** Longest number literal accepted; longer ones are hostile, not precise. */
  private static final int MAX_NUMBER_LENGTH = 400;

  private final String text;
  private int pos;
  private int depth;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value spanning the whole text (surrounding whitespace allowed). */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value();
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return value;
  }

  /** Parses a text that must be a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map<?, ?>)) {
      throw new JsonException("expected a JSON object, found " + typeName(v), 0, null);
    }
    return (Map<String, Object>) v;
  }

  /** The JSON type name of a parsed value: object, array, string, number, boolean or null. */
  public static String typeName(Object v) {
    return switch (v) {
      case null -> "null";
      case Map<?, ?> _ -> "object";
      case List<?> _ -> "array";
      case String _ -> "string";
      case Number _ -> "number";
      case Boolean _ -> "boolean";
      default -> v.getClass().getSimpleName();
    };
  }

  /**
   * Writes a value compactly. Accepts what {@link #parse} returns plus any {@link Number},
   * {@link Iterable} (as array) and {@code int[]}/{@code long[]}.
   */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb);
    return sb.toString();
  }

  private static void write(Object value, StringBuilder sb) {
    switch (value) {
      case null -> sb.append("null");
      case String s -> quote(s, sb);
      case Boolean b -> sb.append(b);
      case Double d -> sb.append(finite(d));
      case Float f -> sb.append(finite(f.doubleValue()));
      case Number n -> sb.append(n);
      case int[] a -> {
        List<Object> l = new ArrayList<>();
        for (int x : a) {
          l.add(x);
        }
        write(l, sb);
      }
      case long[] a -> {
        List<Object> l = new ArrayList<>();
        for (long x : a) {
          l.add(x);
        }
        write(l, sb);
      }
      case Map<?, ?> m -> writeObject(m, sb);
      case Iterable<?> it -> writeArray(it, sb);
      default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static String finite(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("JSON has no representation for " + d);
    }
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) + ".0" : Double.toString(d);
  }

  private static void writeObject(Map<?, ?> m, StringBuilder sb) {
    sb.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      quote(String.valueOf(e.getKey()), sb);
      sb.append(':');
      write(e.getValue(), sb);
    }
    sb.append('}');
  }

  private static void writeArray(Iterable<?> it, StringBuilder sb) {
    sb.append('[');
    boolean first = true;
    for (Object o : it) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      write(o, sb);
    }
    sb.append(']');
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  // ---------------------------------------------------------------- reading

  private Object value() {
    if (pos >= text.length()) {
      throw error("unexpected end of text, expected a value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + printable(c) + "', expected a value");
      }
    };
  }

  private Map<String, Object> object() {
    enter();
    pos++; // '{'
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      int keyAt = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value();
      if (map.containsKey(key)) {
        throw new JsonException("duplicate key \"" + key + "\"", keyAt, key);
      }
      map.put(key, v);
      skipWhitespace();
      char c = next("',' or '}'");
      if (c == '}') {
        depth--;
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array() {
    enter();
    pos++; // '['
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWhitespace();
      list.add(value());
      skipWhitespace();
      char c = next("',' or ']'");
      if (c == ']') {
        depth--;
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        escape(sb);
      } else if (c < 0x20) {
        pos--;
        throw error("control character in string");
      } else {
        sb.append(c);
      }
    }
  }

  private void escape(StringBuilder sb) {
    char e = next("an escape character");
    switch (e) {
      case '"', '\\', '/' -> sb.append(e);
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case 't' -> sb.append('\t');
      case 'u' -> {
        if (pos + 4 > text.length()) {
          throw error("truncated \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
          int d = Character.digit(text.charAt(pos++), 16);
          if (d < 0) {
            pos--;
            throw error("bad hex digit in \\u escape");
          }
          code = code * 16 + d;
        }
        sb.append((char) code);
      }
      default -> {
        pos--;
        throw error("bad escape '\\" + printable(e) + "'");
      }
    }
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("expected a digit");
    }
    boolean integral = true;
    if (peek() == '.') {
      pos++;
      integral = false;
      requireDigit();
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      integral = false;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      requireDigit();
      digits();
    }
    if (pos - start > MAX_NUMBER_LENGTH) {
      pos = start;
      throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
    }
    String s = text.substring(start, pos);
    if (integral && s.length() <= 20) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException tooBig) {
        // fall through: out of long range, kept as a double
      }
    }
    try {
      return new BigDecimal(s).doubleValue();
    } catch (NumberFormatException | ArithmeticException e) {
      pos = start;
      throw error("number out of range");
    }
  }

  private void requireDigit() {
    if (!isDigit(peek())) {
      throw error("expected a digit");
    }
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected word, expected a value");
    }
    pos += word.length();
    return value;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private char next(String expected) {
    if (pos >= text.length()) {
      throw error("unexpected end of text, expected " + expected);
    }
    return text.charAt(pos++);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private static String printable(char c) {
    return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }

  private JsonException error(String message) {
    return new JsonException(message, pos, null);
  }
}
