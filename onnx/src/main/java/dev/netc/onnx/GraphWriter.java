package dev.netc.onnx;

import com.google.protobuf.ByteString;
import dev.netc.compiler.ir.TensorType;
import dev.netc.onnx.proto.OnnxProto.AttributeProto;
import dev.netc.onnx.proto.OnnxProto.GraphProto;
import dev.netc.onnx.proto.OnnxProto.NodeProto;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import dev.netc.onnx.proto.OnnxProto.TensorShapeProto;
import dev.netc.onnx.proto.OnnxProto.TypeProto;
import dev.netc.onnx.proto.OnnxProto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an ONNX {@link GraphProto}: nodes with unique names, values with unique (SSA) names, constants as
 * initializers. Helper values and constants of a layer are named under the layer's path with a {@code /}
 * ({@code layer1.0.conv1/pads}), which no {@code .net} name contains, so they never clash with the layers' own
 * names or their parameter tensors.
 */
final class GraphWriter {
  /** The symbolic name of the batch dimension in every batched input, output and value_info. */
  static final String BATCH = "N";

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> values = new HashSet<>();
  private final Map<String, Integer> nodeNames = new HashMap<>();

  GraphWriter(String name) { graph.setName(name); }

  GraphProto build() { return graph.build(); }

  /** Claims a value name; false if it is taken. */
  boolean reserve(String name) { return values.add(name); }

  /** A value name not used yet: {@code base}, else {@code base_2}, {@code base_3}, ... */
  String fresh(String base) {
    if (values.add(base)) return base;
    for (int i = 2;; i++) {
      String n = base + "_" + i;
      if (values.add(n)) return n;
    }
  }

  /** Adds a node writing the (already reserved) value {@code output}; the node is named {@code name}, made unique. */
  void node(String op, String name, List<String> inputs, String output, AttributeProto... attrs) {
    nodes(op, name, inputs, List.of(output), attrs);
  }

  void nodes(String op, String name, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(uniqueNodeName(name));
    n.addAllInput(inputs).addAllOutput(outputs);
    for (AttributeProto a : attrs) n.addAttribute(a);
    graph.addNode(n);
  }

  /** Adds a helper node of layer {@code path} whose output is a fresh value {@code path/op}; returns that value. */
  String temp(String op, String path, List<String> inputs, AttributeProto... attrs) {
    String out = fresh(path + "/" + op);
    node(op, path + "/" + op, inputs, out, attrs);
    return out;
  }

  private String uniqueNodeName(String name) {
    int k = nodeNames.merge(name, 1, Integer::sum);
    return k == 1 ? name : name + "_" + k;
  }

  /** A 1-D int64 constant. */
  String ints(String base, long... v) {
    String name = fresh(base);
    graph.addInitializer(longTensor(name, new long[] {v.length}, v));
    return name;
  }

  /** A float constant of the given dims (no dims: a scalar). */
  String floats(String base, long[] dims, float... v) {
    String name = fresh(base);
    graph.addInitializer(floatTensor(name, dims, v));
    return name;
  }

  String scalar(String base, double v) { return floats(base, new long[0], (float) v); }

  /** Adds an initializer under its own name, which must be free. */
  void initializer(TensorProto t) {
    if (!reserve(t.getName())) throw new IllegalStateException("value name used twice: " + t.getName());
    graph.addInitializer(t);
  }

  void input(ValueInfoProto v) { graph.addInput(v); }

  void output(ValueInfoProto v) { graph.addOutput(v); }

  void valueInfo(ValueInfoProto v) { graph.addValueInfo(v); }

  static TensorProto floatTensor(String name, long[] dims, float[] v) {
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(v.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) t.addDims(d);
    return t.setRawData(ByteString.copyFrom(b.array())).build();
  }

  static TensorProto longTensor(String name, long[] dims, long[] v) {
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(v.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(v);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
    for (long d : dims) t.addDims(d);
    return t.setRawData(ByteString.copyFrom(b.array())).build();
  }

  /** A float tensor's value info: the batch as the symbolic dim {@value #BATCH} when batched. */
  static ValueInfoProto info(String name, TensorType t) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    if (t.batched()) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
    for (int i = 0; i < t.rank(); i++) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(t.dim(i)));
    return info(name, s);
  }

  static ValueInfoProto info(String name, int[] dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (int d : dims) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    return info(name, s);
  }

  private static ValueInfoProto info(String name, TensorShapeProto.Builder shape) {
    TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
        .setShape(shape);
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tt)).build();
  }
}
