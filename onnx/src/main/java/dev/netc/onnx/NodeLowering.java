package dev.netc.onnx;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Flatten;
import dev.netc.compiler.ir.MatMul;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Reduce;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.Shape;
import dev.netc.compiler.ir.Slice;
import dev.netc.compiler.ir.Softmax;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ir.Upsample;
import dev.netc.runtime.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * One ONNX node to what it means for the {@code .net} network: a constant (folded now), another name for a tensor
 * (Identity, Dropout, Cast), or a layer with an IR op of the compiler. Attributes are read with ONNX's defaults
 * for the node's opset; anything outside what the {@code .net} op means (a Resize mode PyTorch never writes, a
 * Reshape that mixes the batch into other dims) is an {@link ImportIssue} saying so. The ops are in three files:
 * {@link DataLowering} (constants and data movement), {@link ArithmeticLowering} (element-wise arithmetic) and
 * {@link LayerLowering} (layers with weights, activations, pooling, resizing); this class dispatches and holds
 * what they share.
 */
abstract sealed class NodeLowering permits DataLowering, ArithmeticLowering, LayerLowering {
  /** Sizes, kernels and strides beyond this are not a real network: the file is damaged or hostile. */
  static final long MAX_DIM = 1 << 24;

  final NodeView n;
  final Importer g;

  NodeLowering(NodeView n, Importer g) {
    this.n = n;
    this.g = g;
  }

  /** Every op type {@link #lower} knows (some only for constants, or with conditions it checks). */
  static final java.util.Set<String> KNOWN = java.util.Set.of(
      "Constant", "Identity", "Dropout", "Cast", "Shape", "Size", "Gather", "Unsqueeze", "Squeeze", "Concat",
      "Reshape", "Flatten", "Transpose", "Slice", "Split", "ConstantOfShape", "Range", "Expand", "Where", "Not",
      "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Mod", "Max", "Min", "Pow",
      "Add", "Sub", "Mul", "Div", "Sum", "Neg", "Sqrt", "Reciprocal", "Floor", "Ceil", "Exp", "Log", "Conv",
      "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "InstanceNormalization", "LayerNormalization",
      "LRN", "Relu", "Sigmoid", "Tanh", "HardSwish", "Silu", "Gelu", "LeakyRelu", "Elu", "Softplus",
      "GroupNorm", "HardSigmoid", "Clip", "Softmax", "LogSoftmax", "MaxPool", "AveragePool",
      "GlobalAveragePool", "GlobalMaxPool", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ArgMax", "Pad",
      "Resize", "Upsample");

  static void lower(NodeView n, Importer g) {
    DataLowering data = new DataLowering(n, g);
    ArithmeticLowering arithmetic = new ArithmeticLowering(n, g);
    LayerLowering layers = new LayerLowering(n, g);
    switch (n.op()) {
      case "Constant" -> g.define(data.out(), data.constant());
      case "Identity" -> g.define(data.out(), n.in(0));
      case "Dropout" -> data.dropout();
      case "Cast" -> data.cast();
      case "Shape" -> data.shape();
      case "Size" -> data.size();
      case "Gather" -> data.gather();
      case "Unsqueeze" -> data.unsqueeze();
      case "Squeeze" -> data.squeeze();
      case "Concat" -> data.concat();
      case "Reshape" -> data.reshape();
      case "Flatten" -> data.flatten();
      case "Transpose" -> data.transpose();
      case "Slice" -> data.slice();
      case "Split" -> data.split();
      case "ConstantOfShape" -> data.constantOfShape();
      case "Range" -> data.range();
      case "Expand" -> g.define(data.out(), Folding.expand(data.constIn(0), n.ints(1).data()));
      case "Where" -> g.define(data.out(), Folding.where(n.ints(0), data.constIn(1), data.constIn(2)));
      case "Not" -> {
        Val.Ints x = n.ints(0);
        long[] o = new long[x.data().length];
        for (int i = 0; i < o.length; i++) o[i] = x.data()[i] == 0 ? 1 : 0;
        g.define(data.out(), new Val.Ints(x.shape(), o));
      }
      case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Mod", "Max", "Min", "Pow" ->
          g.define(data.out(), Folding.binary(n.op(), data.constIn(0), data.constIn(1)));
      case "Add", "Sub", "Mul", "Div" -> arithmetic.arithmetic();
      case "Sum" -> arithmetic.sum();
      case "Neg" -> arithmetic.neg();
      case "Sqrt", "Reciprocal", "Floor", "Ceil", "Exp", "Log" -> data.unaryConstant();
      case "Conv" -> layers.conv();
      case "ConvTranspose" -> layers.convTranspose();
      case "Gemm" -> layers.gemm();
      case "MatMul" -> layers.matmul();
      case "BatchNormalization" -> layers.batchNorm();
      case "InstanceNormalization" -> layers.instanceNorm();
      case "LayerNormalization" -> layers.layerNorm();
      case "LRN" -> layers.lrn();
      case "Relu" -> layers.activation(Activation.Kind.RELU, 0, 0);
      case "Sigmoid" -> layers.activation(Activation.Kind.SIGMOID, 0, 0);
      case "Tanh" -> layers.activation(Activation.Kind.TANH, 0, 0);
      case "HardSwish" -> layers.activation(Activation.Kind.HARDSWISH, 0, 0);
      case "Silu" -> layers.activation(Activation.Kind.SILU, 0, 0);
      case "Gelu" -> layers.gelu();
      case "LeakyRelu" -> layers.activation(Activation.Kind.LEAKY_RELU, number(n.attrFloat("alpha", 0.01f)), 0);
      case "Elu" -> layers.activation(Activation.Kind.ELU, number(n.attrFloat("alpha", 1f)), 0);
      case "Softplus" -> layers.activation(Activation.Kind.SOFTPLUS, number(n.attrFloat("beta", 1f)),
          number(n.attrFloat("threshold", 20f)));
      case "GroupNorm" -> layers.groupNorm();
      case "HardSigmoid" -> layers.hardSigmoid();
      case "Clip" -> layers.clip();
      case "Softmax", "LogSoftmax" -> layers.softmax();
      case "MaxPool", "AveragePool" -> layers.pool();
      case "GlobalAveragePool", "GlobalMaxPool" -> layers.globalPool();
      case "ReduceMean" -> layers.reduceMean();
      case "ReduceSum" -> layers.reduce(Reduce.Kind.SUM, 13);
      case "ReduceMax" -> layers.reduce(Reduce.Kind.MAX, 18);
      case "ReduceMin" -> layers.reduce(Reduce.Kind.MIN, 18);
      case "ArgMax" -> layers.argMax();
      case "Pad" -> layers.pad();
      case "Resize", "Upsample" -> layers.resize();
      default -> throw new ImportIssue("");
    }
  }

