package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.PlanPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code netc plan FILE}: the optimized kernel steps with their buffers, and the graph after any pass. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Print the execution plan (kernel steps, layouts, arena offsets); --dump-after shows the graph after passes.")
final class PlanCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Mixin NetworkOptions networkOptions;

  @Option(names = "--dump-after", paramLabel = "PASS|all|none",
      description = "Print the graph after this pass (or after every pass; 'input' for before any). Default: none.")
  String dumpAfter = "none";

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    Reporter reporter = new Reporter(main.spec.commandLine().getErr(), main.useColor());
    return reporter.guard(() -> {
      if (!dumpAfter.equals("none") && !dumpAfter.equals("all") && !dumpAfter.equals("input") && Pipeline.pass(dumpAfter) == null) {
        main.spec.commandLine().getErr().println("netc: no pass named '" + dumpAfter + "'; passes: "
            + String.join(", ", Pipeline.PASSES.stream().map(Pipeline.Pass::name).toList()));
        return Main.USAGE;
      }
      for (Compilation.Network n : Compiler.compile(networkOptions.of(file)).networks()) {
        for (Pipeline.Step s : n.passes()) {
          String name = s.pass() == null ? "input" : s.pass().name();
          if (dumpAfter.equals("all") || dumpAfter.equals(name)) {
            out.println("== after " + name + (s.pass() != null && !s.changed() ? " (unchanged)" : "")
                + (s.pass() != null ? String.format(" [%.2f ms]", s.nanos() / 1e6) : ""));
            out.print(PlanPrinter.print(s.graph()));
          }
        }
        out.print(PlanPrinter.print(n.plan()));
      }
      out.flush();
      return Main.OK;
    });
  }
}
