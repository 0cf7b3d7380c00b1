package dev.netc.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The MACs the interpreter's kernels execute (counted from their work sizes) equal the cost model's MACs
 * ({@code Op.cost} summed by {@link Totals}), node by node, on random small convolutional, attention, recurrent
 * and matmul networks written as .net text; and every node's produced shape is its inferred type.
 */
class MacProperties {
  /** A generated network and the batch to run it at. */
  record Case(String source, int batch) {
    @Override
    public String toString() { return "batch " + batch + ": " + source; }
  }

  @Provide
  Arbitrary<Case> convNets() { return Arbitraries.randomValue(r -> new Case(convNet(r), 1 + r.nextInt(3))); }

  @Provide
  Arbitrary<Case> sequenceNets() { return Arbitraries.randomValue(r -> new Case(sequenceNet(r), 1 + r.nextInt(3))); }

  @Property(tries = 60)
  void convolutionalNetworks(@ForAll("convNets") Case c) { check(c); }

  @Property(tries = 60)
  void attentionRecurrentAndMatmulNetworks(@ForAll("sequenceNets") Case c) { check(c); }

  private static void check(Case c) {
    Graph g = InterpreterNets.compile(c.source());
    Execution e = new Interpreter(g, Weights.random(g, 11)).execute(inputs(g, c.batch()));
    for (Execution.NodeRun r : e.nodes()) {
      Node n = r.node();
      assertEquals(Totals.cost(g, n, c.batch()).macs(), r.macs(), () -> "MACs of " + n.path() + " " + n.op());
      assertArrayEquals(TensorValue.fullDims(n.type(), c.batch()), r.shape().dims(), () -> "shape of " + n.path());
    }
    assertEquals(Totals.of(g, c.batch()).macs(), e.macs());
  }

  private static Map<String, Tensor> inputs(Graph g, int batch) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Random r = new Random(batch);
    for (int id : g.inputs()) {
      Node n = g.node(id);
      int[] dims = TensorValue.fullDims(n.type(), batch);
      float[] data = new float[Math.toIntExact(n.type().elements(batch))];
      for (int i = 0; i < data.length; i++) data[i] = (float) r.nextGaussian();
      m.put(((Input) n.op()).inputName(), new Tensor(Shape.of(dims), data));
    }
    return m;
  }

  /** 1-D, 2-D or 3-D input; a few convolutions (grouped, strided, dilated, transposed), maybe pooling and a head. */
  static String convNet(Random r) {
    int dims = 1 + r.nextInt(3);
    int c = 1 + r.nextInt(4);
    int size = dims == 3 ? 3 + r.nextInt(3) : 4 + r.nextInt(6);
    StringBuilder shape = new StringBuilder("[").append(c);
    for (int d = 0; d < dims; d++) shape.append(", ").append(size);
    List<String> layers = new ArrayList<>();
    int layerCount = 1 + r.nextInt(3);
    for (int i = 0; i < layerCount; i++) {
      int groups = c % 2 == 0 && r.nextBoolean() ? 2 : 1;
      int out = groups * (1 + r.nextInt(3));
      int k = 1 + r.nextInt(3);
      if (r.nextInt(4) == 0) {
        layers.add("conv_transpose(" + out + ", " + k + ", stride: " + (1 + r.nextInt(2)) + ", groups: " + groups + ")");
      } else {
        // "same"-style padding keeps every size positive whatever the stride
        int dil = 1 + r.nextInt(2);
        layers.add("conv(" + out + ", " + k + ", stride: " + (1 + r.nextInt(2)) + ", pad: " + (k / 2 * dil)
            + ", dilation: " + dil + ", groups: " + groups + ", bias: " + r.nextBoolean() + ")");
      }
      if (r.nextBoolean()) layers.add(List.of("relu", "batchnorm", "sigmoid").get(r.nextInt(3)));
      c = out;
    }
    if (r.nextBoolean()) layers.add("global_avgpool");
    if (r.nextBoolean()) layers.add("flatten; linear(" + (1 + r.nextInt(5)) + ")");
    return "network n {\n  input x: " + shape + "]\n  " + String.join("\n  ", layers) + "\n}\n";
  }

  /** Attention (with norms and a feed-forward part), LSTM/GRU stacks, or a matmul of two inputs. */
  static String sequenceNet(Random r) {
    int t = 1 + r.nextInt(5);
    return switch (r.nextInt(3)) {
      case 0 -> {
        int heads = 1 + r.nextInt(3);
        int e = heads * (1 + r.nextInt(3));
        yield "network n {\n  input x: [" + t + ", " + e + "]\n  attention(" + heads + ", bias: " + r.nextBoolean()
            + ")\n  layernorm\n  linear(" + (1 + r.nextInt(6)) + ")\n}\n";
      }
      case 1 -> "network n {\n  input x: [" + t + ", " + (1 + r.nextInt(5)) + "]\n  "
          + (r.nextBoolean() ? "lstm" : "gru") + "(" + (1 + r.nextInt(5)) + ", layers: " + (1 + r.nextInt(2))
          + ", bias: " + r.nextBoolean() + ")\n}\n";
      default -> {
        int m = 1 + r.nextInt(4);
        int k = 1 + r.nextInt(4);
        int n = 1 + r.nextInt(4);
        yield "network n {\n  input a: [" + t + ", " + m + ", " + k + "]\n  input b: [" + t + ", " + k + ", " + n
            + "]\n  @a\n  matmul(@b)\n}\n";
      }
    };
  }
}
