package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.ir.ChannelShuffle;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.Slice;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Data movement, one thread per output element: layout conversions and output copies, views the plan could not
 * alias, concatenation (a concat the plan elided costs nothing: its producers wrote their slices), channel shuffle,
 * slicing and padding.
 */
final class DataKernels {
  private DataKernels() {}

  /** A layout conversion or output copy: every logical element from the input's layout to the output's. */
  static void copy(CudaEmitter e, Step s) {
    Kernel k = e.kernel(s, s.kind() == Step.Kind.WRITE_OUTPUT ? "_out" : "_relayout");
    Tensor x = e.tensor(k, "x", s.inputs().getFirst(), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    long perItem = y.elements();
    long sp = y.spatial();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ", c = f / " + sp + ", s = f % " + sp + ";")
        .line(y.at("n", "c", "s") + " = " + x.at("n", "c", "s") + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** A reshape, flatten or dropout the plan runs as a step: the elements in order. */
  static void copyStep(CudaEmitter e, Step s) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().getFirst(), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    long perItem = y.elements();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ";")
        .line(y.flat("n", "f") + " = " + x.flat("n", "f") + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  static void concat(CudaEmitter e, Step s, Node n, Concat c) {
    Kernel k = e.kernel(s, "");
    List<Tensor> ins = new ArrayList<>();
    for (int i = 0; i < s.inputs().size(); i++) ins.add(e.tensor(k, "x" + i, s.inputs().get(i), false));
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = y.type();
    int a = Rules.shapeAxis("concat", t, c.axis());
    long inner = 1;
    for (int d = a + 1; d < t.rank(); d++) inner *= t.dim(d);
    int len = t.dim(a);
    long perItem = t.elements();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ";")
        .line("const int o = f / " + (len * inner) + ", j = f / " + inner + " % " + len + ", r = f % " + inner + ";")
        .line("float v;");
    int at = 0;
    for (int i = 0; i < ins.size(); i++) {
      Tensor x = ins.get(i);
      // An unbatched input of a batched concat ([1, 1, D], a learned class token) is repeated over the batch: its
      // leading 1 stands for the batch, and every item reads the same elements.
      TensorType xt = x.type().batched() || !t.batched() ? x.type() : TensorType.batched(x.type().shape().drop(1));
      int l = xt.dim(a);
      String read = "v = " + x.flat("n", "(o * " + l + " + j - " + at + ") * " + inner + " + r") + ";";
      if (i == ins.size() - 1) k.line((i == 0 ? "" : "else ") + "{ " + read + " }");
      else k.line((i == 0 ? "if" : "else if") + " (j < " + (at + l) + ") { " + read + " }");
      at += l;
    }
    k.line(y.flat("n", "f") + " = v;");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** A learned tensor ({@code param}): its weights copied into its buffer. */
  static void learned(CudaEmitter e, Step s, Node n) {
    Kernel k = e.kernel(s, "");
    k.param("w", e.weight(n.params().getFirst()), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    long perItem = y.elements();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ";")
        .line(y.flat("n", "f") + " = w[f];");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** PyTorch's channel shuffle: output channel {@code i·G + g} is input channel {@code g·(C/G) + i}. */
  static void channelShuffle(CudaEmitter e, Step s, Node n, ChannelShuffle cs) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().getFirst(), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    long perItem = y.elements();
    long sp = y.spatial();
    int per = y.channels() / cs.groups();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ", c = f / " + sp + ", s = f % " + sp + ";")
        .line(y.at("n", "c", "s") + " = " + x.at("n", "c % " + cs.groups() + " * " + per + " + c / " + cs.groups(), "s")
            + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  static void slice(CudaEmitter e, Step s, Node n, Slice sl) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().getFirst(), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = y.type();
    int a = Rules.shapeAxis("slice", x.type(), sl.axis());
    long inner = 1;
    for (int d = a + 1; d < t.rank(); d++) inner *= t.dim(d);
    long perItem = t.elements();
    int len = t.dim(a);
    int inLen = x.type().dim(a);
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ";")
        .line("const int o = f / " + (len * inner) + ", j = f / " + inner + " % " + len + ", r = f % " + inner + ";")
        .line(y.flat("n", "f") + " = " + x.flat("n", "(o * " + inLen + " + " + sl.start() + " + j * " + sl.step()
            + ") * " + inner + " + r") + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** Constant padding of the trailing dims. */
  static void pad(CudaEmitter e, Step s, Node n, Pad p) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().getFirst(), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = y.type();
    TensorType xt = x.type();
    long perItem = t.elements();
    int r = t.rank();
    int first = r - p.begin().size();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ";")
        .line("int rem = i % " + perItem + ", at = 0;")
        .line("bool inside = true;");
    long stride = 1;
    for (int d = r - 1; d >= 0; d--) {
      int b = d >= first ? p.begin().get(d - first) : 0;
      k.line("{ const int q = rem % " + t.dim(d) + " - " + b + "; rem /= " + t.dim(d) + "; inside = inside && q >= 0 && q < "
          + xt.dim(d) + "; at += q * " + stride + "; }");
      stride *= xt.dim(d);
    }
    k.line(y.flat("n", "i % " + perItem) + " = inside ? " + x.flat("n", "at") + " : " + CudaEmitter.flt(p.value()) + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** A window of the trailing dims: output index {@code j} reads input index {@code offset + j}. */
  static void crop(CudaEmitter e, Step s, Node n, dev.netc.compiler.ir.Crop c) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().getFirst(), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = y.type();
    TensorType xt = x.type();
    long perItem = t.elements();
    int r = t.rank();
    int first = r - c.offset().size();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ";")
        .line("int rem = i % " + perItem + ", at = 0;");
    long stride = 1;
    for (int d = r - 1; d >= 0; d--) {
      int off = d >= first ? c.offset().get(d - first) : 0;
      k.line("at += (rem % " + t.dim(d) + " + " + off + ") * " + stride + "; rem /= " + t.dim(d) + ";");
      stride *= xt.dim(d);
    }
    k.line(y.flat("n", "i % " + perItem) + " = " + x.flat("n", "at") + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** Output dim {@code d} is input dim {@code perm[d]} (PyTorch axes; a batched tensor keeps its batch first). */
  static void permute(CudaEmitter e, Step s, Node n, dev.netc.compiler.ir.Permute p) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().getFirst(), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    TensorType t = y.type();
    TensorType xt = x.type();
    int shift = xt.batched() ? 1 : 0;
    if (xt.batched() && p.perm().getFirst() != 0) throw CudaEmitter.unsupported(n, "a permute that moves the batch axis");
    int r = t.rank();
    long[] inStride = new long[r];
    long st = 1;
    for (int d = r - 1; d >= 0; d--) {
      inStride[d] = st;
      st *= xt.dim(d);
    }
    long perItem = t.elements();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ";")
        .line("int rem = i % " + perItem + ", at = 0;");
    for (int d = r - 1; d >= 0; d--) {
      int src = p.perm().get(d + shift) - shift;
      k.line("at += rem % " + t.dim(d) + " * " + inStride[src] + "; rem /= " + t.dim(d) + ";");
    }
    k.line(y.flat("n", "i % " + perItem) + " = " + x.flat("n", "at") + ";");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }
}
