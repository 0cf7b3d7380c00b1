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
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Permute;
import dev.netc.compiler.ir.MaxUnpool;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.PoolIndices;
import dev.netc.compiler.ir.PositionalEmbedding;
import dev.netc.compiler.ir.PositionalEncoding;
import dev.netc.compiler.ir.Recurrent;
import dev.netc.compiler.ir.Reduce;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.RoiAlign;
import dev.netc.compiler.ir.RoiPool;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.Slice;
import dev.netc.compiler.ir.Softmax;
import dev.netc.compiler.ir.Upsample;
import dev.netc.compiler.ir.WindowAttention;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An IR op as {@code .net} source: the op catalogue's name and arguments, defaults left out, so that elaborating
 * the text gives back an equal op record. {@code tensors} are the op's further tensor inputs, already written as
 * {@code @name}.
 */
final class OpText {
  private OpText() {}

  static String of(Op op, List<String> tensors) {
    return switch (op) {
      case Conv c -> call("conv", List.of(String.valueOf(c.out()), ints(c.kernel())),
          opt("stride", c.stride().stream().anyMatch(s -> s != 1), ints(c.stride())),
          opt("pad", !allZero(c.padBegin()) || !allZero(c.padEnd()), pads(c.padBegin(), c.padEnd())),
          opt("dilation", c.dilation().stream().anyMatch(d -> d != 1), ints(c.dilation())),
          opt("groups", c.groups() != 1, String.valueOf(c.groups())), opt("bias", !c.bias(), "false"));
      case ConvTranspose c -> call("conv_transpose", List.of(String.valueOf(c.out()), ints(c.kernel())),
          opt("stride", c.stride().stream().anyMatch(s -> s != 1), ints(c.stride())),
          opt("pad", !allZero(c.padBegin()) || !allZero(c.padEnd()), pads(c.padBegin(), c.padEnd())),
          opt("output_pad", !allZero(c.outputPadding()), ints(c.outputPadding())),
          opt("dilation", c.dilation().stream().anyMatch(d -> d != 1), ints(c.dilation())),
          opt("groups", c.groups() != 1, String.valueOf(c.groups())), opt("bias", !c.bias(), "false"));
      case Linear l -> call("linear", List.of(String.valueOf(l.out())), opt("bias", !l.bias(), "false"));
      case MatMul m -> call("matmul", tensors);
      case BatchNorm b -> call("batchnorm", List.of(), opt("eps", b.eps() != 1e-5, num(b.eps())),
          opt("affine", !b.affine(), "false"));
      case LayerNorm l -> call("layernorm", List.of(), opt("dims", l.dims() != 1, String.valueOf(l.dims())),
          opt("eps", l.eps() != 1e-5, num(l.eps())), opt("affine", !l.affine(), "false"));
      case GroupNorm gn -> call("groupnorm", List.of(String.valueOf(gn.groups())), opt("eps", gn.eps() != 1e-5, num(gn.eps())),
          opt("affine", !gn.affine(), "false"));
      case InstanceNorm i -> call("instancenorm", List.of(), opt("eps", i.eps() != 1e-5, num(i.eps())),
          opt("affine", i.affine(), "true"));
      case Lrn l -> call("lrn", List.of(String.valueOf(l.size())), opt("alpha", l.alpha() != 1e-4, num(l.alpha())),
          opt("beta", l.beta() != 0.75, num(l.beta())), opt("k", l.k() != 1, num(l.k())));
      case L2Norm l -> call("l2norm", List.of(), opt("eps", l.eps() != 1e-10, num(l.eps())),
          opt("affine", !l.affine(), "false"));
      case Activation a -> activation(a);
      case Scale s -> call("scale", List.of(num(s.factor())), opt("shift", s.shift() != 0, num(s.shift())));
      case Softmax s -> call(s.log() ? "log_softmax" : "softmax", List.of(), opt("axis", s.axis() != 1, String.valueOf(s.axis())));
      case Pool p -> pool(p);
      case AdaptivePool a -> a.size().stream().allMatch(s -> s == 1)
          ? (a.kind() == Pool.Kind.MAX ? "global_maxpool" : "global_avgpool")
          : call(a.kind() == Pool.Kind.MAX ? "adaptive_maxpool" : "adaptive_avgpool", List.of(ints(a.size())));
      case Upsample u -> call("upsample", List.of(), opt("scale", u.scale() != null, u.scale() == null ? "" : nums(u.scale())),
          opt("size", u.scale() == null, ints(u.size())),
          opt("mode", u.mode() == Upsample.Mode.BILINEAR, "\"bilinear\""), opt("align_corners", u.alignCorners(), "true"));
      case Concat c -> call("concat", tensors, opt("axis", c.axis() != 1, String.valueOf(c.axis())));
      case Add a -> call("add", tensors);
      case Mul m -> call("mul", tensors);
      case Binary b -> call(b.name(), tensors);
      case Learned l -> throw new IllegalStateException("import makes no learned tensors");
      case PoolIndices p -> throw new IllegalStateException("import makes no max pooling indices");
      case MaxUnpool u -> throw new IllegalStateException("import makes no max unpooling");
      case Slice s -> call("slice", List.of(String.valueOf(s.start()), String.valueOf(s.end())),
          opt("axis", s.axis() != 1, String.valueOf(s.axis())), opt("step", s.step() != 1, String.valueOf(s.step())));
      case ChannelShuffle c -> call("channel_shuffle", List.of(String.valueOf(c.groups())));
      case Reshape r -> call("reshape", java.util.Arrays.stream(r.target().toArray()).mapToObj(String::valueOf).toList());
      case Flatten f -> f.start() == 1 && f.end() == -1 ? "flatten"
          : call("flatten", List.of(String.valueOf(f.start()), String.valueOf(f.end())));
      case Permute p -> call("permute", p.perm().stream().map(String::valueOf).toList());
      case Pad p -> {
        List<Integer> all = new ArrayList<>(p.begin());
        all.addAll(p.end());
        yield call("pad", List.of(tuple(all)), opt("value", p.value() != 0, num(p.value())));
      }
      case Crop c -> call("crop", List.of(), opt("size", true, ints(c.size())), opt("offset", true, ints(c.offset())));
      case Mean m -> call("mean", List.of(m.axes().size() == 1 ? String.valueOf(m.axes().getFirst()) : tuple(m.axes())),
          opt("keepdim", m.keepDims(), "true"));
      case Reduce r -> r.kind() == Reduce.Kind.ARGMAX
          ? call("argmax", List.of(), opt("axis", r.axes().getFirst() != -1, String.valueOf(r.axes().getFirst())),
              opt("keepdim", r.keepDims(), "true"))
          : call(r.name(), List.of(r.axes().size() == 1 ? String.valueOf(r.axes().getFirst()) : tuple(r.axes())),
              opt("keepdim", r.keepDims(), "true"));
      case Dropout d -> call("dropout", List.of(), opt("p", d.p() != 0.5, num(d.p())));
      case Embedding e -> call("embedding", List.of(String.valueOf(e.num()), String.valueOf(e.dim())));
      case PositionalEmbedding p -> call("positional_embedding", List.of(String.valueOf(p.maxLength())));
      case PositionalEncoding p -> call("positional_encoding", List.of(), opt("base", p.base() != 10000, num(p.base())));
      case Attention a -> call("attention", List.of(String.valueOf(a.heads())), opt("bias", !a.bias(), "false"));
      case WindowAttention a -> call("shifted_window_attention", List.of(String.valueOf(a.heads())),
          opt("window", true, ints(List.of(a.windowH(), a.windowW()))),
          opt("shift", a.shiftH() + a.shiftW() > 0, ints(List.of(a.shiftH(), a.shiftW()))), opt("bias", !a.bias(), "false"));
      case Recurrent r -> call(r.kind().name().toLowerCase(Locale.ROOT), List.of(String.valueOf(r.hidden())),
          opt("layers", r.layers() != 1, String.valueOf(r.layers())), opt("bias", !r.bias(), "false"));
      case RoiPool r -> call("roi_pool", List.of(tensors.getFirst(), ints(r.output())), opt("scale", r.scale() != 1, num(r.scale())));
      case RoiAlign r -> call("roi_align", List.of(tensors.getFirst(), ints(r.output())),
          opt("scale", r.scale() != 1, num(r.scale())), opt("sampling", r.sampling() != -1, String.valueOf(r.sampling())),
          opt("aligned", r.aligned(), "true"));
      case Input i -> throw new IllegalStateException("an input is declared, not called");
      case Fused f -> throw new IllegalStateException("import makes no fused layers");
      case ElementwiseChain c -> throw new IllegalStateException("import makes no fused layers");
    };
  }

