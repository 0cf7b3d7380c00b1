package dev.netc.compiler.cli;

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
  /** The shells picocli's script supports: bash natively, zsh through its bash-completion emulation. */
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

  /** The completion script for {@code shell}, built from a fresh {@code netc} command line. */
  static String script(Shell shell) {
    String bash = AutoComplete.bash("netc", new CommandLine(new Main()));
    return switch (shell) {
      case bash -> bash;
      // picocli's script runs under zsh once zsh's bash-completion layer is loaded; load it first so that
      // sourcing the script from ~/.zshrc works without the user knowing about bashcompinit.
      case zsh -> "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + bash;
    };
  }
}
