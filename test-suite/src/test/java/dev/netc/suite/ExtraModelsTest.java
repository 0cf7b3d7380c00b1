package dev.netc.suite;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.io.Json;
import dev.netc.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in: the larger torchvision models made on demand into {@code test-suite/reference/extra} (never committed)
 * by {@code generate.py models --extra NAME ...}, each run as generated Java against PyTorch's output, as
 * {@link GeneratedConformanceTest} does for the two committed models. Run with
 * {@code ./mvnw -pl test-suite -am verify -Preference-extra -Dtest=ExtraModelsTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "netc.reference.extra", matches = "true")
class ExtraModelsTest {
  @TestFactory
  @SuppressWarnings("unchecked")
  Stream<DynamicTest> extraModelsMatchPyTorch() throws IOException {
    Path extra = Repo.reference().resolve("extra");
    Path manifest = extra.resolve("MANIFEST.json");
    assumeTrue(Files.isRegularFile(manifest),
        "no extra models: run /usr/bin/python3 test-suite/reference/generate.py models --extra resnet50 first");
    Map<String, Object> models = (Map<String, Object>) Json.parseObject(Files.readString(manifest)).get("models");
    return models.keySet().stream().sorted().map(name -> DynamicTest.dynamicTest(name, () -> {
      Path net = Repo.root().resolve("stdlib-models").resolve(name + ".net");
      assumeTrue(Files.isRegularFile(net), "no stdlib model " + name + ".net");
      Compilation.Network n = GeneratedConformanceTest.network(net, name);
      Graph g = n.graph();
      TensorType in = g.node(g.inputs().getFirst()).type();
      String dims = IntStream.range(0, in.shape().rank()).mapToObj(i -> String.valueOf(in.shape().dim(i)))
          .collect(Collectors.joining("x"));
      Path input = extra.resolve("input_1x" + dims + ".npy");
      GeneratedConformanceTest.check(name, n, extra.resolve(name + ".safetensors"), List.of(Npy.read(input)),
          List.of(Npy.read(extra.resolve(name + ".output.npy"))));
    }));
  }
}
