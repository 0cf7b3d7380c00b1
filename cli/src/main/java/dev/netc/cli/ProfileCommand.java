package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.runtime.io.Json;
import dev.netc.viz.Profile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc profile FILE}: measured time per plan step of the generated code (warm, medians over passes), mapped
 * back to the network's layers and stages, with GFLOP/s per layer and the fraction of this machine's measured peak.
 * A profiling build times each step; the code {@code netc compile} and the Maven plugin generate has no timing.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Time each step of a network's generated Java, per layer and stage, with GFLOP/s and %% of peak.")
final class ProfileCommand implements Callable<Integer> {
  static final int MAX_PASSES = 100_000;

  @ParentCommand Main main;

  @Parameters(paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--weights", paramLabel = "W", description = "A safetensors file (default: random weights, seed 0).")
  Path weights;

  @Option(names = "--batch", paramLabel = "N", description = "Items per forward pass (default: ${DEFAULT-VALUE}).")
  int batch = 1;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads per forward pass (default: all processors; at most 4 per processor).")
  Integer threads;

  @Option(names = "--warmup", paramLabel = "S",
      description = "At most S seconds of warm-up, less once latency is stable (default: ${DEFAULT-VALUE}).")
  double warmup = 5;

  @Option(names = "--passes", paramLabel = "N", description = "Timed passes (default: ${DEFAULT-VALUE}).")
  int passes = 20;

  @Option(names = "--format", paramLabel = "table|json", description = "Output format (default: ${DEFAULT-VALUE}).")
  String format = "table";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    PrintWriter err = main.spec.commandLine().getErr();
    if (batch < 1) throw CliException.usage("--batch must be at least 1, got " + batch);
    if (passes < 1 || passes > MAX_PASSES) {
      throw CliException.usage("--passes must be between 1 and " + MAX_PASSES + ", got " + passes);
    }
    BenchCommand.checkWarmup(warmup);
    if (!List.of("table", "json").contains(format)) {
      throw CliException.usage("--format must be table or json, not " + format);
    }
    int n = Threads.of(threads, err);
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      Compilation c = Compiler.compile(networkOptions.of(file));
      reporter.print(c.warnings());
      if (c.networks().size() != 1) {
        throw CliException.usage(file + " declares " + c.networks().size() + " networks"
            + (c.networks().isEmpty() ? "" : "; choose one with --network"));
      }
      Profile p = Profiling.measure(c.networks().getFirst(), weights, batch, n, warmup, passes);
      String text = format.equals("json") ? Json.write(p.json()) + "\n" : p.text();
      if (output == null) {
        out.print(text);
        out.flush();
      } else {
        Outputs.writeString(output, text, "the profile to");
      }
      return Main.OK;
    });
  }
}
