package dev.netc.onnx;

import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.Flatten;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Permute;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.Shape;
import dev.netc.compiler.ir.Slice;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Constants, aliases, shape arithmetic and data movement: folded for constants, layers for tensors. */
final class DataLowering extends NodeLowering {
  DataLowering(NodeView n, Importer g) {
    super(n, g);
  }

  // ---- constants and aliases ----

  Val constant() {
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

  Val constIn(int i) {
    Val v = n.in(i);
    if (v instanceof Val.Act) {
      throw new ImportIssue("input " + i + " depends on the network's input, and this op is folded only on constants");
    }
    return v;
  }

  void dropout() {
    if (n.has(2) && n.in(2) instanceof Val.Ints t && t.data().length > 0 && t.data()[0] != 0) {
      throw new ImportIssue("dropout in training mode");
    }
    g.define(out(), n.in(0));
  }

  void cast() {
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

  static Val.Ints bools(Val.Ints i) {
    long[] o = new long[i.data().length];
    for (int k = 0; k < o.length; k++) o[k] = i.data()[k] != 0 ? 1 : 0;
    return new Val.Ints(i.shape(), o);
  }


  void shape() {
    long[] s = fullShape(n.in(0));
    int r = s.length;
    int start = (int) clampAxis(n.attrInt("start", 0), r);
    int end = (int) clampAxis(n.attrInt("end", r), r);
    g.define(out(), Val.Ints.vector(Arrays.copyOfRange(s, start, Math.max(start, end))));
  }

  static long clampAxis(long a, int r) {
    long v = a < 0 ? a + r : a;
    return Math.max(0, Math.min(r, v));
  }

  void size() {
    long p = 1;
    for (long d : fullShape(n.in(0))) p = d == Val.BATCH || p == Val.UNKNOWN ? Val.UNKNOWN : p * d;
    g.define(out(), new Val.Ints(new int[0], new long[] {p}));
  }

  void gather() {
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
  void embedding(Val data, Val.Act ids, int axis) {
    if (!(data instanceof Val.Floats table) || table.shape().length != 2 || axis != 0) {
      throw new ImportIssue("Gather with computed indices is supported only as an embedding (rows of a 2-D table)");
    }
    Embedding op = new Embedding(table.shape()[0], table.shape()[1]);
    g.layer(n, out(), op, List.of(ids), Map.of("weight", tensor(table)));
  }

  void unsqueeze() {
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

  void squeeze() {
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


  /** A reshape to a full shape (with the batch where it was): folded for constants, a layer for tensors. */
  void reshapeTo(long[] full) {
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

  void concat() {
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

  void reshape() {
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
  static long inferred(long[] in, long[] full, int at) {
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

  void flatten() {
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

  void transpose() {
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

  void slice() {
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

  int slicesMade;

  /** One slice layer: the node's output when it is the last, a helper before it. */
  Val.Act slices(Val.Act a, int axis, int start, int end, int step) {
    slicesMade++;
    return g.helper(n, out(), "slice" + slicesMade, new Slice(axis, start, end, step), List.of(a), Map.of());
  }

  /** ONNX's clamping of start and end to the dim, for positive and negative steps: {start, end}. */
  static long[] sliceRange(long start, long end, long step, long dim) {
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

  void split() {
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

  void constantOfShape() {
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

  void range() {
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

  void unaryConstant() {
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

}
