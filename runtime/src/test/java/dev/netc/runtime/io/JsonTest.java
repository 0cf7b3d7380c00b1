package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

  @Test
  void parsesEveryKindOfValue() {
    Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"x\\n\\u00e9\\\"\"},"
        + " \"big\": 12345678901234, \"huge\": 123456789012345678901234} ");
    Map<String, Object> m = Json.parseObject(Json.write(v));
    assertEquals(Arrays.asList(1L, -2.5, 300.0, true, false, null), m.get("a"));
    assertEquals(Map.of("c", "x\né\""), m.get("b"));
    assertEquals(12345678901234L, m.get("big"));
    assertEquals(1.2345678901234568e23, m.get("huge"));
    assertEquals(List.of("a", "b", "big", "huge"), List.copyOf(m.keySet()), "key order kept");
    assertNull(Json.parse("null"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"a\": 1,}                | expected a string key",
      "[1 2]                     | expected ',' or ']'",
      "{\"a\" 1}                 | expected ':'",
      "\"abc                     | unterminated string",
      "01                        | unexpected text after the JSON value",
      "-                         | expected a digit",
      "1.                        | expected a digit",
      "tru                       | unexpected word",
      "\"\\x\"                   | bad escape",
      "{\"k\": 1, \"k\": 2}      | duplicate key \"k\"",
      "@                         | unexpected character"})
  void rejectsMalformedText(String text, String message) {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void boundsNestingAndNumberLength() {
    JsonException deep = assertThrows(JsonException.class, () -> Json.parse("[".repeat(10_000) + "]".repeat(10_000)));
    assertTrue(deep.getMessage().contains("nesting deeper than 256"), deep.getMessage());
    assertEquals(List.of(List.of()), Json.parse("[[]]"));
    JsonException longNumber = assertThrows(JsonException.class, () -> Json.parse("1".repeat(100_000)));
    assertTrue(longNumber.getMessage().contains("number longer than"), longNumber.getMessage());
    JsonException duplicate = assertThrows(JsonException.class, () -> Json.parse("{\"a\":1,\"a\":1}"));
    assertEquals("a", duplicate.duplicateKey());
  }

  @Property(tries = 200)
  void stringsRoundTrip(@ForAll String s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(s, List.of(s));
    assertEquals(m, Json.parse(Json.write(m)));
  }
}
