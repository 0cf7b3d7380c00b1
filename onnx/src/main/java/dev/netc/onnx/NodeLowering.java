package dev.netc.onnx;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.AdaptivePool;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.Flatten;
import dev.netc.compiler.ir.InstanceNorm;
import dev.netc.compiler.ir.LayerNorm;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.Lrn;
import dev.netc.compiler.ir.MatMul;
import dev.netc.compiler.ir.Mean;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Permute;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.Shape;
import dev.netc.compiler.ir.Slice;
import dev.netc.compiler.ir.Softmax;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ir.Upsample;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX node to what it means for the {@code .net} network: a constant (folded now), another name for a tensor
 * (Identity, Dropout, Cast), or a layer with an IR op of the compiler. Attributes are read with ONNX's defaults
 * for the node's opset; anything outside what the {@code .net} op means (a Resize mode PyTorch never writes, a
 * Reshape that mixes the batch into other dims) is an {@link ImportIssue} saying so.
 */
final class NodeLowering {
  /** Sizes, kernels and strides beyond this are not a real network: the file is damaged or hostile. */
  private static final long MAX_DIM = 1 << 24;

  private final NodeView n;
  private final Importer g;

  private NodeLowering(NodeView n, Importer g) {
    this.n = n;
    this.g = g;
  }

  static void lower(NodeView n, Importer g) { new NodeLowering(n, g).lower(); }

  private String out() {
    if (n.node.getOutputCount() == 0) throw new ImportIssue("it has no output");
    return n.node.getOutput(0);
  }

  private void lower() {
    switch (n.op()) {
      case "Constant" -> g.define(out(), constant());
      case "Identity" -> g.define(out(), n.in(0));
      case "Dropout" -> dropout();
      case "Cast" -> cast();
      case "Shape" -> shape();
      case "Size" -> size();
      case "Gather" -> gather();
      case "Unsqueeze" -> unsqueeze();
      case "Squeeze" -> squeeze();
      case "Concat" -> concat();
      case "Reshape" -> reshape();
      case "Flatten" -> flatten();
      case "Transpose" -> transpose();
      case "Slice" -> slice();
      case "Split" -> split();
      case "ConstantOfShape" -> constantOfShape();
      case "Range" -> range();
      case "Expand" -> g.define(out(), Folding.expand(constIn(0), n.ints(1).data()));
      case "Where" -> g.define(out(), Folding.where(n.ints(0), constIn(1), constIn(2)));
      case "Not" -> {
        Val.Ints x = n.ints(0);
        long[] o = new long[x.data().length];
        for (int i = 0; i < o.length; i++) o[i] = x.data()[i] == 0 ? 1 : 0;
        g.define(out(), new Val.Ints(x.shape(), o));
      }
      case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Mod", "Max", "Min", "Pow" ->
          g.define(out(), Folding.binary(n.op(), constIn(0), constIn(1)));
      case "Add", "Sub", "Mul", "Div" -> arithmetic();
      case "Sum" -> sum();
      case "Neg" -> neg();
      case "Sqrt", "Reciprocal", "Floor", "Ceil", "Exp", "Log" -> unaryConstant();
      case "Conv" -> conv();
      case "ConvTranspose" -> convTranspose();
      case "Gemm" -> gemm();
      case "MatMul" -> matmul();
      case "BatchNormalization" -> batchNorm();
      case "InstanceNormalization" -> instanceNorm();
      case "LayerNormalization" -> layerNorm();
      case "LRN" -> lrn();
      case "Relu" -> activation(Activation.Kind.RELU, 0, 0);
      case "Sigmoid" -> activation(Activation.Kind.SIGMOID, 0, 0);
      case "Tanh" -> activation(Activation.Kind.TANH, 0, 0);
      case "HardSwish" -> activation(Activation.Kind.HARDSWISH, 0, 0);
      case "Silu" -> activation(Activation.Kind.SILU, 0, 0);
      case "Gelu" -> gelu();
      case "LeakyRelu" -> activation(Activation.Kind.LEAKY_RELU, number(n.attrFloat("alpha", 0.01f)), 0);
      case "Elu" -> activation(Activation.Kind.ELU, number(n.attrFloat("alpha", 1f)), 0);
      case "Softplus" -> activation(Activation.Kind.SOFTPLUS, number(n.attrFloat("beta", 1f)),
          number(n.attrFloat("threshold", 20f)));
      case "GroupNorm" -> groupNorm();
      case "HardSigmoid" -> hardSigmoid();
      case "Clip" -> clip();
      case "Softmax", "LogSoftmax" -> softmax();
      case "MaxPool", "AveragePool" -> pool();
      case "GlobalAveragePool", "GlobalMaxPool" -> globalPool();
      case "ReduceMean" -> reduceMean();
      case "Pad" -> pad();
      case "Resize" -> resize();
      default -> throw new ImportIssue("");
    }
  }

  // ---- constants and aliases ----

  private Val constant() {
    if (n.hasAttr("value")) return OnnxTensors.decode(n.attrTensor("value"), "node '" + n.name() + "'");
    if (n.hasAttr("value_float")) return new Val.Floats(new int[0], new float[] {n.attrFloat("value_float", 0)});
    if (n.hasAttr("value_int")) return new Val.Ints(new int[0], new long[] {n.attrInt("value_int", 0)});
    if (n.hasAttr("value_ints")) return Val.Ints.vector(n.attrInts("value_ints"));
    if (n.hasAttr("value_floats")) {
      List<Float> f = n.attrFloats("value_floats");
      float[] v = new float[f.size()];
      for (int i = 0; i < v.length; i++) v[i] = f.get(i);
      return new Val.Floats(new int[] {v.length}, v);
    }
    throw new ImportIssue("a Constant with no value netc reads (sparse or string)");
  }

  private Val constIn(int i) {
    Val v = n.in(i);
    if (v instanceof Val.Act) {
      throw new ImportIssue("input " + i + " depends on the network's input, and this op is folded only on constants");
    }
    return v;
  }

  private void dropout() {
    if (n.has(2) && n.in(2) instanceof Val.Ints t && t.data().length > 0 && t.data()[0] != 0) {
      throw new ImportIssue("dropout in training mode");
    }
    g.define(out(), n.in(0));
  }

  private void cast() {
    long to = n.attrInt("to", TensorProto.DataType.FLOAT_VALUE);
    boolean toFloat = to == TensorProto.DataType.FLOAT_VALUE || to == TensorProto.DataType.DOUBLE_VALUE
        || to == TensorProto.DataType.FLOAT16_VALUE || to == TensorProto.DataType.BFLOAT16_VALUE;
    Val v = n.in(0);
    Val r = switch (v) {
      case Val.Act a -> a;
      case Val.Floats f when toFloat -> f;
      case Val.Ints i when !toFloat -> to == TensorProto.DataType.BOOL_VALUE ? bools(i) : i;
      case Val.Ints i -> new Val.Floats(i.shape(), Folding.floats(i));
      case Val.Floats f -> {
        long[] o = new long[f.data().length];
        for (int k = 0; k < o.length; k++) {
          o[k] = to == TensorProto.DataType.BOOL_VALUE ? (f.data()[k] != 0 ? 1 : 0) : (long) f.data()[k];
        }
        yield new Val.Ints(f.shape(), o);
      }
    };
    g.define(out(), r);
  }

