package dev.netc.compiler.ops;

import static dev.netc.compiler.ops.ArgSpec.dataTensor;
import static dev.netc.compiler.ops.ArgSpec.of;
import static dev.netc.compiler.ops.ArgSpec.optional;
import static dev.netc.compiler.ops.ArgSpec.required;
import static dev.netc.compiler.ops.ArgSpec.rest;

import dev.netc.compiler.ir.*;
import dev.netc.compiler.ir.Activation.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every op of the language: name, arguments with defaults, and how arguments become an IR {@link Op}. Shape
 * rules, parameters and costs live on the IR records; this table is the surface. spec/ops.md is generated from
 * it ({@code netc ops --markdown}), so the docs cannot drift.
 */
public final class OpCatalogue {
  private static final Map<String, OpDef> OPS = new LinkedHashMap<>();

  private static final Value ONE = new Value.Int(1);
  private static final Value ZERO = new Value.Int(0);
  private static final Value TRUE = new Value.Bool(true);
  private static final Value FALSE = new Value.Bool(false);
  private static final Value EPS = new Value.Float(1e-5);

  private OpCatalogue() {}

  public static OpDef lookup(String name) { return OPS.get(name); }

  public static List<OpDef> all() { return List.copyOf(OPS.values()); }

  public static List<String> names() { return List.copyOf(OPS.keySet()); }

  private static void def(String name, String summary, List<ArgSpec> args, OpDef.Factory f) {
    OPS.put(name, new OpDef(name, summary, args, false, f));
  }

  private static void combiner(String name, String summary, List<ArgSpec> args, OpDef.Factory f) {
    OPS.put(name, new OpDef(name, summary, args, true, f));
  }

  private static int spatialDims(String op, List<TensorType> in, int min, int max) {
    int dims = in.getFirst().rank() - 1;
    if (dims < min || dims > max) {
      throw new ShapeException(dev.netc.compiler.diag.Code.NET031, op + " works on " + min + "-D to " + max
          + "-D inputs ([C, L], [C, H, W] or [C, D, H, W]), got " + in.getFirst());
    }
    return dims;
  }

