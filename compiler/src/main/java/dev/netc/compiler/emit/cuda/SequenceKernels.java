package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.emit.cuda.CudaProgram.Ptr;
import dev.netc.compiler.ir.Attention;
import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.PositionalEncoding;
import dev.netc.compiler.ir.Recurrent;
import dev.netc.compiler.ir.WindowAttention;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.compiler.plan.Plan.Storage;
import dev.netc.runtime.kernels.ShiftedWindowAttention;

/**
 * Sequence ops over {@code [T, E]} per item: embedding lookups, learned and sinusoidal position tables, multi-head
 * self-attention and LSTM/GRU layers, with the runtime's equations (PyTorch's gate orders and names).
 *
 * <p>Attention is four kernels: the packed q/k/v projection (the tiled GEMM over all items' tokens), one thread per
 * (item, head, query) for the scaled scores and their softmax, one thread per context element for the weighted sum
 * of values, and the out-projection GEMM; the projections, scores and context live in the step's scratch. A
 * recurrent layer is the input projection of every step at once (the tiled GEMM), then one block per item that runs
 * the steps in order, each thread owning hidden units, with a block barrier between steps (the hidden state is
 * double-buffered in scratch, so one barrier per step suffices).
 */
final class SequenceKernels {
  private SequenceKernels() {}

