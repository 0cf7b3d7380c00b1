package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.Shape;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The 34 PyTorch reference cases of {@code test-suite/reference/MANIFEST.json}, each written in {@code .net} under
 * {@code reference/<case>.net}: the file must elaborate to a network named like the case whose parameter tensors
 * are exactly PyTorch's {@code state_dict} (names and shapes), whose inputs are named and shaped like the case's
 * input files (batched inputs without their leading batch dimension, RoI boxes unbatched), and whose outputs, in
 * order, have the shapes of the expected output files. A case the language cannot express yet fails here with the
 * compiler's diagnostics, which name the construct; it is never skipped.
 */
class ReferenceCaseTest {
  /** Inputs that carry no batch dimension (RoI boxes [K, 5]); every other input is batch first. */
  private static final String BOXES = "boxes";

  /** One case of the manifest, reduced to what elaboration can be checked against. */
  record Case(String name, Map<String, List<Integer>> params, Map<String, List<Integer>> inputs,
      List<List<Integer>> outputs) {
    boolean hasBoxes() { return inputs.containsKey(BOXES); }

    /** The batch size of the case: the leading dim of its first batched input. */
    int batch() {
      return inputs.entrySet().stream().filter(e -> !e.getKey().equals(BOXES)).findFirst()
          .orElseThrow(() -> new AssertionError(name + " has no batched input")).getValue().getFirst();
    }
  }

  @TestFactory
  Stream<DynamicTest> referenceCases() throws IOException {
    List<Case> cases = manifest();
    if (cases.isEmpty()) fail("MANIFEST.json lists no cases");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(Case c) {
    Path file = Repo.resources().resolve("reference").resolve(c.name() + ".net");
    assertTrue(Files.isRegularFile(file), "no .net file for reference case " + c.name() + " at " + file);
    Graph g = elaborate(c, file);
    checkParams(c, g);
    checkInputs(c, g);
    checkOutputs(c, g);
  }

  private static Graph elaborate(Case c, Path file) {
    Compilation r;
    try {
      r = Compiler.compile(file);
    } catch (UserError e) {
      throw new AssertionError("reference case " + c.name() + " does not elaborate:\n  "
          + e.diagnostics().stream().map(Diagnostic::headline).collect(Collectors.joining("\n  ")));
    }
    List<Graph> named = r.graphs().stream().filter(x -> x.name().equals(c.name())).toList();
    assertEquals(1, named.size(), file.getFileName() + " must declare exactly one network named " + c.name());
    return named.getFirst();
  }

  private static void checkParams(Case c, Graph g) {
    Map<String, List<Integer>> got = new TreeMap<>();
    for (Param p : g.params()) {
      // A layer applied again (reuse) carries the same tensors: one name, one shape.
      List<Integer> seen = got.putIfAbsent(p.name(), dims(p.shape()));
      assertTrue(seen == null || seen.equals(dims(p.shape())), c.name() + ": parameter " + p.name()
          + " has two shapes");
    }
    Map<String, List<Integer>> want = new TreeMap<>(c.params());
    if (!got.equals(want)) {
      List<String> problems = new ArrayList<>();
      want.forEach((k, v) -> {
        if (!got.containsKey(k)) problems.add("missing " + k + " " + v);
        else if (!got.get(k).equals(v)) problems.add(k + ": PyTorch " + v + ", .net " + got.get(k));
      });
      got.forEach((k, v) -> {
        if (!want.containsKey(k)) problems.add("not in PyTorch's state_dict: " + k + " " + v);
      });
      fail(c.name() + ": parameters differ from PyTorch's state_dict:\n  " + String.join("\n  ", problems));
    }
  }

  private static void checkInputs(Case c, Graph g) {
    Map<String, TensorType> got = new LinkedHashMap<>();
    for (int id : g.inputs()) {
      Input in = (Input) g.node(id).op();
      got.put(in.inputName(), in.type());
    }
    assertEquals(List.copyOf(c.inputs().keySet()), List.copyOf(got.keySet()), c.name() + ": input names, in order");
    c.inputs().forEach((name, shape) -> {
      TensorType t = got.get(name);
      if (name.equals(BOXES)) {
        assertFalse(t.batched(), c.name() + ": input " + name + " must be declared unbatched");
        assertEquals(shape, dims(t.shape()), c.name() + ": shape of input " + name);
      } else {
        assertTrue(t.batched(), c.name() + ": input " + name + " must be batched (batch first)");
        assertEquals(shape.subList(1, shape.size()), dims(t.shape()), c.name() + ": shape of input " + name
            + " without the batch dimension");
      }
    });
  }

  private static void checkOutputs(Case c, Graph g) {
    List<Graph.Output> outs = g.outputs();
    assertEquals(c.outputs().size(), outs.size(), c.name() + ": number of outputs");
    for (int k = 0; k < outs.size(); k++) {
      Graph.Output o = outs.get(k);
      String expectedName = "output" + k;
      assertTrue(o.name().equals(expectedName) || outs.size() == 1 && o.name().equals("output"),
          c.name() + ": output " + k + " is named " + o.name() + ", expected " + expectedName
              + (outs.size() == 1 ? " or output" : ""));
      TensorType t = g.node(o.node()).type();
      // RoI heads work on the boxes: their outputs are [K, ...] with no batch; everything else is batch first.
      boolean batched = !c.hasBoxes();
      assertEquals(batched, t.batched(), c.name() + ": output " + o.name() + " is " + t + ", expected "
          + (batched ? "a batched tensor" : "an unbatched [K, ...] tensor"));
      List<Integer> full = new ArrayList<>();
      if (batched) full.add(c.batch());
      full.addAll(dims(t.shape()));
      assertEquals(c.outputs().get(k), full, c.name() + ": shape of output " + o.name()
          + (batched ? " (with the case's batch " + c.batch() + " first)" : ""));
    }
  }

  private static List<Integer> dims(Shape s) {
    List<Integer> d = new ArrayList<>(s.rank());
    for (int i = 0; i < s.rank(); i++) d.add(s.dim(i));
    return d;
  }

  // ---- the manifest ----

  @SuppressWarnings("unchecked")
  private static List<Case> manifest() throws IOException {
    Map<String, Object> root = Json.parseObject(Files.readString(Repo.reference().resolve("MANIFEST.json")));
    List<Case> cases = new ArrayList<>();
    for (Object o : (List<Object>) root.get("cases")) {
      Map<String, Object> m = (Map<String, Object>) o;
      Map<String, List<Integer>> params = new LinkedHashMap<>();
      ((Map<String, Object>) m.get("parameters")).forEach((k, v) -> params.put(k, ints(v)));
      Map<String, List<Integer>> inputs = new LinkedHashMap<>();
      ((Map<String, Object>) m.get("inputs")).forEach((k, v) -> inputs.put(k, ints(((Map<String, Object>) v).get("shape"))));
      List<List<Integer>> outputs = new ArrayList<>();
      for (Object out : (List<Object>) m.get("outputs")) outputs.add(ints(((Map<String, Object>) out).get("shape")));
      cases.add(new Case((String) m.get("name"), params, inputs, outputs));
    }
    return cases;
  }

  private static List<Integer> ints(Object jsonArray) {
    List<Integer> out = new ArrayList<>();
    for (Object x : (List<?>) jsonArray) out.add(Math.toIntExact((Long) x));
    return out;
  }
}
