package dev.netc.cli;

import dev.netc.compiler.analysis.Numbers;
import dev.netc.compiler.analysis.Totals;
import dev.netc.onnx.OnnxException;
import dev.netc.onnx.OnnxImport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc import model.onnx -o model.net [--weights-out W.safetensors]}: an ONNX model as a readable .net file
 * (named tensors where the graph branches, residual and concat blocks where they are plain), re-checked by the front
 * end before anything is written, and its weights under the names the .net file gives them.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Turn an ONNX model into a .net file (and its weights into safetensors).")
final class ImportCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model.")
  Path model;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.net",
      description = "The .net file to write; the network is named after it.")
  Path output;

  @Option(names = "--weights-out", paramLabel = "W.safetensors", description = "Also write the weights.")
  Path weightsOut;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      OnnxImport.Imported imported;
      try {
        imported = OnnxImport.importModel(model, output, Optional.ofNullable(weightsOut));
      } catch (OnnxException e) {
        throw CliException.user(e.getMessage());
      }
      Totals t = Totals.of(imported.graph(), 1);
      out.println(imported.network() + ": " + imported.graph().nodes().size() + " layers, "
          + Numbers.grouped(t.params()) + " params, " + Numbers.grouped(t.macs()) + " MACs -> " + output
          + (weightsOut == null ? "" : " (weights: " + weightsOut + ")"));
      out.flush();
      return Main.OK;
    });
  }
}