  static {
    // ---- convolution and linear ----
    def("conv", "Convolution, 1-D/2-D/3-D by the input's rank (PyTorch Conv1d/2d/3d).", List.of(
        required("out", ValueType.INT, "output channels"),
        required("kernel", ValueType.INTS, "kernel size, one value or one per spatial dim"),
        of("stride", ValueType.INTS, ONE, "stride"),
        of("pad", ValueType.PADDING, ZERO, "padding: int, per dim, (begins..., ends...), \"same\" or \"valid\""),
        of("dilation", ValueType.INTS, ONE, "dilation (atrous rate)"),
        of("groups", ValueType.INT, ONE, "groups; in.channels for depthwise"),
        of("bias", ValueType.BOOL, TRUE, "learn a bias")), (a, in) -> {
          int dims = spatialDims("conv", in, 1, 3);
          int out = a.positive("out");
          int groups = a.positive("groups");
          if (out % groups != 0) throw a.invalid("groups", "conv: output channels " + out + " are not divisible by groups " + groups);
          List<Integer> k = a.perDim("kernel", dims, 1), s = a.perDim("stride", dims, 1), d = a.perDim("dilation", dims, 1);
          Args.Padding p = a.padding("pad", dims, k, d, s);
          return new Conv(dims, out, k, s, p.begin(), p.end(), d, groups, a.bool("bias"));
        });
    def("conv_transpose", "Transposed convolution (PyTorch ConvTranspose1d/2d/3d).", List.of(
        required("out", ValueType.INT, "output channels"),
        required("kernel", ValueType.INTS, "kernel size"),
        of("stride", ValueType.INTS, ONE, "stride"),
        of("pad", ValueType.PADDING, ZERO, "padding removed from the output"),
        of("output_pad", ValueType.INTS, ZERO, "extra size added to one side of the output"),
        of("dilation", ValueType.INTS, ONE, "dilation"),
        of("groups", ValueType.INT, ONE, "groups"),
        of("bias", ValueType.BOOL, TRUE, "learn a bias")), (a, in) -> {
          int dims = spatialDims("conv_transpose", in, 1, 3);
          List<Integer> k = a.perDim("kernel", dims, 1), s = a.perDim("stride", dims, 1), d = a.perDim("dilation", dims, 1);
          Args.Padding p = a.padding("pad", dims, k, d, s);
          return new ConvTranspose(dims, a.positive("out"), k, s, p.begin(), p.end(), a.perDim("output_pad", dims, 0), d,
              a.positive("groups"), a.bool("bias"));
        });
    def("linear", "Fully connected layer over the last dimension (PyTorch Linear).", List.of(
        required("out", ValueType.INT, "output features"),
        of("bias", ValueType.BOOL, TRUE, "learn a bias")), (a, in) -> new Linear(a.positive("out"), a.bool("bias")));
    def("matmul", "Matrix product with another tensor: flow @ other, batched over leading dims.", List.of(
        dataTensor("other", "the right-hand matrix")), (a, in) -> new MatMul());

    // ---- normalization ----
    def("batchnorm", "Batch normalization at inference (PyTorch BatchNorm1d/2d/3d); channels from the input.", List.of(
        of("eps", ValueType.FLOAT, EPS, "added to the variance"),
        of("affine", ValueType.BOOL, TRUE, "learn scale and shift")), (a, in) -> new BatchNorm(a.number("eps"), a.bool("affine")));
    def("layernorm", "Layer normalization over the last `dims` dimensions (PyTorch LayerNorm).", List.of(
        of("dims", ValueType.INT, ONE, "how many trailing dims to normalize over"),
        of("eps", ValueType.FLOAT, EPS, "added to the variance"),
        of("affine", ValueType.BOOL, TRUE, "learn scale and shift")),
        (a, in) -> new LayerNorm(a.positive("dims"), a.number("eps"), a.bool("affine")));
    def("groupnorm", "Group normalization (PyTorch GroupNorm).", List.of(
        required("groups", ValueType.INT, "number of channel groups"),
        of("eps", ValueType.FLOAT, EPS, "added to the variance"),
        of("affine", ValueType.BOOL, TRUE, "learn per-channel scale and shift")),
        (a, in) -> new GroupNorm(a.positive("groups"), a.number("eps"), a.bool("affine")));
    def("instancenorm", "Instance normalization (PyTorch InstanceNorm, no running stats).", List.of(
        of("eps", ValueType.FLOAT, EPS, "added to the variance"),
        of("affine", ValueType.BOOL, FALSE, "learn per-channel scale and shift")),
        (a, in) -> new InstanceNorm(a.number("eps"), a.bool("affine")));
    def("lrn", "Local response normalization across channels (AlexNet; PyTorch LocalResponseNorm).", List.of(
        required("size", ValueType.INT, "channels in the window"),
        of("alpha", ValueType.FLOAT, new Value.Float(1e-4), "scale"),
        of("beta", ValueType.FLOAT, new Value.Float(0.75), "exponent"),
        of("k", ValueType.FLOAT, new Value.Float(1.0), "additive constant")),
        (a, in) -> new Lrn(a.positive("size"), a.number("alpha"), a.number("beta"), a.number("k")));
    def("l2norm", "L2 normalization across channels at each position, times a learned per-channel scale (SSD's L2Norm).",
        List.of(
        of("eps", ValueType.FLOAT, new Value.Float(1e-10), "added to the norm before dividing"),
        of("affine", ValueType.BOOL, TRUE, "learn the per-channel scale `weight` [C]")),
        (a, in) -> new L2Norm(a.number("eps"), a.bool("affine")));

    // ---- activations ----
    for (Kind k : List.of(Kind.IDENTITY, Kind.RELU, Kind.RELU6, Kind.SIGMOID, Kind.TANH, Kind.GELU, Kind.SILU,
        Kind.HARDSWISH, Kind.HARDSIGMOID)) {
      def(k.opName(), activationSummary(k), List.of(), (a, in) -> Activation.of(k));
    }
    def("leaky_relu", "max(0, x) + slope * min(0, x).", List.of(
        of("slope", ValueType.FLOAT, new Value.Float(0.01), "negative slope")),
        (a, in) -> new Activation(Kind.LEAKY_RELU, a.number("slope"), 0));
    def("elu", "x if x > 0 else alpha * (exp(x) - 1).", List.of(
        of("alpha", ValueType.FLOAT, new Value.Float(1.0), "saturation value")),
        (a, in) -> new Activation(Kind.ELU, a.number("alpha"), 0));
    def("softplus", "log(1 + exp(beta * x)) / beta, linear above the threshold.", List.of(
        of("beta", ValueType.FLOAT, new Value.Float(1.0), "sharpness"),
        of("threshold", ValueType.FLOAT, new Value.Float(20.0), "linear above beta * x > threshold")),
        (a, in) -> new Activation(Kind.SOFTPLUS, a.number("beta"), a.number("threshold")));
    def("scale", "x * factor + shift, with constants (e.g. input normalization).", List.of(
        required("factor", ValueType.FLOAT, "multiplier"),
        of("shift", ValueType.FLOAT, new Value.Float(0.0), "added after multiplying")),
        (a, in) -> new Scale(a.number("factor"), a.number("shift")));
    def("softmax", "Softmax along an axis (PyTorch numbering, 1 = channels).", List.of(
        of("axis", ValueType.INT, ONE, "axis")), (a, in) -> new Softmax(a.smallInt("axis"), false));
    def("log_softmax", "Log-softmax along an axis.", List.of(
        of("axis", ValueType.INT, ONE, "axis")), (a, in) -> new Softmax(a.smallInt("axis"), true));

    // ---- pooling ----
    for (Pool.Kind kind : Pool.Kind.values()) {
      String name = kind == Pool.Kind.MAX ? "maxpool" : "avgpool";
      List<ArgSpec> args = new ArrayList<>(List.of(
          required("kernel", ValueType.INTS, "window size"),
          optional("stride", ValueType.INTS, "stride (default: the kernel size)"),
          of("pad", ValueType.PADDING, ZERO, "implicit padding (-inf for max, zeros for avg)"),
          of("ceil", ValueType.BOOL, FALSE, "ceil mode: round the output size up")));
      if (kind == Pool.Kind.MAX) {
        args.add(of("dilation", ValueType.INTS, ONE, "dilation"));
        args.add(ArgSpec.output("indices", "also make the indices of the maxima (return_indices=True), bound as a tensor:"
            + " `indices: -> idx`, read by `max_unpool(@idx)`"));
      } else {
        args.add(of("count_pad", ValueType.BOOL, TRUE, "count padded zeros in the average"));
      }
      def(name, (kind == Pool.Kind.MAX ? "Max" : "Average") + " pooling, 1-D/2-D/3-D by the input's rank.", args, (a, in) -> {
        int dims = spatialDims(name, in, 1, 3);
        List<Integer> k = a.perDim("kernel", dims, 1);
        List<Integer> s = a.has("stride") ? a.perDim("stride", dims, 1) : k;
        List<Integer> d = kind == Pool.Kind.MAX ? a.perDim("dilation", dims, 1) : Collections.nCopies(dims, 1);
        Args.Padding p = a.padding("pad", dims, k, d, s);
        return new Pool(kind, dims, k, s, p.begin(), p.end(), d, a.bool("ceil"),
            kind == Pool.Kind.AVG && a.bool("count_pad"));
      });
      String global = "global_" + name;
      def(global, "Global " + (kind == Pool.Kind.MAX ? "max" : "average") + " pooling to size 1 in every spatial dim.",
          List.of(), (a, in) -> new AdaptivePool(kind, Collections.nCopies(spatialDims(global, in, 1, 3), 1)));
      String adaptive = "adaptive_" + name;
      def(adaptive, "Adaptive pooling to a fixed output size, PyTorch's uneven bins.", List.of(
          required("size", ValueType.INTS, "output size, one value or one per spatial dim")),
          (a, in) -> new AdaptivePool(kind, a.perDim("size", spatialDims(adaptive, in, 1, 3), 1)));
    }
    def("max_unpool", "Max unpooling (PyTorch MaxUnpool1d/2d/3d): each value written at its index from a max pooling,"
        + " zeros elsewhere; the output has the pooling's input size.", List.of(
        dataTensor("indices", "the indices of a max pooling, bound by maxpool(..., indices: -> idx); same shape as the"
            + " flow"),
        optional("kernel", ValueType.INTS, "window size (default: the pooling's)"),
        optional("stride", ValueType.INTS, "stride (default: the pooling's, or the kernel when one is given)"),
        optional("pad", ValueType.INTS, "padding (default: the pooling's, or 0 when a kernel is given)"),
        optional("size", ValueType.INTS, "output spatial size, PyTorch's output_size (default: (in - 1) * stride - 2 *"
            + " pad + kernel)"),
        new ArgSpec("like", ValueType.TENSOR, null, true, false, false, "take the spatial size of this tensor")),
        OpCatalogue::maxUnpool);
    def("upsample", "Resize by a scale, to a size, or like another tensor; nearest or bilinear.", List.of(
        optional("scale", ValueType.NUMBERS, "scale factor, one or per spatial dim"),
        optional("size", ValueType.INTS, "output spatial size"),
        new ArgSpec("like", ValueType.TENSOR, null, true, false, false, "take the spatial size of this tensor"),
        of("mode", ValueType.STRING, new Value.Str("nearest"), "\"nearest\" or \"bilinear\""),
        of("align_corners", ValueType.BOOL, FALSE, "bilinear: align corner pixels")), OpCatalogue::upsample);

    // ---- combining and data movement ----
    combiner("concat", "Concatenate along an axis: the flow with tensor arguments, or parallel branches.", List.of(
        rest("tensors", ValueType.TENSORS, true, "further tensors"),
        of("axis", ValueType.INT, ONE, "axis (PyTorch numbering)")), (a, in) -> new Concat(a.smallInt("axis")));
    combiner("add", "Elementwise sum with PyTorch's broadcasting: the flow with tensor arguments, or parallel branches.", List.of(
        rest("tensors", ValueType.TENSORS, true, "further tensors")), (a, in) -> new Add());
    combiner("mul", "Elementwise product with PyTorch's broadcasting: the flow with tensor arguments, or branches.", List.of(
        rest("tensors", ValueType.TENSORS, true, "further tensors")), (a, in) -> new Mul());
    combiner("sub", "Elementwise difference, left to right, with PyTorch's broadcasting: the flow minus tensor arguments,"
        + " or the first branch minus the others.", List.of(
        rest("tensors", ValueType.TENSORS, true, "further tensors")), (a, in) -> new Binary(Binary.Kind.SUB));
    combiner("div", "Elementwise quotient, left to right, with PyTorch's broadcasting: the flow divided by tensor"
        + " arguments, or the first branch by the others.", List.of(
        rest("tensors", ValueType.TENSORS, true, "further tensors")), (a, in) -> new Binary(Binary.Kind.DIV));
    def("param", "A learned tensor (nn.Parameter) of exactly this shape, no batch dim, named by its label alone and"
        + " read as @label; declared, it leaves the flow as it was and takes no position.", List.of(
        required("shape", ValueType.INTS, "the tensor's dims, as PyTorch's (e.g. [C, 1, 1] or [1, 1, D])")), (a, in) -> {
          List<Integer> dims = a.intList("shape");
          if (dims.isEmpty() || dims.stream().anyMatch(d -> d < 1)) {
            throw a.invalid("shape", "param: dims must be positive, got " + dims);
          }
          return new Learned(Shape.of(dims));
        });
    def("chunk", "Part `index` of `chunks` equal parts along an axis (PyTorch chunk); without `index`, every part, bound"
        + " by `-> parts` as @parts[0], @parts[1], ...", List.of(
        required("chunks", ValueType.INT, "number of parts"),
        optional("index", ValueType.INT, "which part, from 0 (absent: all, bound by -> name)"),
        of("axis", ValueType.INT, ONE, "axis")), (a, in) -> {
          int axis = a.smallInt("axis");
          int size = in.getFirst().shape().dim(Rules.shapeAxis("chunk", in.getFirst(), axis));
          int chunks = a.positive("chunks"), index = a.nonNegative("index");
          int part = Math.ceilDiv(size, chunks);
          if (index * part >= size) throw a.invalid("index", "chunk: part " + index + " of " + chunks + " is empty for size " + size);
          return new Slice(axis, index * part, Math.min(size, (index + 1) * part), 1);
        });
    def("split", "Part `index` of a split into the given sizes along an axis (PyTorch split); without `index`, every"
        + " part, bound by `-> parts` as @parts[0], @parts[1], ...", List.of(
        required("sizes", ValueType.INTS, "sizes of the parts"),
        optional("index", ValueType.INT, "which part, from 0 (absent: all, bound by -> name)"),
        of("axis", ValueType.INT, ONE, "axis")), (a, in) -> {
          List<Integer> sizes = a.intList("sizes");
          int index = a.nonNegative("index");
          if (index >= sizes.size()) throw a.invalid("index", "split: index " + index + " but only " + sizes.size() + " parts");
          int start = 0;
          for (int i = 0; i < index; i++) start += sizes.get(i);
          return new Slice(a.smallInt("axis"), start, start + sizes.get(index), 1);
        });
    def("slice", "Elements start..end (exclusive) with a step along an axis.", List.of(
        required("start", ValueType.INT, "first index"),
        required("end", ValueType.INT, "end index (exclusive)"),
        of("axis", ValueType.INT, ONE, "axis"),
        of("step", ValueType.INT, ONE, "step")),
        (a, in) -> new Slice(a.smallInt("axis"), a.nonNegative("start"), a.nonNegative("end"), a.positive("step")));
    def("channel_shuffle", "ShuffleNet channel shuffle.", List.of(
        required("groups", ValueType.INT, "groups")), (a, in) -> new ChannelShuffle(a.positive("groups")));
    def("reshape", "View as a new shape, given without the batch dimension; one -1 is inferred.", List.of(
        rest("shape", ValueType.INT, false, "the new dims")), OpCatalogue::reshape);
    def("flatten", "Merge axes start..end (PyTorch numbering, default 1..-1).", List.of(
        of("start", ValueType.INT, ONE, "first axis"),
        of("end", ValueType.INT, new Value.Int(-1), "last axis (inclusive)")),
        (a, in) -> new Flatten(a.smallInt("start"), a.smallInt("end")));
    def("permute", "Reorder axes (PyTorch numbering, batch stays 0).", List.of(
        rest("axes", ValueType.INT, false, "the new order")), (a, in) -> {
          if (!a.has("axes")) {
            throw new ArgException(null, dev.netc.compiler.diag.Code.NET013, "permute needs the new order of the axes");
          }
          return new Permute(a.intList("axes"));
        });
    def("transpose", "Swap two axes.", List.of(
        required("a", ValueType.INT, "first axis"),
        required("b", ValueType.INT, "second axis")), (a, in) -> {
          int full = in.getFirst().fullRank();
          List<Integer> perm = new ArrayList<>();
          for (int i = 0; i < full; i++) perm.add(i);
          int x = Math.floorMod(a.smallInt("a"), full), y = Math.floorMod(a.smallInt("b"), full);
          Collections.swap(perm, x, y);
          return new Permute(perm);
        });
    def("pad", "Constant padding of trailing dims: (begins..., ends...) in ONNX order; negative crops.", List.of(
        required("pads", ValueType.INTS, "begins then ends of the trailing dims"),
        of("value", ValueType.FLOAT, new Value.Float(0.0), "fill value")), (a, in) -> {
          List<Integer> p = a.intList("pads");
          if (p.size() % 2 != 0) throw a.invalid("pads", "pad: needs an even number of values (begins, then ends), got " + p.size());
          return new Pad(p.subList(0, p.size() / 2), p.subList(p.size() / 2, p.size()), a.number("value"));
        });
    def("crop", "Crop the spatial dims: centered like another tensor or to a size, or at an offset.", List.of(
        new ArgSpec("like", ValueType.TENSOR, null, true, false, false, "crop to this tensor's spatial size"),
        optional("size", ValueType.INTS, "spatial size"),
        optional("offset", ValueType.INTS, "top-left offset (default: centered)")), OpCatalogue::crop);
    def("mean", "Mean over axes (PyTorch numbering).", List.of(
        required("axes", ValueType.INTS, "axes to reduce"),
        of("keepdim", ValueType.BOOL, FALSE, "keep reduced axes as size 1")),
        (a, in) -> new Mean(a.intList("axes"), a.bool("keepdim")));
    for (Reduce.Kind kind : List.of(Reduce.Kind.SUM, Reduce.Kind.MAX, Reduce.Kind.MIN)) {
      def(kind.opName(), switch (kind) {
        case SUM -> "Sum over axes (PyTorch numbering; x.sum(dim)).";
        case MAX -> "Maximum over axes (PyTorch numbering; x.amax(dim)); NaN if any element is NaN.";
        default -> "Minimum over axes (PyTorch numbering; x.amin(dim)); NaN if any element is NaN.";
      }, List.of(
          required("axes", ValueType.INTS, "axes to reduce"),
          of("keepdim", ValueType.BOOL, FALSE, "keep reduced axes as size 1")),
          (a, in) -> new Reduce(kind, a.intList("axes"), a.bool("keepdim")));
    }
    def("argmax", "Index of the first maximum along an axis (x.argmax(dim)), as a float holding an integer.", List.of(
        of("axis", ValueType.INT, new Value.Int(-1), "axis (PyTorch numbering; default the last)"),
        of("keepdim", ValueType.BOOL, FALSE, "keep the axis as size 1")),
        (a, in) -> new Reduce(Reduce.Kind.ARGMAX, List.of(a.smallInt("axis")), a.bool("keepdim")));
    def("dropout", "Dropout: the identity at inference.", List.of(
        of("p", ValueType.FLOAT, new Value.Float(0.5), "drop probability (training only)")), (a, in) -> {
          double p = a.number("p");
          if (p < 0 || p > 1) throw a.invalid("p", "dropout: p must be in [0, 1], got " + p);
          return new Dropout(p);
        });

    // ---- sequence models ----
    def("embedding", "Rows of a learned table [num, dim] for token ids (PyTorch Embedding): [...] -> [..., dim]; ids are"
        + " floats holding integers in [0, num), anything else is a run-time error.", List.of(
        required("num", ValueType.INT, "table rows (vocabulary size), at most 2^24 so every id is an exact float"),
        required("dim", ValueType.INT, "embedding size")), (a, in) -> {
          int num = a.positive("num");
          if (num > Embedding.MAX_NUM) {
            throw a.invalid("num", "embedding: " + num + " rows, but float token ids are exact only up to 2^24 = "
                + Embedding.MAX_NUM);
          }
          return new Embedding(num, a.positive("dim"));
        });
    def("positional_embedding", "Add a learned position table [max, E] (rows 0..T-1) to [T, E] (BERT's position"
        + " embeddings).", List.of(
        required("max", ValueType.INT, "positions in the table (T must not exceed it)")),
        (a, in) -> new PositionalEmbedding(a.positive("max")));
    def("positional_encoding", "Add the sinusoidal positional encoding to [T, E].", List.of(
        of("base", ValueType.FLOAT, new Value.Float(10000.0), "wavelength base")),
        (a, in) -> new PositionalEncoding(a.number("base")));
    def("attention", "Multi-head self-attention over [T, E] (PyTorch MultiheadAttention, batch first).", List.of(
        required("heads", ValueType.INT, "number of heads"),
        of("bias", ValueType.BOOL, TRUE, "projection biases")), (a, in) -> new Attention(a.positive("heads"), a.bool("bias")));
    def("shifted_window_attention", "Swin's (shifted) window attention over a channels-last map [H, W, C] (torchvision"
        + " ShiftedWindowAttention): pad to a multiple of the window, roll by -shift, per window multi-head attention"
        + " with a learned relative position bias (and the -100 mask when shifted), projection, roll back, crop.", List.of(
        required("heads", ValueType.INT, "number of heads (must divide C)"),
        of("window", ValueType.INTS, new Value.Int(7), "window size, one value or (height, width)"),
        of("shift", ValueType.INTS, ZERO, "cyclic shift, one value or (height, width), each below the window; dropped"
            + " along a dim whose padded size the window covers"),
        of("bias", ValueType.BOOL, TRUE, "qkv and proj biases")), OpCatalogue::windowAttention);
    for (Recurrent.Kind kind : Recurrent.Kind.values()) {
      String name = kind.name().toLowerCase(java.util.Locale.ROOT);
      def(name, kind + " over [T, F], batch first, returning the whole output sequence [T, hidden].", List.of(
          required("hidden", ValueType.INT, "hidden size"),
          of("layers", ValueType.INT, ONE, "stacked layers"),
          of("bias", ValueType.BOOL, TRUE, "learn biases")),
          (a, in) -> new Recurrent(kind, a.positive("hidden"), layers(a, name), a.bool("bias")));
    }

    // ---- detection ----
    def("roi_pool", "RoI max pooling of the flow's feature map over boxes [K, 5] (torchvision roi_pool).", List.of(
        dataTensor("boxes", "boxes [K, 5]: batch index, x1, y1, x2, y2"),
        required("output", ValueType.INTS, "output size (h, w)"),
        of("scale", ValueType.FLOAT, new Value.Float(1.0), "box coordinates to feature map scale")),
        (a, in) -> new RoiPool(a.perDim("output", 2, 1), a.number("scale")));
    def("roi_align", "RoI Align of the flow's feature map over boxes [K, 5] (torchvision roi_align).", List.of(
        dataTensor("boxes", "boxes [K, 5]: batch index, x1, y1, x2, y2"),
        required("output", ValueType.INTS, "output size (h, w)"),
        of("scale", ValueType.FLOAT, new Value.Float(1.0), "box coordinates to feature map scale"),
        of("sampling", ValueType.INT, new Value.Int(-1), "sampling points per bin side (-1: adaptive)"),
        of("aligned", ValueType.BOOL, FALSE, "half-pixel alignment")),
        (a, in) -> new RoiAlign(a.perDim("output", 2, 1), a.number("scale"), a.smallInt("sampling"), a.bool("aligned")));
  }

