package dev.netc.cli;

import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.DiagnosticRenderer;
import dev.netc.compiler.diag.UserError;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;

/** Runs a command body and turns user errors into rendered diagnostics and exit code 1. */
final class Reporter {
  private final PrintWriter err;
  private final DiagnosticRenderer renderer;

  Reporter(PrintWriter err, boolean color) {
    this.err = err;
    this.renderer = new DiagnosticRenderer(color);
  }

  void print(List<Diagnostic> diagnostics) {
    for (Diagnostic d : diagnostics) err.print(renderer.render(d));
    err.flush();
  }

  /**
   * Runs {@code body}; a {@link UserError} prints its diagnostics and a count line, and gives exit code 1; a
   * {@link CliException} or an I/O failure is one line (so that commands over several files go on with the next).
   */
  int guard(Supplier<Integer> body) {
    try {
      return body.get();
    } catch (CliException e) {
      err.println("netc: " + e.getMessage());
      err.flush();
      return e.code();
    } catch (java.io.UncheckedIOException e) {
      err.println("netc: " + Outputs.describe(e.getCause()));
      err.flush();
      return Main.USER_ERROR;
    } catch (picocli.CommandLine.TypeConversionException e) {
      err.println("netc: " + e.getMessage());
      err.flush();
      return Main.USAGE;
    } catch (UserError e) {
      print(e.diagnostics());
      long n = e.diagnostics().stream().filter(Diagnostic::isError).count();
      err.println(n + " error" + (n == 1 ? "" : "s"));
      err.flush();
      return Main.USER_ERROR;
    }
  }
}