  /**
   * {@code y[..., d] = table[id, d]} for each token id. Ids that are a model input are checked on the host before
   * each forward ({@link CudaProgram.TokenCheck}: the CPU class's error); an id computed on the GPU that is not an
   * integer in {@code [0, num)} gives a row of NaN (a kernel cannot raise the error; the NaN shows in the outputs).
   */
  static void embedding(CudaEmitter e, Step s, Node n, Embedding em) {
    Kernel k = e.kernel(s, "");
    Tensor ids = e.tensor(k, "ids", s.inputs().getFirst(), false);
    if (ids.buffer().storage() instanceof Storage.Input in) {
      e.tokenChecks.add(new CudaProgram.TokenCheck(in.index(), em.num(), (int) ids.elements(), n.path()));
    }
    Tensor y = e.tensor(k, "y", s.output(), true);
    k.param("table", e.weight(n.params().getFirst()), false);
    long perItem = y.elements();
    k.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int n = i / %d, f = i %% %d;
        const float v = %s;
        const bool valid = v >= 0.f && v < %d.f && v == floorf(v);
        %s = valid ? table[(size_t)(int) v * %d + f %% %d] : NAN;""".formatted(ConvKernels.total(y, perItem), perItem,
        perItem, ids.flat("n", "f / " + em.dim()), em.num(), y.flat("n", "f"), em.dim(), em.dim()));
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /** {@code y[t, e] = x[t, e] + weight[t, e]}: the first {@code T} rows of the learned position table. */
  static void positionalEmbedding(CudaEmitter e, Step s, Node n) {
    addTable(e, s, e.weight(n.params().getFirst()));
  }

  /**
   * {@code y = x + PE}, the sinusoidal table computed once at load time by a prepare kernel, in float as the
   * runtime computes it ({@code div = exp(2i · -ln(base)/E)}, {@code sin}/{@code cos} of {@code t · div}).
   */
  static void positionalEncoding(CudaEmitter e, Step s, Node n, PositionalEncoding pe) {
    var type = e.plan.buffer(s.output()).type();
    int t = type.dim(0);
    int d = type.dim(1);
    Ptr table = e.derived((long) t * d);
    Kernel k = e.kernel(s, "_table");
    k.comment("  load time: the sinusoidal table [" + t + ", " + d + "], base " + pe.base());
    k.param("pe", table, true);
    k.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %d) return;
        const int pos = i / %d, c = i %% %d;
        const float div = (float) exp((double) ((float) (c & ~1) * %s));
        const float arg = (float) pos * div;
        pe[i] = (float) ((c & 1) == 0 ? sin((double) arg) : cos((double) arg));""".formatted((long) t * d, d, d,
        CudaEmitter.flt((float) (-Math.log(pe.base()) / d))));
    e.addPrepare(k, CudaEmitter.THREADS, k.launch((long) t * d, 0, CudaEmitter.THREADS, 1, 1, CudaEmitter.THREADS,
        false, k.name + " (load time)"));
    addTable(e, s, table);
  }

  /** {@code y = x + table} over one item's elements. */
  private static void addTable(CudaEmitter e, Step s, Ptr table) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().getFirst(), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    k.param("table", table, false);
    long perItem = y.elements();
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + ConvKernels.total(y, perItem) + ") return;")
        .line("const int n = i / " + perItem + ", f = i % " + perItem + ";")
        .line(y.flat("n", "f") + " = " + x.flat("n", "f") + " + table[f];");
    e.add(k, CudaEmitter.THREADS, ConvKernels.launch(k, y, perItem, s));
  }

  /**
   * Multi-head self-attention ({@code nn.MultiheadAttention}, batch first): {@code Q, K, V = x·Wᵀ + b} from the
   * packed in-projection, per head {@code softmax(Q_h K_hᵀ / sqrt(E/H)) V_h}, heads side by side, then the
   * out-projection.
   */
  static void attention(CudaEmitter e, Step s, Node n, Attention a) {
    var in = e.plan.buffer(s.inputs().getFirst());
    boolean batched = in.batched();
    int t = in.type().dim(0);
    int emb = in.type().dim(1);
    int heads = a.heads();
    int dh = emb / heads;
    long qkv = (long) t * 3 * emb;
    long scores = (long) heads * t * t;
    long ctxAt = qkv + scores;
    long per = ctxAt + (long) t * emb;
    Ptr ws = e.scratch(per);
    String item = "(size_t)(n / " + t + ") * " + per;

    Kernel proj = e.kernel(s, "_qkv");
    Tensor x = e.tensor(proj, "x", s.inputs().getFirst(), false);
    proj.param("w", e.weight(param(n, "in_proj_weight")), false);
    if (a.bias()) proj.param("b", e.weight(param(n, "in_proj_bias")), false);
    proj.param("ws", ws, true);
    proj.comment("  q, k, v = x W^T + b for every token: scratch [T, 3E] per item");
    ConvKernels.addGemm(e, proj, 3 * emb, emb, t, batched, "w[(size_t)m * " + emb + " + k]",
        "v = " + x.flat("n / " + t, "(n % " + t + ") * " + emb + " + k") + ";",
        "ws[" + item + " + (n % " + t + ") * " + 3 * emb + " + m] = acc" + (a.bias() ? " + b[m]" : "") + ";",
        s.comment());

    Kernel sm = e.kernel(s, "_scores");
    sm.param("ws", ws, true);
    sm.comment("  per head and query: scores q.k / sqrt(" + dh + ") over the keys, softmax in place");
    long rows = (long) heads * t;
    sm.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int n = i / %d, h = i / %d %% %d, q = i %% %d;
        float* w = ws + (size_t) n * %d;
        const float* qr = w + q * %d + h * %d;
        float* row = w + %d + (h * %d + q) * %d;
        float mx = -INFINITY;
        for (int j = 0; j < %d; j++) {
          const float* kr = w + j * %d + %d + h * %d;
          float acc = 0.f;
          for (int d = 0; d < %d; d++) acc += qr[d] * kr[d];
          const float v = %s * acc;
          row[j] = v;
          mx = fmaxf(mx, v);
        }
        float sum = 0.f;
        for (int j = 0; j < %d; j++) sum += expf(row[j] - mx);
        const float inv = 1.f / sum;
        for (int j = 0; j < %d; j++) row[j] = expf(row[j] - mx) * inv;""".formatted(
        batched ? "batch * " + rows : String.valueOf(rows), rows, t, heads, t, per, 3 * emb, dh, qkv, t, t, t,
        3 * emb, emb, dh, dh, CudaEmitter.flt((float) (1.0 / Math.sqrt(dh))), t, t));
    e.add(sm, CudaEmitter.THREADS, sm.launch(batched ? 0 : rows, batched ? rows : 0, CudaEmitter.THREADS, 1, 1,
        CudaEmitter.THREADS, false, s.comment()));

    Kernel cx = e.kernel(s, "_context");
    cx.param("ws", ws, true);
    cx.comment("  context [T, E]: each head's probabilities times its values");
    long elems = (long) t * emb;
    cx.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int n = i / %d, q = i / %d %% %d, c = i %% %d, h = c / %d;
        float* w = ws + (size_t) n * %d;
        const float* p = w + %d + (h * %d + q) * %d;
        float acc = 0.f;
        for (int j = 0; j < %d; j++) acc += p[j] * w[j * %d + %d + c];
        w[%d + q * %d + c] = acc;""".formatted(batched ? "batch * " + elems : String.valueOf(elems), elems, emb, t,
        emb, dh, per, qkv, t, t, t, 3 * emb, 2 * emb, ctxAt, emb));
    e.add(cx, CudaEmitter.THREADS, cx.launch(batched ? 0 : elems, batched ? elems : 0, CudaEmitter.THREADS, 1, 1,
        CudaEmitter.THREADS, false, s.comment()));

    Kernel out = e.kernel(s, "_out");
    out.param("ws", ws, false);
    out.param("w", e.weight(param(n, "out_proj.weight")), false);
    if (a.bias()) out.param("b", e.weight(param(n, "out_proj.bias")), false);
    Tensor y = e.tensor(out, "y", s.output(), true);
    out.comment("  y = context W_out^T + b_out");
    ConvKernels.addGemm(e, out, emb, emb, t, batched, "w[(size_t)m * " + emb + " + k]",
        "v = ws[" + item + " + " + ctxAt + " + (n % " + t + ") * " + emb + " + k];",
        y.flat("n / " + t, "(n % " + t + ") * " + emb + " + m") + " = acc" + (a.bias() ? " + b[m]" : "") + ";",
        s.comment());
  }

  /**
   * Swin's (shifted) window attention on a channels-last map {@code [H, W, C]} per item, the runtime's
   * {@code ShiftedWindowAttention}: the qkv projection on the tiled GEMM, its B loads gathering the tokens of the
   * padded, rolled map window after window (zeros for padding); one thread per (item, head, token) for the scores
   * with the relative position bias (index computed in place) and the -100 region mask, their softmax and the
   * weighted sum of values; the output projection on the tiled GEMM, its stores scattering the tokens back (padding
   * dropped). Scratch per item: qkv {@code [T, 3C]}, context {@code [T, C]}, scores {@code [heads, T, N]}.
   */
  static void windowAttention(CudaEmitter e, Step s, Node n, WindowAttention a) {
    var in = e.plan.buffer(s.inputs().getFirst());
    boolean batched = in.batched();
    int height = in.type().dim(0);
    int width = in.type().dim(1);
    int c = in.type().dim(2);
    int wh = a.windowH();
    int ww = a.windowW();
    int ph = Math.ceilDiv(height, wh) * wh;
    int pw = Math.ceilDiv(width, ww) * ww;
    int sh = ShiftedWindowAttention.effectiveShift(a.shiftH(), wh, ph);
    int sw = ShiftedWindowAttention.effectiveShift(a.shiftW(), ww, pw);
    int t = ph * pw;
    int tokens = wh * ww;
    int heads = a.heads();
    int dh = c / heads;
    long ctxAt = (long) t * 3 * c;
    long scoresAt = ctxAt + (long) t * c;
    long per = scoresAt + (long) heads * t * tokens;
    Ptr ws = e.scratch(per);
    String item = "(size_t)(n / " + t + ") * " + per;
    String source = """
        const int r_ = n %% %d, win_ = r_ / %d, tok_ = r_ %% %d;
        const int pr_ = ((win_ / %d) * %d + tok_ / %d + %d) %% %d;
        const int pc_ = ((win_ %% %d) * %d + tok_ %% %d + %d) %% %d;
        const bool in_ = pr_ < %d && pc_ < %d;""".formatted(t, tokens, tokens, pw / ww, wh, ww, sh, ph, pw / ww,
        ww, ww, sw, pw, height, width);

    Kernel proj = e.kernel(s, "_qkv");
    Tensor x = e.tensor(proj, "x", s.inputs().getFirst(), false);
    proj.param("w", e.weight(param(n, "qkv.weight")), false);
    if (a.bias()) proj.param("b", e.weight(param(n, "qkv.bias")), false);
    proj.param("ws", ws, true);
    proj.comment("  q, k, v = x W^T + b for the tokens of the padded map rolled by (" + sh + ", " + sw
        + "), window after window: scratch [T, 3C] per item");
    ConvKernels.addGemm(e, proj, 3 * c, c, t, batched, "w[(size_t)m * " + c + " + k]",
        source + "\nif (in_) v = " + x.flat("n / " + t, "(pr_ * " + width + " + pc_) * " + c + " + k") + ";",
        "ws[" + item + " + (n % " + t + ") * " + 3 * c + " + m] = acc" + (a.bias() ? " + b[m]" : "") + ";",
        s.comment());

    Kernel at = e.kernel(s, "_attend");
    at.param("ws", ws, true);
    at.param("table", e.weight(param(n, "relative_position_bias_table")), false);
    boolean masked = sh + sw > 0;
    at.comment("  per head and token: scores q.k / sqrt(" + dh + ") + relative position bias"
        + (masked ? " + region mask" : "") + " over the window's keys, softmax, weighted sum of values");
    long rows = (long) heads * t;
    String region = masked ? """
        const int qr_ = r0 + qi / %1$d, qc_ = c0 + qi %% %1$d, kr_ = r0 + j / %1$d, kc_ = c0 + j %% %1$d;
        if (netc_region(qr_, %2$d, %3$d, %4$d) * 3 + netc_region(qc_, %5$d, %1$d, %6$d)
            != netc_region(kr_, %2$d, %3$d, %4$d) * 3 + netc_region(kc_, %5$d, %1$d, %6$d)) v += -100.f;
        """.formatted(ww, ph, wh, sh, pw, sw) : "";
    at.lines("""
        #define netc_region(p, P, win, sh) ((sh) == 0 ? 0 : (p) < (P) - (win) ? 0 : (p) < (P) - (sh) ? 1 : 2)
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int n = i / %d, h = i / %d %% %d, q = i %% %d;
        const int win = q / %d, qi = q %% %d;
        const int r0 = (win / %d) * %d, c0 = (win %% %d) * %d;
        (void) r0; (void) c0;
        float* w = ws + (size_t) n * %d;
        const float* qr = w + q * %d + h * %d;
        float* row = w + %d + (h * %d + q) * %d;
        float mx = -INFINITY;
        for (int j = 0; j < %d; j++) {
          const float* kr = w + (win * %d + j) * %d + %d + h * %d;
          float acc = 0.f;
          for (int d = 0; d < %d; d++) acc += qr[d] * kr[d];
          float v = %s * acc + table[((qi / %d - j / %d + %d) * %d + (qi %% %d - j %% %d + %d)) * %d + h];
        %s  row[j] = v;
          mx = fmaxf(mx, v);
        }
        float sum = 0.f;
        for (int j = 0; j < %d; j++) {
          row[j] = expf(row[j] - mx);
          sum += row[j];
        }
        const float inv = 1.f / sum;
        for (int d = 0; d < %d; d++) {
          float acc = 0.f;
          for (int j = 0; j < %d; j++) acc += row[j] * w[(win * %d + j) * %d + %d + h * %d + d];
          w[%d + q * %d + h * %d + d] = acc * inv;
        }
        #undef netc_region""".formatted(batched ? "batch * " + rows : String.valueOf(rows), rows, t, heads, t,
        tokens, tokens, pw / ww, wh, pw / ww, ww, per, 3 * c, dh, scoresAt, t, tokens, tokens, tokens, 3 * c, c, dh,
        dh, CudaEmitter.flt((float) Math.pow(dh, -0.5)), ww, ww, wh - 1, 2 * ww - 1, ww, ww, ww - 1, heads,
        region.isEmpty() ? "" : "  " + region.strip().replace("\n", "\n  ") + "\n", tokens, dh, tokens, tokens,
        3 * c, 2 * c, dh, ctxAt, c, dh));
    e.add(at, CudaEmitter.THREADS, at.launch(batched ? 0 : rows, batched ? rows : 0, CudaEmitter.THREADS, 1, 1,
        CudaEmitter.THREADS, false, s.comment()));

    Kernel out = e.kernel(s, "_out");
    out.param("ws", ws, false);
    out.param("w", e.weight(param(n, "proj.weight")), false);
    if (a.bias()) out.param("b", e.weight(param(n, "proj.bias")), false);
    Tensor y = e.tensor(out, "y", s.output(), true);
    out.comment("  y = context W_proj^T + b_proj, the tokens scattered back to the map (padding dropped)");
    ConvKernels.addGemm(e, out, c, c, t, batched, "w[(size_t)m * " + c + " + k]",
        "v = ws[" + item + " + " + ctxAt + " + (n % " + t + ") * " + c + " + k];",
        source + "\nif (in_) " + y.flat("n / " + t, "(pr_ * " + width + " + pc_) * " + c + " + m") + " = acc"
            + (a.bias() ? " + b[m]" : "") + ";", s.comment());
  }

  /**
   * Stacked LSTM or GRU layers, initial state zero, the last layer's whole output sequence: per layer, the input
   * projection of all steps (GEMM into scratch), then the recurrence, one block per item.
   */
  static void recurrent(CudaEmitter e, Step s, Node n, Recurrent r) {
    var in = e.plan.buffer(s.inputs().getFirst());
    boolean batched = in.batched();
    boolean lstm = r.kind() == Recurrent.Kind.LSTM;
    int t = in.type().dim(0);
    int hid = r.hidden();
    int gh = r.kind().gates() * hid;
    long seqAt = (long) t * gh;
    long hAt = seqAt + (r.layers() > 1 ? (long) t * hid : 0);
    long cAt = hAt + 2L * hid;
    long per = cAt + (lstm ? hid : 0);
    Ptr ws = e.scratch(per);
    String item = "(size_t)(n / " + t + ") * " + per;
    int threads = (int) Math.min(CudaEmitter.THREADS, Math.ceilDiv(hid, 32) * 32L);
    int features = in.type().dim(1);
    for (int l = 0; l < r.layers(); l++) {
      boolean last = l == r.layers() - 1;
      Kernel proj = e.kernel(s, "_l" + l + "_input");
      Tensor x = l == 0 ? e.tensor(proj, "x", s.inputs().getFirst(), false) : null;
      proj.param("w", e.weight(param(n, "weight_ih_l" + l)), false);
      if (r.bias()) proj.param("b", e.weight(param(n, "bias_ih_l" + l)), false);
      proj.param("ws", ws, true);
      proj.comment("  layer " + l + ": the input's gate contributions W_ih x + b_ih of every step: scratch [T, "
          + gh + "] per item");
      String loadB = x != null ? "v = " + x.flat("n / " + t, "(n % " + t + ") * " + features + " + k") + ";"
          : "v = ws[" + item + " + " + seqAt + " + (n % " + t + ") * " + hid + " + k];";
      ConvKernels.addGemm(e, proj, gh, features, t, batched, "w[(size_t)m * " + features + " + k]", loadB,
          "ws[" + item + " + (n % " + t + ") * " + gh + " + m] = acc" + (r.bias() ? " + b[m]" : "") + ";",
          s.comment());

      Kernel rec = e.kernel(s, "_l" + l + "_steps");
      rec.param("w", e.weight(param(n, "weight_hh_l" + l)), false);
      if (r.bias()) rec.param("b", e.weight(param(n, "bias_hh_l" + l)), false);
      rec.param("ws", ws, true);
      Tensor y = last ? e.tensor(rec, "y", s.output(), true) : null;
      rec.comment("  layer " + l + ": " + t + " steps in order, one block per item, " + threads
          + " threads over " + hid + " hidden units, a barrier between steps");
      String store = y != null ? y.flat("n", "t * " + hid + " + j") : "sc[" + seqAt + " + t * " + hid + " + j]";
      StringBuilder gates = new StringBuilder();
      for (int g = 0; g < r.kind().gates(); g++) {
        gates.append("    float r").append(g).append(" = 0.f;\n")
            .append("    for (int k = 0; k < ").append(hid).append("; k++) r").append(g).append(" += w[(size_t)(")
            .append(g * hid).append(" + j) * ").append(hid).append(" + k] * h[k];\n");
        if (r.bias()) gates.append("    r").append(g).append(" += b[").append(g * hid).append(" + j];\n");
      }
      String update = lstm ? """
              const float ig = netc_sigmoid(pre[j] + r0);
              const float fg = netc_sigmoid(pre[%1$d + j] + r1);
              const float gg = tanhf(pre[%2$d + j] + r2);
              const float og = netc_sigmoid(pre[%3$d + j] + r3);
              const float c = fg * sc[%4$d + j] + ig * gg;
              sc[%4$d + j] = c;
              const float v = og * tanhf(c);""".formatted(hid, 2 * hid, 3 * hid, cAt)
          : """
              const float rg = netc_sigmoid(pre[j] + r0);
              const float zg = netc_sigmoid(pre[%1$d + j] + r1);
              const float ng = tanhf(pre[%2$d + j] + rg * r2);
              const float v = (1.f - zg) * ng + zg * h[j];""".formatted(hid, 2 * hid);
      rec.lines("""
          const int n = blockIdx.x;
          float* sc = ws + (size_t) n * %d;
          for (int j = threadIdx.x; j < %d; j += %d) {
            sc[%d + j] = 0.f;%s
          }
          __syncthreads();
          for (int t = 0; t < %d; t++) {
            const float* h = sc + %d + (t & 1) * %d;
            float* hn = sc + %d + ((t + 1) & 1) * %d;
            const float* pre = sc + t * %d;
            for (int j = threadIdx.x; j < %d; j += %d) {
          %s
          %s
              hn[j] = v;
              %s = v;
            }
            __syncthreads();
          }""".formatted(per, hid, threads, hAt, lstm ? "\n  sc[" + cAt + " + j] = 0.f;" : "", t, hAt, hid, hAt, hid,
          gh, hid, threads, gates.toString().stripTrailing(), update.stripIndent().indent(4).stripTrailing(), store));
      e.add(rec, threads, rec.launch(batched ? 0 : 1, batched ? 1 : 0, 1, 1, 1, threads, true, s.comment()));
      features = hid;
    }
  }

  private static Param param(Node n, String rel) {
    for (Param p : n.params()) if (p.spec().name().equals(rel)) return p;
    throw new IllegalStateException(n.path() + " has no parameter " + rel);
  }
}
