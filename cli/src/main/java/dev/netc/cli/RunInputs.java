package dev.netc.cli;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The .npy tensors given to {@code netc run}, held against a network's declared inputs. A batched input's file is
 * {@code [N, dims...]} with the declared rank; an unbatched one is exactly its dims. Where the dims after the batch
 * differ from the declaration, the network is elaborated again at the file's sizes ({@link #sizes}); a rank that
 * differs cannot be fixed that way and is an error naming the input and both shapes.
 */
final class RunInputs {
  private RunInputs() {}

  /** Input name to the file's dims without batch, for each input whose file differs from the declaration. */
  static Map<String, List<Integer>> sizes(Graph g, Map<String, Tensor> given) {
    Map<String, List<Integer>> sizes = new LinkedHashMap<>();
    for (int id : g.inputs()) {
      String name = name(g.node(id));
      TensorType type = g.node(id).type();
      int[] dims = given.get(name).shape().dims();
      if (dims.length != type.fullRank() || type.batched() && dims[0] < 1) {
        throw new RunCommand.RunError("input '" + name + "': expected " + type + ", got " + Arrays.toString(dims)
            + (type.batched() ? " (batch first, then " + type.shape() + ")" : ""));
      }
      int[] tail = type.batched() ? Arrays.copyOfRange(dims, 1, dims.length) : dims;
      if (!Arrays.equals(tail, type.shape().toArray())) sizes.put(name, Arrays.stream(tail).boxed().toList());
    }
    return sizes;
  }

  /** {@code input 'x' is [1, 3, 100, 100], declared [N, 3, 224, 224]}: what a resized run says first. */
  static String mismatch(Graph declared, Map<String, Tensor> given, Map<String, List<Integer>> sizes) {
    StringBuilder b = new StringBuilder();
    for (int id : declared.inputs()) {
      String name = name(declared.node(id));
      if (!sizes.containsKey(name)) continue;
      if (!b.isEmpty()) b.append(", ");
      b.append("input '").append(name).append("' is ").append(Arrays.toString(given.get(name).shape().dims()))
          .append(", declared ").append(declared.node(id).type());
    }
    return b.toString();
  }

  /** The batch size shared by every batched input (1 when none is batched). */
  static int batch(Graph g, Map<String, Tensor> given) {
    int batch = -1;
    String first = null;
    for (int id : g.inputs()) {
      if (!g.node(id).type().batched()) continue;
      String name = name(g.node(id));
      int b = given.get(name).shape().dims()[0];
      if (batch >= 0 && b != batch) {
        throw new RunCommand.RunError("input '" + name + "' has batch size " + b + " but input '" + first + "' has "
            + batch);
      }
      batch = b;
      first = name;
    }
    return Math.max(batch, 1);
  }

  /** The tensors in the graph's input order, as the generated session takes them. */
  static float[][] arrays(Graph g, Map<String, Tensor> given) {
    float[][] in = new float[g.inputs().size()][];
    for (int i = 0; i < in.length; i++) in[i] = given.get(name(g.node(g.inputs().get(i)))).data();
    return in;
  }

  static String name(Node input) { return ((Input) input.op()).inputName(); }
}
