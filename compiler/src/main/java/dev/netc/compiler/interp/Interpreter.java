package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.Node;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference interpreter: runs a typed {@link Graph} node by node on float32 tensors in C order (NCHW, NCL,
 * NCDHW, {@code [N, T, E]}; batch first for batched tensors, none for unbatched ones such as RoI boxes) with the
 * runtime's scalar reference kernels, PyTorch 1.13 semantics. Slow and plain on purpose: it is the oracle that
 * generated code and optimization passes are checked against.
 *
 * <p>Inputs and outputs are keyed by the graph's input and output names; the batch size is taken from the
 * inputs. Every node's result is checked against its inferred type, so a shape rule that disagrees with its
 * kernel is caught at the node. Stateless between runs and safe to share across threads.
 */
public final class Interpreter {
  private final Graph graph;
  private final Weights weights;

  /** An interpreter for {@code graph}; throws {@link InterpreterException} if the weights do not cover it. */
  public Interpreter(Graph graph, Weights weights) {
    weights.check(graph);
    this.graph = graph;
    this.weights = weights;
  }

  public Graph graph() { return graph; }

  /**
   * Runs the graph: inputs by name (each {@code [N, ...declared]}, or exactly the declared shape when unbatched),
   * outputs by name in the graph's order. Bad inputs are an {@link InterpreterException}.
   */
  public Map<String, Tensor> run(Map<String, Tensor> inputs) { return execute(inputs).outputs(); }

  /** As {@link #run}, also reporting every node's output shape and the MACs its kernels executed. */
  public Execution execute(Map<String, Tensor> inputs) {
    Map<Integer, TensorValue> bound = Inputs.bind(graph, inputs);
    int batch = bound.values().stream().filter(TensorValue::batched).mapToInt(TensorValue::batch).findFirst().orElse(1);
    TensorValue[] values = new TensorValue[graph.nodes().size()];
    int[] uses = graph.useCounts();
    List<Execution.NodeRun> runs = new ArrayList<>();
    for (Node n : graph.nodes()) {
      MacCount macs = new MacCount();
      TensorValue v = n.op() instanceof Input ? bound.get(n.id()) : evaluate(n, values, batch, macs);
      checkType(n, v, batch);
      values[n.id()] = v;
      runs.add(new Execution.NodeRun(n, Shape.of(v.dims()), macs.get()));
      release(n, values, uses);
    }
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (Graph.Output o : graph.outputs()) outputs.put(o.name(), values[o.node()].tensor());
    return new Execution(outputs, batch, runs);
  }

  private TensorValue evaluate(Node n, TensorValue[] values, int batch, MacCount macs) {
    List<TensorValue> in = new ArrayList<>(n.inputs().size());
    for (int i : n.inputs()) in.add(values[i]);
    Frame f = new Frame(n.type(), batch, new LayerParams(n.params(), weights), macs);
    try {
      return OpEvaluator.eval(n.op(), in, f);
    } catch (InterpreterException e) {
      // Data errors found while running (a token id out of range) name the layer that met them.
      throw new InterpreterException(n.path() + ": " + e.getMessage());
    }
  }

  /** Drops each input's value after its last reader (outputs count as readers, so they are kept). */
  private static void release(Node n, TensorValue[] values, int[] uses) {
    for (int i : n.inputs()) {
      if (--uses[i] == 0) values[i] = null;
    }
  }

  /** The value a node produced must have the type shape inference gave it: anything else is an interpreter bug. */
  private static void checkType(Node n, TensorValue v, int batch) {
    int[] want = TensorValue.fullDims(n.type(), batch);
    if (!v.type().equals(n.type()) || !Arrays.equals(v.dims(), want)) {
      throw new IllegalStateException("node " + n.path() + " (" + n.op().name() + ") produced " + Arrays.toString(v.dims())
          + " but its inferred type is " + n.type() + " at batch " + batch);
    }
  }
}
