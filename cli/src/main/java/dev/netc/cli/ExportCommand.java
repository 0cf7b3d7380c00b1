package dev.netc.cli;

import dev.netc.onnx.OnnxException;
import dev.netc.onnx.OnnxExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code netc export FILE [--weights W.safetensors] -o model.onnx}: the network as an ONNX model (opset 17) that ONNX
 * Runtime, TensorRT or Netron open: weights as initializers under their .net names (without {@code --weights} they are
 * graph inputs), a symbolic batch dimension, node names from layer paths, every layer's shape as {@code value_info}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write a network as an ONNX model (opset 17).")
final class ExportCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .net file.")
  Path file;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write the model.")
  Path output;

  @Option(names = "--weights", paramLabel = "W.safetensors",
      description = "Weights to embed as initializers (default: none; the parameters become graph inputs).")
  Path weights;

  @Mixin NetworkOptions networkOptions;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    var params = ReportCommand.parse(spec, networkOptions::values);
    Reporter reporter = new Reporter(err, main.useColor());
    return reporter.guard(() -> {
      try {
        OnnxExport.export(file, networkOptions.network, params, Optional.ofNullable(weights), output);
      } catch (OnnxException e) {
        throw CliException.user(e.getMessage());
      }
      return Main.OK;
    });
  }
}
