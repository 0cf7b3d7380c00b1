package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.ir.AdaptivePool;
import dev.netc.compiler.ir.MaxUnpool;
import dev.netc.compiler.ir.Mean;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.PoolIndices;
import dev.netc.compiler.ir.Reduce;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ir.Upsample;
import dev.netc.compiler.plan.Plan.Step;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pooling (max and average, 1-3-D, PyTorch's padding, ceil-mode and divisor rules), adaptive pooling (uneven bins),
 * resizing (nearest and bilinear, with index and weight tables computed at compile time by the runtime's rules) and
 * mean over axes: one thread per output element. Max pooling's indices and max unpooling follow PyTorch: the
 * indices are flat positions in each (item, channel) plane stored as floats, and unpooling gathers (one thread per
 * output element scanning the pooling windows that can hold it), so a repeated index deterministically takes the
 * later value, as the runtime's scatter does.
 */
final class PoolKernels {
  private PoolKernels() {}

  private static int[] pad3(int[] v, int fill) {
    int[] r = {fill, fill, fill};
    System.arraycopy(v, 0, r, 3 - v.length, v.length);
    return r;
  }

  private static int[] ints(List<Integer> v) { return v.stream().mapToInt(Integer::intValue).toArray(); }

  /** {@code const int i, n, c, sp, o0, o1, o2} for an output of spatial dims {@code out} (3, padded). */
  private static void decode(Kernel k, Tensor y, long perItem, int[] out) {
    long os = (long) out[0] * out[1] * out[2];
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", c = i / " + os + " % " + y.channels() + ", sp = i % " + os + ";")
        .line("const int o0 = sp / " + (out[1] * out[2]) + ", o1 = sp / " + out[2] + " % " + out[1] + ", o2 = sp % "
            + out[2] + ";")
        .line("(void) o0; (void) o1; (void) o2;");
  }

  static void pool(CudaEmitter e, Step s, Node n, Pool p) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    int[] in = pad3(x.type().shape().drop(1).toArray(), 1);
    int[] out = pad3(y.type().shape().drop(1).toArray(), 1);
    int[] kr = pad3(ints(p.kernel()), 1), st = pad3(ints(p.stride()), 1), pb = pad3(ints(p.padBegin()), 0),
        pe = pad3(ints(p.padEnd()), 0), dl = pad3(ints(p.dilation()), 1);
    long perItem = y.elements();
    decode(k, y, perItem, out);
    String xAt = x.at("n", "c", "(i0 * " + in[1] + " + i1) * " + in[2] + " + i2");
    if (p.kind() == Pool.Kind.MAX) {
      k.line("float v = -INFINITY;");
      for (int a = 0; a < 3; a++) {
        k.line("  ".repeat(a) + "for (int k" + a + " = 0; k" + a + " < " + kr[a] + "; k" + a + "++) {")
            .line("  ".repeat(a + 1) + "const int i" + a + " = o" + a + " * " + st[a] + " - " + pb[a] + " + k" + a
                + " * " + dl[a] + ";")
            .line("  ".repeat(a + 1) + "if (i" + a + " < 0 || i" + a + " >= " + in[a] + ") continue;");
      }
      k.line("      const float t = " + xAt + ";")
          .line("      if (t > v || t != t) v = t;")
          .line("    }").line("  }").line("}")
          .line(y.at("n", "c", "sp") + " = v;");
    } else {
      for (int a = 0; a < 3; a++) {
        k.line("const int s" + a + " = o" + a + " * " + st[a] + " - " + pb[a] + ", e" + a + " = min(s" + a + " + "
            + kr[a] + ", " + (in[a] + pe[a]) + ");");
      }
      if (p.countIncludePad()) k.line("const int full = (e0 - s0) * (e1 - s1) * (e2 - s2);");
      k.line("const int b0 = max(s0, 0), b1 = max(s1, 0), b2 = max(s2, 0);")
          .line("const int f0 = min(e0, " + in[0] + "), f1 = min(e1, " + in[1] + "), f2 = min(e2, " + in[2] + ");")
          .line("float sum = 0.f;")
          .line("for (int i0 = b0; i0 < f0; i0++)")
          .line("  for (int i1 = b1; i1 < f1; i1++)")
          .line("    for (int i2 = b2; i2 < f2; i2++) sum += " + xAt + ";")
          .line(y.at("n", "c", "sp") + " = sum / " + (p.countIncludePad() ? "full" : "((f0 - b0) * (f1 - b1) * (f2 - b2))")
              + ";");
    }
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /**
   * The flat plane position of each window's maximum (the runtime's {@code Pooling.maxPoolIndices}): the first
   * maximum wins ties, a NaN counts as a maximum (so the last NaN wins), and a window of -inf keeps its first
   * position inside the input.
   */
  static void indices(CudaEmitter e, Step s, Node n, PoolIndices op) {
    Pool p = op.pool();
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    int[] in = pad3(x.type().shape().drop(1).toArray(), 1);
    int[] out = pad3(y.type().shape().drop(1).toArray(), 1);
    int[] kr = pad3(ints(p.kernel()), 1), st = pad3(ints(p.stride()), 1), pb = pad3(ints(p.padBegin()), 0),
        dl = pad3(ints(p.dilation()), 1);
    long perItem = y.elements();
    decode(k, y, perItem, out);
    for (int a = 0; a < 3; a++) {
      k.line("const int s" + a + " = o" + a + " * " + st[a] + " - " + pb[a] + ";")
          .line("const int b" + a + " = s" + a + " < 0 ? s" + a + " + (-s" + a + " + " + (dl[a] - 1) + ") / " + dl[a]
              + " * " + dl[a] + " : s" + a + ";")
          .line("const int f" + a + " = min(s" + a + " + " + ((kr[a] - 1) * dl[a] + 1) + ", " + in[a] + ");");
    }
    String pos = "(i0 * " + in[1] + " + i1) * " + in[2] + " + i2";
    k.line("float m = -INFINITY;")
        .line("int at = (b0 * " + in[1] + " + b1) * " + in[2] + " + b2;")
        .line("for (int i0 = b0; i0 < f0; i0 += " + dl[0] + ")")
        .line("  for (int i1 = b1; i1 < f1; i1 += " + dl[1] + ")")
        .line("    for (int i2 = b2; i2 < f2; i2 += " + dl[2] + ") {")
        .line("      const float t = " + x.at("n", "c", pos) + ";")
        .line("      if (t > m || t != t) {")
        .line("        m = t;")
        .line("        at = " + pos + ";")
        .line("      }")
        .line("    }")
        .line(y.at("n", "c", "sp") + " = (float) at;");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /**
   * Max unpooling as a gather: each output position scans, in row-major order, the pooled positions whose window
   * (of the pooling that made the indices) can contain it and takes the value of the last one whose index names it,
   * else zero. The indices come from that pooling, so each lies in its own window and the scan sees every writer.
   */
  static void unpool(CudaEmitter e, Step s, Node n, MaxUnpool u) {
    Node src = e.node(n.inputs().get(1));
    if (!(src.op() instanceof PoolIndices pi)) {
      throw CudaEmitter.unsupported(n, "max unpooling with indices not made by maxpool(..., indices: -> name) "
          + "(made by " + src.op().name() + ")");
    }
    Pool p = pi.pool();
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor ix = e.tensor(k, "ix", s.inputs().get(1), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    int[] pooled = pad3(x.type().shape().drop(1).toArray(), 1);
    int[] out = pad3(y.type().shape().drop(1).toArray(), 1);
    int[] kr = pad3(ints(p.kernel()), 1), st = pad3(ints(p.stride()), 1), pb = pad3(ints(p.padBegin()), 0),
        dl = pad3(ints(p.dilation()), 1);
    long perItem = y.elements();
    decode(k, y, perItem, out);
    for (int a = 0; a < 3; a++) {
      int reach = (kr[a] - 1) * dl[a];
      k.line("const int r" + a + " = o" + a + " + " + (pb[a] - reach) + ";")
          .line("const int b" + a + " = r" + a + " > 0 ? (r" + a + " + " + (st[a] - 1) + ") / " + st[a] + " : 0;")
          .line("const int f" + a + " = min((o" + a + " + " + pb[a] + ") / " + st[a] + " + 1, " + pooled[a] + ");");
    }
    String pos = "(w0 * " + pooled[1] + " + w1) * " + pooled[2] + " + w2";
    k.line("const float want = (float) sp;")
        .line("float v = 0.f;")
        .line("for (int w0 = b0; w0 < f0; w0++)")
        .line("  for (int w1 = b1; w1 < f1; w1++)")
        .line("    for (int w2 = b2; w2 < f2; w2++)")
        .line("      if (" + ix.at("n", "c", pos) + " == want) v = " + x.at("n", "c", pos) + ";")
        .line(y.at("n", "c", "sp") + " = v;");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** Bin {@code o} of {@code out} over {@code in}: {@code [floor(o·in/out), ceil((o+1)·in/out))}. */
  static void adaptive(CudaEmitter e, Step s, Node n, AdaptivePool p) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    int[] in = pad3(x.type().shape().drop(1).toArray(), 1);
    int[] out = pad3(y.type().shape().drop(1).toArray(), 1);
    long perItem = y.elements();
    decode(k, y, perItem, out);
    for (int a = 0; a < 3; a++) {
      k.line("const int b" + a + " = o" + a + " * " + in[a] + " / " + out[a] + ", f" + a + " = ((o" + a + " + 1) * "
          + in[a] + " + " + (out[a] - 1) + ") / " + out[a] + ";");
    }
    boolean max = p.kind() == Pool.Kind.MAX;
    String xAt = x.at("n", "c", "(i0 * " + in[1] + " + i1) * " + in[2] + " + i2");
    k.line("float v = " + (max ? "-INFINITY" : "0.f") + ";")
        .line("for (int i0 = b0; i0 < f0; i0++)")
        .line("  for (int i1 = b1; i1 < f1; i1++)")
        .line("    for (int i2 = b2; i2 < f2; i2++) {")
        .line("      const float t = " + xAt + ";")
        .line(max ? "      if (t > v || t != t) v = t;" : "      v += t;")
        .line("    }")
        .line(y.at("n", "c", "sp") + " = v" + (max ? "" : " / ((f0 - b0) * (f1 - b1) * (f2 - b2))") + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  static void upsample(CudaEmitter e, Step s, Node n, Upsample u) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    int[] inR = x.type().shape().drop(1).toArray();
    int[] outR = y.type().shape().drop(1).toArray();
    int r = inR.length;
    int[] in = pad3(inR, 1);
    int[] out = pad3(outR, 1);
    long perItem = y.elements();
    decode(k, y, perItem, out);
    if (u.mode() == Upsample.Mode.NEAREST) {
      String[] idx = {"0", "0", "0"};
      for (int a = 0; a < r; a++) {
        int[] t = dev.netc.runtime.kernels.Upsample.nearestIndex(inR[a], outR[a], scale(u, a));
        idx[3 - r + a] = k.table("int", "src" + a, join(t)) + "[o" + (3 - r + a) + "]";
      }
      k.line(y.at("n", "c", "sp") + " = " + x.at("n", "c", "(" + idx[0] + " * " + in[1] + " + " + idx[1] + ") * "
          + in[2] + " + " + idx[2]) + ";");
    } else {
      if (r != 2) throw CudaEmitter.unsupported(n, "bilinear resize of " + r + " spatial dims");
      String[][] tab = new String[2][];
      for (int a = 0; a < 2; a++) {
        Taps t = Taps.of(inR[a], outR[a], u.alignCorners(), scale(u, a));
        tab[a] = new String[] {k.table("int", "i0_" + a, join(t.i0)), k.table("int", "i1_" + a, join(t.i1)),
            k.table("float", "l0_" + a, joinF(t.l0)), k.table("float", "l1_" + a, joinF(t.l1))};
      }
      String row0 = "(" + tab[0][0] + "[o1] * " + in[2] + ")";
      String row1 = "(" + tab[0][1] + "[o1] * " + in[2] + ")";
      k.line("const int a = " + tab[1][0] + "[o2], b = " + tab[1][1] + "[o2];")
          .line("const float w0 = " + tab[1][2] + "[o2], w1 = " + tab[1][3] + "[o2];")
          .line("const float h0 = " + tab[0][2] + "[o1], h1 = " + tab[0][3] + "[o1];")
          .line(y.at("n", "c", "sp") + " = h0 * (w0 * " + x.at("n", "c", row0 + " + a") + " + w1 * "
              + x.at("n", "c", row0 + " + b") + ")")
          .line("    + h1 * (w0 * " + x.at("n", "c", row1 + " + a") + " + w1 * " + x.at("n", "c", row1 + " + b")
              + ");");
    }
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  private static double scale(Upsample op, int i) {
    if (op.scale() == null || op.scale().isEmpty()) return 0;
    return op.scale().get(Math.min(i, op.scale().size() - 1));
  }

  /** The runtime's bilinear taps (PyTorch's source index and weights per output index). */
  private record Taps(int[] i0, int[] i1, float[] l0, float[] l1) {
    static Taps of(int in, int out, boolean alignCorners, double scale) {
      int[] i0 = new int[out];
      int[] i1 = new int[out];
      float[] l0 = new float[out];
      float[] l1 = new float[out];
      float ratio = out <= 1 ? 0f : alignCorners ? (float) (in - 1) / (out - 1)
          : scale > 0 ? (float) (1.0 / scale) : (float) in / out;
      for (int o = 0; o < out; o++) {
        if (in == out) {
          i0[o] = o;
          i1[o] = o;
          l0[o] = 1f;
          continue;
        }
        float src = alignCorners ? ratio * o : (float) Math.max(ratio * (o + 0.5) - 0.5, 0.0);
        i0[o] = (int) src;
        i1[o] = i0[o] + (i0[o] < in - 1 ? 1 : 0);
        l1[o] = Math.min(Math.max(src - i0[o], 0f), 1f);
        l0[o] = 1f - l1[o];
      }
      return new Taps(i0, i1, l0, l1);
    }
  }

  private static String join(int[] v) { return Arrays.stream(v).mapToObj(String::valueOf).collect(Collectors.joining(", ")); }

  private static String joinF(float[] v) {
    StringBuilder b = new StringBuilder();
    for (float f : v) b.append(b.isEmpty() ? "" : ", ").append(CudaEmitter.flt(f));
    return b.toString();
  }

  /** Mean over axes: one thread per output element, looping over the reduced elements. */
  static void mean(CudaEmitter e, Step s, Node n, Mean m) {
    over(e, s, "mean", m.axes(), """
        float sum = 0.f;
        %s
          sum += %s;
        }""", "sum / %d");
  }

  /**
   * Sum (accumulated in double, in input order), maximum and minimum (a NaN anywhere gives NaN), or the index of
   * the first maximum along one axis (a NaN counting as the maximum) as a float, as the runtime's {@code Reduce}
   * computes them: one thread per output element, looping over the reduced elements in input order.
   */
  static void reduce(CudaEmitter e, Step s, Node n, Reduce r) {
    switch (r.kind()) {
      case SUM -> over(e, s, r.name(), r.axes(), """
          double sum = 0.0;
          %s
            sum += %s;
          }""", "(float) sum");
      case MAX, MIN -> over(e, s, r.name(), r.axes(), """
          float m = %s;
          bool nan = false;
          %%s
            const float v = %%s;
            if (v != v) nan = true;
            else if (v %s m) m = v;
          }""".formatted(r.kind() == Reduce.Kind.MAX ? "-INFINITY" : "INFINITY",
          r.kind() == Reduce.Kind.MAX ? ">" : "<"), "nan ? NAN : m");
      case ARGMAX -> over(e, s, r.name(), r.axes(), """
          float m = 0.f;
          int best = 0;
          %s
            const float v = %s;
            if (j == 0 || (m == m && (v > m || v != v))) {
              m = v;
              best = j;
            }
          }""", "(float) best");
    }
  }

  /**
   * One thread per output element of a reduction over {@code axes}: {@code body} (a format of the loop head and
   * the element read) runs over the {@code count} reduced elements in input order, then {@code result} (a format of
   * {@code count}) is stored. The output keeps the other dims in order (kept size-1 dims change nothing).
   */
  private static void over(CudaEmitter e, Step s, String op, List<Integer> axes, String body, String result) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = x.type();
    boolean[] reduce = new boolean[t.rank()];
    for (int a : axes) reduce[Rules.shapeAxis(op, t, a)] = true;
    long perItem = y.elements();
    long count = 1;
    long[] stride = new long[t.rank()];
    long st = 1;
    for (int d = t.rank() - 1; d >= 0; d--) {
      stride[d] = st;
      st *= t.dim(d);
      if (reduce[d]) count *= t.dim(d);
    }
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ";")
        .line("int base = 0;");
    boolean kept = false;
    for (int d = t.rank() - 1; d >= 0; d--) {
      if (reduce[d]) continue;
      if (!kept) k.line("int rem = i % " + perItem + ";");
      kept = true;
      k.line("base += rem % " + t.dim(d) + " * " + stride[d] + "; rem /= " + t.dim(d) + ";");
    }
    StringBuilder head = new StringBuilder("for (int j = 0; j < " + count + "; j++) {\n  int q = j, at = base;");
    for (int d = t.rank() - 1; d >= 0; d--) {
      if (!reduce[d]) continue;
      head.append("\n  at += q % ").append(t.dim(d)).append(" * ").append(stride[d]).append("; q /= ")
          .append(t.dim(d)).append(";");
    }
    head.append("\n  (void) q;");
    k.lines(body.formatted(head, x.flat("n", "at")))
        .line(y.flat("n", "i % " + perItem) + " = " + result.formatted(count) + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }
}
