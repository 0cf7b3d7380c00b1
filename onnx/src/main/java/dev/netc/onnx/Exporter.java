package dev.netc.onnx;

import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.AdaptivePool;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.Attention;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.Binary;
import dev.netc.compiler.ir.ChannelShuffle;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Crop;
import dev.netc.compiler.ir.Dropout;
import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.Flatten;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.GroupNorm;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.InstanceNorm;
import dev.netc.compiler.ir.L2Norm;
import dev.netc.compiler.ir.LayerNorm;
import dev.netc.compiler.ir.Learned;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.Lrn;
import dev.netc.compiler.ir.MatMul;
import dev.netc.compiler.ir.Mean;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Reduce;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.ParamSpec;
import dev.netc.compiler.ir.Permute;
import dev.netc.compiler.ir.MaxUnpool;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.PoolIndices;
import dev.netc.compiler.ir.PositionalEmbedding;
import dev.netc.compiler.ir.PositionalEncoding;
import dev.netc.compiler.ir.Recurrent;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.RoiAlign;
import dev.netc.compiler.ir.RoiPool;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.Slice;
import dev.netc.compiler.ir.Softmax;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ir.Upsample;
import dev.netc.compiler.ir.WindowAttention;
import dev.netc.onnx.proto.OnnxProto.AttributeProto;
import dev.netc.onnx.proto.OnnxProto.GraphProto;
import dev.netc.onnx.proto.OnnxProto.ModelProto;
import dev.netc.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.kernels.ShiftedWindowAttention;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed {@link Graph} (as elaboration makes it, before optimization) to an ONNX model of opset {@value #OPSET}:
 * network inputs and outputs by their {@code .net} names with the batch as the symbolic dimension {@code N},
 * parameter tensors as initializers under their {@code .net} names (or, without weights, as further graph inputs),
 * one node per layer named by its path (a layer that ONNX spells with several nodes names them
 * {@code path/Op}), and every layer's output shape as {@code value_info}.
 *
 * <p>Batch normalization is exported unfused, as {@code BatchNormalization} with the running statistics as
 * initializers: the file keeps the {@code .net} layer structure and every tensor name, and runtimes fold it
 * themselves (ONNX Runtime does at session creation). A layer with no opset-{@value #OPSET} spelling is a user
 * error naming every such layer at once.
 */
final class Exporter {
  static final int OPSET = 17;
  /** IR version 8 is the one that goes with opset 17 (ONNX 1.12). */
  static final int IR_VERSION = 8;

  private final Graph graph;
  private final GraphWriter w;
  private final String[] value;
  private final List<String> unsupported = new ArrayList<>();

  private Exporter(Graph graph) {
    this.graph = graph;
    this.w = new GraphWriter(graph.name());
    this.value = new String[graph.nodes().size()];
  }

  /**
   * @param weights the parameter tensors by full name, or null to make every parameter a graph input
   * @param producerVersion written as the model's producer version
   */
  static ModelProto export(Graph graph, Map<String, Tensor> weights, String producerVersion) {
    Exporter e = new Exporter(graph);
    GraphProto g = e.run(weights);
    return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("netc").setProducerVersion(producerVersion)
        .setDocString("Exported by netc from the .net network " + graph.name() + ".")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(g).build();
  }

  private GraphProto run(Map<String, Tensor> weights) {
    for (int id : graph.inputs()) {
      Input in = (Input) graph.node(id).op();
      value[id] = in.inputName();
      w.reserve(in.inputName());
      w.input(GraphWriter.info(in.inputName(), in.type()));
    }
    java.util.Set<String> declared = new java.util.HashSet<>();
    for (Param p : graph.params()) {
      // Tensors never read (num_batches_tracked) or derived (spelled as constants by their op) are no inputs; a
      // reused layer's tensors are declared once.
      if (!p.spec().isRead() || !declared.add(p.name())) continue;
      if (weights == null) {
        w.reserve(p.name());
        w.input(GraphWriter.info(p.name(), p.shape().toArray()));
      } else {
        Tensor t = weights.get(p.name());
        if (t == null) throw new OnnxException("no weights for parameter " + p.name());
        w.initializer(GraphWriter.floatTensor(p.name(), longs(p.shape().toArray()), t.data()));
      }
    }
    nameValues();
    for (Node n : graph.nodes()) {
      if (n.op() instanceof Input) continue;
      List<String> in = n.inputs().stream().map(i -> value[i]).toList();
      emit(n, in, value[n.id()]);
    }
    if (!unsupported.isEmpty()) {
      throw new OnnxException("cannot export " + graph.name() + " to ONNX opset " + OPSET + ": "
          + String.join("; ", unsupported));
    }
    writeOutputs();
    return w.build();
  }

  /** Each layer's value is named by its path, or by the output's name when it is exactly one network output. */
  private void nameValues() {
    Map<Integer, Integer> outputsOf = new HashMap<>();
    for (Graph.Output o : graph.outputs()) outputsOf.merge(o.node(), 1, Integer::sum);
    for (Graph.Output o : graph.outputs()) {
      Node n = graph.node(o.node());
      if (!(n.op() instanceof Input) && outputsOf.get(o.node()) == 1 && w.reserve(o.name())) value[n.id()] = o.name();
    }
    for (Node n : graph.nodes()) {
      if (value[n.id()] == null) value[n.id()] = w.fresh(n.path().isEmpty() ? n.op().name() : n.path());
    }
  }

  private void writeOutputs() {
    java.util.Set<String> outputs = new java.util.HashSet<>();
    for (Graph.Output o : graph.outputs()) {
      String v = value[o.node()];
      if (!v.equals(o.name())) {
        if (!w.reserve(o.name())) throw new OnnxException("output name " + o.name() + " is also a tensor's name");
        w.node("Identity", o.name(), List.of(v), o.name());
      }
      outputs.add(o.name());
      w.output(GraphWriter.info(o.name(), graph.node(o.node()).type()));
    }
    for (Node n : graph.nodes()) {
      if (!(n.op() instanceof Input) && !outputs.contains(value[n.id()])) w.valueInfo(GraphWriter.info(value[n.id()], n.type()));
    }
  }

  private void emit(Node n, List<String> in, String out) {
    String p = n.path();
    TensorType x = n.inputs().isEmpty() ? n.type() : graph.node(n.inputs().getFirst()).type();
    switch (n.op()) {
      case Input i -> throw new IllegalStateException("input handled before");
      case Conv c -> w.node("Conv", p, withParams(in.getFirst(), n, "weight", "bias"), out,
          Attr.ints("kernel_shape", c.kernel()), Attr.ints("strides", c.stride()),
          Attr.ints("pads", concat(c.padBegin(), c.padEnd())), Attr.ints("dilations", c.dilation()),
          Attr.i("group", c.groups()));
      case ConvTranspose c -> w.node("ConvTranspose", p, withParams(in.getFirst(), n, "weight", "bias"), out,
          Attr.ints("kernel_shape", c.kernel()), Attr.ints("strides", c.stride()),
          Attr.ints("pads", concat(c.padBegin(), c.padEnd())), Attr.ints("output_padding", c.outputPadding()),
          Attr.ints("dilations", c.dilation()), Attr.i("group", c.groups()));
      case Linear l -> linear(n, in.getFirst(), x, out, "weight", "bias", l.bias());
      case MatMul m -> w.node("MatMul", p, in, out);
      case BatchNorm b -> w.node("BatchNormalization", p, List.of(in.getFirst(), scaleOrOnes(n, x.dim(0)),
          biasOrZeros(n, x.dim(0)), param(n, "running_mean"), param(n, "running_var")), out, Attr.f("epsilon", b.eps()));
      case LayerNorm l -> layerNorm(n, l, in.getFirst(), x, out);
      case GroupNorm gn -> groupNorm(n, gn, in.getFirst(), x, out);
      case InstanceNorm i -> w.node("InstanceNormalization", p, List.of(in.getFirst(), scaleOrOnes(n, x.dim(0)),
          biasOrZeros(n, x.dim(0))), out, Attr.f("epsilon", i.eps()));
      case Lrn l -> lrn(n, l, in.getFirst(), out);
      case Activation a -> activation(p, a, in.getFirst(), out);
      case Scale s -> scale(p, s, in.getFirst(), out);
      case Softmax s -> w.node(s.log() ? "LogSoftmax" : "Softmax", p, in, out, Attr.i("axis", s.axis()));
      case Pool pool -> pool(n, pool, in.getFirst(), out);
      case AdaptivePool a -> adaptivePool(n, a, in.getFirst(), x, out);
      case PoolIndices pi -> poolIndices(n, pi.pool(), in.getFirst(), x, out);
      case MaxUnpool u -> maxUnpool(p, in, graph.node(n.inputs().getFirst()).type(), n.type(), out);
      case Upsample u -> upsample(n, u, in.getFirst(), x, out);
      case Concat c when Concat.expands(n.inputs().stream().map(i -> graph.node(i).type()).toList()) ->
          w.node("Concat", p, expanded(n, in), out, Attr.i("axis", c.axis()));
      case Concat c -> w.node("Concat", p, in, out, Attr.i("axis", c.axis()));
      case Add a -> w.node(in.size() == 2 ? "Add" : "Sum", p, in, out);
      case Mul m -> chain("Mul", p, in, out);
      case Slice s -> w.node("Slice", p, List.of(in.getFirst(), w.ints(p + "/starts", s.start()),
          w.ints(p + "/ends", s.end()), w.ints(p + "/axes", s.axis()), w.ints(p + "/steps", s.step())), out);
      case ChannelShuffle c -> channelShuffle(p, c, in.getFirst(), x, out);
      case Reshape r -> reshape(p, in.getFirst(), n.type(), out);
      case Flatten f -> {
        if (x.batched() && f.start() == 1 && (f.end() == -1 || f.end() == x.rank())) {
          w.node("Flatten", p, in, out, Attr.i("axis", 1));
        } else {
          reshape(p, in.getFirst(), n.type(), out);
        }
      }
      case Permute pm -> w.node("Transpose", p, in, out, Attr.ints("perm", pm.perm()));
      case Pad pad -> pad(p, pad, in.getFirst(), x, out);
      case Crop c -> crop(p, c, in.getFirst(), x, out);
      case Mean m -> w.node("ReduceMean", p, in, out, Attr.ints("axes", m.axes()), Attr.i("keepdims", m.keepDims() ? 1 : 0));
      case Reduce r -> reduce(p, r, in, out);
      case Binary b -> chain(b.kind() == Binary.Kind.SUB ? "Sub" : "Div", p, in, out);
      case Learned l -> w.node("Identity", p, List.of(param(n, "")), out);
      case Dropout d -> w.node("Identity", p, in, out);
      case PositionalEncoding pe -> positionalEncoding(p, pe, in.getFirst(), x, out);
      case Attention a -> attention(n, a, in.getFirst(), x, out);
      case WindowAttention a -> windowAttention(n, a, in.getFirst(), x, out);
      case Recurrent r -> recurrent(n, r, in.getFirst(), x, out);
      case RoiPool r -> w.node("MaxRoiPool", p, in, out, Attr.ints("pooled_shape", r.output()),
          Attr.f("spatial_scale", r.scale()));
      case RoiAlign r -> roiAlign(p, r, in, out);
      case Embedding e -> w.node("Gather", p, List.of(param(n, "weight"), w.temp("Cast", p, List.of(in.getFirst()),
          Attr.i("to", TensorProto.DataType.INT64_VALUE))), out, Attr.i("axis", 0));
      case PositionalEmbedding pe -> positionalEmbedding(n, in.getFirst(), x, out);
      case L2Norm l -> l2Norm(n, l, in.getFirst(), x, out);
      case Fused f -> unsupported(n, "an optimized (fused) layer; export the elaborated network");
      case ElementwiseChain c -> unsupported(n, "an optimized (fused) layer; export the elaborated network");
    }
  }

  /** ReduceSum takes its axes as an input from opset 13, ReduceMax and ReduceMin as an attribute up to 17. */
  private void reduce(String p, Reduce r, List<String> in, String out) {
    var keepdims = Attr.i("keepdims", r.keepDims() ? 1 : 0);
    switch (r.kind()) {
      case SUM -> w.node("ReduceSum", p, List.of(in.getFirst(), w.ints(p + "/axes",
          r.axes().stream().mapToLong(Integer::longValue).toArray())), out, keepdims);
      case MAX -> w.node("ReduceMax", p, in, out, Attr.ints("axes", r.axes()), keepdims);
      case MIN -> w.node("ReduceMin", p, in, out, Attr.ints("axes", r.axes()), keepdims);
      case ARGMAX -> w.node("Cast", p + "/Cast", List.of(w.temp("ArgMax", p, in, Attr.i("axis", r.axes().getFirst()),
          keepdims)), out, Attr.i("to", TensorProto.DataType.FLOAT_VALUE));
    }
  }

  /**
   * Concat's inputs with each unbatched {@code [1, ...]} one expanded over the batch: {@code Expand} to
   * {@code [N, 1, ...]}, N read from a batched input's {@code Shape}.
   */
  private List<String> expanded(Node n, List<String> in) {
    String p = n.path();
    String batched = null;
    for (int i = 0; i < in.size(); i++) if (graph.node(n.inputs().get(i)).type().batched()) batched = in.get(i);
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      TensorType t = graph.node(n.inputs().get(i)).type();
      if (t.batched()) {
        out.add(in.get(i));
        continue;
      }
      String shape = w.temp("Shape", p, List.of(batched));
      String count = w.temp("Slice", p, List.of(shape, w.ints(p + "/zero", 0), w.ints(p + "/one", 1)));
      long[] ones = new long[t.rank() - 1];
      java.util.Arrays.fill(ones, 1);
      String target = w.temp("Concat", p, List.of(count, w.ints(p + "/ones", ones)), Attr.i("axis", 0));
      out.add(w.temp("Expand", p, List.of(in.get(i), target)));
    }
    return out;
  }

  private void unsupported(Node n, String why) {
    unsupported.add("layer " + n.path() + " (" + n.op().name() + "): " + why);
  }

  // ---- layers spelled with several ONNX nodes ----

  /** Gemm for [N, F]; for higher ranks MatMul with the transposed weight (a Transpose of the initializer) and Add. */
  private void linear(Node n, String x, TensorType xt, String out, String weight, String bias, boolean hasBias) {
    String p = n.path();
    if (xt.fullRank() == 2) {
      w.node("Gemm", p, withParams(x, n, weight, bias), out, Attr.i("transB", 1));
      return;
    }
    String wt = w.temp("Transpose", p, List.of(param(n, weight)), Attr.ints("perm", 1, 0));
    if (!hasBias) {
      w.node("MatMul", p, List.of(x, wt), out);
      return;
    }
    w.node("Add", p + "/Add", List.of(w.temp("MatMul", p, List.of(x, wt)), param(n, bias)), out);
  }

  private void layerNorm(Node n, LayerNorm l, String x, TensorType xt, String out) {
    int[] normalized = Arrays.copyOfRange(xt.shape().toArray(), xt.rank() - l.dims(), xt.rank());
    String scale = l.affine() ? param(n, "weight") : ones(n.path() + "/ones", normalized);
    String bias = l.affine() ? param(n, "bias") : zeros(n.path() + "/zeros", normalized);
    w.node("LayerNormalization", n.path(), List.of(x, scale, bias), out, Attr.i("axis", -l.dims()),
        Attr.f("epsilon", l.eps()));
  }

  /** PyTorch's own spelling: instance norm over [N, groups, rest], reshaped back, then the per-channel affine. */
  private void groupNorm(Node n, GroupNorm gn, String x, TensorType xt, String out) {
    String p = n.path();
    int c = xt.dim(0);
    String grouped = w.temp("Reshape", p, List.of(x, w.ints(p + "/grouped", 0, gn.groups(), -1)));
    String normed = w.temp("InstanceNormalization", p, List.of(grouped, ones(p + "/ones", new int[] {gn.groups()}),
        zeros(p + "/zeros", new int[] {gn.groups()})), Attr.f("epsilon", gn.eps()));
    long[] back = new long[xt.fullRank()];
    for (int i = 0; i < xt.rank(); i++) back[i + 1] = xt.dim(i);
    if (!gn.affine()) {
      w.node("Reshape", p, List.of(normed, w.ints(p + "/shape", back)), out);
      return;
    }
    String y = w.temp("Reshape", p, List.of(normed, w.ints(p + "/shape", back)));
    String scaled = w.temp("Mul", p, List.of(y, perChannel(p, param(n, "weight"), c, xt.rank())));
    w.node("Add", p + "/Add", List.of(scaled, perChannel(p, param(n, "bias"), c, xt.rank())), out);
  }

  /** A [C] tensor reshaped to [C, 1, ...] so it broadcasts over a [N, C, ...] tensor of rank {@code rank + 1}. */
  private String perChannel(String p, String vector, int c, int rank) {
    long[] dims = new long[rank];
    Arrays.fill(dims, 1);
    dims[0] = c;
    return w.temp("Reshape", p, List.of(vector, w.ints(p + "/per_channel", dims)));
  }

  /** ONNX centres an even window one channel later than PyTorch does; odd sizes agree. */
  private void lrn(Node n, Lrn l, String x, String out) {
    if (l.size() % 2 == 0) {
      unsupported(n, "an even window size " + l.size() + " (ONNX's LRN window is placed differently from PyTorch's)");
      return;
    }
    w.node("LRN", n.path(), List.of(x), out, Attr.i("size", l.size()), Attr.f("alpha", l.alpha()),
        Attr.f("beta", l.beta()), Attr.f("bias", l.k()));
  }

  private void activation(String p, Activation a, String x, String out) {
    switch (a.kind()) {
      case IDENTITY -> w.node("Identity", p, List.of(x), out);
      case RELU -> w.node("Relu", p, List.of(x), out);
      case RELU6 -> w.node("Clip", p, List.of(x, w.scalar(p + "/min", 0), w.scalar(p + "/max", 6)), out);
      case LEAKY_RELU -> w.node("LeakyRelu", p, List.of(x), out, Attr.f("alpha", a.alpha()));
      case ELU -> w.node("Elu", p, List.of(x), out, Attr.f("alpha", a.alpha()));
      case SIGMOID -> w.node("Sigmoid", p, List.of(x), out);
      case TANH -> w.node("Tanh", p, List.of(x), out);
      case HARDSWISH -> w.node("HardSwish", p, List.of(x), out);
      case HARDSIGMOID -> w.node("HardSigmoid", p, List.of(x), out, Attr.f("alpha", 1.0 / 6), Attr.f("beta", 0.5));
      case SILU -> w.node("Mul", p, List.of(x, w.temp("Sigmoid", p, List.of(x))), out);
      case GELU -> {
        // x * 0.5 * (1 + erf(x / sqrt(2))): the exact GELU as PyTorch exports it below opset 20.
        String erf = w.temp("Erf", p, List.of(w.temp("Div", p, List.of(x, w.scalar(p + "/sqrt2", Math.sqrt(2))))));
        String onePlus = w.temp("Add", p, List.of(erf, w.scalar(p + "/one", 1)));
        String prod = w.temp("Mul", p, List.of(x, onePlus));
        w.node("Mul", p + "/half", List.of(prod, w.scalar(p + "/half", 0.5)), out);
      }
      case SOFTPLUS -> softplus(p, a.alpha(), a.beta(), x, out);
    }
  }

  /** PyTorch's softplus: {@code log(1 + exp(beta x)) / beta}, and x itself where {@code beta x > threshold}. */
  private void softplus(String p, double beta, double threshold, String x, String out) {
    String bx = beta == 1 ? x : w.temp("Mul", p, List.of(x, w.scalar(p + "/beta", beta)));
    String sp = w.temp("Softplus", p, List.of(bx));
    if (beta != 1) sp = w.temp("Div", p, List.of(sp, w.scalar(p + "/beta_div", beta)));
    String above = w.temp("Greater", p, List.of(bx, w.scalar(p + "/threshold", threshold)));
    w.node("Where", p, List.of(above, x, sp), out);
  }

  private void scale(String p, Scale s, String x, String out) {
    if (s.shift() == 0) {
      w.node("Mul", p, List.of(x, w.scalar(p + "/factor", s.factor())), out);
      return;
    }
    String m = s.factor() == 1 ? x : w.temp("Mul", p, List.of(x, w.scalar(p + "/factor", s.factor())));
    w.node("Add", p, List.of(m, w.scalar(p + "/shift", s.shift())), out);
  }

  private void pool(Node n, Pool pool, String x, String out) {
    List<AttributeProto> attrs = new ArrayList<>(List.of(Attr.ints("kernel_shape", pool.kernel()),
        Attr.ints("strides", pool.stride()), Attr.ints("pads", concat(pool.padBegin(), pool.padEnd())),
        Attr.i("ceil_mode", pool.ceil() ? 1 : 0)));
    if (pool.kind() == Pool.Kind.MAX) {
      attrs.add(Attr.ints("dilations", pool.dilation()));
      w.node("MaxPool", n.path(), List.of(x), out, attrs.toArray(AttributeProto[]::new));
      return;
    }
    if (pool.dilation().stream().anyMatch(d -> d != 1)) {
      unsupported(n, "average pooling with dilation (AveragePool has dilations from opset 19)");
      return;
    }
    attrs.add(Attr.i("count_include_pad", pool.countIncludePad() ? 1 : 0));
    w.node("AveragePool", n.path(), List.of(x), out, attrs.toArray(AttributeProto[]::new));
  }

  /**
   * A max pooling's indices, flat per (item, channel) plane as floats: ONNX's MaxPool counts them across the whole
   * NCHW tensor ({@code ((n·C + c)·H + h)·W + w}), so they are taken modulo the plane size and cast.
   */
  private void poolIndices(Node n, Pool pool, String x, TensorType xt, String out) {
    String p = n.path();
    String values = w.fresh(p + "/values");
    String flat = w.fresh(p + "/indices");
    w.nodes("MaxPool", p, List.of(x), List.of(values, flat), Attr.ints("kernel_shape", pool.kernel()),
        Attr.ints("strides", pool.stride()), Attr.ints("pads", concat(pool.padBegin(), pool.padEnd())),
        Attr.i("ceil_mode", pool.ceil() ? 1 : 0), Attr.ints("dilations", pool.dilation()), Attr.i("storage_order", 0));
    long plane = xt.elements() / xt.dim(0);
    String within = w.temp("Mod", p, List.of(flat, w.ints(p + "/plane", plane)));
    w.node("Cast", p, List.of(within), out, Attr.i("to", TensorProto.DataType.FLOAT_VALUE));
  }

  /**
   * Max unpooling as a scatter: each (item, channel) plane of values goes into a zero plane of the output's size at
   * its per-plane indices (ScatterElements along the flattened plane; ONNX's MaxUnpool wants whole-tensor indices).
   */
  private void maxUnpool(String p, List<String> in, TensorType xt, TensorType yt, String out) {
    int lead = xt.batched() ? 2 : 1;
    long outPlane = yt.elements() / yt.dim(0);
    String shape = w.temp("Shape", p, List.of(in.get(0)));
    String planes = w.temp("Slice", p, List.of(shape, w.ints(p + "/starts", 0), w.ints(p + "/ends", lead),
        w.ints(p + "/axes", 0)));
    String zeros = w.temp("ConstantOfShape", p, List.of(w.temp("Concat", p, List.of(planes,
        w.ints(p + "/plane", outPlane)), Attr.i("axis", 0))));
    long[] flat = new long[lead + 1];
    flat[lead] = -1;
    String flatShape = w.ints(p + "/flat", flat);
    String values = w.temp("Reshape", p, List.of(in.get(0), flatShape));
    String indices = w.temp("Reshape", p, List.of(w.temp("Cast", p, List.of(in.get(1)),
        Attr.i("to", TensorProto.DataType.INT64_VALUE)), flatShape));
    String scattered = w.temp("ScatterElements", p, List.of(zeros, indices, values), Attr.i("axis", lead));
    long[] dims = new long[lead + yt.rank() - 1];
    for (int d = 1; d < yt.rank(); d++) dims[lead + d - 1] = yt.dim(d);
    w.node("Reshape", p, List.of(scattered, w.ints(p + "/shape", dims)), out);
  }

  /**
   * Global pooling when every output size is 1; a plain pooling when every input size divides evenly; else
   * PyTorch's uneven bins axis by axis (bin i of an axis covers [floor(i·in/out), ceil((i+1)·in/out))): slices
   * reduced and concatenated. A rectangle's mean is the mean of its rows' means, and its max the max of maxes.
   */
  private void adaptivePool(Node n, AdaptivePool a, String x, TensorType xt, String out) {
    String p = n.path();
    boolean max = a.kind() == Pool.Kind.MAX;
    int dims = a.size().size();
    if (a.size().stream().allMatch(s -> s == 1)) {
      w.node(max ? "GlobalMaxPool" : "GlobalAveragePool", p, List.of(x), out);
      return;
    }
    boolean even = true;
    for (int d = 0; d < dims; d++) even &= xt.dim(d + 1) % a.size().get(d) == 0;
    if (even) {
      long[] k = new long[dims];
      for (int d = 0; d < dims; d++) k[d] = xt.dim(d + 1) / a.size().get(d);
      w.node(max ? "MaxPool" : "AveragePool", p, List.of(x), out, Attr.ints("kernel_shape", k), Attr.ints("strides", k));
      return;
    }
    String cur = x;
    for (int d = 0; d < dims; d++) {
      int axis = d + 2;
      int in = xt.dim(d + 1);
      int o = a.size().get(d);
      List<String> bins = new ArrayList<>();
      for (int i = 0; i < o; i++) {
        long start = Math.floorDiv((long) i * in, o);
        long end = -Math.floorDiv(-(long) (i + 1) * in, o);
        String slice = w.temp("Slice", p, List.of(cur, w.ints(p + "/start", start), w.ints(p + "/end", end),
            w.ints(p + "/axis", axis)));
        bins.add(w.temp(max ? "ReduceMax" : "ReduceMean", p, List.of(slice), Attr.ints("axes", axis),
            Attr.i("keepdims", 1)));
      }
      if (d == dims - 1) w.node("Concat", p, bins, out, Attr.i("axis", axis));
      else cur = w.temp("Concat", p, bins, Attr.i("axis", axis));
    }
  }

  /**
   * Resize. Nearest is PyTorch's {@code floor(dst · in/out)} ("asymmetric", floor); bilinear is "align_corners"
   * or "pytorch_half_pixel". A scale the user gave goes in as the scales (PyTorch maps coordinates with it);
   * a size as the full sizes, the batch and channels taken from the input's own shape.
   */
  private void upsample(Node n, Upsample u, String x, TensorType xt, String out) {
    String p = n.path();
    List<AttributeProto> attrs = new ArrayList<>();
    if (u.mode() == Upsample.Mode.NEAREST) {
      attrs.add(Attr.s("mode", "nearest"));
      attrs.add(Attr.s("coordinate_transformation_mode", "asymmetric"));
      attrs.add(Attr.s("nearest_mode", "floor"));
    } else {
      attrs.add(Attr.s("mode", "linear"));
      attrs.add(Attr.s("coordinate_transformation_mode", u.alignCorners() ? "align_corners" : "pytorch_half_pixel"));
    }
    AttributeProto[] a = attrs.toArray(AttributeProto[]::new);
    int spatial = u.size().size();
    if (u.scale() != null && !u.scale().isEmpty()) {
      float[] scales = new float[xt.fullRank()];
      Arrays.fill(scales, 1f);
      for (int d = 0; d < spatial; d++) scales[scales.length - spatial + d] = (float) (double) u.scale().get(Math.min(d, u.scale().size() - 1));
      w.node("Resize", p, List.of(x, "", w.floats(p + "/scales", new long[] {scales.length}, scales)), out, a);
      return;
    }
    long[] size = new long[spatial];
    for (int d = 0; d < spatial; d++) size[d] = u.size().get(d);
    String lead = w.temp("Shape", p, List.of(x), Attr.i("start", 0), Attr.i("end", xt.fullRank() - spatial));
    String sizes = w.temp("Concat", p, List.of(lead, w.ints(p + "/size", size)), Attr.i("axis", 0));
    w.node("Resize", p, List.of(x, "", "", sizes), out, a);
  }

  /** Reshape [N, C, ...] to [N, g, C/g, ...], swap the two group axes, and reshape back. */
  private void channelShuffle(String p, ChannelShuffle c, String x, TensorType xt, String out) {
    int[] d = xt.shape().toArray();
    long[] split = new long[d.length + 2];
    split[1] = c.groups();
    split[2] = d[0] / c.groups();
    for (int i = 1; i < d.length; i++) split[i + 2] = d[i];
    long[] perm = new long[split.length];
    for (int i = 0; i < perm.length; i++) perm[i] = i;
    perm[1] = 2;
    perm[2] = 1;
    long[] back = new long[d.length + 1];
    for (int i = 0; i < d.length; i++) back[i + 1] = d[i];
    String grouped = w.temp("Reshape", p, List.of(x, w.ints(p + "/groups", split)));
    String swapped = w.temp("Transpose", p, List.of(grouped), Attr.ints("perm", perm));
    w.node("Reshape", p, List.of(swapped, w.ints(p + "/shape", back)), out);
  }

  /** Reshape to the node's type: a batched target keeps the input's batch (0 copies dim 0 in ONNX). */
  private void reshape(String p, String x, TensorType target, String out) {
    long[] dims = new long[target.fullRank()];
    int off = target.batched() ? 1 : 0;
    for (int i = 0; i < target.rank(); i++) dims[i + off] = target.dim(i);
    if (target.batched()) dims[0] = 0;
    if (Arrays.stream(dims, off, dims.length).anyMatch(v -> v == 0)) {
      throw new OnnxException("layer " + p + ": reshape to " + target + " has an empty dimension");
    }
    w.node("Reshape", p, List.of(x, w.ints(p + "/shape", dims)), out);
  }

  private void pad(String p, Pad pad, String x, TensorType xt, String out) {
    int r = xt.fullRank();
    int k = pad.begin().size();
    long[] pads = new long[2 * r];
    for (int i = 0; i < k; i++) {
      pads[r - k + i] = pad.begin().get(i);
      pads[2 * r - k + i] = pad.end().get(i);
    }
    w.node("Pad", p, List.of(x, w.ints(p + "/pads", pads), w.scalar(p + "/value", pad.value())), out,
        Attr.s("mode", "constant"));
  }

  private void crop(String p, Crop c, String x, TensorType xt, String out) {
    int k = c.size().size();
    long[] starts = new long[k];
    long[] ends = new long[k];
    long[] axes = new long[k];
    for (int i = 0; i < k; i++) {
      starts[i] = c.offset().get(i);
      ends[i] = c.offset().get(i) + c.size().get(i);
      axes[i] = xt.fullRank() - k + i;
    }
    w.node("Slice", p, List.of(x, w.ints(p + "/starts", starts), w.ints(p + "/ends", ends), w.ints(p + "/axes", axes)), out);
  }

  private void positionalEncoding(String p, PositionalEncoding pe, String x, TensorType xt, String out) {
    int t = xt.dim(0);
    int e = xt.dim(1);
    float[] table = pe.base() == 10000 ? dev.netc.runtime.kernels.PositionalEncoding.sinusoidal(t, e)
        : table(t, e, pe.base());
    w.node("Add", p, List.of(x, w.floats(p + "/table", new long[] {t, e}, table)), out);
  }

  /** The sinusoid table for another base, as the interpreter computes it. */
  private static float[] table(int length, int d, double base) {
    float[] pe = new float[length * d];
    float factor = (float) (-Math.log(base) / d);
    for (int i = 0; 2 * i < d; i++) {
      float div = (float) Math.exp((float) (2 * i) * factor);
      for (int pos = 0; pos < length; pos++) {
        pe[pos * d + 2 * i] = (float) Math.sin(pos * div);
        if (2 * i + 1 < d) pe[pos * d + 2 * i + 1] = (float) Math.cos(pos * div);
      }
    }
    return pe;
  }

  /**
   * nn.MultiheadAttention spelled out: the packed in-projection, split into Q, K, V, heads as [N, H, T, D],
   * {@code softmax(Q Kᵀ / sqrt(D)) V}, heads joined back to [N, T, E], the out-projection.
   */
  private void attention(Node n, Attention a, String x, TensorType xt, String out) {
    if (!xt.batched()) {
      unsupported(n, "attention over an unbatched tensor");
      return;
    }
    String p = n.path();
    int t = xt.dim(0);
    int e = xt.dim(1);
    int h = a.heads();
    int d = e / h;
    String wt = w.temp("Transpose", p, List.of(param(n, "in_proj_weight")), Attr.ints("perm", 1, 0));
    String qkv = w.temp("MatMul", p, List.of(x, wt));
    if (a.bias()) qkv = w.temp("Add", p, List.of(qkv, param(n, "in_proj_bias")));
    List<String> parts = List.of(w.fresh(p + "/q"), w.fresh(p + "/k"), w.fresh(p + "/v"));
    w.nodes("Split", p + "/Split", List.of(qkv, w.ints(p + "/split", e, e, e)), parts, Attr.i("axis", 2));
    String heads = w.ints(p + "/heads", 0, t, h, d);
    String q = w.temp("Transpose", p, List.of(w.temp("Reshape", p, List.of(parts.get(0), heads))), Attr.ints("perm", 0, 2, 1, 3));
    String kt = w.temp("Transpose", p, List.of(w.temp("Reshape", p, List.of(parts.get(1), heads))), Attr.ints("perm", 0, 2, 3, 1));
    String v = w.temp("Transpose", p, List.of(w.temp("Reshape", p, List.of(parts.get(2), heads))), Attr.ints("perm", 0, 2, 1, 3));
    String scores = w.temp("Mul", p, List.of(w.temp("MatMul", p, List.of(q, kt)), w.scalar(p + "/scale", 1 / Math.sqrt(d))));
    String weights = w.temp("Softmax", p, List.of(scores), Attr.i("axis", -1));
    String ctx = w.temp("Transpose", p, List.of(w.temp("MatMul", p, List.of(weights, v))), Attr.ints("perm", 0, 2, 1, 3));
    String joined = w.temp("Reshape", p, List.of(ctx, w.ints(p + "/joined", 0, t, e)));
    TensorType jt = xt;
    linear(n, joined, jt, out, "out_proj.weight", "out_proj.bias", a.bias());
  }

  /**
   * Swin's shifted window attention spelled out on [N, H, W, C]: Pad to the window multiple, the cyclic shift as
   * Slice and Concat, windows by Reshape and Transpose to [N·windows, T, C], the qkv projection split into heads,
   * {@code softmax(q kᵀ / sqrt(d) + bias + mask) v} with the bias gathered from the table by the relative position
   * index (a constant) and the shift mask a constant [windows, 1, T, T], the projection, the windows put back, the
   * inverse shift and the crop.
   */
  private void windowAttention(Node n, WindowAttention a, String x, TensorType xt, String out) {
    if (!xt.batched()) {
      unsupported(n, "window attention over an unbatched tensor");
      return;
    }
    String p = n.path();
    int h = xt.dim(0), wd = xt.dim(1), c = xt.dim(2);
    int wh = a.windowH(), ww = a.windowW(), t = wh * ww, heads = a.heads(), d = c / heads;
    int ph = Math.ceilDiv(h, wh) * wh, pw = Math.ceilDiv(wd, ww) * ww, nh = ph / wh, nw = pw / ww;
    int sh = ShiftedWindowAttention.effectiveShift(a.shiftH(), wh, ph);
    int sw = ShiftedWindowAttention.effectiveShift(a.shiftW(), ww, pw);
    String cur = x;
    if (ph > h || pw > wd) cur = w.temp("Pad", p, List.of(cur, w.ints(p + "/pads", 0, 0, 0, 0, 0, ph - h, pw - wd, 0)));
    cur = roll(p, roll(p, cur, 1, sh, ph), 2, sw, pw);
    cur = w.temp("Reshape", p, List.of(cur, w.ints(p + "/grid", -1, nh, wh, nw, ww, c)));
    cur = w.temp("Transpose", p, List.of(cur), Attr.ints("perm", 0, 1, 3, 2, 4, 5));
    cur = w.temp("Reshape", p, List.of(cur, w.ints(p + "/windows", -1, t, c)));
    String qkv = w.temp("MatMul", p, List.of(cur, w.temp("Transpose", p, List.of(param(n, "qkv.weight")),
        Attr.ints("perm", 1, 0))));
    if (a.bias()) qkv = w.temp("Add", p, List.of(qkv, param(n, "qkv.bias")));
    List<String> parts = List.of(w.fresh(p + "/q"), w.fresh(p + "/k"), w.fresh(p + "/v"));
    w.nodes("Split", p + "/Split", List.of(qkv, w.ints(p + "/split", c, c, c)), parts, Attr.i("axis", 2));
    String byHead = w.ints(p + "/heads", 0, t, heads, d);
    String q = w.temp("Transpose", p, List.of(w.temp("Reshape", p, List.of(parts.get(0), byHead))), Attr.ints("perm", 0, 2, 1, 3));
    String kt = w.temp("Transpose", p, List.of(w.temp("Reshape", p, List.of(parts.get(1), byHead))), Attr.ints("perm", 0, 2, 3, 1));
    String v = w.temp("Transpose", p, List.of(w.temp("Reshape", p, List.of(parts.get(2), byHead))), Attr.ints("perm", 0, 2, 1, 3));
    String scores = w.temp("Mul", p, List.of(w.temp("MatMul", p, List.of(q, kt)), w.scalar(p + "/scale", Math.pow(d, -0.5))));
    String bias = w.temp("Gather", p, List.of(param(n, "relative_position_bias_table"),
        w.ints(p + "/" + WindowAttention.INDEX, a.relativePositionIndex())), Attr.i("axis", 0));
    bias = w.temp("Reshape", p, List.of(w.temp("Transpose", p, List.of(bias), Attr.ints("perm", 1, 0)),
        w.ints(p + "/bias_shape", heads, t, t)));
    scores = w.temp("Add", p, List.of(scores, bias));
    if (sh + sw > 0) {
      String perImage = w.temp("Reshape", p, List.of(scores, w.ints(p + "/per_image", -1, nh * nw, heads, t, t)));
      String masked = w.temp("Add", p, List.of(perImage, w.floats(p + "/mask", new long[] {nh * nw, 1, t, t},
          shiftMask(nh, nw, wh, ww, ph, pw, sh, sw))));
      scores = w.temp("Reshape", p, List.of(masked, w.ints(p + "/per_window", -1, heads, t, t)));
    }
    String weights = w.temp("Softmax", p, List.of(scores), Attr.i("axis", -1));
    String ctx = w.temp("Transpose", p, List.of(w.temp("MatMul", p, List.of(weights, v))), Attr.ints("perm", 0, 2, 1, 3));
    ctx = w.temp("Reshape", p, List.of(ctx, w.ints(p + "/joined", 0, t, c)));
    String y = w.temp("MatMul", p, List.of(ctx, w.temp("Transpose", p, List.of(param(n, "proj.weight")),
        Attr.ints("perm", 1, 0))));
    if (a.bias()) y = w.temp("Add", p, List.of(y, param(n, "proj.bias")));
    y = w.temp("Reshape", p, List.of(y, w.ints(p + "/window_grid", -1, nh, nw, wh, ww, c)));
    y = w.temp("Transpose", p, List.of(y), Attr.ints("perm", 0, 1, 3, 2, 4, 5));
    y = w.temp("Reshape", p, List.of(y, w.ints(p + "/padded", -1, ph, pw, c)));
    y = roll(p, roll(p, y, 1, sh == 0 ? 0 : ph - sh, ph), 2, sw == 0 ? 0 : pw - sw, pw);
    if (ph > h || pw > wd) {
      y = w.temp("Slice", p, List.of(y, w.ints(p + "/crop_starts", 0, 0), w.ints(p + "/crop_ends", h, wd),
          w.ints(p + "/crop_axes", 1, 2)));
    }
    w.node("Identity", p, List.of(y), out);
  }

  /** {@code torch.roll(x, -shift, axis)} of a dim of {@code size}: x[shift:] then x[:shift]. */
  private String roll(String p, String x, int axis, int shift, int size) {
    if (shift == 0) return x;
    String axes = w.ints(p + "/roll_axis", axis);
    String tail = w.temp("Slice", p, List.of(x, w.ints(p + "/roll_from", shift), w.ints(p + "/roll_to", size), axes));
    String head = w.temp("Slice", p, List.of(x, w.ints(p + "/roll_from", 0), w.ints(p + "/roll_to", shift), axes));
    return w.temp("Concat", p, List.of(tail, head), Attr.i("axis", axis));
  }

  /** torchvision's shifted-window mask: -100 between tokens of different regions of the rolled map, per window. */
  private static float[] shiftMask(int nh, int nw, int wh, int ww, int ph, int pw, int sh, int sw) {
    int t = wh * ww;
    float[] mask = new float[nh * nw * t * t];
    for (int wi = 0; wi < nh; wi++) {
      for (int wj = 0; wj < nw; wj++) {
        int base = (wi * nw + wj) * t * t;
        for (int i = 0; i < t; i++) {
          for (int j = 0; j < t; j++) {
            int ri = region(wi * wh + i / ww, ph, wh, sh) * 3 + region(wj * ww + i % ww, pw, ww, sw);
            int rj = region(wi * wh + j / ww, ph, wh, sh) * 3 + region(wj * ww + j % ww, pw, ww, sw);
            mask[base + i * t + j] = ri == rj ? 0f : ShiftedWindowAttention.MASK;
          }
        }
      }
    }
    return mask;
  }

  private static int region(int r, int padded, int window, int shift) {
    if (shift == 0) return 0;
    return r < padded - window ? 0 : r < padded - shift ? 1 : 2;
  }

  /**
   * LSTM and GRU as ONNX's own ops, one per layer, over [T, N, F] (a Transpose on each side). Gate blocks are
   * reordered from PyTorch's (LSTM i,f,g,o; GRU r,z,n) to ONNX's (LSTM i,o,f,c; GRU z,r,h) by slicing the
   * initializers, which keep their {@code .net} names; GRU uses {@code linear_before_reset} as PyTorch does.
   */
  private void recurrent(Node n, Recurrent r, String x, TensorType xt, String out) {
    if (!xt.batched()) {
      unsupported(n, "a recurrent layer over an unbatched tensor");
      return;
    }
    String p = n.path();
    int hid = r.hidden();
    int[] order = r.kind() == Recurrent.Kind.LSTM ? new int[] {0, 3, 1, 2} : new int[] {1, 0, 2};
    String cur = w.temp("Transpose", p, List.of(x), Attr.ints("perm", 1, 0, 2));
    for (int l = 0; l < r.layers(); l++) {
      String wIh = gates(p, param(n, "weight_ih_l" + l), order, hid);
      String wHh = gates(p, param(n, "weight_hh_l" + l), order, hid);
      List<String> inputs = new ArrayList<>(List.of(cur, unsqueeze0(p, wIh), unsqueeze0(p, wHh)));
      if (r.bias()) {
        String b = w.temp("Concat", p, List.of(gates(p, param(n, "bias_ih_l" + l), order, hid),
            gates(p, param(n, "bias_hh_l" + l), order, hid)), Attr.i("axis", 0));
        inputs.add(unsqueeze0(p, b));
      }
      String y = w.fresh(p + "/Y");
      boolean lstm = r.kind() == Recurrent.Kind.LSTM;
      List<AttributeProto> attrs = new ArrayList<>(List.of(Attr.i("hidden_size", hid)));
      if (!lstm) attrs.add(Attr.i("linear_before_reset", 1));
      w.nodes(lstm ? "LSTM" : "GRU", p + "/l" + l, inputs, List.of(y), attrs.toArray(AttributeProto[]::new));
      cur = w.temp("Squeeze", p, List.of(y, w.ints(p + "/axis1", 1)));
    }
    w.node("Transpose", p, List.of(cur), out, Attr.ints("perm", 1, 0, 2));
  }

  /** The gate blocks of a [gates·H, ...] tensor in another order. */
  private String gates(String p, String t, int[] order, int hid) {
    List<String> blocks = new ArrayList<>();
    for (int g = 0; g < order.length; g++) blocks.add(w.fresh(p + "/gate"));
    long[] sizes = new long[order.length];
    Arrays.fill(sizes, hid);
    w.nodes("Split", p + "/Split", List.of(t, w.ints(p + "/gate_sizes", sizes)), blocks, Attr.i("axis", 0));
    List<String> ordered = new ArrayList<>();
    for (int g : order) ordered.add(blocks.get(g));
    return w.temp("Concat", p, ordered, Attr.i("axis", 0));
  }

  private String unsqueeze0(String p, String t) { return w.temp("Unsqueeze", p, List.of(t, w.ints(p + "/axis0", 0))); }

  /** torchvision boxes [K, 5] (batch index, x1, y1, x2, y2) to ONNX's rois [K, 4] and int64 batch indices [K]. */
  private void roiAlign(String p, RoiAlign r, List<String> in, String out) {
    String boxes = in.get(1);
    String one = w.ints(p + "/one", 1);
    String rois = w.temp("Slice", p, List.of(boxes, one, w.ints(p + "/five", 5), one));
    String column = w.temp("Slice", p, List.of(boxes, w.ints(p + "/zero", 0), one, one));
    String idx = w.temp("Cast", p, List.of(w.temp("Squeeze", p, List.of(column, one))),
        Attr.i("to", TensorProto.DataType.INT64_VALUE));
    w.node("RoiAlign", p, List.of(in.getFirst(), rois, idx), out, Attr.s("mode", "avg"),
        Attr.i("output_height", r.output().get(0)), Attr.i("output_width", r.output().get(1)),
        Attr.i("sampling_ratio", Math.max(r.sampling(), 0)), Attr.f("spatial_scale", r.scale()),
        Attr.s("coordinate_transformation_mode", r.aligned() ? "half_pixel" : "output_half_pixel"));
  }

  private void positionalEmbedding(Node n, String x, TensorType xt, String out) {
    String p = n.path();
    String rows = w.temp("Slice", p, List.of(param(n, "weight"), w.ints(p + "/start", 0), w.ints(p + "/end", xt.dim(0)),
        w.ints(p + "/axis", 0)));
    w.node("Add", p, List.of(x, rows), out);
  }

  /** {@code weight[c] · x / (sqrt(sum_c x²) + eps)} across channels. */
  private void l2Norm(Node n, L2Norm l, String x, TensorType xt, String out) {
    String p = n.path();
    String norm = w.temp("ReduceL2", p, List.of(x), Attr.ints("axes", 1), Attr.i("keepdims", 1));
    String denom = w.temp("Add", p, List.of(norm, w.scalar(p + "/eps", l.eps())));
    if (!l.affine()) {
      w.node("Div", p, List.of(x, denom), out);
      return;
    }
    String y = w.temp("Div", p, List.of(x, denom));
    w.node("Mul", p, List.of(y, perChannel(p, param(n, "weight"), xt.dim(0), xt.rank())), out);
  }

  /** Mul of several tensors as a chain of binary Muls (ONNX Mul takes two). */
  private void chain(String op, String p, List<String> in, String out) {
    String acc = in.getFirst();
    for (int i = 1; i < in.size() - 1; i++) acc = w.temp(op, p, List.of(acc, in.get(i)));
    w.node(op, p, List.of(acc, in.getLast()), out);
  }

  // ---- parameters ----

  private List<String> withParams(String x, Node n, String weight, String bias) {
    List<String> in = new ArrayList<>(List.of(x, param(n, weight)));
    String b = optionalParam(n, bias);
    if (b != null) in.add(b);
    return in;
  }

  private static String optionalParam(Node n, String relative) {
    for (Param p : n.params()) if (p.spec().name().equals(relative)) return p.name();
    return null;
  }

  private static String param(Node n, String relative) {
    String name = optionalParam(n, relative);
    if (name == null) throw new IllegalStateException(n.path() + " has no parameter " + relative);
    return name;
  }

  private String scaleOrOnes(Node n, int c) {
    String s = optionalParam(n, "weight");
    return s != null ? s : ones(n.path() + "/ones", new int[] {c});
  }

  private String biasOrZeros(Node n, int c) {
    String s = optionalParam(n, "bias");
    return s != null ? s : zeros(n.path() + "/zeros", new int[] {c});
  }

  private String ones(String base, int[] dims) { return filled(base, dims, 1f); }

  private String zeros(String base, int[] dims) { return filled(base, dims, 0f); }

  private String filled(String base, int[] dims, float v) {
    long count = 1;
    for (int d : dims) count *= d;
    float[] data = new float[Math.toIntExact(count)];
    Arrays.fill(data, v);
    return w.floats(base, longs(dims), data);
  }

  private static long[] longs(int[] v) { return Arrays.stream(v).asLongStream().toArray(); }

  private static List<Integer> concat(List<Integer> a, List<Integer> b) {
    List<Integer> c = new ArrayList<>(a);
    c.addAll(b);
    return c;
  }
}
