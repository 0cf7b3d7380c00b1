package dev.netc.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code netc} command line. Exit codes: 0 ok, 1 the user's program (or a budget) is wrong, 2 usage error,
 * 3 internal error (a bug in netc: the message says so). The work runs on a thread with a large stack, so that
 * deeply nested but valid programs elaborate.
 */
@Command(name = "netc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Netc: describe neural networks in .net files, check them, count them, compile them.",
    subcommands = {CheckCommand.class, FmtCommand.class, PlanCommand.class, OpsCommand.class, ReportCommand.class, GraphCommand.class,
        CompileCommand.class, BenchCommand.class, RunCommand.class,
        CompletionCommand.class, LspCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int USER_ERROR = 1;
  public static final int USAGE = 2;
  public static final int INTERNAL = 3;

  @Option(names = "--color", defaultValue = "auto", description = "Color diagnostics: auto, always, never (default: ${DEFAULT-VALUE}).")
  String color;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

  boolean useColor() {
    return switch (color) {
      case "always" -> true;
      case "never" -> false;
      default -> System.console() != null && System.getenv("NO_COLOR") == null && System.console().isTerminal();
    };
  }

  public static void main(String[] args) {
    int[] code = {INTERNAL};
    Thread t = new Thread(null, () -> {
      try {
        code[0] = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
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
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> INTERNAL);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      err.println("netc: internal error (this is a bug in netc, not in your program): " + e);
      for (StackTraceElement el : e.getStackTrace()) err.println("    at " + el);
      err.flush();
      return INTERNAL;
    });
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("netc: " + e.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("Try 'netc " + (e.getCommandLine().getCommandName().equals("netc") ? "" : e.getCommandLine().getCommandName() + " ") + "--help'.");
      err.flush();
      return USAGE;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