  /** The op that makes output {@code output} (declared by {@link ArgSpec#output}) of op {@code op}, made as {@code made}. */
  public static Op output(String op, String output, Op made) {
    if (op.equals("maxpool") && output.equals("indices") && made instanceof Pool p) return new PoolIndices(p);
    throw new IllegalArgumentException(op + " has no output " + output);
  }

  private static String activationSummary(Kind k) {
    return switch (k) {
      case IDENTITY -> "The identity.";
      case RELU -> "max(0, x).";
      case RELU6 -> "min(max(0, x), 6).";
      case SIGMOID -> "1 / (1 + exp(-x)).";
      case TANH -> "Hyperbolic tangent.";
      case GELU -> "x * Phi(x), the exact (erf) form.";
      case SILU -> "x * sigmoid(x) (swish).";
      case HARDSWISH -> "x * relu6(x + 3) / 6.";
      case HARDSIGMOID -> "relu6(x + 3) / 6.";
      default -> k.opName();
    };
  }

  private static Op upsample(Args a, List<TensorType> in) {
    int dims = spatialDims("upsample", in, 1, 3);
    String mode = a.choice("mode", "nearest", "bilinear");
    int given = (a.has("scale") ? 1 : 0) + (a.has("size") ? 1 : 0) + (a.has("like") ? 1 : 0);
    if (given != 1) throw new ArgException(null, dev.netc.compiler.diag.Code.NET013, "upsample needs exactly one of scale, size or like");
    List<Integer> size = new ArrayList<>();
    List<Double> scale = null;
    if (a.has("like")) {
      TensorType like = a.tensorType("like");
      if (like.rank() != dims + 1) throw a.invalid("like", "upsample: like " + like + " does not have " + dims + " spatial dims");
      for (int d = 0; d < dims; d++) size.add(like.dim(d + 1));
    } else if (a.has("size")) {
      size = a.perDim("size", dims, 1);
    } else {
      scale = a.numbers("scale");
      if (scale.size() == 1) scale = Collections.nCopies(dims, scale.getFirst());
      if (scale.size() != dims) throw a.invalid("scale", "upsample: scale needs 1 or " + dims + " values");
      for (int d = 0; d < dims; d++) {
        double s = scale.get(d);
        if (!(s > 0)) throw a.invalid("scale", "upsample: scale must be positive, got " + s);
        size.add((int) Math.floor(in.getFirst().dim(d + 1) * s));
      }
    }
    return new Upsample(mode.equals("nearest") ? Upsample.Mode.NEAREST : Upsample.Mode.BILINEAR, size, scale,
        a.bool("align_corners"));
  }