  String out() {
    if (n.node.getOutputCount() == 0) throw new ImportIssue("it has no output");
    return n.node.getOutput(0);
  }

  /** Shape of a tensor: dim 0 of a batched one is the batch size, known only at run time. */
  static long[] fullShape(Val v) {
    return switch (v) {
      case Val.Act a -> {
        long[] s = new long[a.type().fullRank()];
        int off = a.type().batched() ? 1 : 0;
        if (a.type().batched()) s[0] = Val.BATCH;
        for (int i = 0; i < a.type().rank(); i++) s[i + off] = a.type().dim(i);
        yield s;
      }
      default -> Arrays.stream(Folding.shape(v)).asLongStream().toArray();
    };
  }

  static String dimText(long d) { return d == Val.BATCH ? "N (the batch)" : String.valueOf(d); }

  static float[] expand(float[] one, int n) {
    float[] o = new float[n];
    Arrays.fill(o, one[0]);
    return o;
  }

  // ---- attribute helpers ----

  /** Explicit pads or auto_pad, as {begins, ends} per spatial dim. */
  int[][] pads(int dims, TensorType x, int[] k, int[] s, int[] d) {
    String auto = n.attrString("auto_pad", "NOTSET");
    int[] b = new int[dims];
    int[] e = new int[dims];
    switch (auto) {
      case "NOTSET" -> {
        long[] p = n.attrInts("pads");
        if (p != null) {
          if (p.length != 2 * dims) throw new ImportIssue("pads has " + p.length + " values for " + dims + " spatial dims");
          for (int i = 0; i < dims; i++) {
            b[i] = nonNegative("pads", p[i]);
            e[i] = nonNegative("pads", p[dims + i]);
          }
        }
      }
      case "VALID" -> { }
      case "SAME_UPPER", "SAME_LOWER" -> {
        for (int i = 0; i < dims; i++) {
          long in = x.dim(i + 1);
          long outSize = Math.ceilDiv(in, s[i]);
          long total = Math.max(0, (outSize - 1) * s[i] + (long) (k[i] - 1) * d[i] + 1 - in);
          int small = (int) (total / 2);
          b[i] = auto.equals("SAME_UPPER") ? small : (int) total - small;
          e[i] = (int) total - b[i];
        }
      }
      default -> throw new ImportIssue("auto_pad " + auto);
    }
    return new int[][] {b, e};
  }

  int[] spatial(String attr, int dims, int dflt) {
    long[] v = n.attrInts(attr);
    int[] o = new int[dims];
    if (v == null) {
      Arrays.fill(o, dflt);
      return o;
    }
    if (v.length != dims) throw new ImportIssue(attr + " has " + v.length + " values for " + dims + " spatial dims");
    for (int i = 0; i < dims; i++) o[i] = dflt == 0 ? nonNegative(attr, v[i]) : positive(attr, v[i]);
    return o;
  }

  static void checkKernel(int[] k) {
    for (int v : k) if (v < 1 || v > MAX_DIM) throw new ImportIssue("kernel size " + v);
  }

  static int positive(String what, long v) {
    if (v < 1 || v > MAX_DIM) throw new ImportIssue(what + " " + v + " should be a positive size");
    return (int) v;
  }

  static int nonNegative(String what, long v) {
    if (v < 0 || v > MAX_DIM) throw new ImportIssue(what + " " + v + " should be a non-negative size");
    return (int) v;
  }

  /** An ONNX axis in [-r, r) to [0, r). */
  static int axis(long a, int r) {
    long v = a < 0 ? a + r : a;
    if (v < 0 || v >= r) throw new ImportIssue("axis " + a + " is out of range for rank " + r);
    return (int) v;
  }

  static List<Integer> list(int[] v) { return Arrays.stream(v).boxed().toList(); }

  static Tensor tensor(Val.Floats f) {
    if (f.shape().length == 0) return Tensor.of(f.data(), 1);
    return Tensor.of(f.data(), f.shape());
  }

  /**
   * A float32 attribute as the double the {@code .net} text will hold: its shortest decimal ({@code 0.1f} is
   * {@code 0.1}, not {@code 0.10000000149011612}), so the layer read back from the text is the same.
   */
  static double number(double v) {
    if (!Double.isFinite(v)) throw new ImportIssue("the value " + v + " (netc's numbers are finite)");
    return Double.parseDouble(Float.toString((float) v));
  }
}
