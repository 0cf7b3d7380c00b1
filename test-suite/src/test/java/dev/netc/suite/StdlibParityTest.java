package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.Totals;
import dev.netc.compiler.diag.DiagnosticRenderer;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Attention;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.ParamSpec;
import dev.netc.compiler.ops.Value;
import dev.netc.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The standard library against torchvision: every model of {@code torchvision_counts.json} has a file
 * {@code stdlib-models/<name>.net} declaring {@code network <name>} whose parameters, buffers and MACs (convolution,
 * linear and attention multiply-accumulates, batch 1) equal torchvision's exactly, and whose convolution, linear and
 * multi-head attention layers carry torchvision's module names with the same output shapes, parameters and MACs.
 * Where whole torchvision weight files are at hand ({@code reference/models}), every state_dict key and shape must
 * match ours. Finally, every {@code .net} file of the library must elaborate without errors.
 */
class StdlibParityTest {
  private static final Map<String, Graph> GRAPHS = new ConcurrentHashMap<>();

  @TestFactory
  Stream<DynamicTest> totalsMatchTorchvision() throws IOException {
    return StdlibReference.load().stream().map(ref -> DynamicTest.dynamicTest(ref.name(), () -> {
      Graph g = graph(ref.name());
      assertEquals(ref.inputShape(), inputShape(g), ref.name() + ": declared input shape");
      assertEquals(1, g.outputs().size(), ref.name() + ": outputs " + g.outputs());
      assertEquals(ref.outputShape(), dims(g.node(g.outputs().getFirst().node())), ref.name() + ": output shape");
      Totals t = Totals.of(g, 1);
      assertEquals(List.of(ref.params(), ref.buffers(), ref.macs()), List.of(t.params(), t.buffers(), t.macs()),
          ref.name() + ": [params, buffers, MACs]");
    }));
  }

  @TestFactory
  Stream<DynamicTest> convAndLinearLayersMatchTorchvision() throws IOException {
    return StdlibReference.load().stream().map(ref -> DynamicTest.dynamicTest(ref.name(), () -> {
      Graph g = graph(ref.name());
      Map<String, Node> ours = new TreeMap<>();
      for (Node n : g.nodes()) {
        if (n.op() instanceof Conv || n.op() instanceof Linear || n.op() instanceof Attention) ours.put(n.path(), n);
      }
      List<String> problems = new ArrayList<>();
      for (StdlibReference.Layer l : ref.layers()) {
        Node n = ours.remove(l.name());
        if (n == null) {
          problems.add("missing " + l.type() + " " + l.name() + " " + l.outputShape());
          continue;
        }
        String want = l.outputShape() + " params " + l.params() + " MACs " + l.macs();
        String got = dims(n) + " params " + learned(n) + " MACs " + Totals.cost(g, n, 1).macs();
        if (!want.equals(got)) problems.add(l.name() + ": expected " + want + ", found " + got);
      }
      ours.keySet().forEach(extra -> problems.add("not in torchvision: " + extra));
      if (!problems.isEmpty()) fail(ref.name() + ":\n  " + String.join("\n  ", problems));
    }));
  }

  /** torchvision's whole state_dicts (with num_batches_tracked) where the reference has the weight files. */
  @TestFactory
  Stream<DynamicTest> stateDictKeysMatchTorchvisionWeights() throws IOException {
    Path models = Repo.reference().resolve("models");
    try (Stream<Path> files = Files.list(models)) {
      List<Path> weights = files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
      assertTrue(!weights.isEmpty(), "no torchvision weight files in " + models);
      return weights.stream().map(w -> DynamicTest.dynamicTest(w.getFileName().toString(), () -> {
        String name = w.getFileName().toString().replace(".safetensors", "");
        Map<String, String> want = new TreeMap<>();
        try (SafeTensors st = SafeTensors.open(w)) {
          for (String key : st.names()) want.put(key, Arrays.toString(st.entry(key).shape().dims()));
        }
        Map<String, String> got = new TreeMap<>();
        for (Param p : graph(name).params()) got.put(p.name(), Arrays.toString(p.shape().toArray()));
        assertEquals(want, got, name + ": state_dict keys and shapes");
      }));
    }
  }

  /** torchvision's counts with the auxiliary classifiers on (aux_logits=True), from its model documentation. */
  @Test
  void auxiliaryHeadsMatchTorchvision() {
    Map<String, Long> expected = Map.of("googlenet", 13_004_888L, "inception_v3", 27_161_264L);
    expected.forEach((name, params) -> {
      Graph g = compile(name, Map.of("aux_logits", new Value.Bool(true)));
      assertEquals(params, Totals.of(g, 1).params(), name + " with aux_logits");
      assertTrue(g.outputs().size() > 1, name + ": the auxiliary classifiers are extra heads");
    });
  }

