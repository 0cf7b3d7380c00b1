package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the tensors a caller gives to a graph's input nodes: every input present by name and nothing else,
 * each shape equal to the declared one after a leading batch dimension (batched inputs) or exactly (unbatched
 * ones), and one batch size shared by all batched inputs.
 */
final class Inputs {
  private Inputs() {}

  /** The bound values by input node id, all with the batch size found. */
  static Map<Integer, TensorValue> bind(Graph g, Map<String, Tensor> given) {
    Map<String, Node> declared = new LinkedHashMap<>();
    for (int id : g.inputs()) declared.put(((Input) g.node(id).op()).inputName(), g.node(id));
    for (String name : given.keySet()) {
      if (!declared.containsKey(name)) {
        throw new InterpreterException("network " + g.name() + " has no input '" + name + "'; its inputs: "
            + describe(declared));
      }
    }
    int batch = batch(declared, given);
    Map<Integer, TensorValue> bound = new LinkedHashMap<>();
    declared.forEach((name, n) -> bound.put(n.id(), new TensorValue(n.type(), batch, given.get(name).data())));
    return bound;
  }

  private static int batch(Map<String, Node> declared, Map<String, Tensor> given) {
    int batch = -1;
    String first = null;
    for (var e : declared.entrySet()) {
      Tensor t = given.get(e.getKey());
      if (t == null) {
        throw new InterpreterException("missing input '" + e.getKey() + "'; the network's inputs: " + describe(declared));
      }
      TensorType type = e.getValue().type();
      int[] dims = t.shape().dims();
      checkShape(e.getKey(), type, dims);
      if (!type.batched()) continue;
      if (batch >= 0 && dims[0] != batch) {
        throw new InterpreterException("input '" + e.getKey() + "' has batch size " + dims[0] + " but input '" + first
            + "' has " + batch);
      }
      batch = dims[0];
      first = e.getKey();
    }
    return Math.max(batch, 1);
  }

  private static void checkShape(String name, TensorType type, int[] dims) {
    int[] want = type.shape().toArray();
    int[] tail = type.batched() && dims.length > 0 ? Arrays.copyOfRange(dims, 1, dims.length) : dims;
    boolean ok = dims.length == type.fullRank() && Arrays.equals(tail, want) && (!type.batched() || dims[0] >= 1);
    if (!ok) {
      throw new InterpreterException("input '" + name + "': expected " + type + ", got " + Arrays.toString(dims)
          + (type.batched() ? " (batch first, then " + type.shape() + ")" : ""));
    }
  }

  private static String describe(Map<String, Node> declared) {
    List<String> parts = new ArrayList<>();
    declared.forEach((name, n) -> parts.add(name + " " + n.type()));
    return String.join(", ", parts);
  }
}
