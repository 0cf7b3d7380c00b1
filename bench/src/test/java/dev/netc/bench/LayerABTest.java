package dev.netc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.function.ToLongBiFunction;
import org.junit.jupiter.api.Test;

class LayerABTest {
  @Test
  void eachSideRunsItsOwnRuntimeUnderItsOwnPropertiesAndTheReportIsOrdered() throws Exception {
    ToLongBiFunction<Integer, Integer> a = LayerAB.side("-", "", "16,32,8,3,1;3,16,16,7,2", 1, false);
    ToLongBiFunction<Integer, Integer> b =
        LayerAB.side("-", "netc.conv.winograd=false netc.conv.order=rows", "16,32,8,3,1;3,16,16,7,2", 1, false);
    // the properties were set while B's runtime was created, and are gone again
    assertNull(System.getProperty("netc.conv.winograd"));
    assertNull(System.getProperty("netc.conv.order"));
    // each side has a class loader of its own, so the runtime's switches are read once per side
    assertNotSame(a.getClass(), b.getClass());
    assertNotSame(a.getClass().getClassLoader(), b.getClass().getClassLoader());
    assertNotSame(dev.netc.runtime.kernels.ConvPlan.class, plan(a));
    // B's runtime read its switch (Winograd off: 0), A's the default (-1)
    assertEquals(-1, winogradTile(a));
    assertEquals(0, winogradTile(b));
    assertTrue(a.applyAsLong(0, 2) > 0 && b.applyAsLong(1, 2) > 0);
    double[][] r = LayerAB.compare(a, b, 2, 1, 0L);
    assertEquals(2, r.length);
    for (double[] q : r) {
      assertEquals(5, q.length);
      assertTrue(q[0] > 0 && q[1] > 0, "best windows");
      assertTrue(q[3] <= q[2] && q[2] <= q[4], "quartiles in order");
    }
  }

  private static Class<?> plan(Object side) throws ClassNotFoundException {
    return side.getClass().getClassLoader().loadClass("dev.netc.runtime.kernels.ConvPlan");
  }

  private static int winogradTile(Object side) throws ReflectiveOperationException {
    Field f = plan(side).getDeclaredField("WINOGRAD_TILE");
    f.setAccessible(true);
    return f.getInt(null);
  }
}
