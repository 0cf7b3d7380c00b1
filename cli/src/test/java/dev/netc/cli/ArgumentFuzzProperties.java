package dev.netc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import picocli.CommandLine;

/**
 * Random and mutated argument vectors over every subcommand: none may exit 3 (an internal error), print a stack
 * trace, or run longer than {@link #LIMIT_S} seconds. Vectors are valid commands on small files with one to three
 * mutations (an argument deleted, repeated, swapped, replaced by a hostile value, or an option of any subcommand
 * added with one), or soups of options and values. Files named are in a temporary folder: missing, read-only, a
 * folder, a file in the way, junk bytes; relative names a mutation makes up are written where the test runs and
 * removed after each case.
 *
 * <p>Each property runs {@code jqwik.tries.default} cases (300, from junit-platform.properties); more with
 * {@code -Djqwik.tries.default=100000}.
 */
class ArgumentFuzzProperties {
  static final long LIMIT_S = 60;
  private static Path tmp;
  private static List<List<String>> skeletons;
  private static List<String> hostile;
  private static List<String> options;
  private static ExecutorService pool;
  private static Set<Path> cwdBefore;
  /** Cases per exit code, printed at the end (in the test's output file). */
  private static final java.util.Map<Integer, Integer> CODES = new java.util.concurrent.ConcurrentSkipListMap<>();

  @BeforeContainer
  static void files() throws IOException {
    tmp = Files.createTempDirectory("netc-fuzz");
    Path net = write("n.net", "network n(width: int = 4) { input x: [3, 8, 8]; conv(width, 3, pad: 1); relu; "
        + "global_avgpool; flatten; head logits { linear(5) } }\n");
    Path two = write("two.net", "network a { input x: [4]; linear(2) }\nnetwork b { input x: [4]; linear(3) }\n");
    Path ids = write("ids.net", "network ids { input t: [5]; embedding(11, 3); flatten; linear(2) }\n");
    Path bad = write("bad.net", "network n { input x: [4] linear(2 }\n");
    Path copy = write("copy.net", "network   c{input x:[4]\nlinear( 2 )}\n");
    Path junk = tmp.resolve("junk.npy");
    Files.write(junk, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x7f, 0x7f, 1, 2});
    Path in = tmp.resolve("x.npy");
    Npy.write(in, Tensor.of(new float[3 * 8 * 8], 1, 3, 8, 8));
    Path ro = write("ro.net", "network   r{input x:[4]\nlinear( 2 )}\n");
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
    Path plain = write("plain.txt", "not a folder");
    Path argfile = write("args.txt", "check\n" + net + "\n--color\nnever\n");
    Files.createDirectories(tmp.resolve("folder"));
    String t = tmp.toString();
    skeletons = List.of(
        List.of("check", net.toString(), two.toString()),
        List.of("--color", "never", "check", bad.toString(), "--param", "width=8"),
        List.of("fmt", "--check", net.toString()),
        List.of("fmt", "--stdout", copy.toString()),
        List.of("fmt", copy.toString(), ro.toString()),
        List.of("plan", net.toString(), "--dump-after", "all"),
        List.of("ops", "--markdown", "-o", t + "/ops.md"),
        List.of("report", net.toString(), "--format", "json", "--depth", "1", "--batch", "2", "--sweep", "x=8,16"),
        List.of("report", net.toString(), "--optimized", "--max-params", "1K", "--input", "x=3,16,16"),
        List.of("graph", net.toString(), "-o", t + "/g.dot"),
        List.of("compile", net.toString(), "--java", t + "/java", "--package", "p.q"),
        List.of("bench", ids.toString(), "--warmup", "0", "--iterations", "1", "--threads", "1", "--batch", "2"),
        List.of("run", net.toString(), "--random-weights", "1", "--random-input", "2", "--interpret", "--output",
            "logits=" + t + "/y.npy"),
        List.of("run", net.toString(), "--random-weights", "1", "--input", in.toString(), "--interpret"),
        List.of("run", ids.toString(), "--random-weights", "1", "--random-input", "3", "--threads", "1"),
        List.of("completion", "bash"),
        List.of("help", "report"),
        List.of("@" + argfile));
    hostile = List.of("", " ", "-1", "0", "1", "2", "2147483648", "-2147483649", "9223372036854775808", "1e308",
        "NaN", "Infinity", "-Infinity", "0x10", "1_000", "1.5", "=", ",,,", "x=", "=1", "x=,,,", "x=0", "x=-1",
        "x=3,0,8", "x=99999,99999", "width=NaN", "width=1e39", "width=-3", "width", "logits", "logits=",
        "--", "-", "--help", "-V", "--no-such-option", "-Z", "\u00fcn\u00efc\u00f6d\u00e9", "a".repeat(300),
        "\u0000", "json", "csv", "all", "none", "bash", "purple", "1G", "25M", "-5K",
        t + "/missing.net", t + "/missing/x.npy", t + "/folder", t + "/plain.txt/sub", ro.toString(),
        junk.toString(), in.toString(), net.toString(), ids.toString(), bad.toString(), t + "/out.npy",
        t + "/" + "n".repeat(250) + ".dot", "@" + t + "/missing-args");
    options = new CommandLine(new Main()).getSubcommands().values().stream()
        .flatMap(c -> c.getCommandSpec().options().stream()).flatMap(o -> Stream.of(o.names()))
        .distinct().sorted().toList();
    pool = Executors.newCachedThreadPool(r -> new Thread(null, r, "netc-fuzz", 256L << 20));
    cwdBefore = listCwd();
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    System.out.println("netc argument fuzz: cases per exit code " + CODES);
    pool.shutdownNow();
    try (Stream<Path> s = Files.walk(tmp)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(tmp.resolve(name), text);
  }

