package dev.netc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapeTensorTest {
  @Test
  void shapesCompareByValue() {
    assertEquals(Shape.of(64, 64, 3, 3), Shape.of(64, 64, 3, 3));
    assertEquals(Shape.of(64, 64, 3, 3).hashCode(), Shape.of(64, 64, 3, 3).hashCode());
    assertNotEquals(Shape.of(64, 64, 3, 3), Shape.of(64, 64, 1, 1));
    assertEquals("[64, 64, 3, 3]", Shape.of(64, 64, 3, 3).toString());
    assertEquals(3, Shape.of(2, 3, 4).dim(-2));
    assertEquals(12, Shape.of(2, 3, 4).numel(1, 3));
    assertEquals(1, Shape.of().numel());
    assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
    assertThrows(IllegalStateException.class, () -> Shape.of(1 << 16, 1 << 16).numel());
  }

  @Test
  void tensorsCompareByShapeAndBits() {
    Tensor a = Tensor.of(new float[] {1, Float.NaN}, 2);
    assertEquals(a, Tensor.of(new float[] {1, Float.NaN}, 2));
    assertNotEquals(a, Tensor.of(new float[] {1, Float.NaN}, 1, 2));
    assertNotEquals(Tensor.of(new float[] {0f}, 1), Tensor.of(new float[] {-0f}, 1));
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[3], 2, 2));
    assertEquals(Shape.of(1, 2), a.reshape(1, 2).shape());
  }
}