  /**
   * {@code max_unpool(@idx)}: the geometry defaults to the max pooling the indices come from, the output size to
   * PyTorch's formula; a given size must be in PyTorch's range (within a stride of the default) and the output must
   * have the pooling's input size, since the indices are flat positions in planes of that size.
   */
  private static Op maxUnpool(Args a, List<TensorType> in) {
    Args.Source src = a.source("indices");
    String label = a.get("indices") instanceof Value.Tensor t ? t.label() : "the indices";
    if (src == null || !(src.op() instanceof PoolIndices pi)) {
      throw new ArgException("indices", dev.netc.compiler.diag.Code.NET012, "max_unpool: " + label + " is not the "
          + "indices of a max pooling" + (src == null ? "" : " (it is made by " + src.op().name() + ")")
          + "; bind them with maxpool(..., indices: -> name)");
    }
    Pool pool = pi.pool();
    int dims = pool.dims();
    TensorType x = in.getFirst();
    if (x.rank() != dims + 1 || !x.shape().equals(in.get(1).shape())) {
      throw new ArgException("indices", dev.netc.compiler.diag.Code.NET030, "max_unpool: the flow " + x
          + " and the indices " + label + " " + in.get(1) + " must have the same shape");
    }
    boolean kernelGiven = a.has("kernel");
    List<Integer> k = kernelGiven ? a.perDim("kernel", dims, 1) : pool.kernel();
    List<Integer> s = a.has("stride") ? a.perDim("stride", dims, 1) : kernelGiven ? k : pool.stride();
    List<Integer> p = a.has("pad") ? a.perDim("pad", dims, 0) : kernelGiven ? Collections.nCopies(dims, 0)
        : pool.padBegin();
    List<Integer> dflt = new ArrayList<>();
    for (int d = 0; d < dims; d++) {
      long v = MaxUnpool.defaultSize(x.dim(d + 1), k.get(d), s.get(d), p.get(d));
      if (v < 1) {
        throw new ArgException(null, dev.netc.compiler.diag.Code.NET030, "max_unpool: kernel " + Rules.tuple(k)
            + ", stride " + Rules.tuple(s) + ", pad " + Rules.tuple(p) + " give no output for " + x);
      }
      dflt.add((int) v);
    }
    if (a.has("size") && a.has("like")) {
      throw new ArgException("like", dev.netc.compiler.diag.Code.NET022, "max_unpool takes size or like, not both");
    }
    String given = a.has("like") ? "like" : a.has("size") ? "size" : null;
    List<Integer> size = dflt;
    if (given != null) {
      if (given.equals("like")) {
        TensorType like = a.tensorType("like");
        if (like.rank() != dims + 1) {
          throw a.invalid("like", "max_unpool: like " + like + " does not have " + dims + " spatial dims");
        }
        size = new ArrayList<>();
        for (int d = 0; d < dims; d++) size.add(like.dim(d + 1));
      } else {
        size = a.perDim("size", dims, 1);
      }
      for (int d = 0; d < dims; d++) {
        if (size.get(d) <= dflt.get(d) - s.get(d) || size.get(d) >= dflt.get(d) + s.get(d)) {
          throw a.invalid(given, "max_unpool: size " + sizes(size) + " is out of range: with kernel "
              + Rules.tuple(k) + " and stride " + Rules.tuple(s) + " on " + x + " each dim must be within a stride of "
              + sizes(dflt) + " (PyTorch's output_size rule)");
        }
      }
    }
    TensorType pooled = src.inputs().getFirst();
    List<Integer> plane = new ArrayList<>();
    for (int d = 0; d < dims; d++) plane.add(pooled.dim(d + 1));
    if (!size.equals(plane)) {
      throw new ArgException(given, dev.netc.compiler.diag.Code.NET030, "max_unpool: output size " + sizes(size)
          + " is not the size " + sizes(plane) + " of the max pooling's input that " + label + " index into"
          + (given == null ? " (PyTorch's default (in - 1) * stride - 2 * pad + kernel); give like: @x or size: "
              + sizes(plane) : ""));
    }
    return new MaxUnpool(dims, k, s, p, size);
  }

