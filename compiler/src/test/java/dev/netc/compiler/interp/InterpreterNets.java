package dev.netc.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Param;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: compile a .net text, give it hand-written weights, run it, compare with hand-computed values. */
final class InterpreterNets {
  private InterpreterNets() {}

  /** The single network of a .net source text, elaborated from a temporary file. */
  static Graph compile(String source) {
    // The facade compiles text that is not on disk (as the language server does): no temporary file.
    return Compiler.compile(Compiler.Options.text(Path.of("interp.net"), source)).graphs().getFirst();
  }

  /** Weights from name/data pairs; each tensor takes the shape the graph gives that name. */
  static Weights weights(Graph g, Object... nameThenData) {
    Map<String, Param> byName = new HashMap<>();
    for (Param p : g.params()) byName.put(p.name(), p);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenData.length; i += 2) {
      String name = (String) nameThenData[i];
      Param p = byName.get(name);
      if (p == null) throw new IllegalArgumentException("graph has no parameter " + name + "; it has " + byName.keySet());
      m.put(name, new Tensor(Shape.of(p.shape().toArray()), (float[]) nameThenData[i + 1]));
    }
    return Weights.of(g, m);
  }

  /** Runs a network of one input and one output. */
  static Tensor run(Graph g, Weights w, Tensor input) {
    String in = ((dev.netc.compiler.ir.Input) g.node(g.inputs().getFirst()).op()).inputName();
    return new Interpreter(g, w).run(Map.of(in, input)).values().iterator().next();
  }

  static Tensor tensor(float[] data, int... dims) { return Tensor.of(data, dims); }

  static float[] f(double... v) {
    float[] r = new float[v.length];
    for (int i = 0; i < v.length; i++) r[i] = (float) v[i];
    return r;
  }

  /** 0, 1, 2, ... n-1. */
  static float[] iota(int n) {
    float[] r = new float[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  static void assertTensor(Tensor got, float[] want, double tol, int... dims) {
    assertArrayEquals(dims, got.shape().dims(), "shape");
    assertEquals(want.length, got.data().length, "element count");
    for (int i = 0; i < want.length; i++) {
      final int at = i;
      assertEquals(want[i], got.data()[i], tol, () -> "element " + at + " of " + got);
    }
  }
}
