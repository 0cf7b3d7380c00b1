package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code netc completion}: a script for each shell that knows every subcommand and their options. */
class CompletionCommandTest {
  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private static Set<String> subcommands() {
    return new CommandLine(new Main()).getSubcommands().keySet();
  }

  @Test
  void bashScriptCompletesEverySubcommandAndItsOptions() {
    Result r = run("completion", "bash");
    assertEquals(Main.OK, r.code(), r.err());
    String script = r.out();
    assertTrue(script.contains("complete -F _complete_netc"), "registers a completion function for netc");
    assertTrue(subcommands().size() >= 10, "the command line has its subcommands: " + subcommands());
    String topLevel = script.lines().filter(l -> l.strip().startsWith("local commands=\"")).findFirst().orElse("");
    for (String sub : subcommands()) {
      assertTrue(topLevel.contains(" " + sub + " ") || topLevel.contains(" " + sub + "\"") || topLevel.contains("\"" + sub + " "),
          "netc's completions offer " + sub + ": " + topLevel);
      // One function per subcommand: each one's own options complete, not just its name.
      assertTrue(script.contains("function _picocli_netc_" + sub + "()"), "a completion function for netc " + sub);
    }
    assertTrue(script.contains("--format"), "report's options are in the script");
  }

  @Test
  void bashIsTheDefault() {
    assertEquals(run("completion", "bash").out(), run("completion").out());
  }

  @Test
  void zshScriptEnablesBashCompletionUnderZsh() {
    Result r = run("completion", "zsh");
    assertEquals(Main.OK, r.code(), r.err());
    assertTrue(r.out().contains("elif [ -n \"$ZSH_VERSION\" ]; then"), "the script detects zsh");
    assertTrue(r.out().contains("bashcompinit"), "and loads zsh's bash-completion layer");
    for (String sub : subcommands()) {
      assertTrue(r.out().contains(sub), "the script mentions subcommand " + sub);
    }
  }

  @Test
  void unknownShellIsAUsageError() {
    Result r = run("completion", "fish");
    assertEquals(Main.USAGE, r.code());
    assertFalse(r.err().isEmpty());
    assertTrue(r.err().contains("bash"), "the error lists the valid shells: " + r.err());
  }
}