  private static Val.Ints bools(Val.Ints i) {
    long[] o = new long[i.data().length];
    for (int k = 0; k < o.length; k++) o[k] = i.data()[k] != 0 ? 1 : 0;
    return new Val.Ints(i.shape(), o);
  }

  /** Shape of a tensor: dim 0 of a batched one is the batch size, known only at run time. */
  private static long[] fullShape(Val v) {
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

  private void shape() {
    long[] s = fullShape(n.in(0));
    int r = s.length;
    int start = (int) clampAxis(n.attrInt("start", 0), r);
    int end = (int) clampAxis(n.attrInt("end", r), r);
    g.define(out(), Val.Ints.vector(Arrays.copyOfRange(s, start, Math.max(start, end))));
  }

  private static long clampAxis(long a, int r) {
    long v = a < 0 ? a + r : a;
    return Math.max(0, Math.min(r, v));
  }

  private void size() {
    long p = 1;
    for (long d : fullShape(n.in(0))) p = d == Val.BATCH || p == Val.UNKNOWN ? Val.UNKNOWN : p * d;
    g.define(out(), new Val.Ints(new int[0], new long[] {p}));
  }

  private void gather() {
    Val data = n.in(0);
    int rank = fullShape(data).length;
    int axis = axis(n.attrInt("axis", 0), rank);
    if (n.in(1) instanceof Val.Act ids) {
      embedding(data, ids, axis);
      return;
    }
    g.define(out(), Folding.gather(constIn(0), n.ints(1), axis));
  }

  /** Gather of rows of a constant table by computed ids: an embedding. */
  private void embedding(Val data, Val.Act ids, int axis) {
    if (!(data instanceof Val.Floats table) || table.shape().length != 2 || axis != 0) {
      throw new ImportIssue("Gather with computed indices is supported only as an embedding (rows of a 2-D table)");
    }
    Embedding op = new Embedding(table.shape()[0], table.shape()[1]);
    g.layer(n, out(), op, List.of(ids), Map.of("weight", tensor(table)));
  }

  private void unsqueeze() {
    long[] axes = n.axes(13);
    if (axes == null) throw new ImportIssue("Unsqueeze without axes");
    long[] in = fullShape(n.in(0));
    int r = in.length + axes.length;
    boolean[] inserted = new boolean[r];
    for (long a : axes) {
      int x = axis(a, r);
      if (inserted[x]) throw new ImportIssue("axis " + a + " is given twice");
      inserted[x] = true;
    }
    long[] o = new long[r];
    for (int i = 0, j = 0; i < r; i++) o[i] = inserted[i] ? 1 : in[j++];
    reshapeTo(o);
  }

  private void squeeze() {
    long[] in = fullShape(n.in(0));
    long[] axes = n.axes(13);
    boolean[] drop = new boolean[in.length];
    if (axes == null) {
      for (int i = 0; i < in.length; i++) drop[i] = in[i] == 1;
    } else {
      for (long a : axes) {
        int x = axis(a, in.length);
        if (in[x] != 1) throw new ImportIssue("cannot squeeze axis " + a + " of size " + dimText(in[x]));
        drop[x] = true;
      }
    }
    List<Long> o = new ArrayList<>();
    for (int i = 0; i < in.length; i++) if (!drop[i]) o.add(in[i]);
    reshapeTo(o.stream().mapToLong(Long::longValue).toArray());
  }

  private static String dimText(long d) { return d == Val.BATCH ? "N (the batch)" : String.valueOf(d); }

  /** A reshape to a full shape (with the batch where it was): folded for constants, a layer for tensors. */
  private void reshapeTo(long[] full) {
    Val v = n.in(0);
    if (!(v instanceof Val.Act a)) {
      int[] s = new int[full.length];
      for (int i = 0; i < s.length; i++) s[i] = Math.toIntExact(full[i]);
      g.define(out(), Folding.reshape(v, s));
      return;
    }
    if (!a.type().batched() || full.length == 0 || full[0] != Val.BATCH) {
      throw new ImportIssue("the result does not keep the batch as its first dimension");
    }
    int[] rest = new int[full.length - 1];
    for (int i = 1; i < full.length; i++) {
      if (full[i] == Val.BATCH || full[i] == Val.UNKNOWN) throw new ImportIssue("the batch moves to another dimension");
      rest[i - 1] = Math.toIntExact(full[i]);
    }
    if (Arrays.equals(rest, a.type().shape().toArray())) {
      g.define(out(), a);
      return;
    }
    Op op = rest.length == 1 && a.type().rank() > 1 ? new Flatten(1, -1) : new Reshape(Shape.of(rest));
    g.layer(n, out(), op, List.of(a), Map.of());
  }

  private void concat() {
    int inputs = n.inputs();
    if (inputs == 0) throw new ImportIssue("Concat of nothing");
    List<Val> parts = new ArrayList<>();
    for (int i = 0; i < inputs; i++) if (n.has(i)) parts.add(n.in(i));
    int rank = fullShape(parts.getFirst()).length;
    int axis = axis(n.attrInt("axis", 0), rank);
    if (parts.stream().noneMatch(p -> p instanceof Val.Act)) {
      g.define(out(), Folding.concat(parts, axis));
      return;
    }
    List<Val.Act> acts = new ArrayList<>();
    for (Val p : parts) {
      if (!(p instanceof Val.Act a)) throw new ImportIssue("a constant concatenated to computed tensors");
      if (a.type().elements() == 0) continue;
      acts.add(a);
    }
    if (acts.size() == 1) {
      g.define(out(), acts.getFirst());
      return;
    }
    g.layer(n, out(), new Concat(axis), acts, Map.of());
  }

  private void reshape() {
    Val v = n.in(0);
    long[] target = n.ints(1).data();
    boolean allowZero = n.attrInt("allowzero", 0) != 0;
    long[] in = fullShape(v);
    long[] full = new long[target.length];
    int infer = -1;
    for (int i = 0; i < target.length; i++) {
      long t = target[i];
      if (t == 0 && !allowZero) {
        if (i >= in.length) throw new ImportIssue("shape value 0 at " + i + " copies a dimension the input lacks");
        t = in[i];
      }
      if (t == -1) {
        if (infer >= 0) throw new ImportIssue("shape " + Arrays.toString(target) + " has two -1");
        infer = i;
      } else if (t == Val.UNKNOWN) {
        throw new ImportIssue("the target shape depends on the batch size in a way netc cannot follow");
      } else if (t < 0 && t != Val.BATCH || t > MAX_DIM * MAX_DIM) {
        throw new ImportIssue("shape " + Arrays.toString(target) + " has the invalid dimension " + t);
      }
      full[i] = t;
    }
    if (infer >= 0) full[infer] = inferred(in, full, infer);
    reshapeTo(full);
  }

  /** The -1 of a reshape: the batch when every other dim together holds one batch item, else a plain size. */
  private static long inferred(long[] in, long[] full, int at) {
    boolean inBatch = in.length > 0 && in[0] == Val.BATCH;
    long known = 1;
    boolean outBatch = false;
    for (int i = 0; i < full.length; i++) {
      if (i == at) continue;
      if (full[i] == Val.BATCH) outBatch = true;
      else known = Math.multiplyExact(known, full[i]);
    }
    long total = 1;
    for (long d : in) if (d != Val.BATCH) total = Math.multiplyExact(total, d);
    if (inBatch && !outBatch) {
      if (known != total) throw new ImportIssue("the reshape mixes the batch into other dimensions");
      return Val.BATCH;
    }
    if (known == 0 || total % known != 0) throw new ImportIssue("cannot infer the -1 of the reshape");
    return total / known;
  }

  private void flatten() {
    Val v = n.in(0);
    long[] in = fullShape(v);
    int axis = (int) (n.attrInt("axis", 1) < 0 ? n.attrInt("axis", 1) + in.length : n.attrInt("axis", 1));
    if (axis < 0 || axis > in.length) throw new ImportIssue("axis " + n.attrInt("axis", 1) + " is out of range");
    long a = 1;
    long b = 1;
    for (int i = 0; i < in.length; i++) {
      boolean first = i < axis;
      long d = in[i];
      long acc = first ? a : b;
      acc = d == Val.BATCH ? (acc == 1 ? Val.BATCH : Val.UNKNOWN) : acc == Val.BATCH ? (d == 1 ? Val.BATCH : Val.UNKNOWN)
          : acc == Val.UNKNOWN ? Val.UNKNOWN : Math.multiplyExact(acc, d);
      if (first) a = acc;
      else b = acc;
    }
    if (b == Val.BATCH || b == Val.UNKNOWN || a == Val.UNKNOWN) throw new ImportIssue("flatten at axis " + axis + " merges the batch into other dimensions");
    reshapeTo(new long[] {a, b});
  }

  private void transpose() {
    Val v = n.in(0);
    int r = fullShape(v).length;
    long[] permAttr = n.attrInts("perm");
    int[] perm = new int[r];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      long p = permAttr == null ? r - 1 - i : permAttr.length == r ? permAttr[i] : -1;
      if (p < 0 || p >= r || seen[(int) p]) throw new ImportIssue("perm " + Arrays.toString(permAttr) + " is not a permutation of " + r + " axes");
      seen[(int) p] = true;
      perm[i] = (int) p;
    }
    if (!(v instanceof Val.Act a)) {
      g.define(out(), Folding.transpose(v, perm));
      return;
    }
    if (!a.type().batched() || perm[0] != 0) throw new ImportIssue("the transpose moves the batch axis");
    boolean identity = true;
    for (int i = 0; i < r; i++) identity &= perm[i] == i;
    if (identity) {
      g.define(out(), a);
      return;
    }
    g.layer(n, out(), new Permute(Arrays.stream(perm).boxed().toList()), List.of(a), Map.of());
  }

