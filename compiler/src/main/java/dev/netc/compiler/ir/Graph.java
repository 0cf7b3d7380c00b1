package dev.netc.compiler.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A network as an immutable DAG: nodes in topological order (a node's inputs come before it), the input nodes,
 * and the named outputs. Built by {@link Builder}, which infers each node's type as it is added.
 *
 * @param detached the parameters of layers the optimizer removed because no output needs them: the network still
 *     declares them, so its weights files hold them and loading accepts them, but nothing reads or counts them
 */
public record Graph(String name, List<Node> nodes, List<Integer> inputs, List<Output> outputs, List<Param> detached) {
  public Graph {
    nodes = List.copyOf(nodes);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    detached = List.copyOf(detached);
  }

  public Graph(String name, List<Node> nodes, List<Integer> inputs, List<Output> outputs) {
    this(name, nodes, inputs, outputs, List.of());
  }

  /** A named output: which node's tensor it is. */
  public record Output(String name, int node) {}

  public Node node(int id) { return nodes.get(id); }

  /** How many nodes read each node's output (outputs count as readers). */
  public int[] useCounts() {
    int[] uses = new int[nodes.size()];
    for (Node n : nodes) for (int i : n.inputs()) uses[i]++;
    for (Output o : outputs) uses[o.node()]++;
    return uses;
  }

  public List<Param> params() {
    List<Param> all = new ArrayList<>();
    for (Node n : nodes) all.addAll(n.params());
    return all;
  }

  /**
   * The tensors the graph's ops derive from their own attributes ({@link ParamSpec.Kind#DERIVED}: Swin's
   * {@code relative_position_index}), by full name, with their values, in graph order, each name once.
   */
  public java.util.Map<String, long[]> derived() {
    java.util.Map<String, long[]> m = new java.util.LinkedHashMap<>();
    for (Node n : nodes) {
      for (Param p : n.params()) {
        if (p.kind() != ParamSpec.Kind.DERIVED || m.containsKey(p.name())) continue;
        m.put(p.name(), switch (n.op()) {
          case WindowAttention w -> w.relativePositionIndex();
          default -> throw new IllegalStateException(n.op().name() + " declares a derived tensor it cannot make");
        });
      }
    }
    return m;
  }

  /** Adds nodes one at a time, inferring types; the graph it builds is checked once more by {@link #build}. */
  public static final class Builder {
    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();
    private final List<Param> detached = new ArrayList<>();

    public Builder(String name) { this.name = name; }

    /** Records parameters of removed layers (see {@link Graph#detached}). */
    public Builder detach(List<Param> params) {
      detached.addAll(params);
      return this;
    }

    /** Adds a node; throws {@link ShapeException} if the op cannot take these inputs. */
    public Node add(String path, Op op, List<Integer> in, dev.netc.compiler.diag.Span span) {
      List<TensorType> types = new ArrayList<>(in.size());
      for (int i : in) types.add(nodes.get(i).type());
      TensorType out = op.infer(types);
      List<Param> params = new ArrayList<>();
      for (ParamSpec p : op.params(types)) {
        // A learned tensor's own name is empty: its full name is the layer's path ({@code class_token}).
        String full = path.isEmpty() ? p.name() : p.name().isEmpty() ? path : path + "." + p.name();
        params.add(new Param(full, p));
      }
      Node n = new Node(nodes.size(), path, op, in, out, params, span);
      nodes.add(n);
      if (op instanceof Input) inputs.add(n.id());
      return n;
    }

    /**
     * Adds a node whose parameter tensors are given with their full names (a rewrite that merges layers, e.g. a
     * conv with the batchnorm folded into it, keeps both layers' tensor names).
     */
    public Node add(String path, Op op, List<Integer> in, dev.netc.compiler.diag.Span span, List<Param> params) {
      List<TensorType> types = new ArrayList<>(in.size());
      for (int i : in) types.add(nodes.get(i).type());
      Node n = new Node(nodes.size(), path, op, in, op.infer(types), params, span);
      nodes.add(n);
      if (op instanceof Input) inputs.add(n.id());
      return n;
    }

    public void output(String outputName, int node) { outputs.add(new Output(outputName, node)); }

    public Node node(int id) { return nodes.get(id); }

    public int size() { return nodes.size(); }

    public Graph build() { return new Graph(name, nodes, inputs, outputs, detached); }
  }
}
