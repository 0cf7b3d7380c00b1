package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.InterpreterException;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.LoadOptions;
import dev.netc.runtime.io.Npy;
import dev.netc.runtime.io.TensorFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc run FILE --weights W.safetensors --input [NAME=]X.npy ... --output [NAME=]Y.npy ...}: compiles the
 * network in memory, runs it on .npy inputs (batch first) and writes each output as .npy; an output given no
 * file (or named alone, {@code --output logits}) is summarized on stdout. Inputs and outputs without a name are
 * taken in the network's declaration order. By default the network runs as generated Java compiled in memory
 * ({@link CompiledRun}, one session of {@code --threads} threads, default: every processor); {@code --interpret}
 * runs the reference interpreter instead. An input file whose dims after the batch differ from the declared ones is
 * refused, as the generated class refuses it, naming the input and both shapes; with {@code --resize} the network is
 * elaborated again at the file's sizes ({@link RunInputs}). {@code --random-input SEED} fills every input without a
 * file with seeded values valid for it ({@link RandomInputs}: token ids for an embedding's input). Outputs are
 * written through {@link Outputs} (never left truncated). Bad weights, inputs or files are one line on stderr and
 * exit code 1.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run a network on .npy inputs with safetensors weights; write its outputs as .npy or summarize them.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--weights", paramLabel = "W.safetensors", description = "Weights by parameter name.")
  Path weights;

  @Option(names = "--allow-unused-weights", description = "Ignore tensors of the weights file that the network does not "
      + "use (by default they are an error, as PyTorch's strict loading makes them).")
  boolean allowUnusedWeights;

  @Option(names = "--random-weights", paramLabel = "SEED",
      description = "Use seeded random weights instead of --weights (to try a network).")
  Long randomSeed;

  @Option(names = "--input", paramLabel = "[NAME=]X.npy", description = "An input, batch first (repeatable).")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--random-input", paramLabel = "SEED",
      description = "Fill every input given no file with seeded random values, batch 1 (token ids for an "
          + "embedding's input, boxes for roi_align's), to try a network without data.")
  Long randomInput;

  @Option(names = "--resize",
      description = "Run the network at the sizes of the input files when they differ from the declared ones "
          + "(elaborated again); without it such an input is refused, as the generated class refuses it.")
  boolean resize;

  @Option(names = "--output", paramLabel = "[NAME=]Y.npy",
      description = "Where to write an output (repeatable); an output named without a file, or not named at all, "
          + "is summarized on stdout.")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--interpret", description = "Run on the reference interpreter (scalar kernels: slow, the oracle).")
  boolean interpret;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads for compiled execution (default: every processor; at most 4 per processor; the "
          + "interpreter uses one).")
  Integer threads;

  @Option(names = "--device", paramLabel = "cpu|cuda",
      description = "Where to run (default: ${DEFAULT-VALUE}); cuda runs seeded random inputs (--random-input) only.")
  String device = "cpu";

  /** A problem with the command's arguments or files, reported as one line. */
  static final class RunError extends RuntimeException {
    RunError(String message) { super(message, null, false, false); }
  }

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    PrintWriter err = main.spec.commandLine().getErr();
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      try {
        return run(out, err, reporter);
      } catch (RunError | InterpreterException e) {
        err.println("netc: " + e.getMessage());
        err.flush();
        return Main.USER_ERROR;
      }
    });
  }

  private int run(PrintWriter out, PrintWriter err, Reporter reporter) {
    int n = Threads.of(threads, err);
    Compilation compiled = Compiler.compile(networkOptions.of(file));
    reporter.print(compiled.warnings());
    Compilation.Network declared = single(compiled.networks());
    if (!device.equals("cpu") && !device.equals("cuda")) {
      throw new RunError("--device " + device + ": expected cpu or cuda");
    }
    if (device.equals("cuda")) return cudaRun(declared, out);
    Map<String, Path> destinations = destinations(declared.graph());
    Map<String, Tensor> in = readInputs(declared.graph());
    Map<String, List<Integer>> sizes = RunInputs.sizes(declared.graph(), in);
    String resized = sizes.isEmpty() ? null : RunInputs.mismatch(declared.graph(), in, sizes);
    if (resized != null && !resize) {
      throw new RunError(resized + "; give an input of the declared size, or --resize to run the network at the "
          + "file's size");
    }
    Compilation.Network net = sizes.isEmpty() ? declared : resize(declared, sizes, resized);
    Graph g = net.graph();
    int batch = RunInputs.batch(g, in);
    checkWeightsGiven(g);
    if (!interpret) {
      Footprint.check(net, batch, "the inputs' batch size");
      Threads.sizePool(n);
    }
    Map<String, Tensor> results;
    try {
      results = interpret ? new Interpreter(g, weights(g)).run(in)
          : CompiledRun.run(net, weights, loadOptions(), randomSeed == null ? 0 : randomSeed, in, n);
    } catch (RunError | InterpreterException e) {
      throw resized == null ? e : new RunError(resized + "; at that size: " + e.getMessage());
    }
    for (var e : results.entrySet()) {
      Path dest = destinations.get(e.getKey());
      if (dest == null) out.println(summary(e.getKey(), e.getValue()));
      else write(dest, e.getKey(), e.getValue(), out);
    }
    out.flush();
    return Main.OK;
  }

  /** The network elaborated again with some inputs at the files' sizes; one line if it cannot take them. */
  private static Compilation.Network resize(Compilation.Network declared, Map<String, List<Integer>> sizes,
      String mismatch) {
    try {
      return declared.resized(sizes);
    } catch (UserError e) {
      throw new RunError(mismatch + ", and the network cannot take that size: " + e.getMessage());
    }
  }

  private Compilation.Network single(List<Compilation.Network> nets) {
    if (nets.isEmpty()) throw new RunError(file + " declares no network");
    if (nets.size() > 1) {
      throw new RunError(file + " declares several networks (" + String.join(", ", nets.stream()
          .map(Compilation.Network::name).toList()) + "); choose one with --network");
    }
    return nets.getFirst();
  }

  private void checkWeightsGiven(Graph g) {
    if (weights != null && randomSeed != null) throw new RunError("give --weights or --random-weights, not both");
    if (weights == null && randomSeed == null && !g.params().isEmpty()) {
      throw new RunError("network " + g.name() + " has parameters: give them with --weights W.safetensors "
          + "(or --random-weights SEED to try the network)");
    }
  }

  private LoadOptions loadOptions() { return allowUnusedWeights ? LoadOptions.lenient() : LoadOptions.strict(); }

  private Weights weights(Graph g) {
    if (weights != null) return Weights.load(weights, g, loadOptions());
    return Weights.random(g, randomSeed == null ? 0 : randomSeed);
  }

  /**
   * Each input's tensor: {@code NAME=X.npy} by name, bare files to the remaining inputs in order, and with
   * {@code --random-input} seeded values for the inputs left.
   */
  private Map<String, Tensor> readInputs(Graph g) {
    List<String> names = new ArrayList<>();
    for (int id : g.inputs()) names.add(((Input) g.node(id).op()).inputName());
    Map<String, Path> files = bind("input", inputs, names, false);
    for (String n : names) {
      if (!files.containsKey(n) && randomInput == null) {
        throw new RunError("no file for input '" + n + "': give --input " + n + "=X.npy, or --random-input SEED "
            + "(inputs: " + String.join(", ", names) + ")");
      }
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    SplittableRandom r = new SplittableRandom(randomInput == null ? 0 : randomInput);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Path path = files.get(name);
      if (path != null) {
        tensors.put(name, read(path));
        continue;
      }
      var type = g.node(g.inputs().get(i)).type();
      int[] own = type.shape().toArray();
      int[] dims = type.batched() ? prepend(1, own) : own;
      tensors.put(name, Tensor.of(RandomInputs.values(g, i, 1, r), dims));
    }
    return tensors;
  }

  private static int[] prepend(int first, int[] rest) {
    int[] d = new int[rest.length + 1];
    d[0] = first;
    System.arraycopy(rest, 0, d, 1, rest.length);
    return d;
  }

  /**
   * Where each output goes; outputs absent from the map are summarized. Two outputs to one file are refused (one
   * would silently replace the other), and so is a destination that cannot be written (checked before running).
   */
  private Map<String, Path> destinations(Graph g) {
    Map<String, Path> dest = bind("output", outputs, g.outputs().stream().map(Graph.Output::name).toList(), true);
    Map<Path, String> byFile = new LinkedHashMap<>();
    for (var e : dest.entrySet()) {
      String other = byFile.put(e.getValue().toAbsolutePath().normalize(), e.getKey());
      if (other != null) {
        throw new RunError("outputs '" + other + "' and '" + e.getKey() + "' are both to be written to "
            + e.getValue() + "; give each output its own file");
      }
      Path dir = e.getValue().toAbsolutePath().getParent();
      if (Files.isDirectory(e.getValue())) {
        throw new RunError("cannot write output '" + e.getKey() + "' to " + e.getValue() + ": it is a folder");
      }
      if (dir != null && !Files.isDirectory(dir)) {
        throw new RunError("cannot write output '" + e.getKey() + "' to " + e.getValue() + ": the folder " + dir
            + " does not exist");
      }
    }
    return dest;
  }

  /**
   * Binds {@code [NAME=]FILE} arguments to names: {@code NAME=FILE} by name, a bare word that is a name (outputs
   * only) to nothing (summarize it), any other bare word to the next name not yet bound, in declaration order.
   */
  private static Map<String, Path> bind(String what, List<String> specs, List<String> names, boolean bareNames) {
    Map<String, Path> bound = new LinkedHashMap<>();
    List<String> named = new ArrayList<>();
    List<String> bare = new ArrayList<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      String name = eq > 0 ? s.substring(0, eq) : s;
      if (eq > 0 || bareNames && names.contains(s)) {
        if (!names.contains(name)) {
          throw new RunError("no " + what + " named '" + name + "'; the network's " + what + "s: " + String.join(", ", names));
        }
        if (named.contains(name)) throw new RunError(what + " '" + name + "' is given twice");
        named.add(name);
        if (eq > 0) bound.put(name, Path.of(s.substring(eq + 1)));
      } else {
        bare.add(s);
      }
    }
    List<String> free = names.stream().filter(n -> !named.contains(n)).toList();
    if (bare.size() > free.size()) {
      throw new RunError("too many --" + what + " files: the network has " + names.size() + " " + what
          + (names.size() == 1 ? "" : "s") + " (" + String.join(", ", names) + ")");
    }
    for (int i = 0; i < bare.size(); i++) bound.put(free.get(i), Path.of(bare.get(i)));
    return bound;
  }

  private static Tensor read(Path p) {
    try {
      return Npy.read(p);
    } catch (NoSuchFileException e) {
      throw new RunError("input file not found: " + p);
    } catch (TensorFileException e) {
      throw new RunError(e.getMessage());
    } catch (IOException e) {
      throw new RunError("cannot read input " + p + ": " + Outputs.reason(e, p));
    }
  }

  private static void write(Path p, String name, Tensor t, PrintWriter out) {
    Outputs.write(p, o -> Npy.write(o, t), "output '" + name + "' to");
    out.println(name + " " + t.shape() + " -> " + p);
  }

  /** {@code logits [1, 1000]: min -0.565 max 0.536 mean 0.00574; first: 0.0123, ...}. */
  static String summary(String name, Tensor t) {
    float[] d = t.data();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (float v : d) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    StringBuilder b = new StringBuilder(name).append(' ').append(t.shape());
    if (d.length == 0) return b.append(": empty").toString();
    b.append(String.format(Locale.ROOT, ": min %.6g max %.6g mean %.6g; first:", min, max, sum / d.length));
    for (int i = 0; i < Math.min(8, d.length); i++) b.append(String.format(Locale.ROOT, " %.6g", d[i]));
    return b.append(d.length > 8 ? " ..." : "").toString();
  }

  private int cudaRun(Compilation.Network net, PrintWriter out) {
    if (!inputs.isEmpty() || !outputs.isEmpty() || interpret) {
      throw new RunError("--device cuda runs seeded random inputs only (--random-input): --input, --output and "
          + "--interpret are for the CPU");
    }
    try {
      return CudaDevice.run(net, weights, randomSeed, randomInput, out);
    } catch (java.io.IOException e) {
      throw new RunError(e.getMessage());
    }
  }
}