  private void slice() {
    Val v = n.in(0);
    long[] shape = fullShape(v);
    int r = shape.length;
    long[] starts = n.ints(1).data();
    long[] ends = n.ints(2).data();
    long[] axes = n.has(3) ? n.ints(3).data() : null;
    long[] steps = n.has(4) ? n.ints(4).data() : null;
    if (ends.length != starts.length || axes != null && axes.length != starts.length
        || steps != null && steps.length != starts.length) {
      throw new ImportIssue("starts, ends, axes and steps differ in length");
    }
    Val cur = v;
    for (int k = 0; k < starts.length; k++) {
      int axis = axis(axes == null ? k : axes[k], r);
      long step = steps == null ? 1 : steps[k];
      if (step == 0) throw new ImportIssue("slice step 0");
      long dim = shape[axis];
      if (dim == Val.BATCH) {
        if (step == 1 && starts[k] == 0 && ends[k] >= Integer.MAX_VALUE) continue;
        throw new ImportIssue("a slice of the batch axis");
      }
      long[] range = sliceRange(starts[k], ends[k], step, dim);
      if (cur instanceof Val.Act a) {
        if (step < 0) throw new ImportIssue("a slice with a negative step of a computed tensor");
        if (range[0] == 0 && range[1] == dim && step == 1) continue;
        if (range[1] <= range[0]) throw new ImportIssue("an empty slice");
        cur = slices(a, axis, (int) range[0], (int) range[1], (int) step);
        shape = fullShape(cur);
      } else {
        cur = Folding.slice(cur, axis, range[0], range[1], step);
      }
    }
    g.define(out(), cur);
  }

  private int slicesMade;

  /** One slice layer: the node's output when it is the last, a helper before it. */
  private Val.Act slices(Val.Act a, int axis, int start, int end, int step) {
    slicesMade++;
    return g.helper(n, out(), "slice" + slicesMade, new Slice(axis, start, end, step), List.of(a), Map.of());
  }

  /** ONNX's clamping of start and end to the dim, for positive and negative steps: {start, end}. */
  private static long[] sliceRange(long start, long end, long step, long dim) {
    long s = start < 0 ? start + dim : start;
    long e = end < 0 ? end + dim : end;
    if (step > 0) {
      s = Math.max(0, Math.min(dim, s));
      e = Math.max(0, Math.min(dim, e));
    } else {
      s = Math.max(-1, Math.min(dim - 1, s));
      e = Math.max(-1, Math.min(dim - 1, e));
    }
    return new long[] {s, e};
  }

