package dev.netc.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: the CLI in a JVM of its own (for kill -9 and for what the real standard streams do). */
final class ChildCli {
  private ChildCli() {}

  /** A process builder for {@code netc args...} on this JVM, with the test class path and the Vector API. */
  static ProcessBuilder builder(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Xshare:auto", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(args);
    return new ProcessBuilder(cmd);
  }

  /** Runs {@code netc args...} to the end with standard output going to {@code stdout}; returns the exit code. */
  static Result run(File stdout, String... args) throws IOException, InterruptedException {
    Process p = builder(List.of(args)).redirectOutput(stdout).redirectError(ProcessBuilder.Redirect.PIPE).start();
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new Result(p.waitFor(), err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules"))
        .reduce("", (a, b) -> a + b + "\n"));
  }

  record Result(int code, String err) {}
}
