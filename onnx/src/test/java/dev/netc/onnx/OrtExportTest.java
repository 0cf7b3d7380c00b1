package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compiler;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Export proven against a real peer: every PyTorch reference case of {@code test-suite/reference} (its
 * {@code .net} source and weights) and the stdlib's squeezenet1_1 and mobilenet_v2 with their reference weights,
 * exported to ONNX and run by ONNX Runtime, must reproduce PyTorch's outputs within the reference tolerance
 * {@code 1e-4 + 1e-3·|expected|}; the small cases must also agree with our own interpreter.
 */
class OrtExportTest {
  @TestFactory
  Stream<DynamicTest> referenceCases() throws IOException {
    Path ref = Repo.reference();
    List<DynamicTest> tests = new ArrayList<>();
    for (Object o : (List<?>) Json.parseObject(Files.readString(ref.resolve("MANIFEST.json"))).get("cases")) {
      Map<?, ?> c = (Map<?, ?>) o;
      tests.add(DynamicTest.dynamicTest((String) c.get("name"), () -> referenceCase(ref.resolve("cases"), c)));
    }
    if (tests.isEmpty()) fail("MANIFEST.json lists no cases");
    return tests.stream();
  }

  private static void referenceCase(Path cases, Map<?, ?> c) throws IOException {
    String name = (String) c.get("name");
    Graph g = compile(Repo.referenceNets().resolve(name + ".net"), name);
    Weights w = Weights.load(cases.resolve((String) c.get("weights")), g);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    ((Map<?, ?>) c.get("inputs")).forEach((k, v) -> inputs.put((String) k,
        read(cases.resolve((String) ((Map<?, ?>) v).get("file")))));
    List<Tensor> expected = new ArrayList<>();
    for (Object out : (List<?>) c.get("outputs")) expected.add(read(cases.resolve((String) ((Map<?, ?>) out).get("file"))));
    Map<String, Tensor> ort = Ort.run(OnnxExport.toModel(g, w).toByteArray(), inputs);
    compare(name + " ONNX Runtime vs PyTorch", ort, expected);
    compare(name + " ONNX Runtime vs interpreter", ort, List.copyOf(new Interpreter(g, w).run(inputs).values()));
  }

  @TestFactory
  Stream<DynamicTest> stdlibModels() {
    return Stream.of("squeezenet1_1", "mobilenet_v2").map(m -> DynamicTest.dynamicTest(m, () -> model(m)));
  }

  private static void model(String name) {
    Path models = Repo.reference().resolve("models");
    Graph g = compile(Repo.root().resolve("stdlib-models").resolve(name + ".net"), name);
    Weights w = Weights.load(models.resolve(name + ".safetensors"), g);
    String input = ((Input) g.node(g.inputs().getFirst()).op()).inputName();
    Map<String, Tensor> ort = Ort.run(OnnxExport.toModel(g, w).toByteArray(),
        Map.of(input, read(models.resolve("input_1x3x224x224.npy"))));
    compare(name + " ONNX Runtime vs PyTorch", ort, List.of(read(models.resolve(name + ".output.npy"))));
  }

  static Graph compile(Path file, String name) {
    List<Graph> graphs = Compiler.compile(file).graphs();
    List<Graph> named = graphs.stream().filter(x -> x.name().equals(name)).toList();
    if (named.size() == 1) return named.getFirst();
    assertEquals(1, graphs.size(), file + " should declare one network, or one named " + name);
    return graphs.getFirst();
  }

  static void compare(String what, Map<String, Tensor> got, List<Tensor> expected) {
    assertEquals(expected.size(), got.size(), what + ": number of outputs " + got.keySet());
    List<String> failures = new ArrayList<>();
    int i = 0;
    for (var e : got.entrySet()) {
      Tolerance t = Tolerance.of(what + " output " + e.getKey(), e.getValue(), expected.get(i++));
      System.out.println(what + ": output " + e.getKey() + ": " + t);
      if (!t.ok()) failures.add("output " + e.getKey() + ": " + t);
    }
    if (!failures.isEmpty()) fail(what + ":\n  " + String.join("\n  ", failures));
  }

  static Tensor read(Path p) {
    try {
      return Npy.read(p);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
