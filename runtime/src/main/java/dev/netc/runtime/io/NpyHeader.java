package dev.netc.runtime.io;

import dev.netc.runtime.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dictionary literal of an npy header, e.g.
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 9, 9), }}.
 *
 * <p>A tiny parser for exactly the Python literals numpy writes there: quoted strings,
 * {@code True}/{@code False}, integers and tuples of integers. Problems are reported as
 * {@link IllegalArgumentException} with a message, which {@link Npy} turns into a
 * {@link TensorFileException}.
 *
 * @param descr        the dtype string, e.g. {@code <f4}
 * @param fortranOrder whether the data is column-major
 * @param shape        the dimensions
 */
public record NpyHeader(String descr, boolean fortranOrder, Shape shape) {

  /** Parses a header dictionary literal. */
  static NpyHeader parse(String text) {
    Parser p = new Parser(text.strip());
    Map<String, Object> dict = p.dict();
    p.end();
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shape = dict.get("shape");
    if (!(descr instanceof String d)) {
      throw new IllegalArgumentException("header lacks a string 'descr'");
    }
    if (!(fortran instanceof Boolean f)) {
      throw new IllegalArgumentException("header lacks a boolean 'fortran_order'");
    }
    if (!(shape instanceof List<?> dims)) {
      throw new IllegalArgumentException("header lacks a tuple 'shape'");
    }
    for (String key : dict.keySet()) {
      if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
        throw new IllegalArgumentException("unexpected header key '" + key + "' (numpy writes only 'descr', "
            + "'fortran_order' and 'shape')");
      }
    }
    int[] s = new int[dims.size()];
    long product = 1;
    for (int i = 0; i < s.length; i++) {
      long v = (Long) dims.get(i);
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + dims + " has a bad dimension " + v);
      }
      s[i] = (int) v;
      if (v != 0 && product > Long.MAX_VALUE / v) {
        throw new IllegalArgumentException("shape " + dims + " has more elements than a long holds");
      }
      product *= v;
    }
    return new NpyHeader(d, f, Shape.of(s));
  }

  /** Formats the header as numpy does (without padding). */
  String format() {
    StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
        .append(fortranOrder ? "True" : "False").append(", 'shape': (");
    int[] d = shape.dims();
    for (int i = 0; i < d.length; i++) {
      sb.append(d[i]).append(d.length == 1 || i < d.length - 1 ? "," : "");
      if (i < d.length - 1) {
        sb.append(' ');
      }
    }
    return sb.append("), }").toString();
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> dict() {
      expect('{');
      Map<String, Object> map = new LinkedHashMap<>();
      while (!peekIs('}')) {
        String key = string();
        expect(':');
        if (map.put(key, value()) != null) {
          throw error("duplicate key '" + key + "'");
        }
        if (!peekIs(',')) {
          break;
        }
        pos++;
      }
      expect('}');
      return map;
    }

    Object value() {
      skip();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (s.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      return integer();
    }

    List<Object> tuple() {
      expect('(');
      List<Object> out = new ArrayList<>();
      while (!peekIs(')')) {
        out.add(integer());
        if (!peekIs(',')) {
          break;
        }
        pos++;
      }
      expect(')');
      return out;
    }

    Long integer() {
      skip();
      int start = pos;
      while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || (pos == start && s.charAt(pos) == '-'))) {
        pos++;
      }
      if (pos == start || pos - start > 18) {
        throw error("expected an integer");
      }
      if (pos < s.length() && s.charAt(pos) == 'L') {
        pos++; // Python 2 long suffix, written by old numpy versions
      }
      return Long.parseLong(s.substring(start, s.charAt(pos - 1) == 'L' ? pos - 1 : pos));
    }

    String string() {
      skip();
      if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
        throw error("expected a quoted string");
      }
      char q = s.charAt(pos++);
      int end = s.indexOf(q, pos);
      if (end < 0) {
        throw error("unterminated string");
      }
      String out = s.substring(pos, end);
      pos = end + 1;
      return out;
    }

    boolean peekIs(char c) {
      skip();
      return pos < s.length() && s.charAt(pos) == c;
    }

    void expect(char c) {
      if (!peekIs(c)) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    void end() {
      skip();
      if (pos != s.length()) {
        throw error("unexpected text after the dictionary");
      }
    }

    void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    IllegalArgumentException error(String message) {
      return new IllegalArgumentException(message + " at character " + pos);
    }
  }
}
