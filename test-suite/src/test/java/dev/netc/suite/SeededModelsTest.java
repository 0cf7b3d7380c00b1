package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ops.Value;
import dev.netc.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole torchvision models on seeded weights ({@code test-suite/reference/seeded}, made by
 * {@code generate.py seeded}): the weights are regenerated here from each model's recipe ({@link SeededWeights}),
 * the stdlib model ({@code stdlib-models/NAME.net}) is compiled to Java, loaded with them by name, run on the
 * recipe's input and compared with PyTorch's output within {@code |got − expected| ≤ 1e-4 + 1e-3·|expected|}. The
 * recipes also pin every state_dict key and shape of these models.
 */
class SeededModelsTest {
  /** The seeded models of the default test run: add a model's name here and to generate.py's SEEDED_MODELS. */
  static final List<String> MODELS = List.of("vit_b_16", "convnext_tiny", "deeplabv3_resnet50", "swin_t");

  /** Network parameters of models whose recipe has another input size than the model's default (SEEDED_SPECS). */
  static final Map<String, Map<String, Value>> PARAMS = Map.of("deeplabv3_resnet50", Map.of("size", new Value.Int(128)));

  private static Path folder() { return Repo.reference().resolve("seeded"); }

  /** Values numpy computes with generate.py's seeded_values (printed there, written here as exact floats). */
  @Test
  void generatorMatchesNumpy() {
    // splitmix64 of 0 is the generator's well-known first output for seed 0.
    assertEquals(0xE220A8397B1DCDAFL, SeededWeights.splitmix64(0));
    assertEquals(0x910A2DEC89025CC1L, SeededWeights.splitmix64(1));
    assertEquals(0x481EC0A212A9F3DBL, SeededWeights.splitmix64(Long.MIN_VALUE));
    assertEquals(0xCBF29CE484222325L, SeededWeights.fnv1a64(""));
    assertEquals(0x81A765CDF6FAF42BL, SeededWeights.fnv1a64("conv_proj.weight"));
    assertArrayEquals(new float[] {0x1.495edp-7f, 0x1.bbb088p-6f, 0x1.e59b98p-5f, 0x1.00b43p-7f, -0x1.a348f8p-5f},
        SeededWeights.values("conv_proj.weight", 5, -0.0625, 0.0625));
    assertArrayEquals(new float[] {0x1.2a51a2p-1f, 0x1.2fb3ap+0f, 0x1.019eecp+0f},
        SeededWeights.values("encoder.layers.encoder_layer_0.ln_1.weight", 3, 0.5, 1.5));
    float[] many = SeededWeights.values("x", 1_000_003, -1, 1);
    assertEquals(0x1.378e3p-1f, many[1_000_002]);
    double sum = 0;
    for (float v : many) sum += v;
    assertEquals(299.7828496694565, sum, 1e-6, "sum of the million values in double (numpy sums pairwise)");
  }

  /** Every recipe in the folder is run by default; a stray recipe or a listed model without one fails. */
  @Test
  void everyRecipeIsListed() throws IOException {
    try (Stream<Path> files = Files.list(folder())) {
      List<String> recipes = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".recipe.json"))
          .map(f -> f.substring(0, f.length() - ".recipe.json".length())).sorted().toList();
      assertEquals(MODELS.stream().sorted().toList(), recipes, "recipes in " + folder() + " against MODELS");
    }
  }

  /** torchvision's state_dict keys and shapes, in the recipe, against the stdlib model's parameters. */
  @TestFactory
  Stream<DynamicTest> stateDictKeysMatchRecipes() {
    return MODELS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      SeededWeights.Recipe recipe = SeededWeights.read(folder(), name);
      Map<String, String> want = new TreeMap<>();
      for (SeededWeights.Entry e : recipe.entries()) want.put(e.name(), e.shapeText());
      Map<String, String> got = new TreeMap<>();
      for (Param p : network(name).graph().params()) got.put(p.name(), Arrays.toString(p.shape().toArray()));
      assertEquals(want, got, name + ": state_dict keys and shapes");
    }));
  }

  @TestFactory
  Stream<DynamicTest> seededModelsMatchPyTorch(@TempDir Path tmp) {
    return MODELS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      SeededWeights.Recipe recipe = SeededWeights.read(folder(), name);
      Path weights = tmp.resolve(name + ".safetensors");
      SeededWeights.write(recipe, weights);
      try {
        GeneratedConformanceTest.check(name, network(name), weights, List.of(Npy.read(recipe.input())),
            List.of(Npy.read(recipe.output())));
      } finally {
        Files.deleteIfExists(weights);
      }
    }));
  }

  /**
   * The comparison sees the weights: ConvNeXt with the stem's LayerNorm2d scale ({@code features.0.1.weight}, the
   * first tensor after the patchify conv) drawn in [0.5, 1.6] instead of [0.5, 1.5] no longer matches PyTorch.
   */
  @Test
  void aPerturbedWeightFails(@TempDir Path tmp) throws IOException {
    String name = "convnext_tiny";
    SeededWeights.Recipe recipe = SeededWeights.read(folder(), name);
    String target = "features.0.1.weight";
    List<SeededWeights.Entry> perturbed = recipe.entries().stream().map(e -> !e.name().equals(target) ? e
        : new SeededWeights.Entry(e.name(), e.shape(), e.lo(), e.hi() + 0.1, e.buffer())).toList();
    assertEquals(List.of(1.5), recipe.entries().stream().filter(e -> e.name().equals(target))
        .map(SeededWeights.Entry::hi).toList(), "the recipe's range of " + target);
    Path weights = tmp.resolve(name + ".safetensors");
    SeededWeights.write(new SeededWeights.Recipe(name, perturbed, recipe.buffers(), recipe.input(), recipe.output()),
        weights);
    AssertionError e = assertThrows(AssertionError.class, () -> GeneratedConformanceTest.check(name,
        network(name), weights, List.of(Npy.read(recipe.input())), List.of(Npy.read(recipe.output()))));
    assertTrue(e.getMessage().contains("elements outside"), e.getMessage());
  }

  private static final Map<String, Compilation.Network> NETWORKS = new LinkedHashMap<>();

  private static synchronized Compilation.Network network(String name) {
    return NETWORKS.computeIfAbsent(name, n -> {
      Path file = Repo.root().resolve("stdlib-models").resolve(n + ".net");
      Map<String, Value> params = PARAMS.getOrDefault(n, Map.of());
      if (params.isEmpty()) return GeneratedConformanceTest.network(file, n);
      try {
        return Compiler.compile(Compiler.Options.file(file).withNetwork(n).withParams(params)).networks().getFirst();
      } catch (UserError e) {
        throw new AssertionError(file.getFileName() + " does not compile with " + params + ":\n  "
            + e.diagnostics().stream().map(Diagnostic::headline).collect(Collectors.joining("\n  ")));
      }
    });
  }
}
