package dev.netc.compiler.analysis;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.ir.Graph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helper: elaborates .net source text (written to a temporary file) and reports it. */
final class AnalysisNets {
  private AnalysisNets() {}

  static Path write(String source) {
    try {
      Path dir = Files.createTempDirectory("netc-analysis");
      Path file = dir.resolve("t.net");
      Files.writeString(file, source);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Graph graph(String source) { return graphs(source).getFirst(); }

  static List<Graph> graphs(String source) { return Compiler.compile(write(source)).graphs(); }

  /** A network {@code t} with one input and the given body. */
  static NetworkReport report(String input, String body, int batch) {
    return NetworkReport.of(graph("network t {\n  input x: " + input + "\n" + body + "\n}\n"), batch);
  }

  static NetworkReport report(String input, String body) { return report(input, body, 1); }

  static LayerStats layer(NetworkReport r, String path) {
    return r.layers().stream().filter(l -> l.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no layer " + path + " in "
            + r.layers().stream().map(LayerStats::path).toList()));
  }
}
