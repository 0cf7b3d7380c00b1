package dev.netc.onnx;

import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.ParamSpec;
import dev.netc.compiler.ir.Shape;
import dev.netc.compiler.ir.ShapeException;
import dev.netc.compiler.ir.TensorType;
import dev.netc.onnx.proto.OnnxProto.GraphProto;
import dev.netc.onnx.proto.OnnxProto.ModelProto;
import dev.netc.onnx.proto.OnnxProto.NodeProto;
import dev.netc.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import dev.netc.onnx.proto.OnnxProto.TensorShapeProto;
import dev.netc.onnx.proto.OnnxProto.TypeProto;
import dev.netc.onnx.proto.OnnxProto.ValueInfoProto;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX model to {@code .net} layers: constants are folded while importing, each remaining node becomes a layer
 * whose IR op of the compiler checks its shapes (or a few nodes become one layer: GELU and LayerNorm written out
 * in primitives, see {@link Patterns}; a bias add into the linear or conv layer before it). Every node that has
 * no {@code .net} spelling is collected, and all of them are reported together in one {@link OnnxException}.
 */
final class Importer {
  static final int MIN_OPSET = 11;
  static final int MAX_OPSET = 21;
  /** The domain of the nodes {@link Patterns} makes that ONNX has no op for. */
  static final String NETC_DOMAIN = "dev.netc";
  /** The front end's limit on the elements of one tensor per batch item. */
  static final long MAX_ELEMENTS = 1L << 31;

  /** A network input: its ONNX name and its type (the first ONNX dim is the batch). */
  record NetInput(String id, TensorType type) {}

  /** A network output: its ONNX name and the value it is. */
  record NetOutput(String name, String id) {}

  /** What the import found. */
  record Result(List<NetInput> inputs, List<Layer> layers, List<NetOutput> outputs, String producer, int opset) {}

  private final GraphProto graph;
  private final int opset;
  private final String where;
  private final Map<String, Val> vals = new HashMap<>();
  private final LinkedHashMap<String, Layer> layers = new LinkedHashMap<>();
  private final Map<String, Integer> nameUses = new HashMap<>();
  private final Map<String, Integer> idUses = new HashMap<>();
  private final Set<String> broken = new HashSet<>();
  private final List<String> issues = new ArrayList<>();

  private Importer(GraphProto graph, int opset, String where) {
    this.graph = graph;
    this.opset = opset;
    this.where = where;
  }

  /** @param where the file's name, for messages */
  static Result run(ModelProto model, String where) {
    if (!model.hasGraph()) throw new OnnxException(where + " has no graph: not an ONNX model");
    int opset = opset(model, where);
    Importer im = new Importer(model.getGraph(), opset, where);
    List<NetInput> inputs = im.declareInputs();
    List<NodeProto> nodes = Patterns.rewrite(model.getGraph().getNodeList(),
        model.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList(), im::constant);
    im.countUses(nodes);
    if (nodes.size() > dev.netc.compiler.sema.Elaborator.MAX_NODES) {
      throw new OnnxException(where + " has " + nodes.size() + " nodes; netc networks have at most "
          + dev.netc.compiler.sema.Elaborator.MAX_NODES + " layers");
    }
    for (NodeProto n : nodes) im.lower(n);
    List<NetOutput> outputs = im.outputs();
    if (!im.issues.isEmpty()) {
      throw new OnnxException("cannot import " + where + ": " + im.issues.size() + " node"
          + (im.issues.size() == 1 ? "" : "s") + " with no .net equivalent: " + String.join("; ", im.issues));
    }
    String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
    return new Result(inputs, List.copyOf(im.layers.values()), outputs, producer, opset);
  }

