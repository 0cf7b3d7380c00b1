package dev.netc.cli;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code netc check FILE...}: diagnostics, or one summary line per network. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Parse, elaborate and shape-check .net files; print one line per network, or the errors.")
final class CheckCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = ".net files to check.")
  List<Path> files;

  @Mixin NetworkOptions networkOptions;

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    Reporter reporter = new Reporter(main.spec.commandLine().getErr(), main.useColor());
    int worst = Main.OK;
    for (Path file : files) {
      int code = reporter.guard(() -> {
        Compilation r = Compiler.compile(networkOptions.of(file));
        reporter.print(r.warnings());
        if (r.graphs().isEmpty()) {
          out.println(file + ": ok, " + r.program().decls().size() + " declarations, no networks");
        }
        for (Graph g : r.graphs()) out.println(file + ": " + summary(g));
        return Main.OK;
      });
      worst = Math.max(worst, code);
    }
    out.flush();
    return worst;
  }

  static String summary(Graph g) {
    long layers = g.nodes().stream().filter(n -> !(n.op() instanceof Input)).count();
    List<String> ins = new ArrayList<>();
    for (int i : g.inputs()) {
      Node n = g.node(i);
      ins.add(n.path() + " " + n.type());
    }
    List<String> outs = new ArrayList<>();
    for (Graph.Output o : g.outputs()) outs.add(o.name() + " " + g.node(o.node()).type());
    return "network " + g.name() + ": " + layers + " layers, " + g.params().stream()
        .filter(p -> p.kind() == dev.netc.compiler.ir.ParamSpec.Kind.LEARNED).mapToLong(p -> p.shape().elements()).sum()
        + " params; inputs " + String.join(", ", ins) + "; outputs " + String.join(", ", outs);
  }
}