  private static String activation(Activation a) {
    return switch (a.kind()) {
      case LEAKY_RELU -> call("leaky_relu", List.of(), opt("slope", a.alpha() != 0.01, num(a.alpha())));
      case ELU -> call("elu", List.of(), opt("alpha", a.alpha() != 1, num(a.alpha())));
      case SOFTPLUS -> call("softplus", List.of(), opt("beta", a.alpha() != 1, num(a.alpha())),
          opt("threshold", a.beta() != 20, num(a.beta())));
      default -> a.kind().opName();
    };
  }

  private static String pool(Pool p) {
    boolean max = p.kind() == Pool.Kind.MAX;
    return call(max ? "maxpool" : "avgpool", List.of(ints(p.kernel())),
        opt("stride", !p.stride().equals(p.kernel()), ints(p.stride())),
        opt("pad", !allZero(p.padBegin()) || !allZero(p.padEnd()), pads(p.padBegin(), p.padEnd())),
        opt("ceil", p.ceil(), "true"),
        opt("dilation", max && p.dilation().stream().anyMatch(d -> d != 1), ints(p.dilation())),
        opt("count_pad", !max && !p.countIncludePad(), "false"));
  }

  /** A named argument, or null to leave it out. */
  private static String opt(String name, boolean present, String value) { return present ? name + ": " + value : null; }

  private static String call(String name, List<String> positional, String... named) {
    List<String> args = new ArrayList<>(positional);
    for (String a : named) if (a != null) args.add(a);
    return args.isEmpty() ? name : name + "(" + String.join(", ", args) + ")";
  }

  /** One value when all are equal, else a tuple. */
  private static String ints(List<Integer> v) {
    return v.stream().distinct().count() == 1 ? String.valueOf(v.getFirst()) : tuple(v);
  }

  private static String nums(List<Double> v) {
    if (v.stream().distinct().count() == 1) return num(v.getFirst());
    return "(" + String.join(", ", v.stream().map(OpText::num).toList()) + ")";
  }

  private static String tuple(List<Integer> v) {
    return "(" + String.join(", ", v.stream().map(String::valueOf).toList()) + ")";
  }

  /** Symmetric padding as one value per dim (or one value); else the (begins..., ends...) tuple. */
  private static String pads(List<Integer> begin, List<Integer> end) {
    if (begin.equals(end)) return begin.size() == 1 ? String.valueOf(begin.getFirst()) : ints(begin);
    List<Integer> all = new ArrayList<>(begin);
    all.addAll(end);
    return tuple(all);
  }

  private static boolean allZero(List<Integer> v) { return v.stream().allMatch(x -> x == 0); }

  /** A number as the {@code .net} literal that reads back as the same double. */
  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
    return Double.toString(v).replace("E", "e");
  }
}
