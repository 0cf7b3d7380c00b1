package dev.netc.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code netc} command line. Exit codes: 0 ok, 1 the user's program, a file it names (missing, unreadable,
 * unwritable) or a budget is wrong, 2 usage error (an unknown option, an argument value out of range), 3 internal
 * error (a bug in netc: the message says so). A failure to write standard output (a full disk) is exit code 1 with
 * one line. The work runs on a thread with a large stack, so that deeply nested but valid programs elaborate.
 */
@Command(name = "netc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Netc: describe neural networks in .net files, check them, count them, compile them.",
    subcommands = {CheckCommand.class, FmtCommand.class, PlanCommand.class, OpsCommand.class, ReportCommand.class, GraphCommand.class,
        DiffCommand.class, ProfileCommand.class,
        CompileCommand.class, BenchCommand.class, RunCommand.class, ExportCommand.class, ImportCommand.class,
        CompletionCommand.class, LspCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int USER_ERROR = 1;
  public static final int USAGE = 2;
  public static final int INTERNAL = 3;

  /** When diagnostics are colored. */
  enum ColorMode { auto, always, never }

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Color diagnostics: auto (when standard error is a terminal and NO_COLOR is unset), always, "
          + "never (default: ${DEFAULT-VALUE}).")
  ColorMode color;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

  boolean useColor() {
    return switch (color) {
      case always -> true;
      case never -> false;
      case auto -> System.getenv("NO_COLOR") == null && Terminal.stderr();
    };
  }

  public static void main(String[] args) {
    int[] code = {INTERNAL};
    Stdout stdout = new Stdout();
    Thread t = new Thread(null, () -> {
      try {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, System.out.charset()), true);
        code[0] = run(args, out, new PrintWriter(System.err, true), stdout);
      } catch (OutOfMemoryError e) {
        System.err.println("netc: out of memory (" + e.getMessage() + "); give the JVM more with JAVA_OPTS=-Xmx...");
        code[0] = INTERNAL;
      } catch (Throwable e) {
        // Errors escape picocli's handler (it sees Exceptions only): still one clear line and exit code 3.
        System.err.println("netc: internal error (this is a bug in netc or a broken installation): " + e);
        code[0] = INTERNAL;
      }
    }, "netc", 1L << 30);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(code[0]);
  }

  /** Runs the CLI with the given streams; returns the exit code. Used by tests too. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) { return run(args, out, err, null); }

  /**
   * Runs the CLI; a failure to write {@code out} (seen by {@link PrintWriter#checkError} after a final flush) is
   * exit code 1 with one line on {@code err}, naming the reason {@code stdout} recorded if there is one; a reader
   * that closed the pipe early ({@code netc ops | head}) gets exit code 1 and no message.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err, Stdout stdout) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> INTERNAL);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, err));
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("netc: " + e.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("Try 'netc " + (e.getCommandLine().getCommandName().equals("netc") ? "" : e.getCommandLine().getCommandName() + " ") + "--help'.");
      err.flush();
      return USAGE;
    });
    int code = cli.execute(args);
    if (out.checkError()) {
      IOException why = stdout == null ? null : stdout.failure();
      if (!Stdout.brokenPipe(why)) {
        err.println("netc: cannot write to standard output" + (why == null || why.getMessage() == null ? ""
            : ": " + why.getMessage()));
      }
      code = Math.max(code, USER_ERROR);
    }
    err.flush();
    return code;
  }

  /**
   * An exception that left a command: a {@link CliException} is its own line and code; an I/O failure on a file
   * the user named is one line and exit code 1; anything else is a bug, exit code 3 with the stack trace.
   */
  private static int failure(Exception e, PrintWriter err) {
    if (e instanceof CliException c) {
      err.println("netc: " + c.getMessage());
      err.flush();
      return c.code();
    }
    IOException io = e instanceof UncheckedIOException u ? u.getCause() : e instanceof IOException i ? i : null;
    if (io != null) {
      err.println("netc: " + (e instanceof UncheckedIOException && e.getMessage() != null
          && !e.getMessage().equals(io.toString()) ? e.getMessage() : Outputs.describe(io)));
      err.flush();
      return USER_ERROR;
    }
    if (e instanceof CommandLine.TypeConversionException) {
      err.println("netc: " + e.getMessage());
      err.flush();
      return USAGE;
    }
    err.println("netc: internal error (this is a bug in netc, not in your program): " + e);
    for (StackTraceElement el : e.getStackTrace()) err.println("    at " + el);
    err.flush();
    return INTERNAL;
  }
}
