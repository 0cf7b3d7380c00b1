package dev.netc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: runs the CLI in-process and captures its streams. */
final class ReportCli {
  private ReportCli() {}

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  static Path write(String name, String source) {
    try {
      Path file = Files.createTempDirectory("netc-report").resolve(name);
      Files.writeString(file, source);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A small residual network with two stages: params 4,672 + ..., for budgets, depth and JSON tests. */
  static final String SMALL = """
      block Block(c: int) {
        residual {
          conv1: conv(c, 3, pad: 1, bias: false); bn1: batchnorm; relu
          conv2: conv(c, 3, pad: 1, bias: false); bn2: batchnorm
        }
        relu
      }
      network small(classes: int = 10) {
        input image: [3, 32, 32]
        stem: conv(16, 3, pad: 1, bias: false); bn: batchnorm; relu
        layer1: stage { repeat 2: Block(16) }
        head logits { pool: global_avgpool; flatten; fc: linear(classes) }
      }
      """;
}
