package dev.netc.cli;

import dev.netc.compiler.ops.OpReference;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc ops}: the op catalogue, as text or as the Markdown of spec/ops.md, printed, or written to a file with
 * {@code -o} ({@code netc ops --markdown -o spec/ops.md} regenerates the reference).
 */
@Command(name = "ops", mixinStandardHelpOptions = true, description = "List every op with its arguments and defaults.")
final class OpsCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--markdown", description = "The Markdown reference (spec/ops.md) instead of text.")
  boolean markdown;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write to FILE instead of printing (e.g. --markdown -o spec/ops.md).")
  Path output;

  @Override
  public Integer call() {
    String text = markdown ? OpReference.markdown() : OpReference.text();
    if (output != null) {
      Outputs.writeString(output, text, "the op reference to");
      return Main.OK;
    }
    PrintWriter out = main.spec.commandLine().getOut();
    out.print(text);
    out.flush();
    return Main.OK;
  }
}
