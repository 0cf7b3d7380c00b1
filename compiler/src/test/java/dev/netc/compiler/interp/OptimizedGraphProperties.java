package dev.netc.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The optimization pipeline keeps the function: on random networks of conv/linear layers followed by batchnorms,
 * activations and residual adds (what the passes fold and fuse), poolings followed by a batchnorm, an activation
 * and a scale (what becomes an elementwise chain) and dropouts (what they remove), the optimized
 * graph interprets to exactly the same outputs, since the interpreter computes a fused node as the layers it
 * replaced. Also checks that fused nodes actually occur, so the property cannot pass vacuously.
 */
class OptimizedGraphProperties {
  @Provide
  Arbitrary<String> nets() { return Arbitraries.randomValue(OptimizedGraphProperties::net); }

  @Property(tries = 60)
  void optimizedGraphsComputeTheSameOutputs(@ForAll("nets") String source) {
    Graph g = InterpreterNets.compile(source);
    Graph opt = Pipeline.run(g);
    Weights w = Weights.random(g, 21);
    int[] dims = TensorValue.fullDims(g.node(g.inputs().getFirst()).type(), 2);
    float[] x = new float[Math.toIntExact(g.node(g.inputs().getFirst()).type().elements(2))];
    Random r = new Random(x.length);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    Map<String, Tensor> in = Map.of("x", Tensor.of(x, dims));
    Map<String, Tensor> want = new Interpreter(g, w).run(in);
    Map<String, Tensor> got = new Interpreter(opt, w).run(in);
    assertEquals(want.keySet(), got.keySet());
    for (String name : want.keySet()) assertArrayEquals(want.get(name).data(), got.get(name).data(), name);
    assertEquals(true, opt.nodes().stream().anyMatch(n -> n.op() instanceof Fused), "nothing was fused:\n" + source);
  }

  static String net(Random r) {
    int c = 2 + r.nextInt(3);
    // The stem's width: blocks below change c as they go.
    int stem = c;
    int size = 3 + r.nextInt(4);
    List<String> body = new ArrayList<>();
    int blocks = 1 + r.nextInt(3);
    for (int i = 0; i < blocks; i++) {
      switch (r.nextInt(5)) {
        case 0 -> {
          int out = 1 + r.nextInt(4);
          body.add("conv(" + out + ", 3, pad: 1, bias: " + r.nextBoolean() + "); batchnorm; "
              + List.of("relu", "relu6", "sigmoid", "leaky_relu(0.1)").get(r.nextInt(4)));
          c = out;
        }
        case 1 -> body.add("residual { conv(" + c + ", 3, pad: 1, bias: false); batchnorm; relu; conv(" + c
            + ", 1); batchnorm }; relu");
        case 2 -> body.add("dropout(0.3); conv(" + c + ", 1); hardswish");
        // An elementwise chain: what follows a pooling fuses into one pass, not into a kernel.
        case 3 -> body.add("avgpool(3, stride: 1, pad: 1); batchnorm; relu6; scale(0.5, shift: 0.25)");
        default -> {
          body.add("conv_transpose(" + c + ", 2, stride: 2); batchnorm; tanh; maxpool(2)");
        }
      }
    }
    body.add("global_avgpool; flatten; linear(" + (1 + r.nextInt(4)) + "); batchnorm; relu");
    return "network n {\n  input x: [" + (1 + r.nextInt(3)) + ", " + size + ", " + size + "]\n  conv(" + stem
        + ", 1)\n  " + String.join("\n  ", body) + "\n}\n";
  }
}
