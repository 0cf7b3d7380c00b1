package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.emit.java.NetworkSession;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Json;
import dev.netc.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Generated Java against PyTorch: every reference case of {@code test-suite/reference/MANIFEST.json} (its
 * {@code reference/<case>.net}) compiled through the optimizer, planner and Java emitter, loaded with the case's
 * safetensors weights by name, run on the case's inputs, and compared with PyTorch's outputs element-wise within
 * {@code |got − expected| ≤ 1e-4 + 1e-3·|expected|}; then the stdlib SqueezeNet 1.1 and MobileNetV2 with the
 * torchvision weights of {@code models/}. A case that cannot be compiled or run fails with the reason.
 */
class GeneratedConformanceTest {
  private static final double ATOL = 1e-4;
  private static final double RTOL = 1e-3;

  @TestFactory
  Stream<DynamicTest> referenceCases() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map<String, Object> c : cases()) {
      String name = (String) c.get("name");
      tests.add(DynamicTest.dynamicTest(name, () -> runCase(name, c)));
    }
    if (tests.isEmpty()) fail("MANIFEST.json lists no cases");
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> torchvisionModels() {
    return Stream.of("squeezenet1_1", "mobilenet_v2").map(m -> DynamicTest.dynamicTest(m, () -> runModel(m)));
  }

  @SuppressWarnings("unchecked")
  private static void runCase(String name, Map<String, Object> c) throws IOException {
    Path cases = Repo.reference().resolve("cases");
    Path file = Repo.resources().resolve("reference").resolve(name + ".net");
    Compilation.Network n = network(file, name);
    Graph g = n.graph();
    Map<String, Object> inputs = (Map<String, Object>) c.get("inputs");
    List<Tensor> in = new ArrayList<>();
    for (int id : g.inputs()) {
      String input = ((Input) g.node(id).op()).inputName();
      Map<String, Object> spec = (Map<String, Object>) inputs.get(input);
      assertTrue(spec != null, name + ": the case has no input named " + input);
      in.add(Npy.read(cases.resolve((String) spec.get("file"))));
    }
    List<Tensor> expected = new ArrayList<>();
    for (Object o : (List<Object>) c.get("outputs")) {
      expected.add(Npy.read(cases.resolve((String) ((Map<String, Object>) o).get("file"))));
    }
    check(name, n, cases.resolve((String) c.get("weights")), in, expected);
  }

  private static void runModel(String model) throws IOException {
    Path models = Repo.reference().resolve("models");
    Path file = Repo.root().resolve("stdlib-models").resolve(model + ".net");
    check(model, network(file, model), models.resolve(model + ".safetensors"), List.of(Npy.read(models.resolve("input_1x3x224x224.npy"))),
        List.of(Npy.read(models.resolve(model + ".output.npy"))));
  }

  static Compilation.Network network(Path file, String network) {
    try {
      return Compiler.compile(Compiler.Options.file(file).withNetwork(network)).networks().getFirst();
    } catch (UserError e) {
      throw new AssertionError(file.getFileName() + " does not compile:\n  "
          + e.diagnostics().stream().map(Diagnostic::headline).collect(Collectors.joining("\n  ")));
    }
  }

  /** Compiles, loads the weights by name, runs once and compares every output. */
  static void check(String name, Compilation.Network n, Path weights, List<Tensor> inputs,
      List<Tensor> expected) throws IOException {
    Graph g = n.graph();
    CompiledNetwork net = n.compiled();
    Object model = net.load(weights);
    int batch = batch(g, inputs);
    float[][] in = inputs.stream().map(Tensor::data).toArray(float[][]::new);
    assertEquals(expected.size(), g.outputs().size(), name + ": number of outputs");
    float[][] out = new float[expected.size()][];
    for (int i = 0; i < out.length; i++) {
      TensorType t = g.node(g.outputs().get(i).node()).type();
      out[i] = new float[Math.toIntExact(t.elements(batch))];
      assertEquals(expected.get(i).data().length, out[i].length, name + ": size of output " + i);
    }
    try (NetworkSession s = net.newSession(model, batch, 2)) {
      s.forward(in, out);
    }
    for (int i = 0; i < out.length; i++) compare(name + " output " + i, expected.get(i).data(), out[i]);
  }

  private static int batch(Graph g, List<Tensor> inputs) {
    for (int i = 0; i < inputs.size(); i++) {
      if (g.node(g.inputs().get(i)).type().batched()) return inputs.get(i).shape().dim(0);
    }
    return 1;
  }

  private static void compare(String what, float[] want, float[] got) {
    StringBuilder bad = new StringBuilder();
    int count = 0;
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      double err = Math.abs((double) got[i] - want[i]);
      double allowed = ATOL + RTOL * Math.abs(want[i]);
      if (!(err <= allowed)) {
        worst = Math.max(worst, err);
        if (count++ < 5) bad.append(String.format("%n  [%d] expected %.7g, got %.7g", i, want[i], got[i]));
      }
    }
    if (count > 0) {
      fail(what + ": " + count + " of " + want.length + " elements outside |got - expected| <= 1e-4 + 1e-3 |expected|"
          + " (worst error " + worst + ")" + bad);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cases() throws IOException {
    Map<String, Object> root = Json.parseObject(Files.readString(Repo.reference().resolve("MANIFEST.json")));
    return ((List<Object>) root.get("cases")).stream().map(o -> (Map<String, Object>) o).toList();
  }
}
