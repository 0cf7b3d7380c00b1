package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Plan;
import dev.netc.compiler.plan.Planner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Networks named like a type the generated code names: its own nested types, java.lang's, the runtime's and the
 * JDK's it imports, and the driver's. Each such network's class is generated, compiled with {@code -Xlint:all
 * -Werror} together with its driver (in a package of its own, where the class hides any type of its name), loaded
 * and run once. The names are a fixed list plus every capitalized word in the generated code of the same network,
 * so a type that a new op starts to use is tried too.
 */
class ClassNameClashTest {
  /** One network whose code uses many kinds of steps: convolutions, pooling, two outputs, tokens, attention. */
  private static final String NET = """
      network NAME {
        input image: [3, 8, 8]
        input ids: [6]
        @image; c1: conv(8, 3, pad: 1); bn: batchnorm; relu; maxpool(2) -> p
        head a { global_avgpool; flatten; fc: linear(4); softmax }
        head b { conv(2, 1); sigmoid; concat(@p); upsample(2) }
        head t { @ids; emb: embedding(20, 16); pos: positional_embedding(8); ln: layernorm; attention(4); linear(16) }
      }
      """;
  private static final List<String> NAMES = List.of("Session", "Norm", "Source", "Outputs", "Math", "Integer",
      "System", "AtomicReference", "String", "Object", "Override", "Tensor", "Shape", "Float", "Thread", "Arrays",
      "Long", "Runnable", "Exception", "Class", "Record", "Bound", "Driver", "NetworkDriver", "NetworkSession",
      "Weights", "Executor", "Epilogue", "Helpers");

  private static Plan plan(String name) {
    Graph g = Generated.graph(NET.replace("NAME", name));
    return Planner.plan(Pipeline.run(g));
  }

  private static EmitOptions options(String name) {
    EmitOptions o = EmitOptions.of(name, "test", "test");
    return o.withPackage("clash." + o.className().toLowerCase(Locale.ROOT) + "_");
  }

  /** The fixed names and every capitalized identifier (not a constant) in the generated class. */
  private static TreeSet<String> names() {
    TreeSet<String> names = new TreeSet<>(NAMES);
    Matcher m = Pattern.compile("\\b[A-Z][A-Za-z0-9_]*\\b").matcher(JavaEmitter.emit(plan("probe"),
        options("probe")).toString());
    while (m.find()) {
      if (!m.group().equals(m.group().toUpperCase(Locale.ROOT))) names.add(m.group());
    }
    return names;
  }

  @Test
  void networksNamedLikeTypesTheGeneratedCodeUsesCompileAndRun() {
    TreeSet<String> names = names();
    assertTrue(names.size() > 60, names.toString());
    List<String> failed = new ArrayList<>();
    for (String name : names) {
      try {
        CompiledNetwork net = CompiledNetwork.compile(plan(name), options(name));
        try (NetworkSession s = net.newSession(net.randomWeights(1), 1, 1)) {
          s.forward(new float[][] {new float[3 * 8 * 8], new float[6]},
              new float[][] {new float[4], new float[10 * 8 * 8], new float[6 * 16]});
        }
      } catch (RuntimeException e) {
        failed.add(name + ": " + e.getMessage().lines().limit(3).toList());
      }
    }
    assertEquals(List.of(), failed, "of " + names.size() + " names");
  }

  @Test
  void aNetworkNamedLikeANestedTypeGetsASuffix() {
    assertEquals("SessionNetwork", EmitOptions.of("session", "", "").className());
    assertEquals("SourceNetwork", EmitOptions.of("Source", "", "").className());
    assertEquals("OutputsNetwork", EmitOptions.of("outputs", "", "").className());
    assertEquals("Sessions", EmitOptions.of("sessions", "", "").className());
    assertThrows(IllegalArgumentException.class, () -> new EmitOptions("p", "Session", "", ""));
  }
}
