package dev.netc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc completion [bash|zsh]}: prints a shell completion script for every subcommand and option, generated
 * by picocli from the same annotations that parse the command line, so it never drifts from the real options.
 *
 * <p>Install it with {@code source <(netc completion bash)} in {@code ~/.bashrc}, or
 * {@code source <(netc completion zsh)} in {@code ~/.zshrc}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a shell completion script (bash or zsh) for netc's subcommands and options.",
        "Use: source <(netc completion bash)   or, in ~/.zshrc:   source <(netc completion zsh)"})
final class CompletionCommand implements Callable<Integer> {
  /** The shells picocli's script supports: bash natively, zsh through its bash-completion layer (bashcompinit). */
  enum Shell { bash, zsh }

  @ParentCommand Main main;

  @Parameters(paramLabel = "SHELL", arity = "0..1", defaultValue = "bash",
      description = "bash or zsh (default: ${DEFAULT-VALUE}).")
  Shell shell;

  @Override
  public Integer call() {
    PrintWriter out = main.spec.commandLine().getOut();
    out.print(script(shell));
    out.flush();
    return Main.OK;
  }

  /**
   * The completion script for {@code shell}, built from a fresh {@code netc} command line. picocli's script serves
   * both shells: under zsh it loads zsh's bash-completion layer itself (and runs {@code compinit} only when no
   * completion system is loaded yet, so it keeps the user's other completions), so the two shells get the same text.
   */
  static String script(Shell shell) {
    return switch (shell) {
      case bash, zsh -> AutoComplete.bash("netc", new CommandLine(new Main()));
    };
  }
}
