package dev.netc.suite.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.analysis.ReportError;
import dev.netc.compiler.diag.UserError;
import dev.netc.suite.Repo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Mutation fuzzing of {@code .net} programs through the {@link Compiler} facade: each standard-library model, shared
 * block file and test-suite program, with one to three token mutations (a token deleted, duplicated, swapped with
 * another, or a number replaced by an extreme: 0, -1, 2^31, 2^63, 1e39, NaN, ...), is compiled, reported, planned
 * and emitted as Java (not javac'd). Every mutant must finish within {@link #BOUND_SECONDS} (a hang fails) and may
 * fail only with a {@link UserError}, a {@link ReportError} from the report (counts beyond 64 bits), or the emitter's
 * {@link UnsupportedOperationException} for a valid network it cannot generate yet; anything else is an internal
 * error. Cases per run: {@code jqwik.tries.default}
 * (test-suite's {@code junit-platform.properties}; {@code -Pfuzz-long} runs 100,000).
 */
class ProgramMutationFuzzTest {
  /** Seconds one mutant may take, from parse to emitted Java, on a loaded machine. */
  static final int BOUND_SECONDS = 20;
  private static final Pattern TOKEN = Pattern.compile(
      "\"[^\"\\n]*\"|#[^\\n]*|\\d[\\d_]*(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|[A-Za-z_][A-Za-z0-9_]*|->|==|!=|<=|>=|\\*\\*|//|\\S");
  private static final Pattern NUMBER = Pattern.compile("\\d.*");
  private static final String[] EXTREMES = {"0", "-1", "1", "2147483647", "2147483648", "-2147483648",
      "9223372036854775807", "9223372036854775808", "1e39", "-1e39", "1e-45", "NaN", "Infinity", "1e308", "0.0"};
  private static final List<Seed> SEEDS = seeds();
  private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mutant");
    t.setDaemon(true);
    return t;
  });

  /** A program of the corpus: its path (imports resolve beside it) and its tokens with the text before each. */
  record Seed(Path file, List<String> tokens, List<String> gaps, String tail) {}

  /** A mutated program and what was done to it. */
  record Mutant(Path file, String text, String what) {
    @Override
    public String toString() { return file.getFileName() + " " + what; }
  }

  private static List<Seed> seeds() {
    Path root = Repo.root();
    List<Path> files = new ArrayList<>();
    for (Path dir : List.of(root.resolve("stdlib-models"), root.resolve("stdlib-models/blocks"),
        root.resolve("test-suite/src/test/resources"))) {
      try (Stream<Path> s = dir.equals(root.resolve("test-suite/src/test/resources")) ? Files.walk(dir)
          : Files.list(dir)) {
        s.filter(p -> p.toString().endsWith(".net")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files.stream().map(ProgramMutationFuzzTest::seed).toList();
  }

  private static Seed seed(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> tokens = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    int end = 0;
    while (m.find()) {
      gaps.add(text.substring(end, m.start()));
      tokens.add(m.group());
      end = m.end();
    }
    return new Seed(file, tokens, gaps, text.substring(end));
  }

  /** One to three mutations of a seed, drawn from {@code random}. */
  static Mutant mutate(Seed seed, Random random) {
    List<String> tokens = new ArrayList<>(seed.tokens());
    List<String> gaps = new ArrayList<>(seed.gaps());
    StringBuilder what = new StringBuilder();
    int count = 1 + random.nextInt(3);
    for (int k = 0; k < count && !tokens.isEmpty(); k++) {
      int i = random.nextInt(tokens.size());
      switch (random.nextInt(5)) {
        case 0 -> {
          what.append("delete ").append(tokens.get(i)).append(" @").append(i).append("; ");
          tokens.remove(i);
          gaps.remove(i);
        }
        case 1 -> {
          what.append("duplicate ").append(tokens.get(i)).append(" @").append(i).append("; ");
          tokens.add(i, tokens.get(i));
          gaps.add(i + 1, " ");
        }
        case 2 -> {
          int j = random.nextBoolean() ? Math.min(i + 1, tokens.size() - 1) : random.nextInt(tokens.size());
          what.append("swap ").append(tokens.get(i)).append(" @").append(i).append(" with ").append(tokens.get(j))
              .append(" @").append(j).append("; ");
          String t = tokens.get(i);
          tokens.set(i, tokens.get(j));
          tokens.set(j, t);
        }
        default -> {
          List<Integer> numbers = new ArrayList<>();
          for (int n = 0; n < tokens.size(); n++) if (NUMBER.matcher(tokens.get(n)).matches()) numbers.add(n);
          int at = numbers.isEmpty() ? i : numbers.get(random.nextInt(numbers.size()));
          String extreme = EXTREMES[random.nextInt(EXTREMES.length)];
          what.append("number ").append(tokens.get(at)).append(" @").append(at).append(" -> ").append(extreme)
              .append("; ");
          tokens.set(at, extreme);
        }
      }
    }
    StringBuilder text = new StringBuilder();
    for (int n = 0; n < tokens.size(); n++) text.append(gaps.get(n)).append(tokens.get(n));
    return new Mutant(seed.file(), text.append(seed.tail()).toString(), what.toString().strip());
  }

  @Provide
  Arbitrary<Mutant> mutants() {
    return Arbitraries.integers().between(0, SEEDS.size() - 1).flatMap(i -> Arbitraries.longs()
        .map(seed -> mutate(SEEDS.get(i), new Random(seed))));
  }

  @Property(shrinking = ShrinkingMode.OFF)
  void aMutantCompilesOrGivesDiagnosticsWithinTheBound(@ForAll("mutants") Mutant m) {
    Statistics.collect(check(m));
  }

  /**
   * Not part of a normal run: with {@code -Dnetc.fuzz.survey=N}, N mutants (seeded 0..N-1), each failure class
   * (exception type and the frame that threw it, or a hang) printed once with a count and its first mutant, so
   * that one run shows every class instead of the first failure.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "netc.fuzz.survey", matches = "\\d+")
  void survey() {
    int n = Integer.getInteger("netc.fuzz.survey");
    java.util.Map<String, List<String>> classes = new java.util.TreeMap<>();
    for (int i = 0; i < n; i++) {
      Random r = new Random(i);
      Mutant m = mutate(SEEDS.get(r.nextInt(SEEDS.size())), r);
      try {
        check(m);
      } catch (AssertionError e) {
        String msg = e.getMessage();
        String key = msg.contains("a hang") ? "hang" : msg.substring(msg.indexOf("internal error") + 15)
            .replaceAll("(?s):.*?(\\[\\S+)", " $1").lines().findFirst().orElse("").replaceAll(", .*", "");
        classes.computeIfAbsent(key, k -> new ArrayList<>()).add(msg.lines().limit(3).toList().toString());
      }
    }
    classes.forEach((k, v) -> System.out.println("CLASS " + v.size() + " x " + k + "\n  " + v.getFirst()));
    System.out.println("SURVEY " + n + " mutants, " + classes.values().stream().mapToInt(List::size).sum()
        + " failures in " + classes.size() + " classes");
  }

  /**
   * Compiles, reports, plans and emits {@code m} on a thread of its own, within the bound; returns how far it got
   * ({@code emitted}, {@code diagnostics}, ...) for the statistics jqwik prints.
   */
  static String check(Mutant m) {
    String[] outcome = {"emitted"};
    Future<Throwable> f = RUNNER.submit(() -> {
      try {
        run(m, outcome);
        return null;
      } catch (UserError e) {
        outcome[0] = "diagnostics";
        return null;
      } catch (Throwable e) {
        return e;
      }
    });
    Throwable internal;
    try {
      internal = f.get(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      fail(m + ": no answer within " + BOUND_SECONDS + " s (a hang)\n" + m.text());
      return "hang";
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
    if (internal != null) {
      StringWriter trace = new StringWriter();
      internal.printStackTrace(new PrintWriter(trace));
      fail(m + ": internal error " + internal + "\n" + trace.toString().lines().limit(12).toList() + "\n" + m.text());
    }
    return outcome[0];
  }

  private static void run(Mutant m, String[] outcome) {
    Compilation c = Compiler.compile(Compiler.Options.text(m.file(), m.text()));
    if (c.networks().isEmpty()) outcome[0] = "checked (no network)";
    for (Compilation.Network n : c.networks()) {
      try {
        n.report();
      } catch (ReportError e) {
        // Counts beyond 64 bits: netc report says so in one line.
        outcome[0] = "report error";
      }
      n.plan();
      try {
        n.java().toString();
      } catch (UnsupportedOperationException e) {
        // A valid network the Java emitter cannot generate yet: netc says so in one line.
        outcome[0] = "not emitted yet";
      }
    }
  }

  @AfterContainer
  static void stopRunner() { RUNNER.shutdownNow(); }
}