  @Provide
  Arbitrary<Integer> skeleton() { return Arbitraries.integers().between(0, skeletons.size() - 1); }

  /** A valid command with one to three mutations. */
  @Property
  void mutatedCommandsNeverExitThreeOrHang(@ForAll("skeleton") int which, @ForAll long seed) {
    Random r = new Random(seed);
    List<String> argv = new ArrayList<>(skeletons.get(which));
    int mutations = 1 + r.nextInt(3);
    for (int m = 0; m < mutations; m++) mutate(argv, r);
    check(argv);
  }

  /** Up to eight words from subcommand names, every option of every subcommand, and hostile values. */
  @Property
  void soupsNeverExitThreeOrHang(@ForAll long seed) {
    Random r = new Random(seed);
    List<String> words = new ArrayList<>(List.of("check", "fmt", "plan", "ops", "report", "graph", "compile", "bench",
        "run", "completion", "help"));
    words.addAll(options);
    words.addAll(hostile);
    List<String> argv = new ArrayList<>();
    int n = r.nextInt(9);
    for (int i = 0; i < n; i++) argv.add(words.get(r.nextInt(words.size())));
    check(argv);
  }

  private static void mutate(List<String> argv, Random r) {
    int at = argv.isEmpty() ? 0 : r.nextInt(argv.size());
    switch (r.nextInt(6)) {
      case 0 -> {
        if (!argv.isEmpty()) argv.remove(at);
      }
      case 1 -> {
        if (!argv.isEmpty()) argv.add(at, argv.get(at));
      }
      case 2 -> {
        if (argv.size() > 1) java.util.Collections.swap(argv, at, r.nextInt(argv.size()));
      }
      case 3 -> {
        if (!argv.isEmpty()) argv.set(at, hostile.get(r.nextInt(hostile.size())));
      }
      case 4 -> {
        argv.add(Math.min(at + 1, argv.size()), hostile.get(r.nextInt(hostile.size())));
        argv.add(Math.min(at + 1, argv.size()), options.get(r.nextInt(options.size())));
      }
      default -> {
        if (!argv.isEmpty() && argv.get(at).startsWith("--")) argv.set(at, argv.get(at) + "=" + hostile.get(
            r.nextInt(hostile.size())));
      }
    }
  }

  /** Runs {@code netc argv} in-process with a time limit and checks how it ended. */
  private static void check(List<String> argv) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Future<Integer> run = pool.submit(() -> Main.run(argv.toArray(String[]::new), new PrintWriter(out),
        new PrintWriter(err)));
    int code;
    try {
      code = run.get(LIMIT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      fail("netc " + quoted(argv) + " still running after " + LIMIT_S + " s");
      return;
    } catch (Exception e) {
      fail("netc " + quoted(argv) + " threw " + e.getCause(), e);
      return;
    } finally {
      removeNewFilesInCwd();
    }
    CODES.merge(code, 1, Integer::sum);
    String said = err.toString();
    assertNotEquals(Main.INTERNAL, code, () -> "netc " + quoted(argv) + " exited 3:\n" + said);
    assertFalse(said.contains("internal error") || said.contains("\tat ") || said.contains("    at "),
        () -> "netc " + quoted(argv) + " printed a stack trace or an internal error:\n" + said);
  }

  private static String quoted(List<String> argv) {
    return argv.stream().map(a -> "'" + (a.length() > 60 ? a.substring(0, 60) + "..." : a) + "'")
        .collect(Collectors.joining(" "));
  }

  private static Set<Path> listCwd() {
    try (Stream<Path> s = Files.list(Path.of("").toAbsolutePath())) {
      return s.collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Files a mutation made up a relative name for (ops -o NaN) land where the test runs: remove them. */
  private static void removeNewFilesInCwd() {
    for (Path p : listCwd()) {
      if (cwdBefore.contains(p) || p.getFileName().toString().equals(".jqwik-database")) continue;
      try (Stream<Path> s = Files.walk(p)) {
        s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
