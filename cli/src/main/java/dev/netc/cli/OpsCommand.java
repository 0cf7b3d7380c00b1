package dev.netc.cli;

import dev.netc.compiler.ops.OpReference;
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
    out.print(markdown ? OpReference.markdown() : OpReference.text());
    out.flush();
    return Main.OK;
  }
}