  private void split() {
    Val.Act a = n.act(0);
    int r = a.type().fullRank();
    int axis = axis(n.attrInt("axis", 0), r);
    if (a.type().batched() && axis == 0) throw new ImportIssue("a split of the batch axis");
    int dim = a.type().dim(axis - (a.type().batched() ? 1 : 0));
    long[] sizes = n.opset >= 13 ? (n.has(1) ? n.ints(1).data() : null) : n.attrInts("split");
    int parts = n.node.getOutputCount();
    if (sizes == null) {
      long k = n.attrInt("num_outputs", parts);
      if (k < 1 || k > dim) throw new ImportIssue("cannot split size " + dim + " into " + k + " parts");
      long chunk = Math.ceilDiv(dim, k);
      sizes = new long[parts];
      for (int i = 0; i < parts; i++) sizes[i] = Math.max(0, Math.min(chunk, dim - i * chunk));
    }
    if (sizes.length != parts || Arrays.stream(sizes).sum() != dim || Arrays.stream(sizes).anyMatch(s -> s < 0)) {
      throw new ImportIssue("split sizes " + Arrays.toString(sizes) + " do not divide size " + dim + " into " + parts);
    }
    int start = 0;
    for (int i = 0; i < parts; i++) {
      String o = n.node.getOutput(i);
      int end = start + (int) sizes[i];
      if (!o.isEmpty()) g.layer(n, o, new Slice(axis, start, end, 1), List.of(a), Map.of());
      start = end;
    }
  }