  /** Spatial sizes as written in a size argument: {@code (8, 8)}, {@code 10} for one dim. */
  private static String sizes(List<Integer> dims) {
    return dims.size() == 1 ? String.valueOf(dims.getFirst())
        : "(" + String.join(", ", dims.stream().map(String::valueOf).toList()) + ")";
  }

  private static Op windowAttention(Args a, List<TensorType> in) {
    List<Integer> window = a.perDim("window", 2, 1);
    List<Integer> shift = a.perDim("shift", 2, 0);
    for (int d = 0; d < 2; d++) {
      if (shift.get(d) >= window.get(d)) {
        throw a.invalid("shift", "shifted_window_attention: shift (" + shift.get(0) + ", " + shift.get(1)
            + ") must be below the window (" + window.get(0) + ", " + window.get(1) + ")");
      }
    }
    return new WindowAttention(a.positive("heads"), window.get(0), window.get(1), shift.get(0), shift.get(1),
        a.bool("bias"));
  }

  private static Op reshape(Args a, List<TensorType> in) {
    List<Integer> dims = a.has("shape") ? a.intList("shape") : List.of();
    if (dims.isEmpty()) throw new ArgException(null, dev.netc.compiler.diag.Code.NET013, "reshape needs the new dims");
    long known = 1;
    int infer = -1;
    for (int i = 0; i < dims.size(); i++) {
      int d = dims.get(i);
      if (d == -1 && infer < 0) infer = i;
      else if (d < 1) throw a.invalid("shape", "reshape: dims must be positive (one may be -1), got " + dims);
      else known *= d;
    }
    List<Integer> out = new ArrayList<>(dims);
    if (infer >= 0) {
      long total = in.getFirst().elements();
      if (total % known != 0) throw new ShapeException("reshape: cannot view " + in.getFirst() + " as " + dims);
      out.set(infer, (int) (total / known));
    }
    return new Reshape(Shape.of(out));
  }

