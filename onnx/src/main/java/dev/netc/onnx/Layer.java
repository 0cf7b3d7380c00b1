package dev.netc.onnx;

import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.Tensor;
import java.util.List;
import java.util.Map;

/**
 * One {@code .net} layer made from ONNX nodes: an IR op of the compiler (whose shape rule checked it), the
 * tensors it reads (the flow first, then tensor arguments), its output type, and its parameter tensors by the
 * op's own names ({@code weight}, {@code bias}, {@code running_mean}, ...).
 *
 * @param id the name of the value it computes (the ONNX output name)
 * @param hint where a label can come from: the PyTorch module path of the ONNX node or weight, or null
 * @param source the ONNX node it came from, for messages
 */
record Layer(String id, Op op, List<String> inputs, TensorType type, Map<String, Tensor> tensors, String hint,
    String source) {
  Layer {
    inputs = List.copyOf(inputs);
    tensors = Map.copyOf(tensors);
  }

  Layer withOp(Op newOp, Map<String, Tensor> newTensors) {
    return new Layer(id, newOp, inputs, type, newTensors, hint, source);
  }
}
