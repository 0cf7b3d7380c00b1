package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.emit.cuda.CudaProgram.Ptr;
import dev.netc.compiler.ir.Activation;
import dev.netc.compiler.ir.Add;
import dev.netc.compiler.ir.BatchNorm;
import dev.netc.compiler.ir.ElementwiseChain;
import dev.netc.compiler.ir.GroupNorm;
import dev.netc.compiler.ir.LayerNorm;
import dev.netc.compiler.ir.Mul;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Op;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.Scale;
import dev.netc.compiler.ir.Softmax;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Elementwise chains and single elementwise ops (one thread per element, every link applied in registers, so
 * memory is crossed once), adds and multiplies with broadcasting, softmax, layer and group norm (one thread per
 * normalized row or group).
 */
final class MapKernels {
  private MapKernels() {}

  /** {@code y = opN(...op1(x))}; an add or mul link reads the next operand, of x's shape or one value per channel. */
  static void chain(CudaEmitter e, Step s, Node n, List<Op> links) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    List<Tensor> operands = new ArrayList<>();
    for (int i = 1; i < s.inputs().size(); i++) operands.add(e.tensor(k, "w" + (i - 1), s.inputs().get(i), false));
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = x.type();
    int channels = x.channels();
    List<String> body = new ArrayList<>();
    int paramAt = 0;
    int operand = 0;
    int norms = 0;
    for (Op link : links) {
      switch (link) {
        case BatchNorm bn -> {
          List<Param> ps = n.params().subList(paramAt, n.params().size());
          paramAt += bn.params(List.of(t)).size();
          Ptr[] ss = e.foldNorm(s, bn, ps, null, channels);
          k.param("scale" + norms, ss[0], false);
          k.param("shift" + norms, ss[1], false);
          body.add("v = v * scale" + norms + "[c] + shift" + norms + "[c];  // " + CudaEmitter.layerOf(ps.getFirst()));
          norms++;
        }
        case Scale sc -> body.add("v = v * " + CudaEmitter.flt(sc.factor()) + " + " + CudaEmitter.flt(sc.shift()) + ";");
        case Activation a -> body.add("v = " + CudaEmitter.act(a, "v") + ";");
        case Add a -> body.add("v = v + " + operand(operands.get(operand++), t) + ";");
        case Mul m -> body.add("v = v * " + operand(operands.get(operand++), t) + ";");
        default -> throw CudaEmitter.unsupported(n, "link " + link.name() + " of an elementwise chain");
      }
    }
    long perItem = t.elements();
    long sp = x.spatial();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ", c = f / " + sp + ", s = f % " + sp + ";")
        .line("(void) c;")
        .line("float v = " + x.at("n", "c", "s") + ";");
    for (String l : body) k.line(l);
    k.line(y.at("n", "c", "s") + " = v;");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  private static String operand(Tensor w, TensorType t) {
    if (w.type().equals(t)) return w.at("n", "c", "s");
    if (ElementwiseChain.perChannelOf(w.type(), t)) return w.at("n", "c", "0");
    throw new CudaUnsupportedException("an elementwise operand " + w.type() + " against " + t);
  }

  /**
   * {@code ((in0 op in1) op in2) ...} for {@code op} one of {@code + - * /}, with PyTorch's broadcasting
   * ({@link dev.netc.compiler.ir.Broadcast}): size-1 and missing leading dims repeat, and an operand without a batch
   * (a learned tensor, {@code [C, 1, 1]} or {@code [1, T, D]}) is the same for every item.
   */
  static void combine(CudaEmitter e, Step s, Node n, String operator) {
    Kernel k = e.kernel(s, "");
    List<Tensor> ins = new ArrayList<>();
    for (int i = 0; i < s.inputs().size(); i++) ins.add(e.tensor(k, "x" + i, s.inputs().get(i), false));
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = y.type();
    long perItem = t.elements();
    String op = " " + operator + " ";
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ";");
    boolean same = ins.stream().allMatch(x -> x.type().equals(t));
    if (same) {
      long sp = y.spatial();
      k.line("const int c = f / " + sp + ", s = f % " + sp + ";");
      StringBuilder v = new StringBuilder(ins.getFirst().at("n", "c", "s"));
      for (Tensor x : ins.subList(1, ins.size())) v.append(op).append(x.at("n", "c", "s"));
      k.line(y.at("n", "c", "s") + " = " + v + ";");
    } else {
      int r = t.rank();
      k.line("int rem = f;");
      for (int d = r - 1; d >= 0; d--) {
        k.line("const int c" + d + " = rem % " + t.dim(d) + ";" + (d > 0 ? " rem /= " + t.dim(d) + ";" : ""));
      }
      StringBuilder v = new StringBuilder();
      for (Tensor x : ins) {
        if (x.blocked()) throw CudaEmitter.unsupported(n, "broadcasting an operand in the channel-blocked layout");
        TensorType xt = x.type();
        StringBuilder idx = new StringBuilder("0");
        long stride = 1;
        for (int d = xt.rank() - 1; d >= 0; d--) {
          int od = d + (r - xt.rank());
          if (xt.dim(d) != 1 && od >= 0) idx.append(" + c").append(od).append(" * ").append(stride);
          stride *= xt.dim(d);
        }
        String at = x.flat("n", idx.toString());
        v.append(v.isEmpty() ? "" : op).append(at);
      }
      k.line(y.flat("n", "f") + " = " + v + ";");
    }
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** Softmax (or log-softmax) along one axis: one thread per row, three passes (max, sum, write). */
  static void softmax(CudaEmitter e, Step s, Node n, Softmax sm) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = x.type();
    int a = Rules.shapeAxis("softmax", t, sm.axis());
    long len = t.dim(a);
    long inner = 1;
    for (int d = a + 1; d < t.rank(); d++) inner *= t.dim(d);
    long rows = t.elements() / len;
    k.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int n = i / %d, r = i %% %d;
        const int base = r / %d * %d + r %% %d;
        float mx = -INFINITY;
        for (int j = 0; j < %d; j++) mx = fmaxf(mx, %s);
        float sum = 0.f;
        for (int j = 0; j < %d; j++) sum += expf(%s - mx);
        for (int j = 0; j < %d; j++) %s = %s;"""
        .formatted(ConvKernels.total(y, rows), rows, rows, inner, len * inner, inner, len,
            x.flat("n", "base + j * " + inner), len, x.flat("n", "base + j * " + inner), len,
            y.flat("n", "base + j * " + inner), sm.log() ? x.flat("n", "base + j * " + inner) + " - mx - logf(sum)"
                : "expf(" + x.flat("n", "base + j * " + inner) + " - mx) / sum"));
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, rows, s));
  }

  /** Layer norm over the last {@code dims} dims: one thread per row, mean and variance in two passes. */
  static void layerNorm(CudaEmitter e, Step s, Node n, LayerNorm ln) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = x.type();
    long len = 1;
    for (int d = t.rank() - ln.dims(); d < t.rank(); d++) len *= t.dim(d);
    long rows = t.elements() / len;
    if (ln.affine()) {
      k.param("gamma", e.weight(n.params().get(0)), false);
      k.param("beta", e.weight(n.params().get(1)), false);
    }
    normalize(k, x, y, rows, len, "r * " + len + " + j", ln.eps(), ln.affine() ? "j" : null);
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, rows, s));
  }

  /** Group norm: one thread per (item, group) over its channels' elements; per-channel affine. */
  static void groupNorm(CudaEmitter e, Step s, Node n, GroupNorm gn) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = x.type();
    long len = t.elements() / gn.groups();
    if (gn.affine()) {
      k.param("gamma", e.weight(n.params().get(0)), false);
      k.param("beta", e.weight(n.params().get(1)), false);
    }
    normalize(k, x, y, gn.groups(), len, "r * " + len + " + j", gn.eps(), gn.affine() ? "(r * " + len + " + j) / "
        + x.spatial() : null);
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, gn.groups(), s));
  }

  /** Instance norm: one thread per (item, channel) over its spatial elements; per-channel affine. */
  static void instanceNorm(CudaEmitter e, Step s, Node n, dev.netc.compiler.ir.InstanceNorm in) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    if (in.affine()) {
      k.param("gamma", e.weight(n.params().get(0)), false);
      k.param("beta", e.weight(n.params().get(1)), false);
    }
    long len = x.spatial();
    normalize(k, x, y, x.channels(), len, "r * " + len + " + j", in.eps(), in.affine() ? "r" : null);
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, x.channels(), s));
  }

  /** Local response norm across channels: one thread per element, PyTorch's window and divisor. */
  static void lrn(CudaEmitter e, Step s, Node n, dev.netc.compiler.ir.Lrn l) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    long perItem = x.elements();
    long sp = x.spatial();
    int c = x.channels();
    k.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int n = i / %d, f = i %% %d, c = f / %d, s = f %% %d;
        const int lo = max(0, c - %d), hi = min(%d, c + %d);
        float sum = 0.f;
        for (int j = lo; j <= hi; j++) { const float v = %s; sum += v * v; }
        %s = %s / powf(sum / %d * %s + %s, %s);""".formatted(ConvKernels.total(y, perItem), perItem, perItem, sp, sp,
        l.size() / 2, c - 1, (l.size() - 1) / 2, x.at("n", "j", "s"), y.at("n", "c", "s"), x.at("n", "c", "s"),
        l.size(), CudaEmitter.flt(l.alpha()), CudaEmitter.flt(l.k()), CudaEmitter.flt(l.beta())));
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** L2 norm across channels at every position: one thread per (item, position). */
  static void l2norm(CudaEmitter e, Step s, Node n, dev.netc.compiler.ir.L2Norm l) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    if (l.affine()) k.param("weight", e.weight(n.params().getFirst()), false);
    long sp = x.spatial();
    int c = x.channels();
    k.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int n = i / %d, s = i %% %d;
        float sum = 0.f;
        for (int c = 0; c < %d; c++) { const float v = %s; sum += v * v; }
        const float norm = sqrtf(sum) + %s;
        for (int c = 0; c < %d; c++) %s = %s / norm%s;""".formatted(ConvKernels.total(y, sp), sp, sp, c,
        x.at("n", "c", "s"), CudaEmitter.flt(l.eps()), c, y.at("n", "c", "s"), x.at("n", "c", "s"),
        l.affine() ? " * weight[c]" : ""));
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, sp, s));
  }

  private static void normalize(Kernel k, Tensor x, Tensor y, long rows, long len, String at, double eps,
      String affineIndex) {
    String xv = x.flat("n", at);
    k.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int n = i / %d, r = i %% %d;
        float mean = 0.f;
        for (int j = 0; j < %d; j++) mean += %s;
        mean /= %d;
        float var = 0.f;
        for (int j = 0; j < %d; j++) { const float d = %s - mean; var += d * d; }
        const float inv = 1.f / sqrtf(var / %d + %s);
        for (int j = 0; j < %d; j++) %s = (%s - mean) * inv%s;"""
        .formatted(ConvKernels.total(y, rows), rows, rows, len, xv, len, len, xv, len, CudaEmitter.flt(eps), len,
            y.flat("n", at), xv, affineIndex == null ? "" : " * gamma[" + affineIndex + "] + beta[" + affineIndex + "]"));
  }
}