  private static int opset(ModelProto model, String where) {
    Integer v = null;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) v = (int) Math.min(Integer.MAX_VALUE, o.getVersion());
    }
    if (v == null) throw new OnnxException(where + " declares no opset of the ONNX domain");
    if (v < MIN_OPSET || v > MAX_OPSET) {
      throw new OnnxException(where + " uses ONNX opset " + v + "; netc imports opsets " + MIN_OPSET + " to " + MAX_OPSET
          + " (re-export the model with opset_version=17)");
    }
    return v;
  }

  // ---- inputs, initializers, outputs ----

  private List<NetInput> declareInputs() {
    Set<String> initializers = new HashSet<>();
    for (TensorProto t : graph.getInitializerList()) {
      if (t.getName().isEmpty()) throw new OnnxException(where + ": an initializer has no name");
      vals.put(t.getName(), OnnxTensors.decode(t, where));
      initializers.add(t.getName());
    }
    if (graph.getSparseInitializerCount() > 0) throw new OnnxException(where + " has sparse initializers, which netc does not read");
    List<NetInput> inputs = new ArrayList<>();
    for (ValueInfoProto in : graph.getInputList()) {
      if (initializers.contains(in.getName())) continue;
      TensorType t = inputType(in);
      Val.Act a = new Val.Act(in.getName(), t);
      if (vals.put(in.getName(), a) != null) throw new OnnxException(where + ": input '" + in.getName() + "' is declared twice");
      inputs.add(new NetInput(in.getName(), t));
    }
    if (inputs.isEmpty()) throw new OnnxException(where + " has no inputs");
    return inputs;
  }

  private TensorType inputType(ValueInfoProto in) {
    String what = where + ": input '" + in.getName() + "'";
    TypeProto type = in.getType();
    if (!type.hasTensorType()) throw new OnnxException(what + " is not a tensor");
    int elem = type.getTensorType().getElemType();
    if (elem == TensorProto.DataType.STRING_VALUE || elem == TensorProto.DataType.COMPLEX64_VALUE
        || elem == TensorProto.DataType.COMPLEX128_VALUE || elem == TensorProto.DataType.UNDEFINED_VALUE) {
      throw new OnnxException(what + " has element type " + OnnxTensors.typeName(elem) + "; netc inputs are numbers");
    }
    if (!type.getTensorType().hasShape()) throw new OnnxException(what + " has no shape; netc needs fixed sizes");
    List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
    if (dims.isEmpty()) throw new OnnxException(what + " is a scalar; netc inputs have a batch dimension");
    int[] shape = new int[dims.size() - 1];
    for (int i = 1; i < dims.size(); i++) {
      TensorShapeProto.Dimension d = dims.get(i);
      if (!d.hasDimValue()) {
        throw new OnnxException(what + " has the symbolic dimension '" + d.getDimParam() + "' at axis " + i
            + "; netc needs every size but the batch fixed (re-export without dynamic axes there)");
      }
      if (d.getDimValue() < 1 || d.getDimValue() > Integer.MAX_VALUE) {
        throw new OnnxException(what + " has dimension " + d.getDimValue() + " at axis " + i);
      }
      shape[i - 1] = (int) d.getDimValue();
    }
    TensorType t = TensorType.batched(Shape.of(shape));
    try {
      if (t.elements() <= MAX_ELEMENTS) return t;
    } catch (ArithmeticException e) {
      // too large to count
    }
    throw new OnnxException(what + " is larger than netc's limit of 2^31 elements per batch item");
  }

  private List<NetOutput> outputs() {
    List<NetOutput> out = new ArrayList<>();
    for (ValueInfoProto o : graph.getOutputList()) {
      Val v = vals.get(o.getName());
      if (broken.contains(o.getName())) continue;
      if (v == null) {
        issues.add("output '" + o.getName() + "' is computed by no node");
      } else if (v instanceof Val.Act a) {
        out.add(new NetOutput(o.getName(), a.id()));
      } else {
        issues.add("output '" + o.getName() + "' is a constant, not computed from the input");
      }
    }
    if (out.isEmpty() && issues.isEmpty()) throw new OnnxException(where + " has no outputs");
    return out;
  }

  private void countUses(List<NodeProto> nodes) {
    for (NodeProto n : nodes) for (String i : n.getInputList()) if (!i.isEmpty()) nameUses.merge(i, 1, Integer::sum);
    for (ValueInfoProto o : graph.getOutputList()) nameUses.merge(o.getName(), 1, Integer::sum);
  }

  /** A value that is a constant in the file itself (an initializer or a Constant node's output), or null. */
  private Val constant(String name) {
    Val v = vals.get(name);
    return v instanceof Val.Act ? null : v;
  }

  // ---- nodes ----

  private void lower(NodeProto node) {
    List<Val> in = new ArrayList<>();
    for (String name : node.getInputList()) {
      if (name.isEmpty()) {
        in.add(null);
        continue;
      }
      if (broken.contains(name)) {
        // Its input could not be imported; an op netc does not know at all is still worth naming now.
        if (!known(node)) issues.add(describe(node));
        markBroken(node);
        return;
      }
      Val v = vals.get(name);
      if (v == null) {
        issues.add(describe(node) + ": input '" + name + "' is not computed before this node");
        markBroken(node);
        return;
      }
      in.add(v);
    }
    NodeView view = new NodeView(node, opset, in);
    try {
      if (!known(node)) throw new ImportIssue("");
      NodeLowering.lower(view, this);
      for (String o : node.getOutputList()) {
        if (!o.isEmpty() && !vals.containsKey(o) && nameUses.getOrDefault(o, 0) > 0) {
          throw new ImportIssue("its output '" + o + "' is used, which netc does not compute");
        }
      }
    } catch (ImportIssue e) {
      issues.add(describe(node) + (e.getMessage().isEmpty() ? "" : ": " + e.getMessage()));
      markBroken(node);
    } catch (ShapeException | ArithmeticException e) {
      issues.add(describe(node) + ": " + e.getMessage());
      markBroken(node);
    }
  }

  private static boolean known(NodeProto n) {
    boolean onnx = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") || n.getDomain().equals(NETC_DOMAIN);
    return onnx && NodeLowering.KNOWN.contains(n.getOpType());
  }

  private String describe(NodeProto n) {
    String name = !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : "?";
    String domain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? "" : n.getDomain() + ".";
    return "node '" + name + "' (" + domain + n.getOpType() + ", opset " + opset + ")";
  }

  private void markBroken(NodeProto n) {
    for (String o : n.getOutputList()) if (!o.isEmpty()) broken.add(o);
  }

  // ---- what NodeLowering calls ----

  /** Binds an ONNX output name to a value: a constant, or another name for an existing tensor. */
  void define(String name, Val v) {
    if (name.isEmpty()) return;
    if (vals.containsKey(name)) throw new ImportIssue("value '" + name + "' is computed twice");
    vals.put(name, v);
    if (v instanceof Val.Act a) idUses.merge(a.id(), nameUses.getOrDefault(name, 0) - 1, Integer::sum);
  }

  /**
   * Adds a layer computing ONNX value {@code out}: the op's shape rule gives its type (a {@link ShapeException}
   * becomes this node's issue), and its parameter tensors must have the shapes the op gives them.
   */
  Val.Act layer(NodeView n, String out, Op op, List<Val.Act> in, Map<String, Tensor> tensors) {
    List<TensorType> types = in.stream().map(Val.Act::type).toList();
    TensorType type = op.infer(types);
    checkSize(type);
    checkParams(op, types, tensors);
    if (vals.containsKey(out) || layers.containsKey(out)) throw new ImportIssue("value '" + out + "' is computed twice");
    Layer l = new Layer(out, op, in.stream().map(Val.Act::id).toList(), type, tensors, Hints.of(n), n.name());
    layers.put(out, l);
    Val.Act a = new Val.Act(out, type);
    vals.put(out, a);
    idUses.put(out, nameUses.getOrDefault(out, 0));
    return a;
  }

  /** A helper layer (several per ONNX node) with a fresh id made from the node's output name. */
  Val.Act helper(NodeView n, String out, String suffix, Op op, List<Val.Act> in, Map<String, Tensor> tensors) {
    String id = out + "#" + suffix;
    for (int k = 2; vals.containsKey(id); k++) id = out + "#" + suffix + k;
    Val.Act a = layer(n, id, op, in, tensors);
    idUses.put(id, 1);
    return a;
  }

  /** The front end's limit on one tensor (per batch item); a larger one is this node's issue. */
  private static void checkSize(TensorType t) {
    try {
      if (t.elements() <= MAX_ELEMENTS) return;
    } catch (ArithmeticException e) {
      // too large to count
    }
    throw new ImportIssue("its output " + t + " is larger than netc's limit of 2^31 elements per batch item");
  }

  private static void checkParams(Op op, List<TensorType> types, Map<String, Tensor> tensors) {
    for (ParamSpec p : op.params(types)) {
      if (p.kind() == ParamSpec.Kind.UNUSED) continue;
      Tensor t = tensors.get(p.name());
      if (t == null) throw new IllegalStateException(op.name() + " lacks tensor " + p.name());
      if (!java.util.Arrays.equals(t.shape().dims(), p.shape().toArray())) {
        throw new ImportIssue(op.name() + " " + p.name() + " has shape " + java.util.Arrays.toString(t.shape().dims())
            + ", expected " + p.shape() + " for its input " + types.getFirst());
      }
    }
  }

  /** The layer that computes a tensor, or null for a network input. */
  Layer producer(Val.Act a) { return layers.get(a.id()); }

  /** How many ONNX consumers (nodes and outputs) read a tensor, through any aliases. */
  int uses(Val.Act a) { return idUses.getOrDefault(a.id(), 0); }

  /** Replaces a layer in place (same id, same type): a fold of a following bias or scale into it. */
  void replace(Layer l) {
    if (!layers.containsKey(l.id())) throw new IllegalStateException("no layer " + l.id());
    layers.put(l.id(), l);
  }
}
