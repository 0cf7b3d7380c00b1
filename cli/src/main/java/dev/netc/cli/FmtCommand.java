package dev.netc.cli;

import dev.netc.compiler.diag.Source;
import dev.netc.compiler.syntax.Formatter;
import dev.netc.compiler.syntax.SourceReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc fmt FILE...}: rewrites files in canonical form, and only when the formatter has verified that the
 * result parses to the same program. A file with errors is left untouched. Files are rewritten through
 * {@link Outputs} (a temporary file renamed over the original): a killed {@code fmt} leaves the old text or the
 * new, the mode, symlinks and hard links are kept, and a read-only file is refused with one line.
 */
@Command(name = "fmt", mixinStandardHelpOptions = true,
    description = "Format .net files canonically (in place), or check that they are formatted.")
final class FmtCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = ".net files to format.")
  List<Path> files;

  @Option(names = "--check", description = "Change nothing; exit 1 and list the files that are not formatted.")
  boolean check;

  @Option(names = "--stdout", description = "Print the formatted text instead of rewriting the files.")
  boolean stdout;

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    PrintWriter err = main.spec.commandLine().getErr();
    Reporter reporter = new Reporter(err, main.useColor());
    int worst = Main.OK;
    for (Path file : files) {
      int code = reporter.guard(() -> {
        Source source = SourceReader.read(file);
        String formatted = Formatter.format(source);
        if (stdout) {
          out.print(formatted);
          return Main.OK;
        }
        boolean same = formatted.equals(source.text());
        if (check) {
          if (!same) out.println(file + ": not formatted (run: netc fmt " + file + ")");
          return same ? Main.OK : Main.USER_ERROR;
        }
        if (!same) Outputs.writeString(file, formatted, "the formatted text to");
        return Main.OK;
      });
      worst = Math.max(worst, code);
    }
    out.flush();
    return worst;
  }
}
