package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes, messages, no stack traces for user mistakes. */
class CliTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void aTokenIdOutsideTheTableIsOneLineAndExitOne() throws IOException {
    Path net = file("emb.net", "network e { input ids: [4]; emb: embedding(5, 3) }\n");
    Path ids = dir.resolve("ids.npy");
    Npy.write(ids, new Tensor(Shape.of(1, 4), new float[] {0, 1, 7, 3}));
    for (String mode : new String[] {"--threads=1", "--interpret"}) {
      Result r = run("run", net.toString(), "--random-weights", "1", "--input", ids.toString(), "--output",
          dir.resolve("y.npy").toString(), mode);
      assertEquals(1, r.code(), mode + ": " + r.err());
      assertTrue(r.err().contains("token id 7.0 (item 0, position 2) is not an integer in [0, 5)"), mode + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), mode + ": one line: " + r.err());
    }
  }

  /** Every command that compiles a file takes --network and --param from the one mixin, and reads them alike. */
  @Test
  void networkAndParamAreOneMixinReadAlikeEverywhere() throws IOException {
    Path net = file("two.net", "network a { input x: [4]; fc: linear(2) }\nnetwork b { input x: [4]; fc: linear(3) }\n");
    Set<String> withMixin = new TreeSet<>();
    new CommandLine(new Main()).getSubcommands().forEach((name, cl) -> {
      if (cl.getCommandSpec().mixins().values().stream()
          .anyMatch(m -> m.userObject() instanceof NetworkOptions)) withMixin.add(name);
    });
    assertEquals(Set.of("bench", "check", "compile", "diff", "export", "graph", "plan", "profile", "report", "run"),
        withMixin);
    for (String cmd : withMixin) {
      String[] extra = switch (cmd) {
        case "compile" -> new String[] {"--java", dir.resolve("out").toString()};
        case "export" -> new String[] {"-o", dir.resolve("out.onnx").toString()};
        default -> new String[0];
      };
      Result bad = run(concat(new String[] {cmd, net.toString(), "--param", "width"}, extra));
      assertEquals(Main.USAGE, bad.code(), cmd + ": " + bad.err());
      assertTrue(bad.err().contains("--param expects name=value, got 'width'"), cmd + ": " + bad.err());
      Result none = run(concat(new String[] {cmd, net.toString(), "--network", "c"}, extra));
      assertEquals(Main.USER_ERROR, none.code(), cmd + ": " + none.err());
      assertTrue(none.err().contains("error[NET026]: no network named 'c'"), cmd + ": " + none.err());
    }
  }

  /**
   * Every command's help renders as written: picocli formats descriptions with {@code String.format}, so a literal
   * percent sign must be written {@code %%}; a lone one makes it print "Could not format ..." on standard error and
   * show the raw text.
   */
  @Test
  void everyCommandsHelpFormatsWithoutAWarning() {
    PrintStream before = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> helps = new ArrayList<>();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      usages(new CommandLine(new Main()), helps);
    } finally {
      System.setErr(before);
    }
    String err = captured.toString(StandardCharsets.UTF_8);
    assertFalse(err.contains("Could not format"), err);
    assertTrue(helps.size() > 15, "every command: " + helps.size());
    for (String h : helps) assertFalse(h.contains("%n") || h.contains("%%"), h);
    assertTrue(helps.stream().anyMatch(h -> h.contains("with GFLOP/s and % of peak.")), "profile's % is one %");
  }

  private static void usages(CommandLine cl, List<String> into) {
    into.add(cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
    cl.getSubcommands().values().forEach(sub -> usages(sub, into));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void versionAndHelp() {
    Result v = run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("netc "), v.out());
    for (String sub : new CommandLine(new Main()).getSubcommands().keySet()) {
      Result h = run(sub, "--help");
      assertEquals(0, h.code(), sub + " --help");
      assertTrue(h.out().contains("Usage:"), sub);
    }
  }

  @Test
  void usageErrorsExitTwo() {
    Result r = run("check", "--no-such-option", "x.net");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("Unknown option"), r.err());
    assertEquals(Main.USAGE, run("frobnicate").code());
  }

  @Test
  void userErrorsExitOneWithLocationsAndNoStackTrace() throws IOException {
    Path bad = file("bad.net", "network n {\n  input x: [3, 8, 8]\n  conv(8, 3, strde: 2)\n}\n");
    Result r = run("--color=never", "check", bad.toString());
    assertEquals(Main.USER_ERROR, r.code());
    assertTrue(r.err().contains("bad.net:3:14: error[NET011]: conv has no parameter 'strde' (did you mean 'stride'?)"), r.err());
    assertTrue(r.err().contains("  conv(8, 3, strde: 2)"), "shows the source line");
    assertTrue(r.err().contains("^~~~~"), "and a caret under the name");
    assertFalse(r.err().contains("\tat ") || r.err().contains("    at dev."), "no stack trace: " + r.err());
    Result missing = run("check", dir.resolve("nope.net").toString());
    assertEquals(Main.USER_ERROR, missing.code());
    assertTrue(missing.err().contains("no such file"), missing.err());
  }

  @Test
  void checkPrintsOneLinePerNetwork() throws IOException {
    Path ok = file("ok.net", "network a { input x: [4]; linear(2) }\nnetwork b { input x: [3, 8, 8]; conv(4, 3) }\n");
    Result r = run("check", ok.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(2, r.out().lines().count(), r.out());
    assertTrue(r.out().contains("network a: 1 layers, 10 params"), r.out());
  }

  @Test
  void fmtCheckAndRewrite() throws IOException {
    Path f = file("f.net", "network   n{input x:[4]\nlinear( 2 )}\n");
    assertEquals(Main.USER_ERROR, run("fmt", "--check", f.toString()).code());
    String before = Files.readString(f);
    assertEquals(0, run("fmt", f.toString()).code());
    String after = Files.readString(f);
    assertFalse(before.equals(after));
    assertEquals(0, run("fmt", "--check", f.toString()).code(), "formatted output is stable");
    Path broken = file("broken.net", "network n { input x: [4] linear(2 }\n");
    String text = Files.readString(broken);
    assertEquals(Main.USER_ERROR, run("fmt", broken.toString()).code());
    assertEquals(text, Files.readString(broken), "a file with errors is left untouched");
  }

  @Test
  void planDumpsPasses() throws IOException {
    Path f = file("p.net", "network n { input x: [3, 8, 8]; conv(4, 3, pad: 1); batchnorm; relu; dropout }\n");
    Result r = run("plan", "--dump-after", "all", f.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("== after fold-batchnorm"), r.out());
    assertTrue(r.out().contains("fused_conv 4, k=3, p=1 + batchnorm + relu"), r.out());
    assertEquals(Main.USAGE, run("plan", "--dump-after", "nonsense", f.toString()).code());
  }
}
