package dev.netc.onnx;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.AdaptivePool;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.InstanceNorm;
import dev.netc.compiler.ir.LayerNorm;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.Lrn;
import dev.netc.compiler.ir.MatMul;
import dev.netc.compiler.ir.Mean;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.Reduce;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.Softmax;
import dev.netc.compiler.ir.Upsample;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Layers with weights, normalizations, activations, softmax, pooling, padding and resizing. */
final class LayerLowering extends NodeLowering {
  LayerLowering(NodeView n, Importer g) {
    super(n, g);
  }

  // ---- layers with weights ----

  void conv() {
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

  void convTranspose() {
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
  void gemm() {
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
  void matmul() {
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

  static Val.Floats transpose2(Val.Floats m) {
    int r = m.shape()[0];
    int c = m.shape()[1];
    float[] o = new float[m.data().length];
    for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[j * r + i] = m.data()[i * c + j];
    return new Val.Floats(new int[] {c, r}, o);
  }

  static Val.Floats scaled(Val.Floats m, float k) {
    if (k == 1f) return m;
    float[] o = m.data().clone();
    for (int i = 0; i < o.length; i++) o[i] *= k;
    return new Val.Floats(m.shape(), o);
  }

  void batchNorm() {
    Val.Act x = n.act(0);
    if (n.attrInt("training_mode", 0) != 0 || n.outputsUsed() > 1) throw new ImportIssue("batch norm in training mode");
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", tensor(n.floats(1)));
    t.put("bias", tensor(n.floats(2)));
    t.put("running_mean", tensor(n.floats(3)));
    t.put("running_var", tensor(n.floats(4)));
    g.layer(n, out(), new BatchNorm(number(n.attrFloat("epsilon", 1e-5f)), true), List.of(x), t);
  }

  void instanceNorm() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("weight", tensor(n.floats(1)));
    t.put("bias", tensor(n.floats(2)));
    g.layer(n, out(), new InstanceNorm(number(n.attrFloat("epsilon", 1e-5f)), true), List.of(n.act(0)), t);
  }

  /** PyTorch's group norm spelling, recognized by {@link Patterns}: inputs x, weight [C], bias [C]. */
  void groupNorm() {
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
  static boolean sameShape(long[] target, long[] full) {
    if (target.length != full.length) return false;
    int minusOne = 0;
    for (int i = 0; i < full.length; i++) {
      if (target[i] == -1) minusOne++;
      else if (target[i] != 0 && target[i] != full[i]) return false;
    }
    return minusOne <= 1;
  }

  void layerNorm() {
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
  static int trailingAxes(long[] axes, int r) {
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

  void lrn() {
    long size = n.attrInt("size", 0);
    if (size < 1 || size % 2 == 0 || size > MAX_DIM) throw new ImportIssue("LRN size " + size + " (netc matches ONNX for odd sizes)");
    g.layer(n, out(), new Lrn((int) size, number(n.attrFloat("alpha", 1e-4f)), number(n.attrFloat("beta", 0.75f)),
        number(n.attrFloat("bias", 1f))), List.of(n.act(0)), Map.of());
  }

  // ---- activations, softmax ----

  void activation(Activation.Kind kind, double alpha, double beta) {
    g.layer(n, out(), new Activation(kind, alpha, beta), List.of(n.act(0)), Map.of());
  }

  void gelu() {
    String approx = n.attrString("approximate", "none");
    if (!approx.equals("none")) throw new ImportIssue("GELU with the " + approx + " approximation");
    activation(Activation.Kind.GELU, 0, 0);
  }

  void hardSigmoid() {
    float alpha = n.attrFloat("alpha", 0.2f);
    float beta = n.attrFloat("beta", 0.5f);
    if (Math.abs(alpha - 1 / 6.0) > 1e-6 || beta != 0.5f) {
      throw new ImportIssue("HardSigmoid with alpha " + alpha + ", beta " + beta + " (netc's is alpha 1/6, beta 0.5)");
    }
    activation(Activation.Kind.HARDSIGMOID, 0, 0);
  }

  void clip() {
    float min = Float.NEGATIVE_INFINITY;
    float max = Float.POSITIVE_INFINITY;
    if (n.has(1)) min = scalarConstant(1);
    if (n.has(2)) max = scalarConstant(2);
    if (min == 0 && max == 6) activation(Activation.Kind.RELU6, 0, 0);
    else if (min == 0 && max == Float.POSITIVE_INFINITY) activation(Activation.Kind.RELU, 0, 0);
    else throw new ImportIssue("Clip to [" + min + ", " + max + "] (netc has relu and relu6)");
  }

  float scalarConstant(int i) {
    float[] v = n.floats(i).data();
    if (v.length != 1) throw new ImportIssue("input " + i + " should be a scalar");
    return v[0];
  }

  void softmax() {
    Val.Act x = n.act(0);
    int r = x.type().fullRank();
    long dflt = n.opset >= 13 ? -1 : 1;
    int axis = axis(n.attrInt("axis", dflt), r);
    if (n.opset < 13 && axis != r - 1) throw new ImportIssue("softmax before opset 13 over a flattened axis " + axis);
    g.layer(n, out(), new Softmax(axis, n.op().equals("LogSoftmax")), List.of(x), Map.of());
  }

  // ---- pooling ----

  void pool() {
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

  void globalPool() {
    Val.Act x = n.act(0);
    int dims = x.type().rank() - 1;
    if (dims < 1 || dims > 3) throw new ImportIssue("global pooling of a " + x.type() + " input");
    Pool.Kind kind = n.op().equals("GlobalMaxPool") ? Pool.Kind.MAX : Pool.Kind.AVG;
    g.layer(n, out(), new AdaptivePool(kind, Collections.nCopies(dims, 1)), List.of(x), Map.of());
  }

  /** A mean over every spatial axis with kept dims is global average pooling; any other mean is a mean. */
  void reduceMean() {
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

  /**
   * ReduceSum (its axes an input from opset 13), ReduceMax and ReduceMin (from opset 18): a {@code sum}, {@code max}
   * or {@code min} over axes other than the batch.
   */
  void reduce(Reduce.Kind kind, int axesInputSince) {
    Val.Act x = n.act(0);
    int r = x.type().fullRank();
    long[] axes = n.axes(axesInputSince);
    boolean keep = n.attrInt("keepdims", 1) != 0;
    if (axes == null || axes.length == 0) {
      if (n.attrInt("noop_with_empty_axes", 0) != 0) {
        g.define(out(), x);
        return;
      }
      throw new ImportIssue("a reduction over every axis, the batch included");
    }
    boolean[] reduce = new boolean[r];
    for (long a : axes) reduce[axis(a, r)] = true;
    if (reduce[0]) throw new ImportIssue("a reduction over the batch axis");
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < r; i++) if (reduce[i]) list.add(i);
    g.layer(n, out(), new Reduce(kind, list, keep), List.of(x), Map.of());
  }

  /** ArgMax along one axis other than the batch, the first maximum's index (as a float; a Cast after it is none). */
  void argMax() {
    Val.Act x = n.act(0);
    int r = x.type().fullRank();
    int a = axis(n.attrInt("axis", 0), r);
    if (a == 0) throw new ImportIssue("an argmax over the batch axis");
    if (n.attrInt("select_last_index", 0) != 0) throw new ImportIssue("select_last_index (netc's argmax takes the first)");
    g.layer(n, out(), new Reduce(Reduce.Kind.ARGMAX, List.of(a), n.attrInt("keepdims", 1) != 0), List.of(x), Map.of());
  }

  // ---- padding and resizing ----

  void pad() {
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
  void resize() {
    Val.Act x = n.act(0);
    // Upsample (deprecated, kept by old exporters) is Resize with scales at input 1 and asymmetric coordinates.
    boolean legacy = n.op().equals("Upsample");
    String mode = n.attrString("mode", "nearest");
    String ctm = legacy ? "asymmetric" : n.attrString("coordinate_transformation_mode", "half_pixel");
    if (n.attrInt("antialias", 0) != 0) throw new ImportIssue("antialiased resizing");
    if (n.hasAttr("axes")) throw new ImportIssue("Resize with axes");
    int r = x.type().fullRank();
    int spatial = r - 2;
    if (spatial < 1) throw new ImportIssue("Resize of a " + x.type() + " tensor");
    int scalesAt = legacy ? 1 : 2;
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
      String nearest = legacy ? "floor" : n.attrString("nearest_mode", "round_prefer_floor");
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

}
