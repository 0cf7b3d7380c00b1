package dev.netc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuantityAndNumbersTest {
  @Test
  void parsesBudgetSizes() {
    assertEquals(25_557_032, Quantity.parse("25557032"));
    assertEquals(25_557_032, Quantity.parse("25_557_032"));
    assertEquals(25_557_032, Quantity.parse("25,557,032"));
    assertEquals(25_000_000, Quantity.parse("25M"));
    assertEquals(4_100_000_000L, Quantity.parse("4.1G"));
    assertEquals(1_500, Quantity.parse("1.5k"));
    assertEquals(100L * 1024 * 1024, Quantity.parse("100MiB"));
    assertEquals(2L * 1024 * 1024 * 1024, Quantity.parse("2GiB"));
    assertEquals(512, Quantity.parse("512B"));
    assertEquals(3_000_000_000L, Quantity.parse("3GB"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1.5"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse("12Q"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse("-5M"));
    assertThrows(IllegalArgumentException.class, () -> Quantity.parse(""));
  }

  @Test
  void writesHumanNumbers() {
    assertEquals("512", Numbers.human(512));
    assertEquals("9.41K", Numbers.human(9_408));
    assertEquals("11.69M", Numbers.human(11_689_512));
    assertEquals("1.81G", Numbers.human(1_814_073_344));
    assertEquals("1M", Numbers.human(999_999));
    assertEquals("25,557,032", Numbers.grouped(25_557_032));
    assertEquals("100 B", Numbers.bytes(100));
    assertEquals("784 KiB", Numbers.bytes(802_816));
    assertEquals("44.59 MiB", Numbers.bytes(46_757_888));
    assertEquals("12.5%", Numbers.percent(1, 8));
    assertEquals("-", Numbers.percent(1, 0));
  }
}
