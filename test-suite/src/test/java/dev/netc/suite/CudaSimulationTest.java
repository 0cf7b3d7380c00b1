package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.cuda.CudaEmitter;
import dev.netc.compiler.emit.cuda.CudaProgram;
import dev.netc.compiler.emit.cuda.CudaUnsupportedException;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ops.Value;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Json;
import dev.netc.runtime.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The CUDA back end without a GPU: every reference case, ResNet-18 and MobileNetV2 from the stdlib at a small
 * input size, and the stdlib's LSTM language model and BERT encoder with small parameters, compiled to CUDA kernels, run through the CPU simulation ({@code netc_sim.h}, the host {@code g++})
 * and compared with the interpreter within the reference tolerance. The cases whose ops have no CUDA kernel yet
 * are listed in {@link #UNSUPPORTED}: for them the compiler must refuse with a message naming the op, and a listed
 * case that compiles fails the test until it is removed from the list. Skipped, saying so, without {@code g++}.
 */
class CudaSimulationTest {
  /** Reference cases with an op that has no CUDA kernel yet, with that op. */
  private static final Map<String, String> UNSUPPORTED = Map.of();

  private static Path work() { return Repo.root().resolve("test-suite/target/cuda-sim"); }

  @TestFactory
  Stream<DynamicTest> referenceCases() throws Exception {
    Path ref = Repo.reference();
    List<DynamicTest> tests = new ArrayList<>();
    for (Object o : (List<?>) Json.parseObject(Files.readString(ref.resolve("MANIFEST.json"))).get("cases")) {
      Map<?, ?> c = (Map<?, ?>) o;
      tests.add(DynamicTest.dynamicTest((String) c.get("name"), () -> referenceCase(ref.resolve("cases"), c)));
    }
    return tests.stream();
  }

  private static void referenceCase(Path cases, Map<?, ?> c) throws Exception {
    String name = (String) c.get("name");
    Compilation.Network n = network(Compiler.Options.file(Repo.resources().resolve("reference/" + name + ".net")), name);
    if (UNSUPPORTED.containsKey(name)) {
      try {
        CudaEmitter.emit(n.plan());
        fail(name + " compiles for CUDA now: remove it from UNSUPPORTED");
      } catch (CudaUnsupportedException e) {
        System.out.println("cuda simulation: " + name + " not supported yet: " + e.getMessage());
        assertTrue(e.getMessage().contains("'" + UNSUPPORTED.get(name)), e.getMessage());
        return;
      }
    }
    assumeTrue(CudaSim.gppPresent(), "g++ is not on this machine: the CUDA simulation test is skipped");
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    ((Map<?, ?>) c.get("inputs")).forEach((k, v) -> inputs.put((String) k,
        npy(cases.resolve((String) ((Map<?, ?>) v).get("file")))));
    Weights w = Weights.load(cases.resolve((String) c.get("weights")), n.graph());
    compare(name, n, w, inputs);
  }

  @TestFactory
  Stream<DynamicTest> stdlibModels() {
    return Stream.of(
        DynamicTest.dynamicTest("resnet18 at 64x64, batch 2", () -> model("resnet18", 64, 2)),
        DynamicTest.dynamicTest("mobilenet_v2 at 64x64, batch 1", () -> model("mobilenet_v2", 64, 1)),
        DynamicTest.dynamicTest("convnext_tiny at 32x32, batch 1", () -> model("convnext_tiny", 32, 1)),
        DynamicTest.dynamicTest("lstm_lm (vocab 50, 2 layers of 24, 7 steps), batch 2",
            () -> tokens("lstm_lm", Map.of("vocab", 50, "hidden", 24, "steps", 7), Map.of("words", 50), 2)),
        DynamicTest.dynamicTest("transformer_encoder (2 layers, 32 wide, 4 heads, 9 tokens), batch 2",
            () -> tokens("transformer_encoder", Map.of("vocab", 40, "layers", 2, "hidden", 32, "heads", 4, "tokens", 9,
                "positions", 12), Map.of("input_ids", 40, "token_type_ids", 2), 2)),
        DynamicTest.dynamicTest("sequence ops without biases, stacked, odd sizes, batch 3", CudaSimulationTest::sequences),
        DynamicTest.dynamicTest("max pooling indices and unpooling on NaN, -inf and ties, batch 2",
            CudaSimulationTest::poolIndices));
  }

  /**
   * What the {@code unpooling} reference case leaves out of the indices and unpooling kernels: NaN in windows (the
   * last NaN wins), windows of -inf only (the first position inside), ties, padding and dilation. The indices are
   * compared exactly; unpooling the indices themselves checks every position the gather finds.
   */
  private static void poolIndices() throws Exception {
    assumeTrue(CudaSim.gppPresent(), "g++ is not on this machine: the CUDA simulation test is skipped");
    String text = """
        network pool_indices {
          input x: [3, 9, 11]
          head ia { maxpool(3, stride: 2, pad: 1, indices: -> ia)  @ia }
          head ua { @ia  max_unpool(@ia, like: @x) }
          head ib { maxpool(3, stride: 1, dilation: 2, indices: -> ib)  @ib }
          head ub { @ib  max_unpool(@ib, kernel: 5, stride: 1, like: @x) }
        }
        """;
    Path file = work().resolve("pool_indices.net");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Compilation.Network n = network(Compiler.Options.file(file), "pool_indices");
    float[] x = new float[2 * 3 * 9 * 11];
    Random r = new Random(5);
    for (int i = 0; i < x.length; i++) {
      int k = r.nextInt(10);
      x[i] = k == 0 ? Float.NaN : k == 1 ? Float.NEGATIVE_INFINITY : r.nextInt(3);
    }
    for (int h = 0; h < 4; h++) {
      for (int w = 0; w < 5; w++) x[h * 11 + w] = Float.NEGATIVE_INFINITY;
    }
    compare("pool_indices", n, Weights.random(n.graph(), 5), Map.of("x", Tensor.of(x, 2, 3, 9, 11)));
  }

  /**
   * What the reference cases leave out of the sequence kernels: attention and recurrent layers without biases, a
   * stacked GRU and LSTM, sizes that are not multiples of 4 (scalar GEMM loads), and reductions over every dim.
   */
  private static void sequences() throws Exception {
    assumeTrue(CudaSim.gppPresent(), "g++ is not on this machine: the CUDA simulation test is skipped");
    String text = """
        network sequences {
          input x: [5, 6]
          a: attention(3, bias: false)
          g: gru(7, layers: 2, bias: false)
          l: lstm(5, layers: 3)
          head seq {}
          head total { s: sum((1, 2)) }
        }
        """;
    Path file = work().resolve("sequences.net");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Compilation.Network n = network(Compiler.Options.file(file), "sequences");
    Weights w = Weights.random(n.graph(), 5);
    float[] x = new float[3 * 5 * 6];
    Random r = new Random(3);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    compare("sequences", n, w, Map.of("x", Tensor.of(x, 3, 5, 6)));
  }

  /**
   * A stdlib sequence model at small sizes ({@code params} override its parameters), on random token ids: each
   * input {@code [T]} draws integers in {@code [0, vocab)} from {@code vocabs}.
   */
  private static void tokens(String name, Map<String, Integer> params, Map<String, Integer> vocabs, int batch)
      throws Exception {
    assumeTrue(CudaSim.gppPresent(), "g++ is not on this machine: the CUDA simulation test is skipped");
    Map<String, Value> values = new LinkedHashMap<>();
    params.forEach((k, v) -> values.put(k, new Value.Int(v)));
    Path file = Repo.root().resolve("stdlib-models/" + name + ".net");
    Compilation.Network n = network(Compiler.Options.file(file).withNetwork(name).withParams(values), name);
    Weights w = Weights.random(n.graph(), 7);
    Random r = new Random(11);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (int id : n.graph().inputs()) {
      Input in = (Input) n.graph().node(id).op();
      int len = n.graph().node(id).type().dim(0);
      float[] x = new float[batch * len];
      for (int i = 0; i < x.length; i++) x[i] = r.nextInt(vocabs.get(in.inputName()));
      inputs.put(in.inputName(), Tensor.of(x, batch, len));
    }
    compare(name, n, w, inputs);
  }

  private static void model(String name, int size, int batch) throws Exception {
    assumeTrue(CudaSim.gppPresent(), "g++ is not on this machine: the CUDA simulation test is skipped");
    Path file = Repo.root().resolve("stdlib-models/" + name + ".net");
    Compilation.Network n = network(Compiler.Options.file(file), name);
    String input = ((Input) n.graph().node(n.graph().inputs().getFirst()).op()).inputName();
    n = n.resized(Map.of(input, List.of(3, size, size)));
    Weights w = Weights.random(n.graph(), 7);
    float[] x = new float[batch * 3 * size * size];
    Random r = new Random(11);
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    compare(name, n, w, Map.of(input, Tensor.of(x, batch, 3, size, size)));
  }

  private static Compilation.Network network(Compiler.Options options, String name) {
    List<Compilation.Network> nets = Compiler.compile(options).networks();
    return nets.stream().filter(x -> x.name().equals(name)).findFirst().orElse(nets.getFirst());
  }

  /** Simulated CUDA outputs against the interpreter's on the same weights and inputs. */
  private static void compare(String name, Compilation.Network n, Weights w, Map<String, Tensor> inputs)
      throws Exception {
    Graph g = n.graph();
    List<Tensor> ordered = new ArrayList<>();
    List<String> names = g.inputs().stream().map(id -> ((Input) g.node(id).op()).inputName()).toList();
    List<Tensor> values = List.copyOf(inputs.values());
    for (int i = 0; i < names.size(); i++) ordered.add(inputs.getOrDefault(names.get(i), values.get(i)));
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) byName.put(names.get(i), ordered.get(i));
    int batch = ordered.getFirst().shape().dim(0);
    CudaProgram p = CudaEmitter.emit(n.plan());
    List<float[]> got = CudaSim.run(p, w, ordered, batch, work().resolve(name));
    Map<String, Tensor> want = new Interpreter(g, w).run(byName);
    assertEquals(want.size(), got.size(), name + ": outputs");
    List<String> failures = new ArrayList<>();
    int i = 0;
    for (var e : want.entrySet()) {
      Tensor expected = e.getValue();
      InterpCompare cmp = InterpCompare.of(new Tensor(expected.shape(), got.get(i)), expected);
      System.out.println("cuda simulation vs interpreter: " + name + " output " + e.getKey() + " ("
          + p.forward().size() + " kernels): " + cmp.describe());
      if (!cmp.ok()) failures.add("output " + e.getKey() + ": " + cmp.describe());
      i++;
    }
    if (!failures.isEmpty()) fail(name + ": CUDA simulation differs from the interpreter:\n  " + String.join("\n  ", failures));
  }

  private static Tensor npy(Path p) {
    try {
      return Npy.read(p);
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
