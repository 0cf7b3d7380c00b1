package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A layer applied again with {@code reuse} has its weights loaded and packed once: the generated class reads each
 * of its tensors once, the model holds about the floats of one application, not two, and the outputs equal the
 * interpreter's. A linear layer fused otherwise at its second application (there with the residual add) shares the
 * first one's packed weights.
 */
class ReusedWeightsTest {
  /** A shared MLP on average- and max-pooled descriptors (CBAM) and a siamese conv tower. */
  static final String REUSED = """
      network shared {
        input x: [64, 8, 8]
        input y: [64, 8, 8]
        tower: seq { conv1: conv(64, 3, pad: 1); relu } -> a
        @y
        reuse tower
        add(@a)
        global_avgpool
        flatten -> v
        mlp: seq { fc1: linear(256); relu; fc2: linear(64) } -> p
        @v
        reuse mlp
        add(@p)
      }
      """;

  /** The same layers applied once. */
  static final String ONCE = """
      network once {
        input x: [64, 8, 8]
        input y: [64, 8, 8]
        tower: seq { conv1: conv(64, 3, pad: 1); relu } -> a
        add(@y)
        global_avgpool
        flatten -> v
        mlp: seq { fc1: linear(256); relu; fc2: linear(64) }
        add(@v)
      }
      """;

  @Test
  void everyTensorIsReadOnce() {
    Graph g = Generated.graph(REUSED);
    String java = Generated.compile(g).source().toString();
    for (String t : new String[] {"tower.conv1.weight", "mlp.fc1.weight", "mlp.fc2.weight"}) {
      assertEquals(1, count(java, "w.tensor(\"" + t + "\""), t + " read once in\n" + java);
    }
    assertTrue(java.contains("ConvBatchNorm.linear(mlp_fc2, "), "fc2 with the residual shares fc2's packed weights");
  }

  @Test
  void theModelHoldsTheWeightsOfOneApplication() {
    long reused = floats(Generated.compile(Generated.graph(REUSED)).randomWeights(1));
    long once = floats(Generated.compile(Generated.graph(ONCE)).randomWeights(1));
    // Weights: 64·64·9 + 64 (tower) and 64·256 + 256 + 256·64 + 64 (mlp), packed with some padding. The second
    // applications may add their small epilogue arrays (a bias again), never a weight matrix.
    System.out.printf("model floats: %d with reuse, %d applied once%n", reused, once);
    assertTrue(once > 60_000, "floats of one application: " + once);
    assertTrue(reused < once + 1_000, "floats with reuse: " + reused + ", applied once: " + once);
  }

  @Test
  void outputsEqualTheInterpreters() {
    Generated.checkAgainstInterpreter("reused layers", Generated.graph(REUSED), 2, 3);
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) n++;
    return n;
  }

  private static boolean ours(Class<?> c) { return c.getName().startsWith("dev.netc.") || c.getName().startsWith("netc."); }

  /** Floats in the distinct float arrays reachable from {@code root} through instance fields and arrays. */
  private static long floats(Object root) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> todo = new ArrayDeque<>();
    todo.push(root);
    long total = 0;
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (!seen.add(o)) continue;
      Class<?> c = o.getClass();
      if (c == float[].class) {
        total += ((float[]) o).length;
      } else if (c.isArray()) {
        if (!c.getComponentType().isPrimitive()) {
          for (int i = 0; i < Array.getLength(o); i++) if (Array.get(o, i) != null) todo.push(Array.get(o, i));
        }
      } else if (ours(c)) {
        for (Class<?> k = c; k != null && ours(k); k = k.getSuperclass()) {
          for (Field f : k.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
            try {
              f.setAccessible(true);
              Object v = f.get(o);
              if (v != null) todo.push(v);
            } catch (ReflectiveOperationException | RuntimeException e) {
              throw new AssertionError("cannot read " + f, e);
            }
          }
        }
      }
    }
    return total;
  }
}