  /**
   * Seed models torchvision lacks, against counts published for independent implementations of the same
   * architecture (the papers round theirs: "28.1M", "4.2M", "26M", "110M").
   */
  @TestFactory
  Stream<DynamicTest> seedModelsMatchIndependentCounts() {
    record Count(String model, long params, long buffers, String source) {}
    List<Count> counts = List.of(
        // timm seresnet50 / Cadene pretrainedmodels se_resnet50: ResNet-50 plus 2,530,992 SE parameters.
        new Count("se_resnet50", 28_088_024L, 53_120L, "timm seresnet50"),
        // Keras applications MobileNet(alpha=1.0): 4,231,976 trainable, 21,888 non-trainable (BN statistics).
        new Count("mobilenet_v1", 4_231_976L, 21_888L, "keras.applications.MobileNet"),
        // amdegroot/ssd.pytorch build_ssd('test', 300, 21), L2Norm included.
        new Count("ssd300", 26_285_486L, 0L, "ssd.pytorch SSD300"),
        // Hugging Face bert-base-uncased BertModel: embeddings 23,837,184 + encoder 85,054,464 + pooler 590,592.
        new Count("transformer_encoder", 109_482_240L, 0L, "bert-base-uncased BertModel"));
    return counts.stream().map(c -> DynamicTest.dynamicTest(c.model(), () -> {
      Totals t = Totals.of(graph(c.model()), 1);
      assertEquals(List.of(c.params(), c.buffers()), List.of(t.params(), t.buffers()),
          c.model() + ": [params, buffers] against " + c.source());
    }));
  }

  @TestFactory
  Stream<DynamicTest> everyLibraryFileElaborates() throws IOException {
    Path lib = Repo.root().resolve("stdlib-models");
    List<Path> files = new ArrayList<>();
    // The networks at the top level and the shared blocks under blocks/ (not build output under target/).
    try (Stream<Path> top = Files.list(lib); Stream<Path> blocks = Files.walk(lib.resolve("blocks"))) {
      Stream.concat(top, blocks).filter(p -> p.toString().endsWith(".net")).sorted().forEach(files::add);
    }
    assertTrue(files.size() > 23, "expected the whole library under " + lib + ", found " + files.size() + " files");
    return files.stream().map(f -> DynamicTest.dynamicTest(lib.relativize(f).toString(), () -> {
      Compilation r = compileOrFail(f, null, Map.of());
      boolean isBlockLibrary = lib.relativize(f).startsWith("blocks");
      if (!isBlockLibrary) {
        String expected = f.getFileName().toString().replace(".net", "");
        assertEquals(List.of(expected), r.graphs().stream().map(Graph::name).toList(),
            f + " declares exactly the network it is named after");
      }
      for (Graph g : r.graphs()) assertTrue(Totals.of(g, 1).params() >= 0);
    }));
  }

  /** Every torchvision-named file is checked: the JSON and the library agree on the list. */
  @Test
  void everyTorchvisionModelHasAFile() throws IOException {
    List<String> missing = StdlibReference.load().stream().map(StdlibReference::name)
        .filter(n -> !Files.isRegularFile(file(n))).toList();
    assertEquals(List.of(), missing, "torchvision models without a stdlib-models file");
  }

  // ---- helpers ----

  private static Graph graph(String name) {
    return GRAPHS.computeIfAbsent(name, n -> compile(n, Map.of()));
  }

  private static Graph compile(String name, Map<String, Value> params) {
    return compileOrFail(file(name), name, params).graphs().getFirst();
  }

  private static Compilation compileOrFail(Path file, String network, Map<String, Value> params) {
    try {
      return Compiler.compile(Compiler.Options.file(file).withNetwork(network).withParams(params));
    } catch (UserError e) {
      DiagnosticRenderer r = new DiagnosticRenderer(false);
      throw new AssertionError(file + " does not elaborate:\n"
          + e.diagnostics().stream().map(r::render).collect(Collectors.joining("\n")));
    }
  }

  private static Path file(String name) { return Repo.root().resolve("stdlib-models").resolve(name + ".net"); }

  private static List<Integer> inputShape(Graph g) {
    assertEquals(1, g.inputs().size(), g.name() + ": inputs");
    return dims(g.node(g.inputs().getFirst()));
  }

  private static List<Integer> dims(Node n) {
    int[] d = n.type().shape().toArray();
    return IntStream.of(d).boxed().toList();
  }

  private static long learned(Node n) {
    return n.params().stream().filter(p -> p.kind() == ParamSpec.Kind.LEARNED).mapToLong(p -> p.shape().elements())
        .sum();
  }
}
