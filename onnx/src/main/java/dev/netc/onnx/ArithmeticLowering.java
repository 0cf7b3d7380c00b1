package dev.netc.onnx;

import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.TensorType;
import dev.netc.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Add, Sub, Mul, Div and friends: two constants fold; two tensors are an add or a multiply; a tensor and a scalar
 * are a {@code scale}; a tensor and a per-channel constant fold into the conv or linear layer before it.
 */
final class ArithmeticLowering extends NodeLowering {
  ArithmeticLowering(NodeView n, Importer g) {
    super(n, g);
  }

  // ---- arithmetic ----

  void neg() {
    Val v = n.in(0);
    if (v instanceof Val.Act a) {
      scaleLayer(a, -1, 0);
      return;
    }
    g.define(out(), Folding.binary("Mul", v, new Val.Ints(new int[0], new long[] {-1})));
  }

  void sum() {
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
  void arithmetic() {
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
  boolean positional(Val.Act x, Val c) {
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
  static boolean isScalar(Val c, Val.Act x) {
    int[] s = Folding.shape(c);
    if (s.length > x.type().fullRank()) return false;
    for (int d : s) if (d != 1) return false;
    return true;
  }

  /** x·f + s as a scale layer, merged into the scale layer before it when only this node reads that one. */
  void scaleLayer(Val.Act x, double f, double s) {
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
  boolean foldIntoProducer(String op, Val.Act x, Val c, boolean tensorFirst) {
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


  /** [C, 1, ...] (conv, rank of the tensor or one less) or [F] (linear); a single value also fits. */
  static boolean perChannel(int[] s, TensorType x, int c, boolean conv) {
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

}