  private static Op crop(Args a, List<TensorType> in) {
    TensorType x = in.getFirst();
    List<Integer> size;
    if (a.has("like")) {
      TensorType like = a.tensorType("like");
      if (like.rank() != x.rank()) throw a.invalid("like", "crop: like " + like + " has a different rank than " + x);
      size = new ArrayList<>();
      for (int d = 1; d < x.rank(); d++) size.add(like.dim(d));
    } else if (a.has("size")) {
      size = a.perDim("size", x.rank() - 1, 1);
    } else {
      throw new ArgException(null, dev.netc.compiler.diag.Code.NET013, "crop needs like or size");
    }
    List<Integer> offset;
    if (a.has("offset")) {
      offset = a.perDim("offset", size.size(), 0);
    } else {
      offset = new ArrayList<>();
      for (int i = 0; i < size.size(); i++) offset.add(Math.max(0, (x.dim(x.rank() - size.size() + i) - size.get(i)) / 2));
    }
    return new Crop(offset, size);
  }

  /** A recurrent op's stacked layers: four weight tensors each, so over {@link Recurrent#MAX_LAYERS} is NET023. */
  private static int layers(Args a, String op) {
    int layers = a.positive("layers");
    if (layers > Recurrent.MAX_LAYERS) {
      throw new ArgException("layers", dev.netc.compiler.diag.Code.NET023, op + ": layers " + layers
          + " is over the limit of " + Recurrent.MAX_LAYERS);
    }
    return layers;
  }
}
