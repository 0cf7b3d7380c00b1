package dev.netc.onnx;

import dev.netc.onnx.proto.OnnxProto.AttributeProto;
import dev.netc.onnx.proto.OnnxProto.NodeProto;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import java.util.ArrayList;
import java.util.List;

/** An ONNX node with its inputs resolved to {@link Val}s (null where absent) and typed attribute access. */
final class NodeView {
  final NodeProto node;
  final int opset;
  private final List<Val> in;

  NodeView(NodeProto node, int opset, List<Val> in) {
    this.node = node;
    this.opset = opset;
    this.in = in;
  }

  String op() { return node.getOpType(); }

  /** The node's name, or its first output's when it has none. */
  String name() {
    if (!node.getName().isEmpty()) return node.getName();
    return node.getOutputCount() > 0 ? node.getOutput(0) : node.getOpType();
  }

  int inputs() { return in.size(); }

  boolean has(int i) { return i < in.size() && in.get(i) != null; }

  Val in(int i) {
    if (!has(i)) throw new ImportIssue("input " + i + " is missing");
    return in.get(i);
  }

  String inputName(int i) { return node.getInput(i); }

  /** The output names in use (trailing optional outputs may be empty strings). */
  int outputsUsed() {
    int n = 0;
    for (String o : node.getOutputList()) if (!o.isEmpty()) n++;
    return n;
  }

  Val.Act act(int i) {
    if (in(i) instanceof Val.Act a) return a;
    throw new ImportIssue("input " + i + " is a constant where a computed tensor is expected");
  }

  Val.Floats floats(int i) {
    return switch (in(i)) {
      case Val.Floats f -> f;
      case Val.Ints n -> new Val.Floats(n.shape(), Folding.floats(n));
      case Val.Act a -> throw new ImportIssue("input " + i + " ('" + inputName(i) + "') must be a constant (a weight), "
          + "but it is computed from the network's input");
    };
  }

  Val.Ints ints(int i) {
    return switch (in(i)) {
      case Val.Ints n -> n;
      case Val.Floats f -> throw new ImportIssue("input " + i + " must be integers, got floats");
      case Val.Act a -> throw new ImportIssue("input " + i + " ('" + inputName(i) + "') must be a constant that netc "
          + "can compute while importing, but it depends on the network's input");
    };
  }

  boolean hasAttr(String name) { return attr(name) != null; }

  AttributeProto attr(String name) {
    for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a;
    return null;
  }

  long attrInt(String name, long dflt) {
    AttributeProto a = attr(name);
    if (a == null) return dflt;
    if (a.getType() != AttributeProto.AttributeType.INT) throw badAttr(name, "an int");
    return a.getI();
  }

  float attrFloat(String name, float dflt) {
    AttributeProto a = attr(name);
    if (a == null) return dflt;
    if (a.getType() != AttributeProto.AttributeType.FLOAT) throw badAttr(name, "a float");
    return a.getF();
  }

  String attrString(String name, String dflt) {
    AttributeProto a = attr(name);
    if (a == null) return dflt;
    if (a.getType() != AttributeProto.AttributeType.STRING) throw badAttr(name, "a string");
    return a.getS().toStringUtf8();
  }

  /** An ints attribute, or null when absent. */
  long[] attrInts(String name) {
    AttributeProto a = attr(name);
    if (a == null) return null;
    if (a.getType() != AttributeProto.AttributeType.INTS) throw badAttr(name, "a list of ints");
    long[] v = new long[a.getIntsCount()];
    for (int i = 0; i < v.length; i++) v[i] = a.getInts(i);
    return v;
  }

  List<Float> attrFloats(String name) {
    AttributeProto a = attr(name);
    if (a == null) return null;
    if (a.getType() != AttributeProto.AttributeType.FLOATS) throw badAttr(name, "a list of floats");
    return new ArrayList<>(a.getFloatsList());
  }

  TensorProto attrTensor(String name) {
    AttributeProto a = attr(name);
    if (a == null) return null;
    if (a.getType() != AttributeProto.AttributeType.TENSOR) throw badAttr(name, "a tensor");
    return a.getT();
  }

  /** The axes of a reduction or (un)squeeze: the attribute before {@code inputSince}, input 1 from it on. */
  long[] axes(int inputSince) {
    if (opset >= inputSince) return has(1) ? ints(1).data() : null;
    return attrInts("axes");
  }

  private ImportIssue badAttr(String name, String expected) {
    return new ImportIssue("attribute " + name + " should be " + expected);
  }
}
