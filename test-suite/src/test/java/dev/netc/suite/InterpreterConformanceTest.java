package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.interp.Execution;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Json;
import dev.netc.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The reference interpreter against PyTorch: every case of {@code test-suite/reference/MANIFEST.json}, written in
 * {@code reference/<case>.net}, run on the case's weights and inputs; and the two torchvision models of
 * {@code models/MANIFEST.json} through {@code stdlib-models/<model>.net}. Every output must agree element-wise
 * within {@code 1e-4 + 1e-3·|expected|}; each run prints its largest error. Each case also runs after the
 * optimization pipeline, and every run's executed MACs must equal the cost model's. A missing {@code .net} file fails
 * with a message saying so: a case is never skipped.
 */
class InterpreterConformanceTest {
  @TestFactory
  Stream<DynamicTest> referenceCases() throws IOException {
    Path ref = Repo.reference();
    List<DynamicTest> tests = new ArrayList<>();
    for (Object o : (List<?>) Json.parseObject(Files.readString(ref.resolve("MANIFEST.json"))).get("cases")) {
      Map<?, ?> c = (Map<?, ?>) o;
      String name = (String) c.get("name");
      tests.add(DynamicTest.dynamicTest(name, () -> referenceCase(ref.resolve("cases"), c)));
    }
    if (tests.isEmpty()) fail("MANIFEST.json lists no cases");
    return tests.stream();
  }

  private static void referenceCase(Path cases, Map<?, ?> c) throws IOException {
    String name = (String) c.get("name");
    Path file = Repo.resources().resolve("reference").resolve(name + ".net");
    assertTrue(Files.isRegularFile(file), "reference case " + name + " is not written in .net yet: no " + file);
    Compilation.Network n = compile(file, name);
    Graph g = n.graph();
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    ((Map<?, ?>) c.get("inputs")).forEach((k, v) -> inputs.put((String) k, read(cases.resolve((String) ((Map<?, ?>) v)
        .get("file")))));
    List<Tensor> expected = new ArrayList<>();
    for (Object out : (List<?>) c.get("outputs")) expected.add(read(cases.resolve((String) ((Map<?, ?>) out).get("file"))));
    Weights w = Weights.load(cases.resolve((String) c.get("weights")), g);
    Map<String, Tensor> in = byGraphNames(g, inputs);
    compare(name, g, execute(g, w, in), expected);
    // The optimized graph (folded batchnorms, fused epilogues) must compute the same function.
    Graph optimized = n.optimized();
    compare(name + " (optimized)", optimized, execute(optimized, w, in), expected);
  }

  /** Runs the graph, checking on the way that the MACs its kernels executed are the cost model's. */
  private static Map<String, Tensor> execute(Graph g, Weights w, Map<String, Tensor> inputs) {
    Execution e = new Interpreter(g, w).execute(inputs);
    assertEquals(Totals.of(g, e.batch()).macs(), e.macs(), g.name() + ": MACs executed vs the cost model");
    return e.outputs();
  }

  @TestFactory
  Stream<DynamicTest> torchvisionModels() throws IOException {
    Path models = Repo.reference().resolve("models");
    Map<?, ?> manifest = (Map<?, ?>) Json.parseObject(Files.readString(models.resolve("MANIFEST.json"))).get("models");
    if (manifest.isEmpty()) fail("models/MANIFEST.json lists no models");
    return manifest.keySet().stream().map(k -> (String) k)
        .map(name -> DynamicTest.dynamicTest(name, () -> model(models, name)));
  }

  private static void model(Path models, String name) throws IOException {
    Path file = Repo.root().resolve("stdlib-models").resolve(name + ".net");
    assertTrue(Files.isRegularFile(file), "model " + name + " is not in the stdlib yet: no " + file);
    Graph g = compile(file, name).graph();
    Weights w = Weights.load(models.resolve(name + ".safetensors"), g);
    Tensor input = read(models.resolve("input_1x3x224x224.npy"));
    assertEquals(1, g.inputs().size(), name + " should have one input");
    Map<String, Tensor> out = execute(g, w, Map.of(inputName(g, g.inputs().getFirst()), input));
    compare(name, g, out, List.of(read(models.resolve(name + ".output.npy"))));
  }

  /** The network named like the case or model (or the file's only network), or a failure with the diagnostics. */
  private static Compilation.Network compile(Path file, String name) {
    try {
      List<Compilation.Network> nets = Compiler.compile(file).networks();
      List<Compilation.Network> named = nets.stream().filter(n -> n.name().equals(name)).toList();
      if (named.size() == 1) return named.getFirst();
      assertEquals(1, nets.size(), file.getFileName() + " should declare one network, or one named " + name);
      return nets.getFirst();
    } catch (UserError e) {
      throw new AssertionError(file.getFileName() + " does not compile:\n  "
          + e.diagnostics().stream().map(Diagnostic::headline).collect(Collectors.joining("\n  ")));
    }
  }

  /** The case's inputs under the graph's input names: by name where they agree, else in declaration order. */
  private static Map<String, Tensor> byGraphNames(Graph g, Map<String, Tensor> inputs) {
    List<String> names = g.inputs().stream().map(id -> inputName(g, id)).toList();
    if (names.containsAll(inputs.keySet())) return inputs;
    assertEquals(inputs.size(), names.size(), "the network's inputs " + names + " vs the case's " + inputs.keySet());
    Map<String, Tensor> m = new LinkedHashMap<>();
    List<Tensor> values = List.copyOf(inputs.values());
    for (int i = 0; i < names.size(); i++) m.put(names.get(i), values.get(i));
    return m;
  }

  private static String inputName(Graph g, int id) { return ((Input) g.node(id).op()).inputName(); }

  /** Outputs in the graph's order against the expected files in theirs. */
  private static void compare(String name, Graph g, Map<String, Tensor> got, List<Tensor> expected) {
    assertEquals(expected.size(), got.size(), name + ": number of outputs " + got.keySet());
    List<String> failures = new ArrayList<>();
    int i = 0;
    for (var e : got.entrySet()) {
      InterpCompare cmp;
      try {
        cmp = InterpCompare.of(e.getValue(), expected.get(i));
      } catch (AssertionError shape) {
        throw new AssertionError(name + " output " + e.getKey() + ": " + shape.getMessage());
      }
      System.out.println("interpreter vs PyTorch: " + name + " output " + e.getKey() + ": " + cmp.describe());
      if (!cmp.ok()) failures.add("output " + e.getKey() + " (#" + i + "): " + cmp.describe());
      i++;
    }
    if (!failures.isEmpty()) fail(name + " (" + g.name() + ") differs from PyTorch:\n  " + String.join("\n  ", failures));
  }

  private static Tensor read(Path p) {
    try {
      return Npy.read(p);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