  private void constantOfShape() {
    long[] dims = n.ints(0).data();
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0 || dims[i] > Folding.MAX_ELEMENTS) throw new ImportIssue("ConstantOfShape of dimension " + dimText(dims[i]));
      shape[i] = (int) dims[i];
    }
    int count = Folding.count(shape);
    TensorProto t = n.attrTensor("value");
    Val value = t == null ? new Val.Floats(new int[] {1}, new float[] {0}) : OnnxTensors.decode(t, "node '" + n.name() + "'");
    if (Folding.count(Folding.shape(value)) != 1) throw new ImportIssue("ConstantOfShape's value must be one element");
    g.define(out(), Folding.pick(value, new int[count], shape));
  }

  private void range() {
    Val start = constIn(0);
    Val limit = constIn(1);
    Val delta = constIn(2);
    if (start instanceof Val.Ints s && limit instanceof Val.Ints l && delta instanceof Val.Ints d) {
      long a = s.data()[0];
      long b = l.data()[0];
      long c = d.data()[0];
      if (c == 0 || a == Val.BATCH || b == Val.BATCH || a == Val.UNKNOWN || b == Val.UNKNOWN) throw new ImportIssue("a Range netc cannot compute");
      long count = Math.max(0, Math.ceilDiv(b - a, c));
      if (count > Folding.MAX_ELEMENTS) throw new ImportIssue("a Range of " + count + " values");
      long[] o = new long[(int) count];
      for (int i = 0; i < o.length; i++) o[i] = a + i * c;
      g.define(out(), Val.Ints.vector(o));
      return;
    }
    float a = Folding.floats(start)[0];
    float b = Folding.floats(limit)[0];
    float c = Folding.floats(delta)[0];
    double count = Math.max(0, Math.ceil((b - a) / c));
    if (!(count <= Folding.MAX_ELEMENTS)) throw new ImportIssue("a Range of " + count + " values");
    float[] o = new float[(int) count];
    for (int i = 0; i < o.length; i++) o[i] = a + i * c;
    g.define(out(), new Val.Floats(new int[] {o.length}, o));
  }

  private void unaryConstant() {
    Val v = n.in(0);
    if (v instanceof Val.Act) throw new ImportIssue("");
    float[] x = Folding.floats(v);
    float[] o = new float[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = switch (n.op()) {
        case "Sqrt" -> (float) Math.sqrt(x[i]);
        case "Reciprocal" -> 1 / x[i];
        case "Floor" -> (float) Math.floor(x[i]);
        case "Ceil" -> (float) Math.ceil(x[i]);
        case "Exp" -> (float) Math.exp(x[i]);
        default -> (float) Math.log(x[i]);
      };
    }
    g.define(out(), new Val.Floats(Folding.shape(v), o));
  }

  // ---- arithmetic ----

  private void neg() {
    Val v = n.in(0);
    if (v instanceof Val.Act a) {
      scaleLayer(a, -1, 0);
      return;
    }
    g.define(out(), Folding.binary("Mul", v, new Val.Ints(new int[0], new long[] {-1})));
  }

  private void sum() {
    List<Val.Act> acts = new ArrayList<>();
    for (int i = 0; i < n.inputs(); i++) acts.add(n.act(i));
    if (acts.size() == 1) g.define(out(), acts.getFirst());
    else g.layer(n, out(), new Add(), acts, Map.of());
  }

  /**
   * Add, Sub, Mul, Div. Two constants fold; two tensors are an add or a multiply (a difference adds the negated
   * second tensor); a tensor and a scalar are a {@code scale}; a tensor and a per-channel or per-feature
   * constant fold into the conv or linear layer just before (a bias, or a scale of the weights).
   */
  private void arithmetic() {
    String op = n.op();
    Val a = n.in(0);
    Val b = n.in(1);
    if (!(a instanceof Val.Act) && !(b instanceof Val.Act)) {
      g.define(out(), Folding.binary(op, a, b));
      return;
    }
    if (a instanceof Val.Act x && b instanceof Val.Act y) {
      switch (op) {
        case "Add" -> g.layer(n, out(), new Add(), List.of(x, y), Map.of());
        case "Mul" -> g.layer(n, out(), new Mul(), List.of(x, y), Map.of());
        case "Sub" -> g.layer(n, out(), new Add(), List.of(x, g.helper(n, out(), "neg", new Scale(-1, 0), List.of(y),
            Map.of())), Map.of());
        default -> throw new ImportIssue("division of two computed tensors");
      }
      return;
    }
    boolean tensorFirst = a instanceof Val.Act;
    Val.Act x = (Val.Act) (tensorFirst ? a : b);
    Val c = tensorFirst ? b : a;
    float[] cv = Folding.floats(c);
    if (isScalar(c, x)) {
      float k = cv[0];
      switch (op) {
        case "Add" -> scaleLayer(x, 1, k);
        case "Mul" -> scaleLayer(x, k, 0);
        case "Sub" -> scaleLayer(x, tensorFirst ? 1 : -1, tensorFirst ? -k : k);
        default -> {
          if (!tensorFirst) throw new ImportIssue("a constant divided by a computed tensor");
          scaleLayer(x, 1 / k, 0);
        }
      }
      return;
    }
    if (op.equals("Add") && positional(x, c)) return;
    if (!foldIntoProducer(op, x, c, tensorFirst)) {
      throw new ImportIssue(op + " of a computed tensor " + x.type() + " and a constant of shape "
          + Arrays.toString(Folding.shape(c)) + " (netc spells a scalar as scale, and a per-channel constant only as "
          + "the bias or scale of the conv or linear layer before it)");
    }
  }

  /**
   * A [T, E] table added to a [T, E] sequence: the Transformer's sinusoidal encoding when it is that table,
   * else a learned position table (BERT's, ViT's) used whole.
   */
  private boolean positional(Val.Act x, Val c) {
    TensorType t = x.type();
    int[] s = Folding.shape(c);
    if (!t.batched() || t.rank() != 2) return false;
    boolean table = s.length == 2 && s[0] == t.dim(0) && s[1] == t.dim(1)
        || s.length == 3 && s[0] == 1 && s[1] == t.dim(0) && s[2] == t.dim(1);
    if (!table) return false;
    float[] v = Folding.floats(c);
    float[] sinusoid = dev.netc.runtime.kernels.PositionalEncoding.sinusoidal(t.dim(0), t.dim(1));
    boolean fixed = true;
    for (int i = 0; i < v.length && fixed; i++) fixed = Math.abs(v[i] - sinusoid[i]) <= 1e-6f;
    if (fixed) {
      g.layer(n, out(), new dev.netc.compiler.ir.PositionalEncoding(10000), List.of(x), Map.of());
    } else {
      g.layer(n, out(), new dev.netc.compiler.ir.PositionalEmbedding(t.dim(0)), List.of(x),
          Map.of("weight", Tensor.of(v, t.dim(0), t.dim(1))));
    }
    return true;
  }

  /** A constant whose elements are all equal and that broadcasts without growing the tensor. */
  private static boolean isScalar(Val c, Val.Act x) {
    int[] s = Folding.shape(c);
    if (s.length > x.type().fullRank()) return false;
    for (int d : s) if (d != 1) return false;
    return true;
  }

  /** x·f + s as a scale layer, merged into the scale layer before it when only this node reads that one. */
  private void scaleLayer(Val.Act x, double f, double s) {
    double factor = number(f);
    double shift = number(s);
    Layer p = g.producer(x);
    if (p != null && p.op() instanceof Scale prev && g.uses(x) == 1) {
      g.replace(p.withOp(new Scale(number(prev.factor() * factor), number(prev.shift() * factor + shift)), p.tensors()));
      g.define(out(), x);
      return;
    }
    g.layer(n, out(), new Scale(factor, shift), List.of(x), Map.of());
  }

  /**
   * A per-output-channel constant after a conv (shape [C, 1, ...] after the batch) or per-feature constant after a
   * linear layer (shape [F]): Add becomes (part of) the bias, Mul scales the weights and bias. Only when that
   * layer's output is read by this node alone.
   */
  private boolean foldIntoProducer(String op, Val.Act x, Val c, boolean tensorFirst) {
    if (!op.equals("Add") && !op.equals("Mul")) return false;
    Layer p = g.producer(x);
    if (p == null || g.uses(x) != 1) return false;
    int channels;
    if (p.op() instanceof Conv conv) {
      channels = conv.out();
      if (!perChannel(Folding.shape(c), x.type(), channels, true)) return false;
    } else if (p.op() instanceof Linear lin) {
      channels = lin.out();
      if (!perChannel(Folding.shape(c), x.type(), channels, false)) return false;
    } else {
      return false;
    }
    float[] k = Folding.floats(c);
    if (k.length != channels) k = expand(k, channels);
    Map<String, Tensor> t = new LinkedHashMap<>(p.tensors());
    float[] bias = t.containsKey("bias") ? t.get("bias").data().clone() : new float[channels];
    if (op.equals("Add")) {
      for (int i = 0; i < channels; i++) bias[i] += k[i];
    } else {
      float[] w = t.get("weight").data().clone();
      int per = w.length / channels;
      for (int o = 0; o < channels; o++) {
        for (int j = 0; j < per; j++) w[o * per + j] *= k[o];
        bias[o] *= k[o];
      }
      t.put("weight", Tensor.of(w, t.get("weight").shape().dims()));
    }
    boolean hasBias = op.equals("Add") || t.containsKey("bias");
    if (hasBias) t.put("bias", Tensor.of(bias, channels));
    Op folded = switch (p.op()) {
      case Conv cv -> new Conv(cv.dims(), cv.out(), cv.kernel(), cv.stride(), cv.padBegin(), cv.padEnd(), cv.dilation(),
          cv.groups(), hasBias);
      case Linear l -> new Linear(l.out(), hasBias);
      default -> throw new IllegalStateException();
    };
    g.replace(p.withOp(folded, t));
    g.define(out(), x);
    return true;
  }

  private static float[] expand(float[] one, int n) {
    float[] o = new float[n];
    Arrays.fill(o, one[0]);
    return o;
  }

  /** [C, 1, ...] (conv, rank of the tensor or one less) or [F] (linear); a single value also fits. */
  private static boolean perChannel(int[] s, TensorType x, int c, boolean conv) {
    int elems = 1;
    for (int d : s) elems *= d;
    if (elems != c && elems != 1) return false;
    if (s.length > x.fullRank()) return false;
    if (!conv) return s.length == 0 || s[s.length - 1] == elems && elems == c || elems == 1;
    int channelAxis = s.length - x.rank();
    for (int i = 0; i < s.length; i++) {
      if (i == channelAxis) continue;
      if (s[i] != 1) return false;
    }
    return channelAxis >= 0 && s[channelAxis] == elems || elems == 1;
  }

  // ---- layers with weights ----

  private void conv() {
    Val.Act x = n.act(0);
    Val.Floats w = n.floats(1);
    int dims = x.type().rank() - 1;
    if (dims < 1 || dims > 3) throw new ImportIssue("a convolution of a " + x.type() + " input");
    if (w.shape().length != dims + 2) throw new ImportIssue("weight of rank " + w.shape().length + " for a " + dims + "-D convolution");
    int[] k = Arrays.copyOfRange(w.shape(), 2, w.shape().length);
    checkKernel(k);
    int group = positive("group", n.attrInt("group", 1));
    int[] s = spatial("strides", dims, 1);
    int[] d = spatial("dilations", dims, 1);
    int[][] p = pads(dims, x.type(), k, s, d);
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", tensor(w));
    if (n.has(2)) t.put("bias", tensor(n.floats(2)));
    Conv op = new Conv(dims, w.shape()[0], list(k), list(s), list(p[0]), list(p[1]), list(d), group, n.has(2));
    if (w.shape()[0] % group != 0) throw new ImportIssue("output channels " + w.shape()[0] + " not divisible by group " + group);
    g.layer(n, out(), op, List.of(x), t);
  }

  private void convTranspose() {
    Val.Act x = n.act(0);
    Val.Floats w = n.floats(1);
    int dims = x.type().rank() - 1;
    if (dims < 1 || dims > 3) throw new ImportIssue("a transposed convolution of a " + x.type() + " input");
    if (w.shape().length != dims + 2) throw new ImportIssue("weight of rank " + w.shape().length + " for a " + dims + "-D convolution");
    int[] k = Arrays.copyOfRange(w.shape(), 2, w.shape().length);
    checkKernel(k);
    int group = positive("group", n.attrInt("group", 1));
    int[] s = spatial("strides", dims, 1);
    int[] d = spatial("dilations", dims, 1);
    int[] outPad = spatial("output_padding", dims, 0);
    int[][] p;
    long[] outputShape = n.attrInts("output_shape");
    String auto = n.attrString("auto_pad", "NOTSET");
    if (outputShape != null || auto.startsWith("SAME")) {
      p = new int[][] {new int[dims], new int[dims]};
      for (int i = 0; i < dims; i++) {
        long in = x.type().dim(i + 1);
        long want = outputShape != null ? outputShape[outputShape.length - dims + i] : in * s[i];
        long total = s[i] * (in - 1) + outPad[i] + ((long) (k[i] - 1) * d[i] + 1) - want;
        if (total < 0) throw new ImportIssue("output_shape larger than the transposed convolution makes");
        boolean lower = auto.equals("SAME_LOWER");
        p[0][i] = (int) (lower ? total / 2 : total - total / 2);
        p[1][i] = (int) (total - p[0][i]);
      }
    } else {
      p = pads(dims, x.type(), k, s, d);
    }
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", tensor(w));
    if (n.has(2)) t.put("bias", tensor(n.floats(2)));
    g.layer(n, out(), new ConvTranspose(dims, w.shape()[1] * group, list(k), list(s), list(p[0]), list(p[1]),
        list(outPad), list(d), group, n.has(2)), List.of(x), t);
  }

  /** Gemm with a constant right-hand side: a linear layer (alpha and beta folded into weight and bias). */
  private void gemm() {
    Val.Act x = n.act(0);
    if (x.type().fullRank() != 2) throw new ImportIssue("Gemm of a " + x.type() + " tensor");
    if (n.attrInt("transA", 0) != 0) throw new ImportIssue("Gemm with transA=1 (the batch would move)");
    Val.Floats b = n.floats(1);
    if (b.shape().length != 2) throw new ImportIssue("Gemm with a right-hand side of rank " + b.shape().length);
    boolean transB = n.attrInt("transB", 0) != 0;
    float alpha = n.attrFloat("alpha", 1f);
    float beta = n.attrFloat("beta", 1f);
    Val.Floats weight = transB ? b : transpose2(b);
    int out = weight.shape()[0];
    if (weight.shape()[1] != x.type().dim(0)) {
      throw new ImportIssue("Gemm of " + x.type() + " with a weight of shape " + Arrays.toString(b.shape()));
    }
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", tensor(scaled(weight, alpha)));
    if (n.has(2)) {
      float[] c = n.floats(2).data();
      if (c.length != out && c.length != 1) throw new ImportIssue("Gemm bias of " + c.length + " values for " + out + " outputs");
      float[] bias = c.length == out ? c.clone() : expand(c, out);
      for (int i = 0; i < out; i++) bias[i] *= beta;
      t.put("bias", Tensor.of(bias, out));
    }
    g.layer(n, out(), new Linear(out, n.has(2)), List.of(x), t);
  }

  /** MatMul by a constant [K, M] matrix is a linear layer without bias; of two tensors a matmul. */
  private void matmul() {
    Val.Act x = n.act(0);
    if (n.in(1) instanceof Val.Act y) {
      g.layer(n, out(), new MatMul(), List.of(x, y), Map.of());
      return;
    }
    Val.Floats b = n.floats(1);
    if (b.shape().length != 2) throw new ImportIssue("MatMul by a constant of rank " + b.shape().length);
    if (b.shape()[0] != x.type().shape().last()) {
      throw new ImportIssue("MatMul of " + x.type() + " by a constant of shape " + Arrays.toString(b.shape()));
    }
    Val.Floats w = transpose2(b);
    g.layer(n, out(), new Linear(w.shape()[0], false), List.of(x), Map.of("weight", tensor(w)));
  }

  private static Val.Floats transpose2(Val.Floats m) {
    int r = m.shape()[0];
    int c = m.shape()[1];
    float[] o = new float[m.data().length];
    for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[j * r + i] = m.data()[i * c + j];
    return new Val.Floats(new int[] {c, r}, o);
  }

  private static Val.Floats scaled(Val.Floats m, float k) {
    if (k == 1f) return m;
    float[] o = m.data().clone();
    for (int i = 0; i < o.length; i++) o[i] *= k;
    return new Val.Floats(m.shape(), o);
  }

  private void batchNorm() {
    Val.Act x = n.act(0);
    if (n.attrInt("training_mode", 0) != 0 || n.outputsUsed() > 1) throw new ImportIssue("batch norm in training mode");
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", tensor(n.floats(1)));
    t.put("bias", tensor(n.floats(2)));
    t.put("running_mean", tensor(n.floats(3)));
    t.put("running_var", tensor(n.floats(4)));
    g.layer(n, out(), new BatchNorm(number(n.attrFloat("epsilon", 1e-5f)), true), List.of(x), t);
  }

  private void instanceNorm() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", tensor(n.floats(1)));
    t.put("bias", tensor(n.floats(2)));
    g.layer(n, out(), new InstanceNorm(number(n.attrFloat("epsilon", 1e-5f)), true), List.of(n.act(0)), t);
  }

  /** PyTorch's group norm spelling, recognized by {@link Patterns}: inputs x, weight [C], bias [C]. */
  private void groupNorm() {
    Val.Act x = n.act(0);
    int c = x.type().dim(0);
    if (n.has(3) && !sameShape(n.ints(3).data(), fullShape(x))) {
      throw new ImportIssue("the group norm's reshape back gives " + Arrays.toString(n.ints(3).data()) + ", not the input's shape");
    }
    float[] w = n.floats(1).data();
    float[] b = n.floats(2).data();
    if (w.length != c || b.length != c) throw new ImportIssue("group norm scale and shift should have " + c + " values");
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", Tensor.of(w, c));
    t.put("bias", Tensor.of(b, c));
    g.layer(n, out(), new dev.netc.compiler.ir.GroupNorm(positive("groups", n.attrInt("groups", 0)),
        number(n.attrFloat("epsilon", 1e-5f)), true), List.of(x), t);
  }

  /** A Reshape target that gives back {@code full}: equal dims, 0 (copy) anywhere, or one -1 for the rest. */
  private static boolean sameShape(long[] target, long[] full) {
    if (target.length != full.length) return false;
    int minusOne = 0;
    for (int i = 0; i < full.length; i++) {
      if (target[i] == -1) minusOne++;
      else if (target[i] != 0 && target[i] != full[i]) return false;
    }
    return minusOne <= 1;
  }

  private void layerNorm() {
    Val.Act x = n.act(0);
    if (n.outputsUsed() > 1) throw new ImportIssue("its mean and inverse deviation outputs are used");
    int r = x.type().fullRank();
    int axis = n.node.getDomain().equals(Importer.NETC_DOMAIN) ? trailingAxes(n.attrInts("axes"), r)
        : axis(n.attrInt("axis", -1), r);
    int dims = r - axis;
    if (x.type().batched() && axis == 0) throw new ImportIssue("a layer norm over the batch axis");
    int[] normalized = Arrays.copyOfRange(x.type().shape().toArray(), x.type().rank() - dims, x.type().rank());
    float[] ones = new float[Val.elements(normalized)];
    Arrays.fill(ones, 1f);
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", n.has(1) ? tensor(n.floats(1)) : Tensor.of(ones, normalized));
    t.put("bias", n.has(2) ? tensor(n.floats(2)) : Tensor.of(new float[ones.length], normalized));
    g.layer(n, out(), new LayerNorm(dims, number(n.attrFloat("epsilon", 1e-5f)), true), List.of(x), t);
  }

  /** The first of the reduced axes of a written-out layer norm, which must be the last ones. */
  private static int trailingAxes(long[] axes, int r) {
    if (axes == null || axes.length == 0) throw new ImportIssue("layer norm without axes");
    boolean[] in = new boolean[r];
    int first = r;
    for (long a : axes) {
      int x = axis(a, r);
      in[x] = true;
      first = Math.min(first, x);
    }
    for (int i = first; i < r; i++) if (!in[i]) throw new ImportIssue("layer norm over axes that are not the last ones");
    return first;
  }

  private void lrn() {
    long size = n.attrInt("size", 0);
    if (size < 1 || size % 2 == 0 || size > MAX_DIM) throw new ImportIssue("LRN size " + size + " (netc matches ONNX for odd sizes)");
    g.layer(n, out(), new Lrn((int) size, number(n.attrFloat("alpha", 1e-4f)), number(n.attrFloat("beta", 0.75f)),
        number(n.attrFloat("bias", 1f))), List.of(n.act(0)), Map.of());
  }

  // ---- activations, softmax ----

  private void activation(Activation.Kind kind, double alpha, double beta) {
    g.layer(n, out(), new Activation(kind, alpha, beta), List.of(n.act(0)), Map.of());
  }

  private void gelu() {
    String approx = n.attrString("approximate", "none");
    if (!approx.equals("none")) throw new ImportIssue("GELU with the " + approx + " approximation");
    activation(Activation.Kind.GELU, 0, 0);
  }

  private void hardSigmoid() {
    float alpha = n.attrFloat("alpha", 0.2f);
    float beta = n.attrFloat("beta", 0.5f);
    if (Math.abs(alpha - 1 / 6.0) > 1e-6 || beta != 0.5f) {
      throw new ImportIssue("HardSigmoid with alpha " + alpha + ", beta " + beta + " (netc's is alpha 1/6, beta 0.5)");
    }
    activation(Activation.Kind.HARDSIGMOID, 0, 0);
  }

  private void clip() {
    float min = Float.NEGATIVE_INFINITY;
    float max = Float.POSITIVE_INFINITY;
    if (n.has(1)) min = scalarConstant(1);
    if (n.has(2)) max = scalarConstant(2);
    if (min == 0 && max == 6) activation(Activation.Kind.RELU6, 0, 0);
    else if (min == 0 && max == Float.POSITIVE_INFINITY) activation(Activation.Kind.RELU, 0, 0);
    else throw new ImportIssue("Clip to [" + min + ", " + max + "] (netc has relu and relu6)");
  }

  private float scalarConstant(int i) {
    float[] v = n.floats(i).data();
    if (v.length != 1) throw new ImportIssue("input " + i + " should be a scalar");
    return v[0];
  }

  private void softmax() {
    Val.Act x = n.act(0);
    int r = x.type().fullRank();
    long dflt = n.opset >= 13 ? -1 : 1;
    int axis = axis(n.attrInt("axis", dflt), r);
    if (n.opset < 13 && axis != r - 1) throw new ImportIssue("softmax before opset 13 over a flattened axis " + axis);
    g.layer(n, out(), new Softmax(axis, n.op().equals("LogSoftmax")), List.of(x), Map.of());
  }

  // ---- pooling ----

  private void pool() {
    Val.Act x = n.act(0);
    boolean max = n.op().equals("MaxPool");
    if (max && n.outputsUsed() > 1) throw new ImportIssue("MaxPool's indices output is used");
    int dims = x.type().rank() - 1;
    if (dims < 1 || dims > 3) throw new ImportIssue("pooling of a " + x.type() + " input");
    long[] kernel = n.attrInts("kernel_shape");
    if (kernel == null || kernel.length != dims) throw new ImportIssue("kernel_shape should have " + dims + " values");
    int[] k = new int[dims];
    for (int i = 0; i < dims; i++) k[i] = positive("kernel_shape", kernel[i]);
    int[] s = spatial("strides", dims, 1);
    int[] d = max ? spatial("dilations", dims, 1) : spatial("dilations", dims, 1);
    if (!max && Arrays.stream(d).anyMatch(v -> v != 1)) throw new ImportIssue("average pooling with dilation");
    int[][] p = pads(dims, x.type(), k, s, d);
    boolean ceil = n.attrInt("ceil_mode", 0) != 0;
    boolean countPad = n.attrInt("count_include_pad", 0) != 0;
    g.layer(n, out(), new Pool(max ? Pool.Kind.MAX : Pool.Kind.AVG, dims, list(k), list(s), list(p[0]), list(p[1]),
        list(d), ceil, !max && countPad), List.of(x), Map.of());
  }

  private void globalPool() {
    Val.Act x = n.act(0);
    int dims = x.type().rank() - 1;
    if (dims < 1 || dims > 3) throw new ImportIssue("global pooling of a " + x.type() + " input");
    Pool.Kind kind = n.op().equals("GlobalMaxPool") ? Pool.Kind.MAX : Pool.Kind.AVG;
    g.layer(n, out(), new AdaptivePool(kind, Collections.nCopies(dims, 1)), List.of(x), Map.of());
  }

  /** A mean over every spatial axis with kept dims is global average pooling; any other mean is a mean. */
  private void reduceMean() {
    Val.Act x = n.act(0);
    int r = x.type().fullRank();
    long[] axes = n.axes(18);
    boolean keep = n.attrInt("keepdims", 1) != 0;
    if (axes == null || axes.length == 0) {
      if (n.attrInt("noop_with_empty_axes", 0) != 0) {
        g.define(out(), x);
        return;
      }
      throw new ImportIssue("a mean over every axis, the batch included");
    }
    boolean[] reduce = new boolean[r];
    for (long a : axes) reduce[axis(a, r)] = true;
    if (reduce[0]) throw new ImportIssue("a mean over the batch axis");
    boolean spatial = r >= 3 && !reduce[1];
    for (int i = 2; i < r; i++) spatial &= reduce[i];
    if (spatial && keep) {
      g.layer(n, out(), new AdaptivePool(Pool.Kind.AVG, Collections.nCopies(r - 2, 1)), List.of(x), Map.of());
      return;
    }
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < r; i++) if (reduce[i]) list.add(i);
    g.layer(n, out(), new Mean(list, keep), List.of(x), Map.of());
  }

  // ---- padding and resizing ----

  private void pad() {
    Val.Act x = n.act(0);
    String mode = n.attrString("mode", "constant");
    if (!mode.equals("constant")) throw new ImportIssue("padding mode " + mode + " (netc pads with a constant)");
    int r = x.type().fullRank();
    long[] pads = n.ints(1).data();
    long[] axesIn = n.has(3) ? n.ints(3).data() : null;
    int k = axesIn == null ? r : axesIn.length;
    if (pads.length != 2 * k) throw new ImportIssue("pads has " + pads.length + " values for " + k + " axes");
    long[] begin = new long[r];
    long[] end = new long[r];
    for (int i = 0; i < k; i++) {
      int a = axesIn == null ? i : axis(axesIn[i], r);
      begin[a] = pads[i];
      end[a] = pads[k + i];
    }
    float value = n.has(2) ? scalarConstant(2) : 0f;
    if (begin[0] != 0 || end[0] != 0) throw new ImportIssue("padding of the batch axis");
    int first = r;
    for (int i = r - 1; i >= 1; i--) if (begin[i] != 0 || end[i] != 0) first = i;
    if (first == r) {
      g.define(out(), x);
      return;
    }
    if (r - first < r - 2 && r >= 3) first = 2;
    List<Integer> b = new ArrayList<>();
    List<Integer> e = new ArrayList<>();
    for (int i = first; i < r; i++) {
      if (Math.abs(begin[i]) > MAX_DIM || Math.abs(end[i]) > MAX_DIM) throw new ImportIssue("padding of " + begin[i] + "/" + end[i]);
      b.add((int) begin[i]);
      e.add((int) end[i]);
    }
    g.layer(n, out(), new Pad(b, e, number(value)), List.of(x), Map.of());
  }

  /**
   * Resize as PyTorch writes it: nearest is {@code asymmetric} with {@code floor}; bilinear is {@code align_corners},
   * or {@code pytorch_half_pixel}/{@code half_pixel} (the same while no output size is 1). Scales keep the factors
   * (PyTorch maps coordinates with them); sizes give the output size.
   */
  private void resize() {
    Val.Act x = n.act(0);
    String mode = n.attrString("mode", "nearest");
    String ctm = n.attrString("coordinate_transformation_mode", "half_pixel");
    if (n.attrInt("antialias", 0) != 0) throw new ImportIssue("antialiased resizing");
    if (n.hasAttr("axes")) throw new ImportIssue("Resize with axes");
    int r = x.type().fullRank();
    int spatial = r - 2;
    if (spatial < 1) throw new ImportIssue("Resize of a " + x.type() + " tensor");
    int scalesAt = n.opset >= 11 ? 2 : 1;
    List<Integer> size = new ArrayList<>();
    List<Double> scale = null;
    if (n.has(scalesAt) && n.floats(scalesAt).data().length > 0) {
      float[] s = n.floats(scalesAt).data();
      if (s.length != r) throw new ImportIssue("scales has " + s.length + " values for rank " + r);
      if (s[0] != 1 || s[1] != 1) throw new ImportIssue("Resize of the batch or channel axis");
      scale = new ArrayList<>();
      for (int i = 0; i < spatial; i++) {
        if (!(s[i + 2] > 0) || s[i + 2] > MAX_DIM) throw new ImportIssue("scale " + s[i + 2]);
        scale.add(number(s[i + 2]));
        size.add((int) Math.floor(x.type().dim(i + 1) * (double) s[i + 2]));
      }
    } else if (n.has(scalesAt + 1)) {
      long[] sz = n.ints(scalesAt + 1).data();
      if (sz.length != r) throw new ImportIssue("sizes has " + sz.length + " values for rank " + r);
      if (sz[0] != Val.BATCH || sz[1] != x.type().dim(0)) throw new ImportIssue("Resize of the batch or channel axis");
      for (int i = 0; i < spatial; i++) {
        if (sz[i + 2] < 1 || sz[i + 2] > MAX_DIM) throw new ImportIssue("output size " + dimText(sz[i + 2]));
        size.add((int) sz[i + 2]);
      }
    } else {
      throw new ImportIssue("Resize with neither scales nor sizes");
    }
    Upsample op;
    if (mode.equals("nearest")) {
      String nearest = n.attrString("nearest_mode", "round_prefer_floor");
      if (!ctm.equals("asymmetric") || !nearest.equals("floor")) {
        throw new ImportIssue("nearest resizing with " + ctm + "/" + nearest + " (netc's nearest is PyTorch's: "
            + "asymmetric/floor)");
      }
      op = new Upsample(Upsample.Mode.NEAREST, size, scale, false);
    } else if (mode.equals("linear")) {
      if (spatial != 2) throw new ImportIssue("linear resizing of " + spatial + " spatial dims (netc has bilinear)");
      boolean align = ctm.equals("align_corners");
      boolean half = ctm.equals("pytorch_half_pixel") || ctm.equals("half_pixel") && size.stream().allMatch(v -> v > 1);
      if (!align && !half) throw new ImportIssue("bilinear resizing with coordinate mode " + ctm);
      op = new Upsample(Upsample.Mode.BILINEAR, size, scale, align);
    } else {
      throw new ImportIssue("resize mode " + mode + " (netc has nearest and bilinear)");
    }
    g.layer(n, out(), op, List.of(x), Map.of());
  }

  // ---- attribute helpers ----

  /** Explicit pads or auto_pad, as {begins, ends} per spatial dim. */
  private int[][] pads(int dims, TensorType x, int[] k, int[] s, int[] d) {
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

  private int[] spatial(String attr, int dims, int dflt) {
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

  private static void checkKernel(int[] k) {
    for (int v : k) if (v < 1 || v > MAX_DIM) throw new ImportIssue("kernel size " + v);
  }

  private static int positive(String what, long v) {
    if (v < 1 || v > MAX_DIM) throw new ImportIssue(what + " " + v + " should be a positive size");
    return (int) v;
  }

  private static int nonNegative(String what, long v) {
    if (v < 0 || v > MAX_DIM) throw new ImportIssue(what + " " + v + " should be a non-negative size");
    return (int) v;
  }

  /** An ONNX axis in [-r, r) to [0, r). */
  private static int axis(long a, int r) {
    long v = a < 0 ? a + r : a;
    if (v < 0 || v >= r) throw new ImportIssue("axis " + a + " is out of range for rank " + r);
    return (int) v;
  }

  private static List<Integer> list(int[] v) { return Arrays.stream(v).boxed().toList(); }

  private static Tensor tensor(Val.Floats f) {
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
