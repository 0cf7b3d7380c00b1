package dev.netc.compiler.cli;

import dev.netc.compiler.ops.ArgSpec;
import dev.netc.compiler.ops.OpCatalogue;
import dev.netc.compiler.ops.OpDef;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code netc ops}: the op catalogue, as text or as the Markdown of spec/ops.md. */
@Command(name = "ops", mixinStandardHelpOptions = true, description = "List every op with its arguments and defaults.")
final class OpsCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--markdown", description = "Print the Markdown reference (spec/ops.md).")
  boolean markdown;

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    out.print(markdown ? markdown() : text());
    out.flush();
    return Main.OK;
  }

  static String text() {
    StringBuilder b = new StringBuilder();
    for (OpDef op : OpCatalogue.all()) {
      b.append(op.name()).append('(');
      for (int i = 0; i < op.args().size(); i++) b.append(i == 0 ? "" : ", ").append(signature(op.args().get(i)));
      b.append(")  ").append(op.summary()).append('\n');
    }
    return b.toString();
  }

  /** The generated op reference; a test keeps spec/ops.md equal to it. */
  public static String markdown() {
    StringBuilder b = new StringBuilder("# Ops\n\n");
    b.append("Generated from the op catalogue by `netc ops --markdown`; do not edit by hand.\n");
    b.append("Axes use PyTorch numbering (batch = 0). Counting conventions: spec/counting.md.\n\n");
    for (OpDef op : OpCatalogue.all()) {
      b.append("## `").append(op.name()).append("`\n\n").append(op.summary()).append("\n\n");
      if (op.combiner()) b.append("Also combines parallel branches: `").append(op.name()).append(" { a; b }`.\n\n");
      if (op.args().isEmpty()) {
        b.append("No arguments.\n\n");
        continue;
      }
      b.append("| argument | type | default | meaning |\n| --- | --- | --- | --- |\n");
      for (ArgSpec a : op.args()) {
        String dflt = a.defaultValue() != null ? "`" + a.defaultValue().show() + "`"
            : a.rest() ? "(any number)" : a.optional() ? "(optional)" : "**required**";
        b.append("| `").append(a.name()).append("` | ").append(a.type()).append(" | ").append(dflt).append(" | ")
            .append(a.doc()).append(" |\n");
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String signature(ArgSpec a) {
    if (a.rest()) return "..." + a.name();
    if (a.defaultValue() != null) return a.name() + " = " + a.defaultValue().show();
    return a.optional() ? a.name() + "?" : a.name();
  }
}
